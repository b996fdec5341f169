"""The built-in demo: every site is served, dates are "now", keys survive port changes."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from inspector.demo import (
    DEMO_INSPECTOR,
    DemoServer,
    demo_entries,
    demo_targets,
    open_demo_workspace,
    quarter_of,
    render,
)
from inspector.store import FindingsFile
from inspector.targets import Kind, State

TODAY = date(2025, 6, 14)


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, Content-Type and body; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


@pytest.fixture(scope="module")
def server() -> DemoServer:
    with DemoServer(today=TODAY) as running:
        yield running


def test_render_fills_days_ago_in_several_formats() -> None:
    text = "{{days_ago:3}} {{days_ago:0|YYYY年M月D日}} {{days_ago:-30|YYYY/MM/DD}} {{year}}"
    assert render(text, TODAY) == "2025-06-11 2025年6月14日 2025/07/14 2025"


def test_render_leaves_other_braces_alone() -> None:
    assert render("{{unknown}} {x}", TODAY) == "{{unknown}} {x}"


@pytest.mark.parametrize(("day", "quarter"), [(date(2025, 1, 1), "2025Q1"), (TODAY, "2025Q2")])
def test_quarter_of(day: date, quarter: str) -> None:
    assert quarter_of(day) == quarter


def test_every_demo_site_is_served_with_its_charset(server: DemoServer) -> None:
    entries = demo_entries()
    assert 5 <= sum(e.kind == Kind.WEBSITE for e in entries) <= 7
    assert 2 <= sum(e.kind == Kind.NEW_MEDIA for e in entries) <= 3
    for entry in entries:
        status, ctype, body = fetch(server.url(entry.slug))
        assert status == 200, entry.slug
        assert ctype == f"text/html; charset={entry.charset}", entry.slug
        text = body.decode(entry.charset)
        assert "{{" not in text, entry.slug
        assert entry.name in text, entry.slug


def test_the_gbk_site_is_really_gbk(server: DemoServer) -> None:
    gbk = [e for e in demo_entries() if e.charset == "gbk"]
    assert len(gbk) == 1
    _, _, body = fetch(server.url(gbk[0].slug))
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gbk")
    assert 'charset=gbk"' in text and "网站标识码" in text


def test_dates_are_relative_to_the_servers_day(server: DemoServer) -> None:
    _, _, body = fetch(server.url("portal"))
    text = body.decode("utf-8")
    assert "今天是 2025年6月14日" in text
    assert "2025-06-13" in text  # an item from yesterday


def test_planted_problems_are_there(server: DemoServer) -> None:
    portal = fetch(server.url("portal"))[2].decode()
    assert 'href="sjfb/tjsj/"' in portal
    assert fetch(server.url("portal") + "sjfb/tjsj/")[0] == 404
    assert "网站标识码：9900000001" in portal and "屿ICP备05000000号" in portal
    assert "公网安备" in portal and "党政机关" in portal
    assert "网站标识码" not in fetch(server.url("swt"))[2].decode()
    assert "暂无信息" in fetch(server.url("jyt") + "rsxx/")[2].decode()
    assert "栏目建设中" in fetch(server.url("jyt") + "sjfb/")[2].decode()
    stale = fetch(server.url("fgw") + "gzdt/")[2].decode()
    newest = max(re.findall(r"\d{4}-\d{2}-\d{2}", stale))
    assert (TODAY - date.fromisoformat(newest)).days > 90
    menu = fetch(server.url("wx-jyjy") + "menu/zxzx.html")[2].decode()
    assert "该功能正在开发中" in menu and "Under Development" in menu
    article = fetch(server.url("wx-jyfb") + "s/art_1.html")[2].decode()
    assert '<em id="publish_time"' in article and "2025年06月13日" in article


def test_no_link_is_dead_except_the_planted_one(server: DemoServer) -> None:
    """Only planted faults may show up as broken links, or the scanner's demo lies."""
    host = urlsplit(server.base_url).netloc
    seen: set[str] = set()
    todo = [server.url(e.slug) for e in demo_entries()]
    dead = set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        status, ctype, body = fetch(url)
        if status != 200:
            dead.add(urlsplit(url).path)
            continue
        if not ctype.startswith("text/html"):
            continue
        text = body.decode(ctype.split("charset=")[1])
        for href in re.findall(r'(?:href|src)="([^"#]+)"', text):
            link = urljoin(url, href).split("?")[0]
            if urlsplit(link).netloc == host:
                todo.append(link)
    assert dead == {"/portal/sjfb/tjsj/"}
    assert len(seen) > 100


def test_directories_redirect_and_traversal_is_refused(server: DemoServer) -> None:
    request = urllib.request.Request(server.base_url + "/portal", method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.url.endswith("/portal/")
    assert fetch(server.base_url + "/portal/../../demo.json")[0] == 404
    assert fetch(server.base_url + "/%2e%2e/demo.json")[0] == 404


def test_many_parallel_requests_are_all_answered(server: DemoServer) -> None:
    urls = [server.url(e.slug) for e in demo_entries()] * 12
    with ThreadPoolExecutor(max_workers=48) as pool:
        statuses = list(pool.map(lambda u: fetch(u)[0], urls))
    assert statuses == [200] * len(urls)


def test_the_request_log_records_what_was_served() -> None:
    with DemoServer(today=TODAY) as running:
        fetch(running.url("fgw"))
        fetch(running.url("fgw") + "nope.html")
    # Each request is logged by its own server thread once answered, so order is not guaranteed.
    assert sorted((r.method, r.path, r.status) for r in running.requests) == [
        ("GET", "/fgw/", 200),
        ("GET", "/fgw/nope.html", 404),
    ]


def test_the_server_stops_and_can_be_started_again() -> None:
    server = DemoServer().start()
    url = server.url("portal")
    server.stop()
    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)
    with server:
        assert fetch(server.url("portal"))[0] == 200


def test_target_keys_are_stable_across_ports() -> None:
    with DemoServer() as first, DemoServer() as second:
        assert first.port != second.port
        a, b = demo_targets(first.base_url), demo_targets(second.base_url)
    assert [t.key for t in a] == [t.key for t in b]
    assert len({t.key for t in a}) == len(a)
    assert all(t.key.startswith(("site:", "account:")) for t in a)
    assert a[0].url != b[0].url
    assert any(t.is_portal for t in a)
    assert all(t.platform for t in a if t.kind == Kind.NEW_MEDIA)


def test_open_demo_workspace_twice_keeps_ticks(tmp_path: Path) -> None:
    with DemoServer() as first:
        findings = open_demo_workspace(tmp_path, first.base_url, today=TODAY)
        assert findings.inspector == DEMO_INSPECTOR and findings.quarter == "2025Q2"
        key = findings.targets()[0].key
        findings.set_result(key, "W-V1", State.OK, who=DEMO_INSPECTOR, note="已核查")
        findings.close()
    with DemoServer() as second:
        findings = open_demo_workspace(tmp_path, second.base_url, today=TODAY)
        try:
            [result] = findings.results(key)
            assert (result.indicator_id, result.state, result.note) == ("W-V1", "ok", "已核查")
            assert findings.targets()[0].url == second.url("portal")
            assert len(findings.targets()) == len(demo_entries())
        finally:
            findings.close()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite"] == ["demo-2025Q2.sqlite"]


def test_a_broken_demo_file_is_moved_aside(tmp_path: Path) -> None:
    (tmp_path / "demo-2025Q2.sqlite").write_bytes(b"not a database at all")
    findings = open_demo_workspace(tmp_path, "http://127.0.0.1:9", today=TODAY)
    findings.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "demo-2025Q2.sqlite" in names
    assert any(".broken-" in n for n in names)
    assert FindingsFile.open(tmp_path / "demo-2025Q2.sqlite").close() is None
