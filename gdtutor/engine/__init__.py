"""The descent engine: numbers only (numpy; sympy loaded lazily for derivatives), no user interface.

>>> from gdtutor.engine import descend
>>> r = descend("(x - 3.5)**2 - 4.5*x + 10", eta=0.1, x0=0)
>>> r.status.value, r.steps, r.x
('converged', 43, 5.749608675278042)

The names below are loaded from their modules on first use (PEP 562), so that importing one light
module of the package (``engine.expr`` to parse, ``engine.params``) does not load numpy with the
rest: the app's lesson list comes up before any descent is run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Quadratic, StopGap, quadratic, stop_gap
    from .descent import Descent, DescentResult, RunState, Status, Update, descend, drive
    from .descent2 import Descent2, DescentResult2, Update2
    from .expr import ExpressionError
    from .function import Function
    from .lecture import LECTURE_DERIVATIVE, LECTURE_FUNCTION
    from .params import (
        DEFAULT_GAP,
        DEFAULT_MAX_ITER,
        DEFAULT_PRECISION,
        MAX_UPDATES,
        Limits,
        ParameterError,
        Run,
        Setup,
        random_start,
        read_setup,
    )
    from .surface import Surface
    from .sweeps import SweepResult, sweep

_MODULES = {
    "analysis": ("Quadratic", "StopGap", "quadratic", "stop_gap"),
    "descent": ("Descent", "DescentResult", "RunState", "Status", "Update", "descend", "drive"),
    "descent2": ("Descent2", "DescentResult2", "Update2"),
    "expr": ("ExpressionError",),
    "function": ("Function",),
    "lecture": ("LECTURE_DERIVATIVE", "LECTURE_FUNCTION"),
    "params": (
        "DEFAULT_GAP",
        "DEFAULT_MAX_ITER",
        "DEFAULT_PRECISION",
        "MAX_UPDATES",
        "Limits",
        "ParameterError",
        "Run",
        "Setup",
        "random_start",
        "read_setup",
    ),
    "surface": ("Surface",),
    "sweeps": ("SweepResult", "sweep"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "DEFAULT_GAP",
    "DEFAULT_MAX_ITER",
    "DEFAULT_PRECISION",
    "LECTURE_DERIVATIVE",
    "LECTURE_FUNCTION",
    "MAX_UPDATES",
    "Descent",
    "Descent2",
    "DescentResult",
    "DescentResult2",
    "ExpressionError",
    "Function",
    "Limits",
    "ParameterError",
    "Quadratic",
    "Run",
    "RunState",
    "Setup",
    "Status",
    "StopGap",
    "Surface",
    "SweepResult",
    "Update",
    "Update2",
    "descend",
    "drive",
    "quadratic",
    "random_start",
    "read_setup",
    "stop_gap",
    "sweep",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
