"""Numbers as the learner reads them: one function a purpose (gdtutor.numbers), each checked here on the
cases that made it."""

from __future__ import annotations

import math

from gdtutor.numbers import apart, exact, full, rounded, setting, sweep_rates, tick_label, true_digits, written


def test_each_purpose_writes_its_own_way() -> None:
    assert full(5.749608675278042) == "5.749608675278042" and full(math.inf) == "inf"
    assert exact(0.1) == "0.1" and exact(1e-05) == "1e-05" and exact(1.0000001) == "1.0000001"
    assert setting(0.001) == "0.001" and setting(1_000_000) == "1,000,000"
    assert rounded(5.749608675278042, 4) == "5.75" and rounded(math.nan) == "nan"
    assert apart(0.0000999, 0.0001) == ("9.99e-05", "0.0001")
    assert true_digits(5.749996390666503) == "5.749996" and true_digits(0.25) == "0.25"
    assert written(5e-05) == "0.00005" and written(24000.0) == "24,000"
    assert tick_label(4.6e9) == "4.6e9" and tick_label(11.0) == "11"


def test_sweep_rates_tell_neighbours_apart_in_few_digits() -> None:
    import numpy as np

    rates = sweep_rates(np.linspace(0.01, 1.2, 40).tolist())
    assert rates[:4] == ["0.01", "0.0405", "0.071", "0.1015"] and rates[-1] == "1.2"
    assert len(set(rates)) == 40


def test_true_digits_of_a_subnormal_is_its_own_short_text() -> None:
    # a 2-D run's x underflows to the smallest subnormal while y bounces: '1e-323', not '9.88131e-324'
    assert true_digits(1e-323) == "1e-323" and true_digits(5e-324) == "5e-324"
    assert true_digits(5.749996390666503) == "5.749996" and true_digits(0.1) == "0.1"
