"""The fixture farm itself: its servers serve exactly what its ground truth claims.

A precision/recall figure is only as good as the truth it is measured against, so the farm is
checked on its own, without the scanner: every link the truth calls fine answers 200 over real
HTTP, every planted failure fails, the traps behave as described, and the pages are encoded as
declared (issue #3, deliverable 8).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from inspector.profiles import DEFAULT_PROFILE, load_profile
from tests.fixtures.farm import (
    AS_OF,
    COLUMN_KINDS,
    DEAD_IP,
    ROLES,
    SLOW_MS,
    Farm,
)


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    with Farm(len(ROLES), seed=7) as running:
        yield running


def _site(farm: Farm, role: str) -> str:
    return next(url for url, t in farm.ground_truth.items() if t.role == role)


def test_column_names_have_the_kinds_the_profile_gives_them() -> None:
    profile = load_profile(DEFAULT_PROFILE)
    for name, kind in COLUMN_KINDS.items():
        assert profile.column_kind_for(name).name == kind, name


def test_every_hint_kind_is_planted_at_least_twice_in_a_32_site_farm() -> None:
    with Farm(32, seed=1) as farm:
        kinds = Counter(h.kind for t in farm.ground_truth.values() for h in t.hints)
        assert farm.port and len(farm.urls) == 32
    expected = {
        "unreachable", "blocked", "homepage_stale", "column_stale", "column_blank",
        "under_construction", "broken_link", "broken_image", "pagination_desync", "soft_404",
        "missing_site_code", "missing_icp", "missing_police_record",
    }  # fmt: skip
    assert set(kinds) == expected
    assert min(kinds.values()) >= 2, kinds


def test_links_answer_as_the_truth_says(farm: Farm) -> None:
    """Every link of every homepage and column page, fetched for real, matches `resolve`."""
    links = {
        link: farm.resolve(link)
        for site in farm.sites
        for page in farm._renderers[site.ip].pages.values()
        for link, _ in [(page.url, False), *page.links]
    }

    async def fetch_all() -> dict[str, str]:
        # politely: at most 4 per host, or the overload trap host rightly answers 503
        gates: dict[str, asyncio.Semaphore] = {}
        async with httpx.AsyncClient(follow_redirects=True, timeout=SLOW_MS / 1000 + 3) as client:

            async def one(link: str) -> tuple[str, str]:
                gate = gates.setdefault(httpx.URL(link).host, asyncio.Semaphore(4))
                async with gate:
                    try:
                        status = (await client.get(link)).status_code
                    except httpx.ConnectError:
                        return link, "dead"
                return link, "ok" if status == 200 else "broken"

            return dict(await asyncio.gather(*(one(link) for link in links)))

    assert asyncio.run(fetch_all()) == links
    outcomes = Counter(links.values())
    assert outcomes["ok"] > 500 and outcomes["broken"] >= 3 and outcomes["dead"] >= 1


def test_head_405_redirect_chains_and_slow_pages(farm: Farm) -> None:
    site = next(s for s in farm.sites if s.trap_links and s.index % 2 == 0 and s.index % 3 == 0)
    base = farm.url(site).rstrip("/")
    assert httpx.head(base + "/dynamic/survey.jsp?id=3").status_code == 405
    assert httpx.get(base + "/dynamic/survey.jsp?id=3").status_code == 200
    chain = httpx.get(base + "/go/zwfw", follow_redirects=True)
    assert [r.status_code for r in chain.history] == [301, 302] and chain.status_code == 200
    slow = next(s for s in farm.sites if any(p == "/special/sjkf.html" for _, p, _ in s.trap_links))
    started = time.monotonic()
    assert httpx.get(farm.url(slow) + "special/sjkf.html", timeout=10).status_code == 200
    assert time.monotonic() - started >= SLOW_MS / 1000 - 0.05


def test_the_overload_host_answers_503_only_beyond_four_connections(farm: Farm) -> None:
    site = next(s for s in farm.sites if s.overload_cap)
    # slow down that host so requests overlap: five at once trip it, four never do
    home = farm.url(site)

    async def burst(n: int) -> list[int]:
        async with httpx.AsyncClient(timeout=10) as client:
            answers = await asyncio.gather(
                *(client.get(home + "special/sjkf.html") for _ in range(n))
            )
        return [a.status_code for a in answers]

    farm._hosts[site.ip].routes["/special/sjkf.html"] = farm._hosts[site.ip].routes["/"]
    original = farm._hosts[site.ip].routes["/"].delay_ms
    farm._hosts[site.ip].routes["/"].delay_ms = 300
    try:
        assert asyncio.run(burst(4)) == [200] * 4
        assert 503 in asyncio.run(burst(6))
    finally:
        farm._hosts[site.ip].routes["/"].delay_ms = original
        del farm._hosts[site.ip].routes["/special/sjkf.html"]
    assert farm.max_connections[site.ip] >= 5


def test_unreachable_blocked_and_maintenance_sites(farm: Farm) -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get(_site(farm, "unreachable_refused"))
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(_site(farm, "unreachable_hang"), timeout=0.5)
    assert httpx.get(_site(farm, "blocked_412")).status_code == 412
    assert httpx.get(_site(farm, "blocked_202")).status_code == 202
    assert "系统升级维护中" in httpx.get(_site(farm, "maintenance")).text
    with socket.socket() as sock, pytest.raises(OSError):
        sock.settimeout(1)
        sock.connect((DEAD_IP, farm.port))


def test_encodings_are_declared_as_planned(farm: Farm) -> None:
    seen = set()
    for site in farm.sites:
        if not site.has_content:
            continue
        answer = httpx.get(farm.url(site))
        body, ctype = answer.content, answer.headers["content-type"]
        seen.add(site.encoding)
        if site.encoding == "gbk-header":
            assert "charset=GBK" in ctype and b"charset" not in body[:300]
            assert site.name in body.decode("gbk")
        elif site.encoding == "gbk-meta":
            assert "charset" not in ctype and b"charset=gb2312" in body[:300]
            assert site.name in body.decode("gbk")
        elif site.encoding == "gbk-wrong-header":
            assert "charset=utf-8" in ctype and b"charset=gb2312" in body[:300]
            with pytest.raises(UnicodeDecodeError):
                body.decode("utf-8")
        else:
            assert site.name in body.decode("utf-8")
    assert {"gbk-header", "gbk-meta", "gbk-wrong-header", "utf8", "utf8-meta"} <= seen


def test_gzip_when_asked(farm: Farm) -> None:
    trs = next(s for s in farm.sites if s.layout == "trs" and s.has_content)
    answer = httpx.get(farm.url(trs), headers={"accept-encoding": "gzip"})
    assert answer.headers.get("content-encoding") == "gzip" and "<html>" in answer.text


def test_keep_alive_and_head_and_the_request_log(farm: Farm) -> None:
    site = next(s for s in farm.sites if s.has_content)
    farm.reset_stats()
    # A connection an earlier test closed may not have been noticed by the server yet.
    lingering = farm.max_connections[site.ip]
    with httpx.Client() as client:
        for _ in range(3):
            assert client.get(farm.url(site)).status_code == 200
        head = client.head(farm.url(site))
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) > 1000
    # The server logs a request once it has answered it: the last entry may land a moment later.
    deadline = time.monotonic() + 5
    while sum(r.host == site.ip for r in farm.requests) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert farm.max_connections[site.ip] <= lingering + 1  # one client, one connection at a time
    log = [r for r in farm.requests if r.host == site.ip]
    assert [r.method for r in log] == ["GET", "GET", "GET", "HEAD"]
    assert all(r.status == 200 for r in log)


def test_the_truth_is_the_same_for_any_as_of_date_and_fixed_by_the_seed() -> None:
    def shape(farm: Farm) -> list[tuple[str, list[tuple[str, str | None]]]]:
        return [
            (t.role, sorted((h.kind, h.indicator) for h in t.hints))
            for t in farm.ground_truth.values()
        ]

    with Farm(len(ROLES), seed=5) as a, Farm(len(ROLES), seed=5, as_of=date(2026, 1, 10)) as b:
        assert shape(a) == shape(b)
        latest = [c.latest for t in b.ground_truth.values() for c in t.columns if c.latest]
        assert max(latest) <= date(2026, 1, 10) and max(latest) > date(2025, 12, 20)
    again = Farm(4, seed=5)
    assert again.sites[0].columns[0].items[0].title == a.sites[0].columns[0].items[0].title


def test_truth_of_the_column_kinds_and_states(farm: Farm) -> None:
    states = Counter(c.state for t in farm.ground_truth.values() for c in t.columns)
    assert states["fresh"] > 20 and states["stale"] >= 3
    assert states["blank"] >= 2 and states["unknown"] >= 1
    stale = [
        (c, t)
        for t in farm.ground_truth.values()
        for c in t.columns
        if c.state == "stale" and c.kind == "news"
    ]
    assert all(c.latest is not None and (AS_OF - c.latest).days > 14 for c, _ in stale)
