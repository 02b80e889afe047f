"""The figures the built-in lessons quote in their prose, checked against the engine.

Graded answers are computed by the engine when a question is graded; the explanations around them
are text, and quote runs ("84 updates", "inf at update 155"). Each quote below is looked up in its
lesson file (so a changed sentence fails here until its claim is updated) and recomputed with the
function and derivative the tutor itself runs (the lecture's).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from gdtutor.engine import LECTURE_FUNCTION, DescentResult, Function, descend
from gdtutor.engine.params import random_start
from gdtutor.engine.sweeps import sweep
from gdtutor.lessons import builtin_lessons_dir

ANSWER = 5.75
"""The lecture's minimum."""
STEEP_BOWL = "10*(x - 2)**2"
"""Lesson 5's bowl, ten times steeper than the lecture's (f'' = 20)."""
SCALED = "100*((x - 3.5)**2 - 4.5*x + 10)"
"""Lesson 7's loss: the lecture's, multiplied by 100."""
QUARTIC = "x^4 - 3x^3 + 2"
"""Lesson 7's quartic, minimum at 2.25."""
TWICE = "2*((x - 3.5)**2 - 4.5*x + 10)"
"""Lesson 7's curve twice as steep as the lecture's (f'' = 4)."""
TWO_AND_A_HALF = "2.5*((x - 3.5)**2 - 4.5*x + 10)"
"""2.5 times as steep (f'' = 5): where eta 0.4 stops converging."""


def run(
    eta: float,
    precision: float = 1e-4,
    max_iter: int = 10_000,
    *,
    x0: float = 0.0,
    function: str = LECTURE_FUNCTION,
    gap: float = 0.1,
) -> DescentResult:
    return descend(Function.coerce(function), eta, x0, precision=precision, max_iter=max_iter, gap=gap)


# (lesson file, a sentence as the file has it, the run it quotes, what the run must give)
CLAIMS = [
    ("01-why-gradient-descent.yaml", "It stops after 43 updates at", run(0.1), {"steps": 43}),
    (
        "01-why-gradient-descent.yaml",
        "From x0 = 0 the loop ends at 5.749608675278042;",
        run(0.1),
        {"x": 5.749608675278042},
    ),
    (
        "01-why-gradient-descent.yaml",
        "from x0 = 9 it ends at 5.750345599278904.",
        run(0.1, x0=9),
        {"x": 5.750345599278904},
    ),
    (
        "01-why-gradient-descent.yaml",
        "From x0 = 11 the loop stops after 43 updates at 5.750357296485267.",
        run(0.1, x0=11),
        {"steps": 43, "x": 5.750357296485267},
    ),
    (
        "01-why-gradient-descent.yaml",
        "and stops just before 5.75: at about 5.75036.",
        run(0.1, x0=11),
        {"x~": "5.75036"},
    ),
    ("01-why-gradient-descent.yaml", "only moves x by 1.05, to 9.95.", run(0.1, x0=11, max_iter=1), {"x~": "9.95"}),
    ("02-learning-rate.yaml", "From x0 = 0 they need 13 and 8 updates.", run(0.3), {"steps": 13}),
    ("02-learning-rate.yaml", "From x0 = 0 they need 13 and 8 updates.", run(0.4), {"steps": 8}),
    ("02-learning-rate.yaml", "350 updates from x0 = 0, against 43 for eta 0.1", run(0.01), {"steps": 350}),
    ("02-learning-rate.yaml", "84 updates, nearly twice 43.", run(0.05), {"steps": 84}),
    ("02-learning-rate.yaml", "eta 0.4 needs 8 updates from x0 = 0.", run(0.4), {"steps": 8}),
    ("02-learning-rate.yaml", "prints x = 1.38, then x = 2.4288.", run(0.12, max_iter=1), {"x~": "1.38"}),
    ("02-learning-rate.yaml", "prints x = 1.38, then x = 2.4288.", run(0.12, max_iter=2), {"x~": "2.4288"}),
    ("02-learning-rate.yaml", "24 updates, three times as many.", run(0.8), {"steps": 24}),
    ("02-learning-rate.yaml", "The first update lands at 9.2, 3.45 past 5.75", run(0.8, max_iter=1), {"x~": "9.2"}),
    ("03-precision-and-exit.yaml", "0.2: 0 updates, 0.01: 23, 0.001: 33", run(0.1, 0.2), {"steps": 0}),
    ("03-precision-and-exit.yaml", "0.2: 0 updates, 0.01: 23, 0.001: 33", run(0.1, 0.01), {"steps": 23}),
    (
        "03-precision-and-exit.yaml",
        "precision 0.1 stops after 0 updates from x0 = 4",
        run(0.1, 0.1, x0=4),
        {"steps": 0, "status": "converged"},
    ),
    (
        "03-precision-and-exit.yaml",
        "From x0 = 0 it stops after 9 updates, at about 4.98.",
        run(0.1, 0.2, gap=1.0),
        {"steps": 9, "x~": "4.98"},
    ),
    ("03-precision-and-exit.yaml", "0.01 stops too early (about 0.034 away)", run(0.1, 0.01), {"away": 0.034}),
    (
        "03-precision-and-exit.yaml",
        "Precision 0.001 stops after 33 updates, about 0.0036 from 5.75.",
        run(0.1, 0.001),
        {"steps": 33, "away": 0.0036},
    ),
    ("04-too-large.yaml", "until it is inf at update 155", run(50), {"steps": 155, "status": "diverged"}),
    (
        "04-too-large.yaml",
        "after 100 updates x is about -2.1e200, huge but finite.",
        run(50, max_iter=100),
        {"about_x": -2.1e200, "status": "max_iter"},
    ),
    (
        "04-too-large.yaml",
        "The finite check, at update 155.",
        run(50, max_iter=200),
        {"steps": 155, "status": "diverged"},
    ),
    ("04-too-large.yaml", "0.3 needs 13 updates and 0.4 needs 8", run(0.3), {"steps": 13}),
    ("05-oscillation.yaml", "shrinks by a tenth per update, so it converges.", run(0.95), {"status": "converged"}),
    ("05-oscillation.yaml", "eta 0.1 stops 0.00039 from 5.75", run(0.1), {"away~": "0.00039"}),
    ("05-oscillation.yaml", "eta 0.9 about 0.000042 away.", run(0.9), {"away~": "0.000042"}),
    (
        "05-oscillation.yaml",
        "x goes 0, 4, 0, 4, ... and oscillates.",
        run(0.1, function=STEEP_BOWL),
        {"status": "oscillating"},
    ),
    (
        "05-oscillation.yaml",
        "It converges after 1 update. g(5.75) = 0",
        run(1.0, x0=ANSWER),
        {"steps": 1, "status": "converged"},
    ),
    ("05-oscillation.yaml", "converges after 8 updates", run(0.6), {"steps": 8}),
    (
        "05-oscillation.yaml",
        "With eta 1.0 from x0 = 0, the lecture's `while True` loop would never stop.",
        run(1.0),
        {"status": "oscillating", "last_step": 11.5},
    ),
    ("05-oscillation.yaml", "eta 0.75 jumps back and forth too, but converges.", run(0.75), {"status": "converged"}),
    ("05-oscillation.yaml", "Yet from x0 = 0 the loop counts 2 updates.", run(0.5), {"steps": 2}),
    ("06-what-stop-measures.yaml", "350 updates, and x ends at 5.74511578990333", run(0.01), {"x": 5.74511578990333}),
    ("06-what-stop-measures.yaml", "464 at 0.00001, 578 at 0.000001", run(0.01, 1e-5), {"steps": 464}),
    ("06-what-stop-measures.yaml", "464 at 0.00001, 578 at 0.000001", run(0.01, 1e-6), {"steps": 578}),
    ("06-what-stop-measures.yaml", "Precision 0.000002 stops after 544 updates", run(0.01, 2e-6), {"steps": 544}),
    ("07-choosing-the-rate.yaml", "0.05: 84 updates, 0.1: 43, 0.2: 21.", run(0.2), {"steps": 21}),
    ("07-choosing-the-rate.yaml", "0.4 and 0.6: 8, 0.45 and 0.55: 6, 0.5: 2.", run(0.45), {"steps": 6}),
    ("07-choosing-the-rate.yaml", "0.4 and 0.6: 8, 0.45 and 0.55: 6, 0.5: 2.", run(0.55), {"steps": 6}),
    ("07-choosing-the-rate.yaml", "0.75: 18, 0.9: 53, 0.95: 112.", run(0.75), {"steps": 18}),
    ("07-choosing-the-rate.yaml", "0.75: 18, 0.9: 53, 0.95: 112.", run(0.95), {"steps": 112}),
    ("07-choosing-the-rate.yaml", "1.0 oscillates; 1.05 and above diverge.", run(1.0), {"status": "oscillating"}),
    ("07-choosing-the-rate.yaml", "1.0 oscillates; 1.05 and above diverge.", run(1.05), {"status": "diverged"}),
    (
        "07-choosing-the-rate.yaml",
        "From x0 = 4 the rate 0.1 blows up.",
        run(0.1, x0=4, function=QUARTIC),
        {"status": "diverged"},
    ),
    (
        "07-choosing-the-rate.yaml",
        "0.01 stops at 2.2504 after 31 updates.",
        run(0.01, x0=4, function=QUARTIC),
        {"x~": "2.2504", "steps": 31},
    ),
    (
        "07-choosing-the-rate.yaml",
        "0.001 stops at 2.2548, too far away",
        run(0.001, x0=4, function=QUARTIC),
        {"x~": "2.2548"},
    ),
    ("07-choosing-the-rate.yaml", 'converge" at about -0.017.', run(0.04, x0=4, function=QUARTIC), {"x~": "-0.017"}),
    (
        "07-choosing-the-rate.yaml",
        "It diverges: the factor is 1 - 0.1 * 200 = -19.",
        run(0.1, function=SCALED),
        {"status": "diverged"},
    ),
    (
        "07-choosing-the-rate.yaml",
        "after 1000 updates x is only at about 4.97 and the steps (0.00156)",
        run(0.001, max_iter=1000),
        {"x~": "4.97", "last_step~": "0.00156", "status": "max_iter"},
    ),
    ("07-choosing-the-rate.yaml", "slowly: 2372 updates from x0 = 0.", run(0.001), {"steps": 2372}),
    (
        "07-choosing-the-rate.yaml",
        "0.5 is then at the edge and oscillates forever, while 0.4 still converges, in 24 updates from x0 = 0.",
        run(0.5, function=TWICE),
        {"status": "oscillating"},
    ),
    (
        "07-choosing-the-rate.yaml",
        "0.5 is then at the edge and oscillates forever, while 0.4 still converges, in 24 updates from x0 = 0.",
        run(0.4, function=TWICE),
        {"status": "converged", "steps": 24},
    ),
    (
        "07-choosing-the-rate.yaml",
        "At 2.5 times it oscillates, beyond that it diverges,",
        run(0.4, function=TWO_AND_A_HALF),
        {"status": "oscillating"},
    ),
    (
        "07-choosing-the-rate.yaml",
        "At 2.5 times it oscillates, beyond that it diverges,",
        run(0.4, function="2.6*((x - 3.5)**2 - 4.5*x + 10)"),
        {"status": "diverged"},
    ),
    (
        "07-choosing-the-rate.yaml",
        "(f'' = 20), even 0.1 oscillates.",
        run(0.1, function=STEEP_BOWL),
        {"status": "oscillating"},
    ),
    (
        "07-choosing-the-rate.yaml",
        "on a curve twice as steep, 0.5 oscillates while 0.4 converges in 24 updates from x0 = 0.",
        run(0.4, function=TWICE),
        {"status": "converged", "steps": 24},
    ),
    (
        "07-choosing-the-rate.yaml",
        "From x0 = 0, 0.5 ends exactly at 5.75; 0.3 stops at 5.7499614124032.",
        run(0.3),
        {"x": 5.7499614124032},
    ),
    (
        "06-what-stop-measures.yaml",
        "eta 0.4 stops 0.000015 away after 8 updates",
        run(0.4),
        {"steps": 8, "away": 1.5e-5},
    ),
]


def _value(result: DescentResult, what: str) -> object:
    what = what.rstrip("~")
    if what == "away":
        return abs(result.x - ANSWER)
    if what == "status":
        return result.status.value
    if what == "last_step":
        return result.delta
    return result.x if what == "about_x" else getattr(result, what)


APPROXIMATE = ("away", "about_x")
"""Figures a lesson rounds ("about 0.0036"): compared to two significant digits; the others exactly."""


def _rounded_like(value: float, quoted: str) -> float:
    """``value`` rounded to as many significant digits as ``quoted`` shows ("0.000042": two)."""
    digits = quoted.lstrip("-").replace(".", "").lstrip("0")
    return float(f"{value:.{len(digits)}g}")


def _lesson_text(name: str) -> str:
    return " ".join((builtin_lessons_dir() / name).read_text(encoding="utf-8").split())


@pytest.mark.parametrize(("name", "sentence", "result", "expected"), CLAIMS, ids=[c[1][:40] for c in CLAIMS])
def test_a_lesson_quotes_the_engine(name: str, sentence: str, result: DescentResult, expected: dict) -> None:
    assert " ".join(sentence.split()) in _lesson_text(name), f"{name} no longer says {sentence!r}"
    for what, value in expected.items():
        got = _value(result, what)
        if what.endswith("~"):  # quoted as written, rounded: "about 0.00082"
            assert isinstance(got, float)
            assert _rounded_like(got, value) == float(value), (what, got)
        elif what in APPROXIMATE:
            assert got == pytest.approx(value, rel=0.05), (what, got)
        else:
            assert got == value, (what, got)


def _eta_meets(eta: float, max_steps: int) -> bool:
    """Whether ``eta`` converges from x0 = 0 within ``max_steps`` updates (the lecture's function)."""
    result = run(eta)
    return result.status.value == "converged" and result.steps <= max_steps


@pytest.mark.parametrize(
    ("name", "sentences", "max_steps", "quoted"),
    [
        (
            "04-too-large.yaml",
            ["anything from about 0.27 to 0.72 works", "大约 0.27 到 0.72 之间都可以"],
            15,
            (0.27, 0.72),
        ),
        (
            "02-learning-rate.yaml",
            ["Any eta from about 0.47 to 0.53 works", "大约 0.47 到 0.53 之间都可以"],
            5,
            (0.47, 0.53),
        ),
    ],
)
def test_a_goal_quotes_the_range_the_engine_finds(
    name: str, sentences: list[str], max_steps: int, quoted: tuple[float, float]
) -> None:
    """Both ends as written meet the goal, every rate between them does (on a grid of 0.001), and
    the next rates out at the quoted rounding (0.01) do not: the range is the widest one that holds."""
    text = _lesson_text(name)
    for sentence in sentences:
        assert sentence in text, f"{name} no longer says {sentence!r}"
    low, high = quoted
    etas = np.round(np.arange(low, high + 0.0005, 0.001), 3)
    result = sweep(Function.coerce(LECTURE_FUNCTION), etas, 0.0, precision=1e-4, max_iter=10_000)
    assert ((result.status == "converged") & (result.steps <= max_steps)).all()
    assert _eta_meets(low, max_steps) and _eta_meets(high, max_steps)
    assert not _eta_meets(round(low - 0.01, 2), max_steps) and not _eta_meets(round(high + 0.01, 2), max_steps)


def _precision_meets(precision: float) -> bool:
    """Whether lesson 3's goal holds: eta 0.1 from x0 = 0 stops within 35 updates, within 0.01 of 5.75."""
    result = run(0.1, precision)
    return result.status.value == "converged" and result.steps <= 35 and abs(result.x - ANSWER) <= 0.01


def test_the_precision_goal_quotes_the_range_the_engine_finds() -> None:
    """Both ends as written meet the goal, every precision between them does, and the next ones out
    at the quoted rounding (0.0001) do not."""
    text = _lesson_text("03-precision-and-exit.yaml")
    assert "Anything from about 0.0006 to 0.0027 works." in text and "大约 0.0006 到 0.0027 之间都可以" in text
    low, high = 0.0006, 0.0027
    assert all(_precision_meets(p) for p in np.geomspace(low, high, 400))
    assert _precision_meets(low) and _precision_meets(high)
    assert not _precision_meets(low - 0.0001) and not _precision_meets(high + 0.0001)


def test_the_gap_equal_to_the_precision_is_smaller_in_floating_point() -> None:
    assert "`(4 + 0.1) - 4` is 0.09999999999999964" in _lesson_text("03-precision-and-exit.yaml")
    assert repr((4 + 0.1) - 4) == "0.09999999999999964"


def test_eta_0_9_needs_about_ten_more_updates_and_stops_about_nine_times_closer() -> None:
    """Lesson 5: the same factor size as 0.1, a step nine times longer at the same distance."""
    text = _lesson_text("05-oscillation.yaml")
    assert "that takes about ten more" in text and "eta 0.9, about nine times closer." in text
    assert "学习率 0.9，离答案的距离大约只有 0.1 的九分之一。" in text
    slow, jumpy = run(0.1), run(0.9)
    assert jumpy.steps - slow.steps == 10
    assert round(abs(slow.x - ANSWER) / abs(jumpy.x - ANSWER)) == 9
    # the template's starts: about ten more from every one of them
    for x0 in (0, 1, 2, 3, 4, 10, 11):
        assert 9 <= run(0.9, x0=x0).steps - run(0.1, x0=x0).steps <= 11, x0


def test_the_scaled_loss_at_a_hundredth_of_the_rate_is_the_same_run() -> None:
    """Lesson 7: eta 0.001 on the loss times 100 retraces eta 0.1's run on the lecture's loss."""
    assert "eta 0.001 here retraces the run of eta 0.1 on the lecture's loss, 43 updates, up to rounding." in (
        _lesson_text("07-choosing-the-rate.yaml")
    )
    scaled, lecture = run(0.001, function=SCALED), run(0.1)
    assert scaled.steps == lecture.steps == 43
    assert list(scaled.trace) == pytest.approx(list(lecture.trace), rel=1e-12)


def test_randint_draws_the_whole_numbers_0_to_11() -> None:
    """Lesson 1: `np.random.randint(0, 12, size=1)[0]` gives 0 to 11, never 12, as a number."""
    assert "from 0 to 11 (the 12 is excluded)" in _lesson_text("01-why-gradient-descent.yaml")
    starts = {random_start(seed) for seed in range(500)}
    assert starts == set(range(12))
    assert isinstance(random_start(0), int)


def test_both_starts_stop_closer_than_0_0004_but_farther_than_the_precision() -> None:
    """Lesson 1: from x0 = 0 and from x0 = 9, x stops within 0.0004 of 5.75, yet farther than 0.0001."""
    text = _lesson_text("01-why-gradient-descent.yaml")
    assert "Both stop less than 0.0004 from 5.75" in text and "两次都停在离 5.75 不到 0.0004 的地方" in text
    assert "Both are farther than the precision 0.0001" in text
    for x0 in (0, 9):
        assert 1e-4 < abs(run(0.1, x0=x0).x - ANSWER) < 4e-4


def test_the_lectures_loop_at_eta_50_is_inf_then_nan() -> None:
    """Lesson 4: a numpy copy of the lecture's `while True` loop (bounded here) is inf after update
    155 and nan after update 156, and the exit test is False from then on."""
    text = _lesson_text("04-too-large.yaml")
    assert "then x becomes `inf` (update 155) and then `nan` (update 156)" in text
    assert "然后 x 变成 `inf`（第 155 次更新），接着变成 `nan`（第 156 次更新）" in text
    x, last_x, seen = np.float64(0.0), np.float64(0.1), {}
    with np.errstate(over="ignore", invalid="ignore"):
        for update in range(1, 161):
            assert not np.abs(x - last_x) < 1e-4
            last_x, x = x, x - 50 * (2 * (x - 3.5) - 4.5)
            seen[update] = x
    assert np.isfinite(seen[154]) and np.isinf(seen[155]) and np.isnan(seen[156]) and np.isnan(seen[160])


def test_the_die_question_has_one_line_that_throws_1_to_6() -> None:
    """Lesson 1 asks which randint line throws a die; numpy itself draws each option's values."""
    (question,) = [q for lesson in _builtin_lessons() for q in lesson.questions if q.id == "why-randint-die"]
    throws = []
    for option in question.options:
        call = re.fullmatch(r"`np\.random\.randint\((\d+), (\d+), size=1\)(\[0\])?`", option.text["en"])
        assert call is not None and option.text["zh"] == option.text["en"], option.text
        low, high = int(call[1]), int(call[2])
        draws = [np.random.RandomState(seed).randint(low, high, size=1) for seed in range(300)]
        values = {int(d[0]) for d in draws}
        a_number = call[3] is not None  # [0] takes the number out of the array of one
        throws.append(values == set(range(1, 7)) and a_number)
    assert throws == [bool(option.correct) for option in question.options]
    assert throws.count(True) == 1


def test_the_update_limit_question_names_the_function_it_runs() -> None:
    """Lesson 7 asks about eta 0.001 right after the quartic: its prompt names the lecture's function,
    the one its run uses."""
    (question,) = [q for lesson in _builtin_lessons() for q in lesson.questions if q.id == "rate-predict-limit"]
    assert question.run.function in (None, LECTURE_FUNCTION)
    assert all(f"`{LECTURE_FUNCTION}`" in question.prompt[lang] for lang in ("en", "zh"))


def _builtin_lessons() -> list:
    from gdtutor.lessons import builtin_lesson_files
    from gdtutor.lessons.load import load_lesson

    loaded = [load_lesson(path, run_checks=False) for path in builtin_lesson_files()]
    return [entry.lesson for entry in loaded if entry.lesson is not None]


def test_the_random_start_lab_has_a_random_start() -> None:
    """Lesson 1 gives a lab whose start is drawn (no x0, no seed), with the start editable."""
    from gdtutor.lessons.model import LabStep

    lessons = {lesson.id: lesson for lesson in _builtin_lessons()}
    labs = [s for s in lessons["why-gradient-descent"].steps if isinstance(s, LabStep)]
    random_labs = [lab for lab in labs if lab.setup().random and lab.seed is None]
    assert random_labs and all("x0" in lab.editable for lab in random_labs)


def test_every_lesson_file_is_a_built_in_one() -> None:
    files = {c[0] for c in CLAIMS}
    assert files <= {p.name for p in Path(builtin_lessons_dir()).glob("*.yaml")}


def test_0_4_converges_on_every_curve_less_than_2_5_times_as_steep() -> None:
    """Lesson 7: the margin of 0.4 below the best rate 0.5 holds while 0.4 * f'' < 2, that is on the
    lecture's curve scaled by less than 2.5 (f'' = 2 * scale), and no further."""
    text = _lesson_text("07-choosing-the-rate.yaml")
    assert "0.4 converges only while 0.4 * f'' < 2, that is on a curve less than 2.5 times as steep" in text
    for scale in np.arange(0.1, 2.5, 0.05):
        assert run(0.4, function=f"{scale:.2f}*({LECTURE_FUNCTION})").status.value == "converged", scale
    for scale in (2.5, 2.6, 3, 5, 10):
        assert run(0.4, function=f"{scale}*({LECTURE_FUNCTION})").status.value != "converged", scale


def test_eta_0_5_needs_2_updates_from_any_start_but_the_minimum() -> None:
    """Lesson 2's template says so for every start it draws; the engine agrees on a wide sweep of starts."""
    assert "From any start but 5.75 itself, eta 0.5 needs 2 updates." in " ".join(
        _lesson_text("02-learning-rate.yaml").split()
    )
    for x0 in [-100, -3.3, 0, 1, 5.7, 5.8, 9, 20.5, 100]:
        assert run(0.5, x0=x0).steps == 2, x0
    assert run(0.5, x0=5.75).steps == 1


def test_about_ten_more_updates_per_factor_of_ten_of_precision() -> None:
    """Lesson 3's template explains every instance it draws with 'about 10 more for each factor of 10'."""
    counts = [run(0.1, p).steps for p in (1e-4, 1e-5, 1e-6, 1e-7, 1e-8)]
    assert counts == [43, 54, 64, 74, 85]
    assert all(9 <= b - a <= 11 for a, b in itertools.pairwise(counts))
