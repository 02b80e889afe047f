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

from ..numbers import apart, full, setting
from . import en, zh

if TYPE_CHECKING:
    from ..engine.expr import ExpressionError
    from ..engine.params import ParameterProblem
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


def plural(key: str, lang: str, n: float, /, **fields: object) -> str:
    """The text ``key`` for a count ``n``: ``<key>_one`` when ``n`` is 1 and the catalogue has one
    ("1 update", "1 try"), else ``key``."""
    return t(f"{key}_one" if n == 1 and has(f"{key}_one") else key, lang, **fields)


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return key in en.WORDS


def status_name(status: str, lang: str) -> str:
    """A run's outcome as a short word in ``lang`` (``status`` is a Status or its value)."""
    return t(f"status_{status}", lang)


def listing(parts: Sequence[str], lang: str) -> str:
    """Parts joined the way ``lang`` lists them."""
    return t("list_sep", lang).join(parts)


def sentences(*parts: str, lang: str) -> str:
    """Sentences one after the other: a space between them in English, none after Chinese punctuation."""
    return t("sentence_sep", lang).join(part for part in parts if part)


FULL_WIDTH_ENDS = "。！？：；，"
"""Chinese punctuation that ends a lead ('不太对。', '提示 1/2：')."""


def lead(text: str, lang: str) -> str:
    """Words that lead a line, in markdown bold, ready for what follows: '**Not quite.** ' in English;
    '**不太对**。' in Chinese, the full-width punctuation outside the bold and no space after it
    (markdown's bold cannot end on punctuation that a letter follows, which is why a space was there)."""
    if lang == "zh" and text and text[-1] in FULL_WIDTH_ENDS:
        return f"**{text[:-1]}**{text[-1]}"
    return f"**{text}** "


def labelled(label: str, value: str, lang: str) -> str:
    """'label: value' with the colon of ``lang`` (full-width in Chinese, with no space after it)."""
    return f"{label}{t('label_sep', lang)}{value}"


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
    # a value quoted from the file is cut to a line: a 5,000-digit number took 66 rows of the list
    shown: dict[str, Any] = {name: quote(v) if isinstance(v, str) else v for name, v in fields.items()}
    if "what" in shown:
        kind, *value = shown["what"]
        shown["what"] = (kind, *(quote(v) if isinstance(v, str) else v for v in value))
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


QUOTE = 60
"""Most characters of a value quoted from a file."""


def quote(value: str, limit: int = QUOTE) -> str:
    """``value`` on one line, cut to ``limit`` characters (with an ellipsis) when longer."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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


def param_problem(problem: ParameterProblem, lang: str) -> str:
    """Why a parameter cannot be used (without the parameter's name: the caller puts it first)."""
    if problem.error is not None:
        return expression_error(problem.error, lang)
    if problem.field == "eta" and problem.code == "not_positive" and problem.value.strip().startswith("-"):
        return t("param_eta_uphill", lang, value=problem.value)
    low = setting(problem.low) if problem.low is not None else ""
    high = setting(problem.high) if problem.high is not None else ""
    return t(f"param_{problem.code}", lang, value=problem.value, low=low, high=high)


class Tail(Protocol):
    """The end of a run's path (:class:`gdtutor.engine.path.Path`)."""

    def tail(self, count: int) -> Sequence[float]: ...


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
    def path(self) -> Tail: ...
    @property
    def details(self) -> dict[str, Any]: ...
    @property
    def last_x(self) -> float: ...

    @property
    def delta(self) -> float: ...


FAR_SLOPE = 0.1
"""A run that stops with |g(x)| at least this large is told that the slope there is far from 0: the
exit test measured the step eta * |g(x)|, not the slope (stopping steps of the lecture's rates, 0.01 and
above, leave |g(x)| below 0.01)."""


def explain(result: Outcome, lang: str) -> str:
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
