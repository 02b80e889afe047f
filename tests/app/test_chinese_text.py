"""Every Chinese text of every built-in lesson, broken at the widths an 80x24 screen gives it: no line
starts with closing punctuation or ends with opening punctuation, no formula, inline code or number
is split across lines; and a long Chinese text step seen in the app at 80x24 and 60x20."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from rich.cells import cell_len
from support import DATA
from textual.widgets import OptionList

from gdtutor.lessons.load import load_catalog
from gdtutor.lessons.model import Lesson, QuizStep, TextStep
from gdtutor.lessons.questions import ChoiceQuestion, Question
from gdtutor.lessons.text import pick
from gdtutor.linebreak import NO_END, NO_START, breaks, has_wide, wrap_lines
from gdtutor.telling import explain
from gdtutor.ui import make_app
from gdtutor.ui.screens.lesson import LessonScreen
from gdtutor.ui.widgets.prose import inline
from gdtutor.ui.widgets.quiz import QuestionCard
from gdtutor.ui.widgets.words import CODE, Breaking, Wrapped


def drawn_width(widget: object) -> int:
    """The width the layout gave a widget's text (its lines were broken for it)."""
    assert isinstance(widget, Breaking) and widget.wrapped is not None and widget.wrapped.width is not None
    return widget.wrapped.width


async def settle(pilot, done) -> None:
    """Pause until ``done()`` holds (bounded by the condition, not by a time)."""
    for _ in range(200):
        await pilot.pause()
        if done():
            return
    raise AssertionError("the screen did not settle")


async def widths_at(tmp_path: Path, size: tuple[int, int]) -> dict[str, int]:
    """The width each kind of text gets on a screen of ``size``, read from the laid-out widgets of the
    example lesson (which has every kind of step) in Chinese."""
    app = make_app(lang="zh", data_dir=tmp_path, lesson_dirs=[DATA])
    widths: dict[str, int] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lessons = app.screen.query_one(OptionList)
        summary = lessons.get_option_at_index(0).prompt
        assert isinstance(summary, Wrapped) and summary.width is not None
        widths["summary"] = summary.width - summary.indent
        lessons.highlighted = next(
            i for i in range(lessons.option_count) if lessons.get_option_at_index(i).id == "example-lesson"
        )
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        widths["title"] = drawn_width(screen.query_one("#lesson-title"))
        paragraph = "#step-0 MarkdownParagraph"
        await settle(pilot, lambda: bool(screen.query(paragraph)) and screen.query_one(paragraph).wrapped is not None)
        widths["text"] = drawn_width(screen.query_one(paragraph))
        await screen.action_next_step()  # the lab: its text above it
        intro = "#step-1 .step-intro MarkdownParagraph"
        await settle(pilot, lambda: bool(screen.query(intro)) and screen.query_one(intro).wrapped is not None)
        widths["intro"] = drawn_width(screen.query_one(intro))
        await screen.action_next_step()
        await screen.action_next_step()  # the quiz
        await settle(pilot, lambda: bool(screen.query(QuestionCard)))
        card = screen.query_one(QuestionCard)
        await settle(pilot, lambda: card.query_one(".q-prompt MarkdownParagraph").wrapped is not None)
        widths["prompt"] = drawn_width(card.query_one(".q-prompt MarkdownParagraph"))
        options = card.query_one(OptionList)
        await settle(pilot, lambda: getattr(options.get_option_at_index(0).prompt, "width", None) is not None)
        widths["option"] = options.get_option_at_index(0).prompt.width
        await pilot.press("h")  # a hint, while the question is open
        await settle(pilot, lambda: bool(card.query(".q-hints MarkdownParagraph")))
        await settle(pilot, lambda: card.query_one(".q-hints MarkdownParagraph").wrapped is not None)
        widths["hint"] = drawn_width(card.query_one(".q-hints MarkdownParagraph"))
        wrong = next(n for n, i in enumerate(card.answer.order) if not card.question.options[i].correct)
        await pilot.press(*["down"] * wrong, "enter")  # a wrong answer: its feedback, the answer with why
        await settle(pilot, lambda: bool(card.query(".q-feedback MarkdownBulletList MarkdownParagraph")))
        items = list(card.query(".q-feedback MarkdownBulletList MarkdownParagraph"))
        await settle(pilot, lambda: all(p.wrapped is not None for p in items))
        widths["option_line"], widths["why"] = drawn_width(items[0]), drawn_width(items[1])
        widths["explain"] = drawn_width(card.query_one(".q-feedback > MarkdownParagraph"))
    return widths


MARKDOWN = MarkdownIt("commonmark").enable("table")


def paragraphs(markdown: str) -> Iterator[tuple[str, list[tuple[int, int]], int]]:
    """Each paragraph and heading of ``markdown`` as the learner reads it (markdown rendered), with its
    inline code ranges and the cells its list bullets take (code blocks and tables are not prose)."""
    indent = 0
    tokens = MARKDOWN.parse(markdown)
    for before, token in zip([None, *tokens], tokens, strict=False):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            indent += 2 if token.type == "bullet_list_open" else 3
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            indent -= 2 if token.type == "bullet_list_close" else 3
        elif token.type == "inline" and before is not None and before.type in ("paragraph_open", "heading_open"):
            content = inline(token.content)
            yield content.plain, [(s.start, s.end) for s in content.spans if s.style == CODE], indent


def texts(lesson: Lesson) -> Iterator[tuple[str, str, str]]:
    """(where, kind of text, the Chinese markdown) for every text of ``lesson`` a learner reads."""
    zh = "zh"
    yield "summary", "summary", pick(lesson.summary, zh)
    yield "title", "title", pick(lesson.title, zh)
    for n, step in enumerate(lesson.steps, start=1):
        where = f"{lesson.id} step {n}"
        if step.text:
            yield where, "text" if isinstance(step, TextStep) else "intro", pick(step.text, zh)
        if step.title:
            yield where, "title", pick(step.title, zh)
        if isinstance(step, QuizStep):
            for q, question in enumerate(step.questions, start=1):
                yield from question_texts(question, f"{where} question {q}")


def question_texts(question: Question, where: str) -> Iterator[tuple[str, str, str]]:
    zh = "zh"
    yield where, "prompt", pick(question.prompt, zh)
    for hint in question.hints:
        yield where, "hint", pick(hint, zh)
    if question.explain:
        yield where, "explain", pick(question.explain, zh)
    if isinstance(question, ChoiceQuestion):
        for label in question.labels(zh, range(len(question.options))):
            yield where, "option", label
        for option in question.options:
            yield where, "why", pick(option.why, zh)
        for i in range(len(question.options)):
            # the option as its feedback shows it: the first paragraph of its item
            yield where, "option_line", question.grade([i], zh).feedback.split("\n\n")[1].removeprefix("- ")


def latin_run(text: str, at: int) -> str:
    """The run of text without Chinese around ``text[at]`` (a number, a word, a formula), stripped."""
    start = end = at
    while start > 0 and not has_wide(text[start - 1]) and text[start - 1] not in "“”‘’…—":
        start -= 1
    while end < len(text) and not has_wide(text[end]) and text[end] not in "“”‘’…—":
        end += 1
    return text[start:end].strip()


def broken_rules(text: str, keep: list[tuple[int, int]], width: int) -> list[str]:
    """What is wrong with ``text`` broken at ``width``: lines too wide, a line starting with closing
    punctuation or ending with opening punctuation, a formula or inline code split, a number or word
    split from the Chinese it belongs to ("第 155 / 次")."""
    cuts = breaks(text, width, keep)
    lines = wrap_lines(text, width, keep)
    wrong = [f"too wide: {line!r}" for line in lines if cell_len(line) > width]
    for cut in cuts:
        last = len(text[:cut].rstrip()) - 1
        before, after = text[last], text[cut]
        where = f"{text[max(0, last - 12) : last + 1]!r} / {text[cut : cut + 12]!r}"
        if after in NO_START or before in NO_END:
            wrong.append(f"punctuation: {where}")
        if has_wide(before) and (has_wide(after) or before in NO_START):
            continue  # between Chinese characters, or after a comma or a full stop
        if not has_wide(before) and not has_wide(after):
            run = latin_run(text, cut)
            if cell_len(run) <= width:
                wrong.append(f"formula split: {where}")
        elif " " not in latin_run(text, last if not has_wide(before) else cut):
            wrong.append(f"a number or word split from its Chinese: {where}")
    for start, end in keep:
        code = text[start:end]
        if cell_len(code) <= width and not any(code in line for line in lines):
            wrong.append(f"inline code split: {code!r}")
    return wrong


@pytest.fixture(scope="module")
def widths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    import asyncio

    return asyncio.run(widths_at(tmp_path_factory.mktemp("data"), (80, 24)))


def test_the_widths_are_those_of_the_layout(widths: dict[str, int]) -> None:
    """The measured widths are plausible for 80 columns (the walk below is only as good as they are)."""
    assert all(40 <= w <= 78 for w in widths.values()), widths
    assert widths["why"] < widths["option_line"]  # the explanation is indented under its option


def test_every_chinese_text_of_every_lesson_breaks_by_the_rules(widths: dict[str, int]) -> None:
    lessons = load_catalog(run_checks=False).lessons
    assert len(lessons) >= 8
    seen, wrong = 0, []
    for lesson in lessons:
        for where, kind, markdown in texts(lesson):
            for plain, keep, indent in paragraphs(markdown):
                seen += 1
                width = widths[kind] - indent
                wrong.extend(f"{where} ({kind}): {problem}" for problem in broken_rules(plain, keep, width))
    assert seen > 200
    assert not wrong, "\n".join(wrong)


LONG = (
    "# 学习率太大会怎样\n\n"
    "学习率太大时，每一步都越跳越远：第 155 次更新之后 x 已经变成了 inf，再下一次就是 nan。"
    "课上的循环是 `g(x) = 2*(x - 3.5) - 4.5`，代入学习率之后就是 `x = x - eta * g(x)`，它自己永远停不下来。\n\n"
    "“学习率”（eta）决定步子的大小；《讲义》里说，它太小就慢，太大就发散，中间还有一段会来回震荡。\n"
)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_long_chinese_text_step_in_the_app(tmp_path: Path, size: tuple[int, int]) -> None:
    """What the learner sees of a Chinese text step with long sentences: every line drawn keeps the
    rules (read from the screen itself, not from the function)."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    body = "\n".join("      " + line for line in LONG.splitlines())
    (lessons / "long.yaml").write_text(
        f"id: long-text\norder: 0\nlanguages: [zh]\ntitle: 长句子\nsummary: 很长的中文句子。\n"
        f"steps:\n  - kind: text\n    text: |\n{body}\n",
        encoding="utf-8",
    )
    app = make_app(lang="zh", data_dir=tmp_path / "data", lesson_dirs=[lessons])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "long-text"
        )
        await pilot.press("enter")
        await settle(pilot, lambda: bool(app.screen.query("#step-0 MarkdownParagraph")))
        await settle(pilot, lambda: all(p.wrapped is not None for p in app.screen.query("#step-0 MarkdownParagraph")))
        lines: list[str] = []
        for paragraph in app.screen.query("#step-0 MarkdownParagraph"):
            assert paragraph.content_size.width <= size[0]
            strips = paragraph.render_lines(paragraph.content_region.reset_offset)
            lines.extend("".join(segment.text for segment in strip).strip() for strip in strips)
    drawn = [line for line in lines if line]
    assert len(drawn) >= 4
    for before, line in itertools.pairwise(drawn):
        assert line[0] not in NO_START, (before, line)
        assert before[-1] not in NO_END, (before, line)
    text = "\n".join(drawn)
    assert "`" not in text
    assert "g(x) = 2*(x - 3.5) - 4.5" in text and "x = x - eta * g(x)" in text
    assert "第 155 次更新" in text or ("第 155 次" in text and "第 155\n" not in text)


def drawn_lines(widget) -> list[str]:
    """The lines a widget draws, as text."""
    from textual.geometry import Region

    strips = widget.render_lines(Region(0, 0, *widget.outer_size))  # a focused list has a border
    lines = ("".join(segment.text for segment in strip).strip(" ▊▎▐▌") for strip in strips)
    return [line for line in lines if line.strip("▔▁ ")]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_markdown_in_options_and_feedback_is_rendered(tmp_path: Path, lang: str) -> None:
    """No backticks or asterisks reach the screen; the explanation is a paragraph of its own below its
    option, drawn dimmer and further in."""
    from test_snapshots import answer_the_markdown_question_wrongly

    app = make_app(lang=lang, data_dir=tmp_path, lesson_dirs=[DATA / "markdown-options"])
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_the_markdown_question_wrongly(pilot)
        card = app.screen.query_one(QuestionCard)
        options = drawn_lines(card.query_one(OptionList))
        option, why = list(card.query(".q-feedback MarkdownBulletList MarkdownParagraph"))[:2]
        option_lines, why_lines = drawn_lines(option), drawn_lines(why)
        assert why.styles.color != option.styles.color
        assert why.content_region.x > option.content_region.x
    text = "\n".join([*options, *option_lines, *why_lines])
    assert "`" not in text and "**" not in text
    assert any("x = x - eta * g(x)" in line for line in options)
    assert any("x = x + eta * g(x)" in line for line in option_lines)
    assert any("eta * g(x)" in line for line in why_lines) and not set(why_lines) & set(option_lines)


def test_quiz_verdicts_in_chinese_read_as_typeset(tmp_path: Path) -> None:
    """Chinese verdicts: full-width punctuation, outside the bold so that markdown can end it, and no
    space after it; the half-width ': ' of a label and '. ' between sentences are English only."""
    import re

    from gdtutor.engine.params import Run
    from gdtutor.lessons.load import load_catalog
    from gdtutor.lessons.questions import GoalQuestion, PredictQuestion, RunQuestion

    said: list[str] = []
    for lesson in load_catalog().lessons:
        for question in lesson.questions:
            asked = question.at(question.draw("learner/lesson/0")) if isinstance(question, RunQuestion) else question
            said.append(asked.reveal("zh"))
            if isinstance(asked, PredictQuestion):
                said.append(asked.grade("3" if asked.predict == "steps" else "diverged", "zh")[0].feedback)
            elif isinstance(asked, GoalQuestion):
                from gdtutor.engine import Descent

                result = Descent.of(Run(eta=0.3, x0=0.0)).to_end()
                said.append(asked.grade({"eta": 0.3}, result, "zh").feedback)
            elif asked.kind in ("numeric", "loop"):
                for typed in ("1", "abs(x - last_x) > precision", "x + eta * g(x)"):
                    try:
                        verdict = asked.grade(typed, "zh")  # type: ignore[attr-defined]
                    except ValueError:
                        continue
                    said += [verdict.feedback, verdict.shown(settled=False)]
    assert len(said) > 60
    for text in said:
        plain = re.sub(r"`[^`]*`", "C", text)  # code as one letter: the spaces around it are its own
        assert not re.search(r"[。！？：；，]\*\* ", plain), text  # punctuation inside the bold, then a space
        assert not re.search(r"[。！？：；，] [^\s-]", plain), text  # a space after full-width punctuation
        assert not re.search(r"[\u4e00-\u9fff]: ", plain), text  # a half-width colon after Chinese


@pytest.mark.parametrize("eta", [0.1, 1.0, 50.0, 1.1])
def test_run_explanations_in_chinese_read_as_typeset(eta: float) -> None:
    """What the lab and ``gdtutor run`` say of a run: a list of values with 、 ('在 0.0, 11.5 之间'
    read as English), no half-width punctuation after Chinese, no space after full-width punctuation."""
    import re

    from gdtutor.engine import LECTURE_FUNCTION
    from gdtutor.engine.descent import descend

    text = explain(descend(LECTURE_FUNCTION, eta, 0.0, max_iter=100 if eta == 1.1 else 10_000), "zh")
    plain = re.sub(r"abs\(x - last_x\) < precision|[<>=]+ ?", "C", text)  # code, and comparisons, as one letter
    assert not re.search(r"[\u4e00-\u9fff][,.:;] ", plain), text
    assert not re.search(r"[。！？：；，] ", plain), text
    assert not re.search(r"\d, \d", text), text
