"""What a new-media account's page shows: its latest post date and whether its function works.

Pure functions from decoded HTML to plain values; no network (issue #6, items 3, 4 and 8).

The latest post date decides M-V2 (no post within two weeks: a veto), so it is read only from the
page's own data, never from prose:

- WeChat article pages: the publish timestamp in a script variable (``var ct = "1718000000"``,
  ``publish_time = "2025-06-10"``), the ``<em id="publish_time">`` tag, or a meta tag
  (``article:published_time``);
- Weibo-, Toutiao- and Douyin-like pages: embedded JSON (``window.__INITIAL_STATE__``,
  ``$render_data``, ``window._SSR_HYDRATED_DATA`` with its bare ``undefined`` values,
  ``<script type="application/json">``, also URL-encoded as in Douyin's ``RENDER_DATA``) with
  ``created_at``-style keys, then the times a post list shows in elements marked as times
  (``<time>``, ``class="time"``);
- WeChat history pages (``profile_ext?action=home``): JSON carried in a string variable,
  HTML-escaped and perhaps ``\\x``-escaped (``var msgList = '{&quot;list&quot;:…}'``), whose
  posts carry ``comm_msg_info.datetime``.

Pinned posts (置顶, ``"isTop": 1``, ``is_top``) never decide, and neither do dates quoted in a
post's text: a sentence "2025年6月10日召开会议" is not a publish time. Relative times ("刚刚",
"5分钟前", "3小时前", "3天前", "昨天 20:10", "前天 08:00", "今天 08:15") are resolved against the
moment the page was fetched (the response's ``Date``), in China time, since that is the clock
the platform wrote them with; year-less dates ("06-10") take their year by ``dates.infer_year``.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote

from lxml import etree

from inspector.profiles import Profile
from inspector.scan.dates import EARLIEST_YEAR, TOLERANCE, infer_year
from inspector.scan.detectors import bilingual
from inspector.store import Hint
from inspector.targets import Target

__all__ = [
    "CHINA",
    "FUNCTION_MARKERS",
    "PostDate",
    "account_hints",
    "function_markers",
    "function_markers_of",
    "latest_post",
    "resolve_time",
]

CHINA = timezone(timedelta(hours=8), "CST")
#: Markers of a menu or mini program that does not work, used when no profile is given; the
#: profile's ``markers["under_construction"]`` come first when it is.
FUNCTION_MARKERS = (
    "该功能正在开发中",
    "功能正在开发中",
    "正在开发中",
    "Under Development",
    "Under Construction",
    "小程序已过期",
    "该小程序已暂停服务",
    "已停止服务",
    "暂停服务",
    "系统升级维护中",
    "系统升级",
    "升级维护",
    "系统维护",
    "维护中",
    "建设中",
    "已过期",
    "Coming soon",
)
# A marker counts in the title of any page, in the text only of a small page: a long post list
# may well say "系统升级" in a post.
_SMALL_PAGE_CHARS = 500
_PIN_WORDS = ("置顶",)
_PIN_KEYS = frozenset({"istop", "is_top", "top", "pinned", "is_pinned", "ispinned", "sticky"})
# Keys holding a post's publish time in the JSON platforms embed.
_TIME_KEYS = frozenset(
    {
        "created_at",
        "create_time",
        "createtime",
        "publish_time",
        "publishtime",
        "publish_date",
        "pubdate",
        "pub_date",
        "behot_time",
        "ctime",
        "post_time",
        "posttime",
        "datepublished",
        "datetime",  # WeChat history: comm_msg_info.datetime
    }
)
# Records of a person, not posts: their own times (account creation, last login) never count, but
# a list under them may hold the posts (Douyin's ``user.post.data``).
_PROFILE_KEYS = frozenset({"user", "author", "userinfo", "user_info", "authorinfo"})
# A reposted original: someone else's post, with all it holds.
_FOREIGN_KEYS = frozenset({"retweeted_status"})
_JSON_STARTS = re.compile(
    r"(?:window\.__INITIAL_STATE__|window\.__INITIAL_DATA__|window\.__DATA__|"
    r"window\.__NUXT__|\$render_data|window\._SSR_HYDRATED_DATA)\s*=\s*",
)
_SCRIPT_VARS = (
    # WeChat: var ct = "1718000000"; (also ct: "…" inside an object)
    re.compile(r"""\bvar\s+ct\s*=\s*["']?(\d{10})["']?"""),
    re.compile(r"""\bvar\s+publish_time\s*=\s*["']([^"']{6,40})["']"""),
    re.compile(r"""\bvar\s+(?:create_time|createTime|ori_create_time)\s*=\s*["']?(\d{10})["']?"""),
)
_META_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "publishdate",
    "pubdate",
    "publish_time",
    "datepublished",
)


@dataclass(frozen=True)
class PostDate:
    """The latest post's date as the page shows it: how it was read and the text that decided."""

    day: date
    source: str  # "script-var" | "json" | "list" | "meta"
    text: str


# ── times ───────────────────────────────────────────────────────────────────────────────────────

_FULL = re.compile(
    r"^\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_YEARLESS = re.compile(r"^\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2})?\s*$")
_AGO = re.compile(r"^\s*(\d{1,4})\s*(秒|分钟|分|小时|个小时|天|日)前\s*$")
_DAY_WORD = re.compile(r"^\s*(今天|昨天|前天)\s*(?:(\d{1,2}):(\d{2}))?\s*$")
_WEIBO = "%a %b %d %H:%M:%S %z %Y"


def _china(moment: datetime) -> datetime:
    """A moment in China time; a naive one is taken to be China time already."""
    return moment.replace(tzinfo=CHINA) if moment.tzinfo is None else moment.astimezone(CHINA)


def _from_epoch(value: int) -> date | None:
    if value > 10**12:  # milliseconds
        value //= 1000
    if not 10**9 <= value < 10**10:
        return None
    return datetime.fromtimestamp(value, UTC).astimezone(CHINA).date()


def resolve_time(text: str | int | float, fetched_at: datetime) -> date | None:
    """The day a platform's time text means, read at ``fetched_at``; None when it is not a time.

    Absolute (``2025-06-10``, ``2025-06-10 14:03``, ISO with an offset, Weibo's ``Tue Jun 10
    14:03:00 +0800 2025``, epoch seconds or milliseconds), relative (刚刚, N秒/分钟/小时/天前,
    今天/昨天/前天 HH:MM) and year-less (``06-10``, ``6月10日``). Days after the fetch are refused.
    """
    now = _china(fetched_at)
    today = now.date()
    found: date | None = None
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        found = _from_epoch(int(text))
    else:
        value = text.strip()
        if not value or len(value) > 64:
            return None
        if value.isdigit() and len(value) in (10, 13):
            found = _from_epoch(int(value))
        elif value == "刚刚":
            found = today
        elif match := _AGO.match(value):
            amount, unit = int(match.group(1)), match.group(2)
            step = {
                "秒": timedelta(seconds=amount),
                "分钟": timedelta(minutes=amount),
                "分": timedelta(minutes=amount),
                "小时": timedelta(hours=amount),
                "个小时": timedelta(hours=amount),
            }.get(unit, timedelta(days=amount))
            found = (now - step).date()
        elif match := _DAY_WORD.match(value):
            found = today - timedelta(days={"今天": 0, "昨天": 1, "前天": 2}[match.group(1)])
        elif match := _FULL.match(value):
            found = _full(match)
        elif match := _YEARLESS.match(value):
            found = infer_year(int(match.group(1)), int(match.group(2)), today)
        else:
            try:
                found = datetime.strptime(value, _WEIBO).astimezone(CHINA).date()
            except ValueError:
                return None
    if found is None or found.year < EARLIEST_YEAR or found > today + TOLERANCE:
        return None
    return found


def _full(match: re.Match[str]) -> date | None:
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    offset = match.group(6)
    if offset and match.group(4) is not None:
        # A time with an explicit offset: the day is China's day of that moment.
        stamp = f"{found.isoformat()}T{int(match.group(4)):02d}:{match.group(5)}"
        zone = (
            "+00:00"
            if offset == "Z"
            else offset
            if ":" in offset
            else offset[:3] + ":" + offset[3:]
        )
        try:
            return datetime.fromisoformat(stamp + zone).astimezone(CHINA).date()
        except ValueError:
            return found
    return found


# ── the latest post ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Candidate:
    day: date
    source: str
    text: str
    pinned: bool = False


def latest_post(html: str, url: str, *, platform: str, fetched_at: datetime) -> PostDate | None:
    """The latest post's date the page itself shows, or None when it shows none.

    An article page's own publish time (script variable, publish-time tag, meta) wins outright:
    the page is one post. Otherwise the newest non-pinned time among the embedded JSON posts and,
    when there is no JSON, the list's time elements. All pinned: the newest pinned one is still a
    real post of the account. ``url`` and ``platform`` are for the caller's proof and future
    platform-specific readers; the readers here recognise the shapes themselves.
    """
    del url, platform  # every reader below keys on the page's own shapes
    head = html[:2_000_000]
    article = _script_var(head, fetched_at) or _meta(head, fetched_at)
    if article is not None:
        return PostDate(article.day, article.source, article.text)
    candidates = list(_json_times(head, fetched_at))
    if not candidates:
        candidates = list(_list_times(head, fetched_at))
    if not candidates:
        return None
    free = [c for c in candidates if not c.pinned] or candidates
    best = max(free, key=lambda c: c.day)
    return PostDate(best.day, best.source, best.text)


def _script_var(html: str, fetched_at: datetime) -> _Candidate | None:
    for pattern in _SCRIPT_VARS:
        for match in pattern.finditer(html):
            day = resolve_time(match.group(1), fetched_at)
            if day is not None:
                return _Candidate(day, "script-var", match.group(0))
    return None


_PUBLISH_EM = re.compile(
    r"<em\b[^>]*\bid\s*=\s*[\"']publish_time[\"'][^>]*>([^<]{4,40})</em>", re.I
)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _meta(html: str, fetched_at: datetime) -> _Candidate | None:
    for match in _PUBLISH_EM.finditer(html):
        day = resolve_time(match.group(1), fetched_at)
        if day is not None:
            return _Candidate(day, "meta", match.group(0))
    for tag in _META_TAG.finditer(html):
        attrs = {
            m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _ATTR.finditer(tag.group(0))
        }
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if name in _META_NAMES:
            day = resolve_time(attrs.get("content", ""), fetched_at)
            if day is not None:
                return _Candidate(day, "meta", tag.group(0))
    return None


_SCRIPT_BLOCK = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
# ByteDance's server-rendered state writes JavaScript's bare ``undefined`` where JSON has null.
_UNDEFINED = re.compile(r"(?<=[:,\[])\s*undefined(?=\s*[,}\]])")
# JSON inside a JavaScript string literal: ``= '{&quot;list&quot;:[…]}'``, ``= '{\x22a\x22:1}'``.
_JSON_STRING = re.compile(
    r"""=\s*(['"])([{\[]\s*(?:&quot;|\\x22|\\u0022|\\"|(?!\1)"|[\]}])(?:\\.|(?!\1)[^\\])*)\1"""
)
_JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _loads(text: str) -> Any:
    """The JSON value of ``text``, or None when it is not JSON (or nests absurdly deep)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _js_unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "xu" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _JS_SIMPLE.get(code, code)


def _json_in_strings(body: str) -> Iterator[Any]:
    """JSON a script keeps in a string variable, JavaScript- then HTML-unescaped (WeChat's
    ``msgList``); the JSON's own ``\\/`` and ``&amp;quot;`` survive both steps."""
    for match in _JSON_STRING.finditer(body):
        text = htmllib.unescape(_JS_ESCAPE.sub(_js_unescape, match.group(2)))
        value = _loads(text)
        if value is not None:
            yield value


def _after(body: str, pos: int) -> Any:
    """The JSON value that starts at ``pos`` in a script, ``undefined`` read as null."""
    decoder = json.JSONDecoder()
    for text in (body, body[:pos] + _UNDEFINED.sub("null", body[pos:])):
        try:
            return decoder.raw_decode(text, pos)[0]
        except (ValueError, RecursionError):
            continue
    return None


def _json_blobs(html: str) -> Iterator[Any]:
    for block in _SCRIPT_BLOCK.finditer(html):
        attrs, body = block.group(1).lower(), block.group(2)
        if "application/json" in attrs or "application/ld+json" in attrs:
            text = body.strip()
            if text[:3].upper() in ("%7B", "%5B"):  # Douyin's RENDER_DATA: URL-encoded
                text = unquote(text)
            value = _loads(text)
            if value is not None:
                yield value
            continue
        for start in _JSON_STARTS.finditer(body):
            value = _after(body, start.end())
            if value is not None:
                yield value
        yield from _json_in_strings(body)


def _truthy_pin(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes") or "置顶" in value
    return False


def _is_pinned(post: dict[str, Any]) -> bool:
    for key, value in post.items():
        lowered = key.lower()
        if lowered in _PIN_KEYS and _truthy_pin(value):
            return True
        if lowered == "mblogtype" and value == 2:  # Weibo's pinned post type
            return True
        if isinstance(value, str) and value.strip() in _PIN_WORDS:  # a "置顶" label
            return True
        if isinstance(value, dict) and any(
            isinstance(v, str) and v.strip() in _PIN_WORDS for v in value.values()
        ):  # {"title": {"text": "置顶"}}
            return True
    return False


_MAX_DEPTH = 40  # posts sit a few levels down; a hostile page may nest thousands deep


def _walk(
    value: Any, fetched_at: datetime, pinned: bool, depth: int = 0, person: bool = False
) -> Iterator[_Candidate]:
    """The times of the posts under ``value``; ``person`` while inside a user record, whose own
    times are not posts but whose lists may be (Douyin keeps the posts under ``user.post``)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for entry in value:
            yield from _walk(entry, fetched_at, pinned, depth + 1)
        return
    if not isinstance(value, dict):
        return
    pinned = pinned or _is_pinned(value)
    for key, entry in value.items():
        lowered = key.lower()
        if lowered in _FOREIGN_KEYS:
            continue
        if lowered in _TIME_KEYS and isinstance(entry, str | int | float):
            day = None if person else resolve_time(entry, fetched_at)
            if day is not None:
                text = json.dumps({key: entry}, ensure_ascii=False)[1:-1]
                yield _Candidate(day, "json", text, pinned)
        elif isinstance(entry, dict | list):
            inner = person or (lowered in _PROFILE_KEYS and isinstance(entry, dict))
            yield from _walk(entry, fetched_at, pinned, depth + 1, inner)


def _json_times(html: str, fetched_at: datetime) -> Iterator[_Candidate]:
    for blob in _json_blobs(html):
        yield from _walk(blob, fetched_at, False)


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_TIME_CLASS = re.compile(r"(?:^|[\s_-])(?:time|date|datetime|pubtime|ptime)(?:$|[\s_-])", re.I)
_ITEM_CLASS = re.compile(r"item|card|feed|post|weibo|article|entry", re.I)
_PIN_CLASS = re.compile(r"(?:^|[\s_-])(?:top|is-top|sticky|pinned|pin|zd)(?:$|[\s_-])", re.I)


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _item_of(el: Any) -> Any:
    """The list entry a time element belongs to: the nearest li/article or item-like box."""
    node = el.getparent()
    for _ in range(6):
        if node is None:
            break
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("li", "article", "tr") or _ITEM_CLASS.search(node.get("class") or ""):
            return node
        node = node.getparent()
    return el.getparent()


def _list_times(html: str, fetched_at: datetime) -> Iterator[_Candidate]:
    try:
        root = etree.fromstring(html, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return
    if root is None:
        return
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in ("script", "style"):
            continue
        if tag == "time":
            text = el.get("datetime") or _text(el)
        elif _TIME_CLASS.search(el.get("class") or "") and len(el) == 0:
            text = _text(el)
        else:
            continue
        day = resolve_time(text, fetched_at)
        if day is None:
            continue
        item = _item_of(el)
        pinned = item is not None and (
            any(word in _text(item) for word in _PIN_WORDS)
            or bool(_PIN_CLASS.search(item.get("class") or ""))
        )
        yield _Candidate(day, "list", text, pinned)


# ── functions that do not work ──────────────────────────────────────────────────────────────────

_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_STRIP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")


def function_markers(html: str, markers: Sequence[str] | None = None) -> str | None:
    """The marker text of a menu page or mini program that does not work, or None.

    "该功能正在开发中", "Under Development", "小程序已过期", "已停止服务", "系统升级维护中" …: in the
    title of any page, in the visible text only of a small page (a post list may mention them).
    ``markers`` defaults to ``FUNCTION_MARKERS``; pass ``function_markers_of(profile)`` to use
    the profile's own list as well.
    """
    words = tuple(markers) if markers is not None else FUNCTION_MARKERS
    head = html[:400_000]
    title_match = _TITLE_RE.search(head)
    title = " ".join(_TAGS.sub(" ", title_match.group(1)).split()) if title_match else ""
    found = _first(title, words)
    if found is not None:
        return found
    body = _TAGS.sub(" ", _STRIP.sub(" ", _TITLE_RE.sub(" ", head)))
    visible = " ".join(body.split())
    if len(visible.replace(" ", "")) > _SMALL_PAGE_CHARS:
        return None
    return _first(visible, words)


def function_markers_of(profile: Profile) -> tuple[str, ...]:
    """The markers to look for: the specific built-in ones first (so the proof quotes
    "该功能正在开发中" rather than "建设中"), then the profile's ``under_construction`` list."""
    extra = tuple(m for m in profile.markers.get("under_construction", ()) if m)
    return tuple(dict.fromkeys(FUNCTION_MARKERS[:12] + extra + FUNCTION_MARKERS[12:]))


def _first(text: str, markers: Sequence[str]) -> str | None:
    lowered = text.lower()
    for marker in markers:
        if marker and marker.lower() in lowered:
            return marker
    return None


# ── hints ───────────────────────────────────────────────────────────────────────────────────────

STALE_INDICATOR = "M-V2"
FUNCTION_INDICATOR = "M-D2"


def account_hints(
    target: Target,
    post: PostDate | None,
    *,
    profile: Profile,
    as_of: date,
    url: str,
    function_marker: str | None = None,
) -> list[Hint]:
    """The hints an account page proves.

    ``account_stale`` (M-V2) when the latest post is older than the profile's window before
    ``as_of``; nothing when the page shows no date (the inspector enters it by hand) or when the
    post is after ``as_of`` (it says nothing about the window). ``function_unusable`` (the
    profile's functions-unusable item, M-D2) when ``function_marker`` was found on the page.
    ``url`` is the page that showed it.
    """
    stamp = as_of.isoformat()
    hints: list[Hint] = []
    if post is not None and profile.has(STALE_INDICATOR):
        try:
            window = int(profile.threshold(STALE_INDICATOR, "window_days"))
        except (KeyError, TypeError, ValueError):
            window = 14
        cutoff = as_of - timedelta(days=window)
        if post.day < cutoff:
            days = (as_of - post.day).days
            hints.append(
                Hint(
                    kind="account_stale",
                    indicator=STALE_INDICATOR,
                    url=url,
                    found_on=url,
                    detail=bilingual(
                        f"“{target.name}”最新发布于 {post.day.isoformat()}，"
                        f"距检查日已 {days} 天（时限 {window} 天）",
                        f"latest post {post.day.isoformat()}, {days} days before {stamp}"
                        f" (window {window} days) — {target.name}; read from {post.source}:"
                        f" {post.text[:120]}",
                    ),
                    as_of=stamp,
                )
            )
    if function_marker is not None:
        hints.append(
            Hint(
                kind="function_unusable",
                indicator=FUNCTION_INDICATOR if profile.has(FUNCTION_INDICATOR) else None,
                url=url,
                found_on=url,
                detail=bilingual(
                    f"“{target.name}”的页面显示“{function_marker}”",
                    f"the page shows “{function_marker}” — {target.name}",
                ),
                as_of=stamp,
            )
        )
    return hints
