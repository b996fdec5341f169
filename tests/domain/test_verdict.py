"""Verdicts worked through by hand, on the shipped profiles, as an inspector would check them.

National profile points used below (provisional values, see national-2019.toml):
W-D1 3, W-D3 5, W-D4 5, W-D5 5, W-D8 10 (2 per service), W-D10 8 (2 each), W-D11 8 (2 each),
W-D12 4, W-D15 homepage links 5 (1 each), W-D16 other-page links 5 (0.1 each), W-D19 3;
services W-D8..W-D10 = 25; bonus W-B1..W-B4 5 each.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspector.profiles import Profile, load_profile
from inspector.targets import Kind, State, Target
from inspector.verdict import Judgement, Verdict, judge

NATIONAL = load_profile("national-2019")
PROVINCE = load_profile("example-province-80")

OK = Judgement(State.OK)
NA = Judgement(State.NA)
PROBLEM = Judgement(State.PROBLEM)


def site(*, is_portal: bool = False, no_public_services: bool = False) -> Target:
    return Target(
        key="site:4600000012",
        kind=Kind.WEBSITE,
        name="海南省教育厅",
        url="http://edu.hainan.gov.cn/",
        is_portal=is_portal,
        no_public_services=no_public_services,
    )


def account() -> Target:
    return Target(
        key="account:wechat:hnjyt",
        kind=Kind.NEW_MEDIA,
        name="海南教育",
        platform="wechat",
        account_id="hnjyt",
    )


def checked(profile: Profile, target: Target, **results: Judgement) -> Verdict:
    """Every indicator of the checklist judged fine, except the ones given (W_D15=…)."""
    given = {key.replace("_", "-"): value for key, value in results.items()}
    full = {ind.id: OK for ind in profile.for_target(target)}
    return judge(profile, target, {**full, **given})


def d(text: str) -> Decimal:
    return Decimal(text)


# ── websites: veto and score ──────────────────────────────────────────────────────────────────


def test_a_clean_site_scores_full_marks() -> None:
    verdict = checked(NATIONAL, site())
    assert verdict.qualified and verdict.complete
    assert verdict.score == d("100.00")
    assert verdict.reasons == ()
    assert verdict.bonus_part is None  # not a portal


def test_a_veto_makes_the_site_unqualified_and_nothing_is_scored() -> None:
    verdict = checked(NATIONAL, site(), W_V4=PROBLEM, W_D3=PROBLEM)
    assert not verdict.qualified
    assert verdict.vetoes == ("W-V4",)
    assert verdict.score is None and verdict.deduction_part is None
    assert verdict.deductions == {}
    assert verdict.reasons[0].indicator_id == "W-V4"
    assert verdict.reasons[0].text_zh == "单项否决：W-V4 栏目不更新"
    assert verdict.reasons[0].text_en == "Single veto: W-V4 Columns not updated"
    # The other problem is still listed for the report, without an amount.
    assert [r.text_en for r in verdict.reasons[1:]] == ["Problem: W-D3 Government news"]


def test_two_vetoes_are_both_reported_in_profile_order() -> None:
    verdict = checked(NATIONAL, site(), W_V5=PROBLEM, W_V2=PROBLEM)
    assert verdict.vetoes == ("W-V2", "W-V5")


def test_capped_deductions_bring_a_site_under_60() -> None:
    verdict = checked(
        NATIONAL,
        site(),
        W_D3=Judgement(State.PROBLEM, deduction=d("8")),  # entered 8, cap 5 -> 5
        W_D8=Judgement(State.PROBLEM, count=7),  # 7 x 2 = 14, cap 10 -> 10
        W_D10=Judgement(State.PROBLEM, count=5),  # 5 x 2 = 10, cap 8 -> 8
        W_D11=Judgement(State.PROBLEM, count=4),  # 4 x 2 = 8 = cap -> 8
        W_D4=PROBLEM,  # full points -> 5
        W_D5=PROBLEM,  # full points -> 5
        W_D15=Judgement(State.PROBLEM, count=9),  # 9 x 1 = 9, cap 5 -> 5
    )
    # 100 - (5 + 10 + 8 + 8 + 5 + 5 + 5) = 54; without the caps it would be 41.
    assert verdict.deductions == {
        "W-D3": d("5"),
        "W-D4": d("5"),
        "W-D5": d("5"),
        "W-D8": d("10"),
        "W-D10": d("8"),
        "W-D11": d("8"),
        "W-D15": d("5"),
    }
    assert verdict.score == d("54.00")
    assert not verdict.qualified
    assert verdict.vetoes == ()
    first = verdict.reasons[0]
    assert first.indicator_id == ""
    assert first.text_en == "Score 54.00 is below the pass line of 60"
    assert first.text_zh == "得分 54.00，低于合格线 60 分"


def test_a_score_of_exactly_the_pass_line_passes() -> None:
    verdict = checked(
        NATIONAL,
        site(),
        W_D8=PROBLEM,  # 10
        W_D10=PROBLEM,  # 8
        W_D11=PROBLEM,  # 8
        W_D12=PROBLEM,  # 4
        W_D3=PROBLEM,  # 5
        W_D4=PROBLEM,  # 5
    )
    assert verdict.score == d("60.00")
    assert verdict.qualified


@pytest.mark.parametrize(
    ("indicator", "count", "expected_deduction", "expected_score"),
    [
        ("W-D15", 3, "3", "97.00"),  # homepage: 1 point each
        ("W-D15", 12, "5", "95.00"),  # capped at the indicator's 5 points
        ("W-D16", 37, "3.7", "96.30"),  # other pages: 0.1 each, a smaller weight
        ("W-D16", 80, "5", "95.00"),  # 8 points' worth, capped at 5
    ],
)
def test_broken_links_cost_per_occurrence_up_to_the_cap(
    indicator: str, count: int, expected_deduction: str, expected_score: str
) -> None:
    target = site()
    results = {i.id: OK for i in NATIONAL.for_target(target)}
    results[indicator] = Judgement(State.PROBLEM, count=count)
    verdict = judge(NATIONAL, target, results)
    assert verdict.deductions == {indicator: d(expected_deduction)}
    assert verdict.score == d(expected_score)


def test_reasons_say_how_many_and_when_the_cap_applied() -> None:
    verdict = checked(NATIONAL, site(), W_D15=Judgement(State.PROBLEM, count=12))
    assert [r.text_en for r in verdict.reasons] == [
        "Deduction: W-D15 Homepage link availability, −5 (12 found; capped at the indicator's"
        " 5 points)"
    ]
    assert (
        verdict.reasons[0].text_zh
        == "扣分：W-D15 首页链接可用性，扣 5 分（12 处，已达该项上限 5 分）"
    )


def test_an_entered_deduction_wins_over_the_count() -> None:
    verdict = checked(NATIONAL, site(), W_D15=Judgement(State.PROBLEM, deduction=d("1.5"), count=4))
    assert verdict.deductions == {"W-D15": d("1.5")}
    assert verdict.score == d("98.50")


def test_a_count_on_an_indicator_without_per_item_costs_the_full_points() -> None:
    verdict = checked(NATIONAL, site(), W_D19=Judgement(State.PROBLEM, count=1))
    assert verdict.deductions == {"W-D19": d("3")}


def test_not_applicable_costs_nothing_and_counts_as_judged() -> None:
    verdict = checked(NATIONAL, site(), W_D13=NA, W_D14=NA)
    assert verdict.score == d("100.00")
    assert verdict.complete


def test_scores_round_half_up_to_the_cent() -> None:
    # 100 - 0.015 = 99.985: half up gives 99.99 (banker's rounding would give 99.98).
    verdict = checked(NATIONAL, site(), W_D1=Judgement(State.PROBLEM, deduction=d("0.015")))
    assert verdict.score == d("99.99")


# ── sites without public services: 75 x 4/3 ───────────────────────────────────────────────────


def test_a_site_without_public_services_is_scored_out_of_75_then_times_4_over_3() -> None:
    target = site(no_public_services=True)
    checklist = {i.id for i in NATIONAL.for_target(target)}
    assert not checklist & {"W-V6", "W-D8", "W-D9", "W-D10"}
    verdict = checked(
        NATIONAL,
        target,
        W_D1=PROBLEM,  # 3
        W_D15=Judgement(State.PROBLEM, count=2),  # 2
        W_D19=PROBLEM,  # 3
    )
    # (75 - 8) x 4/3 = 67 x 4/3 = 89.333... -> 89.33
    assert verdict.deduction_part == d("89.33")
    assert verdict.qualified and verdict.complete


def test_service_judgements_do_not_count_for_a_site_without_public_services() -> None:
    target = site(no_public_services=True)
    results = {i.id: OK for i in NATIONAL.for_target(target)}
    results |= {"W-V6": PROBLEM, "W-D8": PROBLEM, "W-D10": PROBLEM}
    verdict = judge(NATIONAL, target, results)
    assert verdict.qualified
    assert verdict.score == d("100.00")


def test_without_public_services_the_pass_line_sits_at_45_of_75() -> None:
    target = site(no_public_services=True)
    # 8 + 4 + 4 + 4 + 5 + 5 = 30 points off: (75 - 30) x 4/3 = 60.00 exactly -> passes
    thirty = {k: PROBLEM for k in ("W_D11", "W_D12", "W_D13", "W_D14", "W_D3", "W_D4")}
    at_line = checked(NATIONAL, target, **thirty)
    assert at_line.score == d("60.00") and at_line.qualified
    # one point more: 44 x 4/3 = 58.666... -> 58.67, unqualified
    below = checked(NATIONAL, target, **thirty, W_D15=Judgement(State.PROBLEM, count=1))
    assert below.score == d("58.67") and not below.qualified


def test_the_scale_follows_the_profiles_service_points() -> None:
    # The province gives services 30 points: out of 70, then x 100/70.
    target = site(no_public_services=True)
    verdict = checked(PROVINCE, target, W_D11=Judgement(State.PROBLEM, deduction=d("7")))
    assert verdict.deduction_part == d("90.00")  # 63 x 10/7


# ── portal bonus ──────────────────────────────────────────────────────────────────────────────

BONUS = {
    "W-B1": OK,  # full 5
    "W-B2": Judgement(State.OK, bonus=d("2.5")),  # partly earned
    "W-B3": PROBLEM,  # not earned
    "W-B4": NA,
    "W-B5": Judgement(State.OK, bonus=d("0")),
    "W-B6": Judgement(State.OK, bonus=d("0")),
    "W-B7": Judgement(State.OK, bonus=d("0")),
}


def portal_with_deductions(profile: Profile, taken: str) -> Verdict:
    """A portal losing ``taken`` points, entered on W-D11, W-D3, W-D4, W-D5, each up to its cap."""
    target = site(is_portal=True)
    results = {i.id: OK for i in profile.for_target(target)}
    left = d(taken)
    for ident in ("W-D11", "W-D3", "W-D4", "W-D5"):
        cap = profile.indicator(ident).points
        assert cap is not None
        part = min(left, cap)
        results[ident] = Judgement(State.PROBLEM, deduction=part)
        left -= part
    assert left == 0
    results |= BONUS
    return judge(profile, target, results)


def test_a_portal_above_the_bonus_line_adds_its_bonus() -> None:
    verdict = portal_with_deductions(NATIONAL, "19.99")
    assert verdict.deduction_part == d("80.01")
    assert verdict.bonus_part == d("7.50")
    assert verdict.score == d("87.51")


@pytest.mark.parametrize(("taken", "part"), [("20", "80.00"), ("20.01", "79.99")])
def test_a_portal_at_or_under_the_bonus_line_gets_no_bonus(taken: str, part: str) -> None:
    verdict = portal_with_deductions(NATIONAL, taken)
    assert verdict.deduction_part == d(part)
    assert verdict.bonus_part is None
    assert verdict.score == verdict.deduction_part


def test_bonus_judgements_on_a_non_portal_are_ignored() -> None:
    target = site()
    assert not any(i.group == "bonus" for i in NATIONAL.for_target(target))
    verdict = judge(NATIONAL, target, {**{i.id: OK for i in NATIONAL.for_target(target)}, **BONUS})
    assert verdict.bonus_part is None
    assert verdict.score == d("100.00")


def test_a_bonus_never_exceeds_its_indicators_points() -> None:
    target = site(is_portal=True)
    results = {i.id: OK for i in NATIONAL.for_target(target)}
    results["W-B1"] = Judgement(State.OK, bonus=d("99"))
    verdict = judge(NATIONAL, target, results)
    assert verdict.bonus_part == d("30.00")  # every bonus earned once, W-B1 capped at 5
    assert verdict.score == d("130.00")


def test_the_bonus_line_comes_from_the_profile() -> None:
    # The province puts the bonus line at 85: an 80.01 portal passes there but earns no bonus.
    verdict = portal_with_deductions(PROVINCE, "14.99")
    assert verdict.deduction_part == d("85.01")
    assert verdict.bonus_part == d("7.50")
    at_80 = portal_with_deductions(PROVINCE, "19.99")
    assert at_80.qualified
    assert at_80.bonus_part is None


# ── a province's pass line ────────────────────────────────────────────────────────────────────


def test_a_75_point_site_passes_nationally_but_not_under_a_pass_line_of_80() -> None:
    problems = {
        "W_D3": PROBLEM,  # 5 in both profiles
        "W_D4": PROBLEM,  # 5
        "W_D5": PROBLEM,  # 5
        "W_D11": Judgement(State.PROBLEM, deduction=d("8")),
        "W_D12": Judgement(State.PROBLEM, deduction=d("2")),
    }
    national = checked(NATIONAL, site(), **problems)
    province = checked(PROVINCE, site(), **problems)
    assert national.score == province.score == d("75.00")
    assert national.qualified
    assert not province.qualified
    assert province.reasons[0].text_en == "Score 75.00 is below the pass line of 80"


# ── new media ─────────────────────────────────────────────────────────────────────────────────


def test_national_new_media_is_veto_only_problems_are_listed_but_do_not_fail() -> None:
    verdict = checked(NATIONAL, account(), M_D2=PROBLEM, M_D4=PROBLEM)
    assert verdict.qualified
    assert verdict.score is None and verdict.deduction_part is None
    assert [r.text_zh for r in verdict.reasons] == [
        "问题：M-D2 功能不可用",
        "问题：M-D4 商业广告及不当互动",
    ]


def test_national_new_media_is_complete_once_the_vetoes_are_judged() -> None:
    verdict = judge(NATIONAL, account(), {"M-V1": OK, "M-V2": OK, "M-V3": OK})
    assert verdict.complete
    assert verdict.pending == ()


def test_a_new_media_veto_fails_the_account_in_both_profiles() -> None:
    for profile in (NATIONAL, PROVINCE):
        verdict = checked(profile, account(), M_V2=PROBLEM)
        assert not verdict.qualified
        assert verdict.vetoes == ("M-V2",)
        assert verdict.score is None


def test_a_province_that_scores_new_media_fails_an_account_under_its_line() -> None:
    # M-D2 20 + M-D4 15 = 35 off: 65 < 80.
    verdict = checked(PROVINCE, account(), M_D2=PROBLEM, M_D4=PROBLEM)
    assert verdict.score == d("65.00")
    assert not verdict.qualified
    # One unusable function (5 each) and the ads (15): exactly 80, qualified.
    at_line = checked(PROVINCE, account(), M_D2=Judgement(State.PROBLEM, count=1), M_D4=PROBLEM)
    assert at_line.score == d("80.00") and at_line.qualified


def test_a_scored_new_media_profile_waits_for_its_deduction_items() -> None:
    verdict = judge(PROVINCE, account(), {"M-V1": OK, "M-V2": OK, "M-V3": OK})
    assert not verdict.complete
    assert verdict.pending == tuple(f"M-D{n}" for n in range(1, 8))


# ── pending ───────────────────────────────────────────────────────────────────────────────────


def test_unjudged_indicators_are_pending_and_cost_nothing_yet() -> None:
    verdict = judge(NATIONAL, site(), {"W-V1": OK, "W-D15": Judgement(State.PROBLEM, count=2)})
    assert not verdict.complete
    assert verdict.pending[:5] == ("W-V2", "W-V3", "W-V4", "W-V5", "W-V6")
    assert "W-V1" not in verdict.pending and "W-D15" not in verdict.pending
    assert len(verdict.pending) == 6 - 1 + 20 - 1
    assert verdict.score == d("98.00")
    assert verdict.qualified  # provisional: may still turn


def test_bonus_indicators_are_never_pending() -> None:
    target = site(is_portal=True)
    results = {i.id: OK for i in NATIONAL.for_target(target) if i.group != "bonus"}
    verdict = judge(NATIONAL, target, results)
    assert verdict.complete
    assert verdict.bonus_part == d("0.00")


def test_a_veto_decides_even_while_other_indicators_are_pending() -> None:
    verdict = judge(NATIONAL, site(), {"W-V3": PROBLEM})
    assert not verdict.qualified
    assert not verdict.complete
    assert "W-V1" in verdict.pending


def test_results_for_indicators_that_do_not_apply_are_ignored() -> None:
    results = {i.id: OK for i in NATIONAL.for_target(site())}
    results |= {"M-V2": PROBLEM, "X-9": PROBLEM}
    assert judge(NATIONAL, site(), results).qualified


def test_negative_entries_are_refused() -> None:
    with pytest.raises(ValueError, match="deduction must not be negative"):
        Judgement(State.PROBLEM, deduction=d("-1"))
    with pytest.raises(ValueError, match="count must not be negative"):
        Judgement(State.PROBLEM, count=-2)
