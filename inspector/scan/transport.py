"""How the scanner's requests reach the sites: HTTP/1.1 on asyncio streams, a few keep-alive
connections per host.

httpx's default transport (httpcore on anyio) cost the scan most of its event loop, measured on
`bench/scan.py`: one pool shared by every host kept almost nothing alive when a hundred hosts
were scanned at once (7,100 connections for 7,600 requests) and looked at every pooled connection
on each request; anyio added cancel scopes and a ``getpeername`` per check of an idle connection;
and three lock acquisitions per request each yielded to the loop, so that every request waited
three extra loop turns while holding its per-host and global slots. The Fetcher already keeps at
most ``per_host`` requests in flight per host, so no lock is needed here: `HostPools` speaks
HTTP/1.1 through h11 (httpcore's own parser) on asyncio streams, keeps at most ``per_host`` idle
connections per host, and closes the oldest idle ones past ``idle_cap`` in all.

Failures are raised as the httpx exceptions httpx's transport would raise, with their cause (a
refused connection, a certificate error, a name that did not resolve) chained, which is what the
Fetcher classifies. Proxies from the environment never come here: httpx mounts its own proxy
transports for them. Runs on any asyncio loop, the desktop app's qasync loop included.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Mapping
from typing import Any

import h11
import httpx

__all__ = ["HostPools"]

_Key = tuple[str, str, int]
_READ = 64 * 1024
_HEAD_CAP = 100 * 1024  # the status line and headers, as httpcore allows
_IDLE_EXPIRY = 30.0  # seconds an idle connection is kept


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=_HEAD_CAP)
        self.idle_since = time.monotonic()

    def usable(self) -> bool:
        """Idle, not expired, and not closed (or sent junk) by the server while idle."""
        return (
            self.h11.our_state is h11.IDLE
            and time.monotonic() - self.idle_since < _IDLE_EXPIRY
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.close()


class HostPools(httpx.AsyncBaseTransport):
    """HTTP/1.1 with keep-alive: at most ``per_host`` idle connections per host and
    ``idle_cap`` in all (the oldest go first); the caller bounds the requests in flight."""

    def __init__(self, context: ssl.SSLContext, per_host: int, idle_cap: int) -> None:
        self._context = context
        self._per_host = max(1, per_host)
        self._idle_cap = max(1, idle_cap)
        self._idle: OrderedDict[_Key, deque[_Connection]] = OrderedDict()
        self._idle_count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        key = (scheme, url.host, url.port or (443 if scheme == "https" else 80))
        timeouts: Mapping[str, float | None] = request.extensions.get("timeout", {})
        body = b"".join([part async for part in request.stream])  # type: ignore[union-attr]
        conn = self._take_idle(key)
        if conn is not None:
            try:
                return await self._exchange(key, conn, request, body, timeouts)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                pass  # the server dropped the idle connection meanwhile: once more, on a new one
        conn = await self._connect(key, timeouts.get("connect"))
        return await self._exchange(key, conn, request, body, timeouts)

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
        self._idle.clear()
        self._idle_count = 0

    # connections

    def _take_idle(self, key: _Key) -> _Connection | None:
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            self._idle_count -= 1
            if conn.usable():
                return conn
            conn.close()
        return None

    def _put_idle(self, key: _Key, conn: _Connection) -> None:
        conn.idle_since = time.monotonic()
        idle = self._idle.setdefault(key, deque())
        self._idle.move_to_end(key)
        idle.append(conn)
        self._idle_count += 1
        if len(idle) > self._per_host:
            idle.popleft().close()
            self._idle_count -= 1
        while self._idle_count > self._idle_cap:
            oldest_key, oldest = next(iter(self._idle.items()))
            if oldest:
                oldest.popleft().close()
                self._idle_count -= 1
            if not oldest:
                del self._idle[oldest_key]

    async def _connect(self, key: _Key, timeout: float | None) -> _Connection:
        scheme, host, port = key
        tls = self._context if scheme == "https" else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None
                )
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"connect to {host}:{port} timed out") from exc
        except (OSError, EOFError) as exc:  # ssl.SSLError and socket.gaierror are OSErrors
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return _Connection(reader, writer)

    # one exchange

    async def _exchange(
        self,
        key: _Key,
        conn: _Connection,
        request: httpx.Request,
        body: bytes,
        timeouts: Mapping[str, float | None],
    ) -> httpx.Response:
        try:
            head = h11.Request(
                method=request.method,
                target=request.url.raw_path,
                headers=list(request.headers.raw),
            )
            data = conn.h11.send(head) or b""
            if body:
                data += conn.h11.send(h11.Data(data=body)) or b""
            data += conn.h11.send(h11.EndOfMessage()) or b""
            await _write(conn, data, timeouts.get("write"))
            while True:
                event = await _next_event(conn, timeouts.get("read"))
                if isinstance(event, h11.Response):
                    break
                if not isinstance(event, h11.InformationalResponse):
                    raise httpx.RemoteProtocolError(f"unexpected {type(event).__name__}")
        except BaseException:
            conn.close()
            raise
        return httpx.Response(
            event.status_code,
            headers=list(event.headers),
            stream=_Body(self, key, conn, timeouts.get("read")),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": event.reason},
            request=request,
        )

    def _done(self, key: _Key, conn: _Connection) -> None:
        """The response was read to its end or abandoned: keep the connection or close it."""
        if conn.h11.our_state is h11.DONE and conn.h11.their_state is h11.DONE:
            conn.h11.start_next_cycle()
            self._put_idle(key, conn)
        else:
            conn.close()


class _Body(httpx.AsyncByteStream):
    """A response body read off its connection as the caller iterates."""

    def __init__(self, pools: HostPools, key: _Key, conn: _Connection, timeout: float | None):
        self._pools = pools
        self._key = key
        self._conn: _Connection | None = conn
        self._timeout = timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            return
        try:
            while True:
                event = await _next_event(conn, self._timeout)
                if isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    return
                else:
                    raise httpx.RemoteProtocolError(f"unexpected {type(event).__name__}")
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._pools._done(self._key, conn)


async def _write(conn: _Connection, data: bytes, timeout: float | None) -> None:
    try:
        async with asyncio.timeout(timeout):
            conn.writer.write(data)
            await conn.writer.drain()
    except TimeoutError as exc:
        raise httpx.WriteTimeout("write timed out") from exc
    except OSError as exc:
        raise httpx.WriteError(str(exc) or type(exc).__name__) from exc


async def _next_event(conn: _Connection, timeout: float | None) -> Any:
    """The next h11 event, reading from the network as needed."""
    while True:
        try:
            event = conn.h11.next_event()
        except h11.RemoteProtocolError as exc:
            raise httpx.RemoteProtocolError(str(exc)) from exc
        if event is not h11.NEED_DATA:
            if event is h11.PAUSED:
                raise httpx.RemoteProtocolError("the server sent more than one answer")
            return event
        try:
            async with asyncio.timeout(timeout):
                data = await conn.reader.read(_READ)
        except TimeoutError as exc:
            raise httpx.ReadTimeout("read timed out") from exc
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
        if not data and conn.h11.their_state is h11.SEND_RESPONSE:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        try:
            conn.h11.receive_data(data)
        except h11.RemoteProtocolError as exc:
            raise httpx.RemoteProtocolError(str(exc)) from exc
