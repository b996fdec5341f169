"""W-V2 probes: one visit judged, a series summarised by hand, and simulated weeks run against real
loopback servers (one up, one refusing connections, one that never answers, one failing 10 % of
the time) with an injected clock, including a restart in the middle and merging probe files."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import itertools
import math
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from inspector.cli import main
from inspector.profiles import Profile, load_profile
from inspector.scan.fetch import Fetcher
from inspector.scan.model import FetchError, FetchResult
from inspector.scan.probe import (
    ProbeRules,
    ProbeSummary,
    classify,
    next_visit,
    probe_fetcher,
    run_probes,
    summarise,
)
from inspector.store import FindingsFile, Probe
from inspector.targets import Kind, Target

CST = timezone(timedelta(hours=8))
NATIONAL = load_profile("national-2019")


def with_rules(profile: Profile, **thresholds: Any) -> Profile:
    """A copy of ``profile`` with some W-V2 thresholds changed (a province's variant)."""
    old = profile.indicator("W-V2")
    new = replace(old, thresholds=MappingProxyType({**old.thresholds, **thresholds}))
    return replace(
        profile, indicators=tuple(new if i.id == "W-V2" else i for i in profile.indicators)
    )


def result(
    status: int | None = 200,
    *,
    error: FetchError | None = None,
    elapsed_ms: int = 120,
    tls_unverified: bool = False,
) -> FetchResult:
    return FetchResult(
        url="http://a.gov.cn/",
        final_url="http://a.gov.cn/",
        status=status,
        error=error,
        elapsed_ms=elapsed_ms,
        tls_unverified=tls_unverified,
    )


# --- one visit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fetched", "ok", "outcome"),
    [
        (result(200), True, "ok"),
        (result(301), True, "ok"),
        (result(None, error=FetchError.DNS), False, "dns"),
        (result(None, error=FetchError.CONNECT), False, "tcp"),
        (result(None, error=FetchError.TLS), False, "tls"),
        (result(None, error=FetchError.TIMEOUT), False, "timeout"),
        (result(None, error=FetchError.PROTOCOL), False, "http"),
        (result(None, error=FetchError.REDIRECT_LOOP), False, "redirect_loop"),
        (result(500), False, "http_5xx"),
        (result(503), False, "http_5xx"),
        # Answered, but slower than the rule allows: "超过（含）15秒" includes exactly 15 s.
        (result(200, elapsed_ms=15_000), False, "timeout"),
        (result(200, elapsed_ms=14_999), True, "ok"),
        # Opened: the server answered in time; a broken homepage is not W-V2.
        (result(404), True, "http_4xx"),
        (result(410), True, "http_4xx"),
        # Anti-bot answers need a browser check, they are not "inaccessible".
        (result(412), True, "blocked"),
        (result(202), True, "blocked"),
        (result(403), True, "blocked"),
        (result(200, tls_unverified=True), True, "tls_unverified"),
        (result(200, error=FetchError.TOO_LARGE), True, "ok"),
    ],
)
def test_one_visit_is_judged_by_the_opened_within_timeout_rule(
    fetched: FetchResult, ok: bool, outcome: str
) -> None:
    visit = classify(fetched, timeout_seconds=15)
    assert visit is not None
    assert (visit.ok, visit.outcome) == (ok, outcome)
    assert (visit.error is None) == (outcome == "ok" and fetched.error is None)


def test_a_broken_certificate_read_anyway_opened_unless_that_read_failed() -> None:
    # How the fetcher reports a page read without verification after a certificate failure.
    read = replace(
        result(200, error=FetchError.TLS, tls_unverified=True),
        error_detail="certificate expired: certificate has expired",
    )
    assert classify(read, timeout_seconds=15) == classify(read, timeout_seconds=15.0)
    visit = classify(read, timeout_seconds=15)
    assert visit is not None and (visit.ok, visit.outcome) == (True, "tls_unverified")
    failed = replace(
        read,
        status=None,
        error_detail="certificate expired: x; unverified read: timeout: read timed out",
    )
    visit = classify(failed, timeout_seconds=15)
    assert visit is not None and (visit.ok, visit.outcome) == (False, "timeout")
    down = replace(read, status=502)
    visit = classify(down, timeout_seconds=15)
    assert visit is not None and (visit.ok, visit.outcome) == (False, "http_5xx")
    # A handshake that fails outright is a failed visit.
    visit = classify(result(None, error=FetchError.TLS), timeout_seconds=15)
    assert visit is not None and (visit.ok, visit.outcome) == (False, "tls")


def test_a_url_the_fetcher_will_not_visit_is_no_visit_at_all() -> None:
    assert classify(result(None, error=FetchError.UNSUPPORTED), timeout_seconds=15) is None


def test_the_rules_come_from_the_profile() -> None:
    rules = ProbeRules.of(NATIONAL)
    assert rules == ProbeRules(7, 20, Decimal(15), Decimal("0.05"))
    assert rules.nominal_interval == 4320
    province = ProbeRules.of(with_rules(NATIONAL, visits_per_day=24, timeout_seconds=10))
    assert (province.nominal_interval, province.timeout_seconds) == (3600, 10)
    with pytest.raises(ValueError, match="failure_ratio"):
        ProbeRules.of(with_rules(NATIONAL, failure_ratio=Decimal(2)))


# --- a series, by hand -------------------------------------------------------------------------

#: A Monday 09:00 in Beijing.
MONDAY = datetime(2025, 6, 2, 9, 0, tzinfo=CST)


def series(
    count: int,
    *,
    failing: set[int] = frozenset(),
    key: str = "site:a",
    skip: set[int] = frozenset(),
) -> list[Probe]:
    """``count`` visits 72 minutes apart from MONDAY 09:10; visit numbers in ``failing`` failed,
    those in ``skip`` never happened."""
    start = MONDAY + timedelta(minutes=10)
    return [
        Probe(
            target_key=key,
            url="http://a.gov.cn/",
            probed_at=(start + timedelta(minutes=72 * n)).isoformat(),
            ok=n not in failing,
            outcome="timeout" if n in failing else "ok",
            status_code=None if n in failing else 200,
            elapsed_ms=15_000 if n in failing else 80,
            error="timeout" if n in failing else None,
        )
        for n in range(count)
        if n not in skip
    ]


def one(probes: list[Probe], profile: Profile = NATIONAL) -> ProbeSummary:
    [summary] = summarise(probes, profile=profile, now=MONDAY + timedelta(days=30))
    return summary


def test_a_full_week_with_exactly_five_percent_failures_is_vetoed() -> None:
    # 7 days × 20 visits = 140; 7 failures are exactly 5 %: "超过（含）" includes it.
    summary = one(series(140, failing={3, 20, 41, 60, 77, 99, 139}))
    assert summary == ProbeSummary(
        target_key="site:a",
        visits=140,
        failures=7,
        ratio=Decimal("0.0500"),
        days_covered=7,
        visits_per_day=Decimal("20.0"),
        complete=True,
        verdict="veto",
        first="2025-06-02T09:10:00+08:00",
        last="2025-06-09T07:58:00+08:00",
    )


def test_one_failure_fewer_is_ok() -> None:
    summary = one(series(140, failing={3, 20, 41, 60, 77, 99}))
    assert (summary.failures, summary.ratio, summary.verdict) == (6, Decimal("0.0429"), "ok")


def test_a_day_with_one_visit_missing_does_not_count_so_the_week_is_not_complete() -> None:
    # Visit 50 (day 3) never happened: that day has 19 visits, so only 6 complete days; a
    # series that is 70 % failures still cannot be vetoed yet.
    summary = one(series(140, failing=set(range(0, 140, 2)) | {1, 3}, skip={50}))
    assert (summary.visits, summary.days_covered, summary.complete) == (139, 6, False)
    assert summary.verdict == "insufficient"
    # One more day of visits makes it complete.
    longer = one(series(160, failing=set(range(0, 160, 2)), skip={50}))
    assert (longer.days_covered, longer.complete, longer.verdict) == (7, True, "veto")


def test_one_visit_never_decides() -> None:
    summary = one(series(1, failing={0}))
    assert (summary.visits, summary.failures, summary.ratio) == (1, 1, Decimal("1.0000"))
    assert (summary.days_covered, summary.complete, summary.verdict) == (0, False, "insufficient")
    assert summary.visits_per_day == Decimal("20.0")  # one visit in one 72-minute slot


def test_a_dense_but_short_series_is_not_complete() -> None:
    # 200 visits in one day (someone probed every 7 minutes) are not a week.
    start = MONDAY
    probes = [
        Probe("site:a", "http://a.gov.cn/", (start + timedelta(minutes=7 * n)).isoformat(),
              False, "tcp", None, 3, "tcp")
        for n in range(200)
    ]  # fmt: skip
    summary = one(probes)
    assert (summary.days_covered, summary.complete, summary.verdict) == (1, False, "insufficient")


def test_answers_with_error_pages_are_counted_apart_not_as_failures() -> None:
    probes = series(140)
    probes[5] = replace(probes[5], outcome="http_4xx", status_code=404)
    probes[6] = replace(probes[6], outcome="blocked", status_code=412)
    summary = one(probes)
    assert (summary.failures, summary.http_errors, summary.blocked) == (0, 1, 1)
    assert summary.verdict == "ok"


def test_future_probes_and_duplicates_are_left_out_and_missing_sites_listed() -> None:
    probes = series(10) + series(10) + series(3, key="site:b")
    skewed = replace(probes[0], probed_at=(MONDAY + timedelta(days=400)).isoformat())
    found = summarise(
        [*probes, skewed], profile=NATIONAL, now=MONDAY + timedelta(days=1), keys=["site:c"]
    )
    assert [(s.target_key, s.visits) for s in found] == [
        ("site:c", 0),
        ("site:a", 10),
        ("site:b", 3),
    ]
    assert found[0].verdict == "insufficient"


def test_a_province_with_other_thresholds_is_judged_by_its_own() -> None:
    # A province that monitors 3 days and vetoes at 10 %: the same 60 visits with 5 failures
    # (8.3 %) are a veto nationally once complete, but fine there.
    province = with_rules(NATIONAL, monitor_days=3, failure_ratio=Decimal("0.1"))
    probes = series(60, failing={1, 2, 3, 4, 5})
    assert one(probes, province).verdict == "ok"
    assert one(probes).verdict == "insufficient"


# --- the schedule ------------------------------------------------------------------------------


@given(
    now=st.floats(min_value=1.7e9, max_value=1.8e9),
    since=st.one_of(st.none(), st.floats(min_value=0, max_value=3 * 4320)),
    phase=st.floats(min_value=0.1, max_value=0.9),
    key=st.text(min_size=1, max_size=8),
)
def test_next_visit_is_one_per_slot_spaced_and_never_in_the_past(
    now: float, since: float | None, phase: float, key: str
) -> None:
    interval = 4320.0
    last = None if since is None else now - since
    planned = next_visit(key, phase, interval=interval, now=now, last=last)
    assert planned >= now
    slot = math.floor(planned / interval)
    assert planned - slot * interval >= 0.02 * interval * 0.999  # away from the slot edges
    assert (slot + 1) * interval - planned >= 0.02 * interval * 0.999
    if last is not None:
        assert slot != math.floor(last / interval)
        assert planned - last >= 0.5 * interval - 1e-6
        # "At intervals": never more than two slots' wait.
        assert planned - max(now, last) <= 2 * interval


def test_a_restart_plans_the_same_moment_again() -> None:
    slot_start = math.floor(MONDAY.timestamp() / 4320) * 4320
    first = next_visit("site:a", 0.3, interval=4320, now=slot_start + 10, last=None)
    again = next_visit("site:a", 0.3, interval=4320, now=slot_start + 600, last=None)
    assert first == again
    # Once that moment has passed (a restart late in the slot), the visit moves into what is
    # left of the slot instead of waiting for the next one.
    late = next_visit("site:a", 0.3, interval=4320, now=first + 1, last=None)
    assert first + 1 <= late < slot_start + 4320


# --- real servers, simulated weeks -------------------------------------------------------------


@dataclass
class Servers:
    """Loopback servers in the test's own event loop, and their request counts."""

    up: str
    refusing: str
    hanging: str
    flapping: str
    requests: dict[str, int]


async def _read_head(reader: asyncio.StreamReader) -> bool:
    try:
        await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return False
    return True


@contextlib.asynccontextmanager
async def loopback_servers() -> AsyncIterator[Servers]:
    requests = {"up": 0, "hanging": 0, "flapping": 0}
    stop = asyncio.Event()
    handlers: set[asyncio.Task[None]] = set()

    def answering(name: str) -> Any:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            handlers.add(task)
            try:
                while await _read_head(reader):
                    requests[name] += 1
                    if name == "hanging":
                        await stop.wait()  # accepts and reads, never answers
                        return
                    # Every tenth request fails: the flapping site is down 10 % of the time.
                    failing = name == "flapping" and requests[name] % 10 == 0
                    status = b"503 Service Unavailable" if failing else b"200 OK"
                    body = "<html><title>政府网站</title></html>".encode()
                    writer.write(
                        b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
                        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                    )
                    await writer.drain()
            except ConnectionError:
                pass
            finally:
                writer.close()
                handlers.discard(task)

        return handle

    servers = [
        await asyncio.start_server(answering(name), "127.0.0.1", 0, backlog=128)
        for name in ("up", "hanging", "flapping")
    ]
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    # Bound but not listening: connections to it are refused, and no one else can take the port.
    refusing = socket.socket()
    refusing.bind(("127.0.0.1", 0))
    try:
        yield Servers(
            up=f"http://127.0.0.1:{ports[0]}/",
            refusing=f"http://127.0.0.1:{refusing.getsockname()[1]}/",
            hanging=f"http://127.0.0.1:{ports[1]}/",
            flapping=f"http://127.0.0.1:{ports[2]}/",
            requests=requests,
        )
    finally:
        stop.set()
        refusing.close()
        for server in servers:
            server.close()
            await server.wait_closed()
        await asyncio.gather(*handlers, return_exceptions=True)


def site(name: str, url: str) -> Target:
    return Target(key=f"url:{name}", kind=Kind.WEBSITE, name=name, url=url)


class SimClock:
    """Simulated time: ``sleep`` moves the clock on at once, so a week passes in seconds.

    ``stop_after`` cancels ``task`` once the clock passes it, as Ctrl+C would.
    """

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.task: asyncio.Task[Any] | None = None
        self.stop_after: datetime | None = None

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        if self.stop_after is not None and self.now >= self.stop_after and self.task is not None:
            self.task.cancel()
        await asyncio.sleep(0)


@contextlib.contextmanager
def findings_file(path: Path) -> Iterator[FindingsFile]:
    if path.exists():
        opened = FindingsFile.open(path)
    else:
        opened = FindingsFile.create(
            path, quarter="2025Q2", inspector="probe", profile_id="national-2019"
        )
    with opened as findings:
        yield findings


def in_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in a fresh event loop (the suite has no async pytest plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(asyncio.wait_for(test(*args, **kwargs), timeout=120))

    return run


def make_fetcher(timeout: float) -> Fetcher:
    """The real fetcher, with the probe's settings (one attempt, the rule's timeout)."""
    return probe_fetcher(timeout)


#: A quick week for servers that hang: 4 visits a day (6 h apart), a 0.3 s "15 s rule".
QUICK = with_rules(NATIONAL, visits_per_day=4, timeout_seconds=Decimal("0.3"))


def slots(probes: list[Probe], interval: float) -> list[int]:
    return [math.floor(datetime.fromisoformat(p.probed_at).timestamp() / interval) for p in probes]


@in_loop
async def test_a_simulated_week_judges_each_kind_of_site(tmp_path: Path) -> None:
    async with loopback_servers() as servers:
        targets = [
            site("up", servers.up),
            site("refusing", servers.refusing),
            site("hanging", servers.hanging),
            site("flapping", servers.flapping),
        ]
        clock = SimClock(MONDAY + timedelta(minutes=17))
        seen: list[Probe] = []
        async with make_fetcher(0.3) as fetcher:
            with findings_file(tmp_path / "probe.sqlite") as findings:
                summaries = await run_probes(
                    targets,
                    findings,
                    fetcher,
                    profile=QUICK,
                    clock=clock,
                    sleep=clock.sleep,
                    on_visit=lambda _t, p: seen.append(p),
                )
                stored = findings.probes()
    by_key = {s.target_key: s for s in summaries}
    # Without --until the run stops when every series is complete: 7 days × 4 visits.
    assert [s.visits for s in summaries] == [28, 28, 28, 28]
    assert all(s.complete and s.days_covered == 7 for s in summaries)
    assert by_key["url:up"].verdict == "ok"
    assert by_key["url:up"].failures == 0
    assert by_key["url:refusing"].failures == 28
    assert {p.outcome for p in stored if p.target_key == "url:refusing"} == {"tcp"}
    assert {p.outcome for p in stored if p.target_key == "url:hanging"} == {"timeout"}
    assert by_key["url:hanging"].verdict == by_key["url:refusing"].verdict == "veto"
    # Requests 10 and 20 of the flapping site failed: 2 of 28 = 7.14 % ≥ 5 %.
    assert (by_key["url:flapping"].failures, by_key["url:flapping"].ratio) == (
        2,
        Decimal("0.0714"),
    )
    assert by_key["url:flapping"].verdict == "veto"
    assert servers.requests["flapping"] == servers.requests["up"] == 28
    assert len(seen) == len(stored) == 4 * 28
    for target in targets:
        mine = [p for p in stored if p.target_key == target.key]
        assert len(set(slots(mine, 6 * 3600))) == 28  # one visit per slot
        times = [datetime.fromisoformat(p.probed_at) for p in mine]
        gaps = [(b - a).total_seconds() / 3600 for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 3 and max(gaps) <= 12  # "at intervals"
    # Sites are spread over the interval, not all hit at once.
    firsts = sorted({p.probed_at for p in stored[:4]})
    assert len(firsts) == 4


@in_loop
async def test_a_national_week_twenty_visits_a_day(tmp_path: Path) -> None:
    async with loopback_servers() as servers:
        targets = [
            site("up", servers.up),
            site("refusing", servers.refusing),
            site("flapping", servers.flapping),
        ]
        clock = SimClock(MONDAY + timedelta(hours=3, minutes=5))
        async with make_fetcher(15) as fetcher:
            with findings_file(tmp_path / "probe.sqlite") as findings:
                summaries = await run_probes(
                    targets, findings, fetcher, profile=NATIONAL, clock=clock, sleep=clock.sleep
                )
                stored = findings.probes()
    assert [(s.visits, s.days_covered, s.visits_per_day) for s in summaries] == [
        (140, 7, Decimal("20.0"))
    ] * 3
    assert [(s.failures, s.verdict) for s in summaries] == [
        (0, "ok"),
        (140, "veto"),
        (14, "veto"),
    ]
    for target in targets:
        mine = slots([p for p in stored if p.target_key == target.key], 4320)
        assert len(set(mine)) == len(mine) == 140
        assert mine == list(range(mine[0], mine[0] + 140))  # no slot skipped


@in_loop
async def test_a_restart_continues_the_series_without_double_visits(tmp_path: Path) -> None:
    path = tmp_path / "probe.sqlite"
    async with loopback_servers() as servers:
        targets = [
            site("up", servers.up),
            site("hanging", servers.hanging),
            site("flapping", servers.flapping),
        ]
        clock = SimClock(MONDAY + timedelta(minutes=17))
        async with make_fetcher(0.3) as fetcher:
            # First run: Ctrl+C two and a half days in.
            clock.stop_after = MONDAY + timedelta(days=2, hours=12)
            with findings_file(path) as findings:
                clock.task = asyncio.create_task(
                    run_probes(
                        targets, findings, fetcher, profile=QUICK, clock=clock, sleep=clock.sleep
                    )
                )
                with pytest.raises(asyncio.CancelledError):
                    await clock.task
            with findings_file(path) as findings:
                before = findings.probes()
            assert 8 <= len(before) / 3 <= 11
            # Restarted at once (same slot as the last visits), then twice more within one slot.
            clock.stop_after = None
            for _ in range(2):
                with findings_file(path) as findings:
                    await run_probes(
                        targets,
                        findings,
                        fetcher,
                        profile=QUICK,
                        clock=clock,
                        sleep=clock.sleep,
                        once=True,
                    )
            with findings_file(path) as findings:
                after_once = findings.probes()
                summaries = await run_probes(
                    targets, findings, fetcher, profile=QUICK, clock=clock, sleep=clock.sleep
                )
                stored = findings.probes()
    assert len(after_once) - len(before) <= 3  # --once twice in one slot: at most one visit each
    assert [s.visits for s in summaries] == [28, 28, 28]
    assert all(s.complete for s in summaries)
    assert stored[: len(before)] == before  # the first run's visits are kept as they were
    for target in targets:
        mine = slots([p for p in stored if p.target_key == target.key], 6 * 3600)
        assert len(set(mine)) == len(mine)  # no slot visited twice
        assert mine == list(range(mine[0], mine[0] + 28))  # the series simply continued


@in_loop
async def test_probe_files_merge_without_duplicates(tmp_path: Path) -> None:
    # Two machines probed the same site in turn (Monday to Thursday on one, then on the other);
    # the coordinator adds both files' probes, and one of them twice, into the quarter file.
    async with loopback_servers() as servers:
        targets = [site("flapping", servers.flapping)]
        clock = SimClock(MONDAY + timedelta(minutes=17))
        async with make_fetcher(0.3) as fetcher:
            with findings_file(tmp_path / "a.sqlite") as first:
                await run_probes(
                    targets,
                    first,
                    fetcher,
                    profile=QUICK,
                    until=MONDAY + timedelta(days=3, hours=12),
                    clock=clock,
                    sleep=clock.sleep,
                )
                part_a = first.probes()
            with findings_file(tmp_path / "b.sqlite") as second:
                # The second machine picks up where the first stopped (it was given the first file).
                second.add_targets(targets, who="probe")
                for probe in part_a:
                    second.add_probe(replace(probe, id=None))
                await run_probes(
                    targets, second, fetcher, profile=QUICK, clock=clock, sleep=clock.sleep
                )
                part_b = second.probes()
    with findings_file(tmp_path / "quarter.sqlite") as quarter:
        quarter.add_targets(targets, who="coordinator")
        for probe in [*part_a, *part_b, *part_b]:
            quarter.add_probe(replace(probe, id=None))
        merged = quarter.probes()
    assert len(part_a) == 14
    assert len(merged) == len(part_b) == 28
    [summary] = summarise(merged, profile=QUICK, now=clock())
    assert (summary.visits, summary.failures, summary.verdict) == (28, 2, "veto")


# --- the command -------------------------------------------------------------------------------


class _Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 404 if self.path.startswith("/gone") else 200
        body = "<html><title>政府网站</title></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 64  # the default backlog of 5 drops connections under load
    daemon_threads = True


@pytest.fixture
def web() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 in a thread (the CLI runs its own event loop)."""
    server = _Server(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def sample(tmp_path: Path, web: str) -> Path:
    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))
    port = refused.getsockname()[1]
    refused.close()  # nothing listens there for the short life of the test
    path = tmp_path / "名单.csv"
    path.write_text(
        "名称,网址\n"
        f"海南省人民政府,{web}/\n"
        f"海南省教育厅,{web}/gone/\n"
        f"三亚市人民政府,http://127.0.0.1:{port}/\n"
        "某某公众号,\n",
        encoding="utf-8",
    )
    return path


def test_probe_once_creates_the_file_records_one_visit_per_site_and_prints_the_table(
    tmp_path: Path, sample: Path
) -> None:
    findings = tmp_path / "probe.sqlite"
    runner = CliRunner()
    done = runner.invoke(main, ["probe", str(sample), "--findings", str(findings), "--once"])
    assert done.exit_code == 0, done.output
    assert "海南省人民政府" in done.output and "序列不足 insufficient series" in done.output
    with FindingsFile.open(findings) as opened:
        probes = opened.probes()
        assert len(opened.targets()) == 3  # websites with an address, added to the new file
    assert sorted((p.ok, p.outcome) for p in probes) == [
        (False, "tcp"),
        (True, "http_4xx"),
        (True, "ok"),
    ]
    # Again in the same interval: no second visit.
    again = runner.invoke(main, ["probe", str(sample), "--findings", str(findings), "--once"])
    assert again.exit_code == 0, again.output
    assert "already visited" in again.output
    with FindingsFile.open(findings) as opened:
        assert len(opened.probes()) == 3


def test_probe_refuses_bad_options(tmp_path: Path, sample: Path) -> None:
    findings = str(tmp_path / "probe.sqlite")
    runner = CliRunner()
    both = runner.invoke(
        main,
        [
            "probe",
            str(sample),
            "--findings",
            findings,
            "--days",
            "1",
            "--until",
            "2025-06-09T09:00",
        ],
    )
    assert both.exit_code == 2 and "--until" in both.output
    bad_time = runner.invoke(
        main, ["probe", str(sample), "--findings", findings, "--until", "next monday"]
    )
    assert bad_time.exit_code == 2
    too_fast = runner.invoke(
        main, ["probe", str(sample), "--findings", findings, "--interval", "5"]
    )
    assert too_fast.exit_code == 1 and "--interval" in too_fast.output
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_bytes(b"not a database at all" * 100)
    refused = runner.invoke(main, ["probe", str(sample), "--findings", str(foreign), "--once"])
    assert refused.exit_code == 1 and "Traceback" not in refused.output


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_probe_stops_cleanly_keeping_every_finished_visit(
    tmp_path: Path, sample: Path, stop: signal.Signals
) -> None:
    # A province profile with a 1 s rule, so visits may come every 2 s.
    quick = tmp_path / "quick.toml"
    text = NATIONAL.path.read_text(encoding="utf-8")
    quick.write_text(text.replace("timeout_seconds = 15 ", "timeout_seconds = 1 "), "utf-8")
    findings = tmp_path / "probe.sqlite"
    command = [
        sys.executable, "-c", "from inspector.cli import main; main()", "probe", str(sample),
        "--findings", str(findings), "--interval", "2", "--profile", str(quick),
    ]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert child.stdout is not None
        lines = []
        for line in child.stdout:  # bounded: the child visits a site every second or so
            lines.append(line)
            if sum(" ok " in x for x in lines) >= 2:
                break
        child.send_signal(stop)
        rest, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 130, rest
    assert "stopped; every finished visit is saved" in rest
    assert "结论 verdict" in rest and "Traceback" not in rest
    with FindingsFile.open(findings) as opened:
        assert len(opened.probes()) >= 2
