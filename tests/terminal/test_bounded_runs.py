"""Every run is bounded in memory, whatever its length (issue 12): the real ``gdtutor run`` at the longest
run allowed, its peak resident memory against the same command's for a run of one update.

A run of 1,000,000 updates kept whole took 521 MB before the path was bounded; now ``--json`` keeps a
thinned path, and ``--trace full`` keeps 8 bytes an update, under the 1,000,000-update cap.
"""

from __future__ import annotations

import json

import pytest
from support.children import gdtutor

from gdtutor.engine.params import MAX_UPDATES

LONG = ("run", "--function", "x", "--eta", "1", "--x0", "0")
"""f(x) = x has no minimum: the run goes on to its update limit."""

MB = 1024  # ru_maxrss is in kB


def peak(*argv: str) -> tuple[str, int]:
    status, out, err, kb = gdtutor(*argv, measure=True)
    assert status == 0, err
    return out, kb


@pytest.mark.parametrize(("how", "options"), [("text", ()), ("json, thinned path", ("--json",))])
def test_a_run_s_memory_stops_growing_with_its_length(how: str, options: tuple[str, ...]) -> None:
    """From 100,000 updates to the 1,000,000 allowed, the peak stays where it was (measured: 71 and 72 MB
    for --json, 56 MB for one update)."""
    _, one = peak(*LONG, "--max-iter", "1", *options)
    _, tenth = peak(*LONG, "--max-iter", str(MAX_UPDATES // 10), *options)
    out, whole = peak(*LONG, "--max-iter", str(MAX_UPDATES), *options)
    if options:
        doc = json.loads(out)
        assert doc["steps"] == MAX_UPDATES and doc["trace_kept"] == "thinned"
    else:
        assert out.count("\n") > MAX_UPDATES  # every update printed as it is made
    assert whole - tenth < 4 * MB, f"{how}: {(whole - tenth) / MB:.1f} MB more for ten times the updates"
    assert whole - one < 32 * MB, f"{how}: {(whole - one) / MB:.0f} MB above a run of one update"


def test_every_update_kept_costs_what_its_numbers_take() -> None:
    """--trace full keeps 8 bytes an update (and prints them): the longest run allowed, 1,000,000
    updates, stays within 64 MB above a run of one update (measured: 56 MB above)."""
    _, one = peak(*LONG, "--max-iter", "1", "--json", "--trace", "full")
    out, whole = peak(*LONG, "--max-iter", str(MAX_UPDATES), "--json", "--trace", "full")
    doc = json.loads(out)
    assert doc["trace_kept"] == "whole" and len(doc["trace"]) == MAX_UPDATES + 1
    assert whole - one < 64 * MB, f"{(whole - one) / MB:.0f} MB above a run of one update"


def test_a_run_longer_than_allowed_is_refused_before_it_starts() -> None:
    status, out, err, _ = gdtutor(*LONG, "--max-iter", str(10 * MAX_UPDATES), "--json")
    assert status == 2 and out == ""
    assert err.strip() == f"gdtutor run: --max-iter: {10 * MAX_UPDATES} is not between 1 and 1,000,000"
