"""Line breaking: Chinese by its rules (kinsoku, formulas kept whole), English exactly as Textual does."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.content import Content

from gdtutor.linebreak import NO_END, NO_START, break_points, wrap_lines

SENTENCE = (
    "学习率太大时，每一步都越跳越远，第 155 次更新之后 x 变成了 inf。更新公式是 "
    "`g(x) = 2*(x - 3.5) - 4.5`，代入“学习率”（eta）之后，就得到了《讲义》里的答案！"
)


def code_range(text: str) -> tuple[int, int]:
    return text.index("`"), text.rindex("`") + 1


@pytest.mark.parametrize("width", range(12, 90))
def test_chinese_lines_fit_and_respect_punctuation(width: int) -> None:
    lines = wrap_lines(SENTENCE, width, [code_range(SENTENCE)])
    assert "".join(lines).replace(" ", "") == SENTENCE.replace(" ", "")  # nothing lost but spaces
    for before, line in itertools.pairwise(lines):
        assert line[0] not in NO_START, (before, line)
        assert before[-1] not in NO_END, (before, line)
    assert all(cell_len(line) <= width for line in lines)


@pytest.mark.parametrize("width", range(28, 90))
def test_formulas_and_counts_stay_whole_when_they_fit(width: int) -> None:
    lines = wrap_lines(SENTENCE, width, [code_range(SENTENCE)])
    assert any("`g(x) = 2*(x - 3.5) - 4.5`" in line for line in lines)
    assert any("第 155 次" in line for line in lines)


def test_lines_are_filled_not_ragged() -> None:
    """A break comes where the line is full (give or take the punctuation rules), not at a space."""
    text = "梯度下降每一次更新都沿着导函数的反方向走一小步，步子的大小由学习率决定。" * 3
    lines = wrap_lines(text, 30)
    assert all(cell_len(line) >= 26 for line in lines[:-1])


def test_no_line_starts_with_closing_punctuation_even_when_folding() -> None:
    assert wrap_lines("一二三四。五六", 8) == ["一二三", "四。五六"]
    assert wrap_lines("“学习率”很重要", 8) == ["“学习率”", "很重要"]
    assert break_points("好好好好好（注释）", 10) == [5]


def test_a_formula_wider_than_the_line_breaks_at_its_spaces_not_inside_a_number() -> None:
    text = "更新公式是 x = x - 0.123456 * g(x)，然后"
    lines = wrap_lines(text, 16)
    assert all(cell_len(line) <= 16 for line in lines)
    assert any("0.123456" in line for line in lines)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "bb", "ccc", " ", "  ", "supercalifragilistic", "é", "(x)", "-"]), max_size=20).map(
        "".join
    ),
    st.integers(1, 40),
)
def test_english_breaks_exactly_as_textual_does(text: str, width: int) -> None:
    """A line without Chinese breaks exactly where Textual's Content breaks it (Textual also cuts
    the spaces at the end of the last line to the width)."""
    expected = [line.plain.rstrip() for line in Content(text).wrap(width)] if text else [""]
    assert [line.rstrip() for line in wrap_lines(text, width)] == expected


def test_a_line_may_break_beside_a_formula_but_not_beside_a_lone_number() -> None:
    assert wrap_lines("导函数 g(x) = 2*(x - 3.5) - 4.5", 30) == ["导函数", "g(x) = 2*(x - 3.5) - 4.5"]
    assert wrap_lines("已经更新到了第 155 次", 18) == ["已经更新到了", "第 155 次"]


def test_a_status_line_breaks_between_its_fields() -> None:
    line = "第 38 次  x = 5.7488058  last_x = 5.7485072  |x - last_x| = 0.0002986 >= 0.0001  f(x) = -10.8125"
    assert wrap_lines(line, 78) == [
        "第 38 次  x = 5.7488058  last_x = 5.7485072",
        "|x - last_x| = 0.0002986 >= 0.0001  f(x) = -10.8125",
    ]


def test_a_line_may_break_after_chinese_punctuation_before_a_number() -> None:
    assert wrap_lines("这没关系，在精确度范围之内，5.7496 和 5.7503 都算答案。", 30) == [
        "这没关系，在精确度范围之内，",
        "5.7496 和 5.7503 都算答案。",
    ]


def test_a_chinese_term_in_an_english_sentence_is_kept_whole() -> None:
    # the English lessons quote the lecture's words in parentheses: "(死循" / "环)" read as nonsense
    text = "In the loop, the condition never holds and the loop runs forever (死循环), which it shows."
    for width in range(66, 76):
        lines = wrap_lines(text, width)
        assert any("(死循环)" in line for line in lines), (width, lines)
