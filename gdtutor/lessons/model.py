"""Lessons as the tutor uses them, built from a checked lesson file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# the engine's light modules only: descend and quadratic (numpy) are imported when a lesson runs one,
# so that building the catalogue for the lesson list does not load numpy
from ..engine.function import LECTURE_FUNCTION, Function

if TYPE_CHECKING:
    from ..engine.descent import DescentResult

Text = dict[str, str]
"""Text in each of the lesson's languages: {"en": ..., "zh": ...}."""


def pick(text: Text | None, lang: str) -> str:
    """``text`` in ``lang``, or in English, or empty."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


DEFAULT_LIMITS = {"eta": (1e-4, 100.0), "precision": (1e-12, 1.0), "x0": (-100.0, 100.0), "max_iter": (1, 100_000)}


@dataclass
class RunSpec:
    """Parameters of a run: what a lab starts with, what a question runs."""

    eta: float
    function: str = LECTURE_FUNCTION
    derivative: str | None = None
    precision: float = 1e-4
    x0: float | None = None
    seed: int | None = None
    max_iter: int = 10_000
    compare: list[float] = field(default_factory=list)
    editable: list[str] = field(default_factory=list)
    limits: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def from_fields(cls, data: dict[str, Any]) -> RunSpec:
        limits = {k: (v[0], v[1]) for k, v in (data.get("limits") or {}).items() if v is not None}
        return cls(
            eta=data["eta"],
            function=data.get("function") or LECTURE_FUNCTION,
            derivative=data.get("derivative"),
            precision=data.get("precision") or 1e-4,
            x0=data.get("x0"),
            seed=data.get("seed"),
            max_iter=data.get("max_iter") or 10_000,
            compare=list(data.get("compare") or []),
            editable=list(data.get("editable") or []),
            limits=limits,
        )

    def make_function(self) -> Function:
        return Function.coerce(self.function, self.derivative)

    def limit(self, name: str) -> tuple[float, float]:
        """The range the learner's value of ``name`` must stay in."""
        lo, hi = self.limits.get(name, DEFAULT_LIMITS[name])
        return float(lo), float(hi)

    def run(self, **changes: Any) -> DescentResult:
        """Run the engine with these parameters (``changes`` override them)."""
        from ..engine.descent import descend

        params = {"eta": self.eta, "precision": self.precision, "x0": self.x0, "max_iter": self.max_iter} | changes
        return descend(self.make_function(), seed=self.seed, **params)


@dataclass
class Target:
    """What a learner's run must do to meet an experiment goal."""

    status: str | None = None
    max_steps: int | None = None
    min_steps: int | None = None
    near: float | None = None
    within: float = 1e-3

    def met(self, result: DescentResult) -> bool:
        """Whether ``result`` meets every condition."""
        if self.status is not None and result.status.value != self.status:
            return False
        if self.max_steps is not None and result.steps > self.max_steps:
            return False
        if self.min_steps is not None and result.steps < self.min_steps:
            return False
        return self.near is None or abs(result.x - self.near) <= self.within


@dataclass
class Option:
    text: Text
    correct: bool
    why: Text


@dataclass
class Question:
    """A quiz question; which fields matter depends on ``kind``."""

    kind: str  # choice, multiple, numeric, predict, goal
    id: str
    line: int
    prompt: Text
    hints: list[Text] = field(default_factory=list)
    explain: Text | None = None
    options: list[Option] = field(default_factory=list)
    answer: float | None = None
    answer_from: tuple[RunSpec, str] | None = None
    tolerance: float = 0
    run: RunSpec | None = None
    predict: str | None = None
    lab: RunSpec | None = None
    goal: Target | None = None
    tries: int = 0
    """Answers allowed before the right one is shown; 0 means no limit (experiment goals)."""

    @property
    def checked_by_engine(self) -> bool:
        """True when the right answer comes from running the engine."""
        return self.kind in ("predict", "goal") or self.answer_from is not None

    def numeric_answer(self) -> float:
        """The answer of a numeric question, computed by the engine when it depends on a run."""
        if self.answer_from is None:
            assert self.answer is not None
            return self.answer
        spec, value = self.answer_from
        result = spec.run()
        if value == "steps":
            return float(result.steps)
        if value == "x":
            return result.x
        if value == "last_step":
            return result.delta
        from ..engine.analysis import quadratic

        q = quadratic(spec.make_function())
        minimum = q.minimum if q else float("nan")
        return abs(result.x - minimum)


@dataclass
class Step:
    """One step of a lesson; ``kind`` is text, lab, code, quiz or regression."""

    kind: str
    line: int
    title: Text | None = None
    text: Text | None = None
    lab: RunSpec | None = None
    questions: list[Question] = field(default_factory=list)
    features: list[int] = field(default_factory=list)
    samples_per_feature: int = 10


@dataclass
class Lesson:
    id: str
    title: Text
    summary: Text
    languages: list[str]
    steps: list[Step]
    path: Path
    order: int | None = None

    @property
    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]


def build_lesson(data: dict[str, Any], path: Path) -> Lesson:
    """A :class:`Lesson` from validated fields."""
    steps = []
    for s_index, raw in enumerate(data["steps"], start=1):
        step = Step(kind=raw["kind"], line=raw["_line"], title=raw.get("title"), text=raw.get("text"))
        if step.kind == "lab":
            step.lab = RunSpec.from_fields(raw)
        elif step.kind == "regression":
            step.features = list(raw["features"])
            step.samples_per_feature = raw["samples_per_feature"]
        elif step.kind == "quiz":
            for q_index, q in enumerate(raw["questions"], start=1):
                step.questions.append(_question(q, f"{data['id']}-{s_index}-{q_index}"))
        steps.append(step)
    return Lesson(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        languages=list(data["languages"]),
        steps=steps,
        path=path,
        order=data.get("order"),
    )


def default_tries(kind: str, options: int = 0) -> int:
    """How many answers a question allows when its lesson does not say.

    A two-option choice gets one try (a second would give the answer away); a prediction gets one,
    since the point is to commit before seeing the run; goals are experiments, with no limit.
    """
    if kind == "choice":
        return 1 if options <= 2 else 2
    return {"multiple": 2, "numeric": 3, "predict": 1}.get(kind, 0)


def _question(q: dict[str, Any], default_id: str) -> Question:
    question = Question(
        kind=q["kind"],
        id=q.get("id") or default_id,
        line=q["_line"],
        prompt=q["prompt"],
        hints=list(q.get("hints") or []),
        explain=q.get("explain"),
    )
    question.tries = q.get("tries") or default_tries(question.kind, len(q.get("options") or []))
    if question.kind in ("choice", "multiple"):
        question.options = [Option(o["text"], bool(o["correct"]), o["why"]) for o in q["options"]]
    elif question.kind == "numeric":
        question.answer = q.get("answer")
        if q.get("answer_from"):
            question.answer_from = (RunSpec.from_fields(q["answer_from"]["run"]), q["answer_from"]["value"])
        question.tolerance = q.get("tolerance") or 0
    elif question.kind == "predict":
        question.run = RunSpec.from_fields(q["run"])
        question.predict = q["predict"]
        question.tolerance = q.get("tolerance") or 0
    elif question.kind == "goal":
        question.lab = RunSpec.from_fields(q["lab"])
        g = q["goal"]
        question.goal = Target(g.get("status"), g.get("max_steps"), g.get("min_steps"), g.get("near"), g["within"])
    return question
