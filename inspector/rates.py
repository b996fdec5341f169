"""Rates as published in inspection notices: percentages with two decimals, rounded half up.

Notices print e.g. "合格率 92.62%"; Python's float formatting and ``round`` round half to even
and carry binary error, which would disagree with the published figures at the .xx5 edge, so
every rate is computed exactly with Decimal and returned as the string a notice would print.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["percent", "qualified_rate", "sampling_ratio"]


def _check_counts(**counts: int) -> None:
    for name, value in counts.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")


def percent(numerator: int, denominator: int) -> str | None:
    """``numerator / denominator`` as a percentage string with two decimals ("92.62"), rounded
    half up; None when the denominator is 0 (there is nothing to rate)."""
    _check_counts(numerator=numerator, denominator=denominator)
    if denominator == 0:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def qualified_rate(inspected: int, unqualified: int) -> str | None:
    """合格率: (inspected − unqualified) / inspected. For new media ``inspected`` is the sample."""
    _check_counts(inspected=inspected, unqualified=unqualified)
    if unqualified > inspected:
        raise ValueError(f"unqualified ({unqualified}) exceeds inspected ({inspected})")
    return percent(inspected - unqualified, inspected)


def sampling_ratio(sampled: int, in_operation: int) -> str | None:
    """抽查比例: sampled / in operation (the size of the register the sample was drawn from)."""
    _check_counts(sampled=sampled, in_operation=in_operation)
    if sampled > in_operation:
        raise ValueError(f"sampled ({sampled}) exceeds in operation ({in_operation})")
    return percent(sampled, in_operation)
