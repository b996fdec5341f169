"""The menu items of a new-media account: reading the inspector's list, and what a status proves.

Inspectors get an account's menu as whatever is at hand: typed by hand, pasted from a chat or a
spreadsheet, or a ``.txt``/``.csv``/``.xlsx`` file a colleague sent (issue 6 item 4). The reader
here is forgiving: it takes one item per line, finds the URL wherever it sits, keeps nested paths
("办事服务 > 社保查询") as the name, and skips headers, blank and separator lines and repeats, so a
paste never fails halfway.

Each item is then marked with a status when its page is opened; the problem statuses become
hints for the profile's menu indicators (M-D2 functions unusable, M-D3 dead menu links), which
the inspector confirms like any scan hint.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from inspector.profiles import Profile
from inspector.scan.accounts import FUNCTION_INDICATOR
from inspector.scan.detectors import bilingual
from inspector.store import MENU_STATUSES, Hint, MenuItem
from inspector.tables import TableError, read_text
from inspector.targets import Target

__all__ = [
    "DEAD_LINK_INDICATOR",
    "MENU_STATUSES",
    "PROBLEM_STATUSES",
    "STATUS_LABELS",
    "MenuList",
    "MenuListError",
    "menu_hint",
    "menu_hint_source",
    "parse_menu_list",
    "parse_menu_text",
    "read_menu_file",
    "status_for_marker",
]

#: The statuses that are a finding; ``unchecked`` and ``works`` are not.
PROBLEM_STATUSES = frozenset({"under_development", "expired", "maintenance", "dead_link"})

#: Each status as the UI and the hints name it: (中文, English).
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "unchecked": ("未检查", "not checked"),
    "works": ("正常", "works"),
    "under_development": ("建设中", "under development"),
    "expired": ("已过期", "expired"),
    "maintenance": ("维护中", "maintenance"),
    "dead_link": ("链接失效", "dead link"),
}

#: The profile's dead-menu-links item.
DEAD_LINK_INDICATOR = "M-D3"


class MenuListError(ValueError):
    """A menu list file cannot be read; the message says why in Chinese and English."""


@dataclass(frozen=True)
class MenuList:
    """What a pasted or imported list gave: ``(name, url)`` items in order, and how many
    non-blank lines were skipped (headers, separators, repeats), so the UI can say so."""

    items: list[tuple[str, str]]
    skipped: int


# --- reading a list ----------------------------------------------------------------------------

# A URL runs until whitespace, a quote, or Chinese punctuation that a paste puts after it.
_URL = re.compile(r"https?://[^\s\"'<>，。；、“”‘’（）【】《》]+", re.I)
_URL_TAIL = ".,;:!?)]}"
# Spaces a paste may carry: full-width (U+3000), no-break, zero-width and the BOM.
_SPACES = str.maketrans({"\u3000": " ", "\u00a0": " ", "\u200b": "", "\ufeff": ""})
# What may surround a name in a list: separators, bullets, table bars, quotes, colons.
_FRAME = " \t|,，;；:：。、-–—=_~•·*#>\"'“”‘’"
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}|[（(]\d{1,3}[)）])\s*(?:[.、．)）]\s*|\s+(?=\S))")
_HEADER_WORDS = frozenset(
    {
        *("序号", "名称", "名字", "菜单", "菜单名", "菜单名称", "菜单项", "一级菜单", "二级菜单"),
        *("链接", "网址", "地址", "链接地址", "菜单链接", "备注"),
        *("no", "no.", "name", "menu", "item", "url", "link", "address", "note"),
    }
)
_HEADER_SPLIT = re.compile(r"[\t,，|]")


def _cells(line: str, *, tabular: bool) -> list[str]:
    """Split a line into cells: on tabs, else on commas when the text is CSV-like."""
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    if tabular and "," in line:
        try:
            return [c.strip() for c in next(csv.reader([line]))]
        except csv.Error:
            return [line]
    return [line]


def _is_header(line: str) -> bool:
    """A header row names its columns only: "名称,链接", "name<Tab>url", "| 序号 | 菜单 | 网址 |"."""
    cells = [c.strip().lower() for c in _HEADER_SPLIT.split(line) if c.strip()]
    return len(cells) >= 2 and all(c in _HEADER_WORDS for c in cells)


def _url_in(cell: str) -> str:
    match = _URL.search(cell)
    return match.group(0).rstrip(_URL_TAIL) if match else ""


def _name_of(cell: str) -> str:
    """The readable name in a cell: its URLs, the list's numbering and framing removed, spaces
    folded."""
    name = _URL.sub(" ", cell).strip(_FRAME)
    name = _NUMBERING.sub("", name, count=1)
    return " ".join(name.strip(_FRAME).split())


def _entry(line: str, *, tabular: bool) -> tuple[str, str] | None:
    """The ``(name, url)`` a line names, or None when it names nothing (a separator line)."""
    cells = [c for c in _cells(line, tabular=tabular) if c]
    url = next((u for c in cells if (u := _url_in(c))), "")
    names = [name for cell in cells if (name := _name_of(cell))]
    # A numbering column (序号) is not the name when a real one follows.
    name = next((n for n in names if not n.isdigit()), names[0] if names else "")
    if not name and not url:
        return None
    return (name or url, url)


def parse_menu_text(text: str) -> MenuList:
    """Read ``(name, url)`` items from pasted or imported text, one item per line.

    Name and URL may be separated by a tab, by spaces before ``http(s)://``, or by a comma (CSV,
    quoted or not); a line with only a URL takes the URL as its name. Nested paths such as
    "办事服务 > 社保查询" or "办事服务/社保查询" stay whole as the name, list numbering ("1.", "2、")
    is dropped. Blank lines are ignored; header lines ("名称,链接", "name\\turl"), separator
    lines ("-----") and repeated items are skipped and counted.
    """
    lines = text.translate(_SPACES).splitlines()
    tabular = any(_is_header(line) and ("," in line or "，" in line) for line in lines)
    items: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    skipped = 0
    for line in lines:
        if not line.strip():
            continue
        entry = (
            None if _is_header(line) else _entry(line, tabular=tabular or bool(_URL.search(line)))
        )
        if entry is None or entry in seen:
            skipped += 1
            continue
        seen.add(entry)
        items.append(entry)
    return MenuList(items, skipped)


def parse_menu_list(text: str) -> list[tuple[str, str]]:
    """The ``(name, url)`` items of pasted or imported text; see :func:`parse_menu_text`."""
    return parse_menu_text(text).items


def read_menu_file(path: Path) -> list[tuple[str, str]]:
    """The menu items of a ``.txt``/``.csv`` file (UTF-8, UTF-16 or GBK/GB18030, found by
    content) or of the first sheet of an ``.xlsx`` workbook (each row's cells, so a 序号 or
    备注 column beside 名称 and 链接 does no harm). Raises MenuListError for a file that cannot
    be read, with the same bilingual reasons as sample-list imports."""
    try:
        text = read_text(Path(path))
    except TableError as exc:
        raise MenuListError(str(exc)) from exc
    return parse_menu_list(text)


# --- statuses and hints ------------------------------------------------------------------------

_EXPIRED_WORDS = ("过期", "停止服务", "暂停服务", "已下线", "已停用", "expired")
_MAINTENANCE_WORDS = ("维护", "升级", "maintenance")


def status_for_marker(marker: str) -> str:
    """The status a marker found on a menu page implies: a mini program that expired or stopped
    ("小程序已过期", "已停止服务") is ``expired``, "系统升级维护中" is ``maintenance``, anything else
    ("该功能正在开发中", "建设中", "Coming soon") is ``under_development``."""
    lowered = marker.lower()
    if any(word in lowered for word in _EXPIRED_WORDS):
        return "expired"
    if any(word in lowered for word in _MAINTENANCE_WORDS):
        return "maintenance"
    return "under_development"


def menu_hint_source(item_id: str) -> str:
    """The ``hints.source`` of an item's hint, so the UI can find and dismiss it again."""
    return f"menu:{item_id}"


def menu_hint(target: Target, item: MenuItem, *, profile: Profile, as_of: date) -> Hint | None:
    """The hint a menu item's problem status proves, or None for ``works`` and ``unchecked``.

    Under development, expired and maintenance are ``function_unusable`` (the profile's M-D2, as
    when a scan finds the marker on a page); a dead link is ``broken_link`` (M-D3). A profile
    without that item still gets the hint, with no indicator, like the scan's hints.
    """
    if item.status not in PROBLEM_STATUSES:
        return None
    if item.status == "dead_link":
        kind, indicator = "broken_link", DEAD_LINK_INDICATOR
    else:
        kind, indicator = "function_unusable", FUNCTION_INDICATOR
    label_zh, label_en = STATUS_LABELS[item.status]
    shown_zh = f"，页面显示“{item.marker}”" if item.marker else ""
    shown_en = f", the page shows “{item.marker}”" if item.marker else ""
    return Hint(
        kind=kind,
        indicator=indicator if profile.has(indicator) else None,
        url=item.url,
        found_on=item.url,
        detail=bilingual(
            f"“{target.name}”的菜单“{item.name}”{label_zh}{shown_zh}",
            f"menu item “{item.name}” is {label_en}{shown_en} — {target.name}",
        ),
        as_of=as_of.isoformat(),
    )
