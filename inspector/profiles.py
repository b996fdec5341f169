"""Indicator profiles: the inspection rules as data, loaded from TOML and checked before use.

Provinces change pass lines, weights, points and windows, and many national values are not
confirmed, so none of them may live in code: a profile file carries them all. A profile that does
not add up (points not summing to the total, a veto with points, a typo in a key) would silently
give wrong verdicts, so loading refuses it with a message naming the file and the exact place.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

from inspector import paths
from inspector.targets import Kind, Target

__all__ = [
    "DEFAULT_PROFILE",
    "Category",
    "ColumnKind",
    "Indicator",
    "NewMediaRules",
    "Profile",
    "ProfileError",
    "WebsiteRules",
    "available_profiles",
    "load_profile",
]

DEFAULT_PROFILE = "national-2019"

Group = Literal["veto", "deduction", "bonus"]
Detect = Literal["A", "S", "H"]
Confidence = Literal["C", "P", "U"]

GROUPS: tuple[Group, ...] = ("veto", "deduction", "bonus")
DETECTS: tuple[Detect, ...] = ("A", "S", "H")
CONFIDENCES: tuple[Confidence, ...] = ("C", "P", "U")
APPLIES_TO = ("website", "portal", "new_media")
_WEBSITE_SCOPES = frozenset({"website", "portal"})
_ID_RE = re.compile(r"^([WM])-([VDB])[0-9]+[a-z]?$")
_ID_GROUP = {"V": "veto", "D": "deduction", "B": "bonus"}


class ProfileError(ValueError):
    """A profile that cannot be used; every problem names the file and the place in it.

    ``problems`` holds ``(location, message)`` pairs such as
    ``("indicators[3] (W-V4).group", "must be one of veto, deduction, bonus, got 'vetoo'")``.
    """

    def __init__(self, path: Path, problems: Iterable[tuple[str, str]]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = [
            f"{path.name}: {where}: {what}" if where else f"{path.name}: {what}"
            for where, what in self.problems
        ]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Category:
    """A people-facing label for an indicator's ``category`` slug (the slug is what code uses)."""

    slug: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Indicator:
    """One line of the checklist, with everything needed to judge and score it.

    ``points`` is the cap of a deduction or the value of a bonus; ``per_item`` the cost of one
    occurrence. Numeric thresholds come as ``int`` or ``Decimal`` (never float), lists as tuples.
    ``provisional_thresholds`` names the thresholds that are not confirmed from the text.
    """

    id: str
    name_zh: str
    name_en: str
    group: Group
    applies_to: frozenset[str]
    category: str
    points: Decimal | None
    per_item: Decimal | None
    service: bool
    detect: Detect
    confidence: Confidence
    provisional: bool
    rule_zh: str
    rule_en: str
    thresholds: Mapping[str, Any]
    provisional_thresholds: frozenset[str] = frozenset()

    def applies(self, target: Target) -> bool:
        """Whether the target is judged on this indicator at all.

        ``"portal"`` means portals only; a site flagged ``no_public_services`` is not judged on
        service indicators (it is scored on the rest and scaled up, see ``verdict``).
        """
        if target.kind == Kind.NEW_MEDIA:
            return "new_media" in self.applies_to
        if self.service and target.no_public_services:
            return False
        return "website" in self.applies_to or ("portal" in self.applies_to and target.is_portal)


@dataclass(frozen=True)
class WebsiteRules:
    """How a website's score is formed and where its pass and bonus lines sit."""

    total_points: Decimal
    pass_line: Decimal
    bonus_line: Decimal
    bonus_points: Decimal


@dataclass(frozen=True)
class NewMediaRules:
    """Whether new-media accounts get a score; when ``scored`` is false they are veto-only and
    ``total_points`` and ``pass_line`` are 0 unless the profile gives them."""

    scored: bool
    total_points: Decimal
    pass_line: Decimal


@dataclass(frozen=True)
class ColumnKind:
    """A kind of website column and how fresh it must be.

    A window is given in days or in calendar months (``window_months``; then ``window_days`` is an
    approximation, 365.25/12 days a month, for display and sorting). Use ``cutoff`` to decide.
    """

    name: str
    window_days: int | None
    indicator: str | None
    keywords: tuple[str, ...]
    window_months: int | None = None
    label_zh: str = ""
    label_en: str = ""

    def cutoff(self, as_of: date) -> date | None:
        """The oldest date of a newest item that still counts as fresh at ``as_of``.

        Calendar months clamp to the month's end (31 Aug − 6 months = 28/29 Feb). None: no window.
        """
        if self.window_months is not None:
            month_index = as_of.year * 12 + as_of.month - 1 - self.window_months
            year, month = divmod(month_index, 12)
            day = min(as_of.day, calendar.monthrange(year, month + 1)[1])
            return date(year, month + 1, day)
        if self.window_days is not None:
            return as_of - timedelta(days=self.window_days)
        return None


@dataclass(frozen=True)
class Profile:
    """A complete, validated set of indicators and scoring rules (national or a province's)."""

    id: str
    name_zh: str
    name_en: str
    version: str
    source: tuple[str, ...]
    provisional: bool
    website: WebsiteRules
    new_media: NewMediaRules
    columns: Mapping[str, ColumnKind]
    markers: Mapping[str, tuple[str, ...]]
    indicators: tuple[Indicator, ...]
    path: Path
    notes: str = ""
    categories: Mapping[str, Category] = field(default_factory=dict)
    _by_id: Mapping[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {ind.id: ind for ind in self.indicators})

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id; KeyError naming the profile when there is none."""
        try:
            return self._by_id[id]
        except KeyError:
            raise KeyError(f"no indicator {id!r} in profile {self.id}") from None

    def has(self, id: str) -> bool:
        """Whether the profile carries this indicator (hints name only indicators it has)."""
        return id in self._by_id

    def for_target(self, target: Target) -> list[Indicator]:
        """The checklist for one target, in profile order."""
        return [ind for ind in self.indicators if ind.applies(target)]

    def threshold(self, indicator_id: str, name: str) -> Any:
        """A named threshold of an indicator, e.g. ``threshold("W-V2", "timeout_seconds")``."""
        indicator = self.indicator(indicator_id)
        try:
            return indicator.thresholds[name]
        except KeyError:
            known = ", ".join(indicator.thresholds) or "none"
            raise KeyError(
                f"indicator {indicator_id} of profile {self.id} has no threshold {name!r}"
                f" (it has: {known})"
            ) from None

    def column_kind_for(self, column_name: str) -> ColumnKind:
        """Guess a column's kind from its name: the longest matching keyword wins, else "other"."""
        best: ColumnKind | None = None
        best_len = 0
        for kind in self.columns.values():
            for keyword in kind.keywords:
                if keyword and keyword in column_name and len(keyword) > best_len:
                    best, best_len = kind, len(keyword)
        return best if best is not None else self.columns["other"]


# ── reading and validating ──────────────────────────────────────────────────────────────────

_TYPE_NAMES = {
    "str": "a string",
    "number": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "str_list": "a list of strings",
    "table": "a table",
    "table_list": "an array of tables ([[indicators]])",
}


def _describe(value: Any) -> str:
    kinds = {str: "string", bool: "boolean", int: "integer", float: "number", list: "list"}
    kind = "table" if isinstance(value, dict) else kinds.get(type(value), type(value).__name__)
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{kind} {text}"


def _fits(value: Any, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "str_list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "table_list":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return isinstance(value, dict)


class _Reader:
    """Collects every problem of one file, so a profile author sees them all at once."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, where: str, what: str) -> None:
        self.problems.append((where, what))

    def table(
        self, data: Any, where: str, required: Mapping[str, str], optional: Mapping[str, str]
    ) -> dict[str, Any] | None:
        """Check keys and value types of a table; return the well-typed entries (None if not a
        table). Missing, unknown and mistyped keys are reported and left out."""
        if not isinstance(data, dict):
            self.fail(where, f"expected a table, got {_describe(data)}")
            return None
        prefix = f"{where}." if where else ""
        allowed = {**required, **optional}
        good: dict[str, Any] = {}
        for key, value in data.items():
            if key not in allowed:
                self.fail(f"{prefix}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")
            elif not _fits(value, allowed[key]):
                self.fail(
                    f"{prefix}{key}",
                    f"expected {_TYPE_NAMES[allowed[key]]}, got {_describe(value)}",
                )
            else:
                good[key] = value
        for key, kind in required.items():
            if key not in data:
                self.fail(f"{prefix}{key}", f"missing (required: {_TYPE_NAMES[kind]})")
        return good

    def amount(self, value: Any, where: str) -> Decimal:
        """A point value as an exact Decimal (0.1 stays 0.1); negative values are reported."""
        number = Decimal(str(value))
        if number < 0:
            self.fail(where, f"must not be negative, got {value}")
        return number


def _threshold_value(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, list):
        return tuple(_threshold_value(v) for v in value)
    return value


# (required keys, optional keys) of each table, with the type each value must have.
_Keys = tuple[dict[str, str], dict[str, str]]

_PROFILE_KEYS: _Keys = (
    {
        "id": "str",
        "name_zh": "str",
        "name_en": "str",
        "version": "str",
        "source": "str_list",
        "provisional": "bool",
    },
    {"notes": "str"},
)
_WEBSITE_KEYS: _Keys = (
    {
        "total_points": "number",
        "pass_line": "number",
        "bonus_line": "number",
        "bonus_points": "number",
    },
    {},
)
_NEW_MEDIA_KEYS: _Keys = ({"scored": "bool"}, {"total_points": "number", "pass_line": "number"})
_CATEGORY_KEYS: _Keys = ({"name_zh": "str", "name_en": "str"}, {})
_COLUMN_KEYS: _Keys = (
    {"label_zh": "str", "label_en": "str", "keywords": "str_list"},
    {"window_days": "int", "window_months": "int", "indicator": "str"},
)
_INDICATOR_KEYS: _Keys = (
    {
        "id": "str",
        "name_zh": "str",
        "name_en": "str",
        "group": "str",
        "applies_to": "str_list",
        "category": "str",
        "detect": "str",
        "confidence": "str",
        "provisional": "bool",
        "rule_zh": "str",
        "rule_en": "str",
    },
    {
        "points": "number",
        "per_item": "number",
        "service": "bool",
        "thresholds": "table",
        "provisional_thresholds": "str_list",
    },
)
_TOP_KEYS: _Keys = (
    {
        "profile": "table",
        "website": "table",
        "new_media": "table",
        "categories": "table",
        "columns": "table",
        "markers": "table",
        "indicators": "table_list",
    },
    {},
)


def _choice(reader: _Reader, value: str | None, choices: tuple[str, ...], where: str) -> str | None:
    if value is None:
        return None
    if value not in choices:
        reader.fail(where, f"must be one of {', '.join(choices)}, got {value!r}")
        return None
    return value


def _read_indicator(
    reader: _Reader, raw: Any, index: int, seen: dict[str, int], categories: Mapping[str, Any]
) -> Indicator | None:
    ident = raw.get("id") if isinstance(raw, dict) else None
    where = f"indicators[{index}]" + (f" ({ident})" if isinstance(ident, str) else "")
    before = len(reader.problems)
    data = reader.table(raw, where, *_INDICATOR_KEYS)
    if data is None:
        return None

    ident = data.get("id")
    match = _ID_RE.match(ident) if ident is not None else None
    if ident is not None:
        if ident in seen:
            reader.fail(f"{where}.id", f"duplicate id, first defined at indicators[{seen[ident]}]")
        else:
            seen[ident] = index
        if match is None:
            reader.fail(
                f"{where}.id",
                f"expected W- or M- then V, D or B and a number (e.g. W-V1, M-D2), got {ident!r}",
            )

    group = _choice(reader, data.get("group"), GROUPS, f"{where}.group")
    detect = _choice(reader, data.get("detect"), DETECTS, f"{where}.detect")
    confidence = _choice(reader, data.get("confidence"), CONFIDENCES, f"{where}.confidence")

    applies_to = data.get("applies_to")
    if applies_to is not None:
        unknown = [v for v in applies_to if v not in APPLIES_TO]
        for value in unknown:
            reader.fail(
                f"{where}.applies_to",
                f"unknown value {value!r} (allowed: {', '.join(APPLIES_TO)})",
            )
        if not applies_to:
            reader.fail(
                f"{where}.applies_to", "must name at least one of website, portal, new_media"
            )
        elif match is not None and not unknown:
            scopes = frozenset(applies_to)
            if match.group(1) == "W" and not scopes <= _WEBSITE_SCOPES:
                reader.fail(
                    f"{where}.applies_to",
                    f"a W-* indicator applies to websites (website, portal), got {applies_to}",
                )
            if match.group(1) == "M" and scopes != {"new_media"}:
                reader.fail(
                    f"{where}.applies_to",
                    f"an M-* indicator applies to new_media only, got {applies_to}",
                )
    if match is not None and group is not None and _ID_GROUP[match.group(2)] != group:
        reader.fail(
            f"{where}.group",
            f"id {ident} says {_ID_GROUP[match.group(2)]} ({match.group(2)}), got {group!r}",
        )

    category = data.get("category")
    if category is not None and category not in categories:
        reader.fail(
            f"{where}.category",
            f"unknown category {category!r} (defined: {', '.join(sorted(categories))})",
        )

    points = reader.amount(data["points"], f"{where}.points") if "points" in data else None
    per_item = reader.amount(data["per_item"], f"{where}.per_item") if "per_item" in data else None
    if group == "veto":
        for key in ("points", "per_item"):
            if key in data:
                reader.fail(
                    f"{where}.{key}",
                    "a veto indicator has no points (one hit makes the target unqualified)",
                )
    else:
        if per_item is not None and points is None:
            reader.fail(f"{where}.per_item", "per_item needs points (the indicator's cap)")
        if per_item is not None and points is not None and per_item > points:
            reader.fail(f"{where}.per_item", f"per_item {per_item} exceeds points {points}")
        if group == "bonus" and points is None:
            reader.fail(f"{where}.points", "missing (required for a bonus indicator)")
        if group == "deduction" and points is None and match is not None and match.group(1) == "W":
            reader.fail(f"{where}.points", "missing (required for a website deduction indicator)")

    if group == "bonus" and match is not None and match.group(1) == "M":
        reader.fail(f"{where}.group", "bonus indicators are for portals only (W-B*)")
    if data.get("service") and match is not None and match.group(1) == "M":
        reader.fail(f"{where}.service", "only website indicators can be service indicators")

    thresholds: dict[str, Any] = {}
    for name, value in data.get("thresholds", {}).items():
        if isinstance(value, dict):
            reader.fail(f"{where}.thresholds.{name}", "expected a value or a list, got a table")
            continue
        if isinstance(value, bool):
            pass
        elif isinstance(value, int | float) and value < 0:
            reader.fail(f"{where}.thresholds.{name}", f"must not be negative, got {value}")
        thresholds[name] = _threshold_value(value)
    provisional_thresholds = frozenset(data.get("provisional_thresholds", ()))
    for name in sorted(provisional_thresholds - thresholds.keys()):
        reader.fail(
            f"{where}.provisional_thresholds", f"names no threshold of this indicator: {name!r}"
        )

    provisional = data.get("provisional")
    if provisional is False:
        if confidence == "U":
            reader.fail(f"{where}.provisional", "must be true when confidence is U (not confirmed)")
        if provisional_thresholds:
            reader.fail(f"{where}.provisional", "must be true when some thresholds are provisional")

    if len(reader.problems) > before:
        return None
    return Indicator(
        id=data["id"],
        name_zh=data["name_zh"],
        name_en=data["name_en"],
        group=cast(Group, group),
        applies_to=frozenset(data["applies_to"]),
        category=data["category"],
        points=points,
        per_item=per_item,
        service=data.get("service", False),
        detect=cast(Detect, detect),
        confidence=cast(Confidence, confidence),
        provisional=data["provisional"],
        rule_zh=data["rule_zh"],
        rule_en=data["rule_en"],
        thresholds=MappingProxyType(thresholds),
        provisional_thresholds=provisional_thresholds,
    )


def _read_columns(
    reader: _Reader, raw: dict[str, Any], known_ids: set[str]
) -> dict[str, ColumnKind]:
    columns: dict[str, ColumnKind] = {}
    for name, value in raw.items():
        where = f"columns.{name}"
        before = len(reader.problems)
        data = reader.table(value, where, *_COLUMN_KEYS)
        if data is None:
            continue
        days, months = data.get("window_days"), data.get("window_months")
        if days is not None and months is not None:
            reader.fail(where, "give window_days or window_months, not both")
        for key, number in (("window_days", days), ("window_months", months)):
            if number is not None and number <= 0:
                reader.fail(f"{where}.{key}", f"must be positive, got {number}")
        indicator = data.get("indicator")
        if indicator is not None and indicator not in known_ids:
            reader.fail(f"{where}.indicator", f"no indicator {indicator!r} in this profile")
        if len(reader.problems) > before:
            continue
        columns[name] = ColumnKind(
            name=name,
            window_days=days if months is None else round(months * 365.25 / 12),
            indicator=indicator,
            keywords=tuple(data["keywords"]),
            window_months=months,
            label_zh=data.get("label_zh", ""),
            label_en=data.get("label_en", ""),
        )
    if "other" not in raw:
        reader.fail("columns.other", "missing (the kind of a column whose name matches no keyword)")
    return columns


def _check_sums(
    reader: _Reader,
    website: WebsiteRules,
    new_media: NewMediaRules,
    indicators: list[Indicator],
    index_of: Mapping[str, int],
) -> None:
    """Checks across indicators: the points must add up to the totals the rules promise."""

    def total(select: Callable[[Indicator], bool]) -> Decimal:
        return sum((i.points or Decimal(0) for i in indicators if select(i)), Decimal(0))

    def on_websites(i: Indicator) -> bool:
        return i.id.startswith("W-")

    deduction_sum = total(lambda i: on_websites(i) and i.group == "deduction")
    if deduction_sum != website.total_points:
        reader.fail(
            "website.total_points",
            f"website deduction indicators' points sum to {deduction_sum},"
            f" but total_points is {website.total_points}",
        )
    for ind in indicators:
        if on_websites(ind) and ind.group == "deduction" and "website" not in ind.applies_to:
            reader.fail(
                f"indicators[{index_of[ind.id]}] ({ind.id}).applies_to",
                "a website deduction indicator must apply to every website (include 'website'),"
                " or the points would not add up to total_points",
            )
    service_sum = total(lambda i: on_websites(i) and i.group == "deduction" and i.service)
    if service_sum >= website.total_points > 0:
        reader.fail(
            "website.total_points",
            f"service indicators' points ({service_sum}) leave nothing to score sites without"
            " public services",
        )
    bonus_sum = total(lambda i: i.group == "bonus")
    if bonus_sum != website.bonus_points:
        reader.fail(
            "website.bonus_points",
            f"bonus indicators' points sum to {bonus_sum},"
            f" but bonus_points is {website.bonus_points}",
        )
    if new_media.scored:
        media = [i for i in indicators if i.id.startswith("M-") and i.group == "deduction"]
        for ind in media:
            if ind.points is None:
                reader.fail(
                    f"indicators[{index_of[ind.id]}] ({ind.id}).points",
                    "missing (new_media.scored is true, so every new-media deduction needs points)",
                )
        media_sum = total(lambda i: i in media)
        if media_sum != new_media.total_points:
            reader.fail(
                "new_media.total_points",
                f"new-media deduction indicators' points sum to {media_sum},"
                f" but total_points is {new_media.total_points}",
            )


def _parse(path: Path, document: dict[str, Any]) -> Profile:
    reader = _Reader()
    top = reader.table(document, "", *_TOP_KEYS) or {}
    meta = reader.table(top["profile"], "profile", *_PROFILE_KEYS) if "profile" in top else None
    web = reader.table(top["website"], "website", *_WEBSITE_KEYS) if "website" in top else None
    media = None
    if "new_media" in top:
        media = reader.table(top["new_media"], "new_media", *_NEW_MEDIA_KEYS)
    if media is not None and media.get("scored"):
        for key in ("total_points", "pass_line"):
            if key not in media:
                reader.fail(f"new_media.{key}", "missing (required when scored is true)")

    categories: dict[str, Category] = {}
    for slug, value in top.get("categories", {}).items():
        data = reader.table(value, f"categories.{slug}", *_CATEGORY_KEYS)
        if data is not None and len(data) == len(value) == 2:
            categories[slug] = Category(slug, data["name_zh"], data["name_en"])

    markers: dict[str, tuple[str, ...]] = {}
    for name, value in top.get("markers", {}).items():
        if _fits(value, "str_list"):
            markers[name] = tuple(value)
        else:
            reader.fail(f"markers.{name}", f"expected a list of strings, got {_describe(value)}")

    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(top.get("indicators", [])):
        ind = _read_indicator(reader, raw, index, seen, top.get("categories", {}))
        if ind is not None:
            indicators.append(ind)
    columns = _read_columns(reader, top.get("columns", {}), set(seen))

    website: WebsiteRules | None = None
    if web is not None and len(web) == len(_WEBSITE_KEYS[0]):
        website = WebsiteRules(
            total_points=reader.amount(web["total_points"], "website.total_points"),
            pass_line=reader.amount(web["pass_line"], "website.pass_line"),
            bonus_line=reader.amount(web["bonus_line"], "website.bonus_line"),
            bonus_points=reader.amount(web["bonus_points"], "website.bonus_points"),
        )
        for key, value in (("pass_line", website.pass_line), ("bonus_line", website.bonus_line)):
            if value > website.total_points:
                reader.fail(
                    f"website.{key}", f"{value} exceeds total_points {website.total_points}"
                )
    new_media: NewMediaRules | None = None
    if media is not None and "scored" in media:
        new_media = NewMediaRules(
            scored=media["scored"],
            total_points=reader.amount(media.get("total_points", 0), "new_media.total_points"),
            pass_line=reader.amount(media.get("pass_line", 0), "new_media.pass_line"),
        )
        if new_media.pass_line > new_media.total_points:
            reader.fail(
                "new_media.pass_line",
                f"{new_media.pass_line} exceeds total_points {new_media.total_points}",
            )

    # Sums are only meaningful when every indicator read cleanly; otherwise they repeat noise.
    if not reader.problems and website is not None and new_media is not None:
        _check_sums(reader, website, new_media, indicators, seen)
    if reader.problems or meta is None or website is None or new_media is None:
        raise ProfileError(path, reader.problems or [("", "incomplete profile")])
    return Profile(
        id=meta["id"],
        name_zh=meta["name_zh"],
        name_en=meta["name_en"],
        version=meta["version"],
        source=tuple(meta["source"]),
        provisional=meta["provisional"],
        website=website,
        new_media=new_media,
        columns=MappingProxyType(columns),
        markers=MappingProxyType(markers),
        indicators=tuple(indicators),
        path=path,
        notes=meta.get("notes", ""),
        categories=MappingProxyType(categories),
    )


def _read_file(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(path, [("", f"file not found: {path}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(path, [("", f"cannot read the file as UTF-8 text: {exc}")]) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, [("", f"TOML syntax error: {exc}")]) from None
    return _parse(path, document)


def load_profile(name_or_path: str | Path) -> Profile:
    """Load and validate a profile: an id such as ``"national-2019"`` names a shipped file in
    ``resources/profiles``; a Path, or a string with a slash or ending in ``.toml``, is a file.

    A shipped profile's ``[profile].id`` must equal its file name, since findings files record the
    id and load the profile by it later.
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text or "\\" in text or text.endswith(".toml"):
        return _read_file(Path(name_or_path))
    path = paths.PROFILES / f"{text}.toml"
    if not path.is_file():
        shipped = ", ".join(sorted(p.stem for p in paths.PROFILES.glob("*.toml"))) or "none"
        raise ProfileError(
            path, [("", f"no profile {text!r} in {paths.PROFILES} (available: {shipped})")]
        )
    profile = _read_file(path)
    _check_id(profile)
    return profile


def _check_id(profile: Profile) -> None:
    if profile.id != profile.path.stem:
        raise ProfileError(
            profile.path,
            [("profile.id", f"must equal the file name {profile.path.stem!r}, got {profile.id!r}")],
        )


def available_profiles() -> list[Profile]:
    """Every shipped profile, sorted by id; a broken one raises ProfileError naming it."""
    profiles = []
    for path in sorted(paths.PROFILES.glob("*.toml")):
        profile = _read_file(path)
        _check_id(profile)
        profiles.append(profile)
    return profiles
