"""The plain data the scanner's stages hand to each other.

fetch (bytes off the network) -> pages (what a page shows) -> detectors (hints with proof)
-> crawl (one target's scan) -> JSON and the findings file. Keeping these types here, apart from
the code that makes them, lets each stage be tested alone with hand-built inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from inspector.store import Hint


class FetchError(StrEnum):
    """Why a fetch produced no usable answer; the words are what inspectors and probes record."""

    DNS = "dns"
    CONNECT = "tcp"  # refused, reset, unreachable
    TLS = "tls"  # certificate or handshake failure (content may still be read unverified)
    TIMEOUT = "timeout"  # no complete answer within the budget (15 s rule for reachability)
    TOO_LARGE = "too_large"  # body or decompressed body over its cap
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    PROTOCOL = "http"  # malformed answer, bad chunking, broken compression
    UNSUPPORTED = "unsupported"  # a scheme or address the scanner will not visit


@dataclass(frozen=True)
class Redirect:
    """One hop of a redirect chain, kept as proof of where a link really led."""

    url: str
    status: int


@dataclass(frozen=True)
class FetchResult:
    """Everything one request learned. `body` is capped; `truncated` says when it was cut."""

    url: str
    final_url: str
    status: int | None
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""
    truncated: bool = False
    redirects: tuple[Redirect, ...] = ()
    elapsed_ms: int = 0
    error: FetchError | None = None
    error_detail: str = ""
    tls_unverified: bool = False  # read although the certificate failed verification
    attempts: int = 1
    method: str = "GET"

    @property
    def ok(self) -> bool:
        """A complete answer with a non-error status."""
        return self.error is None and self.status is not None and self.status < 400

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class ColumnState(StrEnum):
    """The scan JSON's column states. `unknown` when the static HTML does not show the items."""

    FRESH = "fresh"
    STALE = "stale"
    BLANK = "blank"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Link:
    """A link or image on a page, with where on the page it sits."""

    url: str  # absolute
    text: str
    area: str  # "nav" | "block" | "more" | "body" | "footer" | "image"


@dataclass(frozen=True)
class ListItem:
    """One entry of a column's main list. `date_source` says how its date was found."""

    title: str
    url: str | None
    date: date | None
    date_source: str = ""  # "text" | "url" | "title" | "text-yearless" | ""
    pinned: bool = False  # 置顶 items are not evidence of updates


@dataclass(frozen=True)
class ColumnRef:
    """A column found on the homepage (or a section page): its name decides its kind."""

    name: str
    url: str
    found_on: str
    via: str  # "nav" | "block" | "more"


@dataclass(frozen=True)
class ListPage:
    """A column page as the scanner reads it."""

    url: str
    items: tuple[ListItem, ...] = ()
    js_rendered: bool = False  # the list is filled by script from another request
    placeholder: str | None = None  # 暂无信息 / 暂无数据 … text found where the list should be
    under_construction: str | None = None  # 建设中 / 维护中 … marker text found
    next_page: str | None = None  # absolute URL of page 2, when the page links one
    links: tuple[Link, ...] = ()
    client_redirect: str | None = None  # meta refresh / location= target of a near-empty page
    content_page: bool = False  # a single-article column (机构职能 …): no list, not blank

    @property
    def newest(self) -> ListItem | None:
        """The newest dated, non-pinned item: the one that decides freshness."""
        dated = [i for i in self.items if i.date is not None and not i.pinned]
        return max(dated, key=lambda i: i.date or date.min, default=None)


@dataclass(frozen=True)
class Identity:
    """The identity items every site must show (47号 guideline), as found."""

    site_code: str | None = None
    site_code_source: str = ""  # "meta" | "footer"
    icp: str | None = None
    police_record: str | None = None
    gov_identifier: bool = False  # 党政机关网站标识


@dataclass(frozen=True)
class HomePage:
    """A homepage as the scanner reads it."""

    url: str
    title: str = ""
    columns: tuple[ColumnRef, ...] = ()
    links: tuple[Link, ...] = ()
    items: tuple[ListItem, ...] = ()  # dated entries shown on the homepage
    identity: Identity = field(default_factory=Identity)
    under_construction: str | None = None
    blocked: str | None = None  # challenge / WAF / CAPTCHA marker: needs a browser check
    soft_404: str | None = None
    navigation_only: bool = False  # a homepage that is only navigation (W-V3: judge sections)
    js_rendered: bool = False  # its dated boxes are filled by script: freshness unknown
    client_redirect: str | None = None  # meta refresh / location= target of a near-empty page


@dataclass(frozen=True)
class ColumnReport:
    """One column's line in the scan JSON, with the item that decided it as proof."""

    name: str
    url: str
    kind: str  # "news" | "notice" | "other" …: the profile's column kinds
    state: ColumnState
    latest: date | None = None
    items: int = 0
    latest_title: str = ""
    latest_url: str | None = None
    found_on: str = ""


@dataclass
class TargetScan:
    """The scan of one website or account target: what the JSON's `targets[]` entry holds."""

    key: str
    name: str
    url: str
    kind: str = "website"
    reachable: bool = False
    status: int | None = None
    elapsed_ms: int | None = None
    columns: list[ColumnReport] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)
    platform: str | None = None  # accounts only
    latest_post: date | None = None  # accounts only
    pages_fetched: int = 0
    error: str = ""
