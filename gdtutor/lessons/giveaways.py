"""Feedback that gives an answer away, found mechanically across a lesson's questions (and a goal's
hint that names a value meeting the goal).

A learner reads every hint, every option's ``why`` and every explanation of the questions around the one
they answer (``n`` and ``p`` move between them, and a wrong try shows its option's ``why``). So none of
them may hold another question's answer: a number that answers a numeric question or a predicted
count, or, in a wrong option's ``why``, the text of the same question's right option. A question's own
explanation is shown once it is settled, and may give its answer. This is what a checker can see; it
does not replace reading the feedback as a learner would.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from .questions import (
    ChoiceQuestion,
    GoalQuestion,
    NumericQuestion,
    PredictQuestion,
    Question,
    RunQuestion,
    run_to_end,
)
from .text import Text

Place = tuple[Any, ...]
Found = tuple[Place, str, dict[str, Any]]

NUMBER = re.compile(r"(?<![\w.^])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")
"""A number as lessons write them: 43, 5.75, 0.00082, 1e-6, 1,000."""


SHORTEST = 4
"""Fewest characters of a right option's text worth looking for ('对的', 'yes' are in many sentences)."""


def flat(text: str) -> str:
    """``text`` for a comparison of wording: case, punctuation, markdown and spacing left out."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(c if c.isalnum() or c.isspace() else " " for c in text).split())


def texts(value: Text | None) -> list[str]:
    """Every language's text of ``value``."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value.values() if isinstance(v, str)]


COUNTED = re.compile(r"\s*(?:updates?\b|次)")
"""What follows a number that counts updates: '43 updates', '43 次'."""


class Answer:
    """A number that answers a question, and how close another number must be to give it away.

    A count of updates gives itself away only as a count ('50 updates'): the same number is often a
    rate or a start ('eta 50')."""

    def __init__(self, question: Question, value: float, within: float, *, count: bool) -> None:
        self.question = question
        self.value = value
        self.within = within
        self.count = count

    def given_in(self, text: str) -> bool:
        """Whether ``text`` writes this answer."""
        for match in NUMBER.finditer(text):
            number = float(match.group().replace(",", ""))
            if abs(number - self.value) > self.within + 1e-9 * max(1.0, abs(self.value)):
                continue
            if not self.count or COUNTED.match(text, match.end()):
                return True
        return False


def answers(question: Question) -> list[Answer]:
    """The numbers that answer ``question``, in every instance it can draw (none for one answered by
    choosing or by experiment). A count of one digit is left out: 0 to 9 appear in every text for other
    reasons; and so is an exponent (the 16 of 10^16)."""
    found = []
    for asked in question.instances() if isinstance(question, RunQuestion) else [question]:
        if isinstance(asked, NumericQuestion):
            value, within, count = asked.value(), asked.within, asked.counts_updates
        elif isinstance(asked, PredictQuestion) and asked.predict == "steps":
            value, within, count = float(run_to_end(asked.run).steps), float(asked.tolerance), True
        else:
            return []
        if not (value == int(value) and abs(value) < 10):
            found.append(Answer(question, value, within, count=count))
    return found


def shown_texts(question: Question, *, own: bool) -> Iterator[tuple[Place, list[Any], Text]]:
    """The texts a learner may read around a question, each with its place below the question and how
    to name it: hints, options' whys, the mistakes' whys, and (for another question) the explanation."""
    for n, hint in enumerate(question.hints):
        yield _below("hints", n), [["key", "hints"], ["item", n + 1]], hint
    if isinstance(question, ChoiceQuestion):
        for n, option in enumerate(question.options):
            yield _below("options", n), [["key", "options"], ["item", n + 1], ["why"]], option.why
    if isinstance(question, NumericQuestion):
        for n, mistake in enumerate(question.mistakes):
            yield _below("mistakes", n), [["key", "mistakes"], ["item", n + 1], ["why"]], mistake.why
    if not own and question.explain is not None:
        yield (), [["key", "explain"]], question.explain


def _below(key: str, n: int) -> Place:
    """The place of item ``n`` of a question's ``key``, below the question."""
    return (key, n)


def giveaways(questions: Sequence[tuple[Place, Question]]) -> Iterator[Found]:
    """Every text that gives away an answer: ``gives_answer`` (a number that answers a question, in a
    text shown around it; once per text and question, whichever instance it answers),
    ``why_names_right`` (a wrong option's why that holds the right option's text) and
    ``hint_meets_goal`` (a goal's hint naming a value that meets it)."""
    found = [(place, q, a) for place, q in questions for a in answers(q)]
    for place, question in questions:
        for sub, where, text in shown_texts(question, own=False):
            told: set[int] = set()  # the questions this text was found to answer
            for answer_place, answered, answer in found:
                if (answered is question and sub == ()) or id(answered) in told:
                    continue  # its own explanation is shown once it is settled
                if any(answer.given_in(words) for words in texts(text)):
                    told.add(id(answered))
                    fields = {"where": where, "value": answer.value, "question": _named(answered, answer_place)}
                    yield place + sub, "gives_answer", fields
        if isinstance(question, ChoiceQuestion):
            yield from _names_right(place, question)
        if isinstance(question, GoalQuestion):
            yield from _hints_meet_goal(place, question)


def _hints_meet_goal(place: Place, question: GoalQuestion) -> Iterator[Found]:
    """A goal's hint that names a value which, typed into the lab, meets the goal: the experiment is then
    done by reading. (Only for a goal with one value to change: with more, a hint's number is one part.)"""
    import msgspec

    if len(question.lab.editable) != 1:
        return
    name = question.lab.editable[0]
    low, high = question.lab.limits.range(name)
    for n, hint in enumerate(question.hints):
        values = [float(m.group().replace(",", "")) for words in texts(hint) for m in NUMBER.finditer(words)]
        for value in values:
            if not low <= value <= high:
                continue
            lab = msgspec.structs.replace(question.lab, **{name: int(value) if name == "max_iter" else value})
            if question.goal.met(run_to_end(lab)):
                where = [["key", "hints"], ["item", n + 1]]
                yield (*place, *_below("hints", n)), "hint_meets_goal", {"where": where, "value": value}
                break


def _named(question: Question, place: Place) -> str:
    """A question as the checker names it: its id, or its place (step and question, from 1)."""
    return question.id or ".".join(str(n + 1) for n in place if isinstance(n, int))


def _names_right(place: Place, question: ChoiceQuestion) -> Iterator[Found]:
    right = [question.options[i] for i in sorted(question.right)]
    for n, option in enumerate(question.options):
        if option.correct:
            continue
        whys = [flat(w) for w in texts(option.why)]
        for good in right:
            shown = (flat(w) for w in texts(good.text))
            named = [g for g in shown if len(g) >= SHORTEST and any(g in why for why in whys)]
            if named:
                where = [["key", "options"], ["item", n + 1], ["why"]]
                yield (*place, "options", n), "why_names_right", {"where": where, "text": named[0]}
                break
