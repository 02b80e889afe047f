"""Linear regression two ways: the normal equation and gradient descent, timed side by side.

The lecture ends with the normal equation (正规方程): w = (X^T X)^-1 X^T y is exact, but forming
X^T X costs about n*d^2 operations and inverting it about d^3, for n rows and d features. Gradient
descent replaces that with updates w = w - eta * X^T (X w - y) / n, each costing about n*d, and stops
as the lecture's loop does, when an update barely changes w.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .params import DEFAULT_GAP, DEFAULT_MAX_ITER, MAX_NUMBERS, ParameterError, Problem


@dataclass
class RegressionData:
    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray


def make_data(samples: int, features: int, *, seed: int = 0, noise: float = 0.1) -> RegressionData:
    """Random standardised features and y = X w_true + noise, reproducible with ``seed``."""
    if samples * features > MAX_NUMBERS:
        raise ParameterError([Problem("samples", "too_large", f"{samples * features:,}", high=MAX_NUMBERS)])
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((samples, features))
    w_true = rng.uniform(-2, 2, features)
    y = X @ w_true + noise * rng.standard_normal(samples)
    return RegressionData(X, y, w_true)


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """w = (X^T X)^-1 X^T y, as the formula is written (an explicit inverse, like the lecture's course)."""
    w: np.ndarray = np.linalg.inv(X.T @ X) @ (X.T @ y)
    return w


@dataclass
class GDResult:
    w: np.ndarray
    updates: int
    converged: bool
    eta: float


def gradient_descent(
    X: np.ndarray,
    y: np.ndarray,
    *,
    eta: float | None = None,
    precision: float = 1e-8,
    max_iter: int = DEFAULT_MAX_ITER,
    should_stop: Callable[[], bool] | None = None,
) -> GDResult:
    """Batch gradient descent on the mean squared error, stopping when max |w - last_w| < precision.

    Without ``eta``, the learning rate is 1 / L, where L (the largest curvature of the loss) is
    estimated with a few power iterations: the multi-variable form of "0.5 is best for f'' = 2".
    """
    n, d = X.shape
    if eta is None:
        eta = 1.0 / largest_curvature(X)
    w = np.zeros(d)
    last_w = w + DEFAULT_GAP
    updates = 0
    with np.errstate(over="ignore", invalid="ignore"):  # a rate too large makes w inf, then stops
        while updates < max_iter:
            if np.max(np.abs(w - last_w)) < precision:
                return GDResult(w, updates, True, eta)
            if should_stop is not None and should_stop():
                break
            last_w = w
            w = w - eta * (X.T @ (X @ w - y)) / n
            updates += 1
            if not np.all(np.isfinite(w)):
                break
    return GDResult(w, updates, False, eta)


def largest_curvature(X: np.ndarray, rounds: int = 30) -> float:
    """The largest eigenvalue of X^T X / n, by power iteration (slightly over-estimated for safety)."""
    n, d = X.shape
    v = np.random.default_rng(1).standard_normal(d)
    value = 1.0
    for _ in range(rounds):
        u = X.T @ (X @ v) / n
        value = float(np.linalg.norm(u))
        if value == 0:
            return 1.0
        v = u / value
    return value * 1.05


@dataclass
class RaceRow:
    """One size of the race: times in seconds and how far each answer is from numpy's lstsq."""

    features: int
    samples: int
    normal_seconds: float
    gd_seconds: float
    gd_updates: int
    normal_error: float
    gd_error: float


def race_one(samples: int, features: int, *, seed: int = 0) -> RaceRow:
    """Time both methods on one generated data set."""
    data = make_data(samples, features, seed=seed)
    start = time.perf_counter()
    w_normal = normal_equation(data.X, data.y)
    normal_seconds = time.perf_counter() - start
    start = time.perf_counter()
    gd = gradient_descent(data.X, data.y)
    gd_seconds = time.perf_counter() - start
    reference = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
    return RaceRow(
        features=features,
        samples=samples,
        normal_seconds=normal_seconds,
        gd_seconds=gd_seconds,
        gd_updates=gd.updates,
        normal_error=float(np.max(np.abs(w_normal - reference))),
        gd_error=float(np.max(np.abs(gd.w - reference))),
    )


def race(features: list[int], samples_per_feature: int = 10, *, seed: int = 0) -> list[RaceRow]:
    """Time both methods as the number of features grows, with samples_per_feature rows per feature
    (so the data keeps its shape and gradient descent needs about the same number of updates)."""
    return [race_one(samples_per_feature * d, d, seed=seed) for d in features]


def _fit(rows: list[RaceRow], attr: str) -> tuple[float, float] | None:
    points = [(math.log(r.features), math.log(getattr(r, attr))) for r in rows if getattr(r, attr) > 0]
    if len(points) < 2:
        return None
    xs, ys = zip(*points, strict=True)
    slope, intercept = np.polyfit(xs, ys, 1)
    return float(slope), float(intercept)


def growth_exponent(rows: list[RaceRow], attr: str) -> float | None:
    """How time grows with features: k in time ~ features**k, fitted over the rows (None if too few)."""
    fit = _fit(rows, attr)
    return None if fit is None else fit[0]


def crossover(rows: list[RaceRow]) -> float | None:
    """Where the fitted growth says gradient descent becomes faster (features), or None if the
    measurements do not point that way (it is faster already, or the normal equation grows slower)."""
    normal, gd = _fit(rows, "normal_seconds"), _fit(rows, "gd_seconds")
    if normal is None or gd is None or normal[0] <= gd[0]:
        return None
    if rows[-1].gd_seconds < rows[-1].normal_seconds:
        return None
    log_d = (gd[1] - normal[1]) / (normal[0] - gd[0])
    return float(math.exp(log_d))
