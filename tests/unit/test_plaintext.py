"""Plain text for a terminal: widths in cells, and columns that line up Chinese and English alike."""

from __future__ import annotations

from gdtutor.plaintext import cells, cut, liner, table, widths_of


def test_cells_count_a_chinese_character_as_two() -> None:
    assert cells("收敛") == 4 and cells("eta") == 3 and cells("已答 2/4，答对 2") == 16


def test_cut_ends_with_an_ellipsis_within_the_width() -> None:
    assert cut("short", 10) == "short"
    assert cut("学习率太大会怎样", 9) == "学习率太…" and cells(cut("学习率太大会怎样", 9)) <= 9


def test_a_table_lines_up_double_width_columns() -> None:
    lines = table(["eta", "结果"], [["0.1", "收敛"], ["1.1", "diverged"]], align="rl")
    assert lines == [
        "eta  结果",
        "---  --------",
        "0.1  收敛",
        "1.1  diverged",
    ]
    starts = {cells(line[: line.index(word)]) for line, word in zip(lines[2:], ["收敛", "diverged"], strict=True)}
    assert starts == {5}


def test_a_liner_pads_to_least_widths_and_leaves_a_last_free_column() -> None:
    widths = widths_of([["a", "已完成"], ["bb", "x"]], least=(4, 2))
    assert widths == [4, 6]
    line = liner(widths, separator=" ")
    assert line(["a", "已完成", "title"]) == "a    已完成 title"
    assert line(["bb", "x", "title"]) == "bb   x      title"
