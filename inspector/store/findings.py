"""The findings file: one inspector's quarter of targets, results, hints, probes and evidence.

Everything an inspector does is saved the moment it happens, because laptops run out of battery
and the app may be killed: each public write method is exactly one SQLite transaction
(``BEGIN IMMEDIATE`` … ``COMMIT``) in WAL mode with ``synchronous=FULL``, so a crash loses at most
the edit in flight. Every change to results, targets, evidence or hint status writes its audit row
(who, when, old value, new value, reason) inside the same transaction, so the trail can never
disagree with the data it explains.

Hints and probes are machine output kept as they arrive; they are deduplicated rather than audited
one by one (a week of probes would otherwise double the log).

This module is the core: opening and closing, the transaction and audit plumbing, file_info,
targets, results, undo and merged quarter files. The records are in ``records``; account facts
and menu items, hints and probes, and evidence are mixins in ``accounts``, ``hints`` and
``evidence``, built on the typed base in ``base``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from inspector import __version__
from inspector.store.accounts import (
    _AccountsMixin,
    _revert_account_facts,
    _revert_menu_addition,
    _revert_menu_edit,
    _revert_menu_removal,
)
from inspector.store.base import _changed_since, _Revert
from inspector.store.evidence import EVIDENCE_KINDS, _EvidenceMixin
from inspector.store.hints import HINT_STATUSES, _HintsMixin
from inspector.store.records import (
    _RESULT_VALUE_COLUMNS,
    _TARGET_COLUMNS,
    AccountFacts,
    AuditEntry,
    Conflict,
    EvidenceInfo,
    Hint,
    MenuItem,
    Probe,
    Result,
    SourcedResult,
    SourceFile,
    StoredHint,
    _checked_judgement,
    _decimal_text,
    _json,
    _row_audit,
    _row_conflict,
    _row_result,
    _row_result_values,
    _row_target,
    _row_target_values,
    _target_params,
    _target_values,
    _text,
)
from inspector.store.schema import (
    MANAGED_INFO,
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
from inspector.targets import State, Target

__all__ = [
    "BUSY_TIMEOUT_MS",
    "EVIDENCE_KINDS",
    "HINT_STATUSES",
    "AccountFacts",
    "AuditEntry",
    "Clock",
    "Conflict",
    "EvidenceInfo",
    "FindingsFile",
    "Hint",
    "MenuItem",
    "Probe",
    "Result",
    "SourceFile",
    "SourcedResult",
    "StoredHint",
    "iso_seconds",
]

#: How long a write waits for another program (a second window, the CLI) to finish its own.
BUSY_TIMEOUT_MS = 5000

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
# refused), then writes back the row's ``old_value``. ``undo_last`` picks one by the row's action;
# the reverts of account and menu edits live with those edits, in ``accounts``.


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


_REVERTS: dict[str, _Revert] = {
    "set_result": _revert_result,
    "set_account_facts": _revert_account_facts,
    "set_menu_item": _revert_menu_edit,
    "remove_menu_item": _revert_menu_removal,
    "add_menu_items": _revert_menu_addition,
}
#: The actions ``undo_last`` can take back.
_UNDOABLE: tuple[str, ...] = tuple(_REVERTS)


class FindingsFile(_AccountsMixin, _HintsMixin, _EvidenceMixin):
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
