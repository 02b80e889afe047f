"""Checking a lesson file against the typed models, every problem at its line.

msgspec builds the lesson objects (:func:`msgspec.convert`) but stops at the first mistake and knows no
lines. So the value read from YAML (which remembers its lines) is first walked along the models' own
type description (:func:`msgspec.inspect.type_info`): each field, its type, its bounds, whether it is
required, the kinds of a tagged union. Nothing about the format is written here; a field added to a
model is checked, worded and put in the JSON Schema without a change to this module. The walk reports
every problem as a code (worded by the catalogue) at the line of the value, and gives back the value in
the shape msgspec expects (texts in one language made into mappings); when it found nothing wrong,
msgspec turns that into the objects the tutor uses.

Three kinds of value are marked on their types (``Meta(extra=...)``), since a type cannot say them:
``text`` (a mapping of language to text, or plain text in a one-language lesson), ``expression``
(parsed by gdtutor's parser) and ``range`` (two numbers, the lowest first).
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from dataclasses import dataclass, field
from typing import Any

import msgspec
from msgspec import inspect as mi

from ..engine.expr import PLANE, ExpressionError, parse
from ..i18n import has
from .problem import FileProblem, Where, describe

INVALID: Any = object()
"""Stands for a value with a problem (so that nothing is built from it)."""


class PartialDict(dict[str, Any]):
    """A mapping with problems: the fields that could be read (the others are left out)."""


class PartialList(list[Any]):
    """A list with problems: its items as far as they could be read (INVALID for the others)."""


def valid(value: Any) -> bool:
    """Whether a walked value had no problem at all."""
    return value is not INVALID and not isinstance(value, PartialDict | PartialList)


def marks(t: mi.Type) -> tuple[mi.Type, dict[str, Any]]:
    """The type under its metadata, and the marks put on it (``text``, ``expression``, ``range``)."""
    extra: dict[str, Any] = {}
    while isinstance(t, mi.Metadata):
        extra |= t.extra or {}
        t = t.type
    return t, extra


def doc_key(owner: str, name: str) -> str | None:
    """The catalogue key of what field ``name`` of ``owner`` is for (``doc_lab_text``, or ``doc_text``),
    if the catalogue says."""
    for key in (f"doc_{owner}_{name}", f"doc_{name}"):
        if has(key):
            return key
    return None


def owner_name(t: mi.StructType) -> str:
    """How the catalogue names a model: its kind for a step or a question, else ``topic``."""
    return str(t.tag) if t.tag is not None else str(getattr(t.cls, "topic", t.cls.__name__.lower()))


@dataclass
class Walk:
    """One walk over a lesson value: the problems found, and the line of every mapping by its path."""

    path: str
    languages: tuple[str, ...]
    problems: list[FileProblem] = field(default_factory=list)
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    """The line of each mapping (a step, a question, ...), by its path: ``("steps", 2, "questions", 0)``."""
    keep: tuple[type, ...] = ()
    """Models built as soon as they are found valid, even when the rest of the file is not, so that
    what their types cannot say is checked in every part that can be read."""
    models: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    """The models of the kinds in ``keep`` found valid, by path."""

    def report(self, line: int, code: str, where: Where | None = None, **fields: Any) -> None:
        if where is not None:
            fields["where"] = where
        self.problems.append(FileProblem(self.path, line, code, fields))

    # --- by type ------------------------------------------------------------------------------------

    def value(self, value: Any, t: mi.Type, line: int, where: Where, path: tuple[Any, ...]) -> Any:
        """``value`` checked against ``t``: the value for msgspec, or INVALID."""
        t, extra = marks(t)
        if isinstance(t, mi.UnionType):
            if value is None and any(isinstance(u, mi.NoneType) for u in t.types):
                return None
            options = [u for u in t.types if not isinstance(u, mi.NoneType)]
            if len(options) == 1:
                return self.value(value, options[0], line, where, path)
            return self.union(value, options, line, where, path)
        if extra.get("text"):
            return self.text(value, line, where)
        if extra.get("range"):
            return self.range(value, line, where)
        if isinstance(t, mi.StrType):
            return self.string(value, t, line, where, expression=bool(extra.get("expression")))
        if isinstance(t, mi.FloatType | mi.IntType):
            return self.number(value, t, line, where)
        if isinstance(t, mi.BoolType):
            if not isinstance(value, bool):
                self.report(line, "not_boolean", where, what=describe(value))
                return INVALID
            return value
        if isinstance(t, mi.LiteralType):
            return self.choice(value, [str(v) for v in t.values], line, where)
        if isinstance(t, mi.ListType | mi.VarTupleType):
            return self.list(value, t, line, where, path)
        if isinstance(t, mi.StructType):
            return self.struct(value, t, getattr(value, "line", line), where, path)
        raise TypeError(f"the lesson models use a type the walk does not know: {t!r}")

    def struct(self, value: Any, t: mi.StructType, line: int, where: Where, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, dict):
            self.report(line, "not_mapping", where, what=describe(value))
            return INVALID
        self.lines[path] = line
        fields = {f.encode_name: f for f in t.fields}
        names = ([t.tag_field] if t.tag_field else []) + list(fields)
        key_lines = getattr(value, "key_lines", {})
        value_lines = getattr(value, "value_lines", {})
        out: dict[str, Any] = {t.tag_field: t.tag} if t.tag_field else {}
        ok = True
        for key in value:
            if key not in fields and key != t.tag_field:
                self.unknown_key(str(key), names, key_lines.get(key, line), where)
                ok = False
        owner = owner_name(t)
        for name, f in fields.items():
            if name not in value or (value[name] is None and name not in key_lines):
                if f.required:
                    doc = doc_key(owner, name)
                    if doc is None:
                        self.report(line, "missing_key", where, key=name)
                    else:
                        self.report(line, "missing_key_doc", where, key=name, doc=doc)
                    ok = False
                continue
            walked = self.value(value[name], f.type, value_lines.get(name, line), [["key", name]], (*path, name))
            ok = ok and valid(walked)
            if walked is not INVALID:
                out[name] = walked
        if issubclass(t.cls, self.keep):
            self.models[path] = (msgspec.convert(out, t.cls), True) if ok else (sketch(t, out), False)
        return out if ok else PartialDict(out)

    def union(self, value: Any, options: list[mi.Type], line: int, where: Where, path: tuple[Any, ...]) -> Any:
        kinds = {str(s.tag): s for s in (marks(o)[0] for o in options) if isinstance(s, mi.StructType)}
        names = ", ".join(kinds)
        if not kinds or len(kinds) != len(options):
            raise TypeError(f"only tagged unions of models are known to the walk: {options!r}")
        if not isinstance(value, dict):
            self.report(line, "not_union", where, kinds=names, what=describe(value))
            return INVALID
        tag = value.get("kind")
        if tag is None:
            self.report(line, "missing_kind", where, kinds=names)
            return INVALID
        if tag not in kinds:
            kind_line = getattr(value, "value_lines", {}).get("kind", line)
            close = difflib.get_close_matches(str(tag), list(kinds), n=1)
            code = "unknown_kind_close" if close else "unknown_kind"
            self.report(kind_line, code, where, kind=str(tag), kinds=names, close=close[0] if close else "")
            return INVALID
        return self.struct(value, kinds[tag], line, [*where, ["kind", tag]], path)

    def unknown_key(self, key: str, names: list[str], line: int, where: Where) -> None:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        if close:
            self.report(line, "unknown_key_close", where, key=key, close=close[0])
        else:
            self.report(line, "unknown_key", where, key=key, expected=", ".join(names))

    def string(self, value: Any, t: mi.StrType, line: int, where: Where, *, expression: bool) -> Any:
        if not isinstance(value, str):
            self.report(line, "not_text", where, what=describe(value))
            return INVALID
        if t.pattern is not None and not re.fullmatch(t.pattern, value):
            self.report(line, "bad_id", where, value=value)
            return INVALID
        if expression:
            try:
                parse(value, PLANE)  # a function of x, or of x and y; which one fits where: the claims
            except ExpressionError as exc:
                self.report(line, "bad_expression", where, value=value, error=error_fields(exc))
                return INVALID
        return value

    def number(self, value: Any, t: mi.FloatType | mi.IntType, line: int, where: Where) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(line, "not_number", where, what=describe(value))
            return INVALID
        shown = f"{value:g}"
        if not math.isfinite(value):
            self.report(line, "not_finite", where, value=str(value))
            return INVALID
        if isinstance(t, mi.IntType) and value != int(value):
            self.report(line, "not_whole", where, value=str(value))
            return INVALID
        for code, bound, holds in (
            ("not_greater", t.gt, operator.gt),
            ("below", t.ge, operator.ge),
            ("not_less", t.lt, operator.lt),
            ("above", t.le, operator.le),
        ):
            if bound is not None and not holds(value, bound):
                self.report(line, code, where, bound=f"{bound:g}", value=shown)
                return INVALID
        return int(value) if isinstance(t, mi.IntType) else float(value)

    def choice(self, value: Any, choices: list[str], line: int, where: Where) -> Any:
        if value not in choices:
            close = difflib.get_close_matches(str(value), choices, n=1)
            code = "not_choice_close" if close else "not_choice"
            self.report(line, code, where, choices=", ".join(choices), value=value, close=close[0] if close else "")
            return INVALID
        return value

    def list(self, value: Any, t: mi.ListType | mi.VarTupleType, line: int, where: Where, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, list):
            self.report(line, "not_list", where, what=describe(value))
            return INVALID
        ok = True
        if t.min_length is not None and len(value) < t.min_length:
            self.report(line, "too_few" if t.min_length > 1 else "too_few_one", where, count=t.min_length)
            ok = False
        if t.max_length is not None and len(value) > t.max_length:
            self.report(line, "too_many", where, count=len(value), limit=t.max_length)
            ok = False
        item_lines = getattr(value, "item_lines", [line] * len(value))
        out = []
        for i, item in enumerate(value):
            walked = self.value(item, t.item_type, item_lines[i], [*where, ["item", i + 1]], (*path, i))
            ok = ok and valid(walked)
            out.append(walked)
        return out if ok else PartialList(out)

    def range(self, value: Any, line: int, where: Where) -> Any:
        if not isinstance(value, list) or len(value) != 2:
            self.report(line, "not_range", where)
            return INVALID
        any_number = mi.FloatType()
        low = self.number(value[0], any_number, line, [*where, ["lowest"]])
        high = self.number(value[1], any_number, line, [*where, ["highest"]])
        if low is INVALID or high is INVALID:
            return INVALID
        if low > high:
            self.report(line, "range_order", where, low=f"{low:g}", high=f"{high:g}")
            return INVALID
        return [low, high]

    def text(self, value: Any, line: int, where: Where) -> Any:
        languages = ", ".join(self.languages)
        if isinstance(value, str):
            if len(self.languages) == 1:
                return {self.languages[0]: value}
            self.report(line, "text_plain", where, languages=languages)
            return INVALID
        if not isinstance(value, dict):
            self.report(line, "text_not_mapping", where, languages=languages, what=describe(value))
            return INVALID
        key_lines = getattr(value, "key_lines", {})
        for key in value:
            if key not in self.languages:
                close = difflib.get_close_matches(str(key), self.languages, n=1)
                code = "unknown_language_close" if close else "unknown_language"
                if " " in str(key):
                    code = "unknown_language_comma"  # {en: Slow, but sure}: the comma began a new key
                self.report(key_lines.get(key, line), code, where, key=str(key), close=close[0] if close else "")
        out = {}
        for lang in self.languages:
            text = value.get(lang)
            if isinstance(text, str) and text.strip():
                out[lang] = text
            elif isinstance(text, str):
                self.report(key_lines.get(lang, line), "text_empty", where, lang=lang)
            elif lang not in value:
                self.report(key_lines.get(lang, line), "text_missing", where, lang=lang)
            else:
                self.report(key_lines.get(lang, line), "text_not_text", where, lang=lang, what=describe(text))
        return out if len(out) == len(self.languages) else INVALID


def sketch(t: mi.StructType, out: dict[str, Any]) -> Any:
    """A model built from the fields of a mapping that could be read, the others None: enough to check
    what its types cannot say (a choice question's right options) where the rest has problems."""
    fields = {}
    for f in t.fields:
        if f.encode_name in out:
            fields[f.name] = _sketched(out[f.encode_name], f.type)
        elif f.required:
            fields[f.name] = None
    return t.cls(**fields)


def _sketched(value: Any, t: mi.Type) -> Any:
    t, _ = marks(t)
    if isinstance(t, mi.UnionType):
        options = [marks(u)[0] for u in t.types if not isinstance(u, mi.NoneType)]
        if isinstance(value, dict):
            kinds = {s.tag: s for s in options if isinstance(s, mi.StructType)}
            t = kinds.get(value.get("kind"), options[0]) if len(options) > 1 else options[0]
        elif len(options) == 1:
            t = options[0]
    if isinstance(t, mi.StructType) and isinstance(value, dict):
        return sketch(t, value)
    if isinstance(t, mi.ListType | mi.VarTupleType) and isinstance(value, list):
        items = [None if item is INVALID else _sketched(item, t.item_type) for item in value]
        return tuple(items) if isinstance(t, mi.VarTupleType) else items
    return None if value is INVALID else value


def error_fields(error: ExpressionError) -> dict[str, Any]:
    """A refused expression as a problem's ``error`` field (JSON values only)."""
    return {"code": error.code, "column": error.column, "fields": {k: str(v) for k, v in error.fields.items()}}
