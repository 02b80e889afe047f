"""Linear regression two ways, against numpy's least-squares solution; the race that times them, its
summary, its process and ``gdtutor race``.

No test here asserts how fast either method is: timings belong to the machine (benchmarks/race_bench.py
checks who wins at the large end and prints the ratios). The tests check what the race computes.
"""

from __future__ import annotations

import json
import math
import threading

import numpy as np
import pytest

from gdtutor import cli
from gdtutor.engine.params import MAX_NUMBERS, RACE_FEATURES, RACE_SAMPLES_PER_FEATURE
from gdtutor.engine.regression import (
    LECTURE_FEATURES,
    MAX_UNCERTAINTY,
    POWER_ROUNDS,
    Costs,
    RaceProcess,
    RaceRow,
    RaceSummary,
    crossover,
    extrapolate,
    gradient_descent,
    growth,
    largest_curvature,
    make_data,
    normal_equation,
    race,
    spread,
)
from gdtutor.i18n import CATALOGUES, t


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
    assert gradient_descent(data.X, data.y, precision=0.2).updates == 0  # above the lecture's gap of 0.1
    wild = gradient_descent(data.X, data.y, eta=50.0, max_iter=5000)
    assert not wild.converged  # far past 2 / L: every update overshoots
    assert wild.updates < 5000  # stopped when w stopped being finite


def test_the_rate_comes_from_the_largest_curvature() -> None:
    """eta = 1 / L with L from a few power iterations: below the true L, but above L / 2, so stable."""
    data = make_data(8 * 300, 300, seed=3)
    true = float(np.linalg.eigvalsh(data.X.T @ data.X / len(data.X))[-1])
    estimate = largest_curvature(data.X)
    assert true / 2 < estimate <= true * (1 + 1e-12)
    assert gradient_descent(data.X, data.y).eta == pytest.approx(1 / estimate)


def test_the_normal_equation_needs_xtx_invertible() -> None:
    """A feature that is always 0 makes X^T X singular: solve refuses, lstsq and the descent answer."""
    data = make_data(200, 6, seed=2)
    X = data.X.copy()
    X[:, 2] = 0.0
    with pytest.raises(np.linalg.LinAlgError):
        normal_equation(X, data.y)
    reference = np.linalg.lstsq(X, data.y, rcond=None)[0]
    gd = gradient_descent(X, data.y, precision=1e-10)
    assert gd.converged and np.allclose(gd.w, reference, atol=1e-7)


def test_with_fewer_rows_than_features_only_the_descent_answers() -> None:
    """X^T X of 40 rows and 60 features has rank 40: solve fails or returns noise, while the descent from
    w = 0 finds the answer lstsq gives (the smallest weights that fit the data exactly)."""
    data = make_data(40, 60, seed=4)
    reference = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
    try:
        noise = float(np.max(np.abs(normal_equation(data.X, data.y) - reference)))
    except np.linalg.LinAlgError:
        noise = np.inf
    assert noise > 0.1
    gd = gradient_descent(data.X, data.y, precision=1e-12, max_iter=1_000_000)
    assert gd.converged and np.allclose(gd.w, reference, atol=1e-6)


def test_data_size_is_bounded() -> None:
    with pytest.raises(ValueError, match="too_large"):
        make_data(100_000, 1000)


def test_the_race_is_declared_once_and_fits_its_bound() -> None:
    from gdtutor.lessons.model import RegressionStep

    assert list(RACE_FEATURES) == sorted(set(RACE_FEATURES)) and len(RACE_FEATURES) >= 4
    assert max(RACE_FEATURES) ** 2 * RACE_SAMPLES_PER_FEATURE <= MAX_NUMBERS
    step = RegressionStep()  # a lesson's race without sizes is the engine's race
    assert step.features == RACE_FEATURES and step.samples_per_feature == RACE_SAMPLES_PER_FEATURE
    assert list(step.problems()) == []


def check_rows(rows: list[RaceRow], features: list[int], per: int) -> None:
    """What every race's rows must say, whatever the machine's speed."""
    assert [(r.features, r.samples) for r in rows] == [(d, per * d) for d in features]
    for r in rows:
        assert r.normal_seconds > 0 and r.gd_seconds > 0
        assert r.gd_updates > 0 and r.eta > 0
        assert r.normal_error < 1e-8  # exact, up to rounding
        assert r.gd_error < 1e-2  # the precision (1e-4) times the conditioning of X^T X
        assert r.winner == ("gd" if r.gd_seconds < r.normal_seconds else "normal")


def test_race_rows() -> None:
    rows = list(race([16, 32, 64], samples_per_feature=8))
    check_rows(rows, [16, 32, 64], 8)
    # the data keeps its shape, so the descent needs about as many updates at every size
    assert max(r.gd_updates for r in rows) <= 2 * min(r.gd_updates for r in rows)
    assert growth(rows, "gd") is not None and extrapolate(rows) is not None


def test_a_cancelled_race_stops_without_a_row() -> None:
    cancel = threading.Event()
    rows = []
    for row in race([16, 32, 64, 128], samples_per_feature=8, cancel=cancel):
        rows.append(row)
        cancel.set()
    assert len(rows) == 1


def row(
    d: int,
    normal: float,
    gd: float,
    updates: int = 25,
    *,
    normal_runs: list[float] | None = None,
    gd_runs: list[float] | None = None,
) -> RaceRow:
    """A made-up row; its runs are its best times alone unless given."""
    return RaceRow(d, 8 * d, normal, gd, updates, 0.6, 0.0, 0.0, normal_runs or [normal], gd_runs or [gd])


def test_crossover_is_where_descent_wins_from_on() -> None:
    assert crossover([row(100, 1, 2), row(200, 2, 1), row(400, 8, 2)]) == 200
    # a size in between where the normal equation wins again moves the crossover past it
    assert crossover([row(100, 1, 2), row(200, 2, 1), row(400, 4, 5), row(800, 30, 10)]) == 800
    assert crossover([row(100, 1, 2), row(200, 2, 3)]) is None  # descent does not win at the largest
    assert crossover([row(100, 2, 1), row(200, 8, 2)]) is None  # it wins everywhere: nothing crosses
    assert crossover([]) is None


def test_growth_is_fitted_on_the_largest_sizes() -> None:
    rows = [row(d, 1e-10 * d**3, 1e-8 * d**2) for d in (100, 200, 400, 800)]
    rows[0] = row(100, 5.0, 5.0)  # a fixed cost at the small end is not fitted
    normal, gd = growth(rows, "normal"), growth(rows, "gd")
    assert normal is not None and gd is not None
    assert normal.exponent == pytest.approx(3) and gd.exponent == pytest.approx(2)
    assert normal.is_law and gd.is_law and normal.uncertainty == gd.uncertainty == 0
    assert normal.seconds(800) == pytest.approx(rows[-1].normal_seconds)
    assert growth(rows[:1], "gd") is None


def timed(
    exponents: tuple[float, float], sizes: tuple[int, ...] = (500, 1000, 2000), scatter: float = 1.02
) -> list[RaceRow]:
    """Rows whose best times follow features**exponent (normal equation, descent), each confirmed by a
    second run ``scatter`` times slower."""
    out = []
    for d in sizes:
        normal, gd = 1e-10 * d ** exponents[0], 1e-8 * d ** exponents[1]
        out.append(row(d, normal, gd, normal_runs=[normal * scatter, normal], gd_runs=[gd, gd * scatter]))
    return out


@pytest.mark.parametrize(
    "exponents",
    [(3.0, 2.0), (3.4, 2.0), (2.5, 1.0), (3.9, 2.9)],
    ids=["the-counts", "quiet-machine", "lower", "steep-but-possible"],
)
def test_a_clean_power_law_is_told(exponents: tuple[float, float]) -> None:
    for method, exponent in zip(("normal", "gd"), exponents, strict=True):
        fit = growth(timed(exponents), method)  # type: ignore[arg-type]
        assert fit is not None and fit.fit == "law" and fit.is_law
        assert fit.exponent == pytest.approx(exponent)
        assert 0 < fit.uncertainty < MAX_UNCERTAINTY


@pytest.mark.parametrize(
    ("exponents", "scatter", "normal_fit", "gd_fit"),
    [
        ((-0.6, -2.1), 1.02, "shrank", "shrank"),  # the busy machine's race: time cannot shrink as work grows
        ((0.0, 2.0), 1.02, "shrank", "law"),  # nor stay the same
        ((5.0, 3.5), 1.02, "too_steep", "too_steep"),  # far above d^3 and d^2: not what the method does
        ((3.0, 2.0), 1.6, "scattered", "scattered"),  # two runs 60% apart at each size: no exponent to read
    ],
    ids=["shrinking", "flat", "impossible", "scattered"],
)
def test_a_fit_that_is_no_law_is_refused_with_its_reason(
    exponents: tuple[float, float], scatter: float, normal_fit: str, gd_fit: str
) -> None:
    rows = timed(exponents, scatter=scatter)
    normal, gd = growth(rows, "normal"), growth(rows, "gd")
    assert normal is not None and gd is not None
    assert (normal.fit, gd.fit) == (normal_fit, gd_fit)
    assert RaceSummary.of(rows).to_dict()["growth"]["normal_fit"] == normal_fit


def test_the_runs_judge_the_fit_and_one_stray_run_of_three_is_forgiven() -> None:
    """The fit is judged by how far each fitted size's best time may be off: the second best run."""
    clean = [row(1000, 1.0, 0.1, normal_runs=[1.0, 1.05, 3.0], gd_runs=[0.1, 0.5, 0.102]), row(2000, 8.0, 0.4)]
    normal, gd = growth(clean, "normal"), growth(clean, "gd")
    assert normal is not None and gd is not None and normal.is_law and gd.is_law
    assert normal.uncertainty == pytest.approx(math.log(1.05) / math.log(2))
    stray = [row(1000, 1.0, 0.1, gd_runs=[0.1, 0.5]), row(2000, 8.0, 0.4)]  # one of two runs 5 times slower
    fit = growth(stray, "gd")
    assert fit is not None and fit.fit == "scattered" and fit.disagreement == pytest.approx(math.log(5))
    assert spread([0.2]) == 0 and spread([]) == 0


def told_laws(lang: str) -> list[str]:
    """The words of each sentence that tells a growth law, up to its exponent."""
    blank = "\0"
    laws = [t("race_growth", lang, low=1000, high=2000, normal=blank, gd=blank)]
    for method in ("normal", "gd"):
        laws.append(
            t("race_growth_one", lang, low=1000, high=2000, method=t(f"race_method_{method}", lang), exponent=blank)
        )
    return [law.split(blank)[0] for law in laws]


BUSY = [
    row(125, 0.0006, 0.0014),
    row(250, 0.01, 0.003),
    row(500, 0.02, 0.0125),
    row(1000, 1.2, 2.0),
    row(2000, 0.8, 0.47),
]
"""A race on a busy machine: from 1,000 to 2,000 features the fitted exponents are -0.6 and -2.1."""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_fit_that_is_no_law_is_said_to_be_too_noisy(lang: str) -> None:
    from gdtutor.telling import race_lines

    summary = RaceSummary.of(BUSY)
    assert summary.normal is not None and summary.gd is not None
    assert round(summary.normal.exponent, 1) == -0.6 and round(summary.gd.exponent, 1) == -2.1
    normal_line, gd_line, *rest = race_lines(summary, lang)
    too_noisy = {"en": "too noisy to fit a growth law", "zh": "计时波动太大，拟合不出增长规律"}[lang]
    assert too_noisy in normal_line and too_noisy in gd_line
    assert t("race_method_normal", lang) in normal_line and t("race_method_gd", lang) in gd_line
    text = "\n".join([normal_line, gd_line, *rest])
    assert "-0.6" not in text and "-2.1" not in text
    for told in told_laws(lang):
        assert told not in text
    # every reason, in words, and a law told beside a refusal
    for exponents, scatter in (((5.0, 2.0), 1.02), ((3.0, 2.0), 1.6)):
        lines = race_lines(RaceSummary.of(timed(exponents, scatter=scatter)), lang)
        assert too_noisy in lines[0]
    steep, law = race_lines(RaceSummary.of(timed((5.0, 2.0))), lang)[:2]
    assert "5.0" not in steep and "3" in steep  # the method's cost, not the fitted exponent
    assert law == t("race_growth_one", lang, low=1000, high=2000, method=t("race_method_gd", lang), exponent="2.0")
    assert "60%" in race_lines(RaceSummary.of(timed((3.0, 2.0), scatter=1.6)), lang)[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gdtutor_race_prints_too_noisy_for_the_busy_machines_timings(
    lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's words for timings that fit no law: no exponent, the reason instead."""
    monkeypatch.setattr("gdtutor.engine.regression.race", lambda *args, **kwargs: iter(BUSY))
    assert cli.main(["race", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert out.count({"en": "too noisy to fit a growth law", "zh": "计时波动太大"}[lang]) == 2
    assert "^-" not in out and "-0.6" not in out and "-2.1" not in out
    assert not any(told in out for told in told_laws(lang))


def test_extrapolation_carries_the_measured_speeds_with_the_counts() -> None:
    """Times made exactly proportional to the counts extrapolate to those counts at 100,000 features."""
    normal_speed, gd_speed = 1e-11, 4e-10  # seconds per multiplication

    def timed(d: int, updates: int) -> RaceRow:
        costs = Costs(8 * d, d)
        gd = gd_speed * 2 * costs.update * (updates + POWER_ROUNDS)
        return row(d, normal_speed * costs.normal, gd, updates)

    far = extrapolate([timed(500, 30), timed(1000, 24), timed(2000, 26)])
    assert far is not None and far.features == LECTURE_FEATURES and far.samples == 8 * LECTURE_FEATURES
    assert far.gd_updates == 25  # the mean of the two largest sizes
    costs = Costs(8 * LECTURE_FEATURES, LECTURE_FEATURES)
    assert far.normal_seconds == pytest.approx(normal_speed * costs.normal)
    assert far.gd_seconds == pytest.approx(gd_speed * 2 * costs.update * (25 + POWER_ROUNDS))
    assert far.to_dict()["gram_bytes"] == 8 * LECTURE_FEATURES**2
    assert extrapolate([timed(500, 30)]) is None


def test_the_summary_as_json() -> None:
    rows = [row(100, 1, 2), row(200, 8, 4)]
    doc = json.loads(json.dumps(RaceSummary.of(rows).to_dict()))
    assert [r["winner"] for r in doc["rows"]] == ["normal", "gd"]
    assert doc["crossover"] == 200 and doc["growth"]["fitted_on"] == [100, 200]
    assert doc["growth"]["normal_exponent"] == pytest.approx(3) and doc["growth"]["gd_exponent"] == pytest.approx(1)
    assert doc["growth"]["normal_fit"] == doc["growth"]["gd_fit"] == "law"
    assert doc["rows"][0]["normal_runs"] == [1]


# --- the race in a process of its own -------------------------------------------------------------------


def test_the_race_process_sends_the_rows() -> None:
    with RaceProcess([16, 32], 8) as process:
        rows = list(process)
    check_rows(rows, [16, 32], 8)
    assert process.finished and process.returncode == 0


def test_a_cancelled_race_process_is_ended_at_once() -> None:
    """Cancelled after its first row, the process is killed: it does not run the race to its end."""
    cancel = threading.Event()
    with RaceProcess(RACE_FEATURES, RACE_SAMPLES_PER_FEATURE, cancel=cancel) as process:
        rows = []
        for r in process:
            rows.append(r)
            cancel.set()
    assert len(rows) == 1 and not process.finished
    assert process.returncode is not None and process.returncode < 0  # ended by a signal


# --- gdtutor race ---------------------------------------------------------------------------------------


def check_race_document(doc: dict, features: tuple[int, ...]) -> None:
    """``gdtutor race --json``'s document for a race over ``features``: one row a size, every field."""
    rows = [RaceRow(**{k: v for k, v in r.items() if k != "winner"}) for r in doc["rows"]]
    check_rows(rows, list(features), RACE_SAMPLES_PER_FEATURE)
    assert [r["winner"] for r in doc["rows"]] == [r.winner for r in rows]
    assert doc["samples_per_feature"] == RACE_SAMPLES_PER_FEATURE and doc["power_iterations"] == POWER_ROUNDS
    assert doc["growth"]["fitted_on"] == list(features[-2:])
    assert isinstance(doc["growth"]["normal_exponent"], float) and isinstance(doc["growth"]["gd_exponent"], float)
    assert doc["crossover"] == crossover(rows)
    far = doc["extrapolation"]
    assert far["features"] == LECTURE_FEATURES and far["samples"] == RACE_SAMPLES_PER_FEATURE * LECTURE_FEATURES
    assert far["normal_seconds"] > 0 and far["gd_seconds"] > 0 and far["gd_updates"] > 0
    assert far["gram_bytes"] == 8 * LECTURE_FEATURES**2


SMALL = (16, 32, 64)


def test_gdtutor_race_json_at_small_sizes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The command's document, the race's sizes small: every field, as of the whole race."""
    monkeypatch.setattr("gdtutor.engine.params.RACE_FEATURES", SMALL)
    assert cli.main(["race", "--json"]) == 0
    check_race_document(json.loads(capsys.readouterr().out), SMALL)


@pytest.mark.slow
def test_gdtutor_race_json(full_race: dict) -> None:
    """The real command, the whole race (up to 2,000 features): one JSON document with every field."""
    check_race_document(full_race, RACE_FEATURES)


def test_gdtutor_race_speaks_chinese(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("gdtutor.engine.params.RACE_FEATURES", SMALL)
    assert cli.main(["race", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用两种方法求解")
    assert t("race_columns", "zh").split("|")[0] in out and "lstsq" in out
    lines = out.splitlines()
    table = [line for line in lines if line.split() and line.split()[0] in {str(d) for d in SMALL}]
    assert len(table) == len(SMALL)
    assert all(t("race_winner_normal", "zh") in line or t("race_winner_gd", "zh") in line for line in table)
    extrapolated = CATALOGUES["zh"]["race_extrapolated"].split("（")[0]  # the words before the first bracket
    assert any(line.startswith(extrapolated) and "100,000" in line for line in lines)
    assert "features" not in out  # no English left


def test_gdtutor_race_text_in_english(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("gdtutor.engine.params.RACE_FEATURES", SMALL)
    assert cli.main(["race", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "normal eq. (s)" in out and "Extrapolated" in out and "not measured" in out


def test_the_summary_in_words() -> None:
    from gdtutor.telling import race_lines

    rows = [row(1000, 0.37, 0.4773), row(2000, 0.7751, 0.6)]
    growth_line, crossed, checked, far = race_lines(RaceSummary.of(rows), "en")
    assert "features^1.1 for the normal equation and features^0.3 for gradient descent" in growth_line
    assert crossed == t("race_crossover", "en", n=2000)
    assert "lstsq" in checked and "not measured" in far and "80 GB" in far
    lines = race_lines(RaceSummary.of(rows[:1]), "zh")  # one size: no growth, no extrapolation yet
    assert lines == [t("race_normal_at_end", "zh"), t("race_checked", "zh", normal="0", gd="0")]
