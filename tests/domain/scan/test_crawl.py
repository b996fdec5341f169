"""The scan orchestration: events, cancellation, encodings, the JSON shape, accounts, TLS, bounds.

Most tests run against a small fixture farm (real HTTP on loopback addresses); the TLS test runs
its own HTTPS server with a certificate from a CA nobody trusts (trustme).
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import trustme

from inspector.profiles import DEFAULT_PROFILE, load_profile
from inspector.scan import (
    Fetcher,
    FetchLimits,
    ScanEvent,
    TargetScan,
    crawl,
    make_client,
    scan_target,
    scan_targets,
    store_scans,
    to_json,
    write_json,
)
from inspector.store import FindingsFile
from inspector.targets import Kind, Target, account_key, website_key
from tests.fixtures.farm import ROLES, Farm

AS_OF = date(2025, 6, 14)

# The example of product.md ("Scan output"), copied: the contract the JSON must keep.
PRODUCT_EXAMPLE = json.loads(
    """{"as_of": "2025-06-14",
 "targets": [
  {"name": "…", "url": "http://…/", "reachable": true, "status": 200, "elapsed_ms": 412,
   "columns": [{"name": "通知公告", "url": "http://…/tzgg/", "latest": "2025-01-02",
                "items": 20, "state": "fresh|stale|blank|unknown", "kind": "news|notice|other"}],
   "hints": [{"kind": "column_stale", "url": "http://…/tzgg/", "found_on": "http://…/",
              "detail": "latest item 2025-01-02, 163 days before 2025-06-14", "indicator": "W-V4"}]}]}"""
)


def limits() -> FetchLimits:
    return FetchLimits(
        connect_timeout=3, read_timeout=3, budget=3, retries=1, backoff=0.2, max_retry_after=2
    )


def fetcher() -> Fetcher:
    return Fetcher(make_client(trust_env=False), limits())


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    with Farm(len(ROLES), seed=11) as running:
        yield running


def _targets(farm: Farm, *roles: str) -> list[Target]:
    by_role = {t.role: t for t in farm.ground_truth.values()}
    wanted = {by_role[r].key for r in roles}
    return [t for t in farm.targets() if t.key in wanted]


async def _scan(targets: list[Target], farm: Farm, **kw: Any) -> list[TargetScan]:
    async with fetcher() as f:
        return await scan_targets(targets, f, profile=farm.profile, as_of=farm.as_of, **kw)


# ── events ─────────────────────────────────────────────────────────────────────────────────────


def test_event_stream(farm: Farm) -> None:
    targets = _targets(farm, "clean", "homepage_stale", "broken", "unreachable_refused")
    events: list[ScanEvent] = []
    scans = asyncio.run(_scan(targets, farm, on_event=events.append))
    assert {e.kind for e in events} <= set(crawl.EVENT_KINDS)
    assert all(e.total == len(targets) for e in events)
    for target, scan in zip(targets, scans, strict=True):
        mine = [e for e in events if e.target_key == target.key]
        assert mine[0].kind == "target_started"
        assert [e.kind for e in mine].count("target_started") == 1
        assert [e.kind for e in mine].count("target_finished") == 1
        assert [e.hint for e in mine if e.kind == "hint"] == scan.hints
        assert sum(e.kind == "page_fetched" for e in mine) == scan.pages_fetched
        finished = next(i for i, e in enumerate(mine) if e.kind == "target_finished")
        assert all(e.kind == "progress" for e in mine[finished + 1 :])
    done = [e.done for e in events if e.kind == "progress"]
    assert done == sorted(done) and done[-1] == len(targets)
    assert [s.key for s in scans] == [t.key for t in targets]  # input order kept


def test_scan_target_alone_reports_its_own_progress(farm: Farm) -> None:
    (target,) = _targets(farm, "clean")
    events: list[ScanEvent] = []

    async def run() -> TargetScan:
        async with fetcher() as f:
            return await scan_target(
                target, f, profile=farm.profile, as_of=AS_OF, on_event=events.append
            )

    scan = asyncio.run(run())
    assert scan.reachable and scan.status == 200 and scan.columns
    assert events[0].kind == "target_started" and events[-1].kind == "progress"
    assert (events[-1].done, events[-1].total) == (1, 1)


def test_a_site_waiting_for_its_homepage_holds_no_site_slot(farm: Farm) -> None:
    # One site slot: the hanging homepage is requested alongside the others (lookahead), and
    # the sites that answer are scanned meanwhile instead of queueing behind its timeouts.
    targets = _targets(farm, "unreachable_hang", "clean", "homepage_stale")
    finished: list[str] = []

    def on_event(event: ScanEvent) -> None:
        if event.kind == "target_finished":
            finished.append(event.target_key)

    hang = _targets(farm, "unreachable_hang")[0].key
    ordered = [t for t in targets if t.key == hang] + [t for t in targets if t.key != hang]
    scans = asyncio.run(_scan(ordered, farm, on_event=on_event, concurrency=1))
    assert finished[-1] == hang and len(finished) == 3
    assert not scans[0].reachable and all(s.reachable for s in scans[1:])


# ── cancellation ───────────────────────────────────────────────────────────────────────────────


def test_cancellation_stops_every_task_promptly(farm: Farm) -> None:
    targets = farm.targets()  # the hanging site and the slow pages included

    async def run() -> tuple[float, set[asyncio.Task[Any]]]:
        f = fetcher()
        task = asyncio.create_task(
            scan_targets(targets, f, profile=farm.profile, as_of=AS_OF, concurrency=16)
        )
        await asyncio.sleep(0.8)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        took = time.monotonic() - started
        await f.aclose()
        await asyncio.sleep(0)
        left = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        return took, left

    took, left = asyncio.run(run())
    assert took < 2.0
    assert not left


# ── what the scan reads ────────────────────────────────────────────────────────────────────────


def test_gbk_sites_have_their_column_names_right(farm: Farm) -> None:
    gbk = [t for t in farm.ground_truth.values() if t.encoding.startswith("gbk") and t.columns]
    assert {t.encoding for t in gbk} >= {"gbk-header", "gbk-meta", "gbk-wrong-header"}
    targets = [t for t in farm.targets() if t.key in {g.key for g in gbk}]
    scans = asyncio.run(_scan(targets, farm))
    for truth, scan in zip(gbk, scans, strict=True):
        names = {c.url: c.name for c in scan.columns}
        for column in truth.columns:
            if column.state is not None:
                assert names.get(column.url) == column.name, (truth.encoding, column.url)


def test_max_columns_and_the_link_cap(farm: Farm) -> None:
    (target,) = _targets(farm, "clean")
    events: list[ScanEvent] = []

    async def run() -> TargetScan:
        async with fetcher() as f:
            return await scan_target(
                target,
                f,
                profile=farm.profile,
                as_of=AS_OF,
                on_event=events.append,
                max_columns=2,
                max_links=5,
            )

    farm.reset_stats()
    scan = asyncio.run(run())
    assert len(scan.columns) == 2
    summary = [e.detail for e in events if e.kind == "progress" and "links" in e.detail]
    assert summary and "checked 5 links" in summary[0] and "skipped" in summary[0]
    host = target.url.split("//")[1].split(":")[0] if target.url else ""
    heads = [r for r in farm.requests if r.method == "HEAD" and r.host == host]
    assert len(heads) <= 5


def test_without_link_checks_only_pages_are_fetched(farm: Farm) -> None:
    (target,) = _targets(farm, "broken")

    async def run() -> TargetScan:
        async with fetcher() as f:
            return await scan_target(
                target, f, profile=farm.profile, as_of=AS_OF, check_links=False
            )

    farm.reset_stats()
    scan = asyncio.run(run())
    assert not any(r.method == "HEAD" for r in farm.requests)
    kinds = Counter(h.kind for h in scan.hints)
    assert kinds["broken_link"] == 1  # the dead column page itself, fetched as a page
    assert "broken_image" not in kinds


def test_a_bug_in_one_site_does_not_stop_the_sample(
    farm: Farm, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = _targets(farm, "clean", "blank")
    real = crawl.parse_home
    broken_url = targets[0].url

    def parse_home(html: str, url: str, **kw: Any) -> Any:
        if url == broken_url:
            raise RuntimeError("parser bug")
        return real(html, url, **kw)

    monkeypatch.setattr(crawl, "parse_home", parse_home)
    first, second = asyncio.run(_scan(targets, farm))
    assert first.error == "RuntimeError: parser bug"
    assert not second.error and second.columns


def test_a_bug_on_one_column_page_keeps_the_rest_of_the_site(
    farm: Farm, monkeypatch: pytest.MonkeyPatch
) -> None:
    (target,) = _targets(farm, "clean")
    truth = next(t for t in farm.ground_truth.values() if t.key == target.key)
    bad = truth.columns[0].url
    real = crawl.parse_list

    def parse_list(html: str, url: str, **kw: Any) -> Any:
        if url == bad:
            raise ValueError("list parser bug")
        return real(html, url, **kw)

    monkeypatch.setattr(crawl, "parse_list", parse_list)
    (scan,) = asyncio.run(_scan([target], farm))
    assert scan.error == f"column {bad}: ValueError: list parser bug"
    states = {c.url: c.state for c in scan.columns}
    assert states[bad] == "unknown"
    assert sum(state == "fresh" for state in states.values()) >= 3


def test_decoding_and_parsing_never_run_on_the_event_loop(
    farm: Farm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop is the GUI's loop in the app: CPU-heavy work must run in worker threads.

    Checked by where the work runs rather than by timing it, so the test cannot flake on a busy
    machine; the stall figures themselves belong to a bench script.
    """
    targets = _targets(farm, "clean", "homepage_stale", "columns_stale", "broken", "pagination")
    threads: dict[str, set[int]] = {}

    def recorded(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            threads.setdefault(name, set()).add(threading.get_ident())
            return func(*args, **kwargs)

        return wrapper

    for name in ("decode_html", "parse_home", "parse_list"):
        monkeypatch.setattr(crawl, name, recorded(name, getattr(crawl, name)))

    async def run() -> int:
        async with fetcher() as f:
            await scan_targets(targets, f, profile=farm.profile, as_of=AS_OF)
        return threading.get_ident()

    loop_thread = asyncio.run(run())
    assert set(threads) == {"decode_html", "parse_home", "parse_list"}
    assert all(loop_thread not in idents for idents in threads.values()), threads


# ── accounts and odd targets ───────────────────────────────────────────────────────────────────


def test_accounts_are_visited_once_and_never_crawled_like_sites(farm: Farm) -> None:
    url = farm.urls[0]
    without = Target(
        key=account_key("wechat", "gh_1", None),
        kind=Kind.NEW_MEDIA,
        name="某市发布",
        platform="wechat",
        account_id="gh_1",
    )
    with_url = Target(
        key=account_key("weibo", "123", None),
        kind=Kind.NEW_MEDIA,
        name="某市发布微博",
        url=url,
        platform="weibo",
        account_id="123",
    )
    no_url = Target(key="url:x", kind=Kind.WEBSITE, name="无网址")
    farm.reset_stats()
    a, b, c = asyncio.run(_scan([without, with_url, no_url], farm))
    assert (a.kind, a.platform, a.latest_post, a.hints, a.pages_fetched) == (
        "new_media",
        "wechat",
        None,
        [],
        0,
    )
    assert b.reachable and b.status == 200 and b.hints == [] and b.columns == []
    assert len(farm.requests) == 1  # only the account URL, once
    assert c.error == "no URL" and not c.reachable
    entry = to_json(AS_OF, [a])["targets"][0]
    assert entry["platform"] == "wechat" and entry["latest_post"] is None
    assert "columns" not in entry


def test_tls_failure_is_a_finding_and_the_page_is_read_anyway(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.7")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    page = (
        '<html><head><meta charset="utf-8"><meta name="SiteIDCode" content="4600000001">'
        "<title>证书测试</title></head><body><ul class='nav'><li><a href='/tzgg/'>通知公告</a></li>"
        "</ul><div class='footer'>琼ICP备05000000号 琼公网安备 46010002000000号</div></body></html>"
    ).encode()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await reader.readline() not in (b"\r\n", b""):
            pass
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n"
            + f"content-length: {len(page)}\r\nconnection: close\r\n\r\n".encode()
            + page
        )
        await writer.drain()
        writer.close()

    async def run() -> TargetScan:
        server = await asyncio.start_server(handle, "127.0.0.7", 0, ssl=context)
        port = server.sockets[0].getsockname()[1]
        url = f"https://127.0.0.7:{port}/"
        target = Target(key=website_key(None, url), kind=Kind.WEBSITE, name="证书", url=url)
        f = Fetcher(
            make_client(trust_env=False), limits(), insecure_client=make_client(verify=False)
        )
        async with server, f:
            return await scan_target(target, f, profile=load_profile(DEFAULT_PROFILE), as_of=AS_OF)

    scan = asyncio.run(run())
    kinds = Counter(h.kind for h in scan.hints)
    assert scan.reachable and kinds["tls_error"] == 1, scan.hints
    tls = next(h for h in scan.hints if h.kind == "tls_error")
    assert "read without verification" in tls.detail
    assert [c.name for c in scan.columns] == ["通知公告"]


# ── output ─────────────────────────────────────────────────────────────────────────────────────


def _keys_match(example: Any, actual: Any, where: str) -> None:
    if isinstance(example, dict):
        assert isinstance(actual, dict), where
        missing = set(example) - set(actual)
        assert not missing, f"{where}: missing {missing}"
        for key, value in example.items():
            if key in ("columns", "hints", "targets") and not actual[key]:
                continue
            _keys_match(value, actual[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(actual, list), where
        for item in actual:
            _keys_match(example[0], item, f"{where}[]")
    elif isinstance(example, bool):
        assert isinstance(actual, bool), where
    elif isinstance(example, int):
        assert actual is None or isinstance(actual, int), where
    else:
        assert actual is None or isinstance(actual, str), where


def test_json_has_the_shape_of_the_product_example(farm: Farm, tmp_path: Path) -> None:
    targets = _targets(farm, "columns_stale", "broken", "unreachable_refused", "blank")
    scans = asyncio.run(_scan(targets, farm))
    data = to_json(AS_OF, scans)
    _keys_match(PRODUCT_EXAMPLE, data, "$")
    assert data["as_of"] == "2025-06-14"
    columns = [c for t in data["targets"] for c in t["columns"]]
    hints = [h for t in data["targets"] for h in t["hints"]]
    assert {c["state"] for c in columns} >= {"fresh", "stale", "blank", "unknown"}
    assert {c["kind"] for c in columns} >= {"news", "notice"}
    assert all(c["latest"] is None or date.fromisoformat(c["latest"]) for c in columns)
    assert {"column_stale", "broken_link", "unreachable", "column_blank"} <= {
        h["kind"] for h in hints
    }
    assert all(set(h) == set(PRODUCT_EXAMPLE["targets"][0]["hints"][0]) for h in hints)
    # written atomically, and read back the same
    out = tmp_path / "scan.json"
    out.write_text("old", encoding="utf-8")
    write_json(out, AS_OF, scans)
    assert json.loads(out.read_text(encoding="utf-8")) == data
    assert [p.name for p in tmp_path.iterdir()] == ["scan.json"]


def test_store_scans_adds_unknown_targets_and_never_duplicates(farm: Farm, tmp_path: Path) -> None:
    targets = _targets(farm, "broken", "identity")
    scans = asyncio.run(_scan(targets, farm))
    path = tmp_path / "f.sqlite"
    with FindingsFile.create(
        path, quarter="2025Q2", inspector="张三", profile_id=DEFAULT_PROFILE
    ) as findings:
        findings.add_targets(targets[:1], who="张三")
        first = store_scans(findings, scans, source="scan 2025-06-14", as_of=AS_OF)
        assert first == sum(len(s.hints) for s in scans) > 0
        store_scans(findings, scans, source="scan 2025-06-14", as_of=AS_OF)
        stored = findings.hints()
        assert len(stored) == first
        assert {t.key for t in findings.targets()} == {t.key for t in targets}
        assert all(h.as_of == "2025-06-14" and h.source == "scan 2025-06-14" for h in stored)
        assert any(e.action == "add_target" for e in findings.audit_log())
