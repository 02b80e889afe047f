"""What the tutor tells of the engine's results: which facts and which numbers a run's outcome, a refused
parameter or expression and a race's rows are told with. The engine gives codes and numbers and imports
nothing of gdtutor; the catalogues (:mod:`gdtutor.i18n`) give the sentences; the choice between them
(which sentence, which of the run's facts, how many digits) is made here, once, for the app, the
lessons and the command line.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .i18n import expression_words, plural, t
from .numbers import apart, full, setting

if TYPE_CHECKING:
    from .engine.descent import DescentResult
    from .engine.expr import ExpressionError
    from .engine.params import ParameterProblem
    from .engine.regression import RaceSummary


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


def explain(result: DescentResult, lang: str) -> str:
    """How a run ended, and why, in ``lang``: the words the lecture's loop never says."""
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
