"""Schema versions: old files migrate and keep their data, newer files are refused untouched.

The version-1 file is built here from a frozen copy of the schema-1 SQL, not from the code's idea
of it, so a change to the migration that breaks real old files breaks this test.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from inspector.store import SCHEMA_VERSION, FindingsError, FindingsFile, verify_file
from inspector.store import findings as findings_module
from inspector.store.schema import APPLICATION_ID, MIGRATIONS, Migration, migrate
from inspector.targets import State

#: The schema as version 1 of the program wrote it (results without deduction and count).
V1_SCHEMA = [
    "CREATE TABLE file_info (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
    """CREATE TABLE targets (
        key TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('website', 'new_media')),
        name TEXT NOT NULL, url TEXT, site_code TEXT,
        owner TEXT NOT NULL DEFAULT '', region TEXT NOT NULL DEFAULT '',
        level TEXT NOT NULL DEFAULT '', category TEXT NOT NULL DEFAULT '',
        is_portal INTEGER NOT NULL DEFAULT 0 CHECK (is_portal IN (0, 1)),
        no_public_services INTEGER NOT NULL DEFAULT 0 CHECK (no_public_services IN (0, 1)),
        platform TEXT, account_id TEXT, extra TEXT NOT NULL DEFAULT '{}')""",
    "CREATE INDEX targets_by_kind ON targets (kind, region)",
    """CREATE TABLE hints (
        id INTEGER PRIMARY KEY, target_key TEXT NOT NULL REFERENCES targets (key),
        kind TEXT NOT NULL, indicator TEXT, url TEXT NOT NULL, found_on TEXT NOT NULL,
        detail TEXT NOT NULL, as_of TEXT, found_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
        source TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX hints_by_target ON hints (target_key, indicator)",
    """CREATE TABLE results (
        target_key TEXT NOT NULL REFERENCES targets (key), indicator_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('problem', 'ok', 'na')),
        note TEXT NOT NULL DEFAULT '', inspector TEXT NOT NULL, updated_at TEXT NOT NULL,
        from_hint INTEGER REFERENCES hints (id),
        PRIMARY KEY (target_key, indicator_id))""",
    "CREATE INDEX results_by_indicator ON results (indicator_id, state)",
    """CREATE TABLE probes (
        id INTEGER PRIMARY KEY, target_key TEXT NOT NULL REFERENCES targets (key),
        url TEXT NOT NULL, probed_at TEXT NOT NULL, ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        outcome TEXT NOT NULL, status_code INTEGER, elapsed_ms INTEGER, error TEXT)""",
    "CREATE UNIQUE INDEX probes_once ON probes (target_key, url, probed_at)",
    """CREATE TABLE evidence (
        id INTEGER PRIMARY KEY AUTOINCREMENT, target_key TEXT NOT NULL REFERENCES targets (key),
        indicator_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('screenshot', 'fullpage', 'mhtml', 'phone', 'file')),
        mime TEXT NOT NULL, filename TEXT NOT NULL, url TEXT, captured_at TEXT NOT NULL,
        inspector TEXT NOT NULL, sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0), note TEXT NOT NULL DEFAULT '',
        content BLOB NOT NULL)""",
    "CREATE INDEX evidence_by_target ON evidence (target_key, indicator_id)",
    "CREATE INDEX evidence_by_sha256 ON evidence (sha256)",
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL,
        action TEXT NOT NULL, target_key TEXT, indicator_id TEXT, old_value TEXT,
        new_value TEXT, reason TEXT NOT NULL DEFAULT '', undoes INTEGER REFERENCES audit_log (id))""",
    "CREATE INDEX audit_log_by_target ON audit_log (target_key, indicator_id)",
    "CREATE INDEX audit_log_by_who ON audit_log (who, action)",
    "CREATE INDEX audit_log_undone ON audit_log (undoes) WHERE undoes IS NOT NULL",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only'); END""",
    """CREATE VIEW results_readable AS
       SELECT t.name AS target_name, t.kind AS target_kind, coalesce(t.url, '') AS target_url,
              t.platform AS platform, t.owner AS owner, t.region AS region,
              r.indicator_id AS indicator_id, r.state AS state,
              CASE r.state WHEN 'problem' THEN '有问题' WHEN 'ok' THEN '正常'
                           WHEN 'na' THEN '不适用' END AS state_zh,
              r.note AS note, r.inspector AS inspector, r.updated_at AS updated_at,
              r.from_hint AS from_hint, r.target_key AS target_key
       FROM results AS r JOIN targets AS t ON t.key = r.target_key""",
]

SITE = "site:4600000001"
PHOTO = b"\xff\xd8\xff\xe0 phone screenshot " + bytes(range(256)) * 100


def build_v1(path: Path) -> None:
    """A version-1 file as an inspector would have left it: targets, results, evidence, log."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    for statement in V1_SCHEMA:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    info = {
        "quarter": "2025Q1",
        "inspector": "王五",
        "profile_id": "national-2019",
        "created_at": "2025-03-02T09:00:00+08:00",
        "app_version": "0.0.9",
        "schema_version": "1",
        "sample_seed": "7",
    }
    conn.executemany("INSERT INTO file_info VALUES (?, ?)", info.items())
    conn.execute(
        "INSERT INTO targets (key, kind, name, url, site_code, is_portal, extra)"
        " VALUES (?, 'website', '海南省人民政府', 'http://www.hainan.gov.cn/', '4600000001', 1,"
        ' \'{"备注": "门户"}\')',
        (SITE,),
    )
    conn.execute(
        "INSERT INTO targets (key, kind, name, platform, account_id)"
        " VALUES ('account:wechat:gh_1', 'new_media', '海南发布', '微信', 'gh_1')"
    )
    conn.execute(
        "INSERT INTO hints (id, target_key, kind, indicator, url, found_on, detail, as_of, found_at)"
        " VALUES (1, ?, 'homepage_stale', 'W-V3', 'http://www.hainan.gov.cn/',"
        " 'http://www.hainan.gov.cn/', '最新 2025-02-01', '2025-03-02', '2025-03-02T09:10:00+08:00')",
        (SITE,),
    )
    results = [
        (SITE, "W-V3", "problem", "首页一个月未更新", "王五", "2025-03-02T09:20:00+08:00", 1),
        ("account:wechat:gh_1", "M-V2", "ok", "", "王五", "2025-03-02T09:30:00+08:00", None),
    ]
    for row in results:
        conn.execute("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        value = dict(
            zip(("state", "note", "inspector", "updated_at", "from_hint"), row[2:], strict=True)
        )
        conn.execute(
            "INSERT INTO audit_log (at, who, action, target_key, indicator_id, new_value)"
            " VALUES (?, '王五', 'set_result', ?, ?, ?)",
            (row[5], row[0], row[1], json.dumps(value, ensure_ascii=False)),
        )
    conn.execute(
        "INSERT INTO probes (target_key, url, probed_at, ok, outcome, status_code, elapsed_ms)"
        " VALUES (?, 'http://www.hainan.gov.cn/', '2025-03-02T09:00:00+08:00', 1, 'ok', 200, 300)",
        (SITE,),
    )
    conn.execute(
        "INSERT INTO evidence (target_key, kind, mime, filename, captured_at, inspector,"
        " sha256, size, content) VALUES ('account:wechat:gh_1', 'phone', 'image/jpeg',"
        " 'phone.jpg', '2025-03-02T09:29:00+08:00', '王五', ?, ?, ?)",
        (hashlib.sha256(PHOTO).hexdigest(), len(PHOTO), PHOTO),
    )
    conn.execute("COMMIT")
    conn.close()


def build_at(path: Path, version: int) -> None:
    """A file as the program of schema ``version`` left it: version 1 walked up by the real
    migrations, so each later step is tested on what its predecessors really wrote."""
    build_v1(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        migrate(conn, at=lambda: "2025-04-01T09:00:00+08:00", who="旧版", target_version=version)
    finally:
        conn.close()
    assert user_version(path) == version


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def shape(path: Path) -> dict[str, Any]:
    """Everything a tool sees of the schema: columns, keys, indexes, triggers, view columns."""
    conn = sqlite3.connect(path)
    objects = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    out: dict[str, Any] = {"objects": sorted(objects)}
    for kind, name, _ in objects:
        if kind in ("table", "view"):
            out[f"{name}.columns"] = conn.execute(f"PRAGMA table_xinfo({name})").fetchall()
            out[f"{name}.fks"] = conn.execute(f"PRAGMA foreign_key_list({name})").fetchall()
        if kind == "index":
            out[f"{name}.index"] = conn.execute(f"PRAGMA index_xinfo({name})").fetchall()
    conn.close()
    return out


def test_migrations_are_an_unbroken_chain_to_the_current_version() -> None:
    assert [m.from_version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION))
    assert MIGRATIONS[-1].to_version == SCHEMA_VERSION


def test_a_version_1_file_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "2025Q1-王五.sqlite"
    build_v1(path)
    with FindingsFile.open(path) as f:
        assert f.schema_version == SCHEMA_VERSION
        assert f.info["schema_version"] == str(SCHEMA_VERSION)
        assert (f.quarter, f.inspector, f.info["sample_seed"]) == ("2025Q1", "王五", "7")
        site = f.target(SITE)
        assert site is not None and site.is_portal and site.extra == {"备注": "门户"}
        results = f.results()
        assert [(r.target_key, r.indicator_id, r.state, r.note) for r in results] == [
            ("account:wechat:gh_1", "M-V2", State.OK, ""),
            (SITE, "W-V3", State.PROBLEM, "首页一个月未更新"),
        ]
        assert results[1].from_hint == 1
        assert all(r.deduction is None and r.count is None for r in results)
        assert f.evidence_data(f.evidence()[0].id) == PHOTO
        assert len(f.probes()) == 1 and f.hints()[0].indicator == "W-V3"
        steps = [a for a in f.audit_log() if a.action == "migrate"]
        assert [(a.old_value, a.new_value) for a in steps] == [
            ({"schema_version": v}, {"schema_version": v + 1}) for v in range(1, SCHEMA_VERSION)
        ]
        assert [a.reason for a in steps] == [m.description for m in MIGRATIONS]
        # schema 3: the merge tables are there and empty in an inspector's file
        assert f.conflicts() == [] and f.sources() == [] and f.result_sources() == []
        # what schema 2 is for: the verdict engine's numbers
        f.set_result(SITE, "W-V3", State.PROBLEM, who="王五", count=30)
        assert f.results(SITE)[0].count == 30
        assert f.results(SITE)[0].note == "首页一个月未更新"
        f.undo_last("王五")
        assert f.results(SITE)[0].count is None
    assert user_version(path) == SCHEMA_VERSION
    report = verify_file(path)
    assert report.ok, report.problems
    assert report.checked_evidence == 1


def test_a_migrated_file_has_exactly_the_shape_of_a_new_one(tmp_path: Path) -> None:
    old, new = tmp_path / "old.sqlite", tmp_path / "new.sqlite"
    build_v1(old)
    FindingsFile.open(old).close()
    FindingsFile.create(new, quarter="2025Q2", inspector="张三", profile_id="p").close()
    assert shape(old) == shape(new)


def test_a_file_is_migrated_once(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    build_v1(path)
    FindingsFile.open(path).close()
    with FindingsFile.open(path) as f:
        assert [a.action for a in f.audit_log()].count("migrate") == len(MIGRATIONS)


def test_a_failing_step_leaves_the_file_at_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    build_v1(path)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE results ADD COLUMN deduction TEXT")
        conn.execute("SELECT no_such_column FROM results")

    broken = (Migration(1, "broken", half_done),)
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, at=lambda: "2025-06-14T10:00:00+08:00", who="t", migrations=broken)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = [row[1] for row in conn.execute("PRAGMA table_info(results)")]
    assert "deduction" not in columns
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'migrate'").fetchone() == (
        0,
    )
    conn.close()


def test_open_reports_a_failed_migration_clearly_and_a_later_open_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v1.sqlite"
    build_v1(path)

    def fails(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE results ADD COLUMN deduction TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(
        findings_module,
        "migrate",
        functools.partial(migrate, migrations=(Migration(1, "x", fails),)),
    )
    with pytest.raises(FindingsError, match="could not migrate") as info:
        FindingsFile.open(path)
    assert "rolled back" in str(info.value)
    assert user_version(path) == 1
    monkeypatch.undo()
    with FindingsFile.open(path) as f:
        assert f.schema_version == SCHEMA_VERSION
        assert len(f.results()) == 2


def test_a_newer_file_is_refused_and_never_downgraded(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    FindingsFile.create(path, quarter="2025Q2", inspector="张三", profile_id="p").close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(FindingsError) as info:
        FindingsFile.open(path)
    message = str(info.value)
    assert "较新版本" in message and "newer version" in message
    assert f"schema {SCHEMA_VERSION + 1}" in message and str(path) in message
    assert path.read_bytes() == before
    assert user_version(path) == SCHEMA_VERSION + 1
    report = verify_file(path)
    assert not report.ok and "newer version" in report.problems[0]


def test_a_file_of_ours_without_a_version_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "zero.sqlite"
    FindingsFile.create(path, quarter="2025Q2", inspector="张三", profile_id="p").close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    with pytest.raises(FindingsError, match="damaged"):
        FindingsFile.open(path)


def test_a_version_3_file_gains_account_facts_and_keeps_its_data(tmp_path: Path) -> None:
    """Issue 6: schema 4 adds ``account_facts``; a schema 3 file migrates to it in one step."""
    path = tmp_path / "v3.sqlite"
    build_at(path, 3)
    with FindingsFile.open(path) as f:
        assert f.schema_version == SCHEMA_VERSION
        steps = [a for a in f.audit_log() if a.action == "migrate"]
        assert steps[-2].new_value == {"schema_version": 4}
        assert "account facts" in steps[-2].reason
        assert len(f.results()) == 2
        account = "account:wechat:gh_1"
        assert f.account_facts(account) is None
        f.set_account_facts(
            account, latest_post=date(2025, 6, 1), interaction=False, who="王五", source="json"
        )
        facts = f.account_facts(account)
        assert facts is not None
        assert (facts.latest_post, facts.latest_post_source, facts.interaction) == (
            date(2025, 6, 1),
            "json",
            False,
        )
        audit = [a for a in f.audit_log(account) if a.action == "set_account_facts"]
        assert audit[-1].old_value is None and audit[-1].new_value["latest_post"] == "2025-06-01"
    assert verify_file(path).ok
    fresh = tmp_path / "fresh.sqlite"
    FindingsFile.create(fresh, quarter="2025Q2", inspector="张三", profile_id="p").close()
    assert shape(path) == shape(fresh)


def test_account_facts_are_audited_and_unchanged_facts_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    build_v1(path)
    account = "account:wechat:gh_1"
    with FindingsFile.open(path) as f:
        f.set_account_facts(account, latest_post=None, interaction=True, who="王五")
        f.set_account_facts(account, latest_post=None, interaction=True, who="王五")
        f.set_account_facts(
            account, latest_post=date(2025, 6, 3), interaction=True, who="王五", reason="截图"
        )
        rows = [a for a in f.audit_log(account) if a.action == "set_account_facts"]
        assert len(rows) == 2 and rows[-1].reason == "截图"
        assert rows[-1].old_value["interaction"] == 1
        with pytest.raises(FindingsError):
            f.set_account_facts("nope", latest_post=None, interaction=None, who="王五")
    with FindingsFile.open(path) as f:
        facts = f.account_facts(account)
        assert facts is not None and facts.latest_post == date(2025, 6, 3)
        assert facts.latest_post_source == "manual" and facts.inspector == "王五"


def test_a_version_4_file_gains_menu_items_and_keeps_its_evidence(tmp_path: Path) -> None:
    """Issue 6 item 4: schema 5 adds ``menu_items`` and ``evidence.menu_item``."""
    path = tmp_path / "v4.sqlite"
    build_at(path, 4)
    account = "account:wechat:gh_1"
    with FindingsFile.open(path) as f:
        assert f.schema_version == SCHEMA_VERSION == 5
        steps = [a for a in f.audit_log() if a.action == "migrate"]
        assert [s.new_value for s in steps] == [{"schema_version": v} for v in (2, 3, 4, 5)]
        assert "menu items" in steps[-1].reason
        old_photo = f.evidence(account)[0]
        assert old_photo.menu_item is None and f.evidence_data(old_photo.id) == PHOTO
        assert f.menu_items(account) == []
        (item,) = f.add_menu_items(
            account, [("办事服务 > 社保查询", "https://x.cn/sb")], who="王五"
        )
        shot = f.add_evidence(
            account, b"menu shot", kind="phone", mime="image/png", who="王五", menu_item=item.id
        )
        assert [e.menu_item for e in f.evidence(account) if e.id == shot] == [item.id]
    assert verify_file(path).ok
    fresh = tmp_path / "fresh.sqlite"
    FindingsFile.create(fresh, quarter="2025Q2", inspector="张三", profile_id="p").close()
    assert shape(path) == shape(fresh)
