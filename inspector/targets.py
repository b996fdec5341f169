"""What gets inspected: websites and new-media accounts, and their stable keys.

A key must survive re-imports of the list and merges of inspectors' files, so it is built from the
most stable identity a target has: the site code (网站标识码) when known, else the normalised URL;
for accounts the platform plus the account id, else the account name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from inspector.urls import url_key


class Kind(StrEnum):
    """The two kinds of target; indicator profiles apply by kind."""

    WEBSITE = "website"
    NEW_MEDIA = "new_media"


class State(StrEnum):
    """An inspector's judgement of one indicator on one target."""

    PROBLEM = "problem"
    OK = "ok"
    NA = "na"


def website_key(site_code: str | None, url: str | None) -> str:
    """``site:<code>`` when the site code is known, else ``url:<host/path>``."""
    if site_code:
        return f"site:{site_code.strip().lower()}"
    if url:
        return f"url:{url_key(url)}"
    raise ValueError("a website needs a site code or a URL")


def account_key(platform: str, account_id: str | None, name: str | None) -> str:
    """``account:<platform>:<id>``; the name stands in when a register lists no id."""
    ident = (account_id or "").strip() or (name or "").strip()
    if not ident:
        raise ValueError("an account needs an id or a name")
    return f"account:{platform.strip().lower()}:{ident.lower()}"


@dataclass(frozen=True)
class Target:
    """One row of a sample list, normalised.

    ``category`` is the register's type column (门户/部门/…); ``level`` its administrative level
    (省级/市级/县级). ``extra`` keeps columns the app does not know, so nothing in a list is lost.
    """

    key: str
    kind: Kind
    name: str
    url: str | None = None
    site_code: str | None = None
    owner: str = ""
    region: str = ""
    level: str = ""
    category: str = ""
    is_portal: bool = False
    no_public_services: bool = False
    platform: str | None = None
    account_id: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
