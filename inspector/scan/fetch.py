"""The polite, robust layer through which the scanner touches the network.

Government sites are slow, misconfigured and sometimes hostile (compression bombs, endless or
dripping bodies, broken certificates, redirect loops), while the scanner must stay polite to them
and must never be stopped by one of them. So every request goes through a `Fetcher`: a per-host
and a global cap held for the whole exchange (body included), a time budget per exchange, retries
with backoff that honour Retry-After, redirects followed by hand so that the chain is kept as
proof, bodies streamed under caps, and TLS failures recorded as findings with the option to read
the page anyway. A network failure never raises: it is a `FetchResult` with `error`.

Size rules, so that detectors can rely on them:

- `max_body` caps the bytes read off the wire; `max_decompressed` caps what they expand to.
- `get()`: an HTML or text page longer than `max_body` is still a page: its first `max_body`
  bytes are kept with `truncated=True`, even when Content-Length announces more. Any other body
  (a PDF, an archive) over `max_body` is `TOO_LARGE` without a body, and is not read at all when
  Content-Length says so.
- Compressed bytes expanding past `max_decompressed` (a gzip bomb) are `TOO_LARGE`, body dropped.
- `check_link()`: a link check needs the status, not the body: it reads at most 64 KiB of a
  textual body (enough for soft-404 checks), never a binary one, and size is never an error.

Timing: `budget` bounds one exchange (one request of one redirect hop, with its body); retries
and redirect hops each get their own. `elapsed_ms` covers the whole call.

Timeouts: the first try gets the full timeouts (the 15 s rule). A homepage GET asked as a
visit (`get(..., visit=True)`) is the W-V2 visit: a timeout there is one failed visit, not
retried, since retrying a site that kept silent for 15 s decides nothing (one visit never decides
W-V2; the probe series does) and held a per-host and a global slot meanwhile. Any other timeout
is retried at most once, whatever `retries` says, and that retry waits at most `retry_timeout`
(5 s) to connect and between two reads: a link or column page is only reported dead after a
retry confirms it. Other transient failures (resets, refusals, 429/503) keep `retries`, visits
included. The scan's `unreachable` hint is only a hint: the W-V2 probe (`inspector probe`, one
try per visit at the rule's timeout, no retries) is what decides reachability.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import importlib
import socket
import ssl
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple, Protocol

import httpx
from httpx._utils import get_environment_proxies  # what httpx itself reads

from inspector import __version__
from inspector.scan.model import FetchError, FetchResult, Redirect
from inspector.scan.transport import HostPools

__all__ = [
    "ACCEPT_ENCODING",
    "USER_AGENT",
    "FetchLimits",
    "FetchStats",
    "Fetcher",
    "make_client",
    "parse_retry_after",
]

# Header values must be ASCII, so the Chinese name of the tool cannot appear here.
USER_AGENT = f"gov-inspector/{__version__} (government website spot-check tool; polite crawler)"


def _load_brotli() -> Any:
    for name in ("brotli", "brotlicffi"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


_BROTLI: Any = _load_brotli()
ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI is not None else "gzip, deflate"
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_ACCEPT_LANGUAGE = "zh-CN,zh;q=0.9,en;q=0.5"

LINK_BODY_CAP = 64 * 1024
_STEP = 64 * 1024  # largest piece a decompressor may hand over at once
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
_NO_BODY = frozenset({204, 304})


IDLE_PER_SLOT = 4  # idle keep-alive connections kept, per slot of the global cap


def make_client(
    *,
    verify: bool | ssl.SSLContext = True,
    trust_env: bool = True,
    limits: FetchLimits | None = None,
) -> httpx.AsyncClient:
    """The scanner's HTTP client: our user agent, keep-alive, proxy from the environment.

    Redirects are not followed (the Fetcher follows them to record the chain). Politeness comes
    from the Fetcher's semaphores; requests go through `transport.HostPools` (keep-alive per
    host, sized by `limits`, default `FetchLimits()`). A proxy from the environment gets httpx's
    own transport and pool, sized to the global cap.
    """
    limits = limits or FetchLimits()
    context = httpx.create_ssl_context(verify=verify, trust_env=trust_env)
    return httpx.AsyncClient(
        headers={
            "User-Agent": USER_AGENT,
            "Accept": _ACCEPT,
            "Accept-Language": _ACCEPT_LANGUAGE,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        verify=context,
        trust_env=trust_env,
        follow_redirects=False,
        transport=HostPools(context, limits.per_host, limits.total * IDLE_PER_SLOT),
        mounts=_proxy_mounts(context, trust_env, limits.total),
        timeout=httpx.Timeout(15.0, connect=10.0),
    )


def _proxy_mounts(
    context: ssl.SSLContext, trust_env: bool, pool: int
) -> dict[str, httpx.AsyncBaseTransport | None]:
    """The environment's proxies, mounted as httpx would mount them: httpx ignores them once a
    client is given its own transport. ``None`` marks the NO_PROXY hosts (our transport)."""
    if not trust_env:
        return {}
    limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=30)
    return {
        pattern: None
        if url is None
        else httpx.AsyncHTTPTransport(proxy=url, verify=context, limits=limits)
        for pattern, url in get_environment_proxies().items()
    }


@dataclass(frozen=True)
class FetchLimits:
    """Politeness and safety limits. Tests shrink them; the defaults suit a real scan."""

    per_host: int = 4
    total: int = 32
    connect_timeout: float = 10
    read_timeout: float = 15
    budget: float = 30
    max_body: int = 5 * 1024 * 1024
    max_decompressed: int = 20 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 2  # transient failures; a timeout is retried at most once (module docstring)
    retry_timeout: float = 5  # connect and read timeouts of the retry after a timeout
    backoff: float = 0.5
    max_retry_after: float = 20


@dataclass(frozen=True)
class FetchStats:
    """What a Fetcher did, so tests and benchmarks can prove it stayed polite."""

    requests: int = 0  # exchanges started: every hop, retry and GET fallback
    max_in_flight: int = 0
    max_per_host: int = 0
    per_host_peak: Mapping[str, int] = field(default_factory=dict)
    bytes_read: int = 0  # off the wire, before decompression
    retries: int = 0
    paused_s: float = 0.0  # time spent honouring Retry-After and backoff


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date); None if unusable."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


Sleep = Callable[[float], Awaitable[None]]


class Fetcher:
    """Fetches pages, heads and links politely; every outcome is a FetchResult, never an exception.

    The client is injected (built by `make_client`, or a test's MockTransport client) and owned
    from then on: `aclose()` closes it. `insecure_client` (verify=False) is used only to read a
    page whose certificate failed verification, when the caller asks for it. `sleep` is injected
    so tests of backoff and Retry-After need not wait.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        limits: FetchLimits = FetchLimits(),
        *,
        insecure_client: httpx.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._client = client
        self._insecure = insecure_client
        self._limits = limits
        self._sleep = sleep
        self._timeout = httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=limits.budget,
        )
        short = limits.retry_timeout
        self._retry_timeout = httpx.Timeout(
            connect=min(limits.connect_timeout, short),
            read=min(limits.read_timeout, short),
            write=min(limits.read_timeout, short),
            pool=limits.budget,
        )
        self._headers = {c: _request_headers(c) for c in (client, insecure_client) if c}
        self._cookies: dict[str, httpx.Cookies] = {}  # per host: a WAF's pass, a session
        self._global = asyncio.Semaphore(limits.total)
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._active: Counter[str] = Counter()
        self._peak: dict[str, int] = {}
        self._pause_until: dict[str, float] = {}
        self._in_flight = 0
        self._max_in_flight = 0
        self._requests = 0
        self._bytes_read = 0
        self._retries = 0
        self._paused = 0.0

    @property
    def limits(self) -> FetchLimits:
        return self._limits

    @property
    def stats(self) -> FetchStats:
        return FetchStats(
            requests=self._requests,
            max_in_flight=self._max_in_flight,
            max_per_host=max(self._peak.values(), default=0),
            per_host_peak=dict(self._peak),
            bytes_read=self._bytes_read,
            retries=self._retries,
            paused_s=self._paused,
        )

    async def get(
        self, url: str, *, read_insecure: bool = True, visit: bool = False
    ) -> FetchResult:
        """GET a page, following redirects, with retries; the body is capped (module docstring).

        ``visit``: a site's homepage, visited once in the W-V2 sense: a timeout is not retried.
        """
        result, _ = await self._fetch(
            url, "GET", read_insecure=read_insecure, link=False, retry_timeouts=not visit
        )
        return result

    async def head(self, url: str) -> FetchResult:
        """HEAD, following redirects, with retries."""
        result, _ = await self._fetch(url, "HEAD", read_insecure=True, link=False)
        return result

    async def check_link(self, url: str) -> FetchResult:
        """Is this link alive? HEAD first, GET where HEAD is refused; doubtful answers are retried.

        404/410 are definite at once. HEAD answered with 400/403/405/406/501, any 5xx or a broken
        connection is asked again with GET. 5xx, 429, timeouts and broken connections are then
        tried once more after a pause (Retry-After when given) and only then reported;
        `attempts` counts both tries (the GET after a refused HEAD is not an attempt).
        """
        started = time.monotonic()
        result, transient = await self._fetch(url, "HEAD", read_insecure=True, link=True, retries=0)
        if _head_refused(result):
            result, transient = await self._fetch(
                url, "GET", read_insecure=True, link=True, retries=0
            )
        if transient or (
            result.error is None
            and result.status is not None
            and (result.status >= 500 or result.status == 429)
        ):
            delay = parse_retry_after(result.headers.get("retry-after"))
            delay = min(
                delay if delay is not None else 2 * self._limits.backoff,
                self._limits.max_retry_after,
            )
            self._retries += 1
            await self._pause(delay)
            again, _ = await self._fetch(
                url,
                result.method,
                read_insecure=True,
                link=True,
                retries=0,
                timed_out=result.error is FetchError.TIMEOUT,
            )
            result = replace(again, attempts=result.attempts + again.attempts)
        return replace(result, elapsed_ms=_ms_since(started))

    async def aclose(self) -> None:
        """Close the clients this Fetcher was given."""
        await self._client.aclose()
        if self._insecure is not None:
            await self._insecure.aclose()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- one call: redirects, TLS fallback ---------------------------------------------------

    async def _fetch(
        self,
        url: str,
        method: str,
        *,
        read_insecure: bool,
        link: bool,
        retries: int | None = None,
        timed_out: bool = False,
        retry_timeouts: bool = True,
    ) -> tuple[FetchResult, bool]:
        """One logical request; returns the result and whether its failure looked transient.

        ``timed_out``: this is already the retry after a timeout (shorter timeouts, no more
        retries after another timeout). ``retry_timeouts=False``: a timeout is final."""
        started = time.monotonic()
        retries = self._limits.retries if retries is None else retries
        redirects: list[Redirect] = []
        visits: Counter[str] = Counter()
        insecure = False
        tls_detail = ""

        def done(
            final: str,
            out: _Outcome | None = None,
            attempts: int = 1,
            error: FetchError | None = None,
            detail: str = "",
        ) -> tuple[FetchResult, bool]:
            if out is not None and error is None:
                error, detail = out.error, out.detail
            if tls_detail:
                if error is not None and error is not FetchError.TLS:
                    detail = f"{tls_detail}; unverified read: {error.value}: {detail}"
                else:
                    detail = tls_detail
                error = FetchError.TLS
            result = FetchResult(
                url=url,
                final_url=final,
                status=out.status if out else None,
                headers=dict(out.headers) if out else {},
                body=bytes(out.body) if out else b"",
                truncated=out.truncated if out else False,
                redirects=tuple(redirects),
                elapsed_ms=_ms_since(started),
                error=error,
                error_detail=detail,
                tls_unverified=insecure,
                attempts=attempts,
                method=method,
            )
            return result, bool(out and out.retryable)

        target = _parse_url(url)
        if isinstance(target, str):
            return done(url, error=FetchError.UNSUPPORTED, detail=target)
        while True:
            current = str(target)
            visits[current] += 1
            client = self._insecure if insecure and self._insecure is not None else self._client
            out, attempts = await self._attempt(
                target,
                method,
                client,
                link=link,
                retries=retries,
                timed_out=timed_out,
                retry_timeouts=retry_timeouts,
            )
            if out.cert_failed and not insecure and read_insecure and self._insecure is not None:
                insecure, tls_detail = True, out.detail
                visits[current] -= 1
                continue
            if out.error is not None or out.status not in _REDIRECTS:
                return done(current, out, attempts)
            location = out.headers.get("location", "").strip()
            if not location:
                return done(current, out, attempts)
            redirects.append(Redirect(current, out.status))
            nxt = _parse_url(location, base=target)
            if isinstance(nxt, str):
                return done(current, out, attempts, FetchError.UNSUPPORTED, nxt)
            if visits[str(nxt)] >= (2 if out.sets_cookie else 1):
                return done(
                    current, out, attempts, FetchError.REDIRECT_LOOP, f"back to {nxt} again"
                )
            if len(redirects) > self._limits.max_redirects:
                return done(
                    current,
                    out,
                    attempts,
                    FetchError.TOO_MANY_REDIRECTS,
                    f"more than {self._limits.max_redirects} redirects",
                )
            target = nxt

    async def _attempt(
        self,
        url: httpx.URL,
        method: str,
        client: httpx.AsyncClient,
        *,
        link: bool,
        retries: int,
        timed_out: bool = False,
        retry_timeouts: bool = True,
    ) -> tuple[_Outcome, int]:
        """One hop with its retries: connect trouble and timeouts back off, 429/503 pause the host.

        A timeout is retried once at most, with the shorter ``retry_timeout``, and not at all
        without ``retry_timeouts`` (a W-V2 visit)."""
        attempt = 0
        while True:
            attempt += 1
            out = await self._exchange(url, method, client, link=link, short=timed_out)
            if attempt > retries:
                return out, attempt
            if out.error is FetchError.TIMEOUT and out.retryable:
                if timed_out or not retry_timeouts:
                    return out, attempt
                timed_out = True
            if out.status in (429, 503) and out.error is None:
                given = parse_retry_after(out.headers.get("retry-after"))
                delay = given if given is not None else self._backoff(attempt)
                delay = min(delay, self._limits.max_retry_after)
                # The whole host waits, not just this request: it asked us to slow down.
                self._pause_until[_host_key(url)] = time.monotonic() + delay
            elif out.retryable:
                await self._pause(self._backoff(attempt))
            else:
                return out, attempt
            self._retries += 1

    def _backoff(self, attempt: int) -> float:
        return float(self._limits.backoff * 2 ** (attempt - 1))

    async def _pause(self, delay: float) -> None:
        if delay > 0:
            self._paused += delay
            await self._sleep(delay)

    # -- one exchange under the caps ----------------------------------------------------------

    async def _exchange(
        self, url: httpx.URL, method: str, client: httpx.AsyncClient, *, link: bool, short: bool
    ) -> _Outcome:
        host = _host_key(url)
        out = _Outcome()
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self._limits.per_host)
        async with slot:
            until = self._pause_until.get(host)
            if until is not None:
                await self._pause(until - time.monotonic())
                if self._pause_until.get(host) == until:
                    del self._pause_until[host]
            async with self._global:
                self._enter(host)
                try:
                    async with asyncio.timeout(self._limits.budget):
                        timeout = self._retry_timeout if short else self._timeout
                        await self._send(url, method, client, link, out, timeout)
                except TimeoutError:
                    out.truncated = out.answered
                    out.fail(
                        FetchError.TIMEOUT,
                        f"no complete answer within the {self._limits.budget:g} s budget",
                        retryable=not out.answered,
                    )
                finally:
                    self._leave(host)
        return out

    def _enter(self, host: str) -> None:
        self._requests += 1
        self._active[host] += 1
        self._peak[host] = max(self._peak.get(host, 0), self._active[host])
        self._in_flight += 1
        self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def _leave(self, host: str) -> None:
        self._active[host] -= 1
        self._in_flight -= 1

    async def _send(
        self,
        url: httpx.URL,
        method: str,
        client: httpx.AsyncClient,
        link: bool,
        out: _Outcome,
        timeout: httpx.Timeout,
    ) -> None:
        """One exchange, straight to the client's transport (its proxy, when the environment
        names one): the Fetcher does the redirects, so ``client.send`` would only add its cookie
        jar, which it copied whole on every request (a scan gathers cookies from every site)."""
        host = _host_key(url)
        jar = self._cookies.get(host)
        try:
            request = httpx.Request(
                method,
                url,
                headers=self._headers[client],
                extensions={"timeout": timeout.as_dict()},
            )
            if jar is not None:
                jar.set_cookie_header(request)
            response = await client._transport_for_url(url).handle_async_request(request)
        except _FAILURES as exc:
            out.fail_from(exc)
            return
        try:
            response.request = request
            out.answered = True
            out.status = response.status_code
            out.headers = {k.lower(): v for k, v in response.headers.items()}
            out.sets_cookie = "set-cookie" in out.headers
            if out.sets_cookie:
                self._cookies.setdefault(host, httpx.Cookies()).extract_cookies(response)
            if method == "HEAD" or response.status_code in _NO_BODY:
                # Nothing to read, but reading to the end of the message is what lets httpcore
                # keep the connection alive; closed early, each HEAD cost a new connection.
                async for _ in _raw(response):
                    pass
            else:
                await self._read_body(response, out, link)
        except _FAILURES as exc:
            out.fail_from(exc)
        finally:
            with contextlib.suppress(*_FAILURES):
                await response.aclose()

    async def _read_body(self, response: httpx.Response, out: _Outcome, link: bool) -> None:
        limits = self._limits
        textual = _is_textual(out.headers.get("content-type", ""))
        if link:
            if not textual:
                return
            wire_cap = min(LINK_BODY_CAP, limits.max_body)
        else:
            wire_cap = limits.max_body
        refuse_big = not (textual or link)
        declared = _content_length(out.headers)
        if refuse_big and declared is not None and declared > wire_cap:
            out.fail(
                FetchError.TOO_LARGE, f"Content-Length {declared} over the {wire_cap}-byte cap"
            )
            return
        decoder = _decoder_for(out.headers.get("content-encoding", ""))
        expanded_cap = wire_cap if link or decoder is None else limits.max_decompressed
        steps: Iterator[bytes]
        wire = 0
        async for chunk in _raw(response):
            self._bytes_read += len(chunk)
            room = wire_cap - wire
            cut = len(chunk) > room
            if cut:
                chunk = chunk[:room]
            wire += len(chunk)
            steps = decoder.feed(chunk) if decoder else iter((chunk,))
            if not self._keep(steps, out, expanded_cap, link):
                return
            if cut:
                out.truncated = True
                if refuse_big:
                    out.body.clear()
                    out.fail(FetchError.TOO_LARGE, f"body over the {wire_cap}-byte cap")
                return
        if decoder is not None:
            self._keep(decoder.flush(), out, expanded_cap, link)

    def _keep(self, pieces: Iterator[bytes], out: _Outcome, cap: int, link: bool) -> bool:
        """Append decoded pieces up to `cap`; False once the cap stops the read."""
        body = out.body
        for piece in pieces:
            if len(body) + len(piece) <= cap:
                body.extend(piece)
                continue
            out.truncated = True
            if link:
                body.extend(piece[: cap - len(body)])
            else:
                body.clear()
                out.fail(FetchError.TOO_LARGE, f"decompressed body over {cap} bytes")
            return False
        return True


# -- outcomes and failures ---------------------------------------------------------------------


@dataclass
class _Outcome:
    """What one exchange learned, filled in as it goes so a budget timeout keeps the partial."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)
    truncated: bool = False
    error: FetchError | None = None
    detail: str = ""
    retryable: bool = False
    answered: bool = False
    sets_cookie: bool = False
    cert_failed: bool = False

    def fail(self, error: FetchError, detail: str, *, retryable: bool = False) -> None:
        self.error, self.detail, self.retryable = error, detail, retryable

    def fail_from(self, exc: BaseException) -> None:
        failure = _classify(exc)
        if self.answered:
            self.truncated = True
        self.fail(failure.error, failure.detail, retryable=failure.retryable and not self.answered)
        self.cert_failed = failure.cert_failed


class _Failure(NamedTuple):
    error: FetchError
    detail: str
    retryable: bool = False
    cert_failed: bool = False


class _BadEncoding(Exception):
    """A Content-Encoding we cannot or will not decode, or a corrupt compressed stream."""


_FAILURES = (
    httpx.HTTPError,
    httpx.InvalidURL,
    httpx.StreamError,
    OSError,
    _BadEncoding,
    zlib.error,
)

_CERT_REASONS = {
    9: "certificate not yet valid",
    10: "certificate expired",
    18: "self-signed certificate",
    19: "self-signed certificate in chain",
    20: "untrusted issuer",
    21: "untrusted issuer",
    62: "hostname mismatch",
    64: "hostname mismatch",
}


def _classify(exc: BaseException) -> _Failure:
    chain = _chain(exc)
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = _CERT_REASONS.get(cause.verify_code, "certificate rejected")
            return _Failure(FetchError.TLS, f"{reason}: {cause.verify_message}", cert_failed=True)
    if isinstance(exc, httpx.TimeoutException):
        kind = type(exc).__name__.removesuffix("Timeout").lower() or "request"
        return _Failure(FetchError.TIMEOUT, f"{kind} timed out", retryable=True)
    for cause in chain:
        if isinstance(cause, ssl.SSLWantReadError | ssl.SSLWantWriteError):
            continue
        if isinstance(cause, ssl.SSLError):
            return _Failure(
                FetchError.TLS, f"handshake failed: {getattr(cause, 'reason', None) or cause}"
            )
        if isinstance(cause, socket.gaierror):
            temporary = cause.errno == socket.EAI_AGAIN
            return _Failure(FetchError.DNS, f"name not resolved: {cause.strerror}", temporary)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return _Failure(FetchError.UNSUPPORTED, str(exc) or type(exc).__name__)
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending" in str(exc):
        return _Failure(FetchError.CONNECT, "connection closed without an answer", True)
    if isinstance(exc, httpx.ProtocolError | httpx.DecodingError | _BadEncoding | zlib.error):
        return _Failure(FetchError.PROTOCOL, str(exc) or type(exc).__name__, retryable=True)
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError):
            return _Failure(FetchError.CONNECT, "connection refused", True)
        if isinstance(cause, ConnectionResetError | BrokenPipeError):
            return _Failure(FetchError.CONNECT, "connection reset", True)
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return _Failure(FetchError.CONNECT, "network unreachable", True)
    if isinstance(exc, httpx.NetworkError | OSError):
        return _Failure(FetchError.CONNECT, str(exc) or type(exc).__name__, retryable=True)
    return _Failure(FetchError.PROTOCOL, str(exc) or type(exc).__name__)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 16:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


# -- decompression under a cap -----------------------------------------------------------------


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...
    def flush(self) -> Iterator[bytes]: ...


class _Zlib:
    """gzip or deflate, handed over in pieces of at most _STEP bytes so a bomb cannot balloon."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS
        self._d = zlib.decompressobj(self._wbits)
        self._head: bytes | None = None if gzip else b""  # deflate input until the first output

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._head is not None:
            self._head = (self._head + data)[: 2 * _STEP]
        while True:
            try:
                out = self._d.decompress(data, _STEP)
            except zlib.error:
                if self._head is None:
                    raise
                # "deflate" is raw DEFLATE on some servers, zlib-wrapped on others.
                data, self._head = self._head, None
                self._wbits = -zlib.MAX_WBITS
                self._d = zlib.decompressobj(self._wbits)
                continue
            if out:
                self._head = None
            data = self._d.unconsumed_tail
            if out:
                yield out
            if self._d.eof:
                rest = self._d.unused_data
                if not (self._gzip and rest.startswith(b"\x1f\x8b")):
                    return  # bytes after the stream are ignored, as browsers do
                self._d = zlib.decompressobj(self._wbits)  # another gzip member follows
                data = rest
                continue
            if not data and len(out) < _STEP:
                return

    def flush(self) -> Iterator[bytes]:
        yield from self.feed(b"")


class _Brotli:
    """Brotli through the optional `brotli`/`brotlicffi` module, with an output cap when offered."""

    def __init__(self) -> None:
        self._d = _BROTLI.Decompressor()
        self._capped = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._capped:
            try:
                yield self._d.process(data, output_buffer_limit=_STEP)
                while not self._d.can_accept_more_data():
                    yield self._d.process(b"", output_buffer_limit=_STEP)
                return
            except TypeError:
                self._capped = False
        # Older bindings have no output cap: small inputs keep each expansion small.
        for start in range(0, len(data), 16):
            yield self._d.process(data[start : start + 16])

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Chain:
    """Several encodings applied in turn (rare, but `Content-Encoding: gzip, gzip` exists)."""

    def __init__(self, decoders: list[_Decoder]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, iter((data,)))

    def flush(self) -> Iterator[bytes]:
        return self._through(0, iter(()), flush=True)

    def _through(self, index: int, pieces: Iterator[bytes], flush: bool = False) -> Iterator[bytes]:
        if index == len(self._decoders):
            yield from pieces
            return
        decoder = self._decoders[index]

        def stage() -> Iterator[bytes]:
            for piece in pieces:
                yield from decoder.feed(piece)
            if flush:
                yield from decoder.flush()

        yield from self._through(index + 1, stage(), flush)


def _decoder_for(content_encoding: str) -> _Decoder | None:
    decoders: list[_Decoder] = []
    for name in reversed([n.strip().lower() for n in content_encoding.split(",") if n.strip()]):
        if name in ("gzip", "x-gzip"):
            decoders.append(_Zlib(gzip=True))
        elif name == "deflate":
            decoders.append(_Zlib(gzip=False))
        elif name == "br" and _BROTLI is not None:
            decoders.append(_Brotli())
        elif name != "identity":
            raise _BadEncoding(f"unsupported content-encoding: {name}")
    if not decoders:
        return None
    return decoders[0] if len(decoders) == 1 else _Chain(decoders)


# -- small helpers -----------------------------------------------------------------------------


def _parse_url(text: str, base: httpx.URL | None = None) -> httpx.URL | str:
    """An absolute http(s) URL without fragment, or why not."""
    try:
        url = base.join(text) if base is not None else httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return f"invalid URL {text!r}: {exc}"
    if url.scheme not in ("http", "https"):
        return f"unsupported scheme {url.scheme or '(none)'!r}: {text}"
    if not url.host:
        return f"no host in {text!r}"
    return url.copy_with(fragment=None) if "#" in text else url


async def _raw(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as sent (still compressed), in the pieces the network delivers."""
    if not response.is_stream_consumed:
        async for chunk in response.aiter_raw():
            yield chunk
    elif isinstance(response.stream, httpx.AsyncByteStream):
        # A response built with its content (MockTransport in tests) was read on creation.
        async for chunk in response.stream:
            yield chunk


def _request_headers(client: httpx.AsyncClient) -> httpx.Headers:
    """The client's headers, with our user agent and only the encodings we decode."""
    headers = httpx.Headers(client.headers)
    headers["Accept-Encoding"] = ACCEPT_ENCODING
    if headers.get("user-agent", "").startswith("python-httpx/"):
        headers["User-Agent"] = USER_AGENT
    return headers


def _head_refused(result: FetchResult) -> bool:
    """HEAD answers that say more about the server's HEAD support than about the link."""
    if result.error is not None:
        return result.error in (FetchError.PROTOCOL, FetchError.CONNECT)
    status = result.status or 0
    return status in _HEAD_REFUSED or status >= 500


def _host_key(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host}:{port}"


def _is_textual(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return (
        not kind
        or kind.startswith("text/")
        or any(word in kind for word in ("html", "xml", "json", "javascript"))
    )


def _content_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
