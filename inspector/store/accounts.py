"""New-media accounts: the facts an inspector establishes (M-V2, M-V3) and the menu items.

The ``_revert_*`` functions take back ``set_account_facts`` and the menu edits for
``FindingsFile.undo_last``.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from inspector.store.base import _changed_since, _StoreBase
from inspector.store.records import (
    _MENU_COLUMNS,
    _MENU_EDITABLE,
    AccountFacts,
    AuditEntry,
    MenuItem,
    _row_menu_item,
    _text,
)
from inspector.store.schema import MENU_STATUSES, FindingsError


def _menu_status(status: str) -> str:
    if status not in MENU_STATUSES:
        raise FindingsError(
            f"未知菜单状态 / unknown menu item status: {status!r}"
            f"（可选 / one of: {', '.join(MENU_STATUSES)}）"
        )
    return status


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


class _AccountsMixin(_StoreBase):
    """An account's facts and its menu items, every edit audited and undoable."""

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
            current = _live_menu_item(conn, item_id)
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
            item = _live_menu_item(conn, item_id)
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
            current = _live_menu_item(conn, item_id)
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
