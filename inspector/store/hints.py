"""Hints and probes: machine output of scans, kept as it arrives and deduplicated.

Probes are not audited one by one (a week of them would double the log); a call that adds hints
writes one audit row, and the inspector's decision on a hint is audited like any edit.
"""

from __future__ import annotations

from collections.abc import Iterable

from inspector.store.base import _StoreBase
from inspector.store.records import (
    _PROBE_COLUMNS,
    Hint,
    Probe,
    StoredHint,
    _row_hint,
    _row_probe,
    _text,
)
from inspector.store.schema import FindingsError

HINT_STATUSES = ("open", "confirmed", "dismissed")
_HINT_ACTIONS = {"confirmed": "confirm_hint", "dismissed": "dismiss_hint", "open": "reopen_hint"}


class _HintsMixin(_StoreBase):
    """Scan hints and the inspector's decisions on them; reachability probes."""

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
