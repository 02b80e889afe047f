"""Questions as templates: the values a question's run may take, drawn anew for each attempt.

A question about a run may say ``vary: {x0: [2, 4, 6], eta: [0.05, 0.1]}``: each learner's attempt at
the lesson, and each review round, draws one value of each, and the engine answers that instance, so a
number remembered from an earlier attempt is no answer. The prompt names the drawn values (``{x0}``).
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator
from typing import Annotated, ClassVar

from msgspec import Meta, Struct

from ..engine.params import NUMBERS, Eta, Precision, Start, Updates
from ..numbers import written
from .text import Text


class Numbers(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A named number a template draws for its formula (not a run's parameter): ``{name: seconds,
    values: [2, 3, 7]}``."""

    topic: ClassVar[str] = "numbers"
    name: Annotated[str, Meta(pattern=r"^[a-z][a-z_]{0,19}$")]
    values: Annotated[tuple[float, ...], Meta(min_length=1, max_length=16)]


class Vary(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The values a template draws from: the run's parameters (each list has up to 16 values), and
    named numbers for a formula."""

    topic: ClassVar[str] = "vary"
    MOST: ClassVar[int] = 64
    """Most instances a template may have: the checker runs every one."""

    eta: Annotated[tuple[Eta, ...], Meta(max_length=16)] = ()
    precision: Annotated[tuple[Precision, ...], Meta(max_length=16)] = ()
    x0: Annotated[tuple[Start, ...], Meta(max_length=16)] = ()
    max_iter: Annotated[tuple[Updates, ...], Meta(max_length=16)] = ()
    numbers: Annotated[tuple[Numbers, ...], Meta(max_length=4)] = ()

    def run_names(self) -> list[str]:
        """The run's parameters that vary, in the order of the run's parameters."""
        return [name for name in NUMBERS if getattr(self, name, None)]

    def number_names(self) -> list[str]:
        """The named numbers, in the order given."""
        return [n.name for n in self.numbers or () if n is not None]

    def names(self) -> list[str]:
        """Everything that varies: the run's parameters, then the named numbers."""
        return [*self.run_names(), *self.number_names()]

    def choices(self, name: str) -> tuple[float, ...]:
        """The values ``name`` is drawn from."""
        if name in NUMBERS:
            return tuple(getattr(self, name))
        return next(n.values for n in self.numbers if n.name == name)

    def count(self) -> int:
        """How many instances can be drawn."""
        total = 1
        for name in self.names():
            total *= len(self.choices(name))
        return total

    def instances(self) -> Iterator[dict[str, float]]:
        """Every combination of values, in order."""
        names = self.names()
        for combo in itertools.product(*(self.choices(name) for name in names)):
            yield dict(zip(names, combo, strict=True))

    @classmethod
    def drawn(cls, values: dict[str, float]) -> Vary:
        """The ``vary`` of an instance: each drawn value alone."""
        import msgspec

        fields: dict[str, object] = {name: [value] for name, value in values.items() if name in NUMBERS}
        fields["numbers"] = [{"name": name, "values": [v]} for name, v in values.items() if name not in NUMBERS]
        return msgspec.convert(fields, cls)

    def draw(self, seed: str) -> dict[str, float]:
        """One value of each, the same for the same seed."""
        rng = random.Random(seed)  # noqa: S311 (which numbers a question asks is no secret)
        return {name: rng.choice(self.choices(name)) for name in self.names()}


def value_text(name: str, value: float) -> str:
    """A value as a learner reads it in a prompt, as a person would type it: ``0.00001``, not ``1e-05``;
    a run's last step to 3 significant digits (``0.0000916``), enough to reason from."""
    if name in ("max_iter", "steps", "given_steps"):
        return str(int(value))
    return written(float(f"{value:.3g}") if name.endswith("last_step") else value)


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
