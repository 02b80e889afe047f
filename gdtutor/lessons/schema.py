"""The lesson format as a JSON Schema (draft 2020-12), made by msgspec from the models themselves.

So the schema cannot drift from what the checker accepts: the types, bounds, required fields and the
kinds of steps and questions are the models'. Added here: each model is named as the format names it
(``lab``, ``choice``, ``goal_lab``), texts may be a mapping of languages or (in a one-language lesson)
plain text, and every field is described in the words of the catalogue.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import inspect as mi

from ..i18n import LANGUAGES, t
from .model import Lesson
from .validate import doc_key, marks, owner_name


def localized() -> dict[str, Any]:
    """Text in each of the lesson's languages, or plain text in a one-language lesson."""
    return {
        "oneOf": [
            {
                "description": t("schema_localized", "en"),
                "type": "object",
                "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
                "additionalProperties": False,
                "minProperties": 1,
            },
            {"type": "string", "description": t("schema_plain_text", "en")},
        ]
    }


def json_schema() -> dict[str, Any]:
    """The lesson format as a JSON Schema, for editors that validate and complete lesson files."""
    generated = msgspec.json.schema(Lesson)
    structs = _structs(mi.type_info(Lesson))
    names = {cls.__name__: owner_name(info) for cls, info in structs.items()}
    defs: dict[str, Any] = {"localized": localized()}
    for cls, info in structs.items():
        schema = generated["$defs"][cls.__name__]
        schema.pop("title", None)
        owner = owner_name(info)
        texts = {f.encode_name for f in info.fields if marks(f.type)[1].get("text")}
        for name, prop in schema["properties"].items():
            if name in texts:
                prop.clear()
                prop["$ref"] = "#/$defs/localized"
            doc = doc_key(owner, name)
            if doc is not None:
                prop["description"] = t(doc, "en")
        defs[names[cls.__name__]] = schema
    text = _renamed(defs, names)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gdtutor.invalid/lesson.schema.json",
        "title": "gdtutor lesson",
        "$ref": "#/$defs/lesson",
        "$defs": text,
    }


def _structs(t: mi.Type, found: dict[type, mi.StructType] | None = None) -> dict[type, mi.StructType]:
    """Every model reachable from ``t``, by class."""
    found = {} if found is None else found
    t, _ = marks(t)
    if isinstance(t, mi.StructType):
        if t.cls in found:
            return found
        found[t.cls] = t
        for f in t.fields:
            _structs(f.type, found)
    elif isinstance(t, mi.UnionType):
        for u in t.types:
            _structs(u, found)
    elif isinstance(t, mi.ListType | mi.VarTupleType):
        _structs(t.item_type, found)
    return found


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """``value`` with every reference to a model by class name made a reference by its format name."""
    if isinstance(value, dict):
        out = {k: _renamed(v, names) for k, v in value.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = "#/$defs/" + names.get(ref.removeprefix("#/$defs/"), ref.removeprefix("#/$defs/"))
        if "discriminator" in out:
            mapping = out["discriminator"].get("mapping", {})
            out["discriminator"]["mapping"] = {
                k: "#/$defs/" + names[v.removeprefix("#/$defs/")] for k, v in mapping.items()
            }
        return out
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    return value
