"""The explanation of a 2-D run (gdtutor.telling.explain_plane): how it ended, with the engine's numbers, and
why, from the curvatures: each direction's factor 1 - eta*curvature on a quadratic, the heavy ball's passes
with momentum, the curvatures where a crawl stopped on the banana. In English and Chinese.

Every number the tests look for is computed here from the engine's results and the surface's curvatures,
never copied from what the explanation prints."""

from __future__ import annotations

import itertools
import math
import re

import pytest

from gdtutor.engine.descent2 import Descent2, DescentResult2
from gdtutor.engine.surface import (
    BANANA,
    BOWL,
    REGRESSION_SCALED,
    REGRESSION_UNSCALED,
    TURNED_VALLEY,
    VALLEY,
    PlaneQuadratic,
    Surface,
)
from gdtutor.i18n import CATALOGUES, t
from gdtutor.telling import explain_plane

LANGS = ("en", "zh")


def run(text: str, eta: float, x0: float, y0: float, **options: float) -> tuple[DescentResult2, Surface]:
    surface = Surface(text)
    return Descent2(surface, eta, x0, y0, **options).to_end(), surface  # type: ignore[arg-type]


def quadratic_of(surface: Surface) -> PlaneQuadratic:
    quadratic = surface.quadratic
    assert quadratic is not None
    return quadratic


def short(value: float) -> str:
    """A number to three significant digits, as a person reads it: 0.9, -1.2, 0.78, 20."""
    return f"{value:.3g}"


def direction_part(lang: str, along: str, curvature: float, factor: float, behaviour: str) -> str:
    """One direction's part of the factors sentence, from the catalogue's template."""
    return t(
        "plane_factor",
        lang,
        along=t("plane_along", lang, line=along),
        curvature=f"{curvature:g}",
        factor=short(factor),
        behaviour=t(f"plane_behaviour_{behaviour}", lang),
    )


def sentence_count(text: str) -> int:
    return len(re.findall(r"\.(?=\s|$)|。", text))


def numbers(text: str) -> list[str]:
    return re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)


def check_shape(texts: dict[str, str]) -> None:
    """Short enough for the status area, the same numbers in both languages, Chinese punctuation in Chinese."""
    for text in texts.values():
        assert sentence_count(text) <= 5, text
        assert len(text) <= 520, (len(text), text)
    assert sorted(numbers(texts["en"])) == sorted(numbers(texts["zh"]))
    zh = re.sub(r"\([^()]*\)", "", texts["zh"])  # a point (x, y) keeps its ASCII comma
    assert zh.endswith("。") and ";" not in zh and ": " not in zh and ". " not in zh and ", " not in zh


def explain_both(result: DescentResult2, surface: Surface) -> dict[str, str]:
    texts = {lang: explain_plane(result, surface, lang) for lang in LANGS}
    check_shape(texts)
    return texts


# --- the valley, plain descent ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_valley_at_0_05_converges_crawling_along_x(lang: str) -> None:
    result, surface = run(VALLEY, 0.05, 1.0, 1.0)
    text = explain_both(result, surface)[lang]
    valley = quadratic_of(surface)
    flat, steep = valley.factors(0.05)  # 1 - 0.05*2, 1 - 0.05*20
    assert str(result.status) == "converged" and steep == 0.0 and flat == pytest.approx(0.9)
    assert text.startswith(CATALOGUES[lang]["plane_outcome_converged"].split("{")[0])
    assert f" {result.steps} " in text
    assert f"{result.delta:.3g}" in text and "0.0001" in text
    # across the valley (y) the first update lands on the floor; along it (x) each keeps 0.9 of the distance
    across = direction_part(lang, "y", 20, steep, "at_once")
    along = direction_part(lang, "x", 2, flat, "crawl")
    assert across in text and along in text and text.index(across) < text.index(along)
    assert result.path[1][1] == 0.0  # the engine's y is on the floor after one update, as told
    # the pace is x's, the limit y's: 2/20
    assert short(flat) in text and f"2/20 = {2 / 20:g}" in text
    assert (
        t("plane_pace", lang, factor=short(flat), along=t("plane_along", lang, line="x"), curvature=20, limit="0.1")
        in text
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_valley_at_0_09_bounces_across_and_crawls_along(lang: str) -> None:
    result, surface = run(VALLEY, 0.09, 1.0, 1.0)
    text = explain_both(result, surface)[lang]
    flat, steep = quadratic_of(surface).factors(0.09)
    assert str(result.status) == "converged"
    assert short(steep) == "-0.8" and short(flat) == "0.82"
    assert direction_part(lang, "y", 20, steep, "bounce_in") in text
    assert direction_part(lang, "x", 2, flat, "approach") in text
    ys = [result.path[i][1] for i in range(4)]
    assert all(a * b < 0 for a, b in itertools.pairwise(ys))  # y does bounce from side to side


@pytest.mark.parametrize("lang", LANGS)
def test_the_valley_at_0_11_diverges_because_of_y(lang: str) -> None:
    result, surface = run(VALLEY, 0.11, 1.0, 1.0)
    text = explain_both(result, surface)[lang]
    flat, steep = quadratic_of(surface).factors(0.11)
    assert str(result.status) == "diverged" and result.details["cause"] == "explode"
    assert short(steep) == "-1.2"
    assert direction_part(lang, "y", 20, steep, "bounce_out") in text
    assert direction_part(lang, "x", 2, flat, "approach") in text
    assert f" {result.steps}" in text and "inf" in text and "0.11" in text
    assert t("plane_limit", lang, curvature=20, limit=f"{2 / 20:g}") in text
    assert math.isinf(result.details["bad"][1]) and math.isfinite(result.details["bad"][0])  # y left, not x


@pytest.mark.parametrize("lang", LANGS)
def test_the_valley_at_exactly_0_1_oscillates_across(lang: str) -> None:
    result, surface = run(VALLEY, 0.1, 1.0, 1.0)
    text = explain_both(result, surface)[lang]
    flat, steep = quadratic_of(surface).factors(0.1)
    assert str(result.status) == "oscillating" and result.period == 2 and steep == -1.0
    assert direction_part(lang, "y", 20, steep, "bounce_same") in text
    assert direction_part(lang, "x", 2, flat, "approach") in text
    for i in (-1, -2):  # the two points of the cycle, y at 1 and -1
        x, y = result.path[i]
        assert f"({x!r}, {y:g})" in text
    assert t("plane_limit", lang, curvature=20, limit="0.1") in text


# --- the bowl, the turned valley, the regression losses -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_bowl_at_0_5_gets_there_in_one_update(lang: str) -> None:
    result, surface = run(BOWL, 0.5, 1.0, 1.0)
    text = explain_both(result, surface)[lang]
    bowl = quadratic_of(surface)
    assert bowl.factors(0.5) == (0.0, 0.0)
    assert result.path[1] == (0.0, 0.0) and result.steps == 2  # there after one; the second measures 0
    part = t(
        "plane_factor",
        lang,
        along=t("plane_every_direction", lang),
        curvature="2",
        factor="0",
        behaviour=t("plane_behaviour_at_once", lang),
    )
    assert part in text
    assert t("plane_along", lang, line="x") not in text  # one sentence for every direction
    assert sentence_count(text) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_the_turned_valley_names_its_directions_by_lines(lang: str) -> None:
    result, surface = run(TURNED_VALLEY, 0.05, 1.0, 0.0)
    text = explain_both(result, surface)[lang]
    flat, steep = quadratic_of(surface).factors(0.05)
    assert str(result.status) == "converged"
    assert direction_part(lang, "y = -x", 20, steep, "at_once") in text
    assert direction_part(lang, "y = x", 2, flat, "crawl") in text
    assert result.x == result.y  # after the first update the point is on the floor, y = x, as told

    result, surface = run(TURNED_VALLEY, 0.1, -1.2, 1.0)
    text = explain_both(result, surface)[lang]
    assert str(result.status) == "oscillating"
    assert direction_part(lang, "y = -x", 20, -1.0, "bounce_same") in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_regression_losses_are_told_with_their_own_curvatures(lang: str) -> None:
    result, surface = run(REGRESSION_UNSCALED, 0.0024, 0.0, 0.0)
    text = explain_both(result, surface)[lang]
    quadratic = quadratic_of(surface)
    low, high = quadratic.curvatures
    flat, steep = quadratic.factors(0.0024)
    (fx, fy), (sx, sy) = quadratic.directions
    assert str(result.status) == "converged"
    # the valley is turned by a hundredth: its floor is the line y = -0.01x, its steep way x = 0.01y
    assert f"{fy / fx:.2g}" == "-0.01" and f"{sx / sy:.2g}" == "0.01"
    assert f"({short(high)[:3]}" not in text  # curvatures are told to four digits: 800.1, 7.919
    assert f"{high:.4g}" in text and f"{low:.4g}" in text
    assert short(flat) in text and f"{steep:.2g}" in text
    assert t("plane_along", lang, line="y = -0.01x") in text and t("plane_along", lang, line="x = 0.01y") in text
    # the limit 2/800.08 = 0.0024997..., never written 0.0025: a rate of 0.0025 does not converge
    limit = re.search(rf"2/{high:.4g} = (\d+(?:\.\d+)?)", text)
    assert quadratic.largest_safe_rate is not None and limit is not None
    assert quadratic.largest_safe_rate * 0.9999 < float(limit[1]) <= quadratic.largest_safe_rate < 0.0025

    result, surface = run(REGRESSION_SCALED, 0.5, 0.0, 0.0)
    text = explain_both(result, surface)[lang]
    flat, steep = quadratic_of(surface).factors(0.5)
    assert result.steps == 6 and short(flat) == "0.1" and short(steep) == "-0.1"
    assert t("plane_pace_even", lang, curvature="2.2", limit=f"{2 / 2.2:.3g}") in text
    assert direction_part(lang, "y = x", 2.2, steep, "bounce_in") in text
    assert direction_part(lang, "y = -x", 1.8, flat, "approach") in text


@pytest.mark.parametrize("lang", LANGS)
def test_just_above_the_limit_the_bounce_grows_by_a_hair(lang: str) -> None:
    result, surface = run(REGRESSION_UNSCALED, 0.0025, 0.0, 0.0)
    text = explain_both(result, surface)[lang]
    _, steep = quadratic_of(surface).factors(0.0025)
    assert str(result.status) == "max_iter" and result.details["trend"] == "growing"
    assert -1.001 < steep < -1
    assert f"{steep:.5g}" in text  # -1.0002: enough digits that it is not written -1
    assert t("plane_behaviour_bounce_out", lang) in text and t("trend_growing", lang) in text


# --- momentum -----------------------------------------------------------------------------------------------


def passes(values: list[float]) -> int:
    signs = [v > 0 for v in values if v != 0]
    return sum(a != b for a, b in itertools.pairwise(signs))


@pytest.mark.parametrize("lang", LANGS)
def test_with_momentum_the_factors_do_not_apply_and_the_passes_are_counted(lang: str) -> None:
    result, surface = run(VALLEY, 0.05, 1.0, 1.0, beta=0.9)
    text = explain_both(result, surface)[lang]
    assert str(result.status) == "converged" and result.path.whole
    assert t("plane_momentum", lang, beta="0.9") in text
    assert t("plane_factors", lang, parts="").rstrip("。.") not in text  # no factors of plain descent
    assert t("plane_limit", lang, curvature=20, limit="0.1") not in text
    xs, ys = result.path.values()
    across, along = passes(list(ys)), passes(list(xs))  # the valley's bottom is the origin
    assert across > along > 0  # the heavy ball overshoots along x too, where plain descent never does
    assert t("plane_times", lang, n=across) in text and t("plane_times", lang, n=along) in text
    assert text.index(t("plane_times", lang, n=across)) < text.index(t("plane_times", lang, n=along))


@pytest.mark.parametrize("lang", LANGS)
def test_with_momentum_on_the_banana_only_the_outcome_is_told(lang: str) -> None:
    result, surface = run(BANANA, 0.001, -1.2, 1.0, beta=0.9)
    text = explain_both(result, surface)[lang]
    assert str(result.status) == "converged"
    assert sentence_count(text) == 1 and f" {result.steps} " in text


# --- the banana: curvatures where it stopped ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("start", "max_iter", "status"), [((-1.0, 1.0), 10_000, "converged"), ((-1.2, 1.0), 1000, "max_iter")]
)
def test_the_banana_crawls_along_its_flat_floor(
    lang: str, start: tuple[float, float], max_iter: int, status: str
) -> None:
    result, surface = run(BANANA, 0.001, *start, max_iter=max_iter)
    text = explain_both(result, surface)[lang]
    assert str(result.status) == status
    low, high = surface.curvatures_at(result.x, result.y) or (math.nan, math.nan)
    assert 0 < low < 10 and high > 100  # a flat floor and steep walls where it stopped
    assert f"{low:.4g}" in text and f"{high:.4g}" in text
    limit = re.search(rf"2/{high:.4g} = (\d+(?:\.\d+)?)", text)
    assert limit is not None and 2 / high * 0.995 < float(limit[1]) <= 2 / high  # never rounded up past it
    kept = 1 - 0.001 * low
    assert f"{kept:.3g}" in text and 0.99 < kept < 1
    rest = result.delta * kept / (1 - kept)  # the steps still to come, each kept-times the last
    assert f"{rest:.2g}" in text and rest > 100 * result.delta
    # the estimate is of the size of the real distance left to the minimum (1, 1)
    assert 0.3 < math.hypot(1 - result.x, 1 - result.y) / rest < 3
    if status == "max_iter":
        assert result.details["trend"] == "shrinking" and t("trend_shrinking", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_banana_run_that_blows_up_is_told_without_curvatures(lang: str) -> None:
    result, surface = run(BANANA, 0.01, -1.2, 1.0)
    text = explain_both(result, surface)[lang]
    assert str(result.status) == "diverged"
    assert sentence_count(text) == 1 and "0.01" in text


# --- the rest of the outcomes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_run_stopped_before_any_update_and_one_stopped_by_hand(lang: str) -> None:
    result, surface = run(VALLEY, 0.05, 1.0, 1.0, precision=0.2)
    text = explain_both(result, surface)[lang]
    assert result.steps == 0
    assert f"{math.sqrt(0.02):.3g}" in text and "0.2" in text and "0.1" in text  # the gap 0.1 each way
    assert t("plane_behaviour_crawl", lang) not in text

    engine = Descent2(surface, 0.05, 1.0, 1.0)
    engine.run_updates(5)
    engine.cancel()
    stopped = engine.result()
    assert str(stopped.status) == "cancelled"
    text = explain_plane(stopped, surface, lang)
    assert f" {stopped.steps} " in text and f"({stopped.x:.6g}" in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_saddle_is_told_that_it_curves_down(lang: str) -> None:
    result, surface = run("x^2 - y^2", 0.1, 1.0, 0.001)
    text = explain_both(result, surface)[lang]
    assert str(result.status) == "diverged" and result.details["cause"] == "unbounded"
    assert t("plane_along", lang, line="y") in text and "-2" in text and short(1 - 0.1 * -2) in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_rounding_cycle_is_written_with_every_digit(lang: str) -> None:
    result, surface = run("(x - 0.1)^2 + (y - 0.3)^2", 0.9, 1.0, 1.0, precision=1e-300)
    text = explain_both(result, surface)[lang]
    assert str(result.status) == "oscillating" and result.details.get("rounding") and result.period == 2
    for i in (-1, -2):  # two points a few units in the last place apart: only every digit tells them apart
        x, y = result.path[i]
        assert f"({x!r}, {y!r})" in text
    assert t("plane_outcome_rounding", lang, precision="1e-300").strip() in text
