"""What a government web page shows: its columns, its main list and dates, its identity items.

Pure functions from decoded HTML (``str``) to the plain types of ``model``; no network, no Qt.
One parse per page and lxml's own iteration over it, so a page with 20,000 links stays well under
a second on an ordinary laptop.

The hard part is telling a column's *main list* from everything around it: navigation menus,
header date widgets ("今天是2025年6月14日"), breadcrumbs, 热点排行 sidebars full of dates, footers
with copyright ranges, pagers. Government CMS templates name their boxes in a few habitual ways
(``nav``, ``menu``, ``dh``, ``side``, ``hot``, ``footer``, ``bq`` …) and head their
sidebars with a few habitual words (热点, 排行, 推荐, 相关 …); anything inside such a box, or under
such a heading, is never a main list. Of what remains, the group of sibling rows with links that
has the most rows and, above all, the most dates wins.

When the page cannot show its list to a program that does not run scripts (an empty container
and a script that fetches data, an iframe, a template), the page says so (``js_rendered``) rather
than pretending the column is empty: such a column is "unknown", never "blank".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from inspector.profiles import Profile
from inspector.scan.dates import TOLERANCE, date_from_url, infer_year, infer_years, iter_dates
from inspector.scan.model import ColumnRef, HomePage, Identity, Link, ListItem, ListPage

__all__ = [
    "find_identity",
    "looks_blocked",
    "looks_soft_404",
    "parse_home",
    "parse_list",
]

Element = Any  # lxml.etree._Element; lxml ships no type information
# The plain etree parser: lxml.html's element classes cost a Python call per node touched.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)

# ── areas of a page ────────────────────────────────────────────────────────────────────────────
# Innermost wins only when it ranks higher: a "nav" inside a "footer" is still footer.
_MAIN, _HEADER, _NAV, _SIDE, _FOOTER = "main", "header", "nav", "side", "footer"
_RANK = {_MAIN: 0, _HEADER: 1, _NAV: 2, _SIDE: 3, _FOOTER: 4}
_TAG_AREAS = {"nav": _NAV, "header": _HEADER, "footer": _FOOTER, "aside": _SIDE}
_EXACT_TOKENS = {
    **dict.fromkeys(("dh", "daohang"), _NAV),
    **dict.fromkeys(("header", "topbar", "toptool", "tophead", "headtop", "toolbar"), _HEADER),
    **dict.fromkeys(("copyright", "bq", "banquan"), _FOOTER),
    **dict.fromkeys(("position", "location", "dqwz", "weizhi", "curpos"), _SIDE),
}
_PREFIX_TOKENS = (
    ("nav", _NAV),
    ("menu", _NAV),
    ("header", _HEADER),
    ("foot", _FOOTER),
    ("side", _SIDE),
    ("crumb", _SIDE),
    ("breadcrumb", _SIDE),
    ("hot", _SIDE),
    ("rank", _SIDE),
    ("paihang", _SIDE),
    ("phb", _SIDE),
    ("djph", _SIDE),
    ("tuijian", _SIDE),
    ("recommend", _SIDE),
    ("related", _SIDE),
    ("xgxx", _SIDE),
    ("xgwz", _SIDE),
    ("xglj", _SIDE),
    ("friend", _SIDE),
    ("yqlj", _SIDE),
    ("share", _SIDE),
)
# Words too common inside compound names ("more-bottom", "box-head") to count as parts: they mark
# an area only as a box's whole class or id.
_WHOLE_VALUES = {"bottom": _FOOTER, "head": _HEADER, "banner": _HEADER, "top": _HEADER}
_TOKEN_RE = re.compile(r"[a-z]+")
# Headings of boxes that are never a column's own list, whatever their class names.
_SIDE_HEADINGS = re.compile(
    r"热点|热门|排行|推荐|相关|点击排|阅读排|友情链接|栏目导航|快速导航|图说"
)

_SKIP_TEXT_TAGS = frozenset(
    {"script", "style", "noscript", "head", "template", "textarea", "select", "title"}
)
_ROW_TAGS = frozenset({"li", "tr", "dd", "dt"})
_ROW_STOP = frozenset({"ul", "ol", "table", "tbody", "dl", "body", "html"})
_REPEATABLE = frozenset({"a", "div", "p", "span", "dl", "section", "article", "h3", "h4", "em"})

_UNUSABLE_HREF = re.compile(r"^\s*(?:javascript:|mailto:|tel:|data:|about:|#|$)", re.I)
_MORE_TEXT = re.compile(
    r"^(?:更多|查看更多|更多信息|更多内容|more|查看全部|全部)?[\s>»›〉+＋.…]*$", re.I
)
_NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|后页|next|next\s*page|›|>)\s*[>»›]*$", re.I)
_NAME_JUNK = re.compile(r"更多|查看更多|\bmore\b|[>»›〉+＋【】\[\]|·•:：\s]+", re.I)
_SKIP_NAMES = re.compile(
    r"^(?:网站)?首页$|^主页$|返回|登录|登陆|注册|搜索|检索|^english$|^en$|繁體|繁体|简体|"
    r"无障碍|無障礙|长者|适老|关怀|老年|网站地图|联系我们|关于我们|找错|^rss$|手机版|移动版|"
    r"设为首页|加入收藏|收藏本站|智能问答|个人中心|用户中心|退出|^app$|客户端",
    re.I,
)
_ARTICLE_URL = re.compile(
    r"art_\d+_\d+|/t\d{8}_\d+|content_\d+|/\d{6,}\.s?html?$|\.(?:pdf|docx?|xlsx?|wps|zip|rar|"
    r"jpe?g|png|gif|mp4)$",
    re.I,
)
_HOME_PATH = re.compile(r"^/?(?:(?:index|default|main)\.(?:s?html?|jsp|php|aspx?))?$", re.I)
_INDEX_TAIL = re.compile(r"(?<=/)(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)
_NOT_ENTRIES = re.compile(
    r"^(?:上一页|上页|首页|网站首页|尾页|末页|前页|返回|返回首页|打印|打印本页|关闭|关闭窗口|收藏|分享)$"
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_TOKENS = frozenset(
    {"title", "tit", "hd", "bt", "biaoti", "lmmc", "lmbt", "lm", "heading", "column"}
)
_PIN_TOKENS = frozenset({"top", "zhiding", "istop", "settop", "sticky", "pinned", "ding", "zd"})
_PIN_ICON = re.compile(r"置顶|zhiding|(?:^|[/_\-.])(?:top|ding|zd)\d*\.(?:gif|png|jpe?g|svg)", re.I)

# Scripts that fill a page from another request.
_FETCH_SCRIPT = re.compile(
    r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b|dataproxy\.jsp|"
    r"\.json\b|jsonp|\.load\s*\(|\bnew\s+Vue\s*\(|createApp\s*\(",
    re.I,
)
_FETCH_SRC = re.compile(r"dataproxy|\.json|/api/|jsonp", re.I)
_TEMPLATE_TYPES = frozenset(
    {"text/html", "text/template", "text/x-template", "text/x-handlebars-template",
     "text/x-jquery-tmpl", "text/x-art-template"}
)  # fmt: skip
_VUE_MARKERS = re.compile(r"\sv-(?:for|if|html|text)\s*=|\{\{\s*[\w.$\[\]'\"]+\s*\}\}")
_LIST_TOKENS = frozenset(
    {"list", "lists", "news", "newslist", "data", "datalist", "content", "con", "items",
     "lb", "xxlb", "wzlb", "result", "results", "tbody", "infolist"}
)  # fmt: skip
_LOCATION_JS = re.compile(
    r"(?:window|document|self|top)?\.?location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]|"
    r"location\.replace\(\s*['\"]([^'\"]+)['\"]\s*\)"
)
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)

# Pagination as the common CMSs write it.
_TRS_PAGER = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_JS_NUMBER_VAR = r"(?:var|let|const)?\s*{name}\s*=\s*['\"]?(\d+)"
_TOTAL_PAGES = re.compile(r"共\s*(?:<[^>]{0,80}>\s*)*(\d+)\s*(?:<[^>]{0,80}>\s*)*页")
_TOTAL_RECORDS = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_HANWEB_UID = re.compile(r"\buid\s*[:=]\s*['\"]?(\d+)", re.I)
_PAGE_TWO_URL = re.compile(
    r"(?:_[12]\.s?html?$)|[?&](?:page|pagenum|pageno|pageindex|p|curpage|currentpage)=2(?:&|$)"
    r"|/page/2/?$",
    re.I,
)
# A header's "今天是2025年6月14日 星期六" is today's date, not an item's, wherever it sits.
_WIDGET_DATE = re.compile(
    r"(?:今天是|今天|今日|当前日期|当前时间)\s*[:：]?\s*\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?"
    r"|\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?\s*(?:星期|周|礼拜)[一二三四五六日天]"
)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_RECORD = re.compile(r"<record[^>]*>(.*?)</record>", re.S | re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _token_area(token: str) -> str | None:
    area = _EXACT_TOKENS.get(token)
    if area is not None:
        return area
    for prefix, prefix_area in _PREFIX_TOKENS:
        if token.startswith(prefix):
            return prefix_area
    return None


def _tokens(el: Element) -> list[str]:
    cls = el.get("class")
    ident = el.get("id")
    if not cls and not ident:
        return []
    return _TOKEN_RE.findall(f"{cls or ''} {ident or ''}".lower())


def _area_of(el: Element, tag: str) -> str | None:
    best = _TAG_AREAS.get(tag)
    if tag in ("div", "table", "td", "section"):
        for value in (el.get("class"), el.get("id")):
            whole = _WHOLE_VALUES.get((value or "").strip().lower())
            if whole is not None and (best is None or _RANK[whole] > _RANK[best]):
                best = whole
    for token in _tokens(el):
        area = _token_area(token)
        if area is not None and (best is None or _RANK[area] > _RANK[best]):
            best = area
    return best


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _text_of(el: Element) -> str:
    if len(el) == 0:
        return _clean(el.text)
    return _clean("".join(el.itertext()))


# ── reading the document once ──────────────────────────────────────────────────────────────────


@dataclass(eq=False)
class _Anchor:
    el: Element
    url: str | None  # absolute, fragment removed; None when it goes nowhere (javascript:, #)
    text: str
    area: str
    _in_heading: bool | None = None

    @property
    def in_heading(self) -> bool:
        """Whether the link is a box heading (a column's name), never a list entry."""
        if self._in_heading is None:
            self._in_heading = _in_heading(self.el)
        return self._in_heading


@dataclass
class _Doc:
    """What the page readers need from a parsed page, collected with lxml's own (C) iteration.

    The area of every link comes from the few boxes that carry area classes; the visible text by
    area, needed only for pages without a list, is walked for on first use.
    """

    root: Element
    url: str
    base: str
    html: str
    title: str = ""
    anchors: list[_Anchor] = field(default_factory=list)
    images: list[tuple[str, str, str]] = field(default_factory=list)  # url, alt, area
    scripts: list[str] = field(default_factory=list)
    script_srcs: list[str] = field(default_factory=list)
    datastores: list[tuple[Element, str, str]] = field(default_factory=list)  # el, text, area
    templates: bool = False
    frames: bool = False
    empty_containers: bool = False
    refresh: str | None = None
    _texts: dict[str, list[str]] | None = None
    _plain: int = 0

    def text(self, *areas: str) -> str:
        texts = self._walk_texts()
        return " ".join(_clean(" ".join(texts[area])) for area in areas)

    @property
    def main_plain_chars(self) -> int:
        """Visible main-area text outside links: a content page has plenty, a list page little."""
        self._walk_texts()
        return self._plain

    def _walk_texts(self) -> dict[str, list[str]]:
        if self._texts is not None:
            return self._texts
        texts: dict[str, list[str]] = {area: [] for area in _RANK}
        area = _MAIN
        stack: list[str] = []
        skip = in_link = plain = 0
        for event, el in etree.iterwalk(self.root, events=("start", "end")):
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if event == "start":
                stack.append(area)
                special = _area_of(el, tag)
                if special is not None and _RANK[special] > _RANK[area]:
                    area = special
                if tag in _SKIP_TEXT_TAGS:
                    skip += 1
                elif tag == "a":
                    in_link += 1
                if skip == 0 and el.text:
                    texts[area].append(el.text)
                    if in_link == 0 and area == _MAIN:
                        plain += len(el.text.strip())
            else:
                if tag in _SKIP_TEXT_TAGS:
                    skip -= 1
                elif tag == "a":
                    in_link -= 1
                area = stack.pop()
                if skip == 0 and el.tail:
                    texts[area].append(el.tail)
                    if in_link == 0 and area == _MAIN:
                        plain += len(el.tail.strip())
        self._texts, self._plain = texts, plain
        return texts


def _root_of(html: str) -> Element:
    text = _CONTROL_CHARS.sub("", _XML_DECL.sub("", html, count=1))
    if text.strip():
        try:
            root = etree.fromstring(text, _PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            root = None
        if root is not None:
            return root
    return etree.fromstring("<html><body></body></html>", _PARSER)


_SIMPLE_PATH = re.compile(r"^[^:?#\\]*$")
_SAFE_ABSOLUTE = re.compile(r"^https?://[^/?#\\@\s\[\]]+(?:[/?][^#\\\s]*)?$", re.I)


@lru_cache(maxsize=64)
def _base_parts(base: str) -> tuple[str, str]:
    """The origin and the directory of a base URL, for the common cases of ``_absolute``."""
    parts = urlsplit(base)
    directory = parts.path[: parts.path.rfind("/") + 1] or "/"
    return f"{parts.scheme}://{parts.netloc}", directory


def _absolute(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for links that go nowhere.

    Plain absolute links, root-relative paths and simple relative names (the bulk of any page)
    take a fast path; anything with dot segments or odd characters goes through ``urljoin``.
    """
    if href is None or _UNUSABLE_HREF.match(href):
        return None
    href = href.strip()
    if "#" in href:
        href = href[: href.index("#")]
    if _SAFE_ABSOLUTE.match(href):
        return href
    if not href.startswith("//") and ".." not in href and "./" not in href:
        if href.startswith("/") and _SIMPLE_PATH.match(href):
            origin, _ = _base_parts(base)
            return origin + href
        if _SIMPLE_PATH.match(href) and "?" not in base:
            origin, directory = _base_parts(base)
            return origin + directory + href
    try:
        joined = urljoin(base, href)
        parts = urlsplit(joined)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit(parts._replace(fragment="")) if parts.fragment else joined


_AREA_XPATH = etree.XPath("//*[@class or @id] | //nav | //header | //footer | //aside")


def _area_by_ancestors(el: Element) -> str:
    area = _MAIN
    node = el
    while node is not None:
        tag = node.tag
        if isinstance(tag, str):
            special = _area_of(node, tag)
            if special is not None and _RANK[special] > _RANK[area]:
                area = special
        node = node.getparent()
    return area


def _read(html: str, url: str) -> _Doc:
    root = _root_of(html)
    base = url
    for el in root.iter("base"):
        href = el.get("href")
        if href:
            base = urljoin(url, href.strip())
        break
    doc = _Doc(root=root, url=url, base=base, html=html)
    for el in root.iter("title"):
        doc.title = _text_of(el)
        break

    # Boxes with an area, outermost first; a link takes the highest-ranked box around it.
    area_of_link: dict[Element, str] = {}
    for box in _AREA_XPATH(root):
        area = _area_of(box, box.tag) if isinstance(box.tag, str) else None
        if area is None:
            continue
        rank = _RANK[area]
        for el in box.iter("a", "img", "script", "iframe", "frame", "embed", "object"):
            known = area_of_link.get(el)
            if known is None or _RANK[known] < rank:
                area_of_link[el] = area

    for el in root.iter("a", "img", "script", "iframe", "frame", "frameset", "embed", "object"):
        tag = el.tag
        area = area_of_link.get(el, _MAIN)
        if tag == "a":
            doc.anchors.append(_Anchor(el, _absolute(base, el.get("href")), _text_of(el), area))
        elif tag == "img":
            src = _absolute(base, el.get("src"))
            if src is not None:
                doc.images.append((src, el.get("alt") or "", area))
        elif tag == "script":
            _script(doc, el, area)
        elif area not in (_FOOTER, _HEADER) and (
            tag == "frameset" or (el.get("src") or el.get("data") or "about:") != "about:"
        ):
            doc.frames = True
    for el in root.iter("meta"):
        if (el.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH.search(el.get("content") or "")
            if match:
                doc.refresh = _absolute(base, match.group(1).strip())
    for el in root.iter("ul", "ol", "tbody", "table", "div", "dl"):
        if (
            len(el) == 0
            and not (el.text or "").strip()
            and any(token in _LIST_TOKENS for token in _tokens(el))
            and _area_by_ancestors(el) == _MAIN
        ):
            doc.empty_containers = True
            break
    return doc


def _script(doc: _Doc, el: Element, area: str) -> None:
    kind = (el.get("type") or "").strip().lower()
    text = el.text or ""
    if "xml" in kind or "<datastore" in text[:2000].lower():
        doc.datastores.append((el, text, area))
        return
    if kind in _TEMPLATE_TYPES:
        doc.templates = True
        return
    src = el.get("src")
    if src:
        doc.script_srcs.append(src)
    if text.strip():
        doc.scripts.append(text)


def _fetches_data(doc: _Doc, html: str) -> bool:
    """Whether the page fills itself from another request (or a frame, or a template)."""
    if doc.templates or doc.frames:
        return True
    if any(_FETCH_SCRIPT.search(text) for text in doc.scripts):
        return True
    if any(_FETCH_SRC.search(src) for src in doc.script_srcs):
        return True
    return bool(_VUE_MARKERS.search(html))


def _client_redirect(doc: _Doc) -> str | None:
    if doc.refresh and doc.refresh != doc.url:
        return doc.refresh
    for text in doc.scripts:
        match = _LOCATION_JS.search(text)
        if match:
            target = _absolute(doc.base, match.group(1) or match.group(2))
            if target and target != doc.url:
                return target
    return None


# ── lists: rows, groups, dates ──────────────────────────────────────────────────────────────────


@dataclass(eq=False)
class _Row:
    el: Element
    anchor: _Anchor
    title: str
    day: date | None = None
    source: str = ""
    month_day: tuple[int, int] | None = None  # a year-less date awaiting the list's inference
    pinned: bool = False


@dataclass(eq=False)
class _Group:
    parent: Element
    area: str
    order: int
    rows: list[_Row] = field(default_factory=list)
    from_datastore: bool = False
    _heading: str | None = None

    @property
    def dated(self) -> int:
        return sum(1 for row in self.rows if row.day is not None)

    @property
    def score(self) -> int:
        return len(self.rows) + 2 * self.dated

    def heading(self) -> str:
        if self._heading is None:
            self._heading = _heading_near(self.parent)
        return self._heading


def _is_heading(el: Element) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return False
    if tag in _HEADING_TAGS:
        return True
    return any(token in _HEADING_TOKENS for token in _tokens(el))


def _short_text(el: Element, limit: int = 60) -> str | None:
    """The element's text when it is short (a heading), None when longer than ``limit``."""
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        if size > limit * 4:  # whitespace-heavy markup: judge after cleaning, within reason
            return None
        parts.append(piece)
    text = _clean("".join(parts))
    return text if len(text) <= limit else None


def _heading_near(el: Element) -> str:
    """The heading a box sits under: the nearest short preceding sibling, a level at a time."""
    node = el
    for _ in range(3):
        if node is None:
            break
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style"):
                continue
            text = _short_text(sibling)
            if text and (len(text) <= 30 or _is_heading(sibling)):
                return text
            break
        for child in node:
            if isinstance(child.tag, str) and _is_heading(child):
                text = _short_text(child, 30)
                if text:
                    return text
            break
        node = node.getparent()
    return ""


def _usable_row_anchor(anchor: _Anchor) -> bool:
    if anchor.url is None:
        # Entries that open through script (href="javascript:openDetail(12)") are still entries
        # with titles and dates the page shows; menus and tabs have short labels.
        href = (anchor.el.get("href") or "").lstrip().lower()
        if not (href.startswith("javascript:") and len(anchor.text) >= 6):
            return False
    if anchor.in_heading:
        return False
    text = anchor.text
    if not text:
        return bool(anchor.el.get("title")) or any(
            (img.get("alt") or "").strip() for img in anchor.el.iter("img")
        )
    if _MORE_TEXT.match(text) or _NEXT_TEXT.match(text) or text.isdigit():
        return False
    return not _NOT_ENTRIES.match(text)


def _semantic_row(el: Element) -> Element | None:
    node = el.getparent()
    for _ in range(4):
        if node is None or node.tag in _ROW_STOP:
            return None
        if node.tag in _ROW_TAGS:
            if node.tag == "dt":
                parent = node.getparent()
                if parent is not None and parent.tag == "dl" and len(parent.findall("dt")) == 1:
                    return parent
            return node
        node = node.getparent()
    return None


class _Repeats:
    """Finds a link's row in markup without li/tr: the nearest ancestor repeated among its
    siblings, where the repeated siblings themselves hold links (so a title span beside a date
    span is not mistaken for a row)."""

    def __init__(self, anchors: Iterable[Element]) -> None:
        self.linked: set[Element] = set()
        for el in anchors:
            node = el
            for _ in range(6):
                if node is None:
                    break
                self.linked.add(node)
                node = node.getparent()
        self._counts: dict[tuple[Element, str], int] = {}
        self._holds_list: dict[Element, bool] = {}

    def count(self, parent: Element, tag: str) -> int:
        key = (parent, tag)
        if key not in self._counts:
            self._counts[key] = sum(
                1 for child in parent if child.tag == tag and child in self.linked
            )
        return self._counts[key]

    def holds_list(self, node: Element) -> bool:
        if node not in self._holds_list:
            self._holds_list[node] = node.find(".//li") is not None
        return self._holds_list[node]

    def row(self, el: Element) -> Element:
        node = el
        for _ in range(5):
            parent = node.getparent()
            if parent is None or parent.tag == "html":
                break
            if node.tag in _REPEATABLE and self.count(parent, node.tag) >= 2:
                return node
            if node is not el and self.holds_list(node):
                break  # a box holding a list is not a row of another list
            node = parent
        return el


def _row_text_outside(row: Element, anchor: Element) -> str:
    if row is anchor:
        parts = [anchor.tail or ""]
        for sibling in anchor.itersiblings():
            if sibling.tag == "a" or (
                isinstance(sibling.tag, str) and sibling.find(".//a") is not None
            ):
                break
            parts.append(" ".join(sibling.itertext()) if isinstance(sibling.tag, str) else "")
            parts.append(sibling.tail or "")
            if len(parts) > 8:
                break
        return " ".join(parts)
    # Joined with spaces: adjacent cells "2025/05/28" "2025/06/03" must not run together.
    if anchor.getparent() is row:
        parts = [row.text or ""]
        for child in row:
            if child is not anchor and isinstance(child.tag, str):
                parts.extend(child.itertext())
            parts.append(child.tail or "")
        return " ".join(parts)
    whole = " ".join(row.itertext())
    inner = " ".join(anchor.itertext())
    return whole.replace(inner, " ", 1) if inner else whole


def _title_attr_date(value: str | None, as_of: date) -> date | None:
    if not value:
        return None
    found = [f for f in iter_dates(value, as_of) if f.source == "text"]
    if not found:
        return None
    for candidate in found:
        label = value[max(0, candidate.start - 8) : candidate.start]
        if re.search(r"时间|日期|发布|成文|更新", label):
            return candidate.day
    return found[-1].day


def _anchor_inner_date(anchor: Element, as_of: date) -> tuple[date, str] | None:
    """A full date in an element inside the link, or closing the link's own text; with the text
    that showed it, which is not part of the title."""
    for child in anchor.iterdescendants():
        if isinstance(child.tag, str) and child.text:
            found = [f.day for f in iter_dates(child.text, as_of) if f.source == "text"]
            if found:
                return max(found), child.text
    text = "".join(anchor.itertext()).rstrip()
    end = text[-24:]
    tail = [f for f in iter_dates(end, as_of) if f.source == "text"]
    if tail and tail[-1].end >= len(end) - 1:
        return tail[-1].day, end[tail[-1].start : tail[-1].end]
    return None


def _is_pinned(row: Element, anchor: Element, text: str) -> bool:
    if "置顶" in text:
        return True
    for el in (row, anchor):
        if any(token in _PIN_TOKENS for token in _tokens(el)):
            return True
    for el in row.iter("img", "i", "em", "span", "b"):
        if el.tag == "img":
            marker = f"{el.get('src') or ''} {el.get('alt') or ''} {el.get('title') or ''}"
            if _PIN_ICON.search(marker):
                return True
        elif not (el.text or "").strip() and any(token in _PIN_TOKENS for token in _tokens(el)):
            return True
    return False


def _make_row(row_el: Element, anchor: _Anchor, as_of: date) -> _Row:
    el = anchor.el
    text = anchor.text
    title_attr = _clean(el.get("title"))
    if not text or text.endswith(("...", "…", "..")):
        text = title_attr or text or _clean(" ".join(i.get("alt") or "" for i in el.iter("img")))
    row = _Row(row_el, anchor, text)
    outside = _WIDGET_DATE.sub(" ", _row_text_outside(row_el, el))
    full: list[date] = []
    for found in iter_dates(outside, as_of):
        if found.source == "text":
            full.append(found.day)
        elif row.month_day is None:
            row.month_day = (found.day.month, found.day.day)
    if full:
        # Tables show 成文日期 and 发布日期 side by side; the later one is the publish date.
        row.day, row.source = max(full), "text"
    else:
        url_day = date_from_url(anchor.url or "")
        if url_day is not None and url_day > as_of + TOLERANCE:
            url_day = None
        if (inner := _anchor_inner_date(el, as_of)) is not None:
            row.day, row.source = inner[0], "text"
            row.title = _clean(row.title.replace(_clean(inner[1]), " ")) or row.title
        elif (
            titled := _title_attr_date(el.get("title"), as_of)
            or _title_attr_date(row_el.get("title"), as_of)
        ) is not None:
            row.day, row.source = titled, "title"
        elif row.month_day is not None and url_day is not None:
            # [06-10] shown, t20250610_… in the link: the link's year is the item's year.
            row.day = infer_year(*row.month_day, as_of, [url_day])
            row.source = "text-yearless"
        elif url_day is not None:
            row.day, row.source = url_day, "url"
    if row.day is not None:
        row.month_day = None
    row.pinned = _is_pinned(row_el, el, outside + " " + text)
    return row


def _infer_group_years(group: _Group, as_of: date) -> None:
    waiting = [row for row in group.rows if row.month_day is not None]
    if not waiting:
        return
    context = [row.day for row in group.rows if row.day is not None and not row.pinned]
    ordered = [row for row in waiting if not row.pinned]
    days = infer_years([row.month_day for row in ordered if row.month_day], as_of, context)
    for row, day in zip(ordered, days, strict=True):
        row.day, row.source = day, "text-yearless" if day is not None else ""
    for row in waiting:
        if row.pinned and row.month_day is not None:
            row.day = infer_year(*row.month_day, as_of, context)
            row.source = "text-yearless" if row.day is not None else ""


def _groups(
    anchors: Sequence[_Anchor], as_of: date, *, from_datastore: bool = False
) -> list[_Group]:
    """Group the links that look like list entries into lists of sibling rows."""
    semantic = [(_semantic_row(a.el), a) for a in anchors if _usable_row_anchor(a)]
    per_row: dict[Element, int] = {}
    for row, _ in semantic:
        if row is not None:
            per_row[row] = per_row.get(row, 0) + 1
    # More than a few links in one li is a whole list inside one li, not a row.
    loose = [a for row, a in semantic if row is None or per_row[row] > 4]
    repeats = _Repeats(a.el for a in loose) if loose else None
    rows_of: dict[Element, list[_Anchor]] = {}
    for row, anchor in semantic:
        if (row is None or per_row[row] > 4) and repeats is not None:
            row = repeats.row(anchor.el)
        rows_of.setdefault(row, []).append(anchor)

    groups: dict[Element, _Group] = {}
    for row_el, members in rows_of.items():
        parent = row_el.getparent()
        if parent is None:
            continue
        main = max(members, key=lambda a: len(a.text))
        group = groups.get(parent)
        if group is None:
            group = groups[parent] = _Group(
                parent, main.area, len(groups), from_datastore=from_datastore
            )
        group.rows.append(_make_row(row_el, main, as_of))
    for group in groups.values():
        _infer_group_years(group, as_of)
    return list(groups.values())


def _datastore_groups(doc: _Doc, as_of: date) -> list[_Group]:
    """Lists that Hanweb JCMS ships as CDATA records inside ``<script type="text/xml">``."""
    groups: list[_Group] = []
    for script, text, area in doc.datastores:
        records = ["".join(_CDATA.findall(record)) or record for record in _RECORD.findall(text)]
        records = [r for r in records if r.strip()]
        if not records:
            continue
        joined = "".join(records)
        wrapper = "table" if re.match(r"\s*<tr\b", joined, re.I) else "div"
        fragment = _root_of(f"<{wrapper}>{joined}</{wrapper}>")
        anchors = [
            _Anchor(el, _absolute(doc.base, el.get("href")), _text_of(el), area)
            for el in fragment.iter("a")
        ]
        found = _groups(anchors, as_of, from_datastore=True)
        for group in found:
            group._heading = (
                _heading_near(script.getparent()) if script.getparent() is not None else ""
            )
        groups.extend(found)
        doc.anchors.extend(anchors)
    return groups


def _candidates(groups: Iterable[_Group]) -> list[_Group]:
    return [
        group
        for group in groups
        if group.area == _MAIN and group.rows and not _SIDE_HEADINGS.search(group.heading())
    ]


def _lists_articles(group: _Group) -> bool:
    """A list of articles rather than a row of section entries: several rows with long titles."""
    lengths = sorted(len(row.title) for row in group.rows)
    return len(lengths) >= 3 and lengths[len(lengths) // 2] >= 8


def _items(groups: Iterable[_Group]) -> list[ListItem]:
    return [
        ListItem(
            title=row.title,
            url=row.anchor.url,
            date=row.day,
            date_source=row.source if row.day is not None else "",
            pinned=row.pinned,
        )
        for group in groups
        for row in group.rows
    ]


# ── links and columns ──────────────────────────────────────────────────────────────────────────


def _is_more(anchor: _Anchor) -> bool:
    if anchor.url is None or len(anchor.text) > 12:
        return False
    if "more" in _tokens(anchor.el):
        return True
    text = anchor.text
    if not text:
        return any(
            "more" in f"{img.get('src') or ''}{img.get('alt') or ''}".lower()
            for img in anchor.el.iter("img")
        )
    return text.startswith(("更多", "查看更多", ">>", "»", "+")) or text.lower().startswith("more")


def _clean_name(text: str) -> str:
    return _NAME_JUNK.sub("", text).strip(" -_—|/\\")


def _more_name(anchor: _Anchor) -> str:
    """The name of the column a 更多 link opens: the heading of the box it sits in."""
    titled = _clean_name(anchor.el.get("title") or "")
    if titled and len(titled) <= 20:
        return titled
    own = _clean_name(anchor.text)
    if own and len(own) <= 20:
        return own  # 更多工作动态>>
    node = anchor.el.getparent()
    for _ in range(3):
        text = _short_text(node, 40) if node is not None else None
        if text is None:
            break
        rest = _clean_name(text.replace(anchor.text, " ", 1) if anchor.text else text)
        if rest:
            if len(rest) <= 20:
                return rest
            break
        node = node.getparent()
    block = anchor.el.getparent()
    for _ in range(3):
        if block is None:
            break
        for el in islice(block.iter(), 200):
            if el is not anchor.el and isinstance(el.tag, str) and _is_heading(el):
                name = _clean_name((_short_text(el, 40) or "").replace(anchor.text, ""))
                if name and len(name) <= 20:
                    return name
        block = block.getparent()
    return ""


def _in_heading(el: Element) -> bool:
    """Whether a link is the heading of a box that holds a list (a column's name and address).

    A "title" class or an ``<h3>`` alone is not enough: list entries and cards wear them too. The
    heading must sit outside any list row and be followed by the list it heads.
    """
    node = el.getparent()
    for _ in range(3):
        if node is None:
            return False
        if node.tag in _ROW_TAGS or node.tag in _ROW_STOP:
            return False
        if _is_heading(node):
            return _heads_a_list(node)
        node = node.getparent()
    return False


def _heads_a_list(heading: Element) -> bool:
    node = heading
    for _ in range(2):  # the heading, then the title bar it may sit in
        for sibling in islice(node.itersiblings(), 2):
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag in ("ul", "ol", "table", "dl"):
                return True
            if next(islice(sibling.iter("a"), 1, 2), None) is not None:
                return True  # two links or more
            if any("xml" in (s.get("type") or "") for s in sibling.iter("script")):
                return True  # a Hanweb record set
        node = node.getparent()
        if node is None:
            break
    return False


def _site_key(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    host = host.removesuffix(":80").removesuffix(":443")
    return host.removeprefix("www.")


def _column_key(url: str) -> str:
    parts = urlsplit(url)
    path = _INDEX_TAIL.sub("", parts.path) or "/"
    return f"{_site_key(url)}{path}?{parts.query}"


def _column_ok(name: str, url: str | None, home_url: str) -> bool:
    if url is None or not name or len(name) > 20 or _SKIP_NAMES.search(name):
        return False
    if _site_key(url) != _site_key(home_url):
        return False
    parts = urlsplit(url)
    if _HOME_PATH.match(parts.path) and not parts.query:
        return False
    if _column_key(url) == _column_key(home_url):
        return False
    return not (_ARTICLE_URL.search(parts.path) or date_from_url(url) is not None)


def _columns(doc: _Doc, *, all_links: bool = False) -> tuple[list[ColumnRef], set[int], set[int]]:
    """Columns from menus, 更多 links and box headings; with ``all_links`` (a navigation-only
    homepage, whose every entry is a section) from any internal link outside the footer too."""
    found: dict[str, ColumnRef] = {}
    more_ids: set[int] = set()
    block_ids: set[int] = set()

    def add(name: str, url: str | None, via: str) -> None:
        if _column_ok(name, url, doc.url) and url is not None:
            found.setdefault(_column_key(url), ColumnRef(name, url, doc.url, via))

    for anchor in doc.anchors:
        if anchor.area == _NAV:
            add(_clean_name(anchor.text), anchor.url, "nav")
    for anchor in doc.anchors:
        if anchor.area == _FOOTER:
            continue
        if _is_more(anchor):
            more_ids.add(id(anchor))
            add(_more_name(anchor), anchor.url, "more")
        elif anchor.area != _NAV and anchor.text and anchor.in_heading:
            block_ids.add(id(anchor))
            add(_clean_name(anchor.text), anchor.url, "block")
    if all_links:
        for anchor in doc.anchors:
            name = _clean_name(anchor.text)
            if anchor.area in (_MAIN, _SIDE) and len(name) <= 12:
                add(name, anchor.url, "nav")
    return list(found.values()), more_ids, block_ids


def _links(doc: _Doc, more_ids: set[int], block_ids: set[int]) -> tuple[Link, ...]:
    """Every distinct link and image target on the page, for the link checker."""
    seen: set[str] = set()
    links: list[Link] = []
    for anchor in doc.anchors:
        url = anchor.url
        if url is None or url in seen:
            continue
        seen.add(url)
        if id(anchor) in more_ids:
            area = "more"
        elif id(anchor) in block_ids:
            area = "block"
        elif anchor.area in (_NAV, _HEADER):
            area = "nav"
        elif anchor.area == _FOOTER:
            area = "footer"
        else:
            area = "body"
        links.append(Link(url, anchor.text or _clean(anchor.el.get("title")), area))
    images: set[str] = set()
    for src, alt, _area in doc.images:
        if src not in images:
            images.add(src)
            links.append(Link(src, _clean(alt), "image"))
    return tuple(links)


# ── pagination ─────────────────────────────────────────────────────────────────────────────────


def _js_int(token: str, scripts: str) -> int | None:
    token = token.strip().strip("'\"")
    if token.isdigit():
        return int(token)
    if re.fullmatch(r"[A-Za-z_$][\w$]*", token):
        match = re.search(_JS_NUMBER_VAR.format(name=re.escape(token)), scripts)
        if match:
            return int(match.group(1))
    return None


def _trs_next(url: str, scripts: str) -> str | None:
    """TRS WCM's ``createPageHTML(countPage, currentPage, "index", "html")``: page 2 of a column
    is ``index_1.html`` (the first page is ``index.html``)."""
    for match in _TRS_PAGER.finditer(scripts):
        args = [a.strip() for a in match.group(1).split(",")]
        if len(args) >= 5 and args[0][:1] in ("'", '"'):
            count, current, prefix, ext = args[1], args[2], args[3], args[4]
            shift = 0  # this form counts its current page from 1
        elif len(args) >= 4:
            count, current, prefix, ext = args[0], args[1], args[2], args[3]
            shift = 1
        else:
            continue
        pages = _js_int(count, scripts)
        now = _js_int(current, scripts)
        if pages is None or now is None:
            continue
        following = max(now + shift, 1)
        if following >= pages:
            return None
        prefix, ext = prefix.strip("'\" "), ext.strip("'\" ")
        if re.fullmatch(r"[\w-]+", prefix) and re.fullmatch(r"\w+", ext):
            return urljoin(url, f"{prefix}_{following}.{ext}")
    return None


def _with_params(url: str, params: Sequence[tuple[str, str]]) -> str:
    """The URL with these query parameters set (replacing any of the same name)."""
    parts = urlsplit(url)
    names = {name.lower() for name, _ in params}
    kept = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in names
    ]
    return urlunsplit(parts._replace(query=urlencode([*kept, *params]), fragment=""))


def _hanweb_next(doc: _Doc, scripts: str) -> str | None:
    """Hanweb JCMS pages its CDATA lists with jpage: page 2 is ``?uid=<box>&pageNum=2``."""
    pages = 0
    total = _TOTAL_PAGES.search(doc.html)
    if total:
        pages = int(total.group(1))
    records = _TOTAL_RECORDS.search(scripts)
    per_page = _PER_PAGE.search(scripts)
    if records and per_page and int(per_page.group(1)) > 0:
        pages = max(pages, -(-int(records.group(1)) // int(per_page.group(1))))
    if pages < 2:
        return None
    # Only on real Hanweb evidence: a guessed page-2 URL that 404s would be a false desync.
    srcs = " ".join(doc.script_srcs).lower()
    if not (doc.datastores or "jpage" in scripts.lower() or "jpage" in srcs):
        return None
    uid = None
    for script, _text, _area in doc.datastores:
        parent = script.getparent()
        if parent is not None and (parent.get("id") or "").isdigit():
            uid = parent.get("id")
            break
    if uid is None and (match := _HANWEB_UID.search(scripts)):
        uid = match.group(1)
    return _with_params(doc.url, [("uid", uid), ("pageNum", "2")] if uid else [("pageNum", "2")])


def _next_page(doc: _Doc) -> str | None:
    here = _column_key(doc.url)
    numbered: str | None = None
    for anchor in doc.anchors:
        if anchor.url is None:
            continue
        text = anchor.text or _clean(anchor.el.get("title"))
        if len(text) > 12:
            continue
        if _NEXT_TEXT.match(text) and _column_key(anchor.url) != here:
            return anchor.url
        if numbered is None and text == "2" and _PAGE_TWO_URL.search(anchor.url):
            numbered = anchor.url
    if numbered is not None:
        return numbered
    scripts = "\n".join(doc.scripts)
    return _trs_next(doc.url, scripts) or _hanweb_next(doc, scripts)


# ── the page readers ───────────────────────────────────────────────────────────────────────────


def _first_marker(text: str, markers: Iterable[str]) -> str | None:
    lowered = text.lower()
    for marker in markers:
        if marker and marker.lower() in lowered:
            return marker
    return None


def parse_list(html: str, url: str, *, as_of: date, profile: Profile) -> ListPage:
    """A column page: its main list (items with dates, pinned ones flagged), page 2, its links.

    With no items, the page says why: a placeholder (``markers["blank"]``), an under-construction
    marker, a list filled by script (``js_rendered``), a client-side redirect, or a content page
    (a single-article column such as 机构职能, not a list at all).
    """
    doc = _read(html, url)
    groups = _groups(doc.anchors, as_of)
    groups += _datastore_groups(doc, as_of)
    candidates = _candidates(groups)
    chosen: list[_Group] = []
    if candidates:
        best = max(candidates, key=lambda g: (g.score, g.from_datastore, -g.order))
        chosen = [best]
        more_links = sum(1 for a in doc.anchors if a.area == _MAIN and _is_more(a))
        if more_links >= 2:
            # A parent column shows its sub-columns' lists side by side: all of them count.
            chosen += [g for g in candidates if g is not best and g.dated >= 3]
    items = _items(chosen)
    placeholder = under_construction = redirect = None
    js_rendered = content_page = False
    if not items:
        main_text = doc.text(_MAIN)
        placeholder = _first_marker(main_text, profile.markers.get("blank", ()))
        under_construction = _first_marker(main_text, profile.markers.get("under_construction", ()))
        # An empty list box next to scripts may be filled by them; a placeholder beside it is
        # the page's own word that there is nothing, unless a script visibly fetches data.
        js_rendered = _fetches_data(doc, html) or (
            placeholder is None and doc.empty_containers and bool(doc.script_srcs)
        )
        redirect = _client_redirect(doc) if len(doc.anchors) < 5 else None
        content_page = placeholder is None and doc.main_plain_chars >= 200
    return ListPage(
        url=url,
        items=tuple(items),
        js_rendered=js_rendered,
        placeholder=placeholder,
        under_construction=under_construction,
        next_page=_next_page(doc),
        links=_links(doc, set(), set()),
        client_redirect=redirect,
        content_page=content_page,
    )


def parse_home(html: str, url: str, *, as_of: date, profile: Profile) -> HomePage:
    """A homepage: its columns (menus, boxes with 更多 links, box headings that are links), its dated
    entries (main boxes only, not 热点排行 sidebars), its identity items, and its state.

    ``blocked`` and ``soft_404`` are judged from the content alone here; the crawler, which knows
    the status code, may judge again with ``looks_blocked`` and ``looks_soft_404``.
    """
    doc = _read(html, url)
    groups = _groups(doc.anchors, as_of)
    groups += _datastore_groups(doc, as_of)
    candidates = _candidates(groups)
    items: list[ListItem] = []
    seen: set[tuple[str | None, str]] = set()
    for item in _items(candidates):
        if item.date is not None and (item.url, item.title) not in seen:
            seen.add((item.url, item.title))
            items.append(item)
    js_rendered = not items and _fetches_data(doc, html)
    redirect = _client_redirect(doc) if len(doc.anchors) < 5 else None
    # Only navigation: no dated entries and no list of articles (undated titles of some length),
    # just entries into the sections, which W-V3 then judges instead.
    navigation_only = (
        not items
        and not js_rendered
        and redirect is None
        and not any(_lists_articles(group) for group in candidates)
    )
    columns, more_ids, block_ids = _columns(doc, all_links=navigation_only)
    under_construction = _first_marker(doc.title, profile.markers.get("under_construction", ()))
    if under_construction is None and len(doc.anchors) < 10:
        visible = doc.text(_MAIN, _SIDE, _NAV, _HEADER)
        if len(visible) < 300:
            under_construction = _first_marker(
                visible, profile.markers.get("under_construction", ())
            )
    return HomePage(
        url=url,
        title=doc.title,
        columns=tuple(columns),
        links=_links(doc, more_ids, block_ids),
        items=tuple(items),
        identity=find_identity(doc.root),
        under_construction=under_construction,
        blocked=looks_blocked(None, {}, html),
        soft_404=looks_soft_404(html, None, profile),
        navigation_only=navigation_only,
        js_rendered=js_rendered,
        client_redirect=redirect,
    )


# ── identity items ─────────────────────────────────────────────────────────────────────────────

_SITE_CODE = re.compile(r"^(?:\d{10}|bm\d{8})$", re.I)
_SITE_CODE_TEXT = re.compile(r"网站(?:标识|识别)码\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})(?!\d)")
_ICP = re.compile(
    r"([\u4e00-\u9fff])\s*ICP\s*([备证])\s*[:：]?\s*(\d{5,12})\s*号(?:\s*-\s*(\d{1,4}))?",
    re.I,
)
_POLICE = re.compile(r"([\u4e00-\u9fff])\s*公网安备\s*[:：]?\s*(\d{10,16})\s*号?")
_GOV_MARK_XPATH = (
    "//a[contains(@href,'conac.cn')] | //img[contains(@src,'dzjg') or contains(@src,'conac')"
    " or contains(@alt,'党政机关')] | //script[contains(@src,'conac') or contains(.,'conac.cn')"
    " or contains(.,'_ideConac')] | //*[@id='_ideConac'] | //a[contains(@title,'党政机关网站标识')]"
)


def _visible_text(root: Element) -> str:
    # Python iteration: an XPath predicate on the ancestor axis is quadratic in libxml2.
    parts: list[str] = []
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag not in ("script", "style", "title") and el.text:
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
    return " ".join(parts)


def find_identity(doc_or_html: str | Element) -> Identity:
    """The footer identity items of the 47号 guideline, as found on the page.

    网站标识码 from ``<meta name="SiteIDCode">`` or the footer text (10 digits, or ``bm`` and 8
    digits); the ICP filing (琼ICP备05000000号-1); the public-security filing (琼公网安备
    46010002000000号); the 党政机关网站标识 (a link to its certificate on conac.cn, its ``dzjg``
    image, or the conac script).
    """
    root = _root_of(doc_or_html) if isinstance(doc_or_html, str) else doc_or_html
    text = _visible_text(root)
    site_code: str | None = None
    source = ""
    match = _SITE_CODE_TEXT.search(text)
    if match:
        site_code, source = match.group(1), "footer"
    else:
        for meta in root.iter("meta"):
            if (meta.get("name") or "").lower() == "siteidcode":
                value = (meta.get("content") or "").strip()
                if _SITE_CODE.match(value):
                    site_code, source = value, "meta"
                    break
    icp = None
    if icp_match := _ICP.search(text):
        icp = f"{icp_match.group(1)}ICP{icp_match.group(2)}{icp_match.group(3)}号"
        if icp_match.group(4):
            icp += f"-{icp_match.group(4)}"
    police = None
    if police_match := _POLICE.search(text):
        police = f"{police_match.group(1)}公网安备 {police_match.group(2)}号"
    return Identity(
        site_code=site_code,
        site_code_source=source,
        icp=icp,
        police_record=police,
        gov_identifier=bool(root.xpath(_GOV_MARK_XPATH)),
    )


# ── pages that are not what they seem ──────────────────────────────────────────────────────────

# Challenge systems that answer in place of the page: the marker names the system to the inspector.
# These are cookie and script names, never words an article would use.
_CHALLENGE_MARKERS = (
    ("__jsl_clearance", "加速乐/知道创宇 __jsl_clearance"),
    ("__jsluid", "加速乐/知道创宇 __jsluid"),
    ("('_')+('_')+('j')+('s')+('l')", "加速乐/知道创宇 __jsl_clearance"),
    ("jiasule", "加速乐 jiasule"),
    ("$_ts", "瑞数 $_ts"),
    ("cf-chl", "Cloudflare cf-chl"),
    ("cf_chl_opt", "Cloudflare cf_chl_opt"),
    ("challenge-platform", "Cloudflare challenge"),
    ("yunsuo_session_verify", "云锁 yunsuo_session_verify"),
    ("security_verify_data", "云锁 security_verify_data"),
    ("safedog", "安全狗 safedog"),
    ("acw_sc__v2", "阿里云 WAF acw_sc__v2"),
    ("yunjiasu", "百度云加速 yunjiasu"),
)
# Words of challenge pages; an ordinary short page might use them too, so only a tiny page counts.
_CHALLENGE_WORDS = re.compile(
    r"创宇盾|安全狗|请开启\s*JavaScript|请启用\s*JavaScript|开启浏览器的?\s*JavaScript|enable\s+JavaScript|"
    r"安全验证(?!码)|滑动验证(?!码)|人机验证|访问验证(?!码)|请完成验证|正在验证|浏览器安全检查|"
    r"Just a moment|Checking your browser|访问过于频繁|请求过于频繁|网站防火墙|访问被拦截|"
    r"您的访问请求可能对网站造成安全威胁",
    re.I,
)
_CHALLENGE_STATUS = frozenset({202, 403, 412, 429, 468, 503, 521})
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_ANCHOR_TAG = re.compile(r"<a\s", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)


def _visible_chars(html: str) -> int:
    return len(_SPACE.sub("", _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", html))))


def looks_blocked(status: int | None, headers: Mapping[str, str], html: str) -> str | None:
    """The marker of an anti-bot, WAF or CAPTCHA answer given in place of the page, or None.

    Such an answer means "check in the browser", never "inaccessible". Vendor cookie and script
    names (``__jsl_clearance``, ``$_ts``, ``cf_chl_opt`` …) count on a small page or with a
    challenge status (202, 412, 521 …); words (请开启JavaScript, 安全验证, 滑动验证, 安全狗) only on a
    tiny page without a login form: a normal page that asks for a 验证码 in its login box, or says
    请开启JavaScript in ``<noscript>``, is not blocked.
    """
    lowered_headers = {k.lower(): v for k, v in headers.items()}
    if "challenge" in lowered_headers.get("cf-mitigated", "").lower():
        return "Cloudflare cf-mitigated: challenge"
    head = html[:400_000]
    links = len(_ANCHOR_TAG.findall(head))
    visible = _visible_chars(head)
    small = links < 15 and visible < 600
    tiny = links < 15 and visible < 300
    challenge_status = status in _CHALLENGE_STATUS
    if small or challenge_status:
        lowered = head.lower()
        for marker, label in _CHALLENGE_MARKERS:
            if marker.lower() in lowered:
                return label
    if tiny and not re.search(r"type\s*=\s*['\"]?password", head, re.I):
        match = _CHALLENGE_WORDS.search(head)
        if match:
            return match.group(0)
    if status in (412, 521) and small and "<script" in head.lower():
        return f"HTTP {status} with a script challenge"
    if status == 202 and small and links == 0 and "<script" in head.lower():
        return "HTTP 202 with a script challenge"
    return None


def looks_soft_404(html: str, status: int | None, profile: Profile) -> str | None:
    """The error text of a page answered with 200 that is really "not found", or None.

    A marker (``markers["soft_404"]``) in the title counts on any page; in the body only on a
    small page, since an ordinary article may mention 页面不存在 in passing.
    """
    if status is not None and not 200 <= status < 300:
        return None
    markers = profile.markers.get("soft_404", ())
    head = html[:400_000]
    title_match = _TITLE.search(head)
    title = _clean(_TAG.sub(" ", title_match.group(1))) if title_match else ""
    marker = _first_marker(title, markers)
    if marker is not None:
        return marker
    if re.match(r"^404\b", title):
        return "404"
    if len(_ANCHOR_TAG.findall(head)) < 40:
        body = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", head))
        if len(_SPACE.sub("", body)) < 1500:
            return _first_marker(_clean(body), markers)
    return None
