"""``inspector verify``: can this findings file still be trusted?

When a department disputes a finding, the office must show that the file is intact and that every
screenshot is the one captured. This module checks a file without changing it: SQLite's own
integrity and foreign-key checks, the schema version, the file's identity, the agreement of each
result with its audit trail, and every evidence blob re-hashed against its stored SHA-256 and
size. It opens the file read-only (``mode=ro``), which still reads changes that are only in the
WAL, e.g. after the app was killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector.store.schema import (
    REQUIRED_INFO,
    DamagedFileError,
    FindingsError,
    NewerSchemaError,
    NotFindingsFileError,
    check_header,
    recognise,
)

_CHUNK = 1 << 20
_MAX_LISTED = 20


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of :func:`verify_file`: ``ok`` exactly when ``problems`` is empty.

    Each problem is one bilingual line naming what fails (evidence id, target, URL, kind).
    ``schema_version`` is 0 when the file could not be recognised at all.
    """

    path: Path
    ok: bool
    schema_version: int
    checked_evidence: int
    problems: tuple[str, ...]


def _short(digest: str) -> str:
    return f"{digest[:16]}…"


def _read_only_uri(path: Path, *, immutable: bool = False) -> str:
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # Read-only media with no -wal/-shm beside the file: SQLite cannot create them. With no
        # WAL present nobody is writing, so reading the main file as immutable is exact.
        conn.close()
        if Path(f"{path}-wal").exists():
            raise
        return sqlite3.connect(_read_only_uri(path, immutable=True), uri=True, isolation_level=None)
    except sqlite3.DatabaseError:
        pass  # damage: recognise() reports it in the usual words
    return conn


def verify_file(path: str | os.PathLike[str]) -> VerifyReport:
    """Check a findings file and report every problem found; never modifies the file.

    Does not raise for a bad file: a missing, foreign, damaged or newer file gives a report with
    ``ok=False`` whose problem lines say so, so the CLI has one path to print. Each check runs on
    its own, so damage found by one does not hide what the others can still tell.
    """
    target = Path(path)
    try:
        check_header(target)
        conn = _connect_read_only(target)
    except FindingsError as exc:
        return VerifyReport(target, False, 0, 0, (str(exc),))
    except sqlite3.Error as exc:
        return VerifyReport(
            target, False, 0, 0, (f"无法打开文件 / cannot open file: {target} ({exc})",)
        )
    problems: list[str] = []
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA trusted_schema = OFF")
        try:
            version = recognise(conn, target, suggest_verify=False)
        except (NotFindingsFileError, DamagedFileError) as exc:
            return VerifyReport(target, False, 0, 0, (str(exc),))
        except sqlite3.Error as exc:
            message = f"无法读取文件 / cannot read file: {target} ({exc})"
            return VerifyReport(target, False, 0, 0, (message,))
        except NewerSchemaError as exc:
            # SQLite's own checks still apply to a newer file; our table checks may not.
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            problems.append(str(exc))
            problems += _guarded("完整性检查 / integrity check", _integrity, conn)
            return VerifyReport(target, False, version, 0, tuple(problems))
        problems += _guarded("完整性检查 / integrity check", _integrity, conn)
        problems += _guarded(
            "文件信息检查 / file_info check", lambda c: _file_info(c, version), conn
        )
        problems += _guarded("结果与审计核对 / results-vs-audit check", _results_vs_audit, conn)
        hashed: list[int] = []
        problems += _guarded("证据核对 / evidence check", lambda c: _evidence(c, hashed), conn)
    finally:
        conn.close()
    return VerifyReport(target, not problems, version, len(hashed), tuple(problems))


def _guarded(
    what: str, check: Callable[[sqlite3.Connection], list[str]], conn: sqlite3.Connection
) -> list[str]:
    """Run one check; a file too damaged for it becomes a problem line, not an exception."""
    try:
        return check(conn)
    except sqlite3.Error as exc:
        chinese, english = what.split(" / ")
        return [f"{chinese}无法完成，文件已损坏 / {english} could not finish, file damaged: {exc}"]


def _integrity(conn: sqlite3.Connection) -> list[str]:
    problems: list[str] = []
    lines = [row[0] for row in conn.execute(f"PRAGMA integrity_check({_MAX_LISTED})")]
    if lines != ["ok"]:
        problems += [f"完整性检查失败 / integrity check: {line}" for line in lines]
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall()[
        :_MAX_LISTED
    ]:
        problems.append(
            f"引用断裂 / broken reference: {table} row {rowid} points to a missing {parent} row"
        )
    return problems


def _file_info(conn: sqlite3.Connection, version: int) -> list[str]:
    info = dict(conn.execute("SELECT key, value FROM file_info").fetchall())
    problems = [
        f"文件信息缺少 {key} / file_info lacks {key}" for key in REQUIRED_INFO if key not in info
    ]
    if info.get("schema_version") != str(version):
        problems.append(
            f"文件信息中的结构版本不符 / file_info schema_version {info.get('schema_version')!r} "
            f"differs from the header's {version}"
        )
    return problems


def _results_vs_audit(conn: sqlite3.Connection) -> list[str]:
    """Each result must equal the new value of the last audit row about it.

    A result changed with another tool (DB Browser, a script) has no audit row, and in a dispute
    an unexplained change is as bad as a lost one. In a merged quarter file a result is also
    explained by the merge that brought it (``merge_result``) or a coordinator's decision on a
    conflict (``resolve_conflict``).
    """
    problems: list[str] = []
    rows = conn.execute(
        "SELECT r.target_key, r.indicator_id, r.state, r.note,"
        " (SELECT a.new_value FROM audit_log AS a WHERE a.target_key = r.target_key"
        "  AND a.indicator_id = r.indicator_id AND a.action IN ('set_result', 'undo', 'merge_result', 'resolve_conflict')"
        "  ORDER BY a.id DESC LIMIT 1) AS logged"
        " FROM results AS r ORDER BY r.target_key, r.indicator_id"
    ).fetchall()
    for key, indicator, state, note, logged in rows:
        try:
            value: Any = json.loads(logged) if logged else None
        except ValueError:
            value = None
        if not isinstance(value, dict) or (value.get("state"), value.get("note")) != (state, note):
            problems.append(
                f"结果与审计日志不符 / result {key} {indicator} ({state}) does not match its "
                "audit trail (changed outside the app?)"
            )
        if len(problems) >= _MAX_LISTED:
            break
    return problems


def _evidence(conn: sqlite3.Connection, hashed: list[int]) -> list[str]:
    """Re-hash every blob in 1 MiB chunks (captures can be large); ``hashed`` collects the ids
    checked, so a check cut short by damage still says how far it got."""
    problems: list[str] = []
    rows = conn.execute(
        "SELECT id, target_key, url, filename, kind, sha256, size, length(content) AS actual"
        " FROM evidence ORDER BY id"
    ).fetchall()
    for evidence_id, key, url, filename, kind, stored_hash, size, actual_size in rows:
        label = f"evidence #{evidence_id} (target {key}, {url or filename}, {kind})"
        try:
            digest = hashlib.sha256()
            with conn.blobopen("evidence", "content", evidence_id, readonly=True) as blob:
                while chunk := blob.read(_CHUNK):
                    digest.update(chunk)
        except sqlite3.Error as exc:
            problems.append(f"证据 #{evidence_id} 无法读取 / {label} unreadable: {exc}")
            continue
        hashed.append(evidence_id)
        actual_hash = digest.hexdigest()
        if actual_size != size:
            problems.append(
                f"证据 #{evidence_id} 大小不符 / {label} size mismatch: "
                f"stored {size} bytes, actual {actual_size}"
            )
        if actual_hash != stored_hash:
            problems.append(
                f"证据 #{evidence_id} 哈希不符 / {label} SHA-256 mismatch: "
                f"stored {_short(str(stored_hash))}, actual {_short(actual_hash)}"
            )
    return problems
