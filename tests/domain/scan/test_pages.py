"""Reading government pages right (issue 3, deliverables 3 and 4): columns, main lists, dates,
identity items, challenge pages and soft 404s, on hand-written excerpts of real CMS layouts
(``tests/fixtures/pages``) and on the built-in demo sites."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from inspector import demo
from inspector.profiles import Profile, load_profile
from inspector.scan.model import HomePage, ListPage
from inspector.scan.pages import (
    find_identity,
    looks_blocked,
    looks_soft_404,
    parse_home,
    parse_list,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
DEMO_SITES = Path(demo.__file__).resolve().parents[1] / "resources" / "demo" / "sites"
AS_OF = date(2025, 6, 14)


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile("national-2019")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def read_list(profile: Profile, name: str, url: str, as_of: date = AS_OF) -> ListPage:
    return parse_list(fixture(name), url, as_of=as_of, profile=profile)


def read_home(profile: Profile, name: str, url: str) -> HomePage:
    return parse_home(fixture(name), url, as_of=AS_OF, profile=profile)


# ── column pages ────────────────────────────────────────────────────────────────────────────────


def test_trs_list(profile: Profile) -> None:
    page = read_list(profile, "trs_list.html", "http://www.haiyu.gov.cn/zwgk/tzgg/")
    assert len(page.items) == 10
    newest = page.newest
    assert newest is not None
    assert newest.date == date(2025, 6, 10)  # not the 热点排行 sidebar's 06-13, not the header
    assert newest.url == "http://www.haiyu.gov.cn/zwgk/tzgg/202506/t20250610_5498.html"
    assert newest.title == "关于2025年海屿市事业单位公开招聘工作人员资格复审的通知"
    pinned = page.items[0]
    assert pinned.pinned and pinned.date == date(2023, 12, 1)
    assert not any(item.pinned for item in page.items[1:])
    # "2025-06-09 16:30" is a date and a time; the title's 2025年6月20日 is not the item's date.
    assert page.items[2].date == date(2025, 6, 9)
    assert all(item.date_source == "text" for item in page.items)
    assert page.next_page == "http://www.haiyu.gov.cn/zwgk/tzgg/index_1.html"
    assert not page.js_rendered and page.placeholder is None


def test_trs_page_two_points_to_page_three(profile: Profile) -> None:
    page = read_list(
        profile, "trs_list_page2.html", "http://www.haiyu.gov.cn/zwgk/tzgg/index_1.html"
    )
    assert page.newest is not None and page.newest.date == date(2025, 6, 12)
    assert page.next_page == "http://www.haiyu.gov.cn/zwgk/tzgg/index_2.html"


def test_trs_last_page_has_no_next_page(profile: Profile) -> None:
    html = fixture("trs_list_page2.html").replace("createPageHTML(5, 1, ", "createPageHTML(5, 4, ")
    page = parse_list(html, "http://h.gov.cn/a/index_4.html", as_of=AS_OF, profile=profile)
    assert page.next_page is None


def test_hanweb_cdata_recordset(profile: Profile) -> None:
    url = "http://sthjj.haiyu.gov.cn/col/col1421/index.html"
    page = read_list(profile, "hanweb_list.html", url)
    assert [item.date for item in page.items] == [
        date(2025, 6, 11),
        date(2025, 6, 5),
        date(2025, 5, 29),
        date(2025, 5, 20),
        date(2025, 5, 8),
        date(2025, 4, 25),
    ]
    assert page.items[0].url == "http://sthjj.haiyu.gov.cn/art/2025/6/11/art_1421_774301.html"
    assert page.items[0].title == "市生态环境局开展“六五环境日”宣传活动"
    # The datastore mentions dataproxy.jsp, but its records are in the page: not script-rendered.
    assert not page.js_rendered
    assert page.next_page == f"{url}?uid=4837291&pageNum=2"
    assert any(link.url.endswith("art_1421_774301.html") for link in page.links)


def test_hanweb_dates_only_in_urls(profile: Profile) -> None:
    html = fixture("hanweb_list.html")
    for day in ("2025-06-11", "2025-06-05", "2025-05-29", "2025-05-20", "2025-05-08", "2025-04-25"):
        html = html.replace(f'<span class="bt-data-time">{day}</span>', "")
    page = parse_list(html, "http://sthjj.haiyu.gov.cn/col/col1421/", as_of=AS_OF, profile=profile)
    assert page.newest is not None and page.newest.date == date(2025, 6, 11)
    assert {item.date_source for item in page.items} == {"url"}


def test_table_list_takes_the_publish_date_not_the_written_date(profile: Profile) -> None:
    page = read_list(profile, "table_list.html", "http://www.ydnyj.gov.cn/zcfg/list.asp?classid=3")
    assert len(page.items) == 5  # the header row has no link; the 热门文章 side table is ignored
    assert page.newest is not None
    assert page.newest.date == date(2025, 6, 3)
    assert page.newest.url == "http://www.ydnyj.gov.cn/ShowArticle.asp?ArticleID=3544"
    assert page.next_page == "http://www.ydnyj.gov.cn/zcfg/list.asp?classid=3&page=2"


def test_year_less_list_across_a_new_year(profile: Profile) -> None:
    page = read_list(
        profile, "yearless_list.html", "http://www.yxq.gov.cn/gzdt/", as_of=date(2026, 1, 5)
    )
    assert [item.date for item in page.items] == [
        date(2026, 1, 4),
        date(2026, 1, 3),
        date(2025, 12, 30),
        date(2025, 12, 28),
        date(2025, 12, 15),
        date(2025, 11, 20),
    ]
    assert {item.date_source for item in page.items} == {"text-yearless"}
    # The 点击排行 box shows [01-05]: it is not the column's list.
    assert page.newest is not None and page.newest.date == date(2026, 1, 4)
    assert page.next_page == "http://www.yxq.gov.cn/gzdt/index_2.html"


def test_dates_only_in_title_attributes(profile: Profile) -> None:
    page = read_list(profile, "title_attr_list.html", "http://rsj.haiyu.gov.cn/zcjd/index.jhtml")
    assert len(page.items) == 4
    assert page.newest is not None and page.newest.date == date(2025, 6, 6)
    assert {item.date_source for item in page.items} == {"title"}
    assert page.items[0].title == "《海屿市灵活就业人员参加职工基本养老保险办法》政策解读"


@pytest.mark.parametrize("name", ["js_list.html", "vue_list.html", "iframe_list.html"])
def test_lists_from_another_request_are_js_rendered(profile: Profile, name: str) -> None:
    page = read_list(profile, name, "http://jtj.haiyu.gov.cn/tzgg/")
    assert page.items == ()
    assert page.js_rendered


def test_placeholder_list(profile: Profile) -> None:
    page = read_list(profile, "placeholder_list.html", "http://jyj.haiyu.gov.cn/rsxx/")
    assert page.items == ()
    assert page.placeholder == "暂无信息"
    assert not page.js_rendered and not page.content_page
    assert page.under_construction is None


def test_under_construction_column(profile: Profile) -> None:
    page = read_list(profile, "construction.html", "http://tjj.haiyu.gov.cn/sjfb/")
    assert page.items == ()
    assert page.placeholder == "栏目建设中"
    assert page.under_construction == "建设中"


def test_single_article_column_is_a_content_page(profile: Profile) -> None:
    page = read_list(profile, "article_column.html", "http://swj.haiyu.gov.cn/jgzn/")
    assert page.items == ()
    assert page.content_page
    assert page.placeholder is None and not page.js_rendered


def test_empty_list_box_beside_scripts_is_not_called_empty(profile: Profile) -> None:
    html = fixture("placeholder_list.html").replace('<div class="no-data">暂无信息</div>', "")
    page = parse_list(html, "http://jyj.haiyu.gov.cn/rsxx/", as_of=AS_OF, profile=profile)
    assert page.items == () and page.placeholder is None
    assert page.js_rendered  # an empty ul.list next to a script: the script may fill it


def test_empty_page_without_scripts(profile: Profile) -> None:
    html = (
        "<html><body><div class='nav'><a href='/a/'>A</a></div><ul class='list'></ul></body></html>"
    )
    page = parse_list(html, "http://x.gov.cn/b/", as_of=AS_OF, profile=profile)
    assert page.items == () and not page.js_rendered and not page.content_page


def test_client_redirect_page(profile: Profile) -> None:
    html = '<html><head><meta http-equiv="refresh" content="0; url=/col/col12/index.html"></head><body></body></html>'
    page = parse_list(html, "http://x.gov.cn/tzgg/", as_of=AS_OF, profile=profile)
    assert page.client_redirect == "http://x.gov.cn/col/col12/index.html"
    script = "<html><body><script>window.location.href='./index_new.html';</script></body></html>"
    page = parse_list(script, "http://x.gov.cn/tzgg/", as_of=AS_OF, profile=profile)
    assert page.client_redirect == "http://x.gov.cn/tzgg/index_new.html"


def test_sidebar_found_by_its_heading_alone(profile: Profile) -> None:
    # No telling class names: the sidebar is longer and newer, but its heading says 热点排行.
    hot = "".join(
        f"<li><a href='/hot/{i}.html'>热点新闻标题第{i}条</a><span>2025-06-1{i}</span></li>"
        for i in range(1, 7)
    )
    html = f"""<html><body>
      <div class="box"><h3>热点排行</h3><ul>{hot}</ul></div>
      <div class="box"><h3>工作动态</h3><ul>
        <li><a href="/gzdt/1.html">屿西区召开防汛工作会议</a><span>2025-03-02</span></li>
        <li><a href="/gzdt/2.html">屿西区开展植树活动</a><span>2025-02-20</span></li>
      </ul></div></body></html>"""
    page = parse_list(html, "http://x.gov.cn/gzdt/", as_of=AS_OF, profile=profile)
    assert len(page.items) == 2
    assert page.newest is not None and page.newest.date == date(2025, 3, 2)


def test_undated_list_keeps_its_items_without_dates(profile: Profile) -> None:
    rows = "".join(f"<li><a href='/ldxx/{i}.html'>领导简介{i}</a></li>" for i in range(4))
    html = f"<html><body><div class='list'><ul>{rows}</ul></div></body></html>"
    page = parse_list(html, "http://x.gov.cn/ldxx/", as_of=AS_OF, profile=profile)
    assert len(page.items) == 4
    assert all(item.date is None for item in page.items)
    assert page.newest is None


def test_flat_list_of_links_and_spans(profile: Profile) -> None:
    html = """<html><body><div class="main"><td>
      <a href="/a/1.html">屿北镇召开安全生产会议</a><span>(2025-05-12)</span><br>
      <a href="/a/2.html">屿北镇开展春季植树</a><span>(2025-04-02)</span><br>
      <a href="/a/3.html">屿北镇部署防汛工作</a><span>(2025-03-30)</span><br>
    </td></div></body></html>"""
    page = parse_list(html, "http://x.gov.cn/a/", as_of=AS_OF, profile=profile)
    assert [item.date for item in page.items] == [
        date(2025, 5, 12),
        date(2025, 4, 2),
        date(2025, 3, 30),
    ]


def test_date_inside_the_link(profile: Profile) -> None:
    rows = "".join(
        f"<div class='item'><a href='/n/{d}.html'><p class='t'>标题{d}</p><p class='d'>2025-05-{d:02d}</p></a></div>"
        for d in (20, 18, 3)
    )
    page = parse_list(
        f"<html><body><div class='news'>{rows}</div></body></html>",
        "http://x.gov.cn/n/",
        as_of=AS_OF,
        profile=profile,
    )
    assert page.newest is not None and page.newest.date == date(2025, 5, 20)
    assert page.newest.title == "标题20"


def test_twenty_thousand_links(profile: Profile) -> None:
    rows = "".join(
        f'<li><a href="./2025{(i % 5) + 1:02d}/t2025{(i % 5) + 1:02d}0{(i % 9) + 1}_{i}.html">'
        f"第{i}条信息</a><span>2025-{(i % 5) + 1:02d}-0{(i % 9) + 1}</span></li>"
        for i in range(20_000)
    )
    html = f"<html><body><div class='nav'><a href='/x/'>X</a></div><ul class='list'>{rows}</ul></body></html>"
    page = parse_list(html, "http://www.x.gov.cn/a/", as_of=AS_OF, profile=profile)
    assert len(page.items) == 20_000
    assert page.newest is not None and page.newest.date == date(2025, 5, 9)
    assert len(page.links) == 20_001


def test_hostile_markup_does_not_break_the_reader(profile: Profile) -> None:
    for html in (
        "",
        "   ",
        "\x00\x01<html>",
        '<?xml version="1.0" encoding="gbk"?><html/>',
        "<a href='http://[::1'>x</a>",
    ):
        page = parse_list(html, "http://x.gov.cn/", as_of=AS_OF, profile=profile)
        assert page.items == ()
        home = parse_home(html, "http://x.gov.cn/", as_of=AS_OF, profile=profile)
        assert home.columns == ()


# ── homepages ──────────────────────────────────────────────────────────────────────────────────


def test_trs_homepage_columns(profile: Profile) -> None:
    home = read_home(profile, "home_trs.html", "http://www.haiyu.gov.cn/")
    found = {(c.name, c.url.removeprefix("http://www.haiyu.gov.cn"), c.via) for c in home.columns}
    assert found == {
        ("新闻中心", "/xwzx/", "nav"),
        ("今日海屿", "/xwzx/jrhy/", "nav"),
        ("部门动态", "/xwzx/bmdt/", "nav"),
        ("政务公开", "/zwgk/", "nav"),
        ("办事服务", "/bsfw/", "nav"),
        ("互动交流", "/hdjl/", "nav"),
        ("走进海屿", "/zjhy/", "nav"),
        ("通知公告", "/zwgk/tzgg/", "more"),
        ("政策解读", "/zwgk/zcjd/", "block"),
        ("政策文件", "/zwgk/zcwj/", "more"),
    }
    assert all(c.found_on == "http://www.haiyu.gov.cn/" for c in home.columns)
    assert home.title == "海屿市人民政府门户网站"


def test_trs_homepage_items_and_identity(profile: Profile) -> None:
    home = read_home(profile, "home_trs.html", "http://www.haiyu.gov.cn/")
    dates = sorted(item.date for item in home.items if item.date)
    assert dates[-1] == date(2025, 6, 13)
    assert date(2025, 5, 2) not in dates  # the 热点排行 box
    assert not home.navigation_only and not home.js_rendered
    assert home.blocked is None  # despite <noscript>请开启JavaScript</noscript>
    assert home.soft_404 is None and home.under_construction is None
    identity = home.identity
    assert identity.site_code == "4600000001" and identity.site_code_source == "footer"
    assert identity.icp == "琼ICP备05000000号-1"
    assert identity.police_record == "琼公网安备 46010002000000号"
    assert identity.gov_identifier


def test_homepage_links_for_the_checker(profile: Profile) -> None:
    home = read_home(profile, "home_trs.html", "http://www.haiyu.gov.cn/")
    by_url = {link.url: link for link in home.links}
    assert not any(url.startswith(("mailto:", "javascript:")) for url in by_url)
    assert by_url["http://www.haiyu.gov.cn/sjfb/tjsj/"].area == "body"
    assert by_url["http://www.haiyu.gov.cn/zwgk/tzgg/"].area == "more"
    assert by_url["http://www.haiyu.gov.cn/zwgk/zcjd/"].area == "block"
    assert by_url["http://www.haiyu.gov.cn/xwzx/"].area == "nav"
    assert by_url["http://www.haiyu.gov.cn/jiucuo/"].area == "footer"
    assert by_url["http://www.haiyu.gov.cn/images/dzjg.png"].area == "image"
    assert len(by_url) == len(home.links)


def test_old_table_homepage(profile: Profile) -> None:
    home = read_home(profile, "home_table_stale.html", "http://www.ybz.gov.cn/index.html")
    names = {c.name: c.via for c in home.columns}
    assert names == {"政务动态": "nav", "通知公告": "nav", "政务公开": "nav", "信息公开": "nav"}
    dated = [item for item in home.items if item.date]
    assert max(i.date for i in dated if not i.pinned and i.date) == date(2025, 5, 1)
    pinned = [item for item in home.items if item.pinned]
    assert [item.date for item in pinned] == [date(2019, 6, 10)]
    # Neither the 热点新闻 box (06-13) nor the header's 今天是2025年6月14日 is a homepage item.
    assert all(item.date and item.date < date(2025, 6, 1) for item in home.items)
    identity = home.identity
    assert identity.site_code is None and identity.police_record is None
    assert identity.icp == "琼ICP备05009876号"
    assert not identity.gov_identifier


def test_hanweb_homepage(profile: Profile) -> None:
    home = read_home(profile, "home_hanweb.html", "http://sthjj.haiyu.gov.cn/")
    urls = {c.url.removeprefix("http://sthjj.haiyu.gov.cn") for c in home.columns}
    assert urls == {
        "/col/col1420/index.html",
        "/col/col1430/index.html",
        "/col/col1440/index.html",
        "/col/col1450/index.html",
        "/col/col1421/index.html",
        "/col/col1435/index.html",
    }
    assert {c.name for c in home.columns if c.via == "more"} == {"部门动态", "环境质量"}
    assert max(item.date for item in home.items if item.date) == date(2025, 6, 11)
    assert home.identity.site_code == "4601000012"
    assert home.identity.site_code_source == "meta"
    assert home.identity.gov_identifier


def test_navigation_only_homepage(profile: Profile) -> None:
    home = read_home(profile, "home_nav_only.html", "http://www.haiyu.gov.cn/")
    assert home.navigation_only
    assert home.items == ()
    assert {c.name for c in home.columns} == {"政务公开", "办事服务", "互动交流", "新闻中心"}


def test_maintenance_homepage(profile: Profile) -> None:
    html = "<html><head><title>系统维护中</title></head><body><p>网站系统升级维护中，请稍后访问。</p></body></html>"
    home = parse_home(html, "http://x.gov.cn/", as_of=AS_OF, profile=profile)
    assert home.under_construction == "维护中"
    busy = fixture("home_trs.html").replace("海屿市举办第五届椰风文化节", "椰风文化园项目建设中")
    home = parse_home(busy, "http://www.haiyu.gov.cn/", as_of=AS_OF, profile=profile)
    assert home.under_construction is None  # a news title is not the site's state


# ── identity, challenges, soft 404 ─────────────────────────────────────────────────────────────


def test_identity_from_text() -> None:
    footer = (
        "<html><body><div id='footer'>网站标识码:bm09000001 京ICP备 05070218 号-2 "
        "京公网安备11010202000001号</div></body></html>"
    )
    identity = find_identity(footer)
    assert identity.site_code == "bm09000001"
    assert identity.icp == "京ICP备05070218号-2"
    assert identity.police_record == "京公网安备 11010202000001号"
    assert not identity.gov_identifier


def test_identity_rejects_malformed_codes() -> None:
    identity = find_identity(
        "<html><head><meta name='SiteIDCode' content='46000'></head>"
        "<body>网站标识码：460000000123</body></html>"
    )
    assert identity.site_code is None


def test_identity_missing() -> None:
    identity = find_identity(fixture("blocked_slider.html"))
    assert identity.site_code is None and identity.icp is None
    assert identity.police_record is None and not identity.gov_identifier


@pytest.mark.parametrize(
    ("name", "status", "marker"),
    [
        ("blocked_jsl_521.html", 521, "加速乐"),
        ("blocked_rs_412.html", 412, "瑞数"),
        ("blocked_cf.html", 403, "Cloudflare"),
        ("blocked_yunsuo.html", 200, "云锁"),
        ("blocked_slider.html", 200, "验证"),
    ],
)
def test_challenge_pages_are_blocked(name: str, status: int, marker: str) -> None:
    found = looks_blocked(status, {}, fixture(name))
    assert found is not None and marker in found


def test_bare_412_with_a_script_is_blocked() -> None:
    html = "<html><head><script src='/a1b2c3.js'></script></head><body></body></html>"
    assert looks_blocked(412, {}, html) is not None
    assert looks_blocked(200, {}, html) is None


def test_cloudflare_header() -> None:
    assert looks_blocked(403, {"CF-Mitigated": "challenge"}, "") is not None


@pytest.mark.parametrize("name", ["login_captcha.html", "home_trs.html", "trs_list.html"])
def test_ordinary_pages_are_not_blocked(name: str) -> None:
    assert looks_blocked(200, {}, fixture(name)) is None


def test_an_article_about_firewalls_is_not_blocked() -> None:
    article = fixture("article_column.html").replace(
        "负责保障", "安全狗网站防火墙和安全验证负责保障"
    )
    assert looks_blocked(200, {}, article) is None


def test_soft_404(profile: Profile) -> None:
    assert looks_soft_404(fixture("soft404_tiny.html"), 200, profile) == "页面不存在"
    assert looks_soft_404(fixture("soft404_template.html"), 200, profile) == "页面不存在"
    assert looks_soft_404(fixture("soft404_tiny.html"), 404, profile) is None  # a real 404
    assert looks_soft_404(fixture("soft404_tiny.html"), None, profile) == "页面不存在"
    for name in ("article_column.html", "trs_list.html", "home_trs.html", "placeholder_list.html"):
        assert looks_soft_404(fixture(name), 200, profile) is None
    assert looks_soft_404("<html><title>404</title><body></body></html>", 200, profile) == "404"


# ── the demo sites ─────────────────────────────────────────────────────────────────────────────


def demo_page(slug: str, path: str = "") -> str:
    return demo.render((DEMO_SITES / slug / path / "index.html").read_text("utf-8"), AS_OF)


@pytest.mark.parametrize(
    ("slug", "column", "days_ago"),
    [
        ("fgw", "gzdt", 128),  # planted: 工作动态 about four months old
        ("fgw", "tzgg", 9),
        ("ynx", "zcwj", 214),  # planted: 政策文件 about seven months old (YYYY/MM/DD dates)
        ("ynx", "xwdt", 1),
        ("jyt", "jyyw", 2),
    ],
)
def test_demo_column_newest_dates(profile: Profile, slug: str, column: str, days_ago: int) -> None:
    url = f"http://127.0.0.1:8000/{slug}/{column}/"
    page = parse_list(demo_page(slug, column), url, as_of=AS_OF, profile=profile)
    assert page.newest is not None
    assert page.newest.date == AS_OF - timedelta(days=days_ago)


def test_demo_blank_and_under_construction_columns(profile: Profile) -> None:
    rsxx = parse_list(
        demo_page("jyt", "rsxx"), "http://127.0.0.1:8000/jyt/rsxx/", as_of=AS_OF, profile=profile
    )
    assert rsxx.items == () and rsxx.placeholder == "暂无信息" and not rsxx.js_rendered
    sjfb = parse_list(
        demo_page("jyt", "sjfb"), "http://127.0.0.1:8000/jyt/sjfb/", as_of=AS_OF, profile=profile
    )
    assert sjfb.items == () and sjfb.under_construction == "建设中"


def test_demo_homepages(profile: Profile) -> None:
    fgw = parse_home(demo_page("fgw"), "http://127.0.0.1:8000/fgw/", as_of=AS_OF, profile=profile)
    assert [c.name for c in fgw.columns] == [
        "工作动态",
        "通知公告",
        "政策文件",
        "信息公开",
        "办事服务",
        "互动交流",
    ]
    assert fgw.identity.site_code == "9900000012"
    swt = parse_home(demo_page("swt"), "http://127.0.0.1:8000/swt/", as_of=AS_OF, profile=profile)
    assert swt.identity.site_code is None  # planted: no 网站标识码 anywhere
    assert swt.identity.icp is not None and swt.identity.police_record is not None


def test_title_classes_in_list_rows_are_not_box_headings(profile: Profile) -> None:
    # Regression (issue 3): <td class="tit"> and <div class="title"> wrap list entries too.
    rows = "".join(
        f'<tr><td class="tit"><a href="/news/show.asp?id={i}">屿南镇开展第{i}次安全检查工作</a></td>'
        f'<td class="time">2025/6/{i}</td></tr>'
        for i in range(1, 6)
    )
    cards = "".join(
        f'<div class="item"><div class="title"><a href="/n/{i}.html">屿南镇召开第{i}次会议</a></div>'
        f'<div class="date">2025-05-{i:02d}</div></div>'
        for i in range(1, 4)
    )
    for body, newest in (
        (f'<table class="list">{rows}</table>', date(2025, 6, 5)),
        (cards, date(2025, 5, 3)),
    ):
        html = f"<html><body><div class='main'>{body}</div></body></html>"
        page = parse_list(html, "http://x.gov.cn/news/", as_of=AS_OF, profile=profile)
        assert page.newest is not None and page.newest.date == newest
        home = parse_home(html, "http://x.gov.cn/", as_of=AS_OF, profile=profile)
        assert home.columns == ()  # article links are not columns


def test_homepage_with_undated_article_lists_is_not_navigation_only(profile: Profile) -> None:
    rows = "".join(
        f"<li><a href='/xw/show-{i}.html'>屿南镇召开第{i}次全镇安全生产工作会议</a></li>"
        for i in range(6)
    )
    html = f"""<html><body><div class="nav"><a href="/xw/">新闻</a><a href="/tz/">通知</a></div>
      <div class="box"><ul>{rows}</ul></div></body></html>"""
    home = parse_home(html, "http://x.gov.cn/", as_of=AS_OF, profile=profile)
    assert not home.navigation_only
    assert {c.name for c in home.columns} == {"新闻", "通知"}


def test_a_date_widget_beside_links_is_not_an_item_date(profile: Profile) -> None:
    html = """<html><body><div class="tools"><a href="/wza/">无障碍</a> <a href="/zzms/">长者模式</a>
      <span>今天是2025年6月14日 星期六</span></div>
      <div class="box"><ul>
        <li><a href="/xw/1.html">屿南镇召开全镇安全生产工作会议</a><span>2025-04-02</span></li>
        <li><a href="/xw/2.html">屿南镇开展春季植树造林活动</a><span>2025-03-12</span></li>
      </ul></div></body></html>"""
    home = parse_home(html, "http://x.gov.cn/", as_of=AS_OF, profile=profile)
    assert max(item.date for item in home.items if item.date) == date(2025, 4, 2)


def test_hanweb_page_two_keeps_the_column_query(profile: Profile) -> None:
    page = read_list(
        profile,
        "hanweb_list.html",
        "http://sthjj.haiyu.gov.cn/module/list.jsp?columnid=1421&pageNum=1",
    )
    assert page.next_page == (
        "http://sthjj.haiyu.gov.cn/module/list.jsp?columnid=1421&uid=4837291&pageNum=2"
    )


def test_no_guessed_page_two_without_cms_evidence(profile: Profile) -> None:
    # "共5页" and a script pager but no link, no TRS call and no Hanweb jpage: nothing to fetch.
    html = fixture("yearless_list.html").replace(
        '<div class="pages">', '<div class="pages">共5页<script>var pageNum = 1;</script>'
    )
    html = html.replace('href="/gzdt/index_2.html"', 'href="javascript:go(2)"')
    page = parse_list(html, "http://www.yxq.gov.cn/gzdt/", as_of=date(2026, 1, 5), profile=profile)
    assert page.next_page is None


def test_entries_behind_javascript_links_still_show_their_dates(profile: Profile) -> None:
    rows = "".join(
        f"<li><a href=\"javascript:openDetail('{i}')\">屿南镇第{i}次党委会议纪要公开</a><span>2025-05-0{i}</span></li>"
        for i in range(1, 4)
    )
    html = f"<html><body><div class='main'><ul>{rows}</ul></div></body></html>"
    page = parse_list(html, "http://x.gov.cn/hyjy/", as_of=AS_OF, profile=profile)
    assert [item.date for item in page.items] == [date(2025, 5, i) for i in range(1, 4)]
    assert all(item.url is None for item in page.items)
    assert page.links == ()
