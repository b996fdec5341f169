"""Rates must match the figures printed in published notices, to the cent, rounded half up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from inspector.rates import percent, qualified_rate, sampling_ratio


def test_published_website_rate_122_inspected_9_unqualified() -> None:
    assert qualified_rate(122, 9) == "92.62"


def test_published_new_media_sampling_ratio_266_of_969() -> None:
    assert sampling_ratio(266, 969) == "27.45"


def test_published_new_media_rate_uses_the_sample_as_denominator() -> None:
    assert qualified_rate(266, 7) == "97.37"


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 8, "12.50"),  # exact, padded to two decimals
        (1, 16, "6.25"),  # exact at two decimals
        (1, 800, "0.13"),  # 0.125: half up gives .13, banker's rounding would give .12
        (3, 800, "0.38"),  # 0.375: half up and half even agree, as a control
        (1, 1600, "0.06"),  # 0.0625: the third decimal is 2, rounded down
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (0, 5, "0.00"),
        (5, 5, "100.00"),
    ],
)
def test_percent_rounds_half_up_to_two_decimals(
    numerator: int, denominator: int, expected: str
) -> None:
    assert percent(numerator, denominator) == expected


def test_half_up_differs_from_pythons_float_rounding() -> None:
    # The trap this module exists to avoid: float formatting rounds 0.125 to even.
    assert f"{1 / 800 * 100:.2f}" == "0.12"
    assert percent(1, 800) == "0.13"


def test_a_rate_over_nothing_is_none_not_zero_or_an_error() -> None:
    assert percent(0, 0) is None
    assert qualified_rate(0, 0) is None
    assert sampling_ratio(0, 0) is None


def test_all_qualified_and_none_qualified() -> None:
    assert qualified_rate(40, 0) == "100.00"
    assert qualified_rate(40, 40) == "0.00"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: qualified_rate(-1, 0), "inspected must not be negative"),
        (lambda: qualified_rate(10, -1), "unqualified must not be negative"),
        (lambda: qualified_rate(10, 11), "unqualified (11) exceeds inspected (10)"),
        (lambda: sampling_ratio(-3, 10), "sampled must not be negative"),
        (lambda: sampling_ratio(970, 969), "sampled (970) exceeds in operation (969)"),
        (lambda: percent(1, -2), "denominator must not be negative"),
    ],
)
def test_impossible_counts_are_refused(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        call()
    assert message in str(caught.value)
