"""Linear regression two ways, against numpy's least-squares solution."""

from __future__ import annotations

import numpy as np
import pytest

from gdtutor.engine.regression import (
    RaceRow,
    crossover,
    gradient_descent,
    growth_exponent,
    make_data,
    normal_equation,
    race,
)


@pytest.mark.parametrize(("samples", "features"), [(200, 3), (500, 20), (1000, 80)])
def test_both_methods_match_lstsq(samples: int, features: int) -> None:
    data = make_data(samples, features, seed=7)
    reference = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
    assert np.allclose(normal_equation(data.X, data.y), reference, atol=1e-10)
    gd = gradient_descent(data.X, data.y, precision=1e-10)
    assert gd.converged
    assert np.allclose(gd.w, reference, atol=1e-7)
    # and the fit recovers the weights the data was made with, up to the noise
    assert np.allclose(reference, data.w_true, atol=0.1)


def test_gradient_descent_stops_like_the_lecture_and_can_blow_up() -> None:
    data = make_data(300, 5, seed=1)
    loose = gradient_descent(data.X, data.y, precision=1e-2)
    tight = gradient_descent(data.X, data.y, precision=1e-9)
    assert loose.converged and tight.converged and loose.updates < tight.updates
    wild = gradient_descent(data.X, data.y, eta=50.0, max_iter=5000)
    assert not wild.converged  # far past 2 / L: every update overshoots
    assert wild.updates < 5000  # stopped when w stopped being finite


def test_data_size_is_bounded() -> None:
    with pytest.raises(ValueError, match="too large"):
        make_data(100_000, 1000)


def test_race_rows_and_growth() -> None:
    rows = race([5, 10, 20], samples_per_feature=10)
    assert [(r.features, r.samples) for r in rows] == [(5, 50), (10, 100), (20, 200)]
    for r in rows:
        assert r.normal_seconds > 0 and r.gd_seconds > 0
        assert r.normal_error < 1e-8 and r.gd_error < 1e-5
    assert growth_exponent(rows, "gd_seconds") is not None


def test_crossover_from_fitted_growth() -> None:
    def row(d: int, normal: float, gd: float) -> RaceRow:
        return RaceRow(d, 10 * d, normal, gd, 50, 0.0, 0.0)

    # normal grows like d^3, gd like d^2, gd 10x slower at d = 100: they meet at d = 1000
    rows = [row(d, (d / 100) ** 3, 10 * (d / 100) ** 2) for d in (100, 200, 400)]
    assert crossover(rows) == pytest.approx(1000, rel=1e-6)
    assert crossover([row(100, 1, 0.5), row(200, 8, 1)]) is None  # already faster
