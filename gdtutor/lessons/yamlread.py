"""Read a YAML file safely into plain values that remember their line numbers.

PyYAML's safe composer builds the node graph (no tags that construct objects); this module then turns
nodes into dicts, lists and scalars itself, so that it can refuse what a lesson never needs and a
hostile file uses: duplicate keys, anchors and aliases (the alias bomb), unknown tags, huge files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from .problem import FileProblem

MAX_BYTES = 1_000_000
"""Largest lesson file read."""
MAX_NODES = 50_000
"""Most values in one lesson file."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings in a lesson file (a lesson needs about 8). The composer, the
builder below and the checks all recurse once a level: a file nested 500 deep overflowed Python's stack."""


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

    def __init__(self, problem: FileProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class NotAFileError(Exception):
    """The path names a device, a pipe, a socket or a folder, not a regular file."""


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than ``limit``; reads at most ``limit + 1`` bytes.

    The kind and size are checked on the open file, before reading: a device (``/dev/zero``) or a pipe
    is refused without a read, and a huge (even sparse) file by its size. Opening without blocking
    keeps a pipe with no writer from hanging the open itself.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotAFileError
        if st.st_size > limit:
            return None
        chunks: list[bytes] = []
        left = limit + 1  # one byte more tells a file that grew past the limit since fstat
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return None if len(data) > limit else data


def read_yaml(path: Path, label: str | None = None) -> tuple[Any, list[FileProblem]]:
    """The file's value, and the problems found while reading it (duplicate keys, aliases, ...).

    Raises :class:`YamlError` when nothing can be read (missing, binary, empty, syntax error).
    """
    name = label or str(path)
    try:
        data = read_bounded(path, MAX_BYTES)
    except OSError as exc:
        raise YamlError(FileProblem(name, 0, "cannot_read", {"reason": exc.strerror or str(exc)})) from None
    except NotAFileError:
        raise YamlError(FileProblem(name, 0, "not_a_file")) from None
    if data is None:
        raise YamlError(FileProblem(name, 0, "file_too_large", {"kb": MAX_BYTES // 1000}))
    if b"\0" in data:
        raise YamlError(FileProblem(name, 0, "binary"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(FileProblem(name, line, "not_utf8")) from None
    return read_yaml_text(text, name)


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it: about 10x faster on the lessons (measured by
benchmarks/tui_bench.py's start-up breakdown), same nodes and lines; errors are re-read in pure Python."""


def read_yaml_text(text: str, name: str) -> tuple[Any, list[FileProblem]]:
    """As :func:`read_yaml`, for text already in memory."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError(FileProblem(name, 0, "empty_file"))
    try:
        try:
            _check_depth(text, name, FAST_LOADER)
            nodes = list(yaml.compose_all(text, Loader=FAST_LOADER))
        except yaml.YAMLError:
            # read again with the pure-Python loader, whose messages and marks the checker words and tests
            _check_depth(text, name, yaml.SafeLoader)
            nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        lines = text.splitlines()
        where = lines[line - 1] if 0 < line <= len(lines) else ""  # the mark may be just past the end
        code = "yaml_syntax"
        if "\t" in where and "\\t" in message:
            code = "yaml_tab"
        elif "flow mapping" in message or "flow sequence" in message:
            code = "yaml_flow"
        raise YamlError(FileProblem(name, line, code, {"message": message})) from None
    except yaml.YAMLError as exc:
        raise YamlError(FileProblem(name, 0, "yaml_error", {"message": str(exc)})) from None
    if len(nodes) != 1:
        raise YamlError(FileProblem(name, 0, "documents", {"count": len(nodes)}))
    builder = _Builder(name)
    value = builder.build(nodes[0])
    if builder.shared:
        # an alias is a node met twice; its own line is only in the event stream (read again, as it is
        # rarely needed: about 2 ms of the app's start for the built-in lessons)
        events = yaml.parse(text, Loader=FAST_LOADER)
        aliases = [e.start_mark.line + 1 for e in events if isinstance(e, yaml.AliasEvent)]
        problem = FileProblem(name, aliases[0] if aliases else 0, "aliases")
        if len(aliases) > 1:
            problem = FileProblem(problem.path, problem.line, "aliases_many", {"count": len(aliases)})
        builder.problems.insert(0, problem)
    return value, builder.problems


def _check_depth(text: str, name: str, loader: Any) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH`, at the line where it goes too deep.

    The parser's event stream is read without recursion (its own stack is a list), so this pass is
    safe on any depth; only what comes after it recurses. A syntax error is left to the composer.
    """
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(FileProblem(name, event.start_mark.line + 1, "too_deep", {"limit": MAX_DEPTH}))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[FileProblem] = []
        self.seen: set[int] = set()
        self.shared = False
        """Whether a node was met twice: the document has an alias."""
        self.count = 0
        self.loader = yaml.SafeLoader("")

    def problem(self, node: yaml.Node, code: str, **fields: object) -> None:
        self.problems.append(FileProblem(self.name, node.start_mark.line + 1, code, fields))

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(FileProblem(self.name, node.start_mark.line + 1, "too_many_values", {"limit": MAX_NODES}))
        if id(node) in self.seen:
            self.shared = True
            return None  # an alias, reported where it stands; never expanded, so an alias bomb stays small
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            self.problem(node, "tag", tag=node.tag)
            return None
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        self.problem(node, "unsupported")
        return None

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp" and node.style is None:
            return node.value  # a plain 2026-01-01 is text to a lesson, not a date
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, "tag", tag=node.tag)
            return None
        try:
            return self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError, OverflowError):
            self.problem(node, "cannot_read_value", value=node.value)
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
                self.problem(key_node, "merge_key")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "key_not_word")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in out.key_lines:
                self.problem(key_node, "duplicate_key", key=key, first=out.key_lines[key])
                continue
            out.key_lines[key] = line
            out.value_lines[key] = value_node.start_mark.line + 1
            out[key] = self.build(value_node)
        return out
