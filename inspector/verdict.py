"""From an inspector's judgements to a verdict: qualified or not, the score, and why.

The rules (spec/indicators.md section 1) are few but easy to get subtly wrong by hand: a veto
stops all scoring, deductions are capped per indicator, sites without public services are scored
out of what is left and scaled back up, and only portals above the bonus line earn a bonus. Every
number here comes from the profile, so a province's variant needs no code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from inspector.profiles import Indicator, Profile
from inspector.targets import Kind, State, Target

__all__ = ["Judgement", "Reason", "Verdict", "judge"]

_CENT = Decimal("0.01")
_ZERO = Decimal(0)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """A point value as people write it: 5, 0.5, 2.25 (no trailing zeros)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Judgement:
    """What the inspector decided for one indicator on one target.

    For a deduction problem: ``deduction`` is the points to take off as entered; else ``count``
    occurrences times the indicator's ``per_item``; else the indicator's full points. ``bonus`` is
    the points awarded for a bonus indicator judged OK (full points when not given).
    """

    state: State
    deduction: Decimal | None = None
    count: int | None = None
    bonus: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("deduction", "count", "bonus"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must not be negative, got {value}")


@dataclass(frozen=True)
class Reason:
    """One plain-words line of a verdict; ``indicator_id`` is empty for the verdict as a whole
    (such as a score under the pass line)."""

    indicator_id: str
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class Verdict:
    """The outcome for one target under one profile.

    ``score`` is None for veto-only kinds and after a veto hit (nothing else is scored).
    ``bonus_part`` is None unless the target is a portal whose deduction part is above the bonus
    line. ``complete`` is false while ``pending`` lists indicators not judged yet; they are
    assumed to cost nothing, so a provisional "qualified" can still turn.
    """

    qualified: bool
    complete: bool
    pending: tuple[str, ...]
    vetoes: tuple[str, ...]
    score: Decimal | None
    deduction_part: Decimal | None
    bonus_part: Decimal | None
    deductions: Mapping[str, Decimal] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()


def _deduction(indicator: Indicator, judgement: Judgement) -> tuple[Decimal, bool]:
    """Points taken off for a problem, and whether the indicator's cap cut them down."""
    cap = indicator.points if indicator.points is not None else _ZERO
    if judgement.deduction is not None:
        wanted = judgement.deduction
    elif judgement.count is not None and indicator.per_item is not None:
        wanted = judgement.count * indicator.per_item
    else:
        wanted = cap
    return min(wanted, cap), wanted > cap


def _problem_reason(
    indicator: Indicator, judgement: Judgement, amount: Decimal | None, capped: bool
) -> Reason:
    zh, en = f"{indicator.id} {indicator.name_zh}", f"{indicator.id} {indicator.name_en}"
    if amount is None:
        return Reason(indicator.id, f"问题：{zh}", f"Problem: {en}")
    zh_extra, en_extra = [], []
    if judgement.count is not None:
        zh_extra.append(f"{judgement.count} 处")
        en_extra.append(f"{judgement.count} found")
    if capped:
        zh_extra.append(f"已达该项上限 {_plain(amount)} 分")
        en_extra.append(f"capped at the indicator's {_plain(amount)} points")
    zh_note = f"（{'，'.join(zh_extra)}）" if zh_extra else ""
    en_note = f" ({'; '.join(en_extra)})" if en_extra else ""
    return Reason(
        indicator.id,
        f"扣分：{zh}，扣 {_plain(amount)} 分{zh_note}",
        f"Deduction: {en}, −{_plain(amount)}{en_note}",
    )


def judge(profile: Profile, target: Target, results: Mapping[str, Judgement]) -> Verdict:
    """Judge one target. ``results`` maps indicator ids to judgements; ids that do not apply to
    the target (another kind, or a profile's leftover) are ignored."""
    checklist = profile.for_target(target)
    vetoes = [i for i in checklist if i.group == "veto"]
    deductions = [i for i in checklist if i.group == "deduction"]
    bonuses = [i for i in checklist if i.group == "bonus"]
    is_website = target.kind == Kind.WEBSITE
    scored = is_website or profile.new_media.scored

    required = vetoes + deductions if scored else vetoes
    pending = tuple(i.id for i in required if i.id not in results)
    problems = [
        (i, results[i.id])
        for i in checklist
        if i.id in results and results[i.id].state == State.PROBLEM
    ]
    hit = tuple(i.id for i, _ in problems if i.group == "veto")

    veto_reasons = [
        Reason(i.id, f"单项否决：{i.id} {i.name_zh}", f"Single veto: {i.id} {i.name_en}")
        for i, _ in problems
        if i.group == "veto"
    ]
    if hit or not scored:
        # Nothing is scored: deduction problems are still listed, without amounts.
        others = [_problem_reason(i, j, None, False) for i, j in problems if i.group == "deduction"]
        return Verdict(
            qualified=not hit,
            complete=not pending,
            pending=pending,
            vetoes=hit,
            score=None,
            deduction_part=None,
            bonus_part=None,
            deductions=MappingProxyType({}),
            reasons=tuple(veto_reasons + others),
        )

    if is_website:
        total, pass_line = profile.website.total_points, profile.website.pass_line
    else:
        total, pass_line = profile.new_media.total_points, profile.new_media.pass_line
    # The points actually at stake: the total, or less when service indicators are skipped for a
    # site without public services; the result is scaled back to the total (75 × 4/3 nationally).
    at_stake = sum((i.points or _ZERO for i in deductions), _ZERO)

    taken: dict[str, Decimal] = {}
    problem_reasons: list[Reason] = []
    for indicator, judgement in problems:
        if indicator.group != "deduction":
            continue
        amount, capped = _deduction(indicator, judgement)
        taken[indicator.id] = amount
        problem_reasons.append(_problem_reason(indicator, judgement, amount, capped))

    kept = at_stake - sum(taken.values(), _ZERO)
    raw = kept * total / at_stake if at_stake else total
    deduction_part = _cents(raw)

    bonus_part: Decimal | None = None
    if is_website and target.is_portal and deduction_part > profile.website.bonus_line:
        earned = _ZERO
        for indicator in bonuses:
            award = results.get(indicator.id)
            if award is None or award.state != State.OK:
                continue
            points = indicator.points or _ZERO
            earned += min(award.bonus if award.bonus is not None else points, points)
        bonus_part = _cents(min(earned, profile.website.bonus_points))

    qualified = deduction_part >= pass_line
    reasons: list[Reason] = []
    if not qualified:
        reasons.append(
            Reason(
                "",
                f"得分 {deduction_part}，低于合格线 {_plain(pass_line)} 分",
                f"Score {deduction_part} is below the pass line of {_plain(pass_line)}",
            )
        )
    return Verdict(
        qualified=qualified,
        complete=not pending,
        pending=pending,
        vetoes=(),
        score=deduction_part + (bonus_part or _ZERO),
        deduction_part=deduction_part,
        bonus_part=bonus_part,
        deductions=MappingProxyType(taken),
        reasons=tuple(reasons + problem_reasons),
    )
