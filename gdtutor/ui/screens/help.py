"""The help screen: every key, in the learner's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from .base import TutorModal

HELP = {
    "en": """\
# Keys

| key | does |
| --- | --- |
| enter | open the selected lesson |
| n / p (or page down / up) | next / previous step |
| q | back to the lesson list |
| r | run the descent from the start |
| s | make one update (step mode) |
| space | pause or resume |
| escape | stop the run; leave a text field |
| e | skip the animation to the end |
| + / - | faster / slower animation |
| c | show the loop as code, with its values |
| tab | move between fields and buttons |
| a | open the lab on its own |
| v | review: questions from the lessons you started, mistakes first |
| x | reset progress (asks first) |
| h | a hint for the question (one more each time) |
| f2 | switch between English and Chinese |
| ctrl+q | quit (your progress is saved) |

In a field, type a value and press enter to run with it (or, in a quiz, to answer).
In a quiz, n and p move between questions; a choice is answered with enter,
a multiple choice picks with space and answers with enter.
Press escape or ? to close this help.
""",
    "zh": """\
# 按键

| 按键 | 作用 |
| --- | --- |
| enter | 打开选中的课程 |
| n / p（或 page down / up） | 下一步 / 上一步 |
| q | 回到课程列表 |
| r | 从头运行梯度下降 |
| s | 只更新一次（单步模式） |
| 空格 | 暂停或继续 |
| escape | 停止运行；离开输入框 |
| e | 跳过动画，直接看结果 |
| + / - | 动画加快 / 放慢 |
| c | 显示代入当前值的循环代码 |
| tab | 在输入框和按钮之间移动 |
| a | 单独打开实验 |
| v | 复习：从学过的课里出题，答错过的题出现得更多 |
| x | 清除进度（会先确认） |
| h | 看提示（每按一次多一条） |
| f2 | 切换中文和英文 |
| ctrl+q | 退出（进度会自动保存） |

在输入框里输入数值后按 enter，就会用这个值运行（答题时就是提交答案）。
答题时 n、p 切换题目；单选题按 enter 作答，多选题用空格勾选、enter 作答。
按 escape 或 ? 关闭帮助。
""",
}


class HelpScreen(TutorModal):
    """Keys and what they do."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        lang = getattr(self.app, "lang", "en")
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP.get(lang, HELP["en"]))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
