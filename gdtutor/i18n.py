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
