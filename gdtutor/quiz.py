"""Grading quiz answers: what the learner gave, checked against the lesson or against a real run.

No Textual here: the quiz widgets call these, and the tests call them directly. Every answer that
depends on a run is computed by the engine when it is graded, never typed in by a lesson author.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .engine import DescentResult
from .i18n import status_name, t
from .lessons.model import Lesson, Question, pick

PREDICT_OUTCOMES = ("converged", "diverged", "oscillating", "max_iter")
"""What a learner may predict a run will do, in the order they are offered."""


@dataclass(frozen=True)
class Verdict:
    """One graded answer: whether it was right, how it is stored, and what the learner is told."""

    correct: bool
    answer: str
    """The answer as stored in the learner's progress."""
    feedback: str
    """Markdown: why the answer is right or wrong."""


class NotANumber(ValueError):
    """The learner typed something that is not a number; the message is gentle and says so."""


def parse_number(text: str) -> float:
    """A number as people type it: ``0.5``, ``.5``, ``5e-1``, ``1,000``, ``1_000``, full-width digits.

    Raises :class:`NotANumber` for anything else (including nan and inf, which are no answer).
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("。", ".")
    cleaned = cleaned.replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned or len(cleaned) > 40:
        raise NotANumber(text)
    try:
        value = float(cleaned)
    except ValueError:
        raise NotANumber(text) from None
    if not math.isfinite(value):
        raise NotANumber(text)
    return value


def _num(value: float) -> str:
    return f"{value:.6g}"


def _reason(question: Question, lang: str) -> str:
    explain = pick(question.explain, lang)
    return f"\n\n{explain}" if explain else ""


def grade_choice(question: Question, picked: Iterable[int], lang: str) -> Verdict:
    """Single or multiple choice: right when exactly the correct options were picked.

    The feedback explains every picked option (why it is right or wrong), and for a multiple-choice
    question that misses some, says that a right option was left out without naming it.
    """
    chosen = sorted(set(picked))
    right = {i for i, option in enumerate(question.options) if option.correct}
    correct = set(chosen) == right
    lines = []
    for i in chosen:
        option = question.options[i]
        mark = "✓" if option.correct else "✗"
        lines.append(f"- {mark} **{letter(i)}. {pick(option.text, lang)}** {pick(option.why, lang)}")
    missed = right - set(chosen)
    if missed and question.kind == "multiple" and not correct:
        lines.append(f"- {t('quiz_missed', lang, n=len(missed))}")
    head = t("quiz_right", lang) if correct else t("quiz_wrong", lang)
    return Verdict(correct, ",".join(letter(i) for i in chosen), f"**{head}**\n\n" + "\n".join(lines))


def reveal_choice(question: Question, lang: str) -> str:
    """The right options of a choice question, each with its reasoning, and the explanation."""
    lines = [
        f"- ✓ **{letter(i)}. {pick(o.text, lang)}** {pick(o.why, lang)}"
        for i, o in enumerate(question.options)
        if o.correct
    ]
    return f"**{t('quiz_answer_is', lang)}**\n\n" + "\n".join(lines) + _reason(question, lang)


def letter(index: int) -> str:
    return "ABCDEFGH"[index]


def grade_numeric(question: Question, text: str, lang: str) -> Verdict:
    """A typed number against the answer (computed by the engine when it depends on a run).

    Raises :class:`NotANumber` when ``text`` is not a number, so no try is spent on a typo.
    """
    value = parse_number(text)
    answer = question.numeric_answer()
    tolerance = question.tolerance
    correct = abs(value - answer) <= tolerance + 1e-12 * max(1.0, abs(answer))
    head = t("quiz_right", lang) if correct else t("quiz_wrong", lang)
    if correct:
        detail = t("quiz_numeric_right", lang, answer=_num(answer))
    else:
        side = t("quiz_too_high", lang) if value > answer else t("quiz_too_low", lang)
        detail = t("quiz_numeric_wrong", lang, value=_num(value), side=side)
    return Verdict(correct, _num(value), f"**{head}** {detail}")


def reveal_numeric(question: Question, lang: str) -> str:
    answer = question.numeric_answer()
    within = f" (± {_num(question.tolerance)})" if question.tolerance else ""
    return f"**{t('quiz_answer_is', lang)}** {_num(answer)}{within}" + _reason(question, lang)


def describe_result(result: DescentResult, lang: str) -> str:
    """A run's outcome in a few words: 'converged after 43 updates, x = 5.7496'."""
    return t("quiz_result", lang, status=status_name(result.status.value, lang), steps=result.steps, x=_num(result.x))


def grade_prediction(question: Question, prediction: str, lang: str) -> tuple[Verdict, DescentResult]:
    """A prediction (an outcome, or a number of updates as typed) against the real run.

    Raises :class:`NotANumber` when a predicted number of updates is not a number.
    """
    assert question.run is not None
    result = question.run.run()
    actual = describe_result(result, lang)
    if question.predict == "steps":
        value = parse_number(prediction)
        correct = abs(value - result.steps) <= question.tolerance
        said = t("quiz_predicted_steps", lang, n=_num(value))
        stored = _num(value)
    else:
        correct = prediction == result.status.value
        said = status_name(prediction, lang)
        stored = prediction
    head = t("quiz_right", lang) if correct else t("quiz_wrong", lang)
    side_by_side = f"- {t('quiz_you_said', lang)}: **{said}**\n- {t('quiz_it_did', lang)}: **{actual}**"
    return Verdict(correct, stored, f"**{head}**\n\n{side_by_side}" + _reason(question, lang)), result


EDITABLE_FIELDS = ("eta", "precision", "x0", "max_iter")


def grade_goal(question: Question, values: dict[str, float | None], result: DescentResult, lang: str) -> Verdict:
    """The learner's run against the goal: any values within the allowed ranges that meet it pass.

    ``values`` are the parameters the run used; ``result`` is the engine's real result for them.
    """
    assert question.lab is not None and question.goal is not None
    lab = question.lab
    used = ", ".join(f"{name} = {_num(v)}" for name, v in values.items() if v is not None and name in lab.editable)
    for name in lab.editable:
        value = values.get(name)
        lo, hi = lab.limit(name)
        if value is None or not lo <= value <= hi:
            message = t("quiz_out_of_range", lang, name=name, lo=_num(lo), hi=_num(hi))
            return Verdict(False, used, f"**{t('quiz_wrong', lang)}** {message}")
    met = question.goal.met(result)
    what = describe_result(result, lang)
    if met:
        return Verdict(True, used, f"**{t('quiz_goal_met', lang)}** {used}: {what}." + _reason(question, lang))
    return Verdict(False, used, f"**{t('quiz_goal_not_met', lang)}** {used}: {what}. {goal_words(question, lang)}")


def goal_words(question: Question, lang: str) -> str:
    """What the goal asks, in words: 'The goal: converged, in at most 5 updates.'"""
    goal = question.goal
    assert goal is not None
    parts = []
    if goal.status:
        parts.append(status_name(goal.status, lang))
    if goal.max_steps is not None:
        parts.append(t("quiz_at_most", lang, n=goal.max_steps))
    if goal.min_steps is not None:
        parts.append(t("quiz_at_least", lang, n=goal.min_steps))
    if goal.near is not None:
        parts.append(t("quiz_near", lang, near=_num(goal.near), within=_num(goal.within)))
    return t("quiz_goal_is", lang, what=t("list_sep", lang).join(parts))


# --- review ------------------------------------------------------------------------------------------


def review_questions(
    lessons: Sequence[Lesson],
    wrong: dict[tuple[str, str], int],
    right: dict[tuple[str, str], int],
    count: int = 5,
    rng: random.Random | None = None,
) -> list[tuple[Lesson, Question]]:
    """Up to ``count`` different questions from ``lessons``, drawn at random with weights.

    A question answered wrongly before weighs more (1 + 3 x wrong answers), and each later right answer
    weighs it back down, so mistakes come back until they are fixed.
    """
    rng = rng or random.Random()  # noqa: S311 (which question comes next is no secret)
    pool = [(lesson, q) for lesson in lessons for q in lesson.questions]
    chosen: list[tuple[Lesson, Question]] = []
    while pool and len(chosen) < count:
        weights = [
            review_weight(wrong.get((lesson.id, q.id), 0), right.get((lesson.id, q.id), 0)) for lesson, q in pool
        ]
        index = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(index))
    return chosen


def review_weight(wrong: int, right: int) -> float:
    """How likely review is to bring a question back: mistakes raise it, later right answers lower it."""
    return (1 + 3 * wrong) / (1 + right)
