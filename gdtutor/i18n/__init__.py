"""The tutor's words: one catalogue per language (``en.py``, ``zh.py``), chosen from the locale.

Every text gdtutor shows comes from here by key: the app, the command line, the engine's outcomes and
refusals (the engine gives codes and numbers), chart titles, the code view's comments, the names and
help of keys. The two catalogues have the same keys and the same fields in each text, which a test
keeps so. This package imports nothing else of gdtutor: every layer may use it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from . import en, zh

if TYPE_CHECKING:
    from ..engine.expr import ExpressionError
    from ..engine.params import Problem
    from ..engine.regression import RaceSummary

LANGUAGES = ("en", "zh")
CATALOGUES: dict[str, dict[str, str]] = {"en": en.WORDS, "zh": zh.WORDS}


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale says Chinese (``zh_CN.UTF-8`` and the like), else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(key: str, lang: str, /, **fields: object) -> str:
    """The text ``key`` in ``lang`` (English for a language gdtutor does not have), with ``fields``."""
    return CATALOGUES.get(lang, en.WORDS)[key].format(**fields)


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return key in en.WORDS


def fmt(value: float) -> str:
    """A float as a learner reads it: full precision, inf and nan spelled as Python prints them."""
    return repr(float(value))


def short(value: float) -> str:
    """A number in few characters (``0.001``, ``1e-05``, ``1,000,000``), for bounds and settings."""
    if math.isfinite(value) and value == int(value) and abs(value) >= 1000:
        return f"{int(value):,}"
    return f"{value:g}"


def status_name(status: str, lang: str) -> str:
    """A run's outcome as a short word in ``lang`` (``status`` is a Status or its value)."""
    return t(f"status_{status}", lang)


def listing(parts: Sequence[str], lang: str) -> str:
    """Parts joined the way ``lang`` lists them."""
    return t("list_sep", lang).join(parts)


def expression_error(error: ExpressionError, lang: str) -> str:
    """A refused expression in words, with the column it points at."""
    return expression_words(error.code, error.column, error.fields, lang)


def expression_words(code: str, column: int | None, fields: Mapping[str, object], lang: str) -> str:
    """A refusal of the expression parser (``expr_<code>``), with its column."""
    message = t(f"expr_{code}", lang, **fields)
    return t("expr_column", lang, column=column, message=message) if column else message


def lesson_problem(code: str, fields: Mapping[str, Any], lang: str) -> str:
    """A problem in a lesson file (``lesson_<code>``); see :mod:`gdtutor.lessons.problem` for the
    fields that are parts of sentences."""
    shown = dict(fields)
    if "where" in shown:
        shown["where"] = _where(shown["where"], lang)
    if "what" in shown:
        kind, *value = shown["what"]
        shown["what"] = t(f"value_{kind}", lang, value=value[0] if value else "")
    if "doc" in shown:
        shown["doc"] = t(shown["doc"], lang)
    if "error" in shown:
        error = shown["error"]
        shown["error"] = expression_words(error["code"], error["column"], error["fields"], lang)
    return t(f"lesson_{code}", lang, **shown)


def _where(steps: Sequence[Sequence[Any]], lang: str) -> str:
    words = ""
    for step, *value in steps:
        if step == "lesson":
            words = t("where_lesson", lang)
        elif step == "key":
            words = t("where_key", lang, key=value[0])
        elif step == "item":
            words = t("where_item", lang, where=words, n=value[0])
        else:
            words = t(f"where_{step}", lang, where=words, kind=value[0] if value else "")
    return words


def param_problem(problem: Problem, lang: str) -> str:
    """Why a parameter cannot be used (without the parameter's name: the caller puts it first)."""
    if problem.error is not None:
        return expression_error(problem.error, lang)
    low = short(problem.low) if problem.low is not None else ""
    high = short(problem.high) if problem.high is not None else ""
    return t(f"param_{problem.code}", lang, value=problem.value, low=low, high=high)


class Outcome(Protocol):
    """What :func:`explain` reads of a run's result (:class:`gdtutor.engine.DescentResult`)."""

    @property
    def status(self) -> str: ...
    @property
    def steps(self) -> int: ...
    @property
    def x(self) -> float: ...
    @property
    def eta(self) -> float: ...
    @property
    def precision(self) -> float: ...
    @property
    def period(self) -> int: ...
    @property
    def trace(self) -> Sequence[float]: ...
    @property
    def details(self) -> dict[str, Any]: ...
    @property
    def last_x(self) -> float: ...

    @property
    def delta(self) -> float: ...


def explain(result: Outcome, lang: str) -> str:
    """How a run ended, and why, in ``lang``: the words the lecture's loop never says."""
    details = result.details
    cycle = sorted(set(result.trace[-1 - result.period : -1])) if result.period else []
    rounding = ""
    if details.get("rounding"):
        rounding = t("outcome_rounding", lang, precision=f"{result.precision:g}", x=fmt(result.x))
    cause = t(
        f"cause_{details.get('cause', 'explode')}",
        lang,
        eta=f"{result.eta:g}",
        last_x=fmt(result.last_x),
        gx=fmt(details.get("gx", math.nan)),
    )
    return t(
        f"outcome_{result.status}",
        lang,
        steps=result.steps,
        x=fmt(result.x),
        delta=f"{result.delta:.3g}",
        precision=f"{result.precision:g}",
        eta=f"{result.eta:g}",
        bad=fmt(details.get("bad", math.nan)),
        cause=cause,
        period=result.period,
        values=", ".join(fmt(v) for v in cycle),
        trend=t(f"trend_{details.get('trend', 'steady')}", lang),
        rounding=rounding,
    ).strip()


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


def race_lines(summary: RaceSummary, lang: str) -> list[str]:
    """What a race's rows say, one sentence a line: the growth, the crossover, the check against
    lstsq and the extrapolation (the lines that the rows measured so far allow)."""
    rows = summary.rows
    lines = []
    if summary.normal is not None and summary.gd is not None:
        low, high = summary.fitted_on[0], summary.fitted_on[-1]
        normal, gd = (f"{round(g.exponent, 1) or 0.0:.1f}" for g in (summary.normal, summary.gd))  # no -0.0
        lines.append(t("race_growth", lang, low=low, high=high, normal=normal, gd=gd))
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
