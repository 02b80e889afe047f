"""Read a YAML file safely into plain values that remember their line numbers.

PyYAML's safe composer builds the node graph (no tags that construct objects); this module then turns
nodes into dicts, lists and scalars itself, so that it can refuse what a lesson never needs and a
hostile file uses: duplicate keys, anchors and aliases (the alias bomb), unknown tags, huge files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .problem import Problem

MAX_BYTES = 1_000_000
"""Largest lesson file read."""
MAX_NODES = 50_000
"""Most values in one lesson file."""


class LineDict(dict[str, Any]):
    """A mapping read from YAML: ``line`` is where it starts, ``key_lines[k]`` where key k is."""

    line: int
    key_lines: dict[str, int]
    value_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence read from YAML: ``line`` is where it starts, ``item_lines[i]`` where item i is."""

    line: int
    item_lines: list[int]


class YamlError(Exception):
    """The file cannot be read as a lesson at all; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def read_yaml(path: Path, label: str | None = None) -> tuple[Any, list[Problem]]:
    """The file's value, and the problems found while reading it (duplicate keys, aliases, ...).

    Raises :class:`YamlError` when nothing can be read (missing, binary, empty, syntax error).
    """
    name = label or str(path)
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise YamlError(Problem(name, 0, f"cannot read the file: {exc.strerror or exc}")) from None
    if len(data) > MAX_BYTES:
        raise YamlError(Problem(name, 0, f"file is larger than {MAX_BYTES // 1000} kB; a lesson is much smaller"))
    if b"\0" in data:
        raise YamlError(Problem(name, 0, "not a text file (it contains NUL bytes)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(Problem(name, line, "not UTF-8 text; save the file as UTF-8")) from None
    return read_yaml_text(text, name)


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it: about 10x faster on the lessons (measured by
benchmarks/tui_bench.py's start-up breakdown), same nodes and lines; errors are re-read in pure Python."""


def read_yaml_text(text: str, name: str) -> tuple[Any, list[Problem]]:
    """As :func:`read_yaml`, for text already in memory."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError(Problem(name, 0, "the file is empty"))
    try:
        try:
            nodes = list(yaml.compose_all(text, Loader=FAST_LOADER))
        except yaml.YAMLError:
            # read again with the pure-Python loader, whose messages and marks the checker words and tests
            nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        lines = text.splitlines()
        where = lines[line - 1] if 0 < line <= len(lines) else ""  # the mark may be just past the end
        if "\t" in where and "\\t" in message:
            message = "a tab character: indent with spaces, not tabs"
        elif "flow mapping" in message or "flow sequence" in message:
            message += " (inside { } or [ ], put text that contains , : ? or # in quotes)"
        raise YamlError(Problem(name, line, f"YAML syntax error: {message}")) from None
    except yaml.YAMLError as exc:
        raise YamlError(Problem(name, 0, f"YAML error: {exc}")) from None
    if len(nodes) != 1:
        raise YamlError(Problem(name, 0, f"expected one YAML document, found {len(nodes)}"))
    builder = _Builder(name)
    value = builder.build(nodes[0])
    if builder.shared:
        # an alias is a node met twice; its own line is only in the event stream (read again, as it is
        # rarely needed: about 2 ms of the app's start for the built-in lessons)
        events = yaml.parse(text, Loader=FAST_LOADER)
        aliases = [e.start_mark.line + 1 for e in events if isinstance(e, yaml.AliasEvent)]
        count = f" ({len(aliases)} in this file)" if len(aliases) > 1 else ""
        message = f"aliases (*name) are not allowed in lessons; write the value out{count}"
        builder.problems.insert(0, Problem(name, aliases[0] if aliases else 0, message))
    return value, builder.problems


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.shared = False
        """Whether a node was met twice: the document has an alias."""
        self.count = 0
        self.loader = yaml.SafeLoader("")

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.name, node.start_mark.line + 1, message))

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(Problem(self.name, node.start_mark.line + 1, f"more than {MAX_NODES:,} values"))
        if id(node) in self.seen:
            self.shared = True
            return None  # an alias, reported where it stands; never expanded, so an alias bomb stays small
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            self.problem(node, f"the tag {node.tag} is not allowed in lessons")
            return None
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        self.problem(node, "unsupported YAML value")
        return None

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp" and node.style is None:
            return node.value  # a plain 2026-01-01 is text to a lesson, not a date
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, f"the tag {node.tag} is not allowed in lessons")
            return None
        try:
            return self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError, OverflowError):
            self.problem(node, f"cannot read the value {node.value!r}")
            return None

    def sequence(self, node: yaml.SequenceNode) -> LineList:
        out = LineList()
        out.line = node.start_mark.line + 1
        out.item_lines = []
        for item in node.value:
            out.item_lines.append(item.start_mark.line + 1)
            out.append(self.build(item))
        return out

    def mapping(self, node: yaml.MappingNode) -> LineDict:
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        out.value_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "merge keys (<<) are not allowed in lessons")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a key must be a plain word")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in out.key_lines:
                self.problem(key_node, f"duplicate key {key!r} (first at line {out.key_lines[key]})")
                continue
            out.key_lines[key] = line
            out.value_lines[key] = value_node.start_mark.line + 1
            out[key] = self.build(value_node)
        return out
