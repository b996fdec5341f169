"""The shipped profiles encode the spec, and a broken profile is refused with the exact place."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from inspector import paths
from inspector.profiles import (
    DEFAULT_PROFILE,
    Indicator,
    Profile,
    ProfileError,
    available_profiles,
    load_profile,
)
from inspector.targets import Kind, Target

NATIONAL_FILE = paths.PROFILES / "national-2019.toml"
NATIONAL_TEXT = NATIONAL_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def national() -> Profile:
    return load_profile(DEFAULT_PROFILE)


@pytest.fixture(scope="module")
def province() -> Profile:
    return load_profile("example-province-80")


def points(indicators: Iterable[Indicator]) -> Decimal:
    return sum((i.points or Decimal(0) for i in indicators), Decimal(0))


def website(*, is_portal: bool = False, no_public_services: bool = False) -> Target:
    return Target(
        key="site:x",
        kind=Kind.WEBSITE,
        name="x",
        url="http://x.gov.cn/",
        is_portal=is_portal,
        no_public_services=no_public_services,
    )


ACCOUNT = Target(key="account:weibo:x", kind=Kind.NEW_MEDIA, name="x", platform="weibo")


# ── the shipped profiles ──────────────────────────────────────────────────────────────────────


def test_both_shipped_profiles_load_by_id_and_are_listed() -> None:
    ids = [p.id for p in available_profiles()]
    assert {"national-2019", "example-province-80"} <= set(ids)
    assert ids == sorted(ids)
    assert DEFAULT_PROFILE == "national-2019"


def test_a_profile_loads_from_a_path_too(tmp_path: Path) -> None:
    copy = tmp_path / "my-copy.toml"
    copy.write_text(NATIONAL_TEXT, encoding="utf-8")
    assert load_profile(copy).path == copy
    assert load_profile(str(copy)).id == "national-2019"


def test_every_single_veto_of_the_notice_is_present(national: Profile) -> None:
    vetoes = [i.id for i in national.indicators if i.group == "veto"]
    assert vetoes == ["W-V1", "W-V2", "W-V3", "W-V4", "W-V5", "W-V6", "M-V1", "M-V2", "M-V3"]
    assert national.indicator("W-V4").name_zh == "栏目不更新"
    assert national.indicator("M-V2").name_zh == "内容不更新"
    for ident in vetoes:
        ind = national.indicator(ident)
        assert ind.points is None and ind.per_item is None
        assert ind.rule_zh and ind.rule_en


def test_website_deductions_make_100_with_25_for_services(national: Profile) -> None:
    deductions = [i for i in national.indicators if i.id.startswith("W-D")]
    assert points(deductions) == Decimal(100) == national.website.total_points
    assert points(i for i in deductions if i.service) == Decimal(25)
    bonus = [i for i in national.indicators if i.group == "bonus"]
    assert points(bonus) == Decimal(30)
    assert all(i.applies_to == {"portal"} for i in bonus)
    rules = national.website
    assert (rules.pass_line, rules.bonus_line) == (Decimal(60), Decimal(80))


def test_the_known_machine_checks_have_their_deduction_items(national: Profile) -> None:
    by_name = {i.name_en: i for i in national.indicators}
    home = by_name["Homepage link availability"]
    other = by_name["Link availability on other pages"]
    assert home.detect == other.detect == "A"
    assert other.per_item is not None and home.per_item is not None
    assert other.per_item < home.per_item  # other pages weigh less per broken link
    assert by_name["Attachments download"].service
    assert by_name["Online service systems"].service
    assert by_name["Columns late (below the veto counts)"].category == "updates"
    assert by_name["Page identity"].thresholds["items"][1] == "网站标识码"
    assert by_name["Site search"].group == "deduction"


def test_new_media_problem_items_of_the_provinces_are_present(national: Profile) -> None:
    items = {i.name_en for i in national.for_target(ACCOUNT) if i.group == "deduction"}
    assert items == {
        "Menus or columns not updated",
        "Functions unusable",
        "Dead menu links",
        "Commercial ads and improper interaction",
        "Important information not reposted",
        "Not filed with the national reporting system",
        "Wording errors",
    }
    assert national.new_media.scored is False


def test_thresholds_carry_the_numbers_of_the_notice(national: Profile) -> None:
    t = national.threshold
    assert (t("W-V2", "monitor_days"), t("W-V2", "visits_per_day")) == (7, 20)
    assert t("W-V2", "timeout_seconds") == 15
    assert t("W-V2", "failure_ratio") == Decimal("0.05")  # exact, not a float
    assert t("W-V3", "window_days") == 14
    assert t("W-V4", "news_window_days") == 14
    assert t("W-V4", "notice_window_months") == 6
    assert (t("W-V4", "combined_stale_count"), t("W-V4", "long_stale_count")) == (5, 10)
    assert t("W-V4", "blank_count") == 5
    assert (t("W-V5", "unanswered_months"), t("W-V5", "lookback_months")) == (3, 12)
    assert t("W-V6", "guide_elements") == (
        "事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程",
    )  # fmt: skip
    assert t("M-V2", "window_days") == 14


def test_unconfirmed_values_are_flagged_provisional(national: Profile) -> None:
    w_v6 = national.indicator("W-V6")
    assert (
        national.threshold("W-V6", "min_services"),
        w_v6.thresholds["min_missing_elements"],
    ) == (
        5,
        4,
    )
    assert w_v6.provisional_thresholds == {"min_services", "min_missing_elements"}
    assert w_v6.provisional
    for ind in national.indicators:
        if ind.id.startswith(("W-D", "W-B")):
            assert ind.provisional, f"{ind.id}: its points are [U]"
        if ind.confidence == "U":
            assert ind.provisional, ind.id
    for ident in ("W-V1", "W-V2", "W-V3", "W-V4", "W-V5"):
        assert not national.indicator(ident).provisional, ident
    assert national.provisional


def test_missing_names_raise_a_key_error_naming_the_profile(national: Profile) -> None:
    with pytest.raises(KeyError, match="no indicator 'W-V9' in profile national-2019"):
        national.indicator("W-V9")
    with pytest.raises(KeyError, match="W-V2 of profile national-2019 has no threshold 'timeout'"):
        national.threshold("W-V2", "timeout")


def test_checklists_depend_on_the_kind_of_target(national: Profile) -> None:
    plain = [i.id for i in national.for_target(website())]
    portal = [i.id for i in national.for_target(website(is_portal=True))]
    no_services = [i.id for i in national.for_target(website(no_public_services=True))]
    media = [i.id for i in national.for_target(ACCOUNT)]
    assert plain[:6] == ["W-V1", "W-V2", "W-V3", "W-V4", "W-V5", "W-V6"]
    assert not any(i.startswith("W-B") for i in plain)
    assert portal == plain + [f"W-B{n}" for n in range(1, 8)]
    assert set(plain) - set(no_services) == {"W-V6", "W-D8", "W-D9", "W-D10"}
    assert media == ["M-V1", "M-V2", "M-V3"] + [f"M-D{n}" for n in range(1, 8)]


def test_column_kinds_give_the_windows_of_the_spec(national: Profile) -> None:
    cols = national.columns
    assert (cols["homepage"].window_days, cols["homepage"].indicator) == (14, "W-V3")
    assert (cols["news"].window_days, cols["news"].indicator) == (14, "W-V4")
    assert (cols["notice"].window_months, cols["notice"].indicator) == (6, "W-V4")
    assert cols["personnel"].window_months == cols["other"].window_months == 12
    as_of = date(2025, 6, 14)
    assert cols["news"].cutoff(as_of) == date(2025, 5, 31)
    assert cols["notice"].cutoff(as_of) == date(2024, 12, 14)
    assert cols["notice"].cutoff(date(2025, 8, 31)) == date(2025, 2, 28)  # month-end clamp
    assert cols["other"].cutoff(date(2024, 2, 29)) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("工作动态", "news"),
        ("要闻", "news"),
        ("通知公告", "notice"),
        ("政策解读", "notice"),
        ("人事信息", "personnel"),
        ("规划计划", "personnel"),
        ("财政预决算", "other"),
        ("联系我们", "other"),  # no keyword: the fallback kind
    ],
)
def test_a_column_kind_is_guessed_from_its_name(national: Profile, column: str, kind: str) -> None:
    assert national.column_kind_for(column).name == kind


def test_markers_hold_the_placeholder_texts(national: Profile) -> None:
    assert {"暂无信息", "暂无数据", "栏目建设中"} <= set(national.markers["blank"])
    assert {"建设中", "维护中", "系统升级", "Under Development", "小程序已过期"} <= set(
        national.markers["under_construction"]
    )


def test_the_province_changes_lines_weights_and_new_media_scoring(
    national: Profile, province: Profile
) -> None:
    assert province.website.pass_line == Decimal(80)
    assert province.new_media.scored and province.new_media.pass_line == Decimal(80)
    services = points(i for i in province.indicators if i.service)
    assert services == Decimal(30)
    assert province.indicator("W-D16").per_item == Decimal("0.2")
    assert {i.id for i in province.indicators} == {i.id for i in national.indicators}
    media = [i for i in province.indicators if i.id.startswith("M-D")]
    assert points(media) == province.new_media.total_points


# ── broken profiles ───────────────────────────────────────────────────────────────────────────


def edit(text: str, ident: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` inside the [[indicators]] block of ``ident`` only."""
    start = text.index(f'id = "{ident}"\n')
    end = text.find("[[indicators]]", start)
    end = len(text) if end < 0 else end
    block = text[start:end]
    assert old in block, (ident, old)
    return text[:start] + block.replace(old, new, 1) + text[end:]


def refused(tmp_path: Path, text: str, name: str = "national-2019.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.path == path
    return str(caught.value)


BROKEN = [
    (
        lambda t: edit(t, "W-V4", 'group = "veto"', 'group = "vetoo"'),
        "national-2019.toml: indicators[3] (W-V4).group: must be one of veto, deduction, bonus,"
        " got 'vetoo'",
    ),
    (
        lambda t: edit(t, "W-V2", 'detect = "A"', 'detect = "X"'),
        "national-2019.toml: indicators[1] (W-V2).detect: must be one of A, S, H, got 'X'",
    ),
    (
        lambda t: edit(t, "W-V2", 'confidence = "C"', 'confidence = "sure"'),
        "national-2019.toml: indicators[1] (W-V2).confidence: must be one of C, P, U, got 'sure'",
    ),
    (
        lambda t: edit(t, "W-D1", "points = 3", "pointz = 3"),
        "national-2019.toml: indicators[6] (W-D1).pointz: unknown key (allowed: applies_to,",
    ),
    (
        lambda t: edit(t, "W-D1", "points = 3", 'points = "3"'),
        "national-2019.toml: indicators[6] (W-D1).points: expected a number, got string '3'",
    ),
    (
        lambda t: edit(t, "W-V1", "provisional = false\n", ""),
        "national-2019.toml: indicators[0] (W-V1).provisional: missing (required: true or false)",
    ),
    (
        lambda t: edit(t, "W-V5", 'id = "W-V5"', 'id = "W-V4"'),
        "national-2019.toml: indicators[4] (W-V4).id: duplicate id, first defined at indicators[3]",
    ),
    (
        lambda t: edit(t, "W-V1", 'applies_to = ["website"]', 'applies_to = ["new_media"]'),
        "national-2019.toml: indicators[0] (W-V1).applies_to: a W-* indicator applies to websites"
        " (website, portal), got ['new_media']",
    ),
    (
        lambda t: edit(t, "M-V1", 'applies_to = ["new_media"]', 'applies_to = ["website"]'),
        "national-2019.toml: indicators[33] (M-V1).applies_to: an M-* indicator applies to"
        " new_media only, got ['website']",
    ),
    (
        lambda t: edit(t, "W-V1", 'applies_to = ["website"]', 'applies_to = ["websites"]'),
        "national-2019.toml: indicators[0] (W-V1).applies_to: unknown value 'websites'"
        " (allowed: website, portal, new_media)",
    ),
    (
        lambda t: edit(t, "W-V3", 'category = "updates"\n', 'category = "updates"\npoints = 5\n'),
        "national-2019.toml: indicators[2] (W-V3).points: a veto indicator has no points",
    ),
    (
        lambda t: edit(t, "W-D1", 'group = "deduction"', 'group = "veto"'),
        "national-2019.toml: indicators[6] (W-D1).group: id W-D1 says deduction (D), got 'veto'",
    ),
    (
        lambda t: edit(t, "W-D19", "points = 3\n", "per_item = 1\n"),
        "national-2019.toml: indicators[24] (W-D19).per_item: per_item needs points",
    ),
    (
        lambda t: edit(t, "W-D15", "per_item = 1 ", "per_item = -1 "),
        "national-2019.toml: indicators[20] (W-D15).per_item: must not be negative, got -1",
    ),
    (
        lambda t: edit(t, "W-V2", "timeout_seconds = 15", "timeout_seconds = -15"),
        "national-2019.toml: indicators[1] (W-V2).thresholds.timeout_seconds: must not be"
        " negative, got -15",
    ),
    (
        lambda t: edit(t, "W-V6", '"min_services", "min_missing_elements"', '"min_servics"'),
        "national-2019.toml: indicators[5] (W-V6).provisional_thresholds: names no threshold of"
        " this indicator: 'min_servics'",
    ),
    (
        lambda t: edit(
            t,
            "W-B1",
            'confidence = "U"\nprovisional = true',
            'confidence = "U"\nprovisional = false',
        ),
        "national-2019.toml: indicators[26] (W-B1).provisional: must be true when confidence is U",
    ),
    (
        lambda t: edit(t, "W-D1", 'category = "publishing"', 'category = "publish"'),
        "national-2019.toml: indicators[6] (W-D1).category: unknown category 'publish'",
    ),
    (
        lambda t: t.replace("pass_line = 60 ", "pass_line = 120 "),
        "national-2019.toml: website.pass_line: 120 exceeds total_points 100",
    ),
    (
        lambda t: t.replace("total_points = 100 ", "total_points = -100 "),
        "national-2019.toml: website.total_points: must not be negative, got -100",
    ),
    (
        lambda t: t.replace('[columns.news]\nlabel_zh = "动态要闻类"\n', "[columns.news]\n"),
        "national-2019.toml: columns.news.label_zh: missing (required: a string)",
    ),
    (
        lambda t: t.replace('indicator = "W-D17"', 'indicator = "W-D99"'),
        "national-2019.toml: columns.personnel.indicator: no indicator 'W-D99' in this profile",
    ),
    (
        lambda t: t.replace("[markers]\n", "[markers]\nbogus = 3\n"),
        "national-2019.toml: markers.bogus: expected a list of strings, got integer 3",
    ),
    (
        lambda t: t.replace("[new_media]\nscored = false", "[new_media]\nscored = 'no'"),
        "national-2019.toml: new_media.scored: expected true or false, got string 'no'",
    ),
    (
        lambda t: t.replace("[website]", "[websites]"),
        "national-2019.toml: websites: unknown key (allowed: categories, columns, indicators,"
        " markers, new_media, profile, website)",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), BROKEN)
def test_a_broken_profile_names_file_place_and_problem(
    tmp_path: Path, mutate: Callable[[str], str], message: str
) -> None:
    broken = mutate(NATIONAL_TEXT)
    assert broken != NATIONAL_TEXT
    assert message in refused(tmp_path, broken)


def test_deduction_points_must_add_up_to_the_total(tmp_path: Path) -> None:
    text = edit(NATIONAL_TEXT, "W-D1", "points = 3", "points = 4")
    assert refused(tmp_path, text) == (
        "national-2019.toml: website.total_points: website deduction indicators' points sum to"
        " 101, but total_points is 100"
    )


def test_bonus_points_must_add_up_to_the_bonus_total(tmp_path: Path) -> None:
    text = edit(NATIONAL_TEXT, "W-B7", "points = 3", "points = 2")
    assert refused(tmp_path, text) == (
        "national-2019.toml: website.bonus_points: bonus indicators' points sum to 29,"
        " but bonus_points is 30"
    )


def test_a_scored_new_media_profile_needs_points_on_every_item(tmp_path: Path) -> None:
    text = NATIONAL_TEXT.replace(
        "[new_media]\nscored = false",
        "[new_media]\nscored = true\ntotal_points = 100\npass_line = 60",
    )
    message = refused(tmp_path, text)
    assert "indicators[36] (M-D1).points: missing (new_media.scored is true" in message
    assert "new_media.total_points: new-media deduction indicators' points sum to 0" in message


def test_a_toml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    text = NATIONAL_TEXT.replace(
        '[profile]\nid = "national-2019"', '[profile\nid = "national-2019"'
    )
    line = NATIONAL_TEXT[: NATIONAL_TEXT.index("\n[profile]\n")].count("\n") + 2
    message = refused(tmp_path, text)
    assert message.startswith("national-2019.toml: TOML syntax error: ")
    assert re.search(rf"\(at line {line}, column \d+\)", message)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = edit(NATIONAL_TEXT, "W-V4", 'group = "veto"', 'group = "vetoo"')
    text = edit(text, "W-V2", 'detect = "A"', 'detect = "X"')
    problems = [where for where, _ in _problems(tmp_path, text)]
    assert problems == ["indicators[1] (W-V2).detect", "indicators[3] (W-V4).group"]


def _problems(tmp_path: Path, text: str) -> tuple[tuple[str, str], ...]:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return caught.value.problems


def test_an_unknown_profile_id_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("hubei-2024")
    message = str(caught.value)
    assert message.startswith("hubei-2024.toml: no profile 'hubei-2024' in ")
    assert "national-2019" in message and "example-province-80" in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"nowhere\.toml: file not found"):
        load_profile(tmp_path / "nowhere.toml")


def test_a_shipped_profile_whose_id_is_not_its_file_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A copied profile that keeps the national id would be recorded in findings files as
    # "national-2019" while scoring differently.
    (tmp_path / "hubei-2024.toml").write_text(NATIONAL_TEXT, encoding="utf-8")
    monkeypatch.setattr(paths, "PROFILES", tmp_path)
    with pytest.raises(ProfileError) as caught:
        load_profile("hubei-2024")
    assert str(caught.value) == (
        "hubei-2024.toml: profile.id: must equal the file name 'hubei-2024', got 'national-2019'"
    )
    with pytest.raises(ProfileError):
        available_profiles()
