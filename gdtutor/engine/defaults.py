"""The engine's default parameters and size limits.

A module of their own, without numpy: the command line and the lesson loader read them at start, and
loading numpy there cost the app about 55 ms before its first screen (``benchmarks/tui_bench.py``).
"""

DEFAULT_PRECISION = 1e-4
"""The lecture's precision: the loop stops when an update moves x by less than this."""
DEFAULT_MAX_ITER = 10_000
"""Most updates a run makes before it stops with ``max_iter``."""
DEFAULT_GAP = 0.1
"""What the lecture's ``last_x`` starts as, relative to x0 (``last_x = x0 + gap``)."""
MAX_NUMBERS = 8_000_000
"""Largest regression data set generated (rows times features): 64 MB of float64."""
