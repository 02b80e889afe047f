"""Review: questions drawn from every lesson the learner has started, mistakes coming back more often.

No Textual here. Grading is the questions' own (:mod:`gdtutor.lessons.questions`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .lessons.model import Lesson
from .lessons.questions import QuestionKind


def review_questions(
    lessons: Sequence[Lesson],
    wrong: dict[tuple[str, str], int],
    right: dict[tuple[str, str], int],
    count: int = 5,
    rng: random.Random | None = None,
) -> list[tuple[Lesson, QuestionKind]]:
    """Up to ``count`` different questions from ``lessons``, drawn at random with weights.

    A question answered wrongly before weighs more (1 + 3 x wrong answers), and each later right answer
    weighs it back down, so mistakes come back until they are fixed.
    """
    rng = rng or random.Random()  # noqa: S311 (which question comes next is no secret)
    pool = [(lesson, q) for lesson in lessons for q in lesson.questions]
    chosen: list[tuple[Lesson, QuestionKind]] = []
    while pool and len(chosen) < count:
        weights = [
            review_weight(wrong.get((lesson.id, q.question_id), 0), right.get((lesson.id, q.question_id), 0))
            for lesson, q in pool
        ]
        index = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(index))
    return chosen


def review_weight(wrong: int, right: int) -> float:
    """How likely review is to bring a question back: mistakes raise it, later right answers lower it."""
    return (1 + 3 * wrong) / (1 + right)
