"""The descent engine: numbers only (numpy; sympy loaded lazily for derivatives), no user interface.

>>> from gdtutor.engine import descend
>>> r = descend("(x - 3.5)**2 - 4.5*x + 10", eta=0.1, x0=0)
>>> r.status.value, r.steps, r.x
('converged', 43, 5.749608675278042)
"""

from .analysis import Quadratic, StopGap, quadratic, stop_gap
from .descent import (
    DEFAULT_GAP,
    DEFAULT_MAX_ITER,
    DEFAULT_PRECISION,
    Descent,
    DescentResult,
    Status,
    Update,
    check_parameters,
    descend,
    random_start,
)
from .expr import ExpressionError
from .function import LECTURE_DERIVATIVE, LECTURE_FUNCTION, Function
from .sweep import SweepResult, sweep

__all__ = [
    "DEFAULT_GAP",
    "DEFAULT_MAX_ITER",
    "DEFAULT_PRECISION",
    "LECTURE_DERIVATIVE",
    "LECTURE_FUNCTION",
    "Descent",
    "DescentResult",
    "ExpressionError",
    "Function",
    "Quadratic",
    "Status",
    "StopGap",
    "SweepResult",
    "Update",
    "check_parameters",
    "descend",
    "quadratic",
    "random_start",
    "stop_gap",
    "sweep",
]
