"""URL normalisation: one spelling per site, so keys and duplicates are found reliably."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
#: ``mailto:``, ``javascript:``, a mistyped ``htp:/x``; but not ``host:8080``.
_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?!\d)")


class InvalidURL(ValueError):
    """A string that cannot be a website address; the message says why (in Chinese and English)."""


def normalise_url(raw: str) -> str:
    """Return the canonical form of a site address typed by a person.

    Adds ``http://`` when the scheme is missing (registers often list bare ``www.x.gov.cn``),
    lower-cases scheme and host, converts internationalised hosts to IDNA, drops default ports
    and fragments, and gives an empty path as ``/``. Query strings are kept: some CMSs route on them.
    """
    text = raw.strip().replace("\u3000", "")
    if not text:
        raise InvalidURL("网址为空 / URL is empty")
    if any(ch.isspace() for ch in text):
        raise InvalidURL(f"网址含空白字符 / URL contains whitespace: {raw!r}")
    if not _SCHEME.match(text):
        # A bare address; "://" further on (a query such as ?to=http://…) is not a scheme.
        if _OTHER_SCHEME.match(text):
            raise InvalidURL(f"不支持的网址协议 / unsupported URL scheme: {raw!r}")
        text = "http://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidURL(f"不支持的网址协议 / unsupported URL scheme: {raw!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host or ("." not in host and host != "localhost"):
        raise InvalidURL(f"网址缺少有效域名 / URL has no valid host: {raw!r}")
    try:
        host = host.encode("idna").decode("ascii").lower()
        port = parts.port
    except (UnicodeError, ValueError) as exc:
        raise InvalidURL(f"网址域名无效 / invalid host in URL: {raw!r}") from exc
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def url_key(url: str) -> str:
    """The scheme-less form used in target keys: ``http`` and ``https`` of one site are one site."""
    parts = urlsplit(normalise_url(url))
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc}{path}{query}"
