"""What the tutor tells of the engine's results: which facts and which numbers a run's outcome, a refused
parameter or expression and a race's rows are told with. The engine gives codes and numbers and imports
nothing of gdtutor; the catalogues (:mod:`gdtutor.i18n`) give the sentences; the choice between them
(which sentence, which of the run's facts, how many digits) is made here, once, for the app, the
lessons and the command line.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .i18n import expression_words, plural, sentences, t
from .numbers import apart, full, setting, true_digits, written

if TYPE_CHECKING:
    from .engine.descent import DescentResult
    from .engine.descent2 import DescentResult2
    from .engine.expr import ExpressionError
    from .engine.params import ParameterProblem
    from .engine.regression import RaceSummary
    from .engine.surface import PlaneQuadratic, Surface, Vector


def expression_error(error: ExpressionError, lang: str) -> str:
    """A refused expression in words, with the column it points at."""
    return expression_words(error.code, error.column, error.fields, lang)


def param_problem(problem: ParameterProblem, lang: str) -> str:
    """Why a parameter cannot be used (without the parameter's name: the caller puts it first)."""
    if problem.error is not None:
        return expression_error(problem.error, lang)
    if problem.field == "eta" and problem.code == "not_positive" and problem.value.strip().startswith("-"):
        return t("param_eta_uphill", lang, value=problem.value)
    low = setting(problem.low) if problem.low is not None else ""
    high = setting(problem.high) if problem.high is not None else ""
    return t(f"param_{problem.code}", lang, value=problem.value, low=low, high=high)


FAR_SLOPE = 0.1
"""A run that stops with |g(x)| at least this large is told that the slope there is far from 0: the
exit test measured the step eta * |g(x)|, not the slope (stopping steps of the lecture's rates, 0.01 and
above, leave |g(x)| below 0.01)."""


def explain(result: DescentResult | DescentResult2, lang: str) -> str:
    """How a run ended, and why, in ``lang``: the words the lecture's loop never says (for a run on a
    surface, :func:`explain_plane`'s, with the surface the run descended)."""
    from .engine.descent2 import DescentResult2  # loaded with the results it tells, not with the words

    if isinstance(result, DescentResult2):
        return explain_plane(result, result.surface, lang)
    details = result.details
    cycle = sorted(set(result.path.tail(result.period + 1)[:-1])) if result.period else []
    rounding = ""
    if details.get("rounding"):
        rounding = t("outcome_rounding", lang, precision=f"{result.precision:g}", x=full(result.x))
    cause = t(
        f"cause_{details.get('cause', 'explode')}",
        lang,
        eta=f"{result.eta:g}",
        last_x=full(result.last_x),
        gx=full(details.get("gx", math.nan)),
    )
    status = str(result.status)
    slope = details.get("slope", 0.0)
    after = ""
    if status == "converged" and result.steps == 0:
        status = "converged_start"
    elif status == "converged" and abs(slope) >= FAR_SLOPE:
        after = t("outcome_slope", lang, slope=f"{slope:.3g}", eta=f"{result.eta:g}")
    delta, precision = apart(result.delta, result.precision)
    words = plural(
        f"outcome_{status}",
        lang,
        result.steps,
        gap=setting(details.get("gap", 0.1)),
        steps=result.steps,
        x=full(result.x),
        delta=delta,
        precision=precision,
        eta=f"{result.eta:g}",
        bad=full(details.get("bad", math.nan)),
        cause=cause,
        period=result.period,
        values=t("values_sep", lang).join(full(v) for v in cycle),  # 0.0、11.5 in Chinese
        trend=t(f"trend_{details.get('trend', 'steady')}", lang),
        rounding=rounding,
    ).strip()
    return words + after


CRAWL = 0.9
"""A factor per update from this to 1 is told as a crawl: each update takes a tenth of the distance left or
less (the valley's x at eta 0.05)."""
CYCLE_POINTS = 4
"""Most points of a 2-D cycle written out (then an ellipsis)."""


def explain_plane(result: DescentResult2, surface: Surface, lang: str) -> str:
    """How a 2-D run ended, and why, in ``lang``: the outcome, then what the curvatures did (each
    direction's factor per update on a quadratic, the heavy ball's passes with momentum, the curvatures
    where a crawl stopped on any other surface)."""
    status = str(result.status)
    outcome = _plane_outcome(result, status, lang)
    if status in ("running", "cancelled") or result.steps == 0:
        return outcome
    quadratic = surface.quadratic
    if result.beta:
        more = _momentum(result, quadratic, lang) if quadratic is not None else []
    elif quadratic is not None:
        more = _factors(result.eta, quadratic, lang)
    else:
        more = _crawl_where_stopped(result, status, surface, lang)
    return sentences(outcome, *more, lang=lang)


def _point(x: float, y: float) -> str:
    return f"({true_digits(x)}, {true_digits(y)})"


def _plane_outcome(result: DescentResult2, status: str, lang: str) -> str:
    """The first sentence or two: how the run ended, with the numbers the engine measured."""
    details = result.details
    delta, precision = apart(result.delta, result.precision)
    if status == "converged" and result.steps == 0:
        status = "converged_start"
    fields: dict[str, object] = {
        "steps": result.steps,
        "point": _point(result.x, result.y),
        "delta": delta,
        "precision": precision,
        "gap": setting(result.gap),
        "trend": t(f"trend_{details.get('trend', 'steady')}", lang),
    }
    if status == "diverged":
        gradient = details.get("gradient", (math.nan, math.nan))
        fields["bad"] = _point(*details.get("bad", (result.x, result.y)))
        fields["cause"] = t(
            f"plane_cause_{details.get('cause', 'explode')}",
            lang,
            eta=f"{result.eta:g}",
            point=_point(result.last_x, result.last_y),
            gradient=_point(*gradient),
        )
    elif status == "oscillating":
        xs, ys = result.path.x.tail(result.period), result.path.y.tail(result.period)
        if details.get("rounding"):  # points apart only in their last digits: write every digit
            points = [f"({full(x)}, {full(y)})" for x, y in zip(xs, ys, strict=True)]
        else:
            points = [_point(x, y) for x, y in zip(xs, ys, strict=True)]
        if len(points) > CYCLE_POINTS:
            points = [*points[:CYCLE_POINTS], "…"]
        fields["period"] = result.period
        fields["points"] = t("values_sep", lang).join(points)
        fields["rounding"] = t("plane_outcome_rounding", lang, precision=precision) if details.get("rounding") else ""
    return plural(f"plane_outcome_{status}", lang, result.steps, **fields).strip()


def _curvature(value: float) -> str:
    return f"{value:.4g}"


def _factor(value: float) -> str:
    """A factor per update with the digits that tell it from 1 and -1 (0.9996, never 1; -1.0002, never -1)."""
    return "0" if value == 0 else apart(value, math.copysign(1.0, value))[0]


def _limit(value: float, eta: float) -> str:
    """The largest safe rate in a sentence ("rates below it converge"): three significant digits or more, never
    rounded up past it (2/800.08 is 0.0024997, not 0.0025, which diverges), nor to the rate when it is not."""
    for digits in range(3, 18):
        text = f"{value:.{digits}g}"
        if float(text) <= value and (float(text) == eta) == (value == eta):
            return text
    return full(value)


def _line(direction: Vector) -> str:
    """A direction as the line through the origin that has it, to two digits: y = x, y = -0.01x, x = 0.5y."""
    vx, vy = direction
    name, other, slope = "y", "x", vy / vx if vx else math.inf
    if not abs(float(f"{slope:.2g}")) <= 1:  # steeper than y = x, even to two digits: the other way round
        name, other, slope = "x", "y", vx / vy
    rounded = float(f"{slope:.2g}")
    if rounded in (1.0, -1.0):
        return f"{name} = {'-' if rounded < 0 else ''}{other}"
    return f"{name} = {written(rounded)}{other}"


def _along(quadratic: PlaneQuadratic, which: int, lang: str) -> str:
    """Which way curvature ``which`` (0 the smaller) runs: an axis, or a line through the origin."""
    direction = quadratic.directions[which]
    if quadratic.axis_aligned:
        return t("plane_along", lang, line="x" if direction[0] else "y")
    return t("plane_along", lang, line=_line(direction))


def _behaviour(value: float) -> str:
    """What a factor per update does to the distance along its direction: the key of its words."""
    if value < -1:
        return "bounce_out"
    if value == -1:
        return "bounce_same"
    if value < 0:
        return "bounce_in"
    if value == 0:
        return "at_once"
    if value < CRAWL:
        return "approach"
    return "crawl" if value < 1 else "still"


def _factors(eta: float, quadratic: PlaneQuadratic, lang: str) -> list[str]:
    """Plain descent on a quadratic: each direction's factor per update, 1 - eta*curvature, what it does,
    and what sets the pace or the limit."""
    from .engine.surface import largest_safe_rate  # with the runs told, not the words

    low, high = quadratic.curvatures
    factors = quadratic.factors(eta)
    if low < 0 and quadratic.centre is not None:
        curves_down = t(
            "plane_curves_down",
            lang,
            along=_along(quadratic, 0, lang),
            curvature=_curvature(low),
            factor=_factor(factors[0]),
        )
        return [curves_down]
    if not low > 0:
        return []  # flat one way (a curvature of 0): no bottom to measure a distance to
    order = (1,) if quadratic.round else (1, 0)  # the steeper first
    parts = [
        t(
            "plane_factor",
            lang,
            along=t("plane_every_direction", lang) if quadratic.round else _along(quadratic, i, lang),
            curvature=_curvature(quadratic.curvatures[i]),
            factor=_factor(factors[i]),
            behaviour=t(f"plane_behaviour_{_behaviour(factors[i])}", lang),
        )
        for i in order
    ]
    told = [t("plane_factors", lang, parts=t("plane_parts_sep", lang).join(parts))]
    limit = largest_safe_rate(high)
    assert limit is not None  # high >= low > 0
    limit_text = _limit(limit, eta)
    if min(factors) <= -1:
        told.append(t("plane_limit", lang, curvature=_curvature(high), limit=limit_text))
    elif not quadratic.round:
        sizes = [_factor(abs(f)) for f in factors]
        slow = max((0, 1), key=lambda i: abs(factors[i]))
        key = "plane_pace_even" if sizes[0] == sizes[1] else "plane_pace"  # the best rate, 2/(low + high)
        along = _along(quadratic, slow, lang)
        told.append(
            t(key, lang, factor=_factor(factors[slow]), along=along, curvature=_curvature(high), limit=limit_text)
        )
    return told


def _momentum(result: DescentResult2, quadratic: PlaneQuadratic, lang: str) -> list[str]:
    """The heavy ball on a quadratic: the plain factors do not apply; how often it went past the bottom
    along each direction, counted on its path (when the path is whole and the surface a bowl)."""
    beta = f"{result.beta:g}"
    told = [t("plane_momentum", lang, beta=beta)]
    if not (result.path.whole and quadratic.curvatures[0] > 0):
        return told
    xs, ys = result.path.values()
    finite = [(x, y) for x, y in zip(xs, ys, strict=True) if math.isfinite(x) and math.isfinite(y)]
    crossings = quadratic.crossings([x for x, _ in finite], [y for _, y in finite])
    if crossings is None:
        return told
    told.append(
        t(
            "plane_momentum_crossings",
            lang,
            steep=plural("plane_times", lang, crossings[1], n=crossings[1]),
            steep_along=_along(quadratic, 1, lang),
            flat=plural("plane_times", lang, crossings[0], n=crossings[0]),
            flat_along=_along(quadratic, 0, lang),
        )
    )
    return told


def _crawl_where_stopped(result: DescentResult2, status: str, surface: Surface, lang: str) -> list[str]:
    """On a surface that is not a quadratic, the curvatures where a crawl stopped (converged, or the
    update limit with steps still shrinking): the flatter one's factor near 1 is why the steps were
    small while the steps still to come add up to many of them. Nothing when that is not what happened."""
    from .engine.surface import factor, largest_safe_rate, steps_to_come  # with the runs told, not the words

    if not (status == "converged" or (status == "max_iter" and result.details.get("trend") == "shrinking")):
        return []
    curvatures = surface.curvatures_at(result.x, result.y)
    if curvatures is None or not all(math.isfinite(k) and k > 0 for k in curvatures):
        return []
    low, high = curvatures
    per_update = factor(result.eta, low)
    limit = largest_safe_rate(high)
    if not CRAWL <= per_update < 1 or limit is None:
        return []
    return [
        t(
            "plane_crawl_here",
            lang,
            low=_curvature(low),
            high=_curvature(high),
            limit=_limit(limit, result.eta),
            factor=_factor(per_update),
            delta=apart(result.delta, result.precision)[0],  # as the outcome writes it
            rest=f"{steps_to_come(result.delta, per_update):.2g}",
        )
    ]


DURATIONS = (("years", 365.25 * 86400), ("days", 86400.0), ("hours", 3600.0), ("minutes", 60.0), ("seconds", 1.0))


def duration(seconds: float, lang: str) -> str:
    """A long time in its largest unit, to two significant digits (``28 hours``, ``19 minutes``)."""
    for unit, size in DURATIONS:
        if seconds >= size or unit == "seconds":
            value = seconds / size
            return t(f"duration_{unit}", lang, n=f"{value:,.0f}" if value >= 10 else f"{value:.2g}")
    raise AssertionError  # the loop ends with seconds


def data_size(numbers: int) -> str:
    """How much memory ``numbers`` float64 numbers take, in round units (``80 GB``)."""
    size = 8.0 * numbers
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size / 1e3:.3g} kB"


def race_winner(winner: str, lang: str) -> str:
    """The faster method of a race's row (``normal`` or ``gd``), in a word."""
    return t(f"race_winner_{winner}", lang)


def _exponent(value: float) -> str:
    return f"{round(value, 1) or 0.0:.1f}"  # no -0.0


def _growth_lines(summary: RaceSummary, lang: str) -> list[str]:
    """How each time grew, as a law only where the engine judged the fit one; else that the timings
    were too noisy, and why (the engine's code)."""
    low, high = summary.fitted_on[0], summary.fitted_on[-1]
    fits = [g for g in (summary.normal, summary.gd) if g is not None]
    if all(g.is_law for g in fits):
        normal, gd = (_exponent(g.exponent) for g in fits)
        return [t("race_growth", lang, low=low, high=high, normal=normal, gd=gd)]
    lines = []
    for g in fits:
        method = t(f"race_method_{g.method}", lang)
        key = "race_growth_one" if g.is_law else f"race_noisy_{g.fit}"
        spread = f"{math.expm1(g.disagreement):.0%}"
        lines.append(
            t(key, lang, low=low, high=high, method=method, exponent=_exponent(g.exponent), cost=g.cost, spread=spread)
        )
    return lines


def race_lines(summary: RaceSummary, lang: str) -> list[str]:
    """What a race's rows say, one sentence a line: the growth, the crossover, the check against
    lstsq and the extrapolation (the lines that the rows measured so far allow)."""
    rows = summary.rows
    lines = []
    if summary.normal is not None and summary.gd is not None:
        lines.extend(_growth_lines(summary, lang))
    if rows:
        if summary.crossover is not None:
            lines.append(t("race_crossover", lang, n=summary.crossover))
        elif rows[-1].winner == "gd":
            lines.append(t("race_gd_everywhere", lang))
        else:
            lines.append(t("race_normal_at_end", lang))
        normal_error = max(r.normal_error for r in rows)
        gd_error = max(r.gd_error for r in rows)
        lines.append(t("race_checked", lang, normal=f"{normal_error:.1g}", gd=f"{gd_error:.1g}"))
    far = summary.extrapolation
    if far is not None:
        lines.append(
            t(
                "race_extrapolated",
                lang,
                features=far.features,
                samples=far.samples,
                normal=duration(far.normal_seconds, lang),
                gd=duration(far.gd_seconds, lang),
                updates=far.gd_updates,
                gram=data_size(far.costs.gram_numbers),
                data=data_size(far.costs.data_numbers),
            )
        )
    return lines
