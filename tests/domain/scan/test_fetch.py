"""The fetch layer's rules, one at a time, on httpx.MockTransport (issue #3, deliverable 1).

Retries, backoff, Retry-After, redirects, caps, decompression, error classification and the
politeness caps are checked here without a network; tests/domain/scan/test_hostile.py does the
same against real misbehaving servers on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import gzip
import random
import socket
import ssl
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.scan import fetch
from inspector.scan.fetch import (
    ACCEPT_ENCODING,
    USER_AGENT,
    Fetcher,
    FetchLimits,
    make_client,
    parse_retry_after,
)
from inspector.scan.model import FetchError, FetchResult, Redirect

T = TypeVar("T")
Handler = Callable[[httpx.Request], Any]
FAST = FetchLimits(retries=2, backoff=0.5, budget=5, connect_timeout=1, read_timeout=2)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


class FakeSleep:
    """Records the pauses the fetcher asks for instead of waiting them out."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.calls.append(delay)


def mock_client(handler: Handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=False)


async def fetch_with(
    handler: Handler,
    url: str = "http://site.test/",
    *,
    limits: FetchLimits = FAST,
    method: str = "get",
    sleep: FakeSleep | None = None,
    insecure: Handler | None = None,
    read_insecure: bool = True,
) -> tuple[FetchResult, Fetcher]:
    fetcher = Fetcher(
        mock_client(handler),
        limits,
        insecure_client=mock_client(insecure) if insecure else None,
        sleep=sleep or FakeSleep(),
    )
    async with fetcher:
        if method == "get":
            result = await fetcher.get(url, read_insecure=read_insecure)
        elif method == "head":
            result = await fetcher.head(url)
        else:
            result = await fetcher.check_link(url)
    return result, fetcher


def page(status: int = 200, body: bytes = b"<html>ok</html>", **headers: str) -> httpx.Response:
    """An answer; compressed bodies are streamed so httpx does not decode them on creation."""
    merged = {"content-type": "text/html; charset=utf-8"}
    merged.update({k.replace("_", "-"): v for k, v in headers.items()})
    if "content-encoding" in merged:
        return httpx.Response(status, headers=merged, content=pieces(body))
    return httpx.Response(status, headers=merged, content=body)


async def pieces(body: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def answer_with(body: bytes, **headers: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return page(200, body, **headers)

    return handler


def raising(exc: BaseException) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def wrapped(outer: type[httpx.TransportError], cause: BaseException) -> httpx.TransportError:
    """An httpx error carrying a low-level cause, as httpcore raises them."""
    try:
        raise outer("failed") from cause
    except httpx.TransportError as exc:
        return exc


# -- the client ---------------------------------------------------------------------------------


def test_make_client_is_set_up_for_scanning() -> None:
    async def check() -> None:
        async with make_client(trust_env=False) as client:
            assert client.headers["user-agent"] == USER_AGENT
            assert client.headers["accept-encoding"] == ACCEPT_ENCODING
            assert "zh-CN" in client.headers["accept-language"]
            assert client.follow_redirects is False
            assert client.trust_env is False
        async with make_client() as client:
            assert client.trust_env is True  # proxies come from the environment

    run(check())
    USER_AGENT.encode("ascii")  # header values must be ASCII


def test_requests_carry_our_user_agent_and_only_encodings_we_decode() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return page()

    run(fetch_with(handler))
    assert seen[0].headers["user-agent"] == USER_AGENT
    assert seen[0].headers["accept-encoding"] == ACCEPT_ENCODING
    assert "zstd" not in ACCEPT_ENCODING


def test_a_plain_answer_is_recorded_whole() -> None:
    result, fetcher = run(fetch_with(lambda r: page(body="<p>政府</p>".encode(), x_test="1")))
    assert result.ok and result.status == 200 and result.error is None
    assert result.body == "<p>政府</p>".encode()
    assert result.headers["x-test"] == "1"
    assert result.content_type == "text/html"
    assert result.final_url == result.url == "http://site.test/"
    assert result.attempts == 1 and result.method == "GET" and not result.truncated
    assert fetcher.stats.requests == 1 and fetcher.stats.bytes_read == len(result.body)


# -- redirects ----------------------------------------------------------------------------------


def test_a_redirect_chain_is_followed_and_recorded() -> None:
    routes = {
        "/a": page(301, location="http://site.test/b"),
        "/b": page(302, location="/c?x=1"),  # relative
        "/c": page(307, location="http://other.test/d#frag"),
        "/d": page(body=b"final"),
    }
    result, _ = run(fetch_with(lambda r: routes[r.url.path], "http://site.test/a"))
    assert result.status == 200 and result.body == b"final"
    assert result.redirects == (
        Redirect("http://site.test/a", 301),
        Redirect("http://site.test/b", 302),
        Redirect("http://site.test/c?x=1", 307),
    )
    assert result.final_url == "http://other.test/d"


def test_head_stays_head_across_redirects() -> None:
    methods: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        methods.append(request.method)
        if request.url.path == "/a":
            return page(303, location="/b")
        return page()

    result, _ = run(fetch_with(handler, "http://site.test/a", method="head"))
    assert result.ok and result.method == "HEAD" and methods == ["HEAD", "HEAD"]


def test_a_redirect_loop_is_caught() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return page(302, location="/b" if request.url.path == "/a" else "/a")

    result, fetcher = run(fetch_with(handler, "http://site.test/a"))
    assert result.error is FetchError.REDIRECT_LOOP and not result.ok
    assert [hop.url for hop in result.redirects] == ["http://site.test/a", "http://site.test/b"]
    assert fetcher.stats.requests == 2


def test_a_self_redirect_setting_a_cookie_is_not_a_loop() -> None:
    """WAFs send the browser back to the same URL with a cookie; the second visit passes."""

    def handler(request: httpx.Request) -> httpx.Response:
        if "pass=1" in request.headers.get("cookie", ""):
            return page(body=b"inside")
        return page(302, location="/", set_cookie="pass=1; Path=/")

    result, _ = run(fetch_with(handler))
    assert result.ok and result.body == b"inside" and len(result.redirects) == 1


def test_too_many_redirects_stop_at_the_limit() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.path.strip("/") or 0)
        return page(302, location=f"/{hop + 1}")

    limits = FetchLimits(max_redirects=3)
    result, fetcher = run(fetch_with(handler, "http://site.test/0", limits=limits))
    assert result.error is FetchError.TOO_MANY_REDIRECTS
    assert len(result.redirects) == 4 and fetcher.stats.requests == 4


def test_a_redirect_to_another_scheme_is_unsupported() -> None:
    result, _ = run(fetch_with(lambda r: page(302, location="ftp://files.test/x")))
    assert result.error is FetchError.UNSUPPORTED
    assert result.redirects == (Redirect("http://site.test/", 302),)


def test_a_redirect_without_location_is_the_answer() -> None:
    result, _ = run(fetch_with(lambda r: page(302)))
    assert result.status == 302 and result.error is None and result.redirects == ()


@pytest.mark.parametrize(
    "url", ["mailto:office@gov.cn", "javascript:void(0)", "ftp://x.test/", "tel:12345", "/relative"]
)
def test_only_http_and_https_are_visited(url: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return page()

    for method in ("get", "head", "check"):
        result, fetcher = run(fetch_with(handler, url, method=method))
        assert result.error is FetchError.UNSUPPORTED and result.status is None
        assert fetcher.stats.requests == 0
    assert calls == []


# -- retries and Retry-After ----------------------------------------------------------------------


def flaky(answers: list[httpx.Response | BaseException]) -> tuple[Handler, list[str]]:
    """A handler answering from a script, then 200; records the methods it saw."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) <= len(answers):
            answer = answers[len(seen) - 1]
            if isinstance(answer, BaseException):
                raise answer
            return answer
        return page()

    return handler, seen


def test_503_with_retry_after_seconds_is_retried_after_that_pause() -> None:
    handler, seen = flaky([page(503, retry_after="3")])
    sleep = FakeSleep()
    result, fetcher = run(fetch_with(handler, sleep=sleep))
    assert result.ok and result.attempts == 2 and len(seen) == 2
    assert sleep.calls == [pytest.approx(3, abs=0.1)]
    assert fetcher.stats.retries == 1


def test_retry_after_as_an_http_date_is_honoured() -> None:
    when = datetime.now(UTC) + timedelta(seconds=6)
    handler, _ = flaky([page(429, retry_after=format_datetime(when, usegmt=True))])
    sleep = FakeSleep()
    result, _ = run(fetch_with(handler, sleep=sleep))
    assert result.ok and len(sleep.calls) == 1
    assert 4 <= sleep.calls[0] <= 6.5


def test_retry_after_is_capped() -> None:
    handler, _ = flaky([page(503, retry_after="86400")])
    sleep = FakeSleep()
    run(fetch_with(handler, sleep=sleep, limits=FetchLimits(max_retry_after=7)))
    assert sleep.calls == [pytest.approx(7, abs=0.1)]


def test_429_without_retry_after_backs_off_exponentially_and_returns_the_last_answer() -> None:
    sleep = FakeSleep()
    result, fetcher = run(fetch_with(lambda r: page(429), sleep=sleep))
    assert result.status == 429 and result.error is None and result.attempts == 3
    assert sleep.calls == [pytest.approx(0.5, abs=0.05), pytest.approx(1.0, abs=0.05)]
    assert fetcher.stats.retries == 2


def test_a_503_that_persists_is_the_final_answer() -> None:
    result, _ = run(fetch_with(lambda r: page(503, retry_after="1")))
    assert result.status == 503 and result.error is None and result.attempts == 3


def test_other_errors_are_not_retried() -> None:
    for status in (404, 500, 502, 403):
        handler, seen = flaky([page(status)])
        result, _ = run(fetch_with(handler))
        assert result.status == status and result.attempts == 1 and len(seen) == 1


def test_connect_errors_back_off_then_succeed() -> None:
    refused = wrapped(httpx.ConnectError, ConnectionRefusedError(111, "refused"))
    handler, seen = flaky([refused])
    sleep = FakeSleep()
    result, _ = run(fetch_with(handler, sleep=sleep))
    assert result.ok and result.attempts == 2 and sleep.calls == [0.5] and len(seen) == 2


def test_connect_errors_that_persist_are_reported() -> None:
    refused = wrapped(httpx.ConnectError, ConnectionRefusedError(111, "refused"))
    sleep = FakeSleep()
    result, _ = run(fetch_with(raising(refused), sleep=sleep))
    assert result.error is FetchError.CONNECT and result.error_detail == "connection refused"
    assert result.status is None and result.attempts == 3 and sleep.calls == [0.5, 1.0]


def test_resets_and_silent_hangups_are_connect_errors() -> None:
    reset = wrapped(httpx.ReadError, ConnectionResetError(104, "reset"))
    result, _ = run(fetch_with(raising(reset), limits=FetchLimits(retries=0)))
    assert result.error is FetchError.CONNECT and result.error_detail == "connection reset"
    hangup = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    result, _ = run(fetch_with(raising(hangup), limits=FetchLimits(retries=0)))
    assert result.error is FetchError.CONNECT


def test_dns_failures_are_told_apart_and_retried_only_when_temporary() -> None:
    unknown = wrapped(httpx.ConnectError, socket.gaierror(socket.EAI_NONAME, "Name unknown"))
    result, _ = run(fetch_with(raising(unknown)))
    assert result.error is FetchError.DNS and result.attempts == 1
    assert "Name unknown" in result.error_detail
    temporary = wrapped(httpx.ConnectError, socket.gaierror(socket.EAI_AGAIN, "Try again"))
    result, _ = run(fetch_with(raising(temporary)))
    assert result.error is FetchError.DNS and result.attempts == 3


def test_timeouts_are_retried_once_with_a_shorter_wait_and_reported() -> None:
    # A timeout gets one retry whatever `retries` says, waiting at most `retry_timeout`: a dead
    # link is only reported once a retry confirms it, and costs 15 s + backoff + 5 s, not 3 × 15 s.
    sleep = FakeSleep()
    timeouts: list[dict[str, float]] = []

    def silent(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        raise httpx.ReadTimeout("slow")

    result, _ = run(fetch_with(silent, limits=FetchLimits(), sleep=sleep))
    assert result.error is FetchError.TIMEOUT and result.error_detail == "read timed out"
    assert result.attempts == 2 and len(sleep.calls) == 1
    assert [t["read"] for t in timeouts] == [15, 5] and [t["connect"] for t in timeouts] == [10, 5]
    result, _ = run(
        fetch_with(raising(httpx.ConnectTimeout("slow")), limits=FetchLimits(retries=0))
    )
    assert result.error is FetchError.TIMEOUT and result.error_detail == "connect timed out"


def test_a_homepage_visit_that_times_out_is_one_failed_visit() -> None:
    # W-V2: a visit fails when the site has not opened after 15 s, and one visit decides
    # nothing, so a retry would only hold the slots longer. Refused connections still retry.
    timeouts: list[dict[str, float]] = []

    def silent(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        raise httpx.ReadTimeout("slow")

    async def visit(handler: Handler, sleep: FakeSleep) -> FetchResult:
        async with Fetcher(mock_client(handler), FetchLimits(), sleep=sleep) as fetcher:
            return await fetcher.get("http://site.test/", visit=True)

    sleep = FakeSleep()
    result = run(visit(silent, sleep))
    assert result.error is FetchError.TIMEOUT and result.attempts == 1 and sleep.calls == []
    assert [t["read"] for t in timeouts] == [15]
    refused = wrapped(httpx.ConnectError, ConnectionRefusedError(111, "refused"))
    handler, seen = flaky([refused])
    result = run(visit(handler, FakeSleep()))
    assert result.ok and result.attempts == 2 and len(seen) == 2


def test_the_budget_cuts_a_hanging_request() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return page()

    limits = FetchLimits(budget=0.2, retries=0)
    result, _ = run(fetch_with(hang, limits=limits))
    assert result.error is FetchError.TIMEOUT and "budget" in result.error_detail
    assert 150 <= result.elapsed_ms < 2000


async def dribble(pieces: int, delay: float) -> AsyncIterator[bytes]:
    for _ in range(pieces):
        await asyncio.sleep(delay)
        yield b"x"


def test_the_budget_covers_the_body_and_keeps_what_arrived() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/html"}, content=dribble(100, 0.05)
        )

    limits = FetchLimits(budget=0.4, retries=2)
    result, fetcher = run(fetch_with(handler, limits=limits))
    assert result.error is FetchError.TIMEOUT and result.status == 200
    assert result.truncated and 3 <= len(result.body) <= 9
    assert result.attempts == 1 and fetcher.stats.retries == 0  # it answered: no retry


def test_elapsed_is_measured() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.15)
        return page()

    result, _ = run(fetch_with(slow))
    assert 140 <= result.elapsed_ms < 2000


def test_cancellation_is_not_swallowed() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return page()

    async def scenario() -> None:
        async with Fetcher(mock_client(hang)) as fetcher:
            task = asyncio.create_task(fetcher.get("http://site.test/"))
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    run(scenario())


def test_parse_retry_after() -> None:
    now = datetime(2025, 6, 14, 8, 0, tzinfo=UTC)
    assert parse_retry_after("5", now) == 5
    assert parse_retry_after(" 2.5 ", now) == 2.5
    assert parse_retry_after("Sat, 14 Jun 2025 08:00:30 GMT", now) == 30
    assert parse_retry_after("Sat, 14 Jun 2025 07:00:00 GMT", now) == 0
    assert parse_retry_after("-3", now) == 0
    for bad in (None, "", "soon", "nan"):
        assert parse_retry_after(bad, now) is None


# -- TLS -----------------------------------------------------------------------------------------


def cert_error(code: int, message: str) -> httpx.ConnectError:
    error = ssl.SSLCertVerificationError(1, f"[SSL: CERTIFICATE_VERIFY_FAILED] {message}")
    error.verify_code = code
    error.verify_message = message
    return wrapped(httpx.ConnectError, error)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("code", "message", "reason"),
    [
        (10, "certificate has expired", "certificate expired"),
        (18, "self-signed certificate", "self-signed certificate"),
        (20, "unable to get local issuer certificate", "untrusted issuer"),
        (62, "Hostname mismatch", "hostname mismatch"),
        (99, "something new", "certificate rejected"),
    ],
)
def test_certificate_failures_are_named(code: int, message: str, reason: str) -> None:
    result, _ = run(fetch_with(raising(cert_error(code, message))))
    assert result.error is FetchError.TLS and result.attempts == 1
    assert result.error_detail == f"{reason}: {message}"
    assert not result.tls_unverified and result.status is None


def test_a_page_behind_a_bad_certificate_can_be_read_unverified() -> None:
    secure = raising(cert_error(10, "certificate has expired"))
    result, _ = run(fetch_with(secure, insecure=lambda r: page(body=b"read anyway")))
    assert result.error is FetchError.TLS and result.tls_unverified
    assert result.status == 200 and result.body == b"read anyway"
    assert result.error_detail == "certificate expired: certificate has expired"
    assert not result.ok  # the finding stays

    result, _ = run(fetch_with(secure, insecure=lambda r: page(), read_insecure=False))
    assert result.status is None and not result.tls_unverified and result.body == b""


def test_a_failed_unverified_read_says_so() -> None:
    secure = raising(cert_error(10, "certificate has expired"))
    result, _ = run(
        fetch_with(secure, insecure=raising(httpx.ReadTimeout("x")), limits=FetchLimits(retries=0))
    )
    assert result.error is FetchError.TLS and result.tls_unverified
    assert result.error_detail == (
        "certificate expired: certificate has expired; unverified read: timeout: read timed out"
    )


def test_handshake_failures_are_tls_without_an_unverified_read() -> None:
    insecure_calls: list[httpx.Request] = []

    def insecure(request: httpx.Request) -> httpx.Response:
        insecure_calls.append(request)
        return page()

    error = wrapped(httpx.ConnectError, ssl.SSLError(1, "[SSL] wrong version number"))
    result, _ = run(fetch_with(raising(error), insecure=insecure))
    assert result.error is FetchError.TLS and result.error_detail.startswith("handshake failed")
    assert insecure_calls == []


# -- bodies: caps and decompression ----------------------------------------------------------------


def test_a_long_page_is_kept_truncated() -> None:
    body = b"<p>" + b"a" * 5000
    limits = FetchLimits(max_body=1000)
    result, _ = run(fetch_with(lambda r: page(body=body), limits=limits))
    assert result.error is None and result.truncated and result.body == body[:1000]


def test_a_long_page_announced_by_content_length_is_still_read() -> None:
    result, _ = run(
        fetch_with(
            lambda r: page(body=b"a" * 5000, content_length="5000"),
            limits=FetchLimits(max_body=1000),
        )
    )
    assert result.ok and result.truncated and len(result.body) == 1000


def counted(total: int, size: int, log: list[int]) -> AsyncIterator[bytes]:
    async def stream() -> AsyncIterator[bytes]:
        for _ in range(total // size):
            log.append(size)
            yield b"\0" * size

    return stream()


def test_a_big_binary_announced_by_content_length_is_not_read() -> None:
    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "application/pdf", "content-length": str(10**9)},
            content=counted(10**6, 1000, served),
        )

    result, fetcher = run(fetch_with(handler, limits=FetchLimits(max_body=1000)))
    assert result.error is FetchError.TOO_LARGE and result.status == 200 and result.body == b""
    assert "Content-Length" in result.error_detail
    assert served == [] and fetcher.stats.bytes_read == 0


def test_a_big_binary_without_length_stops_at_the_cap() -> None:
    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "application/zip"}, content=counted(10**6, 1000, served)
        )

    result, _ = run(fetch_with(handler, limits=FetchLimits(max_body=5000)))
    assert result.error is FetchError.TOO_LARGE and result.body == b"" and result.truncated
    assert sum(served) <= 7000


def gzipped_zeros(total: int, block: int = 1 << 20) -> bytes:
    """`total` zero bytes, gzip-compressed without holding them in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(block)
    parts = [compressor.compress(zeros) for _ in range(total // block)]
    return b"".join(parts) + compressor.flush()


def test_a_gzip_bomb_is_too_large() -> None:
    bomb = gzipped_zeros(64 << 20)
    assert len(bomb) < 200_000

    def handler(request: httpx.Request) -> httpx.Response:
        return page(body=bomb, content_encoding="gzip")

    limits = FetchLimits(max_decompressed=2 << 20)
    result, _ = run(fetch_with(handler, limits=limits))
    assert result.error is FetchError.TOO_LARGE and result.body == b"" and result.truncated
    assert "decompressed" in result.error_detail


def test_compressed_pages_are_decoded() -> None:
    text = "<html>政府信息公开</html>".encode() * 200
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    variants = {
        "gzip": gzip.compress(text),
        "x-gzip": gzip.compress(text),
        "deflate": zlib.compress(text),
        "deflate ": raw_deflate.compress(text) + raw_deflate.flush(),
        "gzip, gzip": gzip.compress(gzip.compress(text)),
        "identity": text,
    }
    for encoding, body in variants.items():
        result, fetcher = run(fetch_with(answer_with(body, content_encoding=encoding)))
        assert result.ok and result.body == text, encoding
        assert fetcher.stats.bytes_read == len(body)


def test_concatenated_gzip_members_are_all_read() -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    result, _ = run(fetch_with(lambda r: page(body=body, content_encoding="gzip")))
    assert result.body == b"first second"


def test_a_compressed_page_over_the_wire_cap_keeps_its_decoded_start() -> None:
    text = random.Random(3).randbytes(400_000)  # does not compress: the wire cap comes first
    body = gzip.compress(text)
    limits = FetchLimits(max_body=10_000)
    result, _ = run(fetch_with(lambda r: page(body=body, content_encoding="gzip"), limits=limits))
    assert result.error is None and result.truncated
    assert len(result.body) > 0 and text.startswith(result.body)


def test_broken_or_unknown_compression_is_a_protocol_error() -> None:
    for encoding, body in (("gzip", b"not gzip at all"), ("zstd", b"x"), ("compress", b"x")):
        result, _ = run(fetch_with(answer_with(body, content_encoding=encoding)))
        assert result.error is FetchError.PROTOCOL and result.status == 200, encoding
        assert not result.ok


def test_brotli_is_used_when_a_binding_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    class CappedDecompressor:
        def process(self, data: bytes, output_buffer_limit: int = 0) -> bytes:
            return data.upper()

        def can_accept_more_data(self) -> bool:
            return True

    class OldDecompressor:
        def process(self, data: bytes) -> bytes:
            return data.upper()

    for decompressor in (CappedDecompressor, OldDecompressor):
        module = type("FakeBrotli", (), {"Decompressor": decompressor})
        monkeypatch.setattr(fetch, "_BROTLI", module)
        result, _ = run(fetch_with(lambda r: page(body=b"<html>" * 10, content_encoding="br")))
        assert result.ok and result.body == b"<HTML>" * 10


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=20_000), st.lists(st.integers(1, 4000), max_size=12), st.booleans())
def test_streaming_decompression_matches_whole_decompression(
    data: bytes, cuts: list[int], use_gzip: bool
) -> None:
    packed = gzip.compress(data) if use_gzip else zlib.compress(data)
    decoder = fetch._Zlib(gzip=use_gzip)
    out = bytearray()
    start = 0
    for cut in [*sorted(cuts), len(packed)]:
        for piece in decoder.feed(packed[start:cut]):
            assert len(piece) <= fetch._STEP
            out += piece
        start = max(start, cut)
    for piece in decoder.flush():
        out += piece
    assert bytes(out) == data


# -- check_link ------------------------------------------------------------------------------------


def test_check_link_falls_back_to_get_when_head_is_refused() -> None:
    for refusal in (405, 403, 501, 400, 500):
        seen: list[str] = []

        def handler(
            request: httpx.Request, refusal: int = refusal, seen: list[str] = seen
        ) -> httpx.Response:
            seen.append(request.method)
            return page(refusal) if request.method == "HEAD" else page()

        result, _ = run(fetch_with(handler, method="check"))
        assert result.ok and result.method == "GET" and result.attempts == 1, refusal
        assert seen == ["HEAD", "GET"]


@pytest.mark.parametrize("status", [404, 410])
def test_check_link_404_and_410_are_definite(status: int) -> None:
    handler, seen = flaky([page(status)] * 5)
    sleep = FakeSleep()
    result, _ = run(fetch_with(handler, method="check", sleep=sleep))
    assert result.status == status and result.attempts == 1 and seen == ["HEAD"]
    assert sleep.calls == []


def test_check_link_confirms_5xx_once_after_a_pause() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return page(502)

    sleep = FakeSleep()
    result, _ = run(fetch_with(handler, method="check", sleep=sleep))
    assert result.status == 502 and result.attempts == 2 and result.method == "GET"
    assert seen == ["HEAD", "GET", "GET"] and sleep.calls == [1.0]


def test_check_link_recovers_when_the_second_try_works() -> None:
    handler, seen = flaky([page(503), page(503)])
    result, _ = run(fetch_with(handler, method="check"))
    assert result.ok and result.attempts == 2 and seen == ["HEAD", "GET", "GET"]


def test_check_link_honours_retry_after_on_429() -> None:
    handler, _ = flaky([page(429, retry_after="4")])
    sleep = FakeSleep()
    result, _ = run(fetch_with(handler, method="check", sleep=sleep))
    assert result.ok and result.attempts == 2 and sleep.calls == [4.0]


def test_check_link_retries_a_timeout_once() -> None:
    handler, seen = flaky([httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow")])
    result, _ = run(fetch_with(handler, method="check"))
    assert result.error is FetchError.TIMEOUT and result.attempts == 2 and seen == ["HEAD"] * 2
    handler, seen = flaky([httpx.ReadTimeout("slow")])
    result, _ = run(fetch_with(handler, method="check"))
    assert result.ok and result.attempts == 2


def test_check_link_follows_redirects() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return page(301, location="/new") if request.url.path == "/old" else page()

    result, _ = run(fetch_with(handler, "http://site.test/old", method="check"))
    assert result.ok and result.redirects == (Redirect("http://site.test/old", 301),)


def test_check_link_reads_little_and_never_fails_for_size() -> None:
    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "HEAD":
            return page(405)
        if request.url.path == "/big.zip":
            return httpx.Response(
                200,
                headers={"content-type": "application/zip", "content-length": str(10**9)},
                content=counted(10**6, 1000, served),
            )
        return httpx.Response(200, headers={"content-type": "text/html"}, content=b"a" * 10**6)

    result, _ = run(fetch_with(handler, "http://site.test/big.zip", method="check"))
    assert result.ok and result.body == b"" and served == []
    result, _ = run(fetch_with(handler, "http://site.test/page", method="check"))
    assert result.ok and result.truncated and len(result.body) == fetch.LINK_BODY_CAP


# -- politeness ------------------------------------------------------------------------------------


def test_per_host_and_global_caps_hold_for_the_whole_exchange() -> None:
    streaming: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    overall = {"now": 0, "peak": 0}

    async def body(host: str) -> AsyncIterator[bytes]:
        streaming[host] += 1
        overall["now"] += 1
        peak[host] = max(peak[host], streaming[host])
        overall["peak"] = max(overall["peak"], overall["now"])
        try:
            for _ in range(3):
                await asyncio.sleep(0.01)
                yield b"<p>x</p>"
        finally:
            streaming[host] -= 1
            overall["now"] -= 1

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/html"}, content=body(request.url.host)
        )

    async def scenario(limits: FetchLimits, hosts: int) -> Fetcher:
        async with Fetcher(mock_client(handler), limits) as fetcher:
            urls = [f"http://h{i % hosts}.test/{i}" for i in range(45)]
            results = await asyncio.gather(*(fetcher.get(u) for u in urls))
            assert all(r.ok for r in results)
        return fetcher

    fetcher = run(scenario(FetchLimits(per_host=3, total=8), hosts=3))
    assert max(peak.values()) == 3 and overall["peak"] == 8
    stats = fetcher.stats
    assert stats.max_per_host == 3 and stats.max_in_flight == 8 and stats.requests == 45
    assert stats.per_host_peak == {"h0.test:80": 3, "h1.test:80": 3, "h2.test:80": 3}

    peak.clear()
    overall["peak"] = 0
    fetcher = run(scenario(FetchLimits(per_host=10, total=4), hosts=1))
    assert overall["peak"] == 4 and fetcher.stats.max_in_flight == 4


def test_a_host_that_asks_for_a_pause_pauses_all_its_requests() -> None:
    """After a 503 with Retry-After, the host's other requests wait too (no stampede)."""
    answered: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        answered.append(request.url.path)
        if request.url.path == "/first" and answered.count("/first") == 1:
            return page(503, retry_after="0.3")
        return page()

    async def scenario() -> list[float]:
        async with Fetcher(mock_client(handler), FetchLimits(per_host=1)) as fetcher:
            loop = asyncio.get_running_loop()
            start = loop.time()
            done: list[float] = []

            async def get(path: str) -> None:
                await fetcher.get(f"http://site.test{path}")
                done.append(loop.time() - start)

            first = asyncio.create_task(get("/first"))
            await asyncio.sleep(0.01)
            await asyncio.gather(first, get("/second"))
            return done

    done = run(scenario())
    assert min(done) >= 0.25  # /second queued behind the pause instead of hitting the host
