"""Evidence: captures (screenshots, saved pages, files) stored inside the findings file."""

from __future__ import annotations

import hashlib
import mimetypes

from inspector.store.accounts import _live_menu_item
from inspector.store.base import _StoreBase
from inspector.store.records import _EVIDENCE_INFO_COLUMNS, EvidenceInfo, _row_evidence, _text
from inspector.store.schema import FindingsError

EVIDENCE_KINDS = ("screenshot", "fullpage", "mhtml", "phone", "file")


class _EvidenceMixin(_StoreBase):
    """Captures with their SHA-256, deduplicated; removal keeps the trail of what was removed."""

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
                _live_menu_item(conn, menu_item, target_key=target_key)
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
