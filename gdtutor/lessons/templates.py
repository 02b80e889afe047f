"""Questions as templates: the values a question's run may take, drawn anew for each attempt.

A question about a run may say ``vary: {x0: [2, 4, 6], eta: [0.05, 0.1]}``: each learner's attempt at
the lesson, and each review round, draws one value of each, and the engine answers that instance, so a
number remembered from an earlier attempt is no answer. The prompt names the drawn values (``{x0}``).
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, ClassVar

from msgspec import Meta, Struct

from ..engine.params import NUMBERS, Eta, Precision, Start, Updates
from .text import Text


class Vary(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The values a template's run draws from, per parameter (each list has 2 to 16 values)."""

    topic: ClassVar[str] = "vary"
    MOST: ClassVar[int] = 64
    """Most instances a template may have: the checker runs every one."""

    eta: Annotated[tuple[Eta, ...], Meta(max_length=16)] = ()
    precision: Annotated[tuple[Precision, ...], Meta(max_length=16)] = ()
    x0: Annotated[tuple[Start, ...], Meta(max_length=16)] = ()
    max_iter: Annotated[tuple[Updates, ...], Meta(max_length=16)] = ()

    def names(self) -> list[str]:
        """The parameters that vary, in the order of the run's parameters."""
        return [name for name in NUMBERS if getattr(self, name, None)]

    def count(self) -> int:
        """How many instances can be drawn."""
        total = 1
        for name in self.names():
            total *= len(getattr(self, name))
        return total

    def instances(self) -> Iterator[dict[str, float]]:
        """Every combination of values, in order."""
        names = self.names()
        for combo in itertools.product(*(getattr(self, name) for name in names)):
            yield dict(zip(names, combo, strict=True))

    @classmethod
    def drawn(cls, values: dict[str, float]) -> Vary:
        """The ``vary`` of an instance: each drawn value alone."""
        import msgspec

        return msgspec.convert({name: [value] for name, value in values.items()}, cls)

    def draw(self, seed: str) -> dict[str, float]:
        """One value of each, the same for the same seed."""
        rng = random.Random(seed)  # noqa: S311 (which numbers a question asks is no secret)
        return {name: rng.choice(getattr(self, name)) for name in self.names()}


def plain_number(value: float) -> str:
    """A number as a person writes it, without an exponent where a few zeros do: 0.00005, not 5e-05."""
    text = f"{value:g}"
    if "e" in text and math.isfinite(value) and 1e-12 <= abs(value) < 1e6:
        text = format(Decimal(text), "f")
    return text


def value_text(name: str, value: float) -> str:
    """A value as a learner reads it in a prompt, as a person would type it: ``0.00001``, not ``1e-05``;
    a run's last step to 3 significant digits (``0.0000916``), enough to reason from."""
    if name in ("max_iter", "steps", "given_steps"):
        return str(int(value))
    return plain_number(float(f"{value:.3g}") if name.endswith("last_step") else value)


def values_text(values: dict[str, float]) -> str:
    """Drawn values in a line: 'eta = 0.1, x0 = 4'."""
    return ", ".join(f"{name} = {value_text(name, value)}" for name, value in values.items())


def fill(text: Text, values: dict[str, float]) -> Text:
    """``text`` with each ``{name}`` of a drawn value written in (other braces are left as they are)."""
    pattern = re.compile(r"\{(" + "|".join(map(re.escape, values)) + r")\}")
    return {
        lang: pattern.sub(lambda m: value_text(m.group(1), values[m.group(1)]), words) for lang, words in text.items()
    }


def read_instance(stored: str | None) -> dict[str, float] | None:
    """A template's instance as kept with an answer (JSON), or None when there is none or it cannot be
    read (a store edited by hand): only numbers are taken."""
    if not stored:
        return None
    try:
        values = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(values, dict):
        return None
    return {str(k): float(v) for k, v in values.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def instance_text(values: dict[str, float] | None) -> str | None:
    """An instance as kept with an answer (None for a question that is no template)."""
    return json.dumps(values) if values else None
