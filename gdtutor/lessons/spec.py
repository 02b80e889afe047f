"""The lesson format, declared once: the checker and the JSON Schema both come from these tables.

A lesson file is a mapping; each part of it is an object with the fields below. ``validate`` walks a
value read by :mod:`.yamlread` (which remembers lines), reports every problem as ``path:line:
message``, and returns the value with defaults filled in.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..engine.expr import ExpressionError, parse
from .yamlread import LineDict, LineList, Problem

LANGUAGES = ("en", "zh")
PARAMETERS = ("function", "eta", "precision", "x0", "max_iter")
"""Lab parameters a lesson may let the learner change."""
OUTCOMES = ("converged", "diverged", "oscillating", "max_iter")


# --- field types -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class T:
    """A field's type: ``kind`` names it; the other attributes refine it."""

    kind: str  # text, string, id, number, integer, boolean, expression, enum, list, object, union, range
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    items: T | None = None
    min_items: int = 0
    max_items: int | None = None
    obj: str | None = None  # name of an object in OBJECTS, or of a union in UNIONS


@dataclass(frozen=True)
class Field:
    type: T
    doc: str
    required: bool = False
    default: Any = None


TEXT = T("text")
POSITIVE = T("number", exclusive_minimum=0)
ID = T("id")
MAX_ITER = T("integer", minimum=1, maximum=1_000_000)
EXPRESSION = T("expression")


def obj(name: str) -> T:
    return T("object", obj=name)


def listof(item: T, min_items: int = 0, max_items: int | None = None) -> T:
    return T("list", items=item, min_items=min_items, max_items=max_items)


RUN_FIELDS = {
    "function": Field(EXPRESSION, "f(x); the lecture's function when left out", default=None),
    "derivative": Field(EXPRESSION, "g(x); derived from the function when left out"),
    "eta": Field(POSITIVE, "learning rate", required=True),
    "precision": Field(POSITIVE, "the exit condition is abs(x - last_x) < precision", default=1e-4),
    "x0": Field(T("number"), "start", required=True),
    "max_iter": Field(MAX_ITER, "update limit", default=10_000),
}

LAB_FIELDS = {
    **RUN_FIELDS,
    "x0": Field(T("number"), "start; random (as in the lecture) when neither x0 nor seed is given"),
    "seed": Field(T("integer", minimum=0), "seed of the random start"),
    "compare": Field(listof(POSITIVE, 1, 3), "up to three more learning rates drawn beside eta on the same charts"),
    "editable": Field(listof(T("enum", choices=PARAMETERS)), "parameters the learner may change", default=[]),
    "limits": Field(obj("limits"), "ranges the learner's values must stay in"),
}

HINTS = Field(listof(TEXT), "hints, shown one at a time on request", default=[])
QUESTION_COMMON = {
    "kind": Field(T("string"), "", required=True),
    "id": Field(ID, "names the question in the learner's progress; made from its position when left out"),
    "prompt": Field(TEXT, "the question", required=True),
    "hints": HINTS,
    "explain": Field(TEXT, "shown after the answer, right or wrong"),
    "tries": Field(
        T("integer", minimum=1, maximum=10),
        "answers allowed before the right one is shown (default: choice 2, or 1 with two options; "
        "multiple 2; numeric 3; predict 1; goals have no limit)",
    ),
}

OBJECTS: dict[str, dict[str, Field]] = {
    "lesson": {
        "id": Field(ID, "lower-case words joined by '-', unique among all lessons", required=True),
        "order": Field(T("integer", minimum=0), "position in the lesson list (else the file name decides)"),
        "languages": Field(
            listof(T("enum", choices=LANGUAGES), 1), "languages every text is written in", default=["en", "zh"]
        ),
        "title": Field(TEXT, "", required=True),
        "summary": Field(TEXT, "one or two sentences for the lesson list", required=True),
        "steps": Field(listof(T("union", obj="step"), 1), "what the learner works through, in order", required=True),
    },
    "text": {
        "kind": Field(T("string"), "", required=True),
        "title": Field(TEXT, ""),
        "text": Field(TEXT, "markdown to read", required=True),
    },
    "lab": {
        "kind": Field(T("string"), "", required=True),
        "title": Field(TEXT, ""),
        "text": Field(TEXT, "what to try and what to look at"),
        **LAB_FIELDS,
    },
    "code": {
        "kind": Field(T("string"), "", required=True),
        "title": Field(TEXT, ""),
        "text": Field(TEXT, "markdown shown above the code; the loop uses the values of the lab before it"),
    },
    "quiz": {
        "kind": Field(T("string"), "", required=True),
        "title": Field(TEXT, ""),
        "text": Field(TEXT, "markdown shown before the questions"),
        "questions": Field(listof(T("union", obj="question"), 1), "", required=True),
    },
    "regression": {
        "kind": Field(T("string"), "", required=True),
        "title": Field(TEXT, ""),
        "text": Field(TEXT, "what the race shows"),
        "features": Field(
            listof(T("integer", minimum=1, maximum=2000), 2, 8),
            "numbers of features to time, growing",
            required=True,
        ),
        "samples_per_feature": Field(
            T("integer", minimum=2, maximum=50), "rows of generated data per feature", default=10
        ),
    },
    "choice": {
        **QUESTION_COMMON,
        "options": Field(listof(obj("option"), 2, 8), "exactly one is correct", required=True),
    },
    "multiple": {
        **QUESTION_COMMON,
        "options": Field(listof(obj("option"), 2, 8), "one or more are correct", required=True),
    },
    "numeric": {
        **QUESTION_COMMON,
        "answer": Field(T("number"), "the answer, when it does not depend on a run"),
        "answer_from": Field(obj("answer_from"), "the answer, computed by running the engine"),
        "tolerance": Field(T("number", minimum=0), "how far off an answer may be", default=0),
    },
    "predict": {
        **QUESTION_COMMON,
        "run": Field(obj("run"), "the run the learner predicts, then watches", required=True),
        "predict": Field(T("enum", choices=("outcome", "steps")), "what the learner predicts", required=True),
        "tolerance": Field(T("integer", minimum=0), "for steps: how many updates off a prediction may be", default=0),
    },
    "goal": {
        **QUESTION_COMMON,
        "lab": Field(obj("goal_lab"), "the starting parameters, and which the learner may change", required=True),
        "goal": Field(obj("target"), "what the learner's run must do", required=True),
    },
    "option": {
        "text": Field(TEXT, "", required=True),
        "correct": Field(T("boolean"), "", default=False),
        "why": Field(TEXT, "why this option is right or wrong", required=True),
    },
    "run": RUN_FIELDS,
    "answer_from": {
        "run": Field(obj("run"), "", required=True),
        "value": Field(
            T("enum", choices=("steps", "x", "distance", "last_step")),
            "steps: updates made; x: final x; distance: abs(x - minimum); last_step: abs(x - last_x)",
            required=True,
        ),
    },
    "goal_lab": {
        **RUN_FIELDS,
        "editable": Field(
            listof(T("enum", choices=("eta", "precision", "x0", "max_iter")), 1),
            "parameters the learner may change",
            required=True,
        ),
        "limits": Field(obj("limits"), "ranges the learner's values must stay in"),
    },
    "target": {
        "status": Field(T("enum", choices=OUTCOMES), "the outcome the run must have"),
        "max_steps": Field(T("integer", minimum=0), "at most this many updates"),
        "min_steps": Field(T("integer", minimum=0), "at least this many updates"),
        "near": Field(T("number"), "final x must be close to this value"),
        "within": Field(POSITIVE, "how close, for near", default=1e-3),
    },
    "limits": {
        name: Field(T("range"), f"[lowest, highest] for {name}") for name in ("eta", "precision", "x0", "max_iter")
    },
}

UNIONS = {
    "step": ("text", "lab", "code", "quiz", "regression"),
    "question": ("choice", "multiple", "numeric", "predict", "goal"),
}


# --- validation --------------------------------------------------------------------------------------


@dataclass
class Validator:
    """Walks a lesson value, collecting problems."""

    path: str
    languages: tuple[str, ...] = LANGUAGES
    problems: list[Problem] = field(default_factory=list)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def object(self, value: Any, name: str, line: int, where: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.report(line, f"{where} must be a mapping of keys to values, not {describe(value)}")
            return None
        fields = OBJECTS[name]
        out: dict[str, Any] = {}
        key_lines = getattr(value, "key_lines", {})
        value_lines = getattr(value, "value_lines", {})
        for key in value:
            if key not in fields:
                self.report(key_lines.get(key, line), unknown_key(key, fields, where))
        for key, spec in fields.items():
            if key not in value or (value[key] is None and key not in key_lines):
                if spec.required:
                    self.report(line, f"{where} is missing {key!r}" + (f" ({spec.doc})" if spec.doc else ""))
                out[key] = spec.default
                continue
            out[key] = self.value(value[key], spec.type, value_lines.get(key, line), f"{key!r}")
        return out

    def value(self, value: Any, t: T, line: int, where: str) -> Any:
        kind = t.kind
        if kind == "text":
            return self.text(value, line, where)
        if kind in ("string", "id", "expression"):
            if not isinstance(value, str):
                self.report(line, f"{where} must be text, not {describe(value)}")
                return None
            if kind == "id" and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
                self.report(line, f"{where} {value!r} must be lower-case letters and digits joined by '-'")
            if kind == "expression":
                try:
                    parse(value)
                except ExpressionError as exc:
                    self.report(line, f"{where} {value!r} is not a valid expression: {exc}")
                    return None
            return value
        if kind in ("number", "integer"):
            return self.number(value, t, line, where)
        if kind == "boolean":
            if not isinstance(value, bool):
                self.report(line, f"{where} must be true or false, not {describe(value)}")
                return None
            return value
        if kind == "enum":
            if value not in t.choices:
                close = difflib.get_close_matches(str(value), t.choices, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.report(line, f"{where} must be one of {', '.join(t.choices)}, not {value!r}{hint}")
                return None
            return value
        if kind == "range":
            if not isinstance(value, list) or len(value) != 2:
                self.report(line, f"{where} must be a list of two numbers [lowest, highest]")
                return None
            lo = self.number(value[0], T("number"), line, f"{where} lowest")
            hi = self.number(value[1], T("number"), line, f"{where} highest")
            if lo is not None and hi is not None and lo > hi:
                self.report(line, f"{where}: lowest {lo:g} is above highest {hi:g}")
                return None
            return [lo, hi] if lo is not None and hi is not None else None
        if kind == "list":
            return self.list(value, t, line, where)
        if kind == "object":
            assert t.obj is not None
            return self.object(value, t.obj, getattr(value, "line", line), where)
        if kind == "union":
            assert t.obj is not None
            return self.union(value, t.obj, getattr(value, "line", line), where)
        raise AssertionError(kind)

    def text(self, value: Any, line: int, where: str) -> dict[str, str] | None:
        if isinstance(value, str):
            if len(self.languages) == 1:
                return {self.languages[0]: value}
            self.report(line, f"{where} must give the text in each language: {', '.join(self.languages)}")
            return None
        if not isinstance(value, dict):
            self.report(line, f"{where} must be text in {', '.join(self.languages)}, not {describe(value)}")
            return None
        key_lines = getattr(value, "key_lines", {})
        out = {}
        for key in value:
            if key not in self.languages:
                close = difflib.get_close_matches(str(key), self.languages, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                if " " in str(key):
                    hint = " (inside { } a comma starts a new key: put text with commas in quotes)"
                self.report(key_lines.get(key, line), f"{where}: unknown language {key!r}{hint}")
        for lang in self.languages:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                problem = "is missing" if lang not in value else f"must be text, not {describe(text)}"
                if isinstance(text, str):
                    problem = "is empty"
                self.report(key_lines.get(lang, line), f"{where}: the {lang} text {problem}")
            else:
                out[lang] = text
        return out if len(out) == len(self.languages) else None

    def number(self, value: Any, t: T, line: int, where: str) -> float | int | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(line, f"{where} must be a number, not {describe(value)}")
            return None
        if not math.isfinite(value):
            self.report(line, f"{where} must be a finite number, not {value}")
            return None
        if t.kind == "integer" and value != int(value):
            self.report(line, f"{where} must be a whole number, not {value}")
            return None
        if t.exclusive_minimum is not None and not value > t.exclusive_minimum:
            self.report(line, f"{where} must be greater than {t.exclusive_minimum:g}, not {value:g}")
            return None
        if t.minimum is not None and value < t.minimum:
            self.report(line, f"{where} must be at least {t.minimum:g}, not {value:g}")
            return None
        if t.maximum is not None and value > t.maximum:
            self.report(line, f"{where} must be at most {t.maximum:g}, not {value:g}")
            return None
        return int(value) if t.kind == "integer" else float(value)

    def list(self, value: Any, t: T, line: int, where: str) -> list[Any] | None:
        if not isinstance(value, list):
            self.report(line, f"{where} must be a list, not {describe(value)}")
            return None
        if len(value) < t.min_items:
            self.report(line, f"{where} needs at least {t.min_items} item{'s' if t.min_items > 1 else ''}")
        if t.max_items is not None and len(value) > t.max_items:
            self.report(line, f"{where} has {len(value)} items; at most {t.max_items}")
        item_lines = getattr(value, "item_lines", [line] * len(value))
        assert t.items is not None
        return [self.value(v, t.items, item_lines[i], f"{where} item {i + 1}") for i, v in enumerate(value)]

    def union(self, value: Any, name: str, line: int, where: str) -> dict[str, Any] | None:
        kinds = UNIONS[name]
        if not isinstance(value, dict):
            self.report(line, f"{where} must be a mapping with a 'kind' ({', '.join(kinds)}), not {describe(value)}")
            return None
        kind = value.get("kind")
        kind_line = getattr(value, "value_lines", {}).get("kind", line)
        if kind not in kinds:
            close = difflib.get_close_matches(str(kind), kinds, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            if kind is None:
                self.report(line, f"{where} is missing 'kind' (one of {', '.join(kinds)})")
            else:
                self.report(kind_line, f"{where}: unknown kind {kind!r}, expected one of {', '.join(kinds)}{hint}")
            return None
        out = self.object(value, kind, line, f"{where} ({kind})")
        if out is not None:
            out["_line"] = line
        return out


def unknown_key(key: str, fields: dict[str, Field], where: str) -> str:
    close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(fields)}"
    return f"unknown key {key!r} in {where}{hint}"


def describe(value: Any) -> str:
    """A value's type as an author reads it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()}; put text in quotes)"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# --- JSON Schema ----------------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The lesson format as a JSON Schema (draft 2020-12), for editors that validate and complete."""
    defs: dict[str, Any] = {
        "localized": {
            "description": "text a learner reads, in each language",
            "type": "object",
            "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        }
    }
    defs["localized"] = {"oneOf": [defs["localized"], {"type": "string", "description": "for languages: [en]"}]}
    for name, fields in OBJECTS.items():
        props = {key: _schema_field(spec) for key, spec in fields.items()}
        if name in UNIONS["step"] or name in UNIONS["question"]:
            props["kind"] = {"const": name}
        defs[name] = {
            "type": "object",
            "properties": props,
            "required": [k for k, f in fields.items() if f.required],
            "additionalProperties": False,
        }
    for union, names in UNIONS.items():
        defs[union] = {"oneOf": [{"$ref": f"#/$defs/{n}"} for n in names]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gdtutor.invalid/lesson.schema.json",
        "title": "gdtutor lesson",
        "$ref": "#/$defs/lesson",
        "$defs": defs,
    }


def _schema_field(spec: Field) -> dict[str, Any]:
    out = _schema_type(spec.type)
    if spec.doc:
        out["description"] = spec.doc
    if spec.default not in (None, []):
        out["default"] = spec.default
    return out


def _schema_type(t: T) -> dict[str, Any]:
    if t.kind == "text":
        return {"$ref": "#/$defs/localized"}
    if t.kind in ("string", "expression"):
        return {"type": "string"}
    if t.kind == "id":
        return {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
    if t.kind in ("number", "integer"):
        out: dict[str, Any] = {"type": t.kind}
        if t.minimum is not None:
            out["minimum"] = t.minimum
        if t.exclusive_minimum is not None:
            out["exclusiveMinimum"] = t.exclusive_minimum
        if t.maximum is not None:
            out["maximum"] = t.maximum
        return out
    if t.kind == "boolean":
        return {"type": "boolean"}
    if t.kind == "enum":
        return {"enum": list(t.choices)}
    if t.kind == "range":
        return {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
    if t.kind == "list":
        assert t.items is not None
        out = {"type": "array", "items": _schema_type(t.items)}
        if t.min_items:
            out["minItems"] = t.min_items
        if t.max_items is not None:
            out["maxItems"] = t.max_items
        return out
    if t.kind in ("object", "union"):
        return {"$ref": f"#/$defs/{t.obj}"}
    raise AssertionError(t.kind)


__all__ = ["LineDict", "LineList", "Validator", "json_schema"]
