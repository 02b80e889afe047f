"""Loading and checking lesson files, one at a time or as the tutor's catalogue.

Checking is done like a compiler does it: every problem in a file is reported, each as ``path:line:
message``; then the claims that depend on a run (an experiment goal can be met, a predicted run
ends) are checked by running the engine. The engine's numpy parts are imported only by those checks,
which the app skips: its lesson list does not wait for numpy.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.defaults import MAX_NUMBERS
from ..engine.expr import ExpressionError
from . import builtin_lessons_dir
from .cache import LessonCache, file_stamp
from .model import Lesson, RunSpec, Target, build_lesson
from .problem import Problem

if TYPE_CHECKING:
    from .spec import Validator

LESSON_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """A lesson file after loading: the lesson when it is valid, and every problem found."""

    path: Path
    lesson: Lesson | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lesson is not None and not self.problems


def load_lesson(path: Path, label: str | None = None, *, run_checks: bool = True) -> Loaded:
    """Read, validate and (with ``run_checks``) check a lesson file by running the engine."""
    return _loaded(path, *check_file(path, label, run_checks=run_checks))


def _loaded(path: Path, data: dict[str, Any] | None, problems: list[Problem]) -> Loaded:
    """The lesson, when its checked fields came with no problem; else the problems."""
    if problems or data is None:
        return Loaded(path, None, problems)
    return Loaded(path, build_lesson(data, path), [])


def check_file(
    path: Path, label: str | None = None, *, run_checks: bool = True
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A lesson file's checked fields (plain JSON values) and its problems, sorted by line."""
    from .spec import LANGUAGES, Validator  # with PyYAML: not needed when the app's cache answers
    from .yamlread import LineDict, YamlError, read_yaml

    name = label or str(path)
    try:
        value, problems = read_yaml(path, name)
    except YamlError as exc:
        return None, [exc.problem]
    if not isinstance(value, LineDict):
        what = "a list" if isinstance(value, list) else f"just {value!r}"[:60]
        line = getattr(value, "line", 1)
        return None, [Problem(name, line, f"a lesson must be a mapping (id:, title:, steps:), not {what}")]

    languages = value.get("languages")
    langs = tuple(lang for lang in languages if lang in LANGUAGES) if isinstance(languages, list) else LANGUAGES
    validator = Validator(name, langs or LANGUAGES, problems)
    data = validator.object(value, "lesson", value.line, "the lesson")
    if data is not None:
        _check_meaning(data, validator, run_checks)
    problems.sort(key=lambda p: p.line)
    return data, problems


def _check_meaning(data: dict[str, Any], v: Validator, run_checks: bool) -> None:
    """What a type cannot say: exactly one right choice, a lab before code, goals that can be met..."""
    seen_lab = False
    ids: dict[str, int] = {}
    for step in data.get("steps") or []:
        if step is None:
            continue
        line = step["_line"]
        if step["kind"] == "lab":
            seen_lab = True
            _check_lab(step, line, v, run_checks)
        elif step["kind"] == "code" and not seen_lab:
            v.report(line, "a code step shows the loop with a lab's values, so it needs a lab step before it")
        elif step["kind"] == "regression" and step.get("features"):
            features = step["features"]
            if any(b <= a for a, b in itertools.pairwise(features)):
                v.report(line, "'features' must grow from one item to the next")
            numbers = max(features) ** 2 * step["samples_per_feature"]
            if numbers > MAX_NUMBERS:
                v.report(line, f"the largest data set would hold {numbers:,} numbers; at most {MAX_NUMBERS:,} (64 MB)")
        for q in step.get("questions") or []:
            if q is None:
                continue
            if q.get("id"):
                if q["id"] in ids:
                    v.report(q["_line"], f"question id {q['id']!r} is already used at line {ids[q['id']]}")
                ids[q["id"]] = q["_line"]
            _check_question(q, v, run_checks)


def _check_lab(step: dict[str, Any], line: int, v: Validator, run_checks: bool) -> None:
    if step.get("x0") is not None and step.get("seed") is not None:
        v.report(line, "give either 'x0' (a fixed start) or 'seed' (a random start), not both")
    if step.get("eta") is None:
        return
    spec = RunSpec.from_fields(step)
    _check_limits(spec, line, v)
    if run_checks:
        _check_function(spec, line, v)


def _check_limits(spec: RunSpec, line: int, v: Validator) -> None:
    for name in spec.limits:
        if name not in spec.editable:
            v.report(line, f"'limits' gives a range for {name!r}, which is not in 'editable'")
    for name in spec.editable:
        value = getattr(spec, name, None)
        if name == "function" or value is None:
            continue
        lo, hi = spec.limit(name)
        if not lo <= value <= hi:
            v.report(line, f"{name} = {value:g} is outside its limits [{lo:g}, {hi:g}]")
        if name in ("eta", "precision") and lo <= 0:
            v.report(line, f"the lowest {name} must be greater than 0, not {lo:g}")


def _check_function(spec: RunSpec, line: int, v: Validator) -> bool:
    try:
        _ = spec.make_function().derivative_text
    except ExpressionError as exc:
        v.report(line, f"the function {spec.function!r}: {exc}")
        return False
    return True


def _check_question(q: dict[str, Any], v: Validator, run_checks: bool) -> None:
    line, kind = q["_line"], q["kind"]
    if kind in ("choice", "multiple") and q.get("options"):
        options = [o for o in q["options"] if o is not None]
        right = sum(1 for o in options if o.get("correct"))
        if kind == "choice" and right != 1:
            v.report(line, f"a choice question needs exactly one correct option, this one has {right}")
        if kind == "multiple" and right < 1:
            v.report(line, "a multiple-choice question needs at least one correct option")
    elif kind == "numeric":
        given = [k for k in ("answer", "answer_from") if q.get(k) is not None]
        if len(given) != 1:
            v.report(
                line,
                "a numeric question needs either 'answer' or 'answer_from' (computed by the engine), not "
                + ("both" if given else "neither"),
            )
        elif given == ["answer_from"] and run_checks:
            spec = RunSpec.from_fields(q["answer_from"]["run"])
            from ..engine.analysis import quadratic

            if (
                _check_function(spec, line, v)
                and q["answer_from"]["value"] == "distance"
                and quadratic(spec.make_function()) is None
            ):
                v.report(line, "'distance' needs a function whose minimum the engine knows (a quadratic)")
    elif kind == "predict" and q.get("run") and run_checks:
        spec = RunSpec.from_fields(q["run"])
        if _check_function(spec, line, v) and q["predict"] == "steps":
            result = spec.run()
            if result.status.value != "converged":
                v.report(
                    line,
                    "predicting the number of updates needs a run that stops by itself; "
                    f"this one is {result.status.value}",
                )
    elif kind == "goal" and q.get("lab") and q.get("goal"):
        _check_goal(q, line, v, run_checks)


def _check_goal(q: dict[str, Any], line: int, v: Validator, run_checks: bool) -> None:
    target = q["goal"]
    if not any(target.get(k) is not None for k in ("status", "max_steps", "min_steps", "near")):
        v.report(line, "a goal needs at least one of status, max_steps, min_steps, near")
        return
    if target.get("min_steps") is not None and target.get("max_steps") is not None:
        if target["min_steps"] > target["max_steps"]:
            v.report(line, "the goal's min_steps is above its max_steps")
            return
    spec = RunSpec.from_fields(q["lab"])
    _check_limits(spec, line, v)
    if not run_checks or not _check_function(spec, line, v):
        return
    goal = Target(
        target.get("status"), target.get("max_steps"), target.get("min_steps"), target.get("near"), target["within"]
    )
    if goal.met(spec.run()):
        v.report(line, "the goal is already met with the lesson's own values; the learner has nothing to find")
    elif not goal_reachable(spec, goal):
        allowed = ", ".join(f"{p} in [{spec.limit(p)[0]:g}, {spec.limit(p)[1]:g}]" for p in spec.editable)
        v.report(line, f"the goal cannot be met by changing {allowed} (checked by running the engine)")


def goal_reachable(spec: RunSpec, target: Target) -> bool:
    """Whether some values of the editable parameters, within their limits, meet ``target``.

    Searches a grid that includes the round numbers a learner types, running the learning rates of
    each grid point together with :func:`sweep`.
    """
    import numpy as np

    from ..engine.sweeps import sweep

    fn = spec.make_function()
    etas = _grid("eta", spec) if "eta" in spec.editable else np.array([spec.eta])
    precisions = _grid("precision", spec) if "precision" in spec.editable else [spec.precision]
    starts = _grid("x0", spec) if "x0" in spec.editable else [spec.x0]
    limits = (
        sorted({int(spec.limit("max_iter")[0]), int(spec.limit("max_iter")[1]), spec.max_iter})
        if "max_iter" in spec.editable
        else [spec.max_iter]
    )
    for precision, x0, max_iter in itertools.product(precisions, starts, limits):
        if target.max_steps is not None and target.status != "max_iter":
            max_iter = min(max_iter, max(1, target.max_steps))  # a longer run fails the goal anyway
        result = sweep(fn, etas, 0.0 if x0 is None else x0, precision=precision, max_iter=max_iter)
        ok = np.ones(len(etas), dtype=bool)
        if target.status is not None:
            ok &= result.status == target.status
        if target.max_steps is not None:
            ok &= result.steps <= target.max_steps
        if target.min_steps is not None:
            ok &= result.steps >= target.min_steps
        if target.near is not None:
            ok &= np.abs(result.x - target.near) <= target.within
        if ok.any():
            return True
    return False


def _grid(name: str, spec: RunSpec) -> Any:
    import numpy as np

    lo, hi = spec.limit(name)
    if name == "eta" or name == "precision":
        decades = range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
        count = 200 if name == "eta" else 12
        round_numbers = [d * 10.0**k for k in decades for d in (range(1, 100) if name == "eta" else (1, 2, 5))]
        values = np.concatenate([np.geomspace(lo, hi, count), round_numbers, [lo, hi, getattr(spec, name)]])
    else:
        values = np.concatenate([np.linspace(lo, hi, 21), np.arange(np.ceil(lo), np.floor(hi) + 1)[:201], [lo, hi]])
    values = np.unique(np.round(values, 12))
    return values[(values >= lo) & (values <= hi)]


# --- the catalogue -----------------------------------------------------------------------------------


@dataclass
class Catalog:
    """The lessons the tutor offers: valid ones in order, and broken ones with their problems."""

    entries: list[Loaded]

    @property
    def lessons(self) -> list[Lesson]:
        return [e.lesson for e in self.entries if e.lesson is not None]

    @property
    def broken(self) -> list[Loaded]:
        return [e for e in self.entries if e.lesson is None]

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


def lesson_files(paths: Iterable[Path]) -> list[Path]:
    """Lesson files named directly, and those in named folders (sorted by name)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in LESSON_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


def load_catalog(extra_dirs: Iterable[Path] = (), *, run_checks: bool = True, cache: Path | None = None) -> Catalog:
    """The built-in lessons followed by those in ``extra_dirs`` (a teacher's own).

    ``cache``: a file where the results of reading each lesson are kept for the next call, which reads
    only the files that changed (see :mod:`gdtutor.lessons.cache`); only without ``run_checks``.
    """
    if cache is not None and run_checks:
        raise ValueError("the lesson cache keeps results without the engine checks")
    remembered = LessonCache(cache) if cache is not None else None
    entries = []
    ids: dict[str, Path] = {}
    for path in lesson_files([builtin_lessons_dir(), *extra_dirs]):
        if remembered is not None:
            loaded = _load_remembered(path, remembered)
        else:
            loaded = load_lesson(path, run_checks=run_checks)
        lesson = loaded.lesson
        if lesson is not None and lesson.id in ids:
            loaded = Loaded(
                path, None, [Problem(str(path), 1, f"the id {lesson.id!r} is already used by {ids[lesson.id]}")]
            )
        elif lesson is not None:
            ids[lesson.id] = path
        entries.append(loaded)
    position = {id(e): i for i, e in enumerate(entries)}
    entries.sort(key=lambda e: (e.lesson.order if e.lesson and e.lesson.order is not None else 10**6, position[id(e)]))
    if remembered is not None:
        remembered.save()
    return Catalog(entries)


def _load_remembered(path: Path, cache: LessonCache) -> Loaded:
    """``load_lesson(path, run_checks=False)``, answered from the cache while the file is unchanged."""
    entry = cache.get(path)
    if entry is not None:
        try:
            if "data" in entry:
                return Loaded(path, build_lesson(entry["data"], path), [])
            return Loaded(path, None, [Problem(str(path), int(line), str(text)) for line, text in entry["problems"]])
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged entry: read the file
    stamp = file_stamp(path)  # before reading: a file changed while it is read is read again next time
    data, problems = check_file(path, run_checks=False)
    if problems or data is None:
        cache.put(path, stamp, {"problems": [[p.line, p.message] for p in problems]})
    else:
        cache.put(path, stamp, {"data": data})
    return _loaded(path, data, problems)
