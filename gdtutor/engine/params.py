"""A run's parameters, declared once: fields, defaults, limits, the random start and the checks.

Everything that builds or checks a run goes through this module: ``gdtutor run`` and ``sweep``, the lab,
the lesson format (whose JSON Schema and validation come from these types) and the grading of answers
that depend on a run. Each bound is written once, in :data:`RULES`; the types the lesson format uses
carry the same bounds as msgspec constraints, made from the rules.

No numpy here (the random start loads it when it draws), so that reading lessons for the lesson list
does not wait for numpy. No words either: a problem is a field, a code and numbers, worded by
:mod:`gdtutor.telling`.
"""

import dataclasses
import functools
import math
import numbers
import re
import secrets
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, get_args

import msgspec
from msgspec import Meta, Struct

from .lecture import LECTURE_FUNCTION

if TYPE_CHECKING:  # the parser is loaded when an expression is read, not with the parameters
    from .expr import ExpressionError
    from .function import Function
    from .surface import Surface

MAX_UPDATES: Final = 1_000_000
"""The update limit of every run in the tutor (``run``, ``sweep``, the lab, lessons).

A run keeps its whole path, 8 bytes an update in the engine and more where it is drawn, and a lab runs
up to four at once: a million updates is about 2 s of computing on the development machine and
thousands of times the lecture's slowest run (350 updates at eta 0.01), enough for every rate a lesson
teaches with (eta 1e-4 needs about 93,000 updates at precision 1e-12)."""
MAX_SEED: Final = 2**32 - 1
"""Largest seed of the random start (numpy's RandomState takes 32 bits)."""
MAX_COMPARE: Final = 3
"""Most learning rates a lab runs beside eta, on the same charts."""
MAX_NUMBERS: Final = 32_000_000
"""Largest data set the regression race generates (rows times features): 256 MB of float64, the
race's largest (2,000 features, 16,000 rows)."""

RACE_FEATURES: Final = (125, 250, 500, 1000, 2000)
"""The normal-equation race's sizes (features), doubling: the small end is the normal equation's, the
large end gradient descent's on the machines it was measured on (README, Performance). Declared here,
with the light parameters, because the lesson format takes them as its defaults."""
RACE_SAMPLES_PER_FEATURE: Final = 8
"""Rows per feature in the race. With 8, the eigenvalues of X^T X / n lie between about 0.42 and 1.83
(Marchenko-Pastur), so gradient descent needs about 25 updates at every size; fewer rows per feature
make X^T X worse conditioned (singular below 1), more make every size larger."""

DEFAULT_ETA: Final = 0.1
"""The lecture's first learning rate."""
DEFAULT_PRECISION: Final = 1e-4
"""The lecture's precision: the loop stops when an update moves x by less than this."""
DEFAULT_MAX_ITER: Final = 10_000
"""Most updates a run makes before it stops with ``max_iter``, unless told otherwise."""
DEFAULT_GAP: Final = 0.1
"""What the lecture's ``last_x`` starts as, relative to x0 (``last_x = x0 + gap``)."""
START_RANGE: Final = (0, 12)
"""The lecture's random start: ``np.random.randint(0, 12, size=1)[0]``."""

Outcome = Literal["converged", "diverged", "oscillating", "max_iter"]
"""How a run can end by itself (the values of ``descent.Status`` that a learner predicts and a goal
asks for)."""
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

NUMBERS: Final = ("eta", "precision", "x0", "max_iter", "y0", "beta")
"""The numeric parameters a lesson may let the learner change, and give limits for (``y0`` and ``beta``
belong to a function of x and y, the 2-D lab)."""
PLANE_ONLY: Final = ("y0", "beta")
"""The parameters only a function of x and y has: its start's y, and the heavy ball's momentum."""
EDITABLE: Final = ("function", *NUMBERS)
"""Every parameter a lesson may let the learner change."""
Editable = Literal["function", "eta", "precision", "x0", "max_iter", "y0", "beta"]
Number = Literal["eta", "precision", "x0", "max_iter", "y0", "beta"]
LoopPart = Literal["exit", "remember", "update"]
"""The parts of the lecture's loop a learner may write: the exit condition, what last_x remembers,
the update (see :mod:`gdtutor.engine.loop`)."""


Expression = Annotated[str, Meta(extra={"expression": True})]
"""Text of a function of x, or of x and y, parsed by :mod:`gdtutor.engine.expr` (never by Python)."""
Eta = Annotated[float, Meta(gt=0)]
Precision = Annotated[float, Meta(gt=0)]
Start = float
Updates = Annotated[int, Meta(ge=1, le=MAX_UPDATES)]
Seed = Annotated[int, Meta(ge=0, le=MAX_SEED)]
Momentum = Annotated[float, Meta(ge=0, le=1)]
"""The heavy ball's beta in the 2-D loop (``vx = beta*vx - eta*gx``): 0 is plain gradient descent, 1 a
ball without friction."""
TYPES: Final[dict[str, Any]] = {
    "eta": Eta,
    "precision": Precision,
    "x0": Start,
    "y0": Start,
    "gap": float,
    "max_iter": Updates,
    "seed": Seed,
    "beta": Momentum,
}
"""Every numeric parameter's type and bounds, the only place they are written: the models below carry
them (and so the lesson format and its JSON Schema), and :func:`read_number` reads them from here."""


@dataclass(frozen=True)
class Rule:
    """What a numeric parameter may be: finite always; whole, above or within bounds as its type says."""

    whole: bool = False
    gt: float | None = None
    ge: float | None = None
    le: float | None = None

    @classmethod
    def of(cls, t: Any) -> "Rule":
        """The rule a type states: ``Annotated[int, Meta(ge=1, le=...)]`` is a whole number in bounds."""
        base, *extras = get_args(t) or (t,)
        meta = next((m for m in extras if isinstance(m, Meta)), Meta())
        return cls(base is int, meta.gt, meta.ge, meta.le)


RULES: Final[dict[str, Rule]] = {name: Rule.of(t) for name, t in TYPES.items()}
Range = Annotated[tuple[float, float], Meta(extra={"range": True})]
"""[lowest, highest], both included."""


class Parameters(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What every run is made of: the function, the learning rate, the exit condition, the limit."""

    function: Expression = LECTURE_FUNCTION
    derivative: Expression | None = None
    eta: Eta
    precision: Precision = DEFAULT_PRECISION
    max_iter: Updates = DEFAULT_MAX_ITER

    def make_function(self) -> "Function":
        """f and g (the lecture's function comes with the lecture's g); for a function of x alone."""
        from .function import Function

        return Function.coerce(self.function, self.derivative)

    def make_surface(self) -> "Surface":
        """f(x, y) and its gradient; for a function of x and y (:attr:`plane`)."""
        from .surface import Surface

        return Surface(self.function)

    @property
    def plane(self) -> bool:
        """Whether the function is one of x and y (the 2-D loop), not of x alone (False for a text that
        does not parse: making its function says why)."""
        return _plane_or_not(self.function)


class Run(Parameters, frozen=True, kw_only=True):
    """One descent from a fixed start: what a question runs, grades and shows. ``y0`` and ``beta``
    belong to a function of x and y."""

    x0: Start
    y0: Start | None = None
    beta: Momentum = 0.0


class Setup(Parameters, frozen=True, kw_only=True):
    """A lab's parameters: a start that may be random (with a seed), and rates compared beside eta."""

    x0: Start | None = None
    y0: Start | None = None
    beta: Momentum = 0.0
    seed: Seed | None = None
    compare: Annotated[tuple[Eta, ...], Meta(max_length=MAX_COMPARE)] = ()

    @classmethod
    def of(cls, params: Parameters) -> "Setup":
        """The setup of a run, or of anything with a run's parameters (a lesson's lab, a question's run)."""
        return cls(**{name: getattr(params, name) for name in cls.__struct_fields__ if hasattr(params, name)})

    @property
    def random(self) -> bool:
        """Whether the start is the lecture's random guess rather than a fixed x0 (for a function of x
        and y: whether either coordinate is drawn)."""
        return self.x0 is None or (self.y0 is None and self.plane)

    def seeded(self) -> "Setup":
        """This setup with a seed drawn for a random start that has none (a new start each time)."""
        if self.random and self.seed is None:
            return msgspec.structs.replace(self, seed=new_seed())
        return self

    def start(self) -> float:
        """x0, or the lecture's random integer for the seed (call :meth:`seeded` first for a new one)."""
        return float(self.x0) if self.x0 is not None else float(random_start(self.seed))

    def start_point(self) -> tuple[float, float]:
        """(x0, y0) of a function of x and y: each one given, or drawn as the lecture draws x0 (the seed's
        first draw is x's, so a seed starts x where it starts a function of x alone)."""
        if self.x0 is not None and self.y0 is not None:
            return float(self.x0), float(self.y0)
        drawn = random_point(self.seed)
        x0 = float(self.x0) if self.x0 is not None else float(drawn[0])
        y0 = float(self.y0) if self.y0 is not None else float(drawn[1])
        return x0, y0

    @property
    def etas(self) -> tuple[float, ...]:
        """eta, then the compared rates."""
        return (self.eta, *self.compare)

    def runs(self) -> list[Run]:
        """One run for each rate, eta's first, all from this setup's start (drawn once)."""
        plane: dict[str, Any] = {}
        if self.plane:
            x0, y0 = self.start_point()
            plane = {"y0": y0, "beta": self.beta}
        else:
            x0 = self.start()
        return [
            Run(
                function=self.function,
                derivative=self.derivative,
                eta=eta,
                precision=self.precision,
                max_iter=self.max_iter,
                x0=x0,
                **plane,
            )
            for eta in self.etas
        ]


class Limits(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The ranges a lesson narrows its learner's values to; each one defaults to :data:`LESSON_RANGES`."""

    eta: Range | None = None
    precision: Range | None = None
    x0: Range | None = None
    max_iter: Range | None = None
    y0: Range | None = None
    beta: Range | None = None

    def range(self, name: str) -> tuple[float, float]:
        """The range the learner's value of ``name`` must stay in."""
        given: tuple[float, float] | None = getattr(self, name)
        low, high = given if given is not None else LESSON_RANGES[name]
        return float(low), float(high)

    def given(self) -> list[str]:
        """The parameters this lesson gives a range for."""
        return [name for name in NUMBERS if getattr(self, name) is not None]


LESSON_RANGES: Final[dict[str, tuple[float, float]]] = {
    "eta": (1e-4, 100.0),
    "precision": (1e-12, 1.0),
    "x0": (-100.0, 100.0),
    "max_iter": (1.0, float(MAX_UPDATES)),
    "y0": (-100.0, 100.0),
    "beta": (0.0, 1.0),
}
"""The ranges of a lesson's editable values when it gives none: wide, but not absurd."""


# --- problems ---------------------------------------------------------------------------------------

ProblemCode = Literal[
    "empty",  # nothing typed where a number is needed
    "not_a_number",  # text that does not read as a number
    "not_finite",  # inf or nan
    "not_whole",  # max_iter, seed: a fraction
    "not_positive",  # eta, precision: 0 or less
    "range",  # outside the engine's bounds: low, high
    "lesson_range",  # outside the range the lesson allows: low, high
    "too_many",  # compare: more than MAX_COMPARE rates
    "both_starts",  # both x0 and seed
    "too_large",  # a regression data set of more than MAX_NUMBERS numbers
    "expression",  # function, derivative: refused by the parser (error)
    "plane_only",  # y0, beta: given for a function of x alone
    "plane_derivative",  # derivative: given for a function of x and y (its partials are derived)
]


@dataclass(frozen=True)
class ParameterProblem:
    """One parameter that cannot be used: which, why (a code), the value as given and the bounds."""

    field: str
    code: ProblemCode
    value: str = ""
    low: float | None = None
    high: float | None = None
    error: "ExpressionError | None" = None

    def __str__(self) -> str:
        # for a developer's log: the learner's words are gdtutor.telling.param_problem's
        return f"{self.field}: {self.code} ({self.value!r})"


class ParameterError(ValueError):
    """Parameters that cannot be run; ``problems`` names every one, by field."""

    def __init__(self, problems: list[ParameterProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


def _shown(value: object) -> str:
    """A value as the learner gave it: text as typed, a number as it reads back exactly."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        from .expr import format_number

        return format_number(float(value)) if math.isfinite(value) else repr(float(value))
    return repr(value)


def read_number(name: str, value: object) -> float | int:
    """``value`` (text as typed, or a number) as parameter ``name``, checked against its rule.

    Raises :class:`ParameterError` with the one problem found.
    """
    rule = RULES[name]
    shown = _shown(value)
    number: float | int
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ParameterError([ParameterProblem(name, "empty")])
        try:
            number = int(text) if rule.whole else float(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                code: ProblemCode = "not_whole" if rule.whole else "not_a_number"
                raise ParameterError([ParameterProblem(name, code, shown)]) from None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)  # a float or a numpy scalar
    else:
        raise ParameterError([ParameterProblem(name, "not_a_number", shown)])
    if not math.isfinite(number):
        raise ParameterError([ParameterProblem(name, "not_finite", shown)])
    if rule.whole:
        if number != int(number):
            raise ParameterError([ParameterProblem(name, "not_whole", shown)])
        number = int(number)
    else:
        number = float(number)
    if rule.gt is not None and not number > rule.gt:
        raise ParameterError([ParameterProblem(name, "not_positive", shown)])
    low = rule.ge if rule.ge is not None else -math.inf
    high = rule.le if rule.le is not None else math.inf
    if not low <= number <= high:
        raise ParameterError([ParameterProblem(name, "range", shown, low, high)])
    return number


def check_numbers(**values: object) -> None:
    """Refuse numbers the loop cannot use (``eta=-1``, ``max_iter=1.5``): every problem, by field."""
    problems: list[ParameterProblem] = []
    for name, value in values.items():
        try:
            read_number(name, value)
        except ParameterError as exc:
            problems += exc.problems
    if problems:
        raise ParameterError(problems)


def read_setup(
    values: Mapping[str, object],
    *,
    limits: Limits | None = None,
    editable: Collection[str] = (),
) -> Setup:
    """A lab's parameters from ``values`` (text as typed, or numbers; missing ones take their defaults,
    and an empty x0, y0 or seed is a random start with a new seed; an empty beta is 0).

    With ``limits``, the ``editable`` numbers, and any compared rates, must lie in the lesson's ranges.
    The function is parsed and its derivative made, so that a function g cannot be made for is a
    problem here, not when the run starts. Raises :class:`ParameterError` with every problem found.
    """
    problems: list[ParameterProblem] = []
    fields: dict[str, Any] = {}

    def number(name: str) -> float | int | None:
        value = values.get(name)
        if value is None or (name in ("x0", "y0", "seed", "beta") and isinstance(value, str) and not value.strip()):
            return None  # not given; an empty start or seed means a random start, and a new seed
        try:
            return read_number(name, value)
        except ParameterError as exc:
            problems.extend(exc.problems)
            return None

    for name in ("eta", "precision", "max_iter", "x0", "y0", "beta", "seed"):
        read = number(name)
        if read is not None:
            fields[name] = read
    compare = values.get("compare") or ()
    parts: list[object] = []
    if isinstance(compare, str):  # '0.5 0.9', '0.5, 0.9' and '0.5，0.9' alike, as on the command line
        parts = list(re.split(r"[,，、\s]+", compare.strip()))
    elif isinstance(compare, Iterable):
        parts = list(compare)
    rates = []
    for part in parts:
        if isinstance(part, str) and not part.strip():
            continue
        try:
            rates.append(float(read_number("eta", part)))
        except ParameterError as exc:
            problems.extend(dataclasses.replace(p, field="compare") for p in exc.problems)
    if len(rates) > MAX_COMPARE:
        problems.append(ParameterProblem("compare", "too_many", _shown(compare), high=MAX_COMPARE))
    fields["compare"] = tuple(rates)
    function = values.get("function")
    function = LECTURE_FUNCTION if function is None else str(function).strip()
    derivative = values.get("derivative")
    derivative = None if derivative is None else str(derivative).strip()
    fields["function"], fields["derivative"] = function, derivative
    problems += _function_problems(function, derivative, fields)
    if fields.get("x0") is not None and fields.get("seed") is not None:
        if fields.get("y0") is not None or not _plane_or_not(function):
            problems.append(ParameterProblem("seed", "both_starts", _shown(values.get("seed"))))
    if limits is not None:
        problems += outside_limits(fields, limits, editable)
    if "eta" not in fields and not any(p.field == "eta" for p in problems):
        fields["eta"] = DEFAULT_ETA
    if problems:
        raise ParameterError(problems)
    return Setup(**fields)


def _function_problems(function: str, derivative: str | None, fields: Mapping[str, Any]) -> list[ParameterProblem]:
    """What cannot be made of the function (and its derivative, or its partial derivatives, which sympy
    derives here rather than when the run starts), and the values only a function of x and y takes given
    to a function of x alone."""
    from .expr import ExpressionError
    from .function import Function
    from .surface import Surface

    try:
        plane = is_plane(function)
    except ExpressionError as exc:
        return [ParameterProblem("function", "expression", function, error=exc)]
    problems = []
    if plane:
        if derivative is not None:
            problems.append(ParameterProblem("derivative", "plane_derivative", derivative))
        try:
            _ = Surface(function).partial_texts
        except ExpressionError as exc:
            problems.append(ParameterProblem("function", "expression", function, error=exc))
        return problems
    for name in PLANE_ONLY:
        if fields.get(name):  # a y0, or a momentum other than 0
            problems.append(ParameterProblem(name, "plane_only", _shown(fields[name])))
    try:
        _ = Function.coerce(function, derivative).derivative_text  # sympy, when g must be derived
    except ExpressionError as exc:
        field = "derivative" if derivative is not None and _parses(function) else "function"
        shown = function if field == "function" else derivative or ""
        problems.append(ParameterProblem(field, "expression", shown, error=exc))
    return problems


def _parses(text: str) -> bool:
    from .expr import ExpressionError, parse

    try:
        parse(text)
    except ExpressionError:
        return False
    return True


def _plane_or_not(text: str) -> bool:
    """:func:`is_plane`, False for a text that does not parse (its problem is reported on its own)."""
    from .expr import ExpressionError

    try:
        return is_plane(text)
    except ExpressionError:
        return False


@functools.lru_cache(maxsize=64)
def is_plane(text: str) -> bool:
    """Whether ``text`` is a function of x and y (it uses y), rather than of x alone; raises
    :class:`~gdtutor.engine.expr.ExpressionError` for a text the parser refuses."""
    from .expr import PLANE, parse, variables_of

    return "y" in variables_of(parse(text, PLANE))


def outside_limits(fields: Mapping[str, Any], limits: Limits, editable: Collection[str]) -> Iterable[ParameterProblem]:
    """The values a lesson's ranges refuse: the editable numbers, and the compared rates always (what a
    lesson's lab refuses before a run, and what the lesson checker refuses in a lesson's own values)."""
    checked = [(name, fields.get(name)) for name in NUMBERS if name in editable]
    checked += [("compare", rate) for rate in fields.get("compare", ())]
    for name, value in checked:
        if value is None:
            continue
        low, high = limits.range("eta" if name == "compare" else name)
        if not low <= value <= high:
            yield ParameterProblem(name, "lesson_range", _shown(value), low, high)


# --- the random start -----------------------------------------------------------------------------


def random_start(seed: int | None = None) -> int:
    """The lecture's random guess, ``np.random.randint(0, 12, size=1)[0]``; the same seed, the same start."""
    import numpy as np  # loaded with the first random start, not with this module

    return int(np.random.RandomState(seed).randint(*START_RANGE, size=1)[0])


def random_point(seed: int | None = None) -> tuple[int, int]:
    """The lecture's random guess for each coordinate of a function of x and y,
    ``np.random.randint(0, 12, size=2)``: x's is the one :func:`random_start` draws from the same seed."""
    import numpy as np

    x, y = np.random.RandomState(seed).randint(*START_RANGE, size=2)
    return int(x), int(y)


def new_seed() -> int:
    """A seed for a new random start, shown to the learner so that the start can be had again."""
    return secrets.randbelow(2**31)
