"""The records a findings file stores, and how each goes to and from its table's rows.

Frozen dataclasses are what callers get back; the column lists and ``_row_*`` converters are the
one place that knows how a record is laid out in the schema. ``_text`` and the judgement checks
validate what callers hand in before any of it reaches a table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from inspector.store.schema import FindingsError
from inspector.targets import Kind, State, Target

# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """An inspector's verdict on one indicator of one target, as stored.

    ``deduction`` and ``count`` are optional numbers the verdict engine may use (points taken
    off, occurrences found); ``from_hint`` names the machine hint the inspector confirmed.
    """

    target_key: str
    indicator_id: str
    state: State
    note: str
    inspector: str
    updated_at: str
    from_hint: int | None
    deduction: Decimal | None
    count: int | None


@dataclass(frozen=True)
class Hint:
    """A machine finding handed to the store by a scan (input form, no id yet)."""

    kind: str
    indicator: str | None
    url: str
    found_on: str
    detail: str
    as_of: str | None = None


@dataclass(frozen=True)
class StoredHint:
    """A hint as kept in the file, with the inspector's decision on it (``status``).

    ``source`` (which scan produced it) is an addition to the original contract.
    """

    id: int
    target_key: str
    kind: str
    indicator: str | None
    url: str
    found_on: str
    detail: str
    as_of: str | None
    found_at: str
    status: str
    source: str


@dataclass(frozen=True)
class Probe:
    """One reachability visit (W-V2 needs a week of them); ``id`` is set once stored."""

    target_key: str
    url: str
    probed_at: str
    ok: bool
    outcome: str
    status_code: int | None
    elapsed_ms: int | None
    error: str | None
    id: int | None = None


@dataclass(frozen=True)
class EvidenceInfo:
    """What is known about one captured piece of evidence, without its bytes."""

    id: int
    target_key: str
    indicator_id: str | None
    kind: str
    mime: str
    filename: str
    url: str | None
    captured_at: str
    inspector: str
    sha256: str
    size: int
    note: str
    menu_item: str | None = None


@dataclass(frozen=True)
class AccountFacts:
    """What the inspector established about a new-media account (schema 4, issue 6).

    ``latest_post`` backs M-V2 (None: not known yet), ``latest_post_source`` says where it came
    from (``"manual"`` or the page reader's source, e.g. ``"script-var"``); ``interaction`` backs
    M-V3 (None: not checked yet).
    """

    target_key: str
    latest_post: date | None
    latest_post_source: str
    interaction: bool | None
    inspector: str
    updated_at: str


@dataclass(frozen=True)
class MenuItem:
    """One menu item of a new-media account as the inspector checked it (schema 5, issue 6).

    ``status`` is one of ``MENU_STATUSES``; ``marker`` is the text on the opened page that proves
    it ("该功能正在开发中"); ``position`` orders the items as the account's menu shows them.
    ``id`` (uuid4 hex) stays the same across files and merges.
    """

    id: str
    target_key: str
    position: int
    name: str
    url: str
    status: str
    marker: str
    note: str
    inspector: str
    updated_at: str


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail; values are decoded from JSON.

    ``undoes`` (an addition to the original contract) is the id of the entry an ``undo`` reverted.
    """

    id: int
    at: str
    who: str
    action: str
    target_key: str | None
    indicator_id: str | None
    old_value: Any
    new_value: Any
    reason: str
    undoes: int | None = None


@dataclass(frozen=True)
class Conflict:
    """Two or more inspectors judged one indicator of one target differently (a merged file).

    ``candidates`` are the disagreeing judgements, each a dict with ``inspector``,
    ``updated_at``, ``state``, ``note``, ``deduction`` and ``count``. While ``status`` is
    ``open`` the result holds the latest candidate; ``resolved`` means the coordinator chose
    ``resolution`` (the result's values) for ``reason``. When the inspectors come to agree the
    conflict leaves the table (its story stays in the audit log).
    """

    id: int
    target_key: str
    indicator_id: str
    status: str
    candidates: tuple[Mapping[str, Any], ...]
    detected_at: str
    resolved_at: str | None
    resolved_by: str | None
    resolution: Mapping[str, Any] | None
    reason: str


@dataclass(frozen=True)
class SourceFile:
    """One inspector's file merged into a quarter file; ``inspector`` and ``created_at`` are
    its identity, so a later copy of the same file is the same source."""

    id: int
    inspector: str
    created_at: str
    file_name: str
    quarter: str
    profile_id: str
    first_merged_at: str
    last_merged_at: str
    merged_by: str


@dataclass(frozen=True)
class SourcedResult:
    """A judgement as its inspector made it, and the merged file (``source_id``) it came from."""

    target_key: str
    indicator_id: str
    state: State
    note: str
    inspector: str
    updated_at: str
    deduction: Decimal | None
    count: int | None
    source_id: int
    merged_at: str


# --- conversions -------------------------------------------------------------------------------

# Column lists in table order; kept compact so the five read as one table of the schema.
# fmt: off
_TARGET_COLUMNS = (
    "key", "kind", "name", "url", "site_code", "owner", "region", "level", "category",
    "is_portal", "no_public_services", "platform", "account_id", "extra",
)
_RESULT_VALUE_COLUMNS = (
    "state", "note", "from_hint", "deduction", "count", "inspector", "updated_at",
)
_EVIDENCE_INFO_COLUMNS = (
    "id", "target_key", "indicator_id", "kind", "mime", "filename", "url", "captured_at",
    "inspector", "sha256", "size", "note", "menu_item",
)
_HINT_COLUMNS = (
    "id", "target_key", "kind", "indicator", "url", "found_on", "detail", "as_of", "found_at",
    "status", "source",
)
_PROBE_COLUMNS = (
    "id", "target_key", "url", "probed_at", "ok", "outcome", "status_code", "elapsed_ms", "error",
)
_MENU_COLUMNS = (
    "id", "target_key", "position", "name", "url", "status", "marker", "note", "inspector",
    "updated_at",
)
#: What an inspector may change on a menu item (``set_menu_item``), in audit order.
_MENU_EDITABLE = ("name", "url", "status", "marker", "note")
# fmt: on


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _unjson(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _target_values(target: Target) -> dict[str, Any]:
    """A target as plain JSON-able values, in column order (``extra`` as a dict)."""
    if not isinstance(target, Target):
        raise FindingsError(f"不是检查对象 / not a Target: {target!r}")
    try:
        kind = Kind(target.kind)
    except ValueError as exc:
        raise FindingsError(f"未知对象类型 / unknown target kind: {target.kind!r}") from exc
    if not target.key or not target.key.strip():
        raise FindingsError(f"检查对象缺少标识 / target has no key: {target.name!r}")
    return {
        "key": target.key,
        "kind": kind.value,
        "name": target.name,
        "url": target.url,
        "site_code": target.site_code,
        "owner": target.owner,
        "region": target.region,
        "level": target.level,
        "category": target.category,
        "is_portal": bool(target.is_portal),
        "no_public_services": bool(target.no_public_services),
        "platform": target.platform,
        "account_id": target.account_id,
        "extra": {str(k): str(v) for k, v in target.extra.items()},
    }


def _target_params(values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (
            int(values[c])
            if c in ("is_portal", "no_public_services")
            else _json(values[c])
            if c == "extra"
            else values[c]
        )
        for c in _TARGET_COLUMNS
    )


def _row_target_values(row: sqlite3.Row) -> dict[str, Any]:
    values = {c: row[c] for c in _TARGET_COLUMNS}
    values["is_portal"] = bool(values["is_portal"])
    values["no_public_services"] = bool(values["no_public_services"])
    values["extra"] = json.loads(values["extra"] or "{}")
    return values


def _row_target(row: sqlite3.Row) -> Target:
    v = _row_target_values(row)
    return Target(
        key=v["key"],
        kind=Kind(v["kind"]),
        name=v["name"],
        url=v["url"],
        site_code=v["site_code"],
        owner=v["owner"],
        region=v["region"],
        level=v["level"],
        category=v["category"],
        is_portal=v["is_portal"],
        no_public_services=v["no_public_services"],
        platform=v["platform"],
        account_id=v["account_id"],
        extra=v["extra"],
    )


def _checked_judgement(state: State | str, note: str | None, count: object) -> State:
    """Validate what an inspector's judgement carries; the state as a `State`."""
    try:
        checked = State(state)
    except ValueError as exc:
        raise FindingsError(f"未知结论 / unknown result state: {state!r}") from exc
    if note is not None:
        _text(note, "备注 note", allow_empty=True)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise FindingsError(f"次数须为非负整数 / count must be a non-negative int: {count!r}")
    return checked


def _decimal_text(value: Decimal | int | None) -> str | None:
    """Exact, canonical decimal text: ``Decimal('0.50')`` and ``Decimal('0.5')`` store alike."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise FindingsError(f"扣分须为十进制数 / deduction must be a Decimal: {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise FindingsError(f"扣分须为有限数 / deduction must be finite: {value!r}")
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _row_result(row: sqlite3.Row) -> Result:
    deduction = row["deduction"]
    try:
        amount = None if deduction is None else Decimal(deduction)
    except InvalidOperation:
        amount = None
    return Result(
        target_key=row["target_key"],
        indicator_id=row["indicator_id"],
        state=State(row["state"]),
        note=row["note"],
        inspector=row["inspector"],
        updated_at=row["updated_at"],
        from_hint=row["from_hint"],
        deduction=amount,
        count=row["count"],
    )


def _row_result_values(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return None if row is None else {c: row[c] for c in _RESULT_VALUE_COLUMNS}


def _row_audit(row: sqlite3.Row) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=row["at"],
        who=row["who"],
        action=row["action"],
        target_key=row["target_key"],
        indicator_id=row["indicator_id"],
        old_value=_unjson(row["old_value"]),
        new_value=_unjson(row["new_value"]),
        reason=row["reason"],
        undoes=row["undoes"],
    )


def _row_conflict(row: sqlite3.Row) -> Conflict:
    return Conflict(
        id=row["id"],
        target_key=row["target_key"],
        indicator_id=row["indicator_id"],
        status=row["status"],
        candidates=tuple(json.loads(row["candidates"])),
        detected_at=row["detected_at"],
        resolved_at=row["resolved_at"],
        resolved_by=row["resolved_by"],
        resolution=_unjson(row["resolution"]),
        reason=row["reason"],
    )


def _row_hint(row: sqlite3.Row) -> StoredHint:
    return StoredHint(**{c: row[c] for c in _HINT_COLUMNS})


def _row_probe(row: sqlite3.Row) -> Probe:
    return Probe(
        id=row["id"],
        target_key=row["target_key"],
        url=row["url"],
        probed_at=row["probed_at"],
        ok=bool(row["ok"]),
        outcome=row["outcome"],
        status_code=row["status_code"],
        elapsed_ms=row["elapsed_ms"],
        error=row["error"],
    )


def _row_evidence(row: sqlite3.Row) -> EvidenceInfo:
    return EvidenceInfo(**{c: row[c] for c in _EVIDENCE_INFO_COLUMNS})


def _row_menu_item(row: sqlite3.Row) -> MenuItem:
    return MenuItem(**{c: row[c] for c in _MENU_COLUMNS})


def _text(value: object, what: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise FindingsError(f"{what}不能为空 / {what} must be a non-empty string: {value!r}")
    return value
