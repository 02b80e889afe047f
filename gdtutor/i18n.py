"""The tutor's two languages: English (``en``) and Chinese (``zh``), chosen from the locale."""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "zh")


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale says Chinese (``zh_CN.UTF-8`` and the like), else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


# Text the command line prints; the engine's outcome messages live beside the engine's statuses.
TEXT: dict[str, dict[str, str]] = {
    "function": {"en": "f(x) = {f}", "zh": "函数 f(x) = {f}"},
    "derivative": {"en": "g(x) = {g}   (the derivative, f'(x))", "zh": "导函数 g(x) = {g}"},
    "settings": {
        "en": "learning rate eta = {eta}, precision = {precision}, update limit = {max_iter}",
        "zh": "学习率 eta = {eta}，精确度 precision = {precision}，更新次数上限 = {max_iter}",
    },
    "random_start": {
        "en": "random x: {x0}   (--seed {seed} gives the same start again)",
        "zh": "随机的x是: {x0}   （用 --seed {seed} 可以得到同样的起点）",
    },
    "given_start": {"en": "start x: {x0}", "zh": "起点 x: {x0}"},
    "update": {"en": "update {step}: x = {x}", "zh": "第 {step} 次更新之后的x: {x}"},
    "sweep_header": {
        "en": "{count} learning rates from {lo} to {hi}, precision = {precision}",
        "zh": "{count} 个学习率，从 {lo} 到 {hi}，精确度 = {precision}",
    },
    "columns": {"en": "eta|outcome|updates|final x", "zh": "学习率|结果|更新次数|最终 x"},
    "summary": {"en": "{status}: {count}", "zh": "{status}：{count} 个"},
    "interrupted": {"en": "stopped (ctrl+c)", "zh": "已停止（ctrl+c）"},
    # the app
    "app_title": {"en": "gdtutor: gradient descent", "zh": "gdtutor：梯度下降"},
    "lessons": {"en": "Lessons", "zh": "课程"},
    "lesson_list_help": {
        "en": "enter open   l 中文   a lab   ? help   ctrl+q quit",
        "zh": "enter 打开   l English   a 实验   ? 帮助   ctrl+q 退出",
    },
    "broken": {"en": "broken", "zh": "有错误"},
    "step_of": {"en": "step {n} of {total}", "zh": "第 {n} 步，共 {total} 步"},
    "lab_title": {
        "en": "Lab: change the parameters, press r to run (enter in a field runs with it)",
        "zh": "实验：修改参数，按 r 运行（在输入框里按 enter 也会运行）",
    },
    "function_label": {"en": "f(x)", "zh": "函数 f(x)"},
    "eta_label": {"en": "learning rate (eta)", "zh": "学习率 eta"},
    "precision_label": {"en": "precision", "zh": "精确度"},
    "x0_label": {"en": "start x0 (empty: random)", "zh": "起点 x0（空=随机）"},
    "seed_label": {"en": "seed", "zh": "随机种子"},
    "max_iter_label": {"en": "update limit", "zh": "更新次数上限"},
    "compare_label": {"en": "compare etas", "zh": "对比学习率"},
    "speed_label": {"en": "speed: {speed}/s  (+ -)", "zh": "速度：每秒 {speed} 次（+ -）"},
    "speed_max": {"en": "speed: as fast as computed  (+ -)", "zh": "速度：最快（+ -）"},
    "derivative_is": {"en": "g(x) = {g}", "zh": "导函数 g(x) = {g}"},
    "ready": {"en": "Ready: r runs, s makes one update.", "zh": "准备好了：按 r 运行，按 s 更新一次。"},
    "status_line": {
        "en": "update {step}  x = {x}  last_x = {last_x}  |x - last_x| = {delta} {cmp} {precision}  f(x) = {fx}",
        "zh": "第 {step} 次  x = {x}  last_x = {last_x}  |x - last_x| = {delta} {cmp} {precision}  f(x) = {fx}",
    },
    "paused": {"en": "paused (space resumes)", "zh": "已暂停（空格继续）"},
    "running": {"en": "running", "zh": "运行中"},
    "chart_function": {"en": "f(x) and the path of updates", "zh": "函数 f(x) 与更新的路径"},
    "chart_steps": {
        "en": "|x - last_x| per update (log scale); the line is the precision",
        "zh": "每次更新的 |x - last_x|（对数坐标）；横线是精确度",
    },
    "too_small": {
        "en": "Make the window larger: gdtutor needs at least {w} x {h} (it is {cw} x {ch}).",
        "zh": "请把窗口调大：gdtutor 至少需要 {w} x {h}（现在是 {cw} x {ch}）。",
    },
    "bad_number": {"en": "{label}: {value!r} is not a number", "zh": "{label}：{value!r} 不是数字"},
    "code_title": {"en": "The lecture's loop, with these values", "zh": "课上的循环代码，代入当前的值"},
    "quiz_later": {
        "en": "Answer in the quiz view: questions are shown one by one.",
        "zh": "在答题界面作答：题目逐一显示。",
    },
    "question_n": {"en": "Question {n} of {total}", "zh": "第 {n} 题，共 {total} 题"},
    "regression_run": {"en": "Press r to time both methods.", "zh": "按 r 开始计时比较两种方法。"},
}

STATUS_NAMES: dict[str, dict[str, str]] = {
    "converged": {"en": "converged", "zh": "收敛"},
    "diverged": {"en": "diverged", "zh": "发散"},
    "oscillating": {"en": "oscillating", "zh": "震荡"},
    "max_iter": {"en": "update limit", "zh": "达到上限"},
    "cancelled": {"en": "stopped", "zh": "已停止"},
    "running": {"en": "running", "zh": "运行中"},
}


def t(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` in ``lang``, with ``fields`` filled in."""
    entry = TEXT[key]
    return entry.get(lang, entry["en"]).format(**fields)


def status_name(status: str, lang: str) -> str:
    """A run's outcome as a short word in ``lang``."""
    return STATUS_NAMES[status].get(lang, status)
