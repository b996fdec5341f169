"""The built-in demo: a handful of fictional government sites and accounts served on 127.0.0.1.

A new user should be able to try every feature offline, and the scanner needs realistic pages with
known faults to be tested against. So the demo ships static pages of a fictional province (江屿省:
province code 99, plate 屿, neither used by a real province) under ``resources/demo/sites/``, with
faults planted on purpose and listed in ``resources/demo/demo.json``.

Freshness is the heart of the indicators, and dates written into static files would go stale in a
fortnight. The pages therefore carry date placeholders that :func:`render` fills in at serve time
relative to today (or to a fixed day given to the server, for tests):

- ``{{days_ago:N}}`` gives ``YYYY-MM-DD`` of N days before today (N may be negative);
- ``{{days_ago:N|YYYY年M月D日}}`` formats with the tokens ``YYYY``, ``MM``, ``DD``, ``M``, ``D``;
- ``{{year}}`` gives the current year.

Pages are stored as UTF-8; a site whose manifest says ``"charset": "gbk"`` is encoded to GBK when
served and says so in its ``Content-Type``, as old county CMSs do.

An account's menu items (``"menus"`` in the manifest) name pages that work and pages that answer
"该功能正在开发中", "小程序已过期" or "系统升级维护中"; :meth:`DemoEntry.menu_list` gives them as
the text an inspector pastes into the app, and the index page at ``/`` shows that text.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from inspector import paths
from inspector.profiles import DEFAULT_PROFILE
from inspector.samples import PLATFORM_LABELS
from inspector.store import FindingsError, FindingsFile
from inspector.targets import Kind, Target, account_key, website_key

__all__ = [
    "DEMO_INSPECTOR",
    "DemoEntry",
    "DemoMenu",
    "DemoServer",
    "RequestRecord",
    "demo_entries",
    "demo_targets",
    "open_demo_workspace",
    "quarter_of",
    "render",
]

SITES = paths.DEMO / "sites"
MANIFEST = paths.DEMO / "demo.json"
DEMO_INSPECTOR = "演示检查员"

_PLACEHOLDER = re.compile(
    r"\{\{\s*(?:days_ago:\s*(?P<days>-?\d+)|(?P<year>year))\s*(?:\|(?P<fmt>[^{}]*?))?\s*\}\}"
)
_TOKEN = re.compile(r"YYYY|MM|DD|M|D")

_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
}
#: Types that get placeholders filled and the site's charset.
_TEXT_TYPES = {"text/html", "text/css", "text/javascript", "application/json", "text/plain"}


def _format_day(day: date, pattern: str) -> str:
    values = {
        "YYYY": f"{day.year:04d}",
        "MM": f"{day.month:02d}",
        "DD": f"{day.day:02d}",
        "M": str(day.month),
        "D": str(day.day),
    }
    return _TOKEN.sub(lambda m: values[m.group(0)], pattern)


def render(text: str, today: date) -> str:
    """Fill the date placeholders of a demo page as seen on ``today``."""

    def one(match: re.Match[str]) -> str:
        if match.group("year"):
            return _format_day(today, match.group("fmt") or "YYYY")
        day = today - timedelta(days=int(match.group("days")))
        return _format_day(day, match.group("fmt") or "YYYY-MM-DD")

    return _PLACEHOLDER.sub(one, text)


def quarter_of(day: date) -> str:
    """``2025Q2`` style quarter name of a day."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class DemoMenu:
    """One menu item of a demo account: its name, its page below the account, and the status
    that page should earn (``works``, ``under_development``, ``expired``, ``maintenance``)."""

    name: str
    path: str
    status: str


@dataclass(frozen=True)
class DemoEntry:
    """One demo site or account as the manifest describes it, with its planted faults."""

    slug: str
    kind: Kind
    name: str
    owner: str
    level: str
    region: str
    charset: str = "utf-8"
    site_code: str | None = None
    category: str = ""
    is_portal: bool = False
    platform: str | None = None
    account_id: str | None = None
    planted: tuple[str, ...] = ()
    menus: tuple[DemoMenu, ...] = ()

    def url(self, base_url: str) -> str:
        """The entry's page on a server at ``base_url``."""
        return f"{base_url.rstrip('/')}/{self.slug}/"

    def menu_list(self, base_url: str) -> str:
        """The account's menu items as an inspector would paste them: name, tab, URL."""
        return "".join(f"{m.name}\t{self.url(base_url)}{m.path}\n" for m in self.menus)

    def target(self, base_url: str) -> Target:
        """The sample-list row for this entry, pointing at a server at ``base_url``.

        Keys come from the site code or the account id, never the URL, so they stay the same
        whichever port the server got.
        """
        url = self.url(base_url)
        extra = {"demo_slug": self.slug}
        if self.kind == Kind.WEBSITE:
            return Target(
                key=website_key(self.site_code, url),
                kind=Kind.WEBSITE,
                name=self.name,
                url=url,
                site_code=self.site_code,
                owner=self.owner,
                region=self.region,
                level=self.level,
                category=self.category,
                is_portal=self.is_portal,
                extra=extra,
            )
        assert self.platform is not None
        return Target(
            key=account_key(self.platform, self.account_id, self.name),
            kind=Kind.NEW_MEDIA,
            name=self.name,
            url=url,
            owner=self.owner,
            region=self.region,
            level=self.level,
            category=self.category or "政务新媒体",
            platform=self.platform,
            account_id=self.account_id,
            extra=extra,
        )


def demo_entries(manifest: Path = MANIFEST) -> list[DemoEntry]:
    """The demo's sites, then its accounts, in manifest order."""
    data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    region = data.get("region", "")
    entries: list[DemoEntry] = []
    for kind, rows in ((Kind.WEBSITE, data["websites"]), (Kind.NEW_MEDIA, data["accounts"])):
        for row in rows:
            entries.append(
                DemoEntry(
                    slug=row["slug"],
                    kind=kind,
                    name=row["name"],
                    owner=row.get("owner", ""),
                    level=row.get("level", ""),
                    region=row.get("region", region),
                    charset=row.get("charset", "utf-8"),
                    site_code=row.get("site_code"),
                    category=row.get("category", ""),
                    is_portal=bool(row.get("is_portal", False)),
                    platform=row.get("platform"),
                    account_id=row.get("account_id"),
                    planted=tuple(row.get("planted", ())),
                    menus=tuple(
                        DemoMenu(m["name"], m["path"], m["status"]) for m in row.get("menus", ())
                    ),
                )
            )
    return entries


def demo_targets(base_url: str) -> list[Target]:
    """The demo sample list for a server at ``base_url`` (e.g. ``http://127.0.0.1:8123``)."""
    return [entry.target(base_url) for entry in demo_entries()]


def open_demo_workspace(
    data_dir: Path, base_url: str, *, today: date | None = None
) -> FindingsFile:
    """Open (or create) the demo findings file in ``data_dir`` and point it at ``base_url``.

    One file per quarter, so a user's ticks survive restarts (the server port changes each time,
    hence the targets are upserted with the current URLs). A demo file that cannot be opened is
    moved aside rather than blocking the demo: it holds nothing a user could lose.
    """
    day = today or date.today()
    quarter = quarter_of(day)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"demo-{quarter}.sqlite"
    findings: FindingsFile | None = None
    if path.exists():
        try:
            findings = FindingsFile.open(path)
        except FindingsError:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            shutil.move(path, path.with_name(f"{path.stem}.broken-{stamp}{path.suffix}"))
    if findings is None:
        findings = FindingsFile.create(
            path,
            quarter=quarter,
            inspector=DEMO_INSPECTOR,
            profile_id=DEFAULT_PROFILE,
            info={"demo": "true"},
        )
    findings.add_targets(demo_targets(base_url), who=DEMO_INSPECTOR)
    return findings


@dataclass(frozen=True)
class RequestRecord:
    """One request the demo server answered, for tests and scanner benchmarks to assert on."""

    method: str
    path: str
    status: int


@dataclass
class _Config:
    root: Path
    today: date | None
    charsets: dict[str, str]
    entries: list[DemoEntry]
    log: deque[RequestRecord] = field(default_factory=lambda: deque(maxlen=100_000))


class _Server(ThreadingHTTPServer):
    # Chromium and the scanner open many connections at once; the default backlog of 5 makes
    # bursts wait for SYN retries (a full second each) and looks like a slow site.
    request_queue_size = 128
    daemon_threads = True
    config: _Config


class _Handler(BaseHTTPRequestHandler):
    """Serves files with placeholders filled; directories need a trailing slash, as on a CMS."""

    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "DemoGovCMS/1.0"
    # Keep-alive connections that go quiet end their thread instead of holding it forever.
    timeout = 15

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request log is kept in memory instead (see ``DemoServer.requests``)."""

    def _serve(self, *, body: bool) -> None:
        config = self.server.config
        today = config.today or date.today()
        path = unquote(urlsplit(self.path).path)
        if path == "/":
            base = f"http://{self.headers.get('Host') or '127.0.0.1'}"
            page = _index_page(config.entries, base)
            self._send(HTTPStatus.OK, "text/html", page, "utf-8", body)
            return
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or p.startswith(".") or "\\" in p for p in parts):
            self._not_found("utf-8", body)
            return
        charset = config.charsets.get(parts[0], "utf-8")
        file = config.root.joinpath(*parts)
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                self._record(HTTPStatus.MOVED_PERMANENTLY)
                return
            file = file / "index.html"
        if not file.is_file():
            self._not_found(charset, body)
            return
        ctype = _TYPES.get(file.suffix.lower(), "application/octet-stream")
        data = file.read_bytes()
        if ctype in _TEXT_TYPES or ctype == "image/svg+xml":
            text = render(data.decode("utf-8"), today)
            self._send(HTTPStatus.OK, ctype, text, charset if ctype in _TEXT_TYPES else None, body)
        else:
            self._send_bytes(HTTPStatus.OK, ctype, data, body)

    def _not_found(self, charset: str, body: bool) -> None:
        page = (
            f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="{charset}"><title>404</title>'
            "</head><body><h1>404 页面不存在</h1><p>您访问的页面不存在或已被删除。"
            "The page you requested does not exist.</p></body></html>"
        )
        self._send(HTTPStatus.NOT_FOUND, "text/html", page, charset, body)

    def _send(
        self, status: HTTPStatus, ctype: str, text: str, charset: str | None, body: bool
    ) -> None:
        data = text.encode(charset or "utf-8", errors="xmlcharrefreplace")
        header = f"{ctype}; charset={charset}" if charset else ctype
        self._send_bytes(status, header, data, body)

    def _send_bytes(self, status: HTTPStatus, ctype: str, data: bytes, body: bool) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            # Pages change with the date; a cached copy from yesterday would mislead.
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self._record(status)

    def _record(self, status: int) -> None:
        self.server.config.log.append(RequestRecord(self.command, self.path, int(status)))


def _index_page(entries: list[DemoEntry], base_url: str) -> str:
    rows, menus = [], []
    for entry in entries:
        if entry.menus:
            menus.append(
                f"<h2>{html.escape(entry.name)} 菜单清单 / menu list</h2>"
                f"<pre>{html.escape(entry.menu_list(base_url))}</pre>"
            )
        faults = "；".join(entry.planted) or "无（作为正常对照）"
        kind = (
            "网站" if entry.kind == Kind.WEBSITE else PLATFORM_LABELS.get(entry.platform or "", "")
        )
        rows.append(
            f'<tr><td><a href="/{entry.slug}/">{html.escape(entry.name)}</a></td>'
            f"<td>{html.escape(kind)}</td><td>{html.escape(faults)}</td></tr>"
        )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>演示站点 / Demo sites</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;"
        "padding:4px 8px}table{border-collapse:collapse}</style></head><body>"
        "<h1>演示站点 / Demo sites</h1><p>虚构的“江屿省”网站与政务新媒体，含故意设置的问题。"
        "Fictional sites and accounts with planted problems.</p>"
        "<table><tr><th>名称</th><th>类型</th><th>设置的问题</th></tr>"
        + "".join(rows)
        + "</table><p>账号菜单清单可复制后在应用中“粘贴列表”。"
        "Copy an account's menu list and paste it into the app.</p>"
        + "".join(menus)
        + "</body></html>"
    )


class DemoServer:
    """Serves the demo sites at ``http://127.0.0.1:PORT/<slug>/`` from a background thread.

    The port is free-chosen unless given. ``today`` pins the date placeholders (tests, and scans
    with ``--as-of``); by default each request renders relative to the current day. Use as a
    context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        today: date | None = None,
        root: Path = SITES,
    ) -> None:
        self._address = (host, port)
        self._entries = demo_entries()
        self._config = _Config(
            root=root,
            today=today,
            charsets={e.slug: e.charset for e in self._entries},
            entries=self._entries,
        )
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> DemoServer:
        """Bind and start serving; returns ``self`` so ``DemoServer().start()`` reads well."""
        if self._httpd is not None:
            return self
        httpd = _Server(self._address, _Handler)
        httpd.config = self._config
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="inspector-demo-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; idempotent."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (only while running)."""
        if self._httpd is None:
            raise RuntimeError("DemoServer is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` without a trailing slash."""
        return f"http://{self._address[0]}:{self.port}"

    def url(self, slug: str) -> str:
        """The address of one demo site or account page."""
        return f"{self.base_url}/{slug}/"

    @property
    def entries(self) -> list[DemoEntry]:
        """The demo's sites and accounts."""
        return list(self._entries)

    @property
    def requests(self) -> list[RequestRecord]:
        """The requests answered so far, oldest first (the last 100,000)."""
        return list(self._config.log)
