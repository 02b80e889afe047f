"""Lesson 8 (the normal equation against gradient descent): every figure its prose quotes, in both
languages, is rebuilt here from the engine (the race's sizes, the counts of multiplications, the
descent's updates on the race's own data) and looked up in the lesson file, so that a changed race
or a changed sentence fails here until the other follows. Timings are the machine's, and the lesson
quotes none; benchmarks/race_bench.py measures them.
"""

from __future__ import annotations

import numpy as np
import pytest

from gdtutor.engine.params import DEFAULT_PRECISION, RACE_FEATURES, RACE_SAMPLES_PER_FEATURE
from gdtutor.engine.regression import LECTURE_FEATURES, POWER_ROUNDS, Costs, gradient_descent, make_data
from gdtutor.lessons import builtin_lessons_dir
from gdtutor.lessons.load import load_lesson
from gdtutor.lessons.model import RegressionStep
from gdtutor.telling import data_size

LESSON = builtin_lessons_dir() / "08-normal-equation.yaml"
PER = RACE_SAMPLES_PER_FEATURE
LARGEST = Costs(PER * RACE_FEATURES[-1], RACE_FEATURES[-1])


def flat(text: str) -> str:
    return " ".join(text.split())


def says(*sentences: str) -> None:
    text = flat(LESSON.read_text(encoding="utf-8"))
    for sentence in sentences:
        assert flat(sentence) in text, f"lesson 8 no longer says {sentence!r}"


def doubling(count: str, d: int = RACE_FEATURES[-2], samples: int | None = None) -> int:
    """How many times ``count`` grows when the features double (rows as in the race, or fixed)."""
    small = Costs(PER * d if samples is None else samples, d)
    large = Costs(PER * 2 * d if samples is None else samples, 2 * d)
    ratio = getattr(large, count) / getattr(small, count)
    assert ratio == int(ratio)
    return int(ratio)


def power10(n: int) -> str:
    exponent = len(str(n)) - 1
    assert n == 10**exponent, n
    return f"10^{exponent}"


def test_the_lesson_runs_the_engines_race() -> None:
    lesson = load_lesson(LESSON).lesson
    assert lesson is not None
    (step,) = [s for s in lesson.steps if isinstance(s, RegressionStep)]
    assert (step.features, step.samples_per_feature) == (RACE_FEATURES, RACE_SAMPLES_PER_FEATURE)


def test_the_race_as_the_lesson_describes_it() -> None:
    *first, last = (f"{d:,}" for d in RACE_FEATURES)
    says(
        f"linear data with {', '.join(first)} and {last} features, {PER} rows per feature",
        f"生成特征数分别为 {'、'.join([*first, last])} 的线性数据，每个特征 {PER} 行",
    )
    rows, numbers, size = f"{LARGEST.samples:,}", f"{LARGEST.data_numbers:,}", data_size(LARGEST.data_numbers)
    says(
        f"The largest data set holds {rows} rows and {numbers} numbers ({size})",
        f"最大的数据集有 {rows} 行、{numbers} 个数（{size}）",
    )
    normal, update = doubling("normal"), doubling("update")
    says(
        f"(n = {PER}*d)",
        f"the normal equation's `n*d^2 + d^3` grows {normal} times, one update's `2*n*d` only {update} times",
        f"正规方程的 `n*d^2 + d^3` 变成 {normal} 倍，梯度下降每次更新的 `2*n*d` 只变成 {update} 倍",
        f"found by {POWER_ROUNDS} power iterations",
        f"用 {POWER_ROUNDS} 次幂迭代估出来",
        f"the precision, {DEFAULT_PRECISION:g}",
        f"精确度 {DEFAULT_PRECISION:g}",
    )
    gram = data_size(Costs(PER * LECTURE_FEATURES, LECTURE_FEATURES).gram_numbers)
    says(
        f"The times at {LECTURE_FEATURES:,} features",
        f"`X^T X` alone would hold {gram} there",
        f"`X^T X` 就要占 {gram}",
    )


@pytest.mark.slow
def test_the_updates_the_lesson_quotes(full_race: dict) -> None:
    """The descent on the race's own data (the same seed), at every size: the whole race's rows, whose
    descent runs at the default precision and whose error is against ``np.linalg.lstsq``."""
    assert [row["features"] for row in full_race["rows"]] == list(RACE_FEATURES)
    updates = [row["gd_updates"] for row in full_race["rows"]]
    errors = [row["gd_error"] for row in full_race["rows"]]
    says(
        f"after {min(updates)} to {max(updates)} updates at every size",
        f"每个规模都只要 {min(updates)} 到 {max(updates)} 次更新",
    )
    # how far descent's answer is from lstsq, as the race's rows measure it: in times the precision
    times = [round(e / DEFAULT_PRECISION) for e in errors]
    words = {2: "two", 3: "three"}
    zh = {2: "两", 3: "三"}
    says(
        f"gradient descent by {words[min(times)]} to {words[max(times)]} times the precision "
        f"({min(errors):.1g} to {max(errors):.1g})",
        f"梯度下降差了精确度的{zh[min(times)]}到{zh[max(times)]}倍（{min(errors):.1g} 到 {max(errors):.1g}）",
    )


def test_the_counts_the_lesson_quotes() -> None:
    n = 1000  # with n fixed, doubling the features
    cube, gram, update = doubling("solve", samples=n), doubling("gram", samples=n), doubling("update", samples=n)
    says(
        f"double the features: `d^3` grows {cube} times, `n*d^2` {gram} times, `n*d` only {update} times",
        f"`d^3` 变成 {cube} 倍，`n*d^2` 变成 {gram} 倍，`n*d` 只变成 {update} 倍",
    )
    # the quiz: k times the features, n the same (its template draws k = 2, 3, 4)
    for k in (2, 3, 4):
        assert Costs(n, k * 8000).solve // Costs(n, 8000).solve == k**3
        assert Costs(n, k * 8000).gram // Costs(n, 8000).gram == k**2
        assert Costs(n, k * 8000).update // Costs(n, 8000).update == k
    says(
        "`(k*d)^3 = k^3 * d^3`: the solve takes k^3 times as long",
        "forming `X^T X` (`n*d^2`) grows k^2 times, and one gradient descent update (`2*n*d`) only k times",
        "`(k*d)^3 = k^3 * d^3`：解方程组的时间变成 k^3 倍",
        "算 `X^T X`（`n*d^2`）变成 k^2 倍，而梯度下降更新一次（`2*n*d`）只变成 k 倍",
    )
    far = Costs(1_000_000, LECTURE_FEATURES)
    big = data_size(far.gram_numbers)
    says(
        f"At {LECTURE_FEATURES:,} features `d^3` is {power10(far.solve)}, and `X^T X` alone holds "
        f"{power10(far.gram_numbers)} numbers ({big})",
        f"`d^3` 是 {power10(far.solve)}，光是 `X^T X` 就有 {power10(far.gram_numbers)} 个数（{big}）",
    )
    # the quiz: 1,000 samples and 5 features; 1,000,000 samples and 100,000 features
    small = Costs(1000, 5)
    says(
        f"With d = 5, `d^3` is {small.solve} and `n*d^2` is {small.gram:,}",
        f"d = 5 时，`d^3` 只有 {small.solve}，`n*d^2` 也只有 {small.gram:,}",
        f"You have {far.samples:,} samples and {far.features:,} features",
        f"`n*d^2` = {power10(far.gram)} multiplications, and the matrix holds "
        f"{power10(far.gram_numbers)} numbers ({big})",
        f"`2*n*d` = 2 x {power10(far.update)} multiplications",
        f"`n*d^2` is d/2 times one update's `2*n*d`: here {far.gram // (2 * far.update):,} times",
        f"这里是 {far.gram // (2 * far.update):,} 倍",
    )


def test_the_numeric_answer_is_the_count() -> None:
    lesson = load_lesson(LESSON).lesson
    assert lesson is not None
    (template,) = [q for q in lesson.questions if q.id == "normal-triple-features"]
    says("seconds at 8,000 features. About how many seconds at {features} features?")
    for seconds in (2, 3, 7):
        for features in (16_000, 24_000, 32_000):
            question = template.at({"seconds": seconds, "features": features})  # type: ignore[attr-defined]
            assert f"takes\n{seconds} seconds at 8,000 features" in question.prompt["en"]
            assert f"{features:,} features?" in question.prompt["en"]
            assert question.value() == seconds * Costs(1000, features).solve / Costs(1000, 8000).solve


def test_the_conditioning_the_lesson_quotes() -> None:
    """The race's data is well conditioned (largest over smallest curvature of the error about 4.3 at
    every size), and the first size with its columns multiplied by factors from 1 to 10 is not: about
    140, and about 470 updates instead of 23 (factors spread evenly on a log scale; spread evenly on
    a linear one they give 143 and 465)."""
    conditions = []
    for d in RACE_FEATURES:
        X = make_data(PER * d, d).X
        curvatures = np.linalg.eigvalsh(X.T @ X / (PER * d))
        conditions.append(curvatures[-1] / curvatures[0])
    assert all(round(c, 1) in (4.3, 4.4) for c in conditions), conditions
    says(
        "the largest curvature of its error is only about 4.3 times the smallest",
        "误差的最大曲率只是最小曲率的 4.3 倍左右",
    )
    d = RACE_FEATURES[0]
    data = make_data(PER * d, d)
    plain = gradient_descent(data.X, data.y, precision=DEFAULT_PRECISION)
    X = data.X * np.geomspace(1, 10, d)  # column j times 10**(j / (d - 1))
    curvatures = np.linalg.eigvalsh(X.T @ X / (PER * d))
    scaled = gradient_descent(X, data.y, precision=DEFAULT_PRECISION, max_iter=100_000)
    assert scaled.converged and round(curvatures[-1] / curvatures[0], -1) == 140
    assert round(scaled.updates, -1) == 470 and plain.updates == 23
    says(
        f"the race's first data set ({d} features) by factors from 1 to 10",
        "the condition number becomes about 140, and descent needs about 470 updates instead of 23.",
        f"把比赛第一组数据（{d} 个特征）的各列分别放大 1 到 10 倍",
        "条件数就变成 140 左右，梯度下降要更新大约 470 次，而不是 23 次。",
    )
