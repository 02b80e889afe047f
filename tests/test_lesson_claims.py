"""The figures the built-in lessons quote in their prose, checked against the engine.

Graded answers are computed by the engine when a question is graded; the explanations around them
are text, and quote runs ("84 updates", "inf at update 155"). Each quote below is looked up in its
lesson file (so a changed sentence fails here until its claim is updated) and recomputed with the
function and derivative the tutor itself runs (the lecture's).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gdtutor.engine import LECTURE_FUNCTION, DescentResult, Function, descend
from gdtutor.lessons import builtin_lessons_dir

ANSWER = 5.75
"""The lecture's minimum."""


def run(eta: float, precision: float = 1e-4, max_iter: int = 10_000) -> DescentResult:
    return descend(Function.coerce(LECTURE_FUNCTION), eta, 0.0, precision=precision, max_iter=max_iter)


# (lesson file, a sentence as the file has it, the run it quotes, what the run must give)
CLAIMS = [
    ("01-why-gradient-descent.yaml", "It stops after 43 updates at", run(0.1), {"steps": 43}),
    (
        "01-why-gradient-descent.yaml",
        "43 updates, ending at x = 5.749608675278042.",
        run(0.1),
        {"x": 5.749608675278042},
    ),
    ("02-learning-rate.yaml", "From x0 = 0 they need 13 and 8 updates.", run(0.3), {"steps": 13}),
    ("02-learning-rate.yaml", "From x0 = 0 they need 13 and 8 updates.", run(0.4), {"steps": 8}),
    ("02-learning-rate.yaml", "350 updates from x0 = 0, against 43 for eta 0.1", run(0.01), {"steps": 350}),
    ("02-learning-rate.yaml", "84 updates, nearly twice 43.", run(0.05), {"steps": 84}),
    ("02-learning-rate.yaml", "stops after 2 updates. Why 2 and not 1?", run(0.5), {"steps": 2}),
    ("03-precision-and-exit.yaml", "0.2: 0 updates, 0.01: 23, 0.001: 33", run(0.1, 0.2), {"steps": 0}),
    ("03-precision-and-exit.yaml", "0.2: 0 updates, 0.01: 23, 0.001: 33", run(0.1, 0.01), {"steps": 23}),
    ("03-precision-and-exit.yaml", "64 updates. Two factors of 10", run(0.1, 1e-6), {"steps": 64}),
    ("03-precision-and-exit.yaml", "0.01 stops too early (about 0.034 away)", run(0.1, 0.01), {"away": 0.034}),
    (
        "03-precision-and-exit.yaml",
        "Precision 0.001 stops after 33 updates, about 0.0036 from 5.75.",
        run(0.1, 0.001),
        {"steps": 33, "away": 0.0036},
    ),
    ("04-too-large.yaml", "until it is inf at update 155", run(50), {"steps": 155, "status": "diverged"}),
    ("04-too-large.yaml", "After 100 updates x is about -2.1e200", run(50, max_iter=100), {"about_x": -2.1e200}),
    ("04-too-large.yaml", "0.3 needs 13 updates and 0.4 needs 8", run(0.3), {"steps": 13}),
    ("05-oscillation.yaml", "from x0 = 0 they need 53 and 43 updates", run(0.9), {"steps": 53}),
    ("05-oscillation.yaml", "from side to side: 18 updates", run(0.75), {"steps": 18}),
    ("05-oscillation.yaml", "converges after 8 updates", run(0.6), {"steps": 8}),
    ("05-oscillation.yaml", "Yet the loop counts 2 updates.", run(0.5), {"steps": 2}),
    ("06-what-stop-measures.yaml", "350 updates, and x ends at 5.74511578990333", run(0.01), {"x": 5.74511578990333}),
    ("06-what-stop-measures.yaml", "464 at 0.00001, 578 at 0.000001", run(0.01, 1e-5), {"steps": 464}),
    ("06-what-stop-measures.yaml", "464 at 0.00001, 578 at 0.000001", run(0.01, 1e-6), {"steps": 578}),
    ("06-what-stop-measures.yaml", "Precision 0.000002 stops after 544 updates", run(0.01, 2e-6), {"steps": 544}),
    (
        "06-what-stop-measures.yaml",
        "eta 0.4 stops 0.000015 away after 8 updates",
        run(0.4),
        {"steps": 8, "away": 1.5e-5},
    ),
]


def _value(result: DescentResult, what: str) -> object:
    if what == "away":
        return abs(result.x - ANSWER)
    if what == "status":
        return result.status.value
    return result.x if what == "about_x" else getattr(result, what)


APPROXIMATE = ("away", "about_x")
"""Figures a lesson rounds ("about 0.0036"): compared to two significant digits; the others exactly."""


@pytest.mark.parametrize(("name", "sentence", "result", "expected"), CLAIMS, ids=[c[1][:40] for c in CLAIMS])
def test_a_lesson_quotes_the_engine(name: str, sentence: str, result: DescentResult, expected: dict) -> None:
    text = (builtin_lessons_dir() / name).read_text(encoding="utf-8")
    assert " ".join(sentence.split()) in " ".join(text.split()), f"{name} no longer says {sentence!r}"
    for what, value in expected.items():
        got = _value(result, what)
        if what in APPROXIMATE:
            assert got == pytest.approx(value, rel=0.05), (what, got)
        else:
            assert got == value, (what, got)


def test_every_lesson_file_is_a_built_in_one() -> None:
    files = {c[0] for c in CLAIMS}
    assert files <= {p.name for p in Path(builtin_lessons_dir()).glob("*.yaml")}
