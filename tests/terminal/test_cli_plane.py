"""``gdtutor run`` and ``sweep`` on a function of x and y: ``--y0`` and ``--beta``, the path as pairs in
JSON, every update printed, and the same refusals as in 1-D (one line, naming the option).

The 2-D loop is checked against the lesson's loop written out below in plain Python, as the lecture's
numbers are in ``test_cli``."""

from __future__ import annotations

import json
import math

import pytest

from gdtutor import cli

VALLEY = "x^2 + 10*y^2"


def valley_loop(eta: float, x: float, y: float, precision: float = 1e-4, cap: int = 10_000) -> list[list[float]]:
    """The lesson's 2-D loop on the valley, as a learner would write it (its gradient by hand)."""
    points = [[x, y]]
    last_x, last_y = x + 0.1, y + 0.1
    while len(points) <= cap:
        if math.sqrt((x - last_x) * (x - last_x) + (y - last_y) * (y - last_y)) < precision:
            break
        last_x, last_y = x, y
        x, y = x - eta * (2 * x), y - eta * (20 * y)
        points.append([x, y])
    return points


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("eta", [0.01, 0.05, 0.09, 0.0999])
def test_run_json_gives_the_lessons_loop_as_pairs(capsys: pytest.CaptureFixture[str], eta: float) -> None:
    code, out, err = call(capsys, "run", "--json", "--function", VALLEY, "--eta", str(eta), "--x0", "1", "--y0", "1")
    assert (code, err) == (0, "") and out.count("\n") == 1
    doc = json.loads(out)
    expected = valley_loop(eta, 1.0, 1.0)
    assert doc["trace"] == expected  # every point, bit for bit, as [x, y]
    assert doc["status"] == "converged" and doc["steps"] == len(expected) - 1
    assert doc["partials"] == ["2*x", "20*y"] and doc["beta"] == 0.0 and doc["y0"] == 1.0
    assert doc["message"].startswith("Converged")


def test_run_prints_every_update_with_both_coordinates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "run", "--function", VALLEY, "--eta", "0.09", "--x0", "1", "--y0", "1")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "f(x, y) = x**2 + 10*y**2" and lines[1].startswith("df/dx = 2*x")
    assert "start: (1.0, 1.0)" in lines
    updates = [line for line in lines if line.startswith("update ")]
    expected = valley_loop(0.09, 1.0, 1.0)
    assert len(updates) == len(expected) - 1
    first_x, first_y = expected[1]
    assert updates[0] == f"update 1: x = {first_x!r}, y = {first_y!r}"


def test_run_with_momentum_and_a_seeded_start(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "run", "--json", "--function", VALLEY, "--eta", "0.01", "--beta", "0.9", "--seed", "3")
    doc = json.loads(out)
    assert code == 0 and doc["beta"] == 0.9 and doc["seed"] == 3 and doc["status"] == "converged"
    again = json.loads(call(capsys, "run", "--json", "--function", VALLEY, "--eta", "0.01", "--seed", "3")[1])
    assert (again["x0"], again["y0"]) == (doc["x0"], doc["y0"])  # the same seed, the same start
    assert again["steps"] > doc["steps"]  # the heavy ball crosses the valley in fewer updates at this rate


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--function", "x^2", "--y0", "1"], "--y0: 1 is given, but only a function of x and y takes it"),
        (["--function", "x^2", "--beta", "0.5"], "--beta: 0.5 is given, but only a function of x and y takes it"),
        (["--function", VALLEY, "--beta", "2"], "--beta: 2 is not between 0 and 1"),
        (["--function", VALLEY, "--derivative", "2*x"], "--derivative: a function of x and y takes no derivative"),
        (["--function", "x^2 + Y^2"], "--function:"),
    ],
)
def test_what_cannot_run_is_one_line_naming_the_option(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    code, out, err = call(capsys, "run", *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and fragment in err, err


def test_sweep_over_rates_on_a_surface(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--function", VALLEY, "--x0", "1", "--y0", "1", "--eta-min", "0.099", "--eta-max", "0.101", "--count", "3"]
    code, out, err = call(capsys, "sweep", "--json", *argv)
    assert (code, err) == (0, "")
    rows = json.loads(out)
    # just below 2/20, at it and just above: the y direction decides
    assert [row["status"] for row in rows] == ["converged", "oscillating", "max_iter"]
    assert rows[0]["steps"] == len(valley_loop(0.099, 1.0, 1.0)) - 1
    assert all("y" in row for row in rows)
    code, out, _ = call(capsys, "sweep", *argv)
    assert code == 0 and "final y" in out and "f(x, y) = x**2 + 10*y**2" in out


def test_a_sweep_on_a_surface_is_bounded_before_it_starts(capsys: pytest.CaptureFixture[str]) -> None:
    """Each rate runs by itself (about 1 us an update): 100,000 rates of 10,000 updates would take
    a quarter of an hour; refused at once, saying which options to lower."""
    code, out, err = call(capsys, "sweep", "--function", VALLEY, "--x0", "1", "--y0", "1", "--count", "100000")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--count 100000 times --max-iter 10000" in err and "lower one of them" in err
    code, out, _ = call(capsys, "sweep", "--function", VALLEY, "--x0", "1", "--y0", "1", "--count", "1000", "--json")
    assert code == 0 and len(json.loads(out)) == 1000  # 10,000,000 updates at most: allowed
