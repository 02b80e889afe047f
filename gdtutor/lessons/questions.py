"""Quiz questions: one class per kind, each carrying its fields, its checks, its grading and its reveal.

A question kind is a msgspec struct in the tagged union :data:`QuestionKind` (its tag is the ``kind:``
of the lesson file). Its fields are the lesson format; ``problems()`` says what its fields cannot say on
their own (exactly one right option); ``claims()`` checks by running the engine what the lesson claims
(a goal can be met); ``grade()`` marks an answer, ``replay()`` marks a stored one again, ``reveal()`` gives
the answer with its reasoning. Every answer that depends on a run is computed by the engine when it is
graded, never typed by an author. Adding a kind: ``docs/lesson-format.md`` says how.
"""

import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from msgspec import Meta, Struct

from ..engine.params import (
    NUMBERS,
    OUTCOMES,
    PLANE_ONLY,
    Limits,
    LoopPart,
    Number,
    Outcome,
    ParameterError,
    Parameters,
    Run,
    outside_limits,
    read_setup,
)
from ..i18n import has, labelled, lead, listing, plural, sentences, status_name, t
from ..numbers import true_digits, written
from ..telling import param_problem
from .answers import Verdict, count_mistake, parse_number
from .templates import Vary, fill, values_text
from .text import Text, pick

if TYPE_CHECKING:
    from ..engine.descent2 import Result
    from ..engine.expr import Compare, Node
    from ..engine.loop import LoopRun


@functools.lru_cache(maxsize=8)
def run_to_end(run: Run) -> "Result":
    """The run, made by the engine (loaded with the first run a question makes, not with the lessons).

    Kept for the next asks: a question is graded again in the other language, replayed and revealed,
    and its run may take seconds (the UI makes the first ask off its thread, see ``graded``)."""
    from ..engine.descent2 import descent_of

    return descent_of(run).to_end()


Id = Annotated[str, Meta(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case words and digits joined by '-'."""
Issue = tuple[str, dict[str, Any]]
"""A problem found in a model: its code (``lesson_<code>`` in the catalogue) and its fields."""
LETTERS = "ABCDEFGH"
"""How options are named in the order they are shown (a question has at most eight)."""


def function_issues(params: Parameters) -> Iterator[Issue]:
    """The function of a run or a lab, if g cannot be made for it (sympy is asked, once)."""
    from ..engine.expr import ExpressionError

    if params.plane and params.derivative is not None:
        yield "plane_derivative", {"function": params.function}
        return
    if not params.plane:
        for name in PLANE_ONLY:
            if getattr(params, name, None):  # a y0, or a momentum other than 0
                yield "plane_only", {"name": name, "function": params.function}
    try:
        _ = params.make_surface().partial_texts if params.plane else params.make_function().derivative_text
    except ExpressionError as exc:
        from .validate import error_fields

        yield "bad_function", {"function": params.function, "error": error_fields(exc)}


RUN_BUDGET = 200_000
"""Most updates a question's own run may take: it is made while the learner waits for a verdict."""
SEARCH_BUDGET = 100_000_000
"""Most rate-updates (rates times updates, summed) the search for a goal's values may take."""


def run_issues(run: Run) -> Iterator[Issue]:
    """A question's run: its function (see :func:`function_issues`), then its cost: one that does not
    end within RUN_BUDGET updates is refused, rather than left for a learner (or the checker) to wait."""
    issues = list(function_issues(run))
    yield from issues
    if issues or run.max_iter <= RUN_BUDGET:
        return
    from ..engine.descent2 import descent_of

    trial = descent_of(run)
    trial.run_updates(RUN_BUDGET)
    if not trial.finished:
        yield "run_too_costly", {"updates": RUN_BUDGET}


def limit_issues(values: Any, editable: Iterable[str] | None, limits: Limits | None) -> Iterator[Issue]:
    """A lab's own values outside the ranges it gives its learner, and ranges for what is not editable.

    (Also on a model with problems of its own, whose unreadable fields are None.)
    """
    editable = set(editable or ())
    limits = limits or Limits()
    for name in limits.given():
        if name not in editable:
            yield "limit_not_editable", {"name": name}
    numbers: dict[str, Any] = {name: getattr(values, name, None) for name in NUMBERS}
    numbers = {name: value for name, value in numbers.items() if isinstance(value, int | float)}
    numbers["compare"] = [rate for rate in getattr(values, "compare", None) or () if isinstance(rate, int | float)]
    for problem in outside_limits(numbers, limits, editable):
        shown = {"value": problem.value, "low": f"{problem.low:g}", "high": f"{problem.high:g}"}
        yield "outside_limits", {"name": problem.field, **shown}
    for name in ("eta", "precision"):
        lowest = limits.range(name)[0]
        if name in editable and lowest <= 0:
            yield "lowest_not_positive", {"name": name, "low": f"{lowest:g}"}


class Option(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One option of a choice question, with why it is right or wrong."""

    topic: ClassVar[str] = "option"
    text: Text
    correct: bool = False
    why: Text
    last: bool = False
    """Shown last whatever the order ("none of these"); the others are shuffled for each learner."""


class Question(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag_field="kind"):
    """What every question has. Kinds add their fields and answer in their own way."""

    id: Id | None = None
    prompt: Text
    hints: tuple[Text, ...] = ()
    explain: Text | None = None
    tries: Annotated[int, Meta(ge=1, le=10)] | None = None

    help: ClassVar[str]
    """Catalogue key of the line that says how to answer."""
    reveals_when_right: ClassVar[bool] = False
    """Whether the answer is shown again to a learner who found it (an experiment's is worth it)."""

    @property
    def checked_by_engine(self) -> bool:
        """Whether the right answer comes from running the engine."""
        return False

    @property
    def kind(self) -> str:
        """The ``kind:`` of the lesson file."""
        return str(self.__struct_config__.tag)

    @property
    def question_id(self) -> str:
        """The id kept in the learner's progress (the lesson gives one to a question that has none)."""
        assert self.id is not None, "a question's id is set when its lesson is built"
        return self.id

    @property
    def allowed_tries(self) -> int:
        """Answers allowed before the right one is shown; 0 means no limit."""
        return self.tries or self.default_tries()

    def settled(self, tries: int, right: bool) -> bool:
        """Whether a question answered ``tries`` times (``right`` once one was right) is done with: answered
        rightly, or out of tries, its answer shown. Either way it counts as answered for the lesson's
        completion; only a right answer counts towards its score."""
        allowed = self.allowed_tries
        return right or (allowed > 0 and tries >= allowed)

    def default_tries(self) -> int:
        """How many answers the kind allows when the lesson does not say."""
        return 0

    def problems(self) -> Iterator[Issue]:
        """What the fields cannot say on their own."""
        return iter(())

    def claims(self) -> Iterator[Issue]:
        """What the lesson claims about a run, checked by running the engine."""
        return iter(())

    def draw(self, seed: str) -> dict[str, float] | None:
        """The values of the instance one attempt answers (None: the question is no template)."""
        return None

    def at(self, values: dict[str, float] | None) -> "Question":
        """The instance for ``values`` (see :class:`RunQuestion`); the question itself when it is no template."""
        return self

    def how_far_off(self, answer: str, instance: dict[str, float] | None) -> Issue | None:
        """What a wrong answer to a template shows (see :class:`RunQuestion`); None for others."""
        return None

    def can_draw(self, values: dict[str, float]) -> bool:
        """Whether ``values`` are an instance this question can draw (one kept with an answer may come
        from an older lesson file, or a store edited by hand)."""
        return False

    @property
    def instance(self) -> dict[str, float] | None:
        """The values this instance was drawn with (None: no template)."""
        return None

    def asked(self, lang: str) -> str:
        """What the prompt leaves to the tutor to say (how precisely a number is asked for), or nothing."""
        return ""

    def reason(self, lang: str) -> str:
        """The explanation, as a paragraph to add (empty when there is none)."""
        explain = pick(self.explain, lang)
        return f"\n\n{explain}" if explain else ""

    def reveal(self, lang: str) -> str:
        """The answer, with its reasoning: shown after the last try."""
        return pick(self.explain, lang)

    def replay(self, answer: str, lang: str) -> str:
        """The feedback on an answer stored in an earlier session, marked again."""
        return answer


class ChoiceQuestion(Question, tag="choice", frozen=True, kw_only=True):
    """One right option; every option says why it is right or wrong."""

    options: Annotated[tuple[Option, ...], Meta(min_length=2, max_length=8)]

    help: ClassVar[str] = "quiz_choice_help"
    names_missed: ClassVar[bool] = False
    """Whether a wrong answer says how many right options were not picked."""

    def default_tries(self) -> int:
        # a second try among two options left is a coin toss: blind guessing would pass two in three
        # questions of three options; with four or more, a second try leaves at least three to choose from
        return 1 if len(self.options) <= 3 else 2

    @property
    def right(self) -> set[int]:
        """The right options, by index (also on a question with problems, whose options may be None)."""
        return {i for i, option in enumerate(self.options or ()) if option is not None and option.correct}

    def problems(self) -> Iterator[Issue]:
        if len(self.right) != 1:
            yield "choice_one_right", {"count": len(self.right)}

    def order(self, seed: str) -> list[int]:
        """The options in the order one learner sees them (their indices in the file): shuffled from
        ``seed`` (the learner and their attempt) and the question's id, the options marked ``last`` at
        the end. The same seed gives the same order, so that the answer cannot be learnt by its place."""
        import random

        rng = random.Random(f"{seed}/{self.id}")  # noqa: S311 (an order to read, no secret)
        free = [i for i, option in enumerate(self.options) if not option.last]
        rng.shuffle(free)
        return free + [i for i, option in enumerate(self.options) if option.last]

    def labels(self, lang: str, order: Iterable[int]) -> list[str]:
        """The options as the learner sees them, lettered in the order shown: 'A. It needs many updates.'"""
        return [f"{LETTERS[n]}. {pick(self.options[i].text, lang)}" for n, i in enumerate(order)]

    def grade(self, picked: Iterable[int], lang: str) -> Verdict:
        """Right when exactly the correct options were picked (by their index in the file, whatever the
        order shown); every picked option is explained, by its text, in the order given."""
        chosen = list(dict.fromkeys(picked))
        right = self.right
        correct = set(chosen) == right
        lines = [self._line(i, lang) for i in chosen]
        missed = right - set(chosen)
        if missed and not correct and self.names_missed:
            lines.append(f"- {plural('quiz_missed', lang, len(missed), n=len(missed))}")
        head = t("quiz_right", lang) if correct else t("quiz_wrong", lang)
        return Verdict(correct, option_keys(chosen), lead(head, lang).rstrip() + "\n\n" + "\n".join(lines))

    def _line(self, index: int, lang: str) -> str:
        option = self.options[index]
        mark = "✓" if option.correct else "✗"
        # the option (named by its text: letters follow each learner's order), and below it, in a
        # paragraph of its own that the quiz shows dimmed, why
        return f"- {mark} {pick(option.text, lang)}\n\n  {pick(option.why, lang)}"

    def reveal(self, lang: str) -> str:
        lines = [self._line(i, lang) for i in sorted(self.right)]
        return lead(t("quiz_answer_is", lang), lang).rstrip() + "\n\n" + "\n".join(lines) + self.reason(lang)

    def replay(self, answer: str, lang: str) -> str:
        return self.grade(picked_options(answer, len(self.options)), lang).feedback


def option_keys(picked: Iterable[int]) -> str:
    """Options picked, as kept in the learner's progress: their places in the file, from 1 ('1,3'), so
    that an answer names the same options whatever order they were shown in."""
    return ",".join(str(i + 1) for i in sorted(set(picked)))


def picked_options(answer: str, count: int) -> list[int]:
    """The options of a stored answer, by index: '1,3' (or letters, as kept before options were
    shuffled, when the letters were the places in the file)."""
    picked = []
    for key in answer.split(","):
        index = int(key) - 1 if key.isdigit() else LETTERS.find(key) if len(key) == 1 else -1
        if 0 <= index < count:
            picked.append(index)
    return picked


class MultipleQuestion(ChoiceQuestion, tag="multiple", frozen=True, kw_only=True):
    """One or more right options; the learner picks all of them.

    While tries are left, a wrong answer says only whether some picked options are wrong and whether a
    right one is missing, never which or how many (with counts, a try whose picks were all wrong names
    the right options): the verdict per option comes once the question is settled. Picking every option
    is wrong by construction (a question needs a wrong option) and is told so, without counts."""

    help: ClassVar[str] = "quiz_multiple_help"
    names_missed: ClassVar[bool] = True

    def default_tries(self) -> int:
        return 2

    def problems(self) -> Iterator[Issue]:
        if not self.right:
            yield "multiple_one_right", {}
        elif self.options is not None and len(self.right) == len(self.options):
            yield "multiple_all_right", {}

    def grade(self, picked: Iterable[int], lang: str) -> Verdict:
        verdict = super().grade(picked, lang)
        if verdict.correct:
            return verdict
        chosen, right = set(picked), self.right
        head = lead(t("quiz_wrong", lang), lang)
        if len(chosen) == len(self.options):
            why = t("quiz_ticked_all", lang)
            settled = verdict.feedback.replace(head.rstrip(), head + why, 1)
            return Verdict(False, verdict.answer, settled, head + why)
        # whether, not how many: counts name the right options when every pick was wrong
        parts = [
            t(key, lang)
            for key, off in (("quiz_some_wrong", chosen - right), ("quiz_some_missing", right - chosen))
            if off
        ]
        parts.append(t("quiz_judge_each", lang))
        return Verdict(False, verdict.answer, verdict.feedback, head + sentences(*parts, lang=lang))


class AnswerFrom(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An answer the engine computes from a run."""

    topic: ClassVar[str] = "answer_from"
    run: Run
    value: Literal["steps", "x", "distance", "last_step", "ratio"]

    def compute(self) -> float:
        """Run the engine and take the value."""
        result = run_to_end(self.run)
        if self.value == "steps":
            return float(result.steps)
        if self.value == "x":
            return result.x
        if self.value == "last_step":
            return result.delta
        from ..engine.analysis import quadratic

        q = quadratic(self.run.make_function())
        distance = abs(result.x - (q.minimum if q else float("nan")))
        if self.value == "ratio":
            return distance / result.delta if result.delta else float("nan")
        return distance


RUN_FACTS = ("steps", "x", "last_step")
"""What a question's texts may quote of its run, as ``{steps}``, ``{x}``, ``{last_step}``; and of its
``given`` run, as ``{given_steps}``, ``{given_x}``, ``{given_last_step}``."""


class Given(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A second run a prompt quotes, to reason from: the question's run with these values changed."""

    topic: ClassVar[str] = "given"
    eta: Annotated[float, Meta(gt=0)] | None = None
    precision: Annotated[float, Meta(gt=0)] | None = None
    x0: float | None = None


class RunQuestion(Question, frozen=True, kw_only=True):
    """A question about a run, which may be a template: ``vary`` gives values for the run's parameters,
    one of each is drawn for each learner's attempt and each review round (:meth:`draw`), and the
    engine answers the instance (:meth:`at`). The prompt, hints and explanation name the drawn values
    as ``{eta}``, ``{x0}``, ``{precision}``, ``{max_iter}``."""

    vary: Vary | None = None
    given: Given | None = None

    def the_run(self) -> Run | None:
        """The run the question asks about (None: its answer is given, not run)."""
        raise NotImplementedError

    def with_run(self, run: Run) -> "RunQuestion":
        raise NotImplementedError

    def draw(self, seed: str) -> dict[str, float] | None:
        """The values one learner's attempt (or review round) answers, drawn from ``seed`` and the id;
        None for a question that is no template."""
        return self.vary.draw(f"{seed}/{self.id}") if self.vary and self.vary.names() else None

    def at(self, values: dict[str, float] | None) -> "RunQuestion":
        """The instance for ``values``: its run and texts filled in, its ``vary`` left with the drawn values
        only, which :attr:`instance` gives back. The texts' ``{steps}``, ``{x}`` and ``{last_step}`` are
        the engine's, for the instance's run (so a prompt can give what the learner reasons from). The
        question itself when it is no template and shows nothing of its run."""
        import msgspec

        run = self.the_run()
        given = values or {}
        values = {n: given[n] for n in (self.vary.names() if self.vary else ()) if n in given}
        texts = [self.prompt, *self.hints, *([self.explain] if self.explain else [])]
        quoted = {name for text in texts for words in text.values() for name in re.findall(r"\{(\w+)\}", words)}
        if run is None:
            quoted = set()
        if not values and not quoted & {*RUN_FACTS, *(f"given_{f}" for f in RUN_FACTS)}:
            return self
        changed_run = {n: int(v) if n == "max_iter" else v for n, v in values.items() if n in NUMBERS}
        if run is not None and changed_run:
            run = msgspec.structs.replace(run, **changed_run)
        filled: dict[str, float] = dict(values)
        if run is not None and quoted & set(RUN_FACTS):
            result = run_to_end(run)
            filled |= {"steps": result.steps, "x": result.x, "last_step": result.delta}
        if run is not None and self.given is not None and quoted & {f"given_{f}" for f in RUN_FACTS}:
            changed = {
                n: getattr(self.given, n) for n in ("eta", "precision", "x0") if getattr(self.given, n) is not None
            }
            result = run_to_end(msgspec.structs.replace(run, **changed))
            filled |= {"given_steps": result.steps, "given_x": result.x, "given_last_step": result.delta}
        return msgspec.structs.replace(
            self.with_run(run) if run is not None else self,
            vary=Vary.drawn(values) if values else self.vary,
            prompt=fill(self.prompt, filled),
            hints=tuple(fill(h, filled) for h in self.hints),
            explain=fill(self.explain, filled) if self.explain is not None else None,
        )

    def can_draw(self, values: dict[str, float]) -> bool:
        vary = self.vary
        if not vary or set(values) != set(vary.names()):
            return False
        return all(values[name] in vary.choices(name) for name in values)

    @property
    def instance(self) -> dict[str, float] | None:
        """The values this instance was drawn with (None for a question that is no template)."""
        if not self.vary or not self.vary.names():
            return None
        return {name: self.vary.choices(name)[0] for name in self.vary.names()}

    def instances(self) -> Iterator["RunQuestion"]:
        """Every instance a template can draw (the question alone when it is none)."""
        if not self.vary or not self.vary.names():
            yield self
            return
        for values in self.vary.instances():
            yield self.at(values)

    def answer_fact(self) -> str | None:
        """Which of the run's facts (``RUN_FACTS``) is the answer, if one is: the prompt may not show it."""
        return None

    def uses_numbers(self) -> bool:
        """Whether the question's answer is a formula of the named numbers its template draws."""
        return False

    def mistake_values(self) -> list[tuple["Mistake", float]]:
        """The declared mistakes, each with its number for this instance."""
        return []

    def how_far_off(self, answer: str, instance: dict[str, float] | None) -> Issue | None:
        """A wrong answer to a template, as what it shows rather than the number (numbers differ from one
        instance to the next): a declared mistake, a miscount, or how far off it was. None when the
        question is no template, or the answer cannot be read against its instance."""
        if not self.vary or not self.vary.names() or not instance or not self.can_draw(instance):
            return None
        asked = self.at(instance)
        try:
            value = parse_number(answer)
        except ValueError:
            return None
        right = asked.right_value()
        if right is None or not math.isfinite(right):
            return None
        for n, (mistake, wrong) in enumerate(asked.mistake_values(), start=1):
            if asked.is_mistake(value, wrong):
                return "mistake", {"n": n, "why": mistake.why}
        if asked.answer_fact() == "steps" and (code := count_mistake(value, right)):
            return f"count_{code}", {}
        if right == 0 or value == 0 or (value > 0) != (right > 0):
            return "sign" if value == -right else "far", {}
        ratio = value / right
        side = "high" if ratio > 1 else "low"
        ratio = max(ratio, 1 / ratio)
        band = "10" if ratio <= 1.1 else "2" if ratio <= 2 else "10x" if ratio <= 10 else "more"
        return f"{side}_{band}", {}

    def right_value(self) -> float | None:
        """The right number of this instance (None: the answer is no number)."""
        return None

    def is_mistake(self, value: float, wrong: float) -> bool:
        """Whether ``value`` is the mistaken number ``wrong``, as closely as the question asks."""
        return value == wrong

    def template_problems(self) -> Iterator[Issue]:
        """What a template must say: its values in the prompt, a run to vary; and no prompt that shows the
        fact of the run that answers it."""
        fact = self.answer_fact()
        if fact and any(f"{{{fact}}}" in words for words in (self.prompt or {}).values()):
            yield "prompt_shows_answer", {"name": fact}
        if not self.vary or not self.vary.names():
            return
        if self.vary.run_names() and self.the_run() is None:
            yield "vary_needs_run", {}
            return
        if self.vary.number_names() and not self.uses_numbers():
            yield "vary_numbers_unused", {}
            return
        if self.vary.count() > Vary.MOST:
            yield "vary_too_many", {"count": self.vary.count(), "most": Vary.MOST}
        for name in self.vary.names():
            if any(f"{{{name}}}" not in text for text in (self.prompt or {}).values()):
                yield "vary_not_in_prompt", {"name": name}

    def own_claims(self) -> Iterator[Issue]:
        """What the question claims about its run (of one instance)."""
        return iter(())

    def template_claims(self) -> Iterator[Issue]:
        """:meth:`own_claims` of every instance: the first that fails is named, with its problems."""
        if not self.vary or not self.vary.names():
            yield from self.own_claims()
            return
        for instance in self.instances():
            issues = list(instance.own_claims())
            if issues:
                yield "vary_instance_fails", {"values": values_text(instance.instance or {})}
                yield from issues
                return


def _no_g(x: float) -> float:
    """A formula has no derivative to call (the parser refuses ``g(...)`` in one)."""
    raise AssertionError("a formula calls no g")


class Mistake(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A wrong number a learner is likely to give, and the reasoning step it shows was missed."""

    topic: ClassVar[str] = "mistake"
    value: float | None = None
    formula: str | None = None
    """For a template whose answer is a formula: the mistake as a formula of the same numbers."""
    why: Text


class NumericQuestion(RunQuestion, tag="numeric", frozen=True, kw_only=True):
    """The learner types a number; the answer is given, or computed by the engine from a run.

    How close an answer must be is the rounding the question asks for (``decimals`` or ``digits``), or a
    ``tolerance``; the tutor states it under the prompt. A wrong try says the number is not it, and what
    reasoning it shows was missed when a ``mistakes`` entry (or a miscount of updates) explains it, but
    never whether it was too high or too low while tries are left: that would make the tries a bisection."""

    answer: float | None = None
    answer_from: AnswerFrom | None = None
    formula: str | None = None
    """The answer as a formula of the numbers the template draws (``vary: numbers``), read by the tutor's
    expression parser: ``seconds * (features / 8000)^3``."""
    tolerance: Annotated[float, Meta(ge=0)] = 0.0
    decimals: Annotated[int, Meta(ge=0, le=12)] | None = None
    digits: Annotated[int, Meta(ge=1, le=12)] | None = None
    mistakes: tuple[Mistake, ...] = ()

    help: ClassVar[str] = "quiz_numeric_help"

    @property
    def within(self) -> float:
        """How far off an answer may be: half a unit in the last place asked for, or the tolerance."""
        return self.within_of(self.value())

    def within_of(self, target: float) -> float:
        """How far off a number may be to be ``target`` as this question asks (significant digits count
        from ``target``'s own first digit: 2/15 given to 2 digits is 0.13, whatever the answer's size)."""
        if self.decimals is not None:
            return 0.5 * 10.0**-self.decimals
        if self.digits is not None:
            size = abs(target)
            exponent = math.floor(math.log10(size)) if size > 0 else 0
            return 0.5 * 10.0 ** (exponent - self.digits + 1)
        return self.tolerance

    def is_mistake(self, value: float, wrong: float) -> bool:
        """Whether ``value`` is the mistaken number ``wrong``, given as precisely as the question asks."""
        return abs(value - wrong) <= self.within_of(wrong) + 1e-12 * max(1.0, abs(wrong))

    def asked(self, lang: str) -> str:
        """How precisely the answer must be given, as a sentence to add to the prompt (or nothing)."""
        if self.decimals == 0:
            return t("quiz_ask_whole", lang)
        if self.decimals is not None:
            return plural("quiz_ask_decimals", lang, self.decimals, n=self.decimals)
        if self.digits is not None:
            return plural("quiz_ask_digits", lang, self.digits, n=self.digits)
        if self.tolerance:
            return t("quiz_ask_within", lang, within=true_digits(self.tolerance))
        return ""

    def matches(self, value: float, target: float) -> bool:
        """Whether ``value`` is ``target``, as closely as this question asks."""
        return abs(value - target) <= self.within + 1e-12 * max(1.0, abs(target))

    @property
    def checked_by_engine(self) -> bool:
        return self.answer_from is not None

    @property
    def counts_updates(self) -> bool:
        """Whether the answer is a number of updates (the usual miscounts are then diagnosed)."""
        return self.answer_from is not None and self.answer_from.value == "steps"

    def default_tries(self) -> int:
        return 2

    def problems(self) -> Iterator[Issue]:
        given = sum(x is not None for x in (self.answer, self.answer_from, self.formula))
        if given != 1:
            yield ("numeric_neither" if given == 0 else "numeric_both"), {}
        elif self.formula is not None:
            from ..engine.expr import ExpressionError, parse_formula

            try:
                parse_formula(self.formula, tuple(self.vary.number_names() if self.vary else ()))
            except ExpressionError as exc:
                from .validate import error_fields

                yield "bad_formula", {"formula": self.formula, "error": error_fields(exc)}
        yield from self.template_problems()
        if sum(bool(x) for x in (self.tolerance, self.decimals is not None, self.digits is not None)) > 1:
            yield "numeric_rounding_twice", {}
        for mistake in self.mistakes or ():
            if mistake is not None and (mistake.value is None) == (mistake.formula is None):
                yield "mistake_value_or_formula", {}
            elif mistake is not None and mistake.formula is not None and self.formula is None:
                yield "mistake_formula_needs_formula", {}

    def the_run(self) -> Run | None:
        return self.answer_from.run if self.answer_from is not None else None

    def answer_fact(self) -> str | None:
        return self.answer_from.value if self.answer_from is not None else None

    def uses_numbers(self) -> bool:
        return self.formula is not None

    def mistake_values(self) -> list[tuple["Mistake", float]]:
        return [(m, self.evaluate(m.formula) if m.formula is not None else m.value or 0.0) for m in self.mistakes]

    def evaluate(self, formula: str) -> float:
        """A formula of the numbers the template draws, for this instance (a template's first values when
        none was drawn)."""
        from ..engine.expr import evaluate_loop, parse_formula

        names = tuple(self.vary.number_names() if self.vary else ())
        drawn = {name: self.vary.choices(name)[0] for name in names} if self.vary else {}
        return evaluate_loop(parse_formula(formula, names), drawn, _no_g)

    def right_value(self) -> float | None:
        return self.value()

    def with_run(self, run: Run) -> "NumericQuestion":
        import msgspec

        assert self.answer_from is not None
        return msgspec.structs.replace(self, answer_from=msgspec.structs.replace(self.answer_from, run=run))

    def claims(self) -> Iterator[Issue]:
        return self.template_claims()

    def own_claims(self) -> Iterator[Issue]:
        if self.answer_from is None:
            yield from self._answer_claims()
            return
        issues = list(run_issues(self.answer_from.run))
        yield from issues
        if not issues and self.answer_from.value in ("distance", "ratio"):
            from ..engine.analysis import quadratic

            if quadratic(self.answer_from.run.make_function()) is None:
                yield "distance_needs_quadratic", {}
                return
        if not issues:
            yield from self._answer_claims()

    def _answer_claims(self) -> Iterator[Issue]:
        """The answer is a number a learner can type, and no declared mistake is the answer itself."""
        answer = self.value()
        if not math.isfinite(answer):
            yield "answer_not_finite", {"value": true_digits(answer)}
            return
        for _, wrong in self.mistake_values():
            if self.matches(wrong, answer):
                yield "mistake_is_answer", {"value": true_digits(wrong)}

    def value(self) -> float:
        """The right answer: computed by the engine when it depends on a run, by the formula for the
        drawn numbers (a template's first values when none was drawn), or as given."""
        if self.answer_from is not None:
            return self.answer_from.compute()
        if self.formula is not None:
            return self.evaluate(self.formula)
        assert self.answer is not None
        return self.answer

    def grade(self, text: str, lang: str) -> Verdict:
        """A typed number against the answer; raises NotANumber for a typo, so no try is spent."""
        value = parse_number(text)
        answer = self.value()
        if self.matches(value, answer):
            detail = t("quiz_numeric_right", lang, answer=self.answer_text(lang))
            return Verdict(True, true_digits(value), lead(t("quiz_right", lang), lang) + detail)
        head = lead(t("quiz_wrong", lang), lang)
        mistake = next((m for m, wrong in self.mistake_values() if self.is_mistake(value, wrong)), None)
        seen = pick(mistake.why, lang) if mistake else ""
        side = t("quiz_too_high", lang) if value > answer else t("quiz_too_low", lang)
        settled = [t("quiz_numeric_wrong", lang, value=true_digits(value), side=side), seen]
        still = [t("quiz_numeric_not_it", lang, value=true_digits(value)), seen]
        if not mistake and self.counts_updates:
            settled.append(miscount(value, answer, self.within, lang))
            if count_mistake(value, answer, self.within):
                still.append(t("quiz_count_check", lang))
        return Verdict(
            False, true_digits(value), head + sentences(*settled, lang=lang), head + sentences(*still, lang=lang)
        )

    def reveal(self, lang: str) -> str:
        return lead(t("quiz_answer_is", lang), lang) + self.answer_text(lang) + self.reason(lang)

    def answer_text(self, lang: str) -> str:
        """The answer as asked for: rounded as the question asks, with the engine's number beside it when
        rounding changed it ('0.0024 (0.00236305, to 2 significant digits)'); with a tolerance, '54 (± 1)'."""
        answer = self.value()
        if self.decimals is not None or self.digits is not None:
            if self.decimals is not None:
                rounded = f"{answer:.{self.decimals}f}"
                how = plural("quiz_to_decimals", lang, self.decimals, n=self.decimals)
            else:
                rounded = written(float(f"{answer:.{self.digits}g}"))
                how = plural("quiz_to_digits", lang, self.digits or 0, n=self.digits)
            if abs(float(rounded) - answer) <= 1e-9 * max(1.0, abs(answer)):
                return rounded
            return t("quiz_answer_rounded", lang, rounded=rounded, exact=true_digits(answer), how=how)
        within = f" (± {written(self.within)})" if self.within else ""
        return true_digits(answer) + within

    def replay(self, answer: str, lang: str) -> str:
        return self.grade(answer, lang).feedback


def miscount(value: float, answer: float, tolerance: float, lang: str) -> str:
    """What a wrong number of updates suggests was miscounted, as a sentence to add (or nothing)."""
    code = count_mistake(value, answer, tolerance)
    return t(f"quiz_count_{code}", lang) if code else ""


def describe_result(result: "Result", lang: str) -> str:
    """A run's outcome in a few words: 'converged after 43 updates, x = 5.7496' (and y, on a surface)."""
    status = status_name(result.status, lang)
    point = {"x": true_digits(result.x)}
    y = getattr(result, "y", None)
    key = "quiz_result" if y is None else "quiz_result_plane"
    if y is not None:
        point["y"] = true_digits(y)
    return plural(key, lang, result.steps, status=status, steps=result.steps, **point)


def zigzags(result: "Result") -> bool:
    """Whether x jumped from side to side: most updates went the other way from the one before (a run
    of the 1-D loop; on a surface the outcome is told without this)."""
    import numpy as np

    from ..engine.descent import DescentResult

    if not isinstance(result, DescentResult):
        return False
    path = np.asarray(result.trace, dtype=float)
    moves = np.diff(path[np.isfinite(path)])
    moves = moves[moves != 0]
    if len(moves) < 2:
        return False
    turns = np.count_nonzero(np.sign(moves[1:]) != np.sign(moves[:-1]))
    return bool(turns * 2 >= len(moves) - 1)


def outcome_against(said: str, result: "Result", lang: str) -> str:
    """Why a predicted outcome was not the run's: what the word means, against what this run did."""
    means = t(f"predict_means_{said}", lang)
    did = f"predict_did_{result.status}" + ("_zigzag" if zigzags(result) else "")
    if not has(did):
        did = f"predict_did_{result.status}"
    return sentences(means, plural(did, lang, result.steps, steps=result.steps, x=true_digits(result.x)), lang=lang)


class PredictQuestion(RunQuestion, tag="predict", frozen=True, kw_only=True):
    """Predict a run (its outcome, or its number of updates), then watch it."""

    run: Run
    predict: Literal["outcome", "steps"]
    tolerance: Annotated[int, Meta(ge=0)] = 0

    help: ClassVar[str] = "quiz_predict_help"

    @property
    def checked_by_engine(self) -> bool:
        return True

    def default_tries(self) -> int:
        return 1  # the point is to commit before seeing the run

    def the_run(self) -> Run | None:
        return self.run

    def answer_fact(self) -> str | None:
        return "steps" if self.predict == "steps" else None

    def right_value(self) -> float | None:
        return float(run_to_end(self.run).steps) if self.predict == "steps" else None

    def asked(self, lang: str) -> str:
        if self.predict == "steps" and self.tolerance:
            return plural("quiz_ask_within_updates", lang, self.tolerance, n=self.tolerance)
        return ""

    def with_run(self, run: Run) -> "PredictQuestion":
        import msgspec

        return msgspec.structs.replace(self, run=run)

    def problems(self) -> Iterator[Issue]:
        yield from self.template_problems()

    def claims(self) -> Iterator[Issue]:
        return self.template_claims()

    def own_claims(self) -> Iterator[Issue]:
        issues = list(run_issues(self.run))
        yield from issues
        if not issues and self.predict == "steps":
            status = run_to_end(self.run).status
            if status != "converged":
                yield "predict_must_stop", {"status": str(status)}

    def outcomes(self, lang: str) -> list[tuple[str, str]] | None:
        """The outcomes to pick from (value, words), or None when a number of updates is typed."""
        if self.predict != "outcome":
            return None
        return [(outcome, status_name(outcome, lang)) for outcome in OUTCOMES]

    def grade(self, prediction: str, lang: str) -> tuple[Verdict, "Result"]:
        """A prediction against the real run; raises NotANumber for a number of updates mistyped."""
        result = run_to_end(self.run)
        why = ""
        if self.predict == "steps":
            value = parse_number(prediction)
            correct = abs(value - result.steps) <= self.tolerance
            said = plural("quiz_predicted_steps", lang, value, n=true_digits(value))
            stored = true_digits(value)
            if not correct:
                why = miscount(value, result.steps, self.tolerance, lang)
        else:
            correct = prediction == result.status
            said = status_name(prediction, lang) if prediction in OUTCOMES else prediction
            stored = prediction
            if not correct and prediction in OUTCOMES:
                why = outcome_against(prediction, result, lang)
        head = t("quiz_right", lang) if correct else t("quiz_wrong", lang)
        actual = describe_result(result, lang)
        side_by_side = (
            f"- {labelled(t('quiz_you_said', lang), f'**{said}**', lang)}\n"
            f"- {labelled(t('quiz_it_did', lang), f'**{actual}**', lang)}"
        )
        why = f"\n\n{why}" if why else ""
        return Verdict(
            correct, stored, f"{lead(head, lang).rstrip()}\n\n{side_by_side}{why}" + self.reason(lang)
        ), result

    def replay(self, answer: str, lang: str) -> str:
        return self.grade(answer, lang)[0].feedback


class GoalLab(Run, frozen=True, kw_only=True):
    """A goal's starting values, which of them the learner may change, and the ranges allowed."""

    topic: ClassVar[str] = "goal_lab"
    editable: Annotated[tuple[Number, ...], Meta(min_length=1)]
    limits: Limits = Limits()


class Target(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a learner's run must do to meet an experiment goal."""

    topic: ClassVar[str] = "target"
    status: Outcome | None = None
    max_steps: Annotated[int, Meta(ge=0)] | None = None
    min_steps: Annotated[int, Meta(ge=0)] | None = None
    near: float | None = None
    within: Annotated[float, Meta(gt=0)] = 1e-3

    def met(self, result: "Result") -> bool:
        """Whether ``result`` meets every condition."""
        if self.status is not None and result.status != self.status:
            return False
        if self.max_steps is not None and result.steps > self.max_steps:
            return False
        if self.min_steps is not None and result.steps < self.min_steps:
            return False
        return self.near is None or abs(result.x - self.near) <= self.within

    def words(self, lang: str) -> str:
        """What the goal asks, in words: 'The goal: converged, in at most 5 updates.'"""
        parts = []
        if self.status:
            parts.append(status_name(self.status, lang))
        if self.max_steps is not None:
            parts.append(plural("quiz_at_most", lang, self.max_steps, n=self.max_steps))
        if self.min_steps is not None:
            parts.append(plural("quiz_at_least", lang, self.min_steps, n=self.min_steps))
        if self.near is not None:
            parts.append(t("quiz_near", lang, near=true_digits(self.near), within=true_digits(self.within)))
        return t("quiz_goal_is", lang, what=listing(parts, lang))


class GoalQuestion(Question, tag="goal", frozen=True, kw_only=True):
    """An experiment: change what the lesson allows, run, and any values that meet the goal pass."""

    lab: GoalLab
    goal: Target

    help: ClassVar[str] = "quiz_goal_help"
    reveals_when_right: ClassVar[bool] = True

    @property
    def checked_by_engine(self) -> bool:
        return True

    def problems(self) -> Iterator[Issue]:
        goal = self.goal
        if goal is None:
            return
        if all(v is None for v in (goal.status, goal.max_steps, goal.min_steps, goal.near)):
            yield "goal_empty", {}
            return
        if goal.min_steps is not None and goal.max_steps is not None and goal.min_steps > goal.max_steps:
            yield "goal_min_above_max", {}
            return
        if self.lab is not None:
            yield from limit_issues(self.lab, self.lab.editable, self.lab.limits)

    def claims(self) -> Iterator[Issue]:
        if any(self.problems()):
            return
        issues = list(run_issues(self.lab))
        yield from issues
        if issues:
            return
        work = goal_search_work(self.lab, self.goal)
        if work > SEARCH_BUDGET:
            yield "goal_too_costly", {"work": work, "budget": SEARCH_BUDGET}
        elif self.goal.met(run_to_end(self.lab)):
            yield "goal_already_met", {}
        elif not goal_reachable(self.lab, self.goal):
            ranges = (self.lab.limits.range(p) for p in self.lab.editable)
            allowed = [f"{p} in [{low:g}, {high:g}]" for p, (low, high) in zip(self.lab.editable, ranges, strict=True)]
            yield "goal_unreachable", {"allowed": ", ".join(allowed)}

    def grade(self, values: dict[str, object], result: "Result", lang: str) -> Verdict:
        """The learner's run against the goal: any values within the allowed ranges that meet it pass.

        ``values`` are the parameters the run used; ``result`` is the engine's real result for them.
        """
        lab = self.lab
        used = ", ".join(
            f"{name} = {values[name]:g}" for name in lab.editable if isinstance(values.get(name), float | int)
        )
        try:
            read_setup({"eta": lab.eta} | values, limits=lab.limits, editable=lab.editable)
        except ParameterError as exc:
            problem = exc.problems[0]
            message = labelled(problem.field, param_problem(problem, lang), lang)
            return Verdict(False, used, lead(t("quiz_wrong", lang), lang) + message)
        # the values as the lab names them ('精确度 = 0.001' in Chinese); ``used``, kept with the answer,
        # stays in the parameters' own names
        named = t("list_sep", lang).join(
            f"{t(f'{name}_short', lang)} = {values[name]:g}"
            for name in lab.editable
            if isinstance(values.get(name), float | int)
        )
        ran = t("quiz_goal_ran", lang, used=named, what=describe_result(result, lang))
        if self.goal.met(result):
            return Verdict(True, used, lead(t("quiz_goal_met", lang), lang) + ran + self.reason(lang))
        said = sentences(ran, self.goal.words(lang), lang=lang)
        return Verdict(False, used, lead(t("quiz_goal_not_met", lang), lang) + said)

    def reveal(self, lang: str) -> str:
        return pick(self.explain, lang) or self.goal.words(lang)


class LoopMistake(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A wrong part a learner is likely to type, and what it shows was misunderstood."""

    topic: ClassVar[str] = "loop_mistake"
    answer: str
    why: Text


LOOP_LIMIT = 10_000
"""Most updates a case of a loop exercise may run (every case runs twice, one update at a time, while the
learner waits)."""


class LoopQuestion(Question, tag="loop", frozen=True, kw_only=True):
    """The learner writes one part of the lecture's loop (``part``: the exit condition, what ``last_x``
    remembers, or the update) and the engine runs the loop with it in place, beside the lecture's own,
    on every case. Right when it behaves alike on all of them; otherwise the first case where it does not
    is shown, side by side."""

    part: LoopPart
    cases: Annotated[tuple[Run, ...], Meta(min_length=1, max_length=8)]
    mistakes: tuple[LoopMistake, ...] = ()
    without: tuple[str, ...] = ()
    """Functions the part must be written without (``[sqrt]``): refused where typed, and no try is spent,
    so that the lesson's own text, copied, does not pass."""

    help: ClassVar[str] = "quiz_loop_help"

    @property
    def checked_by_engine(self) -> bool:
        return True

    def default_tries(self) -> int:
        return 3

    def help_key(self) -> str:
        """The help line's key: the names the part may use differ for the loop of a point."""
        return "quiz_loop_help_plane" if self.plane else self.help

    @property
    def plane(self) -> bool:
        """Whether the cases are runs on a surface: the loop of lesson 9, whose exit condition is the part."""
        return any(case is not None and case.plane for case in self.cases or ())

    def problems(self) -> Iterator[Issue]:
        from ..engine.expr import FUNCTIONS, ExpressionError
        from ..engine.loop import parse_part

        for n, case in enumerate(self.cases or (), start=1):
            if case is not None and case.max_iter > LOOP_LIMIT:
                yield "loop_case_too_long", {"n": n, "limit": LOOP_LIMIT}
        for name in self.without or ():
            if name not in FUNCTIONS:
                yield "loop_without_unknown", {"name": name}
        if self.plane:
            if not all(case is not None and case.plane and case.y0 is not None for case in self.cases):
                yield "loop_cases_mixed", {}
                return
            if self.part != "exit":
                yield "loop_plane_exit_only", {}
                return
        for mistake in self.mistakes or ():
            if mistake is None or self.part is None:
                continue
            try:
                parse_part(self.part, mistake.answer, plane=self.plane, without=frozenset(self.without))
            except ExpressionError as exc:
                from .validate import error_fields

                yield "loop_mistake_unreadable", {"answer": mistake.answer, "error": error_fields(exc)}

    def claims(self) -> Iterator[Issue]:
        for case in self.cases:
            issues = list(function_issues(case))
            if issues:
                yield from issues
                return
        lecture = self.runs(None)
        for n, run in enumerate(lecture, start=1):
            if not run.stopped:
                yield "loop_case_never_stops", {"n": n, "limit": self.cases[n - 1].max_iter}
        for mistake in self.mistakes:
            if all(a.alike(b) for a, b in zip(self.runs(mistake.answer), lecture, strict=True)):
                yield "loop_mistake_not_caught", {"answer": mistake.answer}

    def runs(self, typed: str | None) -> list["LoopRun"]:
        """The loop on every case, with ``typed`` in place of the part (None: the lecture's loop);
        raises ExpressionError when ``typed`` cannot be read. Kept for the next asks: the UI grades once
        off its thread, then again on it, and in the other language."""
        return list(loop_runs(self.part, typed, self.cases, tuple(self.without)))

    def grade(self, text: str, lang: str) -> Verdict:
        """The learner's part, run on every case beside the lecture's; raises ExpressionError for a part
        that cannot be read (no try is spent)."""
        mine, lecture = self.runs(text), self.runs(None)
        stored = " ".join(text.split())[:200]
        differ = next((n for n, (a, b) in enumerate(zip(mine, lecture, strict=True)) if not a.alike(b)), None)
        if differ is None:
            key = "quiz_loop_right_plane" if self.plane else "quiz_loop_right"  # lesson 9's loop, not the lecture's
            said = plural(key, lang, len(self.cases), n=len(self.cases))
            return Verdict(True, stored, lead(t("quiz_right", lang), lang) + said)
        shown = t(
            "quiz_loop_differs_plane" if self.plane else "quiz_loop_differs",
            lang,
            case=loop_case_words(self.cases[differ], lang),
            mine=loop_outcome(mine[differ], lang),
            lecture=loop_outcome(lecture[differ], lang),
        )
        mistake = self.mistake_in(text, mine)
        seen = f"\n\n{pick(mistake.why, lang)}" if mistake else ""
        return Verdict(False, stored, lead(t("quiz_wrong", lang), lang) + shown + seen)

    def mistake_in(self, text: str, runs: list["LoopRun"]) -> LoopMistake | None:
        """The declared mistake the learner's part is: the same part as written, or one that does the same
        on every case, to the same x."""
        from ..engine.loop import parse_part

        without = frozenset(self.without)
        typed = parse_part(self.part, text, plane=self.plane, without=without)
        for mistake in self.mistakes:
            if parse_part(self.part, mistake.answer, plane=self.plane, without=without) == typed:
                return mistake
        for mistake in self.mistakes:
            if all(a.same(b) for a, b in zip(self.runs(mistake.answer), runs, strict=True)):
                return mistake
        return None

    def lecture_part(self) -> str:
        """The lecture's own part (lesson 9's exit condition, on a surface), as the answer."""
        from ..engine.loop import LECTURE_PARTS, PLANE_EXIT

        return PLANE_EXIT if self.plane else LECTURE_PARTS[self.part]

    def reveal(self, lang: str) -> str:
        return lead(t("quiz_answer_is", lang), lang) + f"`{self.lecture_part()}`" + self.reason(lang)

    def replay(self, answer: str, lang: str) -> str:
        from ..engine.expr import ExpressionError

        try:
            return self.grade(answer, lang).feedback
        except ExpressionError:
            return answer


@functools.lru_cache(maxsize=32)
def loop_runs(
    part: str, typed: str | None, cases: tuple[Run, ...], without: tuple[str, ...] = ()
) -> tuple["LoopRun", ...]:
    """The loop on ``cases`` with ``typed`` as its ``part`` (None: the lecture's loop; on a surface, the
    exit condition of lesson 9's loop)."""
    from ..engine.loop import LoopCase, PlaneCase, parse_part, run_loop, run_loop_plane

    if any(case.plane for case in cases):
        test = parse_part(part, typed, plane=True, without=frozenset(without)) if typed is not None else None
        return tuple(
            run_loop_plane(
                case.make_surface(),
                PlaneCase(case.x0, case.y0 or 0.0, case.eta, case.precision, case.max_iter),
                test,
            )
            for case in cases
        )
    parts: dict[str, Node | Compare] | None = None
    if typed is not None:
        parts = {part: parse_part(part, typed, without=frozenset(without))}
    return tuple(
        run_loop(case.make_function(), LoopCase(case.x0, case.eta, case.precision, case.max_iter), parts)
        for case in cases
    )


def loop_case_words(case: Run, lang: str) -> str:
    """Where a case of a loop exercise starts, and its rate and precision, in words."""
    numbers = {"x0": f"{case.x0:g}", "eta": f"{case.eta:g}", "precision": f"{case.precision:g}"}
    if case.plane and case.y0 is not None:
        return t("quiz_loop_case_plane", lang, y0=f"{case.y0:g}", **numbers)
    return t("quiz_loop_case", lang, **numbers)


def loop_outcome(run: "LoopRun", lang: str) -> str:
    """What a loop did on a case, in a few words: 'stops after 43 updates, at x = 5.74961'. An x that six
    digits would show as a round number it is not is shown whole (5.749999999999998, not 5.75): a test
    such as x == 5.75 is about exactly that."""
    x = true_digits(run.x)
    if math.isfinite(run.x) and float(x) != run.x and len(x.replace(".", "").lstrip("-0")) < 6:
        x = repr(run.x)
    key = "quiz_loop_stops" if run.stopped else "quiz_loop_limit"
    if run.ys:  # the loop of a point: where it is, both coordinates
        return plural(f"{key}_plane", lang, run.steps, steps=run.steps, x=x, y=true_digits(run.y))
    return plural(key, lang, run.steps, steps=run.steps, x=x)


QuestionKind = ChoiceQuestion | MultipleQuestion | NumericQuestion | PredictQuestion | GoalQuestion | LoopQuestion
"""Every kind of question, told apart by ``kind:``."""


def _search_grid(lab: GoalLab, target: Target) -> tuple[Any, list[float], list[Any], list[int]]:
    """The values :func:`goal_reachable` tries: rates, precisions, starts (x0, or points (x0, y0) on a
    surface) and update limits."""
    import numpy as np

    editable = set(lab.editable)
    etas = _grid("eta", lab) if "eta" in editable else np.array([lab.eta])
    precisions = list(_grid("precision", lab)) if "precision" in editable else [lab.precision]
    starts: list[Any] = list(_grid("x0", lab)) if "x0" in editable else [lab.x0]
    if lab.plane:  # a start is a point: every x0 with every y0
        ys = list(_grid("y0", lab)) if "y0" in editable else [lab.y0]
        starts = list(itertools.product(starts, ys))
    if "max_iter" in editable:
        low, high = lab.limits.range("max_iter")
        limits = sorted({int(low), int(high), lab.max_iter})
    else:
        limits = [lab.max_iter]
    if target.max_steps is not None and target.status != "max_iter":
        limits = sorted({min(m, max(1, target.max_steps)) for m in limits})  # a longer run fails anyway
    return etas, precisions, starts, limits


def goal_search_work(lab: GoalLab, target: Target) -> int:
    """The most rate-updates :func:`goal_reachable` may make (its work budget is SEARCH_BUDGET)."""
    etas, precisions, starts, limits = _search_grid(lab, target)
    return len(etas) * len(precisions) * len(starts) * sum(limits)


def goal_reachable(lab: GoalLab, target: Target) -> bool:
    """Whether some values of the editable parameters, within their limits, meet ``target``.

    Searches a grid that includes the round numbers a learner types, running the learning rates of
    each grid point together with :func:`~gdtutor.engine.sweeps.sweep`.
    """
    import numpy as np

    from ..engine.sweeps import SweepResult, sweep, sweep_plane

    etas, precisions, starts, limits = _search_grid(lab, target)
    plane = lab.make_surface() if lab.plane else None
    for precision, start, max_iter in itertools.product(precisions, starts, limits):
        result: SweepResult
        if plane is not None:
            px, py = start
            result = sweep_plane(plane, etas, px, py, beta=lab.beta, precision=precision, max_iter=max_iter)
        else:
            result = sweep(lab.make_function(), etas, start, precision=precision, max_iter=max_iter)
        ok = np.ones(len(etas), dtype=bool)
        if target.status is not None:
            ok &= result.status == target.status
        if target.max_steps is not None:
            ok &= result.steps <= target.max_steps
        if target.min_steps is not None:
            ok &= result.steps >= target.min_steps
        if target.near is not None:
            ok &= np.abs(result.x - target.near) <= target.within
        if ok.any():
            return True
    return False


def _grid(name: str, lab: GoalLab) -> Any:
    import numpy as np

    low, high = lab.limits.range(name)
    if name in ("eta", "precision"):
        decades = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
        count = 200 if name == "eta" else 12
        round_numbers = [d * 10.0**k for k in decades for d in (range(1, 100) if name == "eta" else (1, 2, 5))]
        values = np.concatenate([np.geomspace(low, high, count), round_numbers, [low, high, getattr(lab, name)]])
    else:
        values = np.concatenate(
            [np.linspace(low, high, 21), np.arange(np.ceil(low), np.floor(high) + 1)[:201], [low, high]]
        )
    values = np.unique(np.round(values, 12))
    return values[(values >= low) & (values <= high)]
