"""The findings file: one inspector's quarter of targets, results, hints, probes and evidence.

Everything an inspector does is saved the moment it happens, because laptops run out of battery
and the app may be killed: each public write method is exactly one SQLite transaction
(``BEGIN IMMEDIATE`` … ``COMMIT``) in WAL mode with ``synchronous=FULL``, so a crash loses at most
the edit in flight. Every change to results, targets, evidence or hint status writes its audit row
(who, when, old value, new value, reason) inside the same transaction, so the trail can never
disagree with the data it explains.

Hints and probes are machine output kept as they arrive; they are deduplicated rather than audited
one by one (a week of probes would otherwise double the log).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from inspector import __version__
from inspector.store.schema import (
    MANAGED_INFO,
    MENU_STATUSES,
    REQUIRED_INFO,
    SCHEMA_VERSION,
    DamagedFileError,
    FindingsError,
    check_header,
    create_schema,
    damaged_message,
    migrate,
    recognise,
)
from inspector.targets import Kind, State, Target

#: How long a write waits for another program (a second window, the CLI) to finish its own.
BUSY_TIMEOUT_MS = 5000

EVIDENCE_KINDS = ("screenshot", "fullpage", "mhtml", "phone", "file")
HINT_STATUSES = ("open", "confirmed", "dismissed")
_HINT_ACTIONS = {"confirmed": "confirm_hint", "dismissed": "dismiss_hint", "open": "reopen_hint"}
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")

Clock = Callable[[], datetime]


def _local_now() -> datetime:
    return datetime.now().astimezone()


def iso_seconds(moment: datetime) -> str:
    """ISO 8601 with a UTC offset, to the second: ``2025-06-14T10:03:12+08:00``.

    An aware time keeps its own offset; a naive one is taken as local time.
    """
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    return aware.isoformat(timespec="seconds")


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _unjson(text: str | None) -> Any:
    return None if text is None else json.loads(text)


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


def _menu_status(status: str) -> str:
    if status not in MENU_STATUSES:
        raise FindingsError(
            f"未知菜单状态 / unknown menu item status: {status!r}"
            f"（可选 / one of: {', '.join(MENU_STATUSES)}）"
        )
    return status


def _text(value: object, what: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise FindingsError(f"{what}不能为空 / {what} must be a non-empty string: {value!r}")
    return value


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: the sqlite3 module must not open transactions behind our back; every
    # write spells out BEGIN IMMEDIATE / COMMIT.
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # Files arrive from other people's laptops for merging: do not run functions a schema asks for.
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def _make_durable(conn: sqlite3.Connection) -> None:
    """WAL + FULL sync: a commit is on disk when COMMIT returns, and readers never block writers.

    ``secure_delete`` overwrites removed evidence, which may have been removed because it showed
    personal data that must not linger in the file's free pages.
    """
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"cannot switch to WAL journal (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")


def _is_busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _access_failed(path: Path, exc: sqlite3.Error) -> str:
    """Busy or unreadable is not damaged: say so, or a user may throw away a good file."""
    if _is_busy(exc):
        return f"文件正被其他程序占用 / findings file is busy in another program: {path}"
    return f"无法打开文件 / cannot open file: {path} ({exc})"


# --- undo ---------------------------------------------------------------------------------------
# One revert per undoable action: each checks that the thing still holds what the audit row's
# ``new_value`` says (else someone, or a later change, has changed it since and the undo is
# refused), then writes back the row's ``old_value``. ``undo_last`` picks one by the row's action.

_Revert = Callable[[sqlite3.Connection, AuditEntry, str, str], None]


def _changed_since(entry: AuditEntry, zh: str, en: str) -> FindingsError:
    return FindingsError(
        f"无法撤销：{zh}之后已被修改 / cannot undo: {en} has been changed since (audit #{entry.id})"
    )


def _require_free_menu_name(
    conn: sqlite3.Connection, target_key: str, item_id: str, name: str, url: str
) -> None:
    """Two live items of one account never share name and URL (pasting a list twice)."""
    if conn.execute(
        "SELECT 1 FROM menu_items WHERE target_key = ? AND removed = 0 AND id != ?"
        " AND name = ? AND url = ?",
        (target_key, item_id, name, url),
    ).fetchone():
        raise FindingsError(
            f"已有同名同链接的菜单项 / a menu item with this name and URL exists: {name} {url}"
        )


def _revert_result(conn: sqlite3.Connection, entry: AuditEntry, who: str, at: str) -> None:
    """The result exactly as it was (its inspector and time included)."""
    key, indicator = entry.target_key or "", entry.indicator_id or ""
    where = (key, indicator)
    current = _row_result_values(
        conn.execute(
            "SELECT * FROM results WHERE target_key = ? AND indicator_id = ?", where
        ).fetchone()
    )
    if current != entry.new_value:
        raise _changed_since(
            entry, f"{key} {indicator} 的结果", f"the result for {key} {indicator}"
        )
    if entry.old_value is None:
        conn.execute("DELETE FROM results WHERE target_key = ? AND indicator_id = ?", where)
    else:
        FindingsFile._put_result(conn, key, indicator, entry.old_value)


def _revert_account_facts(conn: sqlite3.Connection, entry: AuditEntry, who: str, at: str) -> None:
    """The facts as they were, stamped ``who`` and now so a merge takes the undo as the latest."""
    key = entry.target_key or ""
    row = conn.execute(
        "SELECT latest_post, latest_post_source, interaction FROM account_facts"
        " WHERE target_key = ?",
        (key,),
    ).fetchone()
    if (None if row is None else dict(row)) != entry.new_value:
        raise _changed_since(entry, f"{key} 的账号信息", f"the account facts of {key}")
    old = entry.old_value
    if old is None:
        conn.execute("DELETE FROM account_facts WHERE target_key = ?", (key,))
        return
    conn.execute(
        "INSERT OR REPLACE INTO account_facts (target_key, latest_post, latest_post_source,"
        " interaction, inspector, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        (key, old["latest_post"], old["latest_post_source"], old["interaction"], who, at),
    )


def _menu_row(conn: sqlite3.Connection, item_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM menu_items WHERE id = ?", (item_id,)
    ).fetchone()
    return row


def _revert_menu_edit(conn: sqlite3.Connection, entry: AuditEntry, who: str, at: str) -> None:
    """The item's name, URL, status, marker and note as they were."""
    old, new = entry.old_value, entry.new_value
    row = _menu_row(conn, new["id"])
    if row is None or row["removed"] or any(row[c] != new[c] for c in _MENU_EDITABLE):
        raise _changed_since(entry, f"菜单项“{new['name']}”", f"menu item {new['name']!r}")
    if (old["name"], old["url"]) != (new["name"], new["url"]):
        _require_free_menu_name(conn, row["target_key"], row["id"], old["name"], old["url"])
    assignments = ", ".join(f"{c} = ?" for c in (*_MENU_EDITABLE, "inspector", "updated_at"))
    conn.execute(
        f"UPDATE menu_items SET {assignments} WHERE id = ?",
        (*(old[c] for c in _MENU_EDITABLE), who, at, row["id"]),
    )


def _revert_menu_removal(conn: sqlite3.Connection, entry: AuditEntry, who: str, at: str) -> None:
    """The removed item back on the account's list, as it was removed."""
    old = entry.old_value
    row = _menu_row(conn, old["id"])
    if row is None or not row["removed"] or any(row[c] != old[c] for c in _MENU_EDITABLE):
        raise _changed_since(entry, f"菜单项“{old['name']}”", f"menu item {old['name']!r}")
    _require_free_menu_name(conn, row["target_key"], row["id"], old["name"], old["url"])
    conn.execute(
        "UPDATE menu_items SET removed = 0, inspector = ?, updated_at = ? WHERE id = ?",
        (who, at, row["id"]),
    )


def _revert_menu_addition(conn: sqlite3.Connection, entry: AuditEntry, who: str, at: str) -> None:
    """The items added taken off the list again (kept, marked removed, like any removal), but
    only while each is as it was added: no status, marker, note or evidence given since."""
    for added in entry.new_value:
        row = _menu_row(conn, added["id"])
        fresh = {**added, "status": "unchecked", "marker": "", "note": ""}
        if (
            row is None
            or row["removed"]
            or any(row[c] != fresh[c] for c in _MENU_EDITABLE)
            or conn.execute("SELECT 1 FROM evidence WHERE menu_item = ?", (added["id"],)).fetchone()
        ):
            raise FindingsError(
                f"无法撤销：添加的菜单项“{added['name']}”之后已被修改或已有证据 / cannot undo: "
                f"menu item {added['name']!r} has been changed or given evidence since it was "
                f"added (audit #{entry.id})"
            )
    conn.executemany(
        "UPDATE menu_items SET removed = 1, inspector = ?, updated_at = ? WHERE id = ?",
        [(who, at, added["id"]) for added in entry.new_value],
    )


_REVERTS: dict[str, _Revert] = {
    "set_result": _revert_result,
    "set_account_facts": _revert_account_facts,
    "set_menu_item": _revert_menu_edit,
    "remove_menu_item": _revert_menu_removal,
    "add_menu_items": _revert_menu_addition,
}
#: The actions ``undo_last`` can take back.
_UNDOABLE: tuple[str, ...] = tuple(_REVERTS)


class FindingsFile:
    """An open findings file; build one with :meth:`create` or :meth:`open`, then ``close()`` it.

    Not thread-safe: use it from the thread that opened it (the app's event-loop thread). Two
    programs may open the same file at once: WAL lets them read concurrently and ``busy_timeout``
    serialises their writes.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock) -> None:
        """Private: use :meth:`create` or :meth:`open`, which check the file first."""
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self._clock = clock

    # --- opening and closing -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        quarter: str,
        inspector: str,
        profile_id: str,
        info: Mapping[str, str] | None = None,
        clock: Clock | None = None,
    ) -> FindingsFile:
        """Create a new, empty findings file; an existing file at ``path`` is never overwritten.

        The schema, header stamps and ``file_info`` are written in one transaction, so a crash
        during creation leaves an empty file, never a half-built one.
        """
        target = Path(path)
        quarter = _text(quarter, "季度 quarter").strip()
        if not _QUARTER.match(quarter):
            raise FindingsError(f"季度格式应如 2025Q2 / quarter must look like 2025Q2: {quarter!r}")
        inspector = _text(inspector, "检查人 inspector").strip()
        profile_id = _text(profile_id, "指标方案 profile_id").strip()
        extra = dict(info or {})
        clash = sorted(set(extra) & {*REQUIRED_INFO, *MANAGED_INFO})
        if clash:
            raise FindingsError(f"保留的文件信息键 / reserved file_info keys: {', '.join(clash)}")
        for key, value in extra.items():
            _text(key, "信息键 info key")
            _text(value, f"信息 {key} / info {key}", allow_empty=True)
        now = clock or _local_now
        try:
            # O_EXCL reserves the name atomically: no race with another program creating it too.
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError as exc:
            raise FindingsError(
                f"文件已存在，不会覆盖 / file already exists, not overwritten: {target}"
            ) from exc
        except OSError as exc:
            raise FindingsError(f"无法创建文件 / cannot create file: {target} ({exc})") from exc
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(target)
            _make_durable(conn)
            at = iso_seconds(now())
            fixed = {
                "quarter": quarter,
                "inspector": inspector,
                "profile_id": profile_id,
                "created_at": at,
                "app_version": __version__,
            }
            conn.execute("BEGIN IMMEDIATE")
            create_schema(conn)
            conn.executemany(
                "INSERT INTO file_info (key, value) VALUES (?, ?)", [*fixed.items(), *extra.items()]
            )
            conn.execute(
                "INSERT INTO audit_log (at, who, action, new_value) VALUES (?, ?, 'create_file', ?)",
                (at, inspector, _json({**fixed, **extra})),
            )
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn is not None:
                conn.close()
            for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                leftover.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error):
                raise FindingsError(f"无法创建文件 / cannot create file: {target} ({exc})") from exc
            raise
        return cls(conn, target, now)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, clock: Clock | None = None) -> FindingsFile:
        """Open an existing findings file for reading and writing.

        Refuses foreign, damaged and newer files with a FindingsError before writing anything
        to them; migrates older schemas (each step audited). Runs SQLite's ``quick_check``, which
        is fast even on large files (it does not re-read evidence blobs; ``verify_file`` does).
        """
        target = Path(path)
        check_header(target)
        now = clock or _local_now
        try:
            conn = _connect(target)
        except sqlite3.Error as exc:
            raise FindingsError(f"无法打开文件 / cannot open file: {target} ({exc})") from exc
        try:
            version = recognise(conn, target)
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise DamagedFileError(damaged_message(target, "; ".join(problems)))
            _make_durable(conn)
            if version < SCHEMA_VERSION:
                try:
                    migrate(conn, at=lambda: iso_seconds(now()), who=f"inspector {__version__}")
                except sqlite3.Error as exc:
                    raise FindingsError(
                        f"无法升级文件结构（版本 {version} → {SCHEMA_VERSION}），失败的步骤已回滚 / "
                        f"could not migrate findings file from schema {version} to "
                        f"{SCHEMA_VERSION}, the failed step was rolled back: {target} ({exc})"
                    ) from exc
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise FindingsError(_access_failed(target, exc)) from exc
            if isinstance(exc, sqlite3.DatabaseError):
                raise DamagedFileError(damaged_message(target, str(exc))) from exc
            if isinstance(exc, sqlite3.Error):
                raise FindingsError(f"无法打开文件 / cannot open file: {target} ({exc})") from exc
            raise
        return cls(conn, target, now)

    def close(self) -> None:
        """Fold the WAL back into the main file and close; safe to call twice.

        After a clean close the ``.sqlite`` file alone is complete, so it can be copied or mailed.
        """
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # another program is reading: its own close will checkpoint
        finally:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"<FindingsFile {str(self.path)!r} {state}>"

    # --- plumbing ------------------------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise FindingsError(f"检查结果文件已关闭 / findings file is closed: {self.path}")
        return self._conn

    def _now(self) -> str:
        return iso_seconds(self._clock())

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One public write = one IMMEDIATE transaction; storage errors become FindingsError."""
        conn = self._live()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise FindingsError(self._write_failed(exc)) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise FindingsError(self._write_failed(exc)) from exc
            raise

    def _write_failed(self, exc: sqlite3.Error) -> str:
        if _is_busy(exc):
            return _access_failed(self.path, exc)
        return f"无法保存到 / could not save to {self.path}: {exc}"

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        conn = self._live()
        try:
            return conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise FindingsError(f"无法读取 / could not read {self.path}: {exc}") from exc

    @staticmethod
    def _audit(
        conn: sqlite3.Connection,
        *,
        at: str,
        who: str,
        action: str,
        target_key: str | None = None,
        indicator_id: str | None = None,
        old: Any = None,
        new: Any = None,
        reason: str = "",
        undoes: int | None = None,
    ) -> int:
        cursor = conn.execute(
            "INSERT INTO audit_log (at, who, action, target_key, indicator_id, old_value,"
            " new_value, reason, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (at, who, action, target_key, indicator_id, _json(old), _json(new), reason, undoes),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _require_target(conn: sqlite3.Connection, target_key: str) -> None:
        if conn.execute("SELECT 1 FROM targets WHERE key = ?", (target_key,)).fetchone() is None:
            raise FindingsError(f"未知检查对象 / unknown target: {target_key}")

    # --- file_info -----------------------------------------------------------------------------

    @property
    def info(self) -> dict[str, str]:
        """All ``file_info`` key/values (quarter, inspector, sample seed, registry sizes, …)."""
        return {row["key"]: row["value"] for row in self._read("SELECT key, value FROM file_info")}

    @property
    def quarter(self) -> str:
        """The quarter this file covers, e.g. ``2025Q2``."""
        return self.info.get("quarter", "")

    @property
    def inspector(self) -> str:
        """The inspector the file belongs to (a merged file names its coordinator)."""
        return self.info.get("inspector", "")

    @property
    def profile_id(self) -> str:
        """The indicator profile the results were judged against."""
        return self.info.get("profile_id", "")

    @property
    def schema_version(self) -> int:
        """The file's schema version (always current once opened: older files are migrated)."""
        return int(self._read("PRAGMA user_version")[0][0])

    def set_info(self, key: str, value: str, *, who: str) -> None:
        """Set one ``file_info`` value, audited; setting the same value again is a no-op."""
        _text(key, "信息键 info key")
        _text(value, f"信息 {key} / info {key}", allow_empty=True)
        who = _text(who, "操作人 who")
        if key in MANAGED_INFO:
            raise FindingsError(
                f"该信息由程序维护 / file_info key is managed by the program: {key}"
            )
        with self._write() as conn:
            row = conn.execute("SELECT value FROM file_info WHERE key = ?", (key,)).fetchone()
            old = None if row is None else row["value"]
            if old == value:
                return
            conn.execute(
                "INSERT OR REPLACE INTO file_info (key, value) VALUES (?, ?)", (key, value)
            )
            self._audit(
                conn,
                at=self._now(),
                who=who,
                action="set_info",
                old=None if old is None else {key: old},
                new={key: value},
            )

    # --- targets -------------------------------------------------------------------------------

    def add_targets(self, targets: Iterable[Target], *, who: str) -> int:
        """Insert or update targets by key, in one transaction; returns how many were added or
        changed. Re-importing the same list changes nothing and writes no audit rows."""
        who = _text(who, "操作人 who")
        wanted = [_target_values(t) for t in targets]
        changed = 0
        with self._write() as conn:
            at = self._now()
            columns = ", ".join(_TARGET_COLUMNS)
            marks = ", ".join("?" for _ in _TARGET_COLUMNS)
            for values in wanted:
                row = conn.execute(
                    f"SELECT {columns} FROM targets WHERE key = ?", (values["key"],)
                ).fetchone()
                if row is None:
                    conn.execute(
                        f"INSERT INTO targets ({columns}) VALUES ({marks})", _target_params(values)
                    )
                    self._audit(
                        conn,
                        at=at,
                        who=who,
                        action="add_target",
                        target_key=values["key"],
                        new=values,
                    )
                    changed += 1
                    continue
                old = _row_target_values(row)
                if old == values:
                    continue
                assignments = ", ".join(f"{c} = ?" for c in _TARGET_COLUMNS[1:])
                conn.execute(
                    f"UPDATE targets SET {assignments} WHERE key = ?",
                    (*_target_params(values)[1:], values["key"]),
                )
                self._audit(
                    conn,
                    at=at,
                    who=who,
                    action="update_target",
                    target_key=values["key"],
                    old=old,
                    new=values,
                )
                changed += 1
        return changed

    def targets(self) -> list[Target]:
        """All targets in the order they were first added (the sample list's order)."""
        return [_row_target(r) for r in self._read("SELECT * FROM targets ORDER BY rowid")]

    def target(self, key: str) -> Target | None:
        """One target by key, or None."""
        rows = self._read("SELECT * FROM targets WHERE key = ?", (key,))
        return _row_target(rows[0]) if rows else None

    # --- results -------------------------------------------------------------------------------

    def set_result(
        self,
        target_key: str,
        indicator_id: str,
        state: State | None,
        *,
        who: str,
        note: str | None = None,
        reason: str = "",
        from_hint: int | None = None,
        deduction: Decimal | None = None,
        count: int | None = None,
    ) -> None:
        """Record (or with ``state=None`` clear) the inspector's judgement of one indicator.

        ``note=None`` keeps the stored note. ``from_hint``, ``deduction`` and ``count`` qualify a
        state: given as None they are kept while the state stays the same and dropped when it
        changes. Nothing is written, and no audit row added, when nothing would change.
        """
        who = _text(who, "操作人 who")
        indicator_id = _text(indicator_id, "指标 indicator_id").strip()
        new_state = None if state is None else _checked_judgement(state, note, count)
        amount = _decimal_text(deduction)
        with self._write() as conn:
            self._require_target(conn, target_key)
            old = _row_result_values(
                conn.execute(
                    "SELECT * FROM results WHERE target_key = ? AND indicator_id = ?",
                    (target_key, indicator_id),
                ).fetchone()
            )
            at = self._now()
            if new_state is None:
                if old is None:
                    return
                conn.execute(
                    "DELETE FROM results WHERE target_key = ? AND indicator_id = ?",
                    (target_key, indicator_id),
                )
                self._audit(
                    conn,
                    at=at,
                    who=who,
                    action="set_result",
                    target_key=target_key,
                    indicator_id=indicator_id,
                    old=old,
                    reason=reason,
                )
                return
            if from_hint is not None:
                hint = conn.execute(
                    "SELECT target_key FROM hints WHERE id = ?", (from_hint,)
                ).fetchone()
                if hint is None or hint["target_key"] != target_key:
                    raise FindingsError(
                        f"提示 #{from_hint} 不属于 {target_key} / hint #{from_hint} "
                        f"is not a hint of {target_key}"
                    )
            # What qualified the old state (hint, points, occurrences) survives only while the
            # state stays the same; the note survives until replaced.
            kept = old if old is not None and old["state"] == new_state.value else {}
            new = {
                "state": new_state.value,
                "note": note if note is not None else (old["note"] if old else ""),
                "from_hint": from_hint if from_hint is not None else kept.get("from_hint"),
                "deduction": amount if amount is not None else kept.get("deduction"),
                "count": count if count is not None else kept.get("count"),
                "inspector": who,
                "updated_at": at,
            }
            if old is not None and all(
                old[c] == new[c] for c in ("state", "note", "from_hint", "deduction", "count")
            ):
                return
            self._put_result(conn, target_key, indicator_id, new)
            self._audit(
                conn,
                at=at,
                who=who,
                action="set_result",
                target_key=target_key,
                indicator_id=indicator_id,
                old=old,
                new=new,
                reason=reason,
            )

    @staticmethod
    def _put_result(
        conn: sqlite3.Connection, target_key: str, indicator_id: str, values: Mapping[str, Any]
    ) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO results (target_key, indicator_id, state, note, from_hint,"
            " deduction, count, inspector, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (target_key, indicator_id, *(values[c] for c in _RESULT_VALUE_COLUMNS)),
        )

    def results(self, target_key: str | None = None) -> list[Result]:
        """Results of one target, or of all, ordered by target and indicator."""
        if target_key is None:
            rows = self._read("SELECT * FROM results ORDER BY target_key, indicator_id")
        else:
            rows = self._read(
                "SELECT * FROM results WHERE target_key = ? ORDER BY indicator_id", (target_key,)
            )
        return [_row_result(r) for r in rows]

    def undo_last(self, who: str) -> AuditEntry | None:
        """Revert ``who``'s most recent undoable change not yet undone, as an audited ``undo``.

        Undoable are the inspector's own edits of results, account facts and menu items
        (``set_result``, ``set_account_facts``, ``set_menu_item``, ``remove_menu_item``,
        ``add_menu_items``); repeated calls walk further back in audit order. Returns the entry
        that was undone, or None when there is nothing left; raises FindingsError when that thing
        has been changed since (by anyone), rather than overwrite the later work.
        """
        who = _text(who, "操作人 who")
        marks = ", ".join("?" for _ in _UNDOABLE)
        with self._write() as conn:
            row = conn.execute(
                f"SELECT * FROM audit_log AS a WHERE a.who = ? AND a.action IN ({marks})"
                " AND NOT EXISTS (SELECT 1 FROM audit_log AS u WHERE u.undoes = a.id)"
                " ORDER BY a.id DESC LIMIT 1",
                (who, *_UNDOABLE),
            ).fetchone()
            if row is None:
                return None
            entry = _row_audit(row)
            at = self._now()
            _REVERTS[entry.action](conn, entry, who, at)
            self._audit(
                conn,
                at=at,
                who=who,
                action="undo",
                target_key=entry.target_key,
                indicator_id=entry.indicator_id,
                old=entry.new_value,
                new=entry.old_value,
                reason=f"undo #{entry.id}",
                undoes=entry.id,
            )
        return entry

    # --- account facts ---------------------------------------------------------------------

    def set_account_facts(
        self,
        target_key: str,
        *,
        latest_post: date | None,
        interaction: bool | None,
        who: str,
        reason: str = "",
        source: str = "manual",
    ) -> None:
        """Record an account's latest post date and whether it offers interaction (audited).

        Both values are written as given (None clears one); nothing is written, and no audit row
        added, when nothing would change.
        """
        who = _text(who, "操作人 who")
        if latest_post is not None and not isinstance(latest_post, date):
            raise FindingsError(
                f"最新发布日期须为日期 / latest_post must be a date: {latest_post!r}"
            )
        if interaction is not None and not isinstance(interaction, bool):
            raise FindingsError(f"互动须为布尔值 / interaction must be a bool: {interaction!r}")
        with self._write() as conn:
            self._require_target(conn, target_key)
            row = conn.execute(
                "SELECT latest_post, latest_post_source, interaction FROM account_facts"
                " WHERE target_key = ?",
                (target_key,),
            ).fetchone()
            old = None if row is None else dict(row)
            new = {
                "latest_post": None if latest_post is None else latest_post.isoformat(),
                "latest_post_source": "" if latest_post is None else source,
                "interaction": None if interaction is None else int(interaction),
            }
            if old == new:
                return
            at = self._now()
            conn.execute(
                "INSERT OR REPLACE INTO account_facts (target_key, latest_post,"
                " latest_post_source, interaction, inspector, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (target_key, *new.values(), who, at),
            )
            self._audit(
                conn,
                at=at,
                who=who,
                action="set_account_facts",
                target_key=target_key,
                old=old,
                new=new,
                reason=reason,
            )

    def account_facts(self, target_key: str) -> AccountFacts | None:
        """The stored facts of an account, or None when none were recorded."""
        rows = self._read("SELECT * FROM account_facts WHERE target_key = ?", (target_key,))
        if not rows:
            return None
        row = rows[0]
        return AccountFacts(
            target_key=row["target_key"],
            latest_post=None
            if row["latest_post"] is None
            else date.fromisoformat(row["latest_post"]),
            latest_post_source=row["latest_post_source"],
            interaction=None if row["interaction"] is None else bool(row["interaction"]),
            inspector=row["inspector"],
            updated_at=row["updated_at"],
        )

    # --- menu items ------------------------------------------------------------------------

    def menu_items(self, target_key: str) -> list[MenuItem]:
        """An account's menu items in menu order; removed ones are left out."""
        columns = ", ".join(_MENU_COLUMNS)
        rows = self._read(
            f"SELECT {columns} FROM menu_items WHERE target_key = ? AND removed = 0"
            " ORDER BY position, rowid",
            (target_key,),
        )
        return [_row_menu_item(r) for r in rows]

    def menu_item(self, item_id: str) -> MenuItem | None:
        """One menu item by id (also a removed one, which evidence may still name), or None."""
        columns = ", ".join(_MENU_COLUMNS)
        rows = self._read(f"SELECT {columns} FROM menu_items WHERE id = ?", (item_id,))
        return _row_menu_item(rows[0]) if rows else None

    def add_menu_items(
        self, target_key: str, entries: Iterable[tuple[str, str]], *, who: str
    ) -> list[MenuItem]:
        """Append ``(name, url)`` items after the account's existing ones; returns those added.

        An entry whose name and URL an item already has (or an earlier entry of the same call)
        is skipped, so pasting a list twice adds nothing. One audit row ``add_menu_items``
        records each call that added items.
        """
        who = _text(who, "操作人 who")
        wanted: list[tuple[str, str]] = []
        for entry in entries:
            name, url = entry
            name = _text(name, "菜单名称 menu item name").strip()
            url = _text(url, "菜单链接 menu item url", allow_empty=True).strip()
            wanted.append((name, url))
        with self._write() as conn:
            self._require_target(conn, target_key)
            rows = conn.execute(
                "SELECT name, url FROM menu_items WHERE target_key = ? AND removed = 0",
                (target_key,),
            ).fetchall()
            seen = {(r["name"], r["url"]) for r in rows}
            last = conn.execute(
                "SELECT max(position) FROM menu_items WHERE target_key = ?", (target_key,)
            ).fetchone()[0]
            position = -1 if last is None else int(last)
            at = self._now()
            added: list[MenuItem] = []
            for name, url in wanted:
                if (name, url) in seen:
                    continue
                seen.add((name, url))
                position += 1
                item = MenuItem(
                    id=uuid.uuid4().hex,
                    target_key=target_key,
                    position=position,
                    name=name,
                    url=url,
                    status="unchecked",
                    marker="",
                    note="",
                    inspector=who,
                    updated_at=at,
                )
                self._insert_menu_item(conn, item)
                added.append(item)
            if added:
                self._audit(
                    conn,
                    at=at,
                    who=who,
                    action="add_menu_items",
                    target_key=target_key,
                    new=[
                        {"id": i.id, "position": i.position, "name": i.name, "url": i.url}
                        for i in added
                    ],
                )
        return added

    def set_menu_item(
        self,
        item_id: str,
        *,
        who: str,
        status: str | None = None,
        marker: str | None = None,
        note: str | None = None,
        name: str | None = None,
        url: str | None = None,
        reason: str = "",
    ) -> MenuItem:
        """Change the given fields of a menu item (None keeps one), audited as ``set_menu_item``
        with the old and new values; returns the item as stored. Nothing is written, and no
        audit row added, when nothing would change."""
        who = _text(who, "操作人 who")
        given = {
            "name": None if name is None else _text(name, "菜单名称 menu item name").strip(),
            "url": None
            if url is None
            else _text(url, "菜单链接 menu item url", allow_empty=True).strip(),
            "status": None if status is None else _menu_status(status),
            "marker": None if marker is None else _text(marker, "标记 marker", allow_empty=True),
            "note": None if note is None else _text(note, "备注 note", allow_empty=True),
        }
        with self._write() as conn:
            current = self._live_menu_item(conn, item_id)
            old = {c: getattr(current, c) for c in _MENU_EDITABLE}
            new: dict[str, Any] = {
                c: old[c] if given[c] is None else given[c] for c in _MENU_EDITABLE
            }
            if new == old:
                return current
            if (new["name"], new["url"]) != (old["name"], old["url"]):
                _require_free_menu_name(conn, current.target_key, item_id, new["name"], new["url"])
            at = self._now()
            assignments = ", ".join(
                f"{c} = ?" for c in (*_MENU_EDITABLE, "inspector", "updated_at")
            )
            conn.execute(
                f"UPDATE menu_items SET {assignments} WHERE id = ?",
                (*new.values(), who, at, item_id),
            )
            item = self._live_menu_item(conn, item_id)
            self._audit(
                conn,
                at=at,
                who=who,
                action="set_menu_item",
                target_key=current.target_key,
                old={"id": item_id, **old},
                new={"id": item_id, **new},
                reason=reason,
            )
        return item

    def remove_menu_item(self, item_id: str, *, who: str, reason: str) -> None:
        """Take an item off the account's menu list (audited); the row stays, marked removed,
        so evidence taken of it still names it and is still listed for the account."""
        who = _text(who, "操作人 who")
        reason = _text(reason, "删除理由 reason")
        with self._write() as conn:
            current = self._live_menu_item(conn, item_id)
            at = self._now()
            conn.execute(
                "UPDATE menu_items SET removed = 1, inspector = ?, updated_at = ? WHERE id = ?",
                (who, at, item_id),
            )
            self._audit(
                conn,
                at=at,
                who=who,
                action="remove_menu_item",
                target_key=current.target_key,
                old={c: getattr(current, c) for c in _MENU_COLUMNS},
                reason=reason,
            )

    @staticmethod
    def _insert_menu_item(conn: sqlite3.Connection, item: MenuItem) -> None:
        columns = ", ".join(_MENU_COLUMNS)
        marks = ", ".join("?" for _ in _MENU_COLUMNS)
        conn.execute(
            f"INSERT INTO menu_items ({columns}) VALUES ({marks})",
            tuple(getattr(item, c) for c in _MENU_COLUMNS),
        )

    @staticmethod
    def _live_menu_item(
        conn: sqlite3.Connection, item_id: str, *, target_key: str | None = None
    ) -> MenuItem:
        """The item, which must exist, not be removed and (if given) belong to ``target_key``."""
        columns = ", ".join(_MENU_COLUMNS)
        row = conn.execute(
            f"SELECT {columns} FROM menu_items WHERE id = ? AND removed = 0", (item_id,)
        ).fetchone()
        if row is None:
            raise FindingsError(f"未知菜单项 / unknown menu item: {item_id}")
        if target_key is not None and row["target_key"] != target_key:
            raise FindingsError(
                f"菜单项 {item_id} 不属于 {target_key} / menu item {item_id} "
                f"is not a menu item of {target_key}"
            )
        return _row_menu_item(row)

    # --- hints ---------------------------------------------------------------------------------

    def add_hints(self, target_key: str, hints: Iterable[Hint], *, source: str) -> list[int]:
        """Store a scan's hints for one target; returns their ids in input order.

        A hint identical to one already stored (same kind, indicator, URLs, detail and date) is
        not stored twice: its existing id is returned, so re-running a scan or merging the same
        file again adds nothing. One audit row records each call that added hints.
        """
        _text(source, "来源 source", allow_empty=True)
        items = list(hints)
        for hint in items:
            if not isinstance(hint, Hint):
                raise FindingsError(f"不是提示 / not a Hint: {hint!r}")
            _text(hint.kind, "提示类型 hint kind")
        ids: list[int] = []
        added: list[int] = []
        with self._write() as conn:
            self._require_target(conn, target_key)
            at = self._now()
            for hint in items:
                row = conn.execute(
                    "SELECT id FROM hints WHERE target_key = ? AND kind = ? AND indicator IS ?"
                    " AND url = ? AND found_on = ? AND detail = ? AND as_of IS ?",
                    (
                        target_key,
                        hint.kind,
                        hint.indicator,
                        hint.url,
                        hint.found_on,
                        hint.detail,
                        hint.as_of,
                    ),
                ).fetchone()
                if row is not None:
                    ids.append(int(row["id"]))
                    continue
                cursor = conn.execute(
                    "INSERT INTO hints (target_key, kind, indicator, url, found_on, detail, as_of,"
                    " found_at, status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                    (
                        target_key,
                        hint.kind,
                        hint.indicator,
                        hint.url,
                        hint.found_on,
                        hint.detail,
                        hint.as_of,
                        at,
                        source,
                    ),
                )
                ids.append(int(cursor.lastrowid or 0))
                added.append(ids[-1])
            if added:
                self._audit(
                    conn,
                    at=at,
                    who=source or "scan",
                    action="add_hints",
                    target_key=target_key,
                    new={"source": source, "ids": added},
                )
        return ids

    def hints(self, target_key: str | None = None) -> list[StoredHint]:
        """Hints of one target, or of all, in the order they were found."""
        if target_key is None:
            rows = self._read("SELECT * FROM hints ORDER BY id")
        else:
            rows = self._read("SELECT * FROM hints WHERE target_key = ? ORDER BY id", (target_key,))
        return [_row_hint(r) for r in rows]

    def set_hint_status(self, hint_id: int, status: str, *, who: str, reason: str = "") -> None:
        """Confirm, dismiss or reopen a hint, audited as ``confirm_hint``/``dismiss_hint``/
        ``reopen_hint``; the same status again is a no-op."""
        who = _text(who, "操作人 who")
        if status not in HINT_STATUSES:
            raise FindingsError(f"未知提示状态 / unknown hint status: {status!r}")
        with self._write() as conn:
            row = conn.execute(
                "SELECT target_key, indicator, status FROM hints WHERE id = ?", (hint_id,)
            ).fetchone()
            if row is None:
                raise FindingsError(f"未知提示 / unknown hint: #{hint_id}")
            if row["status"] == status:
                return
            conn.execute("UPDATE hints SET status = ? WHERE id = ?", (status, hint_id))
            self._audit(
                conn,
                at=self._now(),
                who=who,
                action=_HINT_ACTIONS[status],
                target_key=row["target_key"],
                indicator_id=row["indicator"],
                old={"hint": hint_id, "status": row["status"]},
                new={"hint": hint_id, "status": status},
                reason=reason,
            )

    # --- probes --------------------------------------------------------------------------------

    def add_probe(self, probe: Probe) -> int:
        """Store one reachability visit; the same visit (target, URL, second) again returns the
        stored id instead of a duplicate."""
        if not isinstance(probe, Probe):
            raise FindingsError(f"不是探测记录 / not a Probe: {probe!r}")
        _text(probe.url, "探测网址 probe url")
        _text(probe.probed_at, "探测时间 probed_at")
        _text(probe.outcome, "探测结果 outcome")
        with self._write() as conn:
            self._require_target(conn, probe.target_key)
            row = conn.execute(
                "SELECT id FROM probes WHERE target_key = ? AND url = ? AND probed_at = ?",
                (probe.target_key, probe.url, probe.probed_at),
            ).fetchone()
            if row is not None:
                return int(row["id"])
            cursor = conn.execute(
                "INSERT INTO probes (target_key, url, probed_at, ok, outcome, status_code,"
                " elapsed_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    probe.target_key,
                    probe.url,
                    probe.probed_at,
                    int(bool(probe.ok)),
                    probe.outcome,
                    probe.status_code,
                    probe.elapsed_ms,
                    probe.error,
                ),
            )
            return int(cursor.lastrowid or 0)

    def probes(self, target_key: str | None = None) -> list[Probe]:
        """Probes of one target, or of all, oldest first."""
        columns = ", ".join(_PROBE_COLUMNS)
        if target_key is None:
            rows = self._read(f"SELECT {columns} FROM probes ORDER BY probed_at, id")
        else:
            rows = self._read(
                f"SELECT {columns} FROM probes WHERE target_key = ? ORDER BY probed_at, id",
                (target_key,),
            )
        return [_row_probe(r) for r in rows]

    # --- evidence ------------------------------------------------------------------------------

    def add_evidence(
        self,
        target_key: str,
        data: bytes,
        *,
        kind: str,
        mime: str,
        who: str,
        url: str | None = None,
        captured_at: str | None = None,
        indicator_id: str | None = None,
        filename: str | None = None,
        note: str = "",
        menu_item: str | None = None,
    ) -> int:
        """Store a capture inside the file with its SHA-256; returns its id.

        The same bytes for the same target, indicator, kind and menu item are stored once:
        dropping a phone screenshot twice, or merging a file twice, returns the existing id.
        ``menu_item`` ties the capture to one (not removed) menu item of the same target.
        """
        if kind not in EVIDENCE_KINDS:
            raise FindingsError(f"未知证据类型 / unknown evidence kind: {kind!r}")
        if not isinstance(data, bytes | bytearray | memoryview):
            raise FindingsError(f"证据须为字节 / evidence data must be bytes: {type(data)!r}")
        content = bytes(data)
        mime = _text(mime, "类型 mime")
        who = _text(who, "操作人 who")
        _text(note, "备注 note", allow_empty=True)
        digest = hashlib.sha256(content).hexdigest()
        if filename is None:
            extension = mimetypes.guess_extension(mime.split(";")[0].strip()) or ".bin"
            filename = f"{kind}-{digest[:12]}{extension}"
        with self._write() as conn:
            self._require_target(conn, target_key)
            if menu_item is not None:
                self._live_menu_item(conn, menu_item, target_key=target_key)
            row = conn.execute(
                "SELECT id FROM evidence WHERE target_key = ? AND sha256 = ? AND kind = ?"
                " AND indicator_id IS ? AND menu_item IS ?",
                (target_key, digest, kind, indicator_id, menu_item),
            ).fetchone()
            if row is not None:
                return int(row["id"])
            at = self._now()
            values = {
                "target_key": target_key,
                "indicator_id": indicator_id,
                "kind": kind,
                "mime": mime,
                "filename": filename,
                "url": url,
                "captured_at": captured_at or at,
                "inspector": who,
                "sha256": digest,
                "size": len(content),
                "note": note,
                "menu_item": menu_item,
            }
            cursor = conn.execute(
                f"INSERT INTO evidence ({', '.join(values)}, content)"
                f" VALUES ({', '.join('?' for _ in values)}, ?)",
                (*values.values(), content),
            )
            evidence_id = int(cursor.lastrowid or 0)
            self._audit(
                conn,
                at=at,
                who=who,
                action="add_evidence",
                target_key=target_key,
                indicator_id=indicator_id,
                new={"id": evidence_id, **values},
            )
        return evidence_id

    def evidence(self, target_key: str | None = None) -> list[EvidenceInfo]:
        """Evidence metadata (no bytes) of one target, or of all, in capture order."""
        columns = ", ".join(_EVIDENCE_INFO_COLUMNS)
        if target_key is None:
            rows = self._read(f"SELECT {columns} FROM evidence ORDER BY id")
        else:
            rows = self._read(
                f"SELECT {columns} FROM evidence WHERE target_key = ? ORDER BY id", (target_key,)
            )
        return [_row_evidence(r) for r in rows]

    def evidence_data(self, evidence_id: int) -> bytes:
        """The stored bytes of one piece of evidence."""
        rows = self._read("SELECT content FROM evidence WHERE id = ?", (evidence_id,))
        if not rows:
            raise FindingsError(f"未知证据 / unknown evidence: #{evidence_id}")
        return bytes(rows[0]["content"])

    def remove_evidence(self, evidence_id: int, *, who: str, reason: str) -> None:
        """Delete a capture and its bytes; the audit row keeps its SHA-256, URL and size, so the
        trail still shows what was removed, by whom and why."""
        who = _text(who, "操作人 who")
        reason = _text(reason, "删除理由 reason")
        columns = ", ".join(_EVIDENCE_INFO_COLUMNS)
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {columns} FROM evidence WHERE id = ?", (evidence_id,)
            ).fetchone()
            if row is None:
                raise FindingsError(f"未知证据 / unknown evidence: #{evidence_id}")
            conn.execute("DELETE FROM evidence WHERE id = ?", (evidence_id,))
            self._audit(
                conn,
                at=self._now(),
                who=who,
                action="remove_evidence",
                target_key=row["target_key"],
                indicator_id=row["indicator_id"],
                old={c: row[c] for c in _EVIDENCE_INFO_COLUMNS},
                reason=reason,
            )

    # --- audit ---------------------------------------------------------------------------------

    def audit_log(self, target_key: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first; for one target, only the rows about it."""
        if target_key is None:
            rows = self._read("SELECT * FROM audit_log ORDER BY id")
        else:
            rows = self._read(
                "SELECT * FROM audit_log WHERE target_key = ? ORDER BY id", (target_key,)
            )
        return [_row_audit(r) for r in rows]

    # --- merged quarter files ------------------------------------------------------------------

    def conflicts(self, status: str | None = None) -> list[Conflict]:
        """Disagreements between inspectors (``open``, ``resolved`` or all), by target."""
        if status is None:
            rows = self._read("SELECT * FROM conflicts ORDER BY target_key, indicator_id")
        else:
            rows = self._read(
                "SELECT * FROM conflicts WHERE status = ? ORDER BY target_key, indicator_id",
                (status,),
            )
        return [_row_conflict(r) for r in rows]

    def resolve_conflict(
        self,
        target_key: str,
        indicator_id: str,
        state: State,
        *,
        who: str,
        reason: str,
        note: str | None = None,
        deduction: Decimal | None = None,
        count: int | None = None,
    ) -> None:
        """Settle a conflict: the result becomes ``state`` (with note, points, occurrences),
        recorded as ``who``'s decision with a ``reason`` the audit log keeps.

        ``note``, ``deduction`` and ``count`` left as None are taken from the latest candidate
        that has the chosen state, so "A was right" needs only the state. A later merge that
        brings a new judgement for the same indicator reopens the conflict; one that does not
        keeps this decision.
        """
        who = _text(who, "操作人 who")
        reason = _text(reason, "理由 reason")
        chosen = _checked_judgement(state, note, count)
        amount = _decimal_text(deduction)
        with self._write() as conn:
            row = conn.execute(
                "SELECT * FROM conflicts WHERE target_key = ? AND indicator_id = ?",
                (target_key, indicator_id),
            ).fetchone()
            if row is None:
                raise FindingsError(f"没有此项冲突 / no conflict for {target_key} {indicator_id}")
            conflict = _row_conflict(row)
            same = [c for c in conflict.candidates if c.get("state") == chosen.value]
            model = max(same, key=lambda c: str(c.get("updated_at", ""))) if same else {}
            at = self._now()
            new = {
                "state": chosen.value,
                "note": note if note is not None else str(model.get("note", "")),
                "from_hint": None,
                "deduction": amount if amount is not None else model.get("deduction"),
                "count": count if count is not None else model.get("count"),
                "inspector": who,
                "updated_at": at,
            }
            old = _row_result_values(
                conn.execute(
                    "SELECT * FROM results WHERE target_key = ? AND indicator_id = ?",
                    (target_key, indicator_id),
                ).fetchone()
            )
            self._put_result(conn, target_key, indicator_id, new)
            conn.execute(
                "UPDATE conflicts SET status = 'resolved', resolved_at = ?, resolved_by = ?,"
                " resolution = ?, reason = ? WHERE id = ?",
                (at, who, _json(new), reason, conflict.id),
            )
            self._audit(
                conn,
                at=at,
                who=who,
                action="resolve_conflict",
                target_key=target_key,
                indicator_id=indicator_id,
                old=old,
                new=new,
                reason=reason,
            )

    def sources(self) -> list[SourceFile]:
        """The inspectors' files merged into this one, in the order first merged."""
        return [
            SourceFile(**{k: r[k] for k in r.keys()})  # noqa: SIM118 - sqlite3.Row
            for r in self._read("SELECT * FROM sources ORDER BY id")
        ]

    def result_sources(self, target_key: str | None = None) -> list[SourcedResult]:
        """Every judgement merged into this file, with the file it came from."""
        sql = "SELECT * FROM result_sources"
        params: tuple[str, ...] = ()
        if target_key is not None:
            sql += " WHERE target_key = ?"
            params = (target_key,)
        rows = self._read(sql + " ORDER BY target_key, indicator_id, inspector, updated_at", params)
        return [
            SourcedResult(
                target_key=r["target_key"],
                indicator_id=r["indicator_id"],
                state=State(r["state"]),
                note=r["note"],
                inspector=r["inspector"],
                updated_at=r["updated_at"],
                deduction=None if r["deduction"] is None else Decimal(r["deduction"]),
                count=r["count"],
                source_id=r["source_id"],
                merged_at=r["merged_at"],
            )
            for r in rows
        ]
