"""How numbers are written for the learner, one function for each purpose, in one place.

- :func:`full`: every digit of the float, as the lecture's loop prints it (5.749608675278042, inf).
- :func:`exact`: as short as it can be written and still be the same float, as it was typed (0.1,
  1e-05, 1.0000001): run labels and field values.
- :func:`setting`: a setting or bound in few characters, thousands with commas (0.001, 1,000,000).
- :func:`rounded`: a value rounded to ``digits`` significant digits, for a margin or a status line.
- :func:`apart`: two numbers with just the digits that show how they compare (9.78e-05 < 0.0001).
- :func:`true_digits`: six significant digits, more when six would round to a shorter number the value
  is not (an answer or a verdict: 5.749996, never 5.75).
- :func:`written`: as a person writes it in a sentence, no exponent where a few zeros do (0.00005, 24,000).
- :func:`tick_label`: two digits for a chart's axis (4.6e9).
- :func:`sweep_rates`: a sweep's rates, each told from its neighbours (0.0405, not 0.04051282051282051).

The expression language writes its own numbers (``engine.expr.format_number``), kept in the engine,
which is to import nothing outside itself (it still calls ``gdtutor.i18n`` for its words today).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from decimal import Decimal


def full(value: float) -> str:
    """A float as a learner reads it: full precision, inf and nan spelled as Python prints them."""
    return repr(float(value))


def exact(value: float) -> str:
    """A number as short as it can be written without changing it (1e-05, 0.1, 1.0000001)."""
    short_text = f"{value:g}"
    return short_text if float(short_text) == value else repr(float(value))


def setting(value: float) -> str:
    """A number in few characters (``0.001``, ``1e-05``, ``1,000,000``), for bounds and settings."""
    if math.isfinite(value) and value == int(value) and abs(value) >= 1000:
        return f"{int(value):,}"
    return f"{value:g}"


def rounded(value: float, digits: int = 10) -> str:
    """A float in few characters, for the margin of the code and the status line."""
    if not math.isfinite(value):
        return repr(value)
    return f"{value:.{digits}g}"


def apart(value: float, other: float, digits: int = 3) -> tuple[str, str]:
    """Two numbers with the fewest significant digits (at least ``digits``) that show how they compare:
    a step of 0.0000999 beside a precision of 0.0001 is not written 0.0001 < 0.0001."""
    for places in range(digits, 18):
        a, b = f"{value:.{places}g}", f"{other:.{places}g}"
        if (a == b) == (value == other) and (float(a) < float(b)) == (value < other):
            return a, b
    return repr(float(value)), repr(float(other))


def true_digits(value: float) -> str:
    """A number in an answer or a verdict: six significant digits, and more when six would round it to a
    shorter number it is not (5.749996390666503 is 5.749996, never 5.75: a run does not reach 5.75); the
    number's own shortest text when that is shorter still (the subnormal 1e-323, not 9.88131e-324)."""
    text = f"{value:.6g}"
    digits = 6
    while (
        math.isfinite(value) and abs(float(text) - value) > 1e-9 * abs(value) and _significant(text) < 6 and digits < 12
    ):
        digits += 1
        text = f"{value:.{digits}g}"
    shortest = repr(float(value))
    return shortest if len(shortest) < len(text) else text


def _significant(text: str) -> int:
    """How many significant digits a number written by ``format(..., "g")`` shows."""
    mantissa = text.lstrip("+-").split("e")[0].replace(".", "")
    return len(mantissa.lstrip("0"))


def written(value: float) -> str:
    """A number as a person writes it, without an exponent where a few zeros do: 0.00005, not 5e-05;
    a whole number of thousands with its commas, as the lessons write them (24,000)."""
    if math.isfinite(value) and value == int(value) and abs(value) >= 1000:
        return f"{int(value):,}"
    text = f"{value:g}"
    if "e" in text and math.isfinite(value) and 1e-12 <= abs(value) < 1e6:
        text = format(Decimal(text), "f")
    return text


def tick_label(value: float) -> str:
    """A large value in two digits for an axis: 4.6e9, -3e5, 11."""
    mantissa, _, power = f"{value:.2g}".partition("e")
    return f"{mantissa}e{int(power)}" if power else mantissa


def sweep_rates(etas: Sequence[float]) -> list[str]:
    """A sweep's learning rates as a person types them: each in the fewest significant digits that put
    it within half a unit of the third significant digit of the smallest step between neighbouring
    rates (40 rates from 0.01 to 1.2, 0.0305 apart: 0.01, 0.0405, 0.071, 0.1015, ...), not the float's
    whole digits (0.04051282051282051). So every rate is told from its neighbours, the steps read right
    to three digits, and a rate that is a short decimal is written so (0.4, 1e-05). A lone rate, whose
    step there is none, is written exactly."""
    values = [float(eta) for eta in etas]
    distinct = sorted(set(values))
    if len(distinct) < 2:
        return [full(v) for v in values]
    step = min(b - a for a, b in itertools.pairwise(distinct))
    near = 10.0 ** (math.floor(math.log10(step)) - 2) / 2
    texts = {}
    for v in distinct:
        shown = next(r for r in (float(f"{v:.{d}g}") for d in range(1, 18)) if abs(r - v) <= near or r == v)
        texts[v] = full(shown)
    if len(set(texts.values())) < len(distinct):  # never, but for rates a float's last digit apart
        return [full(v) for v in values]
    return [texts[v] for v in values]
