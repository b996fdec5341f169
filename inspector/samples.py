"""Sample lists and registers: read, validate and normalise them into targets; write them back.

A list comes from whoever keeps the register, in whatever shape their office uses: Chinese or
English headers, websites and new-media accounts mixed in one sheet, a title row above the header,
codes typed with full-width digits. Reading is forgiving about form and strict about content:
every row that cannot become a :class:`~inspector.targets.Target` is reported with the row number
the inspector sees in Excel/WPS and the reason, the good rows still load, and unknown columns are
kept in ``Target.extra`` so nothing in the list is lost. ``write_sample`` writes a list that
opens cleanly in Excel/WPS and reads back to the same targets.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from inspector.tables import HeaderNotFound, Row, Table, TableError, read_table
from inspector.targets import Kind, Target, account_key, website_key
from inspector.urls import InvalidURL, normalise_url, url_key

__all__ = [
    "HEADER_ALIASES",
    "PLATFORMS",
    "PLATFORM_LABELS",
    "WECHAT_TYPE",
    "RowProblem",
    "SampleError",
    "SampleList",
    "read_sample",
    "write_sample",
]

#: Canonical field -> header spellings it is recognised by (compared case-, space-, ``_``- and
#: ``-``-insensitively, ignoring a trailing ``*`` or ``（必填）``-style note). The first spelling
#: is the header ``write_sample`` writes.
HEADER_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "kind": ("类别", "对象类型", "检查对象类型", "对象类别", "kind"),
        "name": ("名称", "网站名称", "账号名称", "新媒体名称", "新媒体账号名称", "name"),
        "url": (
            "网址",
            "网站地址",
            "网站网址",
            "域名",
            "首页地址",
            "首页网址",
            "链接",
            "账号链接",
            "主页",
            "url",
            "address",
            "link",
            "homepage",
        ),
        "site_code": ("网站标识码", "标识码", "site_code", "site id", "site code"),
        "owner": ("主办单位", "开办主体", "主管单位", "运营主体", "主办机构", "运营单位", "owner"),
        "region": ("地区", "区域", "市州", "所属地区", "行政区划", "region", "area"),
        "level": ("层级", "级别", "行政级别", "level"),
        "category": ("类型", "网站类型", "账号类型", "分类", "type", "category"),
        "platform": ("平台", "所属平台", "平台类型", "发布平台", "platform"),
        "account_id": (
            "账号",
            "账号id",
            "微信号",
            "微博号",
            "抖音号",
            "原始id",
            "account",
            "account_id",
        ),
        "is_portal": ("是否门户", "是否门户网站", "门户", "portal", "is_portal"),
        "no_public_services": ("无公共服务", "是否无公共服务", "no_public_services"),
    }
)

#: Canonical platform id -> the spellings registers use for it (compared like headers). The first
#: spelling is the label ``write_sample`` writes. Extend here; nothing else needs to change.
PLATFORMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "wechat": ("微信公众号", "微信", "公众号", "订阅号", "服务号", "wechat", "weixin"),
        "weibo": ("微博", "新浪微博", "weibo"),
        "douyin": ("抖音", "抖音号", "douyin", "tiktok"),
        "toutiao": ("今日头条", "头条号", "头条", "toutiao"),
        "kuaishou": ("快手", "快手号", "kuaishou"),
        "bilibili": ("哔哩哔哩", "B站", "bilibili"),
        "wechat_channels": ("微信视频号", "视频号", "wechat_channels"),
        "xiaohongshu": ("小红书", "xiaohongshu", "rednote"),
        "mini_program": ("小程序", "微信小程序", "mini_program", "miniprogram"),
        "app": ("移动客户端", "客户端", "APP", "app", "移动应用"),
        "other": ("其他", "其它", "other"),
    }
)
PLATFORM_LABELS: Mapping[str, str] = MappingProxyType({k: v[0] for k, v in PLATFORMS.items()})

#: ``Target.extra`` key keeping whether a WeChat account is a subscription (订阅号) or a service
#: account (服务号): the indicators differ, the platform does not.
WECHAT_TYPE = "公众号类型"
_WECHAT_TYPES: Mapping[str, str] = MappingProxyType(
    {"订阅号": "订阅号", "微信订阅号": "订阅号", "服务号": "服务号", "微信服务号": "服务号"}
)

_KINDS: Mapping[str, tuple[Kind, bool]] = MappingProxyType(
    {
        "网站": (Kind.WEBSITE, False),
        "政府网站": (Kind.WEBSITE, False),
        "政务网站": (Kind.WEBSITE, False),
        "部门网站": (Kind.WEBSITE, False),
        "website": (Kind.WEBSITE, False),
        "site": (Kind.WEBSITE, False),
        "web": (Kind.WEBSITE, False),
        "门户网站": (Kind.WEBSITE, True),
        "政府门户网站": (Kind.WEBSITE, True),
        "portal": (Kind.WEBSITE, True),
        "新媒体": (Kind.NEW_MEDIA, False),
        "政务新媒体": (Kind.NEW_MEDIA, False),
        "新媒体账号": (Kind.NEW_MEDIA, False),
        "政务新媒体账号": (Kind.NEW_MEDIA, False),
        "账号": (Kind.NEW_MEDIA, False),
        "new_media": (Kind.NEW_MEDIA, False),
        "account": (Kind.NEW_MEDIA, False),
    }
)
_KIND_LABELS = {Kind.WEBSITE: "网站", Kind.NEW_MEDIA: "新媒体"}
_TRUE = frozenset({"是", "1", "true", "yes", "y", "√", "✓", "✔"})
_FALSE = frozenset({"否", "0", "false", "no", "n", "×", "✗"})
_BOOL_LABELS = {True: "是", False: "否"}

_SITE_CODE = re.compile(r"\d{10}|bm\d{8}")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+")
_NOTE_SUFFIX = re.compile(r"(?:[（(][^（）()]*[）)]|[*＊])+$")
_IGNORED_IN_NAMES = re.compile(r"[\s_\-]+")
_META_PREFIX = "#"
_SEARCH_ROWS = 200  # room for the title and the "#key,value" lines write_sample puts on top
_MAX_META = 150
#: Fields a list must have one of, besides a name, to identify its targets.
_IDENTIFYING = ("url", "site_code", "platform", "account_id")


def _fold(text: str) -> str:
    """The comparison form of a header or an enumerated value."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _IGNORED_IN_NAMES.sub("", folded)


def _field_of(header: str) -> str | None:
    folded = _fold(header)
    return _ALIAS_INDEX.get(folded) or _ALIAS_INDEX.get(_NOTE_SUFFIX.sub("", folded))


_ALIAS_INDEX: dict[str, str] = {
    _fold(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}
_PLATFORM_INDEX: dict[str, str] = {
    _fold(alias): pid for pid, aliases in PLATFORMS.items() for alias in aliases
}
_KIND_INDEX = {_fold(alias): value for alias, value in _KINDS.items()}
_WECHAT_TYPE_INDEX = {_fold(alias): value for alias, value in _WECHAT_TYPES.items()}
_COLUMN_ORDER = tuple(HEADER_ALIASES)


@dataclass(frozen=True)
class RowProblem:
    """Why one row of a list was not loaded, bilingually, with the row number Excel/WPS shows.

    ``field`` names the canonical field at fault when there is one, so a UI can point at the cell.
    """

    row: int
    message: str
    field: str | None = None


class SampleError(ValueError):
    """A list that cannot be used: no recognisable header, or (strict mode) any bad row.

    ``problems`` holds the bad rows, so a caller can show them as a list as well as in the message.
    """

    def __init__(self, message: str, problems: Sequence[RowProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class SampleList:
    """The targets of a list, the rows that could not be loaded, and what else the file held.

    ``meta`` holds the lines above the header: ``#key,value`` lines as written by
    :func:`write_sample` (seed, registry size, ...) and any title as ``meta["title"]``.
    """

    path: Path
    targets: tuple[Target, ...]
    problems: tuple[RowProblem, ...] = ()
    unknown_columns: tuple[str, ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def websites(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.kind is Kind.WEBSITE)

    @property
    def accounts(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.kind is Kind.NEW_MEDIA)


# --- reading ---------------------------------------------------------------------------------


def read_sample(path: Path, *, strict: bool = False, sheet: str | None = None) -> SampleList:
    """Read a sample list or register (CSV or XLSX) into targets.

    Bad rows are reported in ``problems`` (a row with any problem is not loaded) while good rows
    load; with ``strict`` the whole file is refused when any row is bad. An unreadable file, or one
    without a recognisable header, raises :class:`SampleError`. In a workbook, when ``sheet`` is
    not given and the first sheet has no recognisable header, the other sheets are tried in order.
    """
    path = Path(path)
    table = _read_list_table(path, sheet)
    fields = {h: f for h in table.headers if (f := _field_of(h)) is not None}
    columns: dict[str, list[str]] = {}
    for header, name in fields.items():
        columns.setdefault(name, []).append(header)
    _require_columns(path, table, columns)
    unknown = tuple(h for h in table.headers if h not in fields)
    if not table.rows:
        raise SampleError(
            f"清单只有表头，没有数据行 / the list has a header but no rows: {path.name}"
        )

    targets: list[Target] = []
    problems: list[RowProblem] = []
    key_rows: dict[str, int] = {}
    url_rows: dict[str, int] = {}
    for row in table.rows:
        parsed = _RowParser(row, columns, unknown)
        target = parsed.target()
        # Duplicates are looked for even in rows with other problems, so each is reported once.
        if parsed.key is not None and parsed.key in key_rows:
            earlier = key_rows[parsed.key]
            parsed.problem(
                f"与第{earlier}行重复（{parsed.key}）", f"duplicates row {earlier} ({parsed.key})"
            )
        elif parsed.url_key is not None and parsed.url_key in url_rows:
            earlier = url_rows[parsed.url_key]
            parsed.problem(
                f"与第{earlier}行网址相同（{parsed.url}）",
                f"has the same URL as row {earlier} ({parsed.url})",
                "url",
            )
        if target is None or parsed.problems:
            problems.extend(parsed.problems)
            continue
        targets.append(target)
        key_rows[target.key] = row.number
        if parsed.url_key is not None:
            url_rows[parsed.url_key] = row.number

    if strict and problems:
        listing = "\n".join(f"  {p.message}" for p in problems)
        raise SampleError(
            f"清单有{len(problems)}处问题，未导入 / the list has {len(problems)} problem(s); "
            f"nothing was imported: {path.name}\n{listing}",
            problems,
        )
    return SampleList(
        path=path,
        targets=tuple(targets),
        problems=tuple(problems),
        unknown_columns=unknown,
        meta=_meta(table.preamble),
    )


def _looks_like_header(cells: Sequence[str]) -> bool:
    return len({f for c in cells if c and (f := _field_of(c)) is not None}) >= 2


def _read_list_table(path: Path, sheet: str | None) -> Table:
    def attempt(name: str | None) -> Table:
        return read_table(
            path, header_hint=_looks_like_header, sheet=name, search_rows=_SEARCH_ROWS
        )

    try:
        return attempt(sheet)
    except TableError as exc:
        first_error = exc
    # A workbook may open with an instructions sheet (填报说明); look for the list further on.
    for name in _sheet_names(path)[1:] if sheet is None else ():
        try:
            return attempt(name)
        except TableError:
            continue
    if isinstance(first_error, HeaderNotFound):
        raise SampleError(_no_header_message(path, first_error.candidates)) from first_error
    raise SampleError(str(first_error)) from first_error


def _sheet_names(path: Path) -> tuple[str, ...]:
    try:
        data = path.read_bytes()
        if not data.startswith(b"PK"):
            return ()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import openpyxl  # imported on use: it slows the app's start-up

            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # not a workbook, or a damaged one: the first error already says so
        return ()
    try:
        return tuple(ws.title for ws in book.worksheets)
    finally:
        book.close()


def _expected_headers() -> str:
    return "、".join(HEADER_ALIASES[f][0] for f in ("name", "url", "site_code", "platform"))


def _no_header_message(path: Path, candidates: Sequence[tuple[int, tuple[str, ...]]]) -> str:
    if candidates:
        number, cells = max(candidates, key=lambda c: len(c[1]))
        found = f"第{number}行 / row {number}: " + ", ".join(repr(c) for c in cells[:12])
    else:
        found = "-"
    return (
        f"找不到可识别的表头 / no recognisable header in {path.name}\n"
        f"  找到 / found: {found}\n"
        f"  需要，例如 / expected, e.g.: {_expected_headers()} "
        "(name, url, site_code, platform)"
    )


def _require_columns(path: Path, table: Table, columns: Mapping[str, list[str]]) -> None:
    found = ", ".join(repr(h) for h in table.headers)
    if "name" not in columns:
        names = "、".join(HEADER_ALIASES["name"])
        raise SampleError(
            f"缺少名称列 / no name column in {path.name}\n"
            f"  第{table.header_row}行表头 / headers in row {table.header_row}: {found}\n"
            f"  需要其中之一 / expected one of: {names}"
        )
    if not any(f in columns for f in _IDENTIFYING):
        raise SampleError(
            f"缺少网址、标识码或平台列 / no URL, site code or platform column in {path.name}\n"
            f"  第{table.header_row}行表头 / headers in row {table.header_row}: {found}\n"
            f"  需要，例如 / expected, e.g.: {_expected_headers()}"
        )


def _meta(preamble: Sequence[Sequence[str]]) -> dict[str, str]:
    meta: dict[str, str] = {}
    titles: list[str] = []
    for cells in preamble:
        if cells and cells[0].startswith(_META_PREFIX) and len(cells[0]) > 1:
            meta[cells[0][len(_META_PREFIX) :].strip()] = cells[1] if len(cells) > 1 else ""
        else:
            titles.append(" ".join(cells))
    if titles and "title" not in meta:
        meta["title"] = "\n".join(titles)
    return meta


class _RowParser:
    """Turns one table row into a target, collecting every problem the row has."""

    def __init__(self, row: Row, columns: Mapping[str, list[str]], unknown: Sequence[str]):
        self.row = row
        self.columns = columns
        self.unknown = unknown
        self.problems: list[RowProblem] = []
        self._cache: dict[str, str] = {}
        self.key: str | None = None
        self.url: str | None = None
        self.url_key: str | None = (
            None  # websites only: the same site under two keys is a duplicate
        )

    def problem(self, zh: str, en: str, field: str | None = None) -> None:
        n = self.row.number
        self.problems.append(RowProblem(n, f"第{n}行：{zh} / row {n}: {en}", field))

    def get(self, name: str) -> str:
        """The field's value; with several columns for it, the first filled one."""
        if name not in self._cache:
            headers = self.columns.get(name, [])
            filled = [h for h in headers if self.row.values[h]]
            if len({self.row.values[h] for h in filled}) > 1:
                shown = "、".join(f"{h}={self.row.values[h]!r}" for h in filled)
                self.problem(f"多列的值互相矛盾：{shown}", f"columns disagree: {shown}", name)
            self._cache[name] = self.row.values[filled[0]] if filled else ""
        return self._cache[name]

    def target(self) -> Target | None:
        name = self.get("name")
        if not name:
            self.problem("缺少名称", "missing name", "name")
        kind, portal_kind, platform, wechat_type = self._kind()
        is_portal = portal_kind or "门户" in self.get("category")
        is_portal = self._flag("is_portal", is_portal)
        no_services = self._flag("no_public_services", False)
        url = self.url = self._url(required=kind is Kind.WEBSITE)
        site_code = self._site_code()
        account_id = unicodedata.normalize("NFKC", self.get("account_id")).strip() or None
        extra = {h: self.row.values[h] for h in self.unknown if self.row.values[h]}
        if wechat_type and platform == "wechat":
            extra.setdefault(WECHAT_TYPE, wechat_type)
        if kind is Kind.WEBSITE and (site_code or url):
            self.key = website_key(site_code, url)
            self.url_key = url_key(url) if url else None
        elif kind is Kind.NEW_MEDIA and platform and (account_id or name):
            self.key = account_key(platform, account_id, name)
        if kind is None or self.key is None or self.problems:
            return None
        return Target(
            key=self.key,
            kind=kind,
            name=name,
            url=url,
            site_code=site_code,
            owner=self.get("owner"),
            region=self.get("region"),
            level=self.get("level"),
            category=self.get("category"),
            is_portal=is_portal,
            no_public_services=no_services,
            platform=platform,
            account_id=account_id,
            extra=extra,
        )

    def _kind(self) -> tuple[Kind | None, bool, str | None, str | None]:
        """Kind, portal-by-kind, platform id and WeChat account type of the row."""
        raw_kind, raw_platform = self.get("kind"), self.get("platform")
        platform, wechat_type = _platform(raw_platform) if raw_platform else (None, None)
        if raw_platform and platform is None:
            labels = "、".join(PLATFORM_LABELS.values())
            self.problem(
                f"平台「{raw_platform}」无法识别（可用：{labels}）",
                f"unknown platform {raw_platform!r} (known: {', '.join(PLATFORMS)})",
                "platform",
            )
        kind: Kind | None
        portal = False
        if raw_kind:
            known = _KIND_INDEX.get(_fold(raw_kind))
            if known is not None:
                kind, portal = known
            elif (as_platform := _platform(raw_kind))[0] is not None:
                # A platform in the kind column ("微信公众号") says it is an account, and which.
                kind = Kind.NEW_MEDIA
                if platform is None and not raw_platform:
                    platform, wechat_type = as_platform
            else:
                self.problem(
                    f"类别「{raw_kind}」无法识别（应为 网站 或 新媒体）",
                    f"unknown kind {raw_kind!r} (expected website or new media)",
                    "kind",
                )
                return None, False, platform, wechat_type
        elif raw_platform or self.get("account_id"):
            kind = Kind.NEW_MEDIA
        else:
            kind = Kind.WEBSITE
        if kind is Kind.WEBSITE and (raw_platform or self.get("account_id")):
            self.problem(
                "类别为网站，却填写了平台或账号",
                "marked as a website but has a platform or account",
                "kind",
            )
        if kind is Kind.NEW_MEDIA and not raw_platform and platform is None:
            self.problem("新媒体账号缺少平台", "new-media account without a platform", "platform")
        return kind, portal, platform, wechat_type

    def _flag(self, name: str, default: bool) -> bool:
        raw = self.get(name)
        if not raw:
            return default
        value = _fold(raw)
        if value in _TRUE:
            return True
        if value in _FALSE:
            return default
        header = self.columns[name][0]
        self.problem(
            f"「{header}」的值「{raw}」无法识别（应为 是 或 否）",
            f"{header!r} must be yes or no, not {raw!r}",
            name,
        )
        return default

    def _site_code(self) -> str | None:
        raw = self.get("site_code")
        if not raw:
            return None
        code = _IGNORED_IN_NAMES.sub("", unicodedata.normalize("NFKC", raw)).casefold()
        if re.fullmatch(r"\d{10}\.0+", code):
            code = code.split(".", 1)[0]  # a number column exported as 4600000001.0
        if _SITE_CODE.fullmatch(code):
            return code
        if _SCIENTIFIC.fullmatch(code):
            self.problem(
                f"网站标识码「{raw}」被显示成了科学计数法，请把该列设为文本格式",
                f"site code {raw!r} is in scientific notation: format the column as text",
                "site_code",
            )
        else:
            self.problem(
                f"网站标识码无效「{raw}」（应为10位数字，或 bm 加8位数字）",
                f"invalid site code {raw!r} (10 digits, or 'bm' and 8 digits)",
                "site_code",
            )
        return None

    def _url(self, *, required: bool) -> str | None:
        raw = self.get("url")
        if not raw:
            if required:
                self.problem("缺少网址", "missing URL", "url")
            return None
        try:
            return normalise_url(unicodedata.normalize("NFKC", raw))
        except InvalidURL as exc:
            zh, en = _split_reason(str(exc))
            self.problem(f"网址无效「{raw}」（{zh}）", f"invalid URL {raw!r} ({en})", "url")
            return None


def _split_reason(message: str) -> tuple[str, str]:
    """``"中文 / English: detail"`` (as InvalidURL words it) -> ("中文", "English")."""
    zh, sep, rest = message.partition(" / ")
    if not sep:
        return message, message
    return zh, rest.split(":", 1)[0]


def _platform(raw: str) -> tuple[str | None, str | None]:
    """Platform id and WeChat account type of a platform cell, e.g. "微信（服务号）"."""
    folded = _fold(raw)
    candidates = [folded]
    match = re.fullmatch(r"(.+?)[（(](.+)[）)]", folded)
    if match:
        candidates = [match.group(2), match.group(1), folded]
    wechat_type = next((_WECHAT_TYPE_INDEX[c] for c in candidates if c in _WECHAT_TYPE_INDEX), None)
    for candidate in candidates:
        if candidate in _PLATFORM_INDEX:
            return _PLATFORM_INDEX[candidate], wechat_type
    return None, None


# --- writing ---------------------------------------------------------------------------------


def write_sample(
    path: Path, targets: Sequence[Target], meta: Mapping[str, str] | None = None
) -> None:
    """Write targets as a list that :func:`read_sample` reads back to the same targets.

    A ``.xlsx`` path gets a workbook (all cells as text); any other a CSV in UTF-8 with a BOM, which
    Excel and WPS open correctly. Headers are the Chinese canonical ones; ``meta`` goes on
    ``#key,value`` lines above the header. Only non-empty ``extra`` values are kept on reading, so
    targets round-trip exactly when their extras are non-empty. The file is replaced atomically.
    """
    path = Path(path)
    meta = dict(meta or {})
    _check_meta(meta)
    extras = _extra_columns(targets)
    header = [HEADER_ALIASES[f][0] for f in _COLUMN_ORDER] + extras
    rows: list[list[str]] = [[f"{_META_PREFIX}{key}", value] for key, value in meta.items()]
    rows.append(header)
    keys: set[str] = set()
    for target in targets:
        if target.key in keys:
            raise ValueError(f"duplicate target key {target.key!r}")
        keys.add(target.key)
        rows.append(_target_cells(target) + [_visible_extra(target).get(h, "") for h in extras])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        _atomic_write(path, lambda tmp: _write_xlsx(tmp, rows))
    else:
        _atomic_write(path, lambda tmp: _write_csv(tmp, rows))


def _check_meta(meta: Mapping[str, str]) -> None:
    if len(meta) > _MAX_META:
        raise ValueError(f"at most {_MAX_META} meta entries fit above the header")
    for key, value in meta.items():
        if not key or key != key.strip() or value != value.strip() or "\n" in key:
            raise ValueError(f"meta keys and values must be stripped text: {key!r}: {value!r}")


def _visible_extra(target: Target) -> Mapping[str, str]:
    """Extras as columns: a WeChat account type travels in the platform cell instead."""
    if target.platform == "wechat" and target.extra.get(WECHAT_TYPE) in _WECHAT_TYPES.values():
        return {k: v for k, v in target.extra.items() if k != WECHAT_TYPE}
    return target.extra


def _extra_columns(targets: Iterable[Target]) -> list[str]:
    columns: dict[str, None] = {}
    for target in targets:
        for name in _visible_extra(target):
            if _field_of(name) is not None or name != " ".join(name.split()) or not name:
                raise ValueError(f"extra column {name!r} would not read back as an extra column")
            columns.setdefault(name)
    return list(columns)


def _target_cells(target: Target) -> list[str]:
    platform = ""
    if target.platform:
        platform = PLATFORM_LABELS.get(target.platform, target.platform)
        wechat_type = target.extra.get(WECHAT_TYPE)
        if target.platform == "wechat" and wechat_type in _WECHAT_TYPES.values():
            platform = str(wechat_type)
    cells = {
        "kind": _KIND_LABELS[target.kind],
        "name": target.name,
        "url": target.url or "",
        "site_code": target.site_code or "",
        "owner": target.owner,
        "region": target.region,
        "level": target.level,
        "category": target.category,
        "platform": platform,
        "account_id": target.account_id or "",
        "is_portal": _BOOL_LABELS[target.is_portal],
        "no_public_services": _BOOL_LABELS[target.no_public_services],
    }
    return [cells[f] for f in _COLUMN_ORDER]


def _write_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)


def _write_xlsx(path: Path, rows: Sequence[Sequence[str]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "样本"
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value:
                cell = sheet.cell(row=r, column=c, value=value)
                cell.data_type = "s"  # text, even "=…" (no formula) and "0012" (no number)
    book.save(path)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    # A crash while writing must not leave a half list where a good one was.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
