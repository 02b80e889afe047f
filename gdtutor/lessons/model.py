"""The lesson format, declared once: typed models from which the checks, the JSON Schema and the objects
the tutor uses all come.

A lesson file is one :class:`Lesson`; its steps are a tagged union (``kind:``) of step models, and a quiz
step's questions a tagged union of question models (:mod:`.questions`). A lab's parameters are the
engine's own :class:`~gdtutor.engine.params.Setup`, with its bounds, so a lesson cannot declare a run the
engine would refuse. :mod:`.validate` walks a file along these types, every problem at its line;
:mod:`.schema` gives the JSON Schema; msgspec builds the objects.
"""

import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any, ClassVar, Literal, get_args

import msgspec
from msgspec import Meta, Struct

from ..engine.params import MAX_NUMBERS, RACE_FEATURES, RACE_SAMPLES_PER_FEATURE, Editable, Limits, Setup
from .questions import Id, Issue, Question, QuestionKind, function_issues, limit_issues
from .text import Text, pick

Language = Literal["en", "zh"]
Place = tuple[Any, ...]
"""Where in a lesson a model is: ``("steps", 2)``, ``("steps", 3, "questions", 0)``."""
LANGUAGES: tuple[Language, ...] = get_args(Language)
"""The languages a lesson may be written in (gdtutor's own: a test keeps them the same)."""

__all__ = ["Lesson", "Question", "Step", "Text", "pick"]


class Step(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag_field="kind"):
    """What every step is: one screen of a lesson. The kinds below add their fields."""

    @property
    def kind(self) -> str:
        """The ``kind:`` of the lesson file."""
        return str(self.__struct_config__.tag)

    def asks(self) -> tuple[QuestionKind, ...]:
        """The step's questions (a quiz step has some)."""
        return ()

    def problems(self) -> Iterator[Issue]:
        """What the fields cannot say on their own."""
        return iter(())

    def claims(self) -> Iterator[Issue]:
        """What the step claims about a run, checked by running the engine."""
        return iter(())


class TextStep(Step, tag="text", frozen=True, kw_only=True):
    """Markdown to read."""

    title: Text | None = None
    text: Text


class LabStep(Setup, Step, tag="lab", frozen=True, kw_only=True):
    """An experiment: the engine's parameters, which of them the learner may change, and the ranges."""

    title: Text | None = None
    text: Text | None = None
    editable: tuple[Editable, ...] = ()
    limits: Limits = Limits()
    focus: Editable | None = None
    """The field the step's text asks the learner to change: the first tab goes there."""

    def setup(self) -> Setup:
        """The lab's parameters on their own."""
        return Setup.of(self)

    def problems(self) -> Iterator[Issue]:
        if self.x0 is not None and self.seed is not None:
            yield "both_starts", {}
        yield from limit_issues(self, self.editable, self.limits)
        if self.focus is not None and self.focus not in (self.editable or ()):
            yield "focus_not_editable", {"name": self.focus}

    def claims(self) -> Iterator[Issue]:
        return function_issues(self)


class CodeStep(Step, tag="code", frozen=True, kw_only=True):
    """The lecture's loop as code, with the values of the nearest lab before it: as the lesson gives
    them, or, when the step ``continues`` the lab, as the learner left them."""

    title: Text | None = None
    text: Text | None = None
    continues: bool = False
    """Whether the step shows the learner's values of the lab before it, rather than the lesson's."""


class QuizStep(Step, tag="quiz", frozen=True, kw_only=True):
    """Questions, one at a time."""

    title: Text | None = None
    text: Text | None = None
    questions: Annotated[tuple[QuestionKind, ...], Meta(min_length=1)]

    def asks(self) -> tuple[QuestionKind, ...]:
        return self.questions


class RegressionStep(Step, tag="regression", frozen=True, kw_only=True):
    """The normal equation against gradient descent, timed on the learner's machine."""

    title: Text | None = None
    text: Text | None = None
    features: Annotated[tuple[Annotated[int, Meta(ge=1, le=2000)], ...], Meta(min_length=2, max_length=8)] = (
        RACE_FEATURES
    )
    samples_per_feature: Annotated[int, Meta(ge=2, le=50)] = RACE_SAMPLES_PER_FEATURE

    def problems(self) -> Iterator[Issue]:
        features = [n for n in self.features or () if n is not None]
        if not features:
            return
        if any(b <= a for a, b in itertools.pairwise(features)):
            yield "features_grow", {}
        numbers = max(features) ** 2 * (self.samples_per_feature or 10)
        if numbers > MAX_NUMBERS:
            yield "race_too_large", {"numbers": numbers, "limit": MAX_NUMBERS}


StepKind = TextStep | LabStep | CodeStep | QuizStep | RegressionStep
"""Every kind of step, told apart by ``kind:``."""


class Lesson(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One lesson file."""

    topic: ClassVar[str] = "lesson"
    id: Id
    order: Annotated[int, Meta(ge=0)] | None = None
    languages: Annotated[tuple[Language, ...], Meta(min_length=1)] = ("en", "zh")
    title: Text
    summary: Text
    steps: Annotated[tuple[StepKind, ...], Meta(min_length=1)]

    def __post_init__(self) -> None:
        # a question without an id is named by its place, so that the learner's progress can name it
        for s, step in enumerate(self.steps, start=1):
            for q, question in enumerate(step.asks(), start=1):
                if question.id is None:
                    msgspec.structs.force_setattr(question, "id", f"{self.id}-{s}-{q}")

    @property
    def questions(self) -> list[QuestionKind]:
        return [q for step in self.steps for q in step.asks()]


def lesson_problems(
    parts: Mapping[Place, tuple[Step | Question, bool]], *, claims: bool, line_of: Callable[[Place], int]
) -> Iterator[tuple[Place, str, dict[str, Any]]]:
    """What the types cannot say, in every step and question, each where it is; with ``claims``, what
    the lesson claims about runs, checked by running the engine.

    ``parts`` are the steps and questions by their path, each with whether it was read without a
    problem; one that was not holds None where its fields could not be read, and its claims are not
    checked. ``line_of`` gives the line of a part, for a problem that points at another one.
    """
    seen_lab = False
    plane_lab = False
    """Whether the nearest lab so far is a 2-D one (the code step shows the lecture's 1-D loop)."""
    ids: dict[str, Place] = {}
    # the questions read whole, their runs made: the feedback around them is checked for giveaways
    answerable: list[tuple[Place, Question]] = []
    for path, (part, whole) in sorted(parts.items()):
        if isinstance(part, LabStep):
            seen_lab = True
            plane_lab = whole and part.plane
        elif isinstance(part, CodeStep) and not seen_lab:
            yield path, "code_needs_lab", {}
        elif isinstance(part, CodeStep) and plane_lab:
            yield path, "code_after_plane_lab", {}
        if isinstance(part, Question) and part.id is not None:
            if part.id in ids:
                yield path, "question_id_used", {"id": part.id, "line": line_of(ids[part.id])}
            ids.setdefault(part.id, path)
        issues = list(part.problems())
        yield from ((path, code, fields) for code, fields in issues)
        if claims and whole and not issues:
            claimed = list(part.claims())
            yield from ((path, code, fields) for code, fields in claimed)
            if isinstance(part, Question) and not claimed:
                answerable.append((path, part))
    if claims:
        from .giveaways import giveaways

        yield from giveaways(answerable)
