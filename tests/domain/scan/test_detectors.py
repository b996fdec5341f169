"""From what pages show to hints (issue 3, deliverable 5): states, hint kinds, indicators, proof."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from inspector import demo
from inspector.profiles import Profile, available_profiles, load_profile
from inspector.scan.detectors import (
    HINT_INDICATORS,
    column_hints,
    column_report,
    home_hints,
    indicator_for,
    link_hints,
    unreachable_hint,
)
from inspector.scan.model import (
    ColumnRef,
    ColumnState,
    FetchError,
    FetchResult,
    HomePage,
    Identity,
    Link,
    ListItem,
    ListPage,
    Redirect,
)
from inspector.scan.pages import parse_home, parse_list

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
DEMO_SITES = Path(demo.__file__).resolve().parents[1] / "resources" / "demo" / "sites"
AS_OF = date(2025, 6, 14)
HOME = "http://www.haiyu.gov.cn/"
FULL_IDENTITY = Identity("4600000001", "footer", "琼ICP备05000000号-1", "琼公网安备 1号", True)


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile("national-2019")


def ref(name: str, path: str = "/col/") -> ColumnRef:
    return ColumnRef(name=name, url=f"http://www.haiyu.gov.cn{path}", found_on=HOME, via="nav")


def item(day: date | None, title: str = "标题", *, pinned: bool = False) -> ListItem:
    url = f"http://www.haiyu.gov.cn/a/{title}.html"
    return ListItem(title, url, day, "text" if day else "", pinned)


def page(*items: ListItem, **kw: object) -> ListPage:
    return ListPage("http://www.haiyu.gov.cn/col/", items=items, **kw)  # type: ignore[arg-type]


# ── column states ──────────────────────────────────────────────────────────────────────────────


def test_kind_comes_from_the_name(profile: Profile) -> None:
    fresh = page(item(AS_OF))
    kinds = {
        name: column_report(ref(name), fresh, profile=profile, as_of=AS_OF).kind
        for name in ("工作动态", "通知公告", "人事信息", "机构职能", "办事服务")
    }
    assert kinds == {
        "工作动态": "news",
        "通知公告": "notice",
        "人事信息": "personnel",
        "机构职能": "other",
        "办事服务": "other",
    }


def test_news_column_window_is_two_weeks(profile: Profile) -> None:
    def state(days_ago: int) -> ColumnState:
        report = column_report(
            ref("工作动态"), page(item(AS_OF - timedelta(days_ago))), profile=profile, as_of=AS_OF
        )
        return report.state

    assert state(14) == ColumnState.FRESH  # on the cutoff day: still inside the window
    assert state(15) == ColumnState.STALE


def test_notice_column_window_is_six_calendar_months(profile: Profile) -> None:
    def state(day: date) -> ColumnState:
        return column_report(ref("通知公告"), page(item(day)), profile=profile, as_of=AS_OF).state

    assert state(date(2024, 12, 14)) == ColumnState.FRESH
    assert state(date(2024, 12, 13)) == ColumnState.STALE


def test_report_carries_the_item_that_decided_it(profile: Profile) -> None:
    listing = page(item(date(2025, 1, 2), "新"), item(date(2024, 12, 1), "旧"))
    report = column_report(ref("工作动态"), listing, profile=profile, as_of=AS_OF)
    assert report.state == ColumnState.STALE
    assert report.latest == date(2025, 1, 2)
    assert report.latest_title == "新"
    assert report.latest_url == "http://www.haiyu.gov.cn/a/新.html"
    assert report.items == 2
    assert report.found_on == HOME


def test_pinned_items_do_not_make_a_column_fresh(profile: Profile) -> None:
    listing = page(item(AS_OF, "置顶", pinned=True), item(date(2025, 1, 2)))
    report = column_report(ref("工作动态"), listing, profile=profile, as_of=AS_OF)
    assert report.state == ColumnState.STALE and report.latest == date(2025, 1, 2)


def test_a_list_of_only_pinned_items_still_has_a_date(profile: Profile) -> None:
    listing = page(item(date(2025, 6, 1), pinned=True), item(date(2024, 1, 1), pinned=True))
    report = column_report(ref("通知公告"), listing, profile=profile, as_of=AS_OF)
    assert report.state == ColumnState.FRESH and report.latest == date(2025, 6, 1)


def test_undated_items_are_unknown_not_stale(profile: Profile) -> None:
    report = column_report(
        ref("工作动态"), page(item(None), item(None)), profile=profile, as_of=AS_OF
    )
    assert report.state == ColumnState.UNKNOWN and report.items == 2


@pytest.mark.parametrize(
    ("listing", "state"),
    [
        (page(placeholder="暂无信息"), ColumnState.BLANK),
        (page(), ColumnState.BLANK),
        (page(placeholder="栏目建设中", under_construction="建设中"), ColumnState.BLANK),
        (page(js_rendered=True), ColumnState.UNKNOWN),
        (page(js_rendered=True, placeholder="暂无数据"), ColumnState.UNKNOWN),
        (page(client_redirect="http://www.haiyu.gov.cn/col/2/"), ColumnState.UNKNOWN),
        (page(content_page=True), ColumnState.UNKNOWN),
        (None, ColumnState.UNKNOWN),
    ],
)
def test_empty_pages(profile: Profile, listing: ListPage | None, state: ColumnState) -> None:
    assert column_report(ref("人事信息"), listing, profile=profile, as_of=AS_OF).state == state


# ── column hints ───────────────────────────────────────────────────────────────────────────────


def test_column_stale_hint_names_the_item_and_the_window(profile: Profile) -> None:
    column = ref("工作动态", "/gzdt/")
    listing = page(item(date(2025, 1, 2), "市政府召开春节期间安全工作会议"))
    report = column_report(column, listing, profile=profile, as_of=AS_OF)
    [hint] = column_hints(report, listing, None, profile=profile, as_of=AS_OF)
    assert hint.kind == "column_stale"
    assert hint.indicator == "W-V4"
    assert hint.url == "http://www.haiyu.gov.cn/gzdt/"
    assert hint.found_on == HOME
    assert hint.as_of == "2025-06-14"
    zh, en = hint.detail.split(" / ", 1)  # Chinese first, then English
    assert zh == "栏目“工作动态”最新一条发布于 2025-01-02，距检查日已 163 天（时限 14天）"
    assert en.startswith("latest item 2025-01-02, 163 days before 2025-06-14")
    assert "window 14 days" in hint.detail
    assert "《市政府召开春节期间安全工作会议》" in hint.detail
    assert "http://www.haiyu.gov.cn/a/市政府召开春节期间安全工作会议.html" in hint.detail


def test_notice_stale_hint_names_its_calendar_window(profile: Profile) -> None:
    listing = page(item(date(2024, 11, 2)))
    report = column_report(ref("通知公告"), listing, profile=profile, as_of=AS_OF)
    [hint] = column_hints(report, listing, None, profile=profile, as_of=AS_OF)
    assert "window 6 months" in hint.detail and hint.indicator == "W-V4"


def test_personnel_column_maps_to_its_own_indicator(profile: Profile) -> None:
    listing = page(item(date(2023, 1, 2)))
    report = column_report(ref("人事信息"), listing, profile=profile, as_of=AS_OF)
    [hint] = column_hints(report, listing, None, profile=profile, as_of=AS_OF)
    assert hint.indicator == profile.columns["personnel"].indicator == "W-D17"


def test_fresh_and_unknown_columns_give_no_hint(profile: Profile) -> None:
    for listing in (page(item(AS_OF)), page(item(None)), page(js_rendered=True)):
        report = column_report(ref("工作动态"), listing, profile=profile, as_of=AS_OF)
        assert column_hints(report, listing, None, profile=profile, as_of=AS_OF) == []


def test_blank_column_hint(profile: Profile) -> None:
    listing = page(placeholder="暂无信息")
    report = column_report(ref("人事信息"), listing, profile=profile, as_of=AS_OF)
    [hint] = column_hints(report, listing, None, profile=profile, as_of=AS_OF)
    assert (hint.kind, hint.indicator) == ("column_blank", "W-V4")
    assert "暂无信息" in hint.detail


def test_under_construction_column_gives_one_hint(profile: Profile) -> None:
    listing = page(placeholder="栏目建设中", under_construction="建设中")
    report = column_report(ref("数据发布"), listing, profile=profile, as_of=AS_OF)
    hints = column_hints(report, listing, None, profile=profile, as_of=AS_OF)
    assert [(h.kind, h.indicator) for h in hints] == [("under_construction", "W-V4")]


def paged(*items: ListItem) -> ListPage:
    return page(*items, next_page="http://www.haiyu.gov.cn/col/index_1.html")


def test_pagination_desync_page_two_newer(profile: Profile) -> None:
    first = paged(item(date(2025, 3, 1)), item(date(2025, 2, 1)))
    second = page(item(date(2025, 6, 12), "页二"), item(date(2025, 1, 5)))
    report = column_report(ref("通知公告"), first, profile=profile, as_of=AS_OF)
    [hint] = column_hints(report, first, second, profile=profile, as_of=AS_OF, page2_status=200)
    assert hint.kind == "pagination_desync" and hint.indicator == "W-V4"
    assert hint.url == "http://www.haiyu.gov.cn/col/index_1.html"
    assert hint.found_on == "http://www.haiyu.gov.cn/col/"
    assert "2025-06-12" in hint.detail and "2025-03-01" in hint.detail


def test_pagination_desync_page_two_missing(profile: Profile) -> None:
    first = paged(item(AS_OF))
    report = column_report(ref("工作动态"), first, profile=profile, as_of=AS_OF)
    [hint] = column_hints(report, first, None, profile=profile, as_of=AS_OF, page2_status=404)
    assert hint.kind == "pagination_desync" and "404" in hint.detail


@pytest.mark.parametrize(
    ("second", "status"),
    [
        (page(item(date(2025, 6, 1))), 200),  # older than page 1: in step
        (page(item(date(2025, 6, 10))), 200),  # the same day: in step
        (None, 503),  # a server error proves nothing
        (None, None),  # a timeout proves nothing
        (page(item(None)), 200),  # page 2 without dates
    ],
)
def test_pagination_in_step(profile: Profile, second: ListPage | None, status: int | None) -> None:
    first = paged(item(date(2025, 6, 10)))
    report = column_report(ref("工作动态"), first, profile=profile, as_of=AS_OF)
    hints = column_hints(report, first, second, profile=profile, as_of=AS_OF, page2_status=status)
    assert hints == []


def test_pagination_desync_from_the_trs_fixtures(profile: Profile) -> None:
    url = "http://www.haiyu.gov.cn/zwgk/tzgg/"
    first = parse_list(
        (FIXTURES / "trs_list.html").read_text("utf-8"), url, as_of=AS_OF, profile=profile
    )
    second = parse_list(
        (FIXTURES / "trs_list_page2.html").read_text("utf-8"),
        str(first.next_page),
        as_of=AS_OF,
        profile=profile,
    )
    report = column_report(
        ColumnRef("通知公告", url, HOME, "more"), first, profile=profile, as_of=AS_OF
    )
    assert report.state == ColumnState.FRESH and report.latest == date(2025, 6, 10)
    hints = column_hints(report, first, second, profile=profile, as_of=AS_OF, page2_status=200)
    assert [h.kind for h in hints] == ["pagination_desync"]
    assert hints[0].url == f"{url}index_1.html"


# ── homepage hints ─────────────────────────────────────────────────────────────────────────────


def read_home(profile: Profile, name: str, url: str) -> HomePage:
    html = (FIXTURES / name).read_text("utf-8")
    return parse_home(html, url, as_of=AS_OF, profile=profile)


def test_stale_homepage_with_missing_identity_items(profile: Profile) -> None:
    home = read_home(profile, "home_table_stale.html", "http://www.ybz.gov.cn/")
    hints = home_hints(home, profile=profile, as_of=AS_OF)
    assert [(h.kind, h.indicator) for h in hints] == [
        ("homepage_stale", "W-V3"),
        ("missing_site_code", "W-D18"),
        ("missing_police_record", "W-D18"),
    ]
    stale = hints[0]
    # Not the pinned 2019 item, not the 热点新闻 box, not the header's date widget.
    zh, en = stale.detail.split(" / ", 1)
    assert zh.startswith("首页最新信息发布于 2025-05-01，距检查日已 44 天")
    assert en.startswith("newest homepage item 2025-05-01, 44 days before 2025-06-14")
    assert "屿北镇2025年“五一”假期值班安排" in stale.detail
    assert stale.url == stale.found_on == "http://www.ybz.gov.cn/"


def test_healthy_homepage_gives_no_hint(profile: Profile) -> None:
    home = read_home(profile, "home_trs.html", HOME)
    assert home_hints(home, profile=profile, as_of=AS_OF) == []


def test_navigation_only_homepage_is_judged_by_its_sections(profile: Profile) -> None:
    home = read_home(profile, "home_nav_only.html", HOME)
    assert home_hints(home, profile=profile, as_of=AS_OF) == []


@pytest.mark.parametrize(
    ("field", "value", "kind", "indicator"),
    [
        ("blocked", "瑞数 $_ts", "blocked", "W-V2"),
        ("soft_404", "页面不存在", "soft_404", "W-V2"),
        ("under_construction", "维护中", "under_construction", "W-V2"),
    ],
)
def test_stand_in_homepages_get_one_hint(
    profile: Profile, field: str, value: str, kind: str, indicator: str
) -> None:
    home = HomePage(HOME, items=(item(date(2020, 1, 1)),), **{field: value})  # type: ignore[arg-type]
    hints = home_hints(home, profile=profile, as_of=AS_OF)
    assert [(h.kind, h.indicator) for h in hints] == [(kind, indicator)]
    assert value in hints[0].detail


def test_script_shell_homepage_does_not_claim_missing_identity(profile: Profile) -> None:
    home = HomePage(HOME, js_rendered=True)
    assert home_hints(home, profile=profile, as_of=AS_OF) == []
    plain = HomePage(HOME, navigation_only=True, identity=Identity(icp="琼ICP备1号"))
    kinds = [h.kind for h in home_hints(plain, profile=profile, as_of=AS_OF)]
    assert kinds == ["missing_site_code", "missing_police_record"]


def test_fresh_homepage_with_pinned_old_item(profile: Profile) -> None:
    home = HomePage(
        HOME,
        items=(item(date(2019, 1, 1), pinned=True), item(AS_OF - timedelta(days=3))),
        identity=FULL_IDENTITY,
    )
    assert home_hints(home, profile=profile, as_of=AS_OF) == []


# ── links ──────────────────────────────────────────────────────────────────────────────────────


def result(status: int | None = 200, **kw: object) -> FetchResult:
    return FetchResult(url="http://x/", final_url="http://x/", status=status, **kw)  # type: ignore[arg-type]


LINK = Link("http://www.haiyu.gov.cn/sjfb/tjsj/", "海屿统计数据", "body")
IMAGE = Link("http://www.haiyu.gov.cn/images/banner.jpg", "", "image")
COLUMN_PAGE = "http://www.haiyu.gov.cn/zwgk/"


@pytest.mark.parametrize(
    ("fetched", "broken"),
    [
        (result(404), True),
        (result(410), True),
        (result(404, method="HEAD"), True),
        (result(500), False),  # one 5xx is not proof
        (result(503, attempts=2), True),
        (result(None, error=FetchError.TIMEOUT), False),
        (result(None, error=FetchError.TIMEOUT, attempts=3), True),
        (result(None, error=FetchError.DNS, error_detail="NXDOMAIN"), True),
        (result(None, error=FetchError.CONNECT), True),
        (result(None, error=FetchError.REDIRECT_LOOP), True),
        (result(None, error=FetchError.TLS, attempts=2), False),
        (result(None, error=FetchError.TOO_LARGE), False),
        (result(403), False),
        (result(401), False),
        (result(405, method="HEAD"), False),
        (result(200), False),
        (result(301), False),
    ],
)
def test_broken_link_rules(profile: Profile, fetched: FetchResult, broken: bool) -> None:
    hints = link_hints([(LINK, COLUMN_PAGE, fetched)], profile=profile, home_url=HOME)
    assert bool(hints) is broken


def test_homepage_and_other_pages_map_to_different_indicators(profile: Profile) -> None:
    dead = result(404)
    hints = link_hints(
        [
            (LINK, HOME, dead),
            (LINK, COLUMN_PAGE, dead),
            (IMAGE, HOME, dead),
            (IMAGE, COLUMN_PAGE, dead),
        ],
        profile=profile,
        home_url=HOME,
    )
    assert [(h.kind, h.indicator, h.found_on) for h in hints] == [
        ("broken_link", "W-D15", HOME),
        ("broken_link", "W-D16", COLUMN_PAGE),
        ("broken_image", "W-D15", HOME),
        ("broken_image", "W-D16", COLUMN_PAGE),
    ]
    # Without home_url, the site root counts as the homepage.
    [root] = link_hints([(LINK, HOME, dead)], profile=profile)
    assert root.indicator == "W-D15"


def test_broken_link_detail_names_status_and_redirects(profile: Profile) -> None:
    chain = (
        Redirect("http://www.haiyu.gov.cn/old/", 301),
        Redirect("http://www.haiyu.gov.cn/mid/", 302),
    )
    fetched = FetchResult(
        url="http://www.haiyu.gov.cn/old/",
        final_url="http://www.haiyu.gov.cn/gone/",
        status=404,
        redirects=chain,
    )
    [hint] = link_hints([(LINK, HOME, fetched)], profile=profile, home_url=HOME)
    assert hint.url == LINK.url
    assert "HTTP 404" in hint.detail
    assert "http://www.haiyu.gov.cn/old/ (301) → http://www.haiyu.gov.cn/mid/ (302)" in hint.detail
    assert hint.detail.endswith("→ http://www.haiyu.gov.cn/gone/")
    assert "海屿统计数据" in hint.detail


def test_soft_404_link_is_broken(profile: Profile) -> None:
    body = (FIXTURES / "soft404_tiny.html").read_bytes()
    fetched = result(200, body=body, headers={"content-type": "text/html; charset=utf-8"})
    [hint] = link_hints([(LINK, HOME, fetched)], profile=profile)
    assert "soft 404" in hint.detail
    gbk = result(
        200,
        body=(FIXTURES / "soft404_tiny.html").read_text("utf-8").encode("gbk"),
        headers={"content-type": "text/html"},
    )
    assert link_hints([(LINK, HOME, gbk)], profile=profile) != []
    ok = result(
        200, body=(FIXTURES / "trs_list.html").read_bytes(), headers={"content-type": "text/html"}
    )
    assert link_hints([(LINK, HOME, ok)], profile=profile) == []


def test_one_hint_per_target_and_page(profile: Profile) -> None:
    dead = result(404)
    menu = Link(LINK.url, "数据发布", "nav")
    hints = link_hints([(menu, HOME, dead), (LINK, HOME, dead)], profile=profile)
    assert len(hints) == 1


# ── one visit to a homepage ────────────────────────────────────────────────────────────────────


def test_reachable_site_gives_no_hint(profile: Profile) -> None:
    page_body = (FIXTURES / "home_trs.html").read_bytes()
    assert unreachable_hint(HOME, result(200, body=page_body), profile=profile) is None


@pytest.mark.parametrize(
    ("fetched", "words"),
    [
        (result(None, error=FetchError.DNS, error_detail="Name or service not known"), "dns"),
        (result(None, error=FetchError.CONNECT, elapsed_ms=12), "tcp"),
        (result(None, error=FetchError.TIMEOUT, elapsed_ms=15000, attempts=2), "15 s"),
        (result(None, error=FetchError.TLS, error_detail="certificate expired"), "certificate"),
        (result(500), "HTTP 500"),
        (result(404), "HTTP 404"),
    ],
)
def test_unreachable_is_a_hint_not_a_verdict(
    profile: Profile, fetched: FetchResult, words: str
) -> None:
    hint = unreachable_hint(HOME, fetched, profile=profile)
    assert hint is not None
    assert (hint.kind, hint.indicator) == ("unreachable", "W-V2")
    assert words in hint.detail
    assert "one visit cannot decide W-V2" in hint.detail


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("blocked_rs_412.html", 412),
        ("blocked_jsl_521.html", 521),
        ("blocked_cf.html", 403),
        ("blocked_yunsuo.html", 200),
        ("blocked_slider.html", 200),
    ],
)
def test_challenge_answers_are_blocked(profile: Profile, name: str, status: int) -> None:
    fetched = result(status, body=(FIXTURES / name).read_bytes())
    hint = unreachable_hint(HOME, fetched, profile=profile)
    assert hint is not None
    assert (hint.kind, hint.indicator) == ("blocked", "W-V2")
    assert "check in the browser" in hint.detail


def test_plain_refusals_are_blocked(profile: Profile) -> None:
    for status in (403, 429):
        hint = unreachable_hint(HOME, result(status, body=b"Forbidden"), profile=profile)
        assert hint is not None and hint.kind == "blocked"


def test_login_page_with_captcha_is_reachable(profile: Profile) -> None:
    fetched = result(200, body=(FIXTURES / "login_captcha.html").read_bytes())
    assert unreachable_hint(HOME, fetched, profile=profile) is None


# ── indicators ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("shipped", available_profiles(), ids=lambda p: p.id)
def test_every_hint_indicator_exists_in_the_shipped_profiles(shipped: Profile) -> None:
    for kind, ident in HINT_INDICATORS.items():
        assert shipped.indicator(ident).id == ident, kind
    for column in shipped.columns.values():
        assert column.indicator is None or shipped.indicator(column.indicator)


def test_indicator_for_a_profile_without_it(profile: Profile) -> None:
    assert indicator_for(profile, "broken_link", on_home=True) == "W-D15"
    assert indicator_for(profile, "broken_link") == "W-D16"
    assert indicator_for(profile, "no_such_kind") is None
    trimmed = Profile(
        id="trimmed",
        name_zh="",
        name_en="",
        version="1",
        source=(),
        provisional=True,
        website=profile.website,
        new_media=profile.new_media,
        columns=profile.columns,
        markers=profile.markers,
        indicators=tuple(i for i in profile.indicators if i.id != "W-D18"),
        path=profile.path,
    )
    assert indicator_for(trimmed, "missing_icp") is None


# ── the demo sites, end to end without the network ─────────────────────────────────────────────


def demo_html(slug: str, path: str = "") -> str:
    return demo.render((DEMO_SITES / slug / path / "index.html").read_text("utf-8"), AS_OF)


def demo_column_hints(profile: Profile, slug: str, column: str, name: str) -> list[str]:
    url = f"http://127.0.0.1:8000/{slug}/{column}/"
    listing = parse_list(demo_html(slug, column), url, as_of=AS_OF, profile=profile)
    column_ref = ColumnRef(name, url, f"http://127.0.0.1:8000/{slug}/", "nav")
    report = column_report(column_ref, listing, profile=profile, as_of=AS_OF)
    return [h.kind for h in column_hints(report, listing, None, profile=profile, as_of=AS_OF)]


def test_demo_planted_column_faults(profile: Profile) -> None:
    assert demo_column_hints(profile, "fgw", "gzdt", "工作动态") == ["column_stale"]
    assert demo_column_hints(profile, "ynx", "zcwj", "政策文件") == ["column_stale"]
    assert demo_column_hints(profile, "jyt", "rsxx", "人事信息") == ["column_blank"]
    assert demo_column_hints(profile, "jyt", "sjfb", "数据发布") == ["under_construction"]
    for slug, column, name in (("fgw", "tzgg", "通知公告"), ("jyt", "jyyw", "教育要闻")):
        assert demo_column_hints(profile, slug, column, name) == []


def test_demo_planted_homepage_faults(profile: Profile) -> None:
    for slug, expected in (("swt", ["missing_site_code"]), ("fgw", []), ("ynx", []), ("jyt", [])):
        home = parse_home(
            demo_html(slug), f"http://127.0.0.1:8000/{slug}/", as_of=AS_OF, profile=profile
        )
        assert [h.kind for h in home_hints(home, profile=profile, as_of=AS_OF)] == expected, slug
