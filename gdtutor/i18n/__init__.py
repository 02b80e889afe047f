"""The tutor's words: one catalogue per language (``en.py``, ``zh.py``), chosen from the locale.

Every text gdtutor shows comes from here by key: the app, the command line, the engine's outcomes and
refusals, chart titles, the code view's comments, the names and help of keys. The two catalogues have
the same keys and the same fields in each text, which a test keeps so. This package is words and their
lookup only: it imports nothing else of gdtutor, and every layer may use it. Which words a run's
outcome gets, and with which of its numbers, is :mod:`gdtutor.telling`'s choice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from . import en, zh

LANGUAGES = ("en", "zh")
CATALOGUES: dict[str, dict[str, str]] = {"en": en.WORDS, "zh": zh.WORDS}


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale says Chinese (``zh_CN.UTF-8`` and the like), else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(key: str, lang: str, /, **fields: object) -> str:
    """The text ``key`` in ``lang`` (English for a language gdtutor does not have), with ``fields``."""
    return CATALOGUES.get(lang, en.WORDS)[key].format(**fields)


def plural(key: str, lang: str, n: float, /, **fields: object) -> str:
    """The text ``key`` for a count ``n``: ``<key>_one`` when ``n`` is 1 and the catalogue has one
    ("1 update", "1 try"), else ``key``."""
    return t(f"{key}_one" if n == 1 and has(f"{key}_one") else key, lang, **fields)


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return key in en.WORDS


def status_name(status: str, lang: str) -> str:
    """A run's outcome as a short word in ``lang`` (``status`` is a Status or its value)."""
    return t(f"status_{status}", lang)


def listing(parts: Sequence[str], lang: str) -> str:
    """Parts joined the way ``lang`` lists them."""
    return t("list_sep", lang).join(parts)


def sentences(*parts: str, lang: str) -> str:
    """Sentences one after the other: a space between them in English, none after Chinese punctuation."""
    return t("sentence_sep", lang).join(part for part in parts if part)


FULL_WIDTH_ENDS = "。！？：；，"
"""Chinese punctuation that ends a lead ('不太对。', '提示 1/2：')."""


def lead(text: str, lang: str) -> str:
    """Words that lead a line, in markdown bold, ready for what follows: '**Not quite.** ' in English;
    '**不太对**。' in Chinese, the full-width punctuation outside the bold and no space after it
    (markdown's bold cannot end on punctuation that a letter follows, which is why a space was there)."""
    if lang == "zh" and text and text[-1] in FULL_WIDTH_ENDS:
        return f"**{text[:-1]}**{text[-1]}"
    return f"**{text}** "


def labelled(label: str, value: str, lang: str) -> str:
    """'label: value' with the colon of ``lang`` (full-width in Chinese, with no space after it)."""
    return f"{label}{t('label_sep', lang)}{value}"


def expression_words(code: str, column: int | None, fields: Mapping[str, object], lang: str) -> str:
    """A refusal of the expression parser (``expr_<code>``), with its column."""
    message = t(f"expr_{code}", lang, **fields)
    return t("expr_column", lang, column=column, message=message) if column else message


def lesson_problem(code: str, fields: Mapping[str, Any], lang: str) -> str:
    """A problem in a lesson file (``lesson_<code>``); see :mod:`gdtutor.lessons.problem` for the
    fields that are parts of sentences."""
    # a value quoted from the file is cut to a line: a 5,000-digit number took 66 rows of the list
    shown: dict[str, Any] = {name: quote(v) if isinstance(v, str) else v for name, v in fields.items()}
    if "what" in shown:
        kind, *value = shown["what"]
        shown["what"] = (kind, *(quote(v) if isinstance(v, str) else v for v in value))
    if "where" in shown:
        shown["where"] = _where(shown["where"], lang)
    if "what" in shown:
        kind, *value = shown["what"]
        shown["what"] = t(f"value_{kind}", lang, value=value[0] if value else "")
    if "doc" in shown:
        shown["doc"] = t(shown["doc"], lang)
    if "error" in shown:
        error = shown["error"]
        shown["error"] = expression_words(error["code"], error["column"], error["fields"], lang)
    return t(f"lesson_{code}", lang, **shown)


QUOTE = 60
"""Most characters of a value quoted from a file."""


def quote(value: str, limit: int = QUOTE) -> str:
    """``value`` on one line, cut to ``limit`` characters (with an ellipsis) when longer."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _where(steps: Sequence[Sequence[Any]], lang: str) -> str:
    words = ""
    for step, *value in steps:
        if step == "lesson":
            words = t("where_lesson", lang)
        elif step == "key":
            words = t("where_key", lang, key=value[0])
        elif step == "item":
            words = t("where_item", lang, where=words, n=value[0])
        else:
            words = t(f"where_{step}", lang, where=words, kind=value[0] if value else "")
    return words
