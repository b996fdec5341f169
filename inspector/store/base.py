"""What the parts of a findings file share: the typed base its mixins build on.

``FindingsFile`` (in ``findings``) is composed of mixins, one per kind of record (``accounts``,
``hints``, ``evidence``); each is a ``_StoreBase`` so that it can use the file's transactions
and audit trail, which the core in ``findings`` implements.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from inspector.store.records import AuditEntry, _json
from inspector.store.schema import FindingsError

#: Takes back one audited change (``undo_last``): connection, audit row, who undoes it, when.
_Revert = Callable[[sqlite3.Connection, AuditEntry, str, str], None]


def _changed_since(entry: AuditEntry, zh: str, en: str) -> FindingsError:
    return FindingsError(
        f"无法撤销：{zh}之后已被修改 / cannot undo: {en} has been changed since (audit #{entry.id})"
    )


class _StoreBase(ABC):
    """The file's plumbing as its mixins see it: one write transaction per public write, reads
    that report storage errors as FindingsError, and audit rows written inside the write."""

    path: Path

    @abstractmethod
    def _now(self) -> str:
        """The time to stamp on what is written now (ISO 8601, to the second)."""

    @abstractmethod
    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection inside one IMMEDIATE transaction, committed when the block ends."""

    @abstractmethod
    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """The rows of one query."""

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
