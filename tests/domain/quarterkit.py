"""Builders shared by the quarter-workflow tests (sampling, assign, merge, report, end to end).

Targets, inspector files on a ticking Beijing-time clock, and ``dump``: the logical content of a
quarter file with everything that legitimately depends on when or in which order files were
merged (row ids, merge times, the coordinator's own audit trail) left out, so two merges can be
compared for equality.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from inspector.store import FindingsFile
from inspector.targets import Kind, Target, account_key, website_key

CST = timezone(timedelta(hours=8))
QUARTER = "2025Q2"
PROFILE = "national-2019"


class Clock:
    """Beijing time, one second further at every reading; start it apart per inspector."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 6, 14, 9, 0, 0, tzinfo=CST)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def site(
    n: int,
    *,
    region: str = "海口市",
    owner: str | None = None,
    portal: bool = False,
    level: str = "市级",
    category: str = "部门",
    name: str | None = None,
) -> Target:
    code = f"46{n:08d}"
    return Target(
        key=website_key(code, None),
        kind=Kind.WEBSITE,
        name=name or f"测试网站{n}",
        url=f"http://www{n}.example.gov.cn/",
        site_code=code,
        owner=owner if owner is not None else f"单位{n}",
        region=region,
        level=level,
        category="门户" if portal else category,
        is_portal=portal,
    )


def account(
    n: int,
    *,
    region: str = "海口市",
    owner: str | None = None,
    platform: str = "wechat",
    level: str = "市级",
    name: str | None = None,
) -> Target:
    return Target(
        key=account_key(platform, f"gh_{n:05d}", None),
        kind=Kind.NEW_MEDIA,
        name=name or f"测试发布{n}",
        owner=owner if owner is not None else f"单位{n}",
        region=region,
        level=level,
        category="政务新媒体",
        platform=platform,
        account_id=f"gh_{n:05d}",
    )


def inspector_file(
    path: Path,
    inspector: str,
    targets: Iterable[Target],
    *,
    quarter: str = QUARTER,
    profile: str = PROFILE,
    info: dict[str, str] | None = None,
    clock: Clock | None = None,
) -> FindingsFile:
    f = FindingsFile.create(
        path,
        quarter=quarter,
        inspector=inspector,
        profile_id=profile,
        info=info,
        clock=clock or Clock(),
    )
    f.add_targets(list(targets), who=inspector)
    return f


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    # by repr: rows alike up to a NULL column would not compare
    return sorted((tuple(r) for r in conn.execute(sql).fetchall()), key=repr)


def dump(path: Path) -> dict[str, Any]:
    """The logical content of a (quarter) findings file, independent of merge order and time."""
    conn = sqlite3.connect(path)
    try:
        hint = (
            "(SELECT json_array(h.target_key, h.kind, h.indicator, h.url, h.found_on, h.detail,"
            " h.as_of) FROM hints AS h WHERE h.id = {0})"
        )
        source = "(SELECT s.inspector || '@' || s.created_at FROM sources AS s WHERE s.id = {0})"
        out: dict[str, Any] = {
            "targets": _rows(conn, "SELECT * FROM targets"),
            "results": _rows(
                conn,
                "SELECT target_key, indicator_id, state, note, inspector, updated_at,"
                f" deduction, count, {hint.format('from_hint')} FROM results",
            ),
            "result_sources": _rows(
                conn,
                "SELECT target_key, indicator_id, state, note, inspector, updated_at, deduction,"
                f" count, {hint.format('from_hint')}, {source.format('source_id')}"
                " FROM result_sources",
            ),
            "conflicts": _rows(
                conn, "SELECT target_key, indicator_id, status, candidates FROM conflicts"
            ),
            "hints": _rows(
                conn,
                "SELECT target_key, kind, indicator, url, found_on, detail, as_of, status"
                " FROM hints",
            ),
            "probes": _rows(
                conn,
                "SELECT target_key, url, probed_at, ok, outcome, status_code, elapsed_ms, error"
                " FROM probes",
            ),
            "evidence": _rows(
                conn,
                "SELECT target_key, indicator_id, kind, mime, filename, url, captured_at,"
                " inspector, sha256, size, note, content, menu_item FROM evidence",
            ),
            "menu_items": _rows(conn, "SELECT * FROM menu_items"),
            "account_facts": _rows(conn, "SELECT * FROM account_facts"),
            "sources": _rows(
                conn, "SELECT inspector, created_at, quarter, profile_id FROM sources"
            ),
            "provenance": _rows(
                conn,
                "SELECT p.table_name, CASE p.table_name"
                " WHEN 'evidence' THEN (SELECT e.target_key || ':' || e.sha256 || ':' || e.kind"
                "  FROM evidence AS e WHERE e.id = CAST(p.row_key AS INTEGER))"
                f" WHEN 'hints' THEN {hint.format('CAST(p.row_key AS INTEGER)')}"
                " WHEN 'probes' THEN (SELECT q.target_key || q.url || q.probed_at FROM probes AS q"
                "  WHERE q.id = CAST(p.row_key AS INTEGER))"
                f" ELSE p.row_key END, {source.format('p.source_id')}, p.source_row"
                " FROM provenance AS p",
            ),
            "source_audit": _rows(
                conn,
                f"SELECT {source.format('source_id')}, source_row, at, who, action, target_key,"
                " indicator_id, old_value, new_value, reason, undoes FROM source_audit",
            ),
            "file_info": _rows(
                conn,
                "SELECT key, value FROM file_info WHERE key NOT IN ('created_at', 'app_version')",
            ),
        }
    finally:
        conn.close()
    return out


def candidates(path: Path) -> list[tuple[str, str, list[dict[str, Any]]]]:
    conn = sqlite3.connect(path)
    try:
        return [
            (k, i, json.loads(c))
            for k, i, c in conn.execute(
                "SELECT target_key, indicator_id, candidates FROM conflicts ORDER BY 1, 2"
            )
        ]
    finally:
        conn.close()
