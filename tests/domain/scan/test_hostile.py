"""Hostile and broken sites, served for real on 127.0.0.1 (issue #3, deliverable 9).

Each case must come back as a FetchResult with the right error, within its time budget, with
memory bounded, and without an exception escaping; the servers are tests/fixtures/hostile.py.
Budgets are shrunk through FetchLimits so the whole file runs in seconds.
"""

from __future__ import annotations

import asyncio
import resource
import socket
import time
import tracemalloc
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from inspector.scan.decode import decode_html
from inspector.scan.fetch import Fetcher, FetchLimits, FetchStats, make_client
from inspector.scan.model import FetchError, FetchResult
from tests.fixtures.hostile import (
    GIB,
    LINKS_PAGE_COUNT,
    MIXED_GBK,
    MIXED_UTF8,
    HostileServer,
    TlsSet,
)

T = TypeVar("T")
MIB = 1024 * 1024
QUICK = FetchLimits(
    connect_timeout=2, read_timeout=2, budget=5, retries=1, backoff=0.05, max_retry_after=3
)


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer(tls=TlsSet.make()) as hostile:
        yield hostile


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.calls.append(delay)


@dataclass
class Run:
    result: FetchResult
    stats: FetchStats
    seconds: float


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def fetch(
    server: HostileServer,
    url: str,
    limits: FetchLimits = QUICK,
    *,
    how: str = "get",
    sleep: FakeSleep | None = None,
    read_insecure: bool = True,
) -> Run:
    async def go() -> Run:
        assert server.tls is not None
        fetcher = Fetcher(
            make_client(verify=server.tls.client, trust_env=False),
            limits,
            insecure_client=make_client(verify=False, trust_env=False),
            sleep=sleep or asyncio.sleep,
        )
        async with fetcher:
            started = time.monotonic()
            if how == "get":
                result = await fetcher.get(url, read_insecure=read_insecure)
            else:
                result = await fetcher.check_link(url)
            return Run(result, fetcher.stats, time.monotonic() - started)

    return run(go())


def with_memory_watch(call: Any) -> tuple[Run, int, int]:
    """Run `call()` and return its Run, the traced Python peak and the growth of the RSS peak."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        outcome = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return outcome, peak, rss_growth


# -- bombs and endless bodies ----------------------------------------------------------------------


def test_a_gzip_bomb_stops_at_the_decompression_cap(server: HostileServer) -> None:
    """10 GiB of zeros behind ~10 MB of gzip: stopped at 20 MiB, memory well under 100 MB."""
    got, peak, rss_growth = with_memory_watch(
        lambda: fetch(server, server.url("/bomb"), FetchLimits(retries=0))
    )
    assert got.result.error is FetchError.TOO_LARGE and got.result.status == 200
    assert got.result.body == b"" and "decompressed" in got.result.error_detail
    assert got.stats.bytes_read < 1 * MIB  # a few dozen kilobytes of gzip did it
    assert got.seconds < 5
    assert peak < 100 * MIB and rss_growth < 100 * MIB


def test_a_one_gigabyte_page_is_kept_truncated(server: HostileServer) -> None:
    got, peak, rss_growth = with_memory_watch(
        lambda: fetch(server, server.url("/big.html"), FetchLimits(retries=0))
    )
    result = got.result
    assert result.error is None and result.ok and result.truncated
    assert len(result.body) == 5 * MIB and result.headers["content-length"] == str(GIB)
    assert got.stats.bytes_read < 6 * MIB
    assert got.seconds < 5
    assert peak < 100 * MIB and rss_growth < 100 * MIB


def test_a_one_gigabyte_binary_is_refused_unread(server: HostileServer) -> None:
    got = fetch(server, server.url("/big.bin"))
    assert got.result.error is FetchError.TOO_LARGE and got.result.body == b""
    assert got.stats.bytes_read == 0 and got.seconds < 2


def test_an_endless_chunked_binary_stops_at_the_cap(server: HostileServer) -> None:
    got, peak, _ = with_memory_watch(
        lambda: fetch(server, server.url("/big-chunked.bin"), FetchLimits(max_body=2 * MIB))
    )
    assert got.result.error is FetchError.TOO_LARGE and got.result.body == b""
    assert got.stats.bytes_read < 3 * MIB and got.seconds < 5 and peak < 100 * MIB


def test_a_body_dripping_a_byte_a_second_is_cut_at_the_budget(server: HostileServer) -> None:
    limits = FetchLimits(read_timeout=10, budget=1.5, retries=2, backoff=0.05)
    got = fetch(server, server.url("/drip"), limits)
    result = got.result
    assert result.error is FetchError.TIMEOUT and "budget" in result.error_detail
    assert result.status == 200 and result.truncated and 1 <= len(result.body) <= 3
    assert result.attempts == 1  # it answered: a retry would drip just the same
    assert 1.4 <= got.seconds < 3


def test_a_drip_slower_than_the_read_timeout_times_out_sooner(server: HostileServer) -> None:
    limits = FetchLimits(read_timeout=0.4, budget=10, retries=0)
    got = fetch(server, server.url("/drip"), limits)
    assert got.result.error is FetchError.TIMEOUT and got.result.error_detail == "read timed out"
    assert 0.3 <= got.seconds < 2


# -- servers that do not answer properly ------------------------------------------------------------


def test_a_server_that_accepts_and_never_answers(server: HostileServer) -> None:
    limits = FetchLimits(read_timeout=0.5, budget=10, retries=1, backoff=0.05)
    got = fetch(server, server.url("/silent"), limits)
    assert got.result.error is FetchError.TIMEOUT and got.result.status is None
    assert got.result.attempts == 2  # no answer at all: worth one more try
    assert 0.95 <= got.seconds < 3


def test_the_budget_bounds_a_silent_server_whatever_the_read_timeout(
    server: HostileServer,
) -> None:
    limits = FetchLimits(read_timeout=60, budget=0.6, retries=0)
    got = fetch(server, server.url("/silent"), limits)
    assert got.result.error is FetchError.TIMEOUT and "budget" in got.result.error_detail
    assert 0.5 <= got.seconds < 2


def test_a_connection_reset(server: HostileServer) -> None:
    got = fetch(server, server.url("/reset"))
    assert got.result.error is FetchError.CONNECT and got.result.status is None
    assert got.result.error_detail in ("connection reset", "connection closed without an answer")
    assert got.result.attempts == 2 and got.seconds < 2


def test_a_connection_closed_without_an_answer(server: HostileServer) -> None:
    got = fetch(server, server.url("/close"))
    assert got.result.error is FetchError.CONNECT and got.seconds < 2


def test_a_refused_connection(server: HostileServer) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connections are refused
        got = fetch(server, f"http://127.0.0.1:{port}/")
    assert (
        got.result.error is FetchError.CONNECT and got.result.error_detail == "connection refused"
    )
    assert got.seconds < 2


def test_a_name_that_does_not_resolve(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the real httpx/anyio stack; the resolver is stubbed so no DNS server is asked."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "no-such-site.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    got = fetch(server, "http://no-such-site.invalid/")
    assert got.result.error is FetchError.DNS and got.result.attempts == 1
    assert "not known" in got.result.error_detail and got.seconds < 2


# -- redirects ------------------------------------------------------------------------------------


def test_a_redirect_loop(server: HostileServer) -> None:
    got = fetch(server, server.url("/loop/a"))
    result = got.result
    assert result.error is FetchError.REDIRECT_LOOP and result.status == 302
    assert [(hop.url, hop.status) for hop in result.redirects] == [
        (server.url("/loop/a"), 302),
        (server.url("/loop/b"), 302),
    ]
    assert got.seconds < 2


def test_a_redirect_chain_is_recorded(server: HostileServer) -> None:
    got = fetch(server, server.url("/chain/6"))
    result = got.result
    assert result.ok and result.final_url == server.url("/chain/0")
    assert [(hop.url, hop.status) for hop in result.redirects] == [
        (server.url(f"/chain/{n}"), (301, 302, 307, 308)[n % 4]) for n in range(6, 0, -1)
    ]


def test_endless_redirects_stop_at_the_limit(server: HostileServer) -> None:
    got = fetch(server, server.url("/many/0"), FetchLimits(max_redirects=10))
    assert got.result.error is FetchError.TOO_MANY_REDIRECTS
    assert len(got.result.redirects) == 11 and got.stats.requests == 11


# -- content ---------------------------------------------------------------------------------------


def test_a_page_in_two_invalid_encodings_decodes_readably(server: HostileServer) -> None:
    got = fetch(server, server.url("/mixed"))
    assert got.result.ok
    decoded = decode_html(got.result.body, got.result.headers["content-type"])
    assert decoded.text.count(MIXED_UTF8) == 30 and decoded.text.count(MIXED_GBK) == 20
    assert "\ufffd" not in decoded.text and decoded.source == "mixed"


def test_twenty_thousand_links_fetch_and_decode_fast(server: HostileServer) -> None:
    started = time.monotonic()
    got = fetch(server, server.url("/links"))
    decoded = decode_html(got.result.body, got.result.headers["content-type"])
    assert got.result.ok and not got.result.truncated
    assert decoded.text.count("<a href=") == LINKS_PAGE_COUNT
    assert f"第{LINKS_PAGE_COUNT - 1}篇" in decoded.text
    assert time.monotonic() - started < 3


# -- TLS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listener", "reason"),
    [
        ("tls-expired", "certificate expired"),
        ("tls-self-signed", "self-signed certificate"),
        ("tls-mismatch", "hostname mismatch"),
        ("tls-untrusted", "untrusted issuer"),
    ],
)
def test_certificate_failures_are_findings_and_the_page_can_still_be_read(
    server: HostileServer, listener: str, reason: str
) -> None:
    got = fetch(server, server.url("/", listener))
    result = got.result
    assert result.error is FetchError.TLS and result.error_detail.startswith(reason)
    assert result.tls_unverified and result.status == 200
    assert "证书有问题的网站" in result.body.decode()
    assert got.seconds < 3

    refused = fetch(server, server.url("/", listener), read_insecure=False).result
    assert refused.error is FetchError.TLS and refused.error_detail.startswith(reason)
    assert refused.status is None and refused.body == b"" and not refused.tls_unverified


def test_a_valid_certificate_is_fine(server: HostileServer) -> None:
    result = fetch(server, server.url("/", "tls-valid")).result
    assert result.ok and not result.tls_unverified


def test_a_tls_handshake_failure(server: HostileServer) -> None:
    """https:// to a server that answers in plain HTTP: no certificate, nothing to read."""
    url = server.url("/ok").replace("http://", "https://")
    got = fetch(server, url)
    assert got.result.error is FetchError.TLS
    assert got.result.error_detail.startswith("handshake failed")
    assert got.result.status is None and not got.result.tls_unverified and got.seconds < 2


# -- politeness -----------------------------------------------------------------------------------


def busy_run(server: HostileServer, limits: FetchLimits, count: int) -> list[FetchResult]:
    deadline = time.monotonic() + 5
    while (
        server.open_connections("busy") and time.monotonic() < deadline
    ):  # earlier clients' hangups
        time.sleep(0.01)
    server.busy_peak = 0

    async def go() -> list[FetchResult]:
        # The client's per-host pools are sized from the same limits, as the CLI does.
        async with Fetcher(make_client(trust_env=False, limits=limits), limits) as fetcher:
            urls = [server.url(f"/p{i}", "busy") for i in range(count)]
            return list(await asyncio.gather(*(fetcher.get(u) for u in urls)))

    return run(go())


def test_the_per_host_cap_keeps_a_fragile_host_happy(server: HostileServer) -> None:
    started = time.monotonic()
    results = busy_run(server, FetchLimits(per_host=4, retries=0), 40)
    assert [r.status for r in results] == [200] * 40
    assert 1 <= server.busy_peak <= server.busy_limit
    assert time.monotonic() - started < 5


def test_requests_to_one_host_reuse_keep_alive_connections() -> None:
    """Link checks are mostly HEADs: each must leave its connection open for the next one (a
    closed one used to cost a new connection per request), so 20 checks of one host, one at a
    time, open one connection."""

    async def go() -> tuple[list[FetchResult], int]:
        accepted = 0

        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal accepted
            accepted += 1
            while await reader.readline():
                while await reader.readline() not in (b"\r\n", b""):
                    pass
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                writer.write(b"Content-Length: 5\r\n\r\n")  # HEAD: announced, not sent
                await writer.drain()
            writer.close()

        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with Fetcher(make_client(trust_env=False), QUICK) as fetcher:
            results = [await fetcher.check_link(f"http://127.0.0.1:{port}/p{i}") for i in range(20)]
        server.close()
        await server.wait_closed()
        return results, accepted

    results, accepted = run(go())
    assert all(r.ok and r.method == "HEAD" and r.attempts == 1 for r in results)
    assert accepted == 1


def test_a_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests skip httpx's client layer for speed, but not the proxy the environment names:
    the proxy gets the request in absolute form (the target is a port nobody listens on)."""
    seen: list[bytes] = []

    async def go() -> FetchResult:
        async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(await reader.readline())
            while await reader.readline() not in (b"\r\n", b""):
                pass
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            writer.write(b"Content-Length: 9\r\nConnection: close\r\n\r\nvia proxy")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(proxy, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        for name in (
            "ALL_PROXY",
            "all_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "NO_PROXY",
            "no_proxy",
        ):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
        async with Fetcher(make_client(), QUICK) as fetcher:
            result = await fetcher.get(f"http://127.0.0.1:{_free_port()}/page")
        server.close()
        await server.wait_closed()
        return result

    result = run(go())
    assert result.ok and result.body == b"via proxy"
    assert seen and seen[0].startswith(b"GET http://127.0.0.1:")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_fragile_host_does_punish_an_impolite_client(server: HostileServer) -> None:
    """The check above has teeth: without the cap the same host answers 503."""
    results = busy_run(server, FetchLimits(per_host=16, retries=0), 32)
    assert server.busy_peak > server.busy_limit
    assert any(r.status == 503 for r in results)


def test_retry_after_is_honoured(server: HostileServer) -> None:
    sleep = FakeSleep()
    got = fetch(server, server.url("/retry/503/a/2"), FetchLimits(retries=2), sleep=sleep)
    assert got.result.ok and got.result.attempts == 3
    assert sleep.calls == [pytest.approx(1, abs=0.1)] * 2
    assert server.hits("/retry/503/a/2") == 3


def test_retry_after_as_a_date_and_on_429(server: HostileServer) -> None:
    sleep = FakeSleep()
    got = fetch(server, server.url("/retry/429/b/1/date"), sleep=sleep)
    assert got.result.ok and got.result.attempts == 2
    assert len(sleep.calls) == 1 and 0 <= sleep.calls[0] <= 3


def test_retry_after_really_waits(server: HostileServer) -> None:
    got = fetch(server, server.url("/retry/503/c/1"))
    assert got.result.ok and got.result.attempts == 2 and 0.95 <= got.seconds < 3


def test_a_503_that_persists_is_the_answer(server: HostileServer) -> None:
    sleep = FakeSleep()
    got = fetch(server, server.url("/always503"), FetchLimits(retries=2), sleep=sleep)
    assert got.result.status == 503 and got.result.error is None and got.result.attempts == 3
    assert len(sleep.calls) == 2


# -- link checks -----------------------------------------------------------------------------------


def test_a_link_refusing_head_is_fine_with_get(server: HostileServer) -> None:
    got = fetch(server, server.url("/head405"), how="check")
    assert got.result.ok and got.result.method == "GET"
    methods = [m for _, m, p in server.log if p == "/head405"]
    assert methods[-2:] == ["HEAD", "GET"]


def test_a_dead_link_is_definite_at_once(server: HostileServer) -> None:
    sleep = FakeSleep()
    got = fetch(server, server.url("/status/404"), how="check", sleep=sleep)
    assert got.result.status == 404 and got.result.attempts == 1 and sleep.calls == []


def test_a_failing_link_is_confirmed_before_it_is_reported(server: HostileServer) -> None:
    sleep = FakeSleep()
    before = server.hits("/status/500")
    got = fetch(server, server.url("/status/500"), how="check", sleep=sleep)
    assert got.result.status == 500 and got.result.attempts == 2 and len(sleep.calls) == 1
    assert server.hits("/status/500") - before == 3  # HEAD, GET, and the GET that confirms


def test_a_silent_link_is_tried_twice_then_reported(server: HostileServer) -> None:
    limits = FetchLimits(read_timeout=0.3, budget=5, backoff=0.05)
    got = fetch(server, server.url("/silent"), limits, how="check")
    assert got.result.error is FetchError.TIMEOUT and got.result.attempts == 2
    assert got.seconds < 2


# -- all at once --------------------------------------------------------------------------------


def test_a_scan_over_every_hostile_site_completes(server: HostileServer) -> None:
    """One fetcher, everything at once: every URL gets its result and nothing escapes."""
    assert server.tls is not None
    urls = [
        server.url(path)
        for path in (
            "/bomb",
            "/big.html",
            "/big.bin",
            "/big-chunked.bin",
            "/drip",
            "/silent",
            "/reset",
            "/close",
            "/loop/a",
            "/many/0",
            "/mixed",
            "/links",
            "/chain/4",
            "/always503",
        )
    ]
    urls += [server.url("/", name) for name in server.tls.servers]
    urls.append(server.url("/ok").replace("http://", "https://"))
    limits = FetchLimits(read_timeout=1, budget=1.5, retries=1, backoff=0.05, max_retry_after=0.1)

    async def go() -> list[FetchResult]:
        async with Fetcher(
            make_client(verify=server.tls.client if server.tls else True, trust_env=False),
            limits,
            insecure_client=make_client(verify=False, trust_env=False),
        ) as fetcher:
            links = [fetcher.check_link(u) for u in urls]
            pages = [fetcher.get(u) for u in urls]
            return list(await asyncio.gather(*pages, *links))

    started = time.monotonic()
    results = run(go())
    assert len(results) == 2 * len(urls)
    assert time.monotonic() - started < 8
    by_url = {r.url: r for r in results[: len(urls)]}
    assert by_url[server.url("/bomb")].error is FetchError.TOO_LARGE
    assert by_url[server.url("/drip")].error is FetchError.TIMEOUT
    assert by_url[server.url("/silent")].error is FetchError.TIMEOUT
    assert by_url[server.url("/loop/a")].error is FetchError.REDIRECT_LOOP
    assert by_url[server.url("/links")].ok and by_url[server.url("/mixed")].ok
