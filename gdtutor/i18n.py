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
    "seed_label": {"en": "random seed (empty: new)", "zh": "随机种子（空=每次新的）"},
    "random_x0": {"en": "random x0 = {x0} (seed {seed})", "zh": "随机起点 x0 = {x0}（种子 {seed}）"},
    "bad_seed": {
        "en": "seed: {value!r} is not a whole number from 0 to 4294967295",
        "zh": "种子：{value!r} 不是 0 到 4294967295 之间的整数",
    },
    "presets_prompt": {"en": "or pick a function...", "zh": "或选一个函数……"},
    "preset_lecture": {"en": "the lecture's f(x)", "zh": "课上的 f(x)"},
    "preset_bowl": {"en": "x^2: a plain bowl", "zh": "x^2：普通的碗形"},
    "preset_flat": {"en": "x^4: flat bottom", "zh": "x^4：平坦的谷底"},
    "preset_valleys": {"en": "two valleys", "zh": "两个谷"},
    "preset_kink": {"en": "|x - 2|: a kink", "zh": "|x - 2|：尖底"},
    "preset_bumpy": {"en": "bumpy: sin(x)", "zh": "起伏的 sin(x)"},
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
    "too_small": {
        "en": "Make the window larger: gdtutor needs at least {w} x {h} (it is {cw} x {ch}).",
        "zh": "请把窗口调大：gdtutor 至少需要 {w} x {h}（现在是 {cw} x {ch}）。",
    },
    "bad_number": {"en": "{label}: {value!r} is not a number", "zh": "{label}：{value!r} 不是数字"},
    "code_title": {"en": "The lecture's loop, with these values", "zh": "课上的循环代码，代入当前的值"},
    "question_n": {"en": "Question {n} of {total}", "zh": "第 {n} 题，共 {total} 题"},
    "race_columns": {
        "en": "features|rows|normal eq. (s)|GD (s)|GD updates|GD / normal",
        "zh": "特征数|样本数|正规方程（秒）|梯度下降（秒）|更新次数|梯度下降/正规方程",
    },
    "race_growth": {
        "en": "time ~ features^{normal} (normal equation), features^{gd} (gradient descent).",
        "zh": "耗时约为 特征数^{normal}（正规方程）和 特征数^{gd}（梯度下降）。",
    },
    "race_crossover": {
        "en": "At these rates gradient descent is faster from about {n} features.",
        "zh": "照这个增长速度，特征数超过大约 {n} 时梯度下降更快。",
    },
    "regression_run": {"en": "Press r to time both methods.", "zh": "按 r 开始计时比较两种方法。"},
    # quizzes
    "list_sep": {"en": ", ", "zh": "，"},
    "quiz_right": {"en": "Right.", "zh": "答对了。"},
    "quiz_wrong": {"en": "Not quite.", "zh": "不太对。"},
    "quiz_missed": {"en": "{n} right option(s) not picked.", "zh": "还有 {n} 个正确选项没选。"},
    "quiz_answer_is": {"en": "The answer:", "zh": "正确答案："},
    "quiz_numeric_right": {"en": "The answer is {answer}.", "zh": "答案是 {answer}。"},
    "quiz_numeric_wrong": {"en": "{value} is {side}.", "zh": "{value} {side}。"},
    "quiz_too_high": {"en": "too high", "zh": "偏大了"},
    "quiz_too_low": {"en": "too low", "zh": "偏小了"},
    "quiz_not_a_number": {
        "en": "{text!r} is not a number I can read; try something like 0.5, .5 or 5e-1.",
        "zh": "{text!r} 不是能识别的数字；可以写成 0.5、.5 或 5e-1 这样的形式。",
    },
    "quiz_result": {"en": "{status} after {steps} updates, x = {x}", "zh": "{status}，更新 {steps} 次，x = {x}"},
    "quiz_predicted_steps": {"en": "{n} updates", "zh": "{n} 次更新"},
    "quiz_you_said": {"en": "You predicted", "zh": "你的预测"},
    "quiz_it_did": {"en": "What the run did", "zh": "实际运行结果"},
    "quiz_out_of_range": {
        "en": "{name} must stay between {lo} and {hi} for this goal.",
        "zh": "这道题里 {name} 要在 {lo} 到 {hi} 之间。",
    },
    "quiz_goal_met": {"en": "Goal met!", "zh": "目标达成！"},
    "quiz_goal_not_met": {"en": "Not yet.", "zh": "还没达到。"},
    "quiz_goal_is": {"en": "The goal: {what}.", "zh": "目标：{what}。"},
    "quiz_at_most": {"en": "in at most {n} updates", "zh": "最多更新 {n} 次"},
    "quiz_at_least": {"en": "with at least {n} updates", "zh": "至少更新 {n} 次"},
    "quiz_near": {"en": "ending within {within} of {near}", "zh": "最后的 x 离 {near} 不超过 {within}"},
    "quiz_tries_left": {"en": "{n} tries left", "zh": "还能答 {n} 次"},
    "quiz_one_try": {"en": "one try", "zh": "只能答一次"},
    "quiz_no_limit": {"en": "run as often as you like", "zh": "可以随便运行多少次"},
    "quiz_hint": {"en": "Hint {n} of {total}:", "zh": "提示 {n}/{total}："},
    "quiz_no_hints": {"en": "No more hints.", "zh": "没有更多提示了。"},
    "quiz_choice_help": {
        "en": "up/down choose, enter answers, h hint",
        "zh": "上下键选择，enter 作答，h 提示",
    },
    "quiz_multiple_help": {
        "en": "up/down move, space picks (all that apply), enter answers, h hint",
        "zh": "上下键移动，空格勾选（可多选），enter 作答，h 提示",
    },
    "quiz_numeric_help": {
        "en": "type a number, enter answers; esc leaves the box, then h for a hint",
        "zh": "输入数字，enter 作答；esc 离开输入框后按 h 看提示",
    },
    "quiz_predict_help": {
        "en": "predict first (enter commits); then the run plays in the lab below",
        "zh": "先预测（enter 确定）；然后下面的实验会运行给你看",
    },
    "quiz_goal_help": {
        "en": "change the values in the lab and press r; every run is checked",
        "zh": "在实验里改参数，按 r 运行；每次运行都会检查",
    },
    "quiz_number_placeholder": {"en": "a number, e.g. 0.5", "zh": "一个数字，比如 0.5"},
    "quiz_steps_placeholder": {"en": "number of updates", "zh": "更新次数"},
    "quiz_nav": {"en": "n next question, p previous", "zh": "n 下一题，p 上一题"},
    "quiz_done": {"en": "answered", "zh": "已作答"},
    "review_title": {"en": "Review: choosing the learning rate", "zh": "复习：学习率怎么选"},
    "review_empty": {
        "en": "Nothing to review yet: start a lesson with questions first.",
        "zh": "还没有可复习的题目：先开始一节有题目的课。",
    },
    "review_from": {"en": "from lesson: {title}", "zh": "出自：{title}"},
    "review_end": {
        "en": "Review done: {right} of {total} right. r starts another round, q goes back.",
        "zh": "复习完成：{total} 题答对 {right} 题。按 r 再来一轮，q 返回。",
    },
    "reset_ask_one": {
        "en": "Reset your progress in “{title}”? Your answers there are forgotten.",
        "zh": "要清除“{title}”的学习进度吗？这一课的答题记录会被删掉。",
    },
    "reset_ask_all": {
        "en": "Reset ALL your progress? Every lesson starts again.",
        "zh": "要清除全部学习进度吗？所有课程都会从头开始。",
    },
    "reset_keys": {
        "en": "y reset this lesson   a reset all lessons   n / esc keep everything",
        "zh": "y 清除这一课   a 清除全部   n / esc 保留",
    },
    "reset_done": {"en": "Progress reset.", "zh": "进度已清除。"},
    "progress_where": {"en": "progress kept in {path}", "zh": "学习进度保存在 {path}"},
    "progress_completed": {"en": "completed", "zh": "已完成"},
    "progress_not_started": {"en": "not started", "zh": "未开始"},
    "progress_ask_all": {
        "en": "Reset ALL progress kept in {path}?",
        "zh": "要清除 {path} 里的全部学习进度吗？",
    },
    "progress_ask_one": {"en": "Reset your progress in lesson {id}?", "zh": "要清除课程 {id} 的学习进度吗？"},
    "progress_need_yes": {
        "en": "not asking without a terminal; add --yes to reset",
        "zh": "没有终端无法确认；要清除请加上 --yes",
    },
    "progress_kept": {"en": "Nothing was reset.", "zh": "没有清除任何进度。"},
    "score": {"en": "{right}/{total} right", "zh": "答对 {right}/{total}"},
}

KEY_NAMES: dict[str, str] = {
    "Quit": "退出",
    "Help": "帮助",
    "Next": "下一步",
    "Back": "上一步",
    "Lessons": "课程",
    "Lab": "实验",
    "Review": "复习",
    "Reset": "清除进度",
    "Close": "关闭",
    "Run": "运行",
    "Step": "单步",
    "Pause": "暂停",
    "Stop": "停止",
    "To end": "快进",
    "Faster": "加快",
    "Slower": "放慢",
    "Code": "代码",
    "Hint": "提示",
    "Answer": "作答",
    "Again": "再来一轮",
}
"""The footer's key names in Chinese, by their English name (the description of each binding)."""


def key_label(description: str, lang: str) -> str:
    """A key's name in the footer, in ``lang``."""
    return KEY_NAMES.get(description, description) if lang == "zh" else description


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
