"""New-media account pages (issue #6, items 3, 4 and 8): latest post dates, function markers, the
M-V2 and function hints, and `inspector scan` on a sample mixing websites and accounts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector.cli import main
from inspector.profiles import DEFAULT_PROFILE, load_profile
from inspector.samples import write_sample
from inspector.scan import Fetcher, FetchLimits, make_client, scan_targets
from inspector.scan.accounts import (
    FUNCTION_MARKERS,
    PostDate,
    account_hints,
    function_markers,
    function_markers_of,
    latest_post,
    resolve_time,
)
from inspector.store import FindingsFile
from inspector.targets import Kind, Target, account_key
from tests.fixtures.accounts import (
    ACCOUNT_PAGES,
    AS_OF,
    DOUYIN_PROFILE,
    FETCHED_AT,
    MAINTENANCE,
    MENU_DEV,
    MP_EXPIRED,
    QUOTED,
    TOUTIAO_FRESH,
    TOUTIAO_PROFILE,
    TOUTIAO_STALE,
    WECHAT_FRESH,
    WECHAT_HISTORY,
    WECHAT_HISTORY_STALE,
    WECHAT_STALE,
    WEIBO_FRESH,
    WEIBO_PROFILE,
    WEIBO_STALE,
    AccountServer,
)
from tests.fixtures.farm import Farm

CST = timezone(timedelta(hours=8))
PROFILE = load_profile(DEFAULT_PROFILE)


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CST)


def post(html: str, platform: str = "weibo", fetched_at: datetime = FETCHED_AT) -> PostDate | None:
    return latest_post(html, "http://127.0.0.30/x", platform=platform, fetched_at=fetched_at)


# ── relative and absolute times ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刚刚", date(2025, 6, 14)),
        ("5分钟前", date(2025, 6, 14)),
        ("3小时前", date(2025, 6, 14)),
        ("11小时前", date(2025, 6, 13)),  # 10:00 minus 11 h is yesterday
        ("3天前", date(2025, 6, 11)),
        ("昨天 20:10", date(2025, 6, 13)),
        ("前天 08:00", date(2025, 6, 12)),
        ("今天 08:15", date(2025, 6, 14)),
        ("06-10", date(2025, 6, 10)),
        ("6月10日", date(2025, 6, 10)),
        ("12-28", date(2024, 12, 28)),  # year-less after today: last year
        ("2025-06-10", date(2025, 6, 10)),
        ("2025-06-10 14:03", date(2025, 6, 10)),
        ("2025-06-09T20:00:00Z", date(2025, 6, 10)),  # 04:00 next day in China
        ("Tue Jun 10 14:03:00 +0800 2025", date(2025, 6, 10)),
        ("1749535380", date(2025, 6, 10)),  # epoch seconds (2025-06-10 14:03 CST)
        (1749535380000, date(2025, 6, 10)),  # epoch milliseconds
        ("2025-07-01", None),  # after the fetch: not a publish time
        ("1985-01-01", None),
        ("阅读 3万", None),
        ("", None),
    ],
)
def test_resolve_time(text: str | int, expected: date | None) -> None:
    assert resolve_time(text, FETCHED_AT) == expected


def test_relative_times_across_midnight() -> None:
    just_after = at(2025, 6, 14, 0, 30)
    assert resolve_time("3小时前", just_after) == date(2025, 6, 13)
    assert resolve_time("20分钟前", just_after) == date(2025, 6, 14)
    assert resolve_time("45分钟前", just_after) == date(2025, 6, 13)
    assert resolve_time("昨天 23:50", just_after) == date(2025, 6, 13)
    # A Date header in GMT: 16:30 GMT is 00:30 the next day in China.
    gmt = datetime(2025, 6, 13, 16, 30, tzinfo=UTC)
    assert resolve_time("今天 00:10", gmt) == date(2025, 6, 14)
    assert resolve_time("昨天 20:10", gmt) == date(2025, 6, 13)


def test_relative_times_across_new_year() -> None:
    new_year = at(2025, 1, 1, 1, 0)
    assert resolve_time("昨天 20:10", new_year) == date(2024, 12, 31)
    assert resolve_time("前天 08:00", new_year) == date(2024, 12, 30)
    assert resolve_time("3天前", new_year) == date(2024, 12, 29)
    assert resolve_time("2小时前", new_year) == date(2024, 12, 31)
    assert resolve_time("12-31", new_year) == date(2024, 12, 31)
    assert resolve_time("01-01", new_year) == date(2025, 1, 1)
    # 31 December 17:30 GMT is already New Year's Day in China
    assert resolve_time("今天 08:15", datetime(2024, 12, 31, 17, 30, tzinfo=UTC)) == date(
        2025, 1, 1
    )


def test_naive_fetch_time_is_china_time() -> None:
    assert resolve_time("3小时前", datetime(2025, 6, 14, 2, 0)) == date(2025, 6, 13)


# ── page shapes ────────────────────────────────────────────────────────────────────────────────


def test_wechat_article_script_variable() -> None:
    found = post(WECHAT_FRESH, "wechat")
    assert found is not None
    assert (found.day, found.source) == (date(2025, 6, 10), "script-var")
    assert "var ct" in found.text  # the body's "2024年1月1日" is not read


def test_wechat_article_publish_time_tag_and_meta() -> None:
    found = post(WECHAT_STALE, "wechat")
    assert found is not None and (found.day, found.source) == (date(2025, 5, 20), "meta")
    assert "publish_time" in found.text
    meta_only = (
        '<html><head><meta property="article:published_time" content="2025-06-01T08:00:00+08:00">'
        "</head><body><p>正文提到2025年6月13日。</p></body></html>"
    )
    found = post(meta_only, "wechat")
    assert found is not None and (found.day, found.source) == (date(2025, 6, 1), "meta")


def test_wechat_publish_time_variable() -> None:
    page = '<script>var publish_time = "2025-06-03" || "";</script>'
    found = post(page, "wechat")
    assert found is not None and (found.day, found.source) == (date(2025, 6, 3), "script-var")


def test_weibo_render_data_ignores_pinned_post() -> None:
    found = post(WEIBO_FRESH)
    assert found is not None
    assert (found.day, found.source) == (date(2025, 6, 14), "json")
    assert "今天 08:15" in found.text


def test_initial_state_pinned_fresh_post_does_not_hide_staleness() -> None:
    found = post(WEIBO_STALE)
    # the pinned "今天 08:15", the author's own record and the reposted original do not count
    assert found is not None and (found.day, found.source) == (date(2025, 5, 20), "json")


def test_all_pinned_still_a_real_post() -> None:
    page = (
        '<script type="application/json">{"list": [{"is_top": 1, "create_time": "2025-03-01"}]}'
        "</script>"
    )
    found = post(page, "douyin")
    assert found is not None and found.day == date(2025, 3, 1)


def test_toutiao_list_times_skip_pinned() -> None:
    found = post(TOUTIAO_STALE, "toutiao")
    assert found is not None and (found.day, found.source) == (date(2025, 5, 28), "list")
    fresh = post(TOUTIAO_FRESH, "toutiao")
    assert fresh is not None and (fresh.day, fresh.text) == (date(2025, 6, 14), "3小时前")


def test_time_elements() -> None:
    page = (
        "<ul><li><a>甲</a><time datetime='2025-06-05T10:00:00+08:00'>6月5日</time></li>"
        "<li><a>乙</a><time>2025-06-01</time></li></ul>"
    )
    found = post(page)
    assert found is not None and found.day == date(2025, 6, 5)


def test_hostile_json_is_survived() -> None:
    deep = "[" * 5000 + "]" * 5000
    assert post(f"<script>window.__INITIAL_STATE__ = {deep};</script>") is None
    assert post('<script type="application/json">{"created_at": </script>') is None
    assert post("<script>var $render_data = not json;</script>") is None
    assert post('<script type="application/json">%7B%22created_at%22%3A</script>') is None
    assert (
        post("<script>var msgList = '{&quot;list&quot;:[{&quot;datetime&quot;:';</script>") is None
    )
    assert post(f"<script>var msgList = '{deep}';</script>") is None


def _epoch(year: int, month: int, day: int, hour: int, minute: int) -> str:
    return str(int(at(year, month, day, hour, minute).timestamp()))


def test_douyin_render_data_is_url_encoded() -> None:
    assert '<script id="RENDER_DATA" type="application/json">%7B%22' in DOUYIN_PROFILE
    found = post(DOUYIN_PROFILE, "douyin")
    # the posts sit under app.user.post.data; the old pinned video and the "2025年6月13日" a
    # caption quotes do not count
    assert found is not None and (found.day, found.source) == (date(2025, 6, 9), "json")
    assert found.text == '"createTime": ' + _epoch(2025, 6, 9, 19, 32)
    # a video pinned yesterday still does not decide
    repinned = DOUYIN_PROFILE.replace(_epoch(2024, 11, 8, 18, 0), _epoch(2025, 6, 13, 9, 0))
    assert repinned != DOUYIN_PROFILE
    assert (again := post(repinned, "douyin")) is not None and again.day == date(2025, 6, 9)


@pytest.mark.parametrize(
    ("page", "day", "escape"),
    [
        (WECHAT_HISTORY, date(2025, 6, 12), "{&quot;list&quot;:"),
        (WECHAT_HISTORY_STALE, date(2025, 5, 16), "{\\x22list\\x22:"),
    ],
)
def test_wechat_history_msg_list(page: str, day: date, escape: str) -> None:
    assert f"var msgList = '{escape}" in page
    found = post(page, "wechat")
    # the newest comm_msg_info.datetime; digests quoting "6月13日" and "2025年6月20日" do not count
    assert found is not None and (found.day, found.source) == (day, "json")
    assert found.text.startswith('"datetime": ')


def test_toutiao_ssr_data_with_undefined() -> None:
    assert ":undefined" in TOUTIAO_PROFILE
    found = post(TOUTIAO_PROFILE, "toutiao")
    assert found is not None and (found.day, found.source) == (date(2025, 5, 22), "json")
    # the 置顶-labelled post does not decide even when it is the newest
    repinned = TOUTIAO_PROFILE.replace(_epoch(2025, 1, 15, 9, 30), _epoch(2025, 6, 13, 9, 0))
    assert repinned != TOUTIAO_PROFILE
    assert (again := post(repinned, "toutiao")) is not None and again.day == date(2025, 5, 22)


def test_weibo_profile_pinned_by_title_and_repost() -> None:
    found = post(WEIBO_PROFILE)
    # the reposted original of 2025-06-14 and the user record are not this account's posts
    assert found is not None and (found.day, found.source) == (date(2025, 6, 10), "json")
    assert "Tue Jun 10 21:05:00 +0800 2025" in found.text
    # a post marked pinned only by {"title": {"text": "置顶"}} does not decide
    repinned = WEIBO_PROFILE.replace(
        "Fri Dec 20 10:00:00 +0800 2024", "Fri Jun 13 10:00:00 +0800 2025"
    )
    assert repinned != WEIBO_PROFILE
    assert (again := post(repinned)) is not None and again.day == date(2025, 6, 10)


def test_dates_quoted_in_the_text_are_not_taken() -> None:
    assert post(QUOTED, "wechat") is None
    assert post("<html><body><p>发布时间：2025-06-10</p></body></html>") is None


@pytest.mark.parametrize("page", [MENU_DEV, MP_EXPIRED, MAINTENANCE])
def test_function_pages_show_no_post(page: str) -> None:
    assert post(page) is None


def test_function_markers() -> None:
    markers = function_markers_of(PROFILE)
    assert function_markers(MENU_DEV, markers) == "该功能正在开发中"
    assert function_markers(MP_EXPIRED, markers) == "小程序已过期"
    assert function_markers(MAINTENANCE, markers) == "系统升级维护中"
    assert function_markers("<p>Under Development</p>") == "Under Development"
    assert "小程序已过期" in markers and "已停止服务" in markers
    assert set(PROFILE.markers["under_construction"]) <= set(markers)
    assert function_markers(MENU_DEV) == FUNCTION_MARKERS[0]
    for page in (WECHAT_FRESH, WECHAT_STALE, WEIBO_FRESH, TOUTIAO_STALE, QUOTED):
        assert function_markers(page, markers) is None
    # a long page that mentions maintenance in a post is not a maintenance page
    long_page = (
        "<html><body>" + "<p>今天发布了系统升级维护中的通知。" + "便民" * 400 + "</p></body></html>"
    )
    assert function_markers(long_page, markers) is None
    assert function_markers("<title>系统维护中</title>" + "字" * 2000, markers) == "维护中"


# ── hints ──────────────────────────────────────────────────────────────────────────────────────

ACCOUNT = Target(
    key=account_key("wechat", "gh_1", None),
    kind=Kind.NEW_MEDIA,
    name="某市发布",
    platform="wechat",
    account_id="gh_1",
)


@pytest.mark.parametrize(
    ("day", "stale"),
    [
        (date(2025, 6, 14), False),
        (date(2025, 5, 31), False),  # exactly 14 days: still inside the window
        (date(2025, 5, 30), True),
        (date(2024, 1, 1), True),
        (date(2025, 6, 15), False),  # after the monitoring point: says nothing
    ],
)
def test_account_stale_window(day: date, stale: bool) -> None:
    hints = account_hints(
        ACCOUNT, PostDate(day, "json", "x"), profile=PROFILE, as_of=AS_OF, url="http://a/"
    )
    assert [h.kind for h in hints] == (["account_stale"] if stale else [])
    if stale:
        (hint,) = hints
        assert hint.indicator == "M-V2" and hint.url == hint.found_on == "http://a/"
        assert day.isoformat() in hint.detail and f"{(AS_OF - day).days} days" in hint.detail


def test_no_date_no_hint_and_function_hint() -> None:
    assert account_hints(ACCOUNT, None, profile=PROFILE, as_of=AS_OF, url="u") == []
    (hint,) = account_hints(
        ACCOUNT, None, profile=PROFILE, as_of=AS_OF, url="u", function_marker="小程序已过期"
    )
    assert (hint.kind, hint.indicator) == ("function_unusable", "M-D2")
    assert "小程序已过期" in hint.detail
    province = load_profile("example-province-80")
    (hint,) = account_hints(
        ACCOUNT, PostDate(date(2025, 1, 1), "list", "x"), profile=province, as_of=AS_OF, url="u"
    )
    assert hint.indicator == "M-V2"


# ── the crawl and the CLI ──────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def server() -> Iterator[AccountServer]:
    with AccountServer() as running:
        yield running


def _check_scans(entries: list[dict[str, object]]) -> None:
    """Every account page's entry against its ground truth: precision and recall 1.0."""
    by_name = {e["name"]: e for e in entries}
    for page in ACCOUNT_PAGES:
        entry = by_name[page.name]
        assert entry["kind"] == "new_media" and entry["platform"] == page.platform
        assert entry["latest_post"] == (page.latest.isoformat() if page.latest else None), page
        assert "columns" not in entry
        hints = entry["hints"]
        assert isinstance(hints, list)
        kinds = sorted(h["kind"] for h in hints)
        expected = sorted(
            (["account_stale"] if page.stale else [])
            + (["function_unusable"] if page.function else [])
        )
        assert kinds == expected, (page.path, hints)
        for hint in hints:
            assert hint["url"] == hint["found_on"] and hint["url"].endswith(page.path)
            if hint["kind"] == "account_stale":
                assert hint["indicator"] == "M-V2"
                assert page.latest is not None and page.latest.isoformat() in hint["detail"]
            else:
                assert hint["indicator"] == "M-D2" and page.function in hint["detail"]


def test_crawl_reads_account_pages(server: AccountServer) -> None:
    async def run() -> list[dict[str, object]]:
        from inspector.scan import to_json

        async with Fetcher(make_client(trust_env=False), FetchLimits(retries=0)) as fetcher:
            scans = await scan_targets(server.targets(), fetcher, profile=PROFILE, as_of=AS_OF)
        return list(to_json(AS_OF, scans)["targets"])

    entries = asyncio.run(run())
    assert all(e["reachable"] and e["status"] == 200 for e in entries)
    _check_scans(entries)


def test_scan_cli_on_a_mixed_sample(server: AccountServer, tmp_path: Path) -> None:
    with Farm(2, seed=5) as farm:
        sample = tmp_path / "名单.csv"
        write_sample(sample, [*farm.targets(), *server.targets()])
        out = tmp_path / "scan.json"
        findings = tmp_path / "f.sqlite"
        with FindingsFile.create(
            findings, quarter="2025Q2", inspector="张三", profile_id=DEFAULT_PROFILE
        ):
            pass
        result = CliRunner().invoke(
            main,
            [
                "scan",
                str(sample),
                "--as-of",
                AS_OF.isoformat(),
                "--json",
                str(out),
                "--findings",
                str(findings),
            ],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        data = json.loads(out.read_text(encoding="utf-8"))
    websites = [t for t in data["targets"] if t["kind"] == "website"]
    accounts = [t for t in data["targets"] if t["kind"] == "new_media"]
    assert len(websites) == 2 and len(accounts) == len(ACCOUNT_PAGES)
    assert all("columns" in t and "latest_post" not in t for t in websites)
    assert not {h["kind"] for t in websites for h in t["hints"]} & {
        "account_stale",
        "function_unusable",
    }
    _check_scans(accounts)
    stale = {t["name"] for t in accounts for h in t["hints"] if h["kind"] == "account_stale"}
    assert stale == {p.name for p in ACCOUNT_PAGES if p.stale}
    # the account hints land in the findings file, on the accounts' own keys
    keys = {t.key: t for t in server.targets()}
    with FindingsFile.open(findings) as f:
        stored = [h for h in f.hints() if h.target_key in keys]
        assert {t.key for t in f.targets()} >= set(keys)
    assert sorted((keys[h.target_key].name, h.kind, h.indicator) for h in stored) == sorted(
        (p.name, kind, indicator)
        for p in ACCOUNT_PAGES
        for kind, indicator, present in (
            ("account_stale", "M-V2", p.stale),
            ("function_unusable", "M-D2", p.function is not None),
        )
        if present
    )
