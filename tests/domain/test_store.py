"""Findings files as an inspector and a coordinator meet them: real SQLite files in tmp_path."""

from __future__ import annotations

import re
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    DamagedFileError,
    FindingsError,
    FindingsFile,
    Hint,
    NewerSchemaError,
    NotFindingsFileError,
    Probe,
    iso_seconds,
    verify_file,
)
from inspector.store import findings as findings_module
from inspector.targets import Kind, State, Target, account_key, website_key

CST = timezone(timedelta(hours=8))
ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
NOT_FINDINGS = "不是检查结果文件 / not a findings file"
DAMAGED = "检查结果文件已损坏 / findings file is damaged"


class Clock:
    """A clock at Beijing time that ticks one second per reading, so every write is ordered."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 6, 14, 10, 3, 12, tzinfo=CST)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def website(n: int, **changes: Any) -> Target:
    code = f"46000000{n:02d}"
    values: dict[str, Any] = {
        "key": website_key(code, None),
        "kind": Kind.WEBSITE,
        "name": f"测试市人民政府网站{n}",
        "url": f"http://www{n}.example.gov.cn/",
        "site_code": code,
        "owner": "测试市人民政府办公室",
        "region": "测试市",
        "level": "市级",
        "category": "门户",
        "is_portal": n == 1,
        "extra": {"备注": "第一批", "联系人": "李四"},
    }
    values.update(changes)
    return Target(**values)


def account(n: int) -> Target:
    return Target(
        key=account_key("WeChat", f"gh_{n:04d}", None),
        kind=Kind.NEW_MEDIA,
        name=f"测试发布{n}",
        owner="测试市委宣传部",
        region="测试市",
        platform="微信",
        account_id=f"gh_{n:04d}",
        no_public_services=True,
    )


def new_file(path: Path, clock: Clock | None = None, *, targets: int = 3) -> FindingsFile:
    f = FindingsFile.create(
        path,
        quarter="2025Q2",
        inspector="张三",
        profile_id="national-2019",
        info={"sample_seed": "20250601", "registry_websites": "122"},
        clock=clock or Clock(),
    )
    f.add_targets([website(i) for i in range(1, targets + 1)] + [account(1)], who="协调员")
    return f


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "2025Q2-张三.sqlite"


@pytest.fixture
def ff(path: Path) -> Iterator[FindingsFile]:
    f = new_file(path)
    yield f
    f.close()


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def actions(f: FindingsFile) -> list[str]:
    return [a.action for a in f.audit_log()]


# --- creating and the header -------------------------------------------------------------------


def test_create_records_file_info_and_marks_the_header(path: Path) -> None:
    with FindingsFile.create(
        path, quarter="2025Q2", inspector="张三", profile_id="national-2019", clock=Clock()
    ) as f:
        f.set_info("sample_seed", "42", who="协调员")
        assert (f.quarter, f.inspector, f.profile_id) == ("2025Q2", "张三", "national-2019")
        info = f.info
        assert info["created_at"] == "2025-06-14T10:03:13+08:00"
        assert info["app_version"]
        assert info["schema_version"] == str(SCHEMA_VERSION)
        assert info["sample_seed"] == "42"
    conn = raw(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_create_takes_extra_info(ff: FindingsFile) -> None:
    assert ff.info["sample_seed"] == "20250601"
    assert ff.info["registry_websites"] == "122"


def test_create_never_overwrites(path: Path) -> None:
    path.write_bytes(b"someone else's work")
    with pytest.raises(FindingsError, match="file already exists"):
        FindingsFile.create(path, quarter="2025Q2", inspector="张三", profile_id="p")
    assert path.read_bytes() == b"someone else's work"


@pytest.mark.parametrize("quarter", ["2025Q5", "2025-Q2", "25Q2", ""])
def test_create_rejects_a_bad_quarter_and_leaves_no_file(path: Path, quarter: str) -> None:
    with pytest.raises(FindingsError, match="quarter"):
        FindingsFile.create(path, quarter=quarter, inspector="张三", profile_id="p")
    assert not path.exists()


def test_create_rejects_reserved_info_keys(path: Path) -> None:
    with pytest.raises(FindingsError, match="reserved"):
        FindingsFile.create(
            path, quarter="2025Q2", inspector="张三", profile_id="p", info={"quarter": "2024Q1"}
        )
    assert not path.exists()


def test_connection_is_durable(ff: FindingsFile) -> None:
    conn = ff._conn  # the pragmas are per connection: look at the one the file uses
    assert conn is not None
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_timestamps_are_iso_seconds_with_offset(path: Path) -> None:
    with FindingsFile.create(path, quarter="2025Q2", inspector="张三", profile_id="p") as f:
        f.add_targets([website(1)], who="张三")
        f.set_result(website(1).key, "W-V3", State.OK, who="张三")
        stamps = [f.info["created_at"], f.results()[0].updated_at, *(a.at for a in f.audit_log())]
    assert all(ISO_SECONDS.match(s) for s in stamps), stamps
    assert iso_seconds(datetime(2025, 6, 14, 10, 3, 12, 999, tzinfo=CST)) == (
        "2025-06-14T10:03:12+08:00"
    )


# --- round trips -------------------------------------------------------------------------------


def test_every_table_round_trips_through_a_reopen(path: Path) -> None:
    clock = Clock()
    f = new_file(path, clock)
    site, acct = website(1), account(1)
    [hint_id, _] = f.add_hints(
        site.key,
        [
            Hint(
                "homepage_stale",
                "W-V3",
                site.url or "",
                site.url or "",
                "最新 2025-05-01",
                "2025-06-14",
            ),
            Hint("broken_link", None, "http://www1.example.gov.cn/x", site.url or "", "404"),
        ],
        source="scan 2025-06-14",
    )
    f.set_hint_status(hint_id, "confirmed", who="张三", reason="看过首页")
    f.set_result(
        site.key,
        "W-V3",
        State.PROBLEM,
        who="张三",
        note="首页 2025-05-01 后未更新",
        from_hint=hint_id,
        deduction=Decimal("2.50"),
        count=1,
    )
    f.set_result(acct.key, "M-V2", State.OK, who="张三", note="最近发文 2025-06-10")
    probe = Probe(
        site.key,
        site.url or "",
        "2025-06-14T10:00:00+08:00",
        False,
        "timeout",
        None,
        15000,
        "timed out",
    )
    probe_id = f.add_probe(probe)
    png = bytes(range(256)) * 40
    ev = f.add_evidence(
        site.key,
        png,
        kind="screenshot",
        mime="image/png",
        who="张三",
        url=site.url,
        indicator_id="W-V3",
        note="首页截图",
    )
    phone = f.add_evidence(acct.key, b"\xff\xd8jpeg", kind="phone", mime="image/jpeg", who="张三")
    f.set_info("registry_accounts", "969", who="协调员")
    before = (f.targets(), f.results(), f.hints(), f.probes(), f.evidence(), f.info, f.audit_log())
    f.close()

    with FindingsFile.open(path) as g:
        after = (
            g.targets(),
            g.results(),
            g.hints(),
            g.probes(),
            g.evidence(),
            g.info,
            g.audit_log(),
        )
        assert after == before
        assert g.target(site.key) == site
        assert g.target(acct.key) == acct
        assert g.target("site:nope") is None
        assert [t.key for t in g.targets()] == [website(i).key for i in (1, 2, 3)] + [acct.key]
        [result] = g.results(site.key)
        assert (result.state, result.from_hint, result.deduction, result.count) == (
            State.PROBLEM,
            hint_id,
            Decimal("2.5"),
            1,
        )
        assert g.hints(site.key)[0].status == "confirmed"
        assert g.hints(site.key)[0].source == "scan 2025-06-14"
        assert g.probes(site.key) == [Probe(**{**probe.__dict__, "id": probe_id})]
        assert g.evidence_data(ev) == png
        assert g.evidence_data(phone) == b"\xff\xd8jpeg"
        info = g.evidence(site.key)[0]
        assert (info.size, info.url, info.indicator_id, info.inspector) == (
            len(png),
            site.url,
            "W-V3",
            "张三",
        )
        assert info.filename.endswith(".png")
        assert g.info["registry_accounts"] == "969"


def test_results_readable_view_joins_target_names(ff: FindingsFile, path: Path) -> None:
    ff.set_result(website(2).key, "W-V4", State.PROBLEM, who="张三", note="通知公告栏目半年未更新")
    conn = raw(path)
    conn.row_factory = sqlite3.Row
    [row] = conn.execute("SELECT * FROM results_readable").fetchall()
    conn.close()
    assert row["target_name"] == "测试市人民政府网站2"
    assert row["state_zh"] == "有问题"
    assert row["target_url"] == "http://www2.example.gov.cn/"


def test_tables_and_columns_have_readable_names(ff: FindingsFile, path: Path) -> None:
    """What Datasette and DB Browser show: names a person can read, references declared."""
    db = sqlite_utils.Database(path)
    assert {
        "file_info",
        "targets",
        "results",
        "hints",
        "probes",
        "evidence",
        "audit_log",
    } <= set(db.table_names())
    assert "results_readable" in db.view_names()
    columns = {name: list(db.table(name).columns_dict) for name in db.table_names()}
    assert columns["targets"] == [
        "key",
        "kind",
        "name",
        "url",
        "site_code",
        "owner",
        "region",
        "level",
        "category",
        "is_portal",
        "no_public_services",
        "platform",
        "account_id",
        "extra",
    ]
    assert columns["results"] == [
        "target_key",
        "indicator_id",
        "state",
        "note",
        "inspector",
        "updated_at",
        "from_hint",
        "deduction",
        "count",
    ]
    assert columns["hints"][:2] == ["id", "target_key"]
    assert {
        "kind",
        "indicator",
        "url",
        "found_on",
        "detail",
        "as_of",
        "found_at",
        "status",
        "source",
    } <= set(columns["hints"])
    assert {"probed_at", "ok", "outcome", "status_code", "elapsed_ms", "error"} <= set(
        columns["probes"]
    )
    assert {"sha256", "size", "content", "captured_at", "url", "mime", "filename"} <= set(
        columns["evidence"]
    )
    assert {"at", "who", "action", "old_value", "new_value", "reason"} <= set(columns["audit_log"])
    references = {
        (fk.table, fk.column, fk.other_table, fk.other_column)
        for name in ("results", "hints", "probes", "evidence", "menu_items")
        for fk in db.table(name).foreign_keys
    }
    assert references == {
        ("results", "target_key", "targets", "key"),
        ("results", "from_hint", "hints", "id"),
        ("hints", "target_key", "targets", "key"),
        ("probes", "target_key", "targets", "key"),
        ("evidence", "target_key", "targets", "key"),
        ("evidence", "menu_item", "menu_items", "id"),
        ("menu_items", "target_key", "targets", "key"),
    }
    assert columns["menu_items"] == [
        "id",
        "target_key",
        "position",
        "name",
        "url",
        "status",
        "marker",
        "note",
        "removed",
        "inspector",
        "updated_at",
    ]
    assert columns["evidence"][-1] == "menu_item"  # added last: old and new files alike
    assert db.table("results").pks == ["target_key", "indicator_id"]
    indexed = {tuple(i.columns) for name in db.table_names() for i in db.table(name).indexes}
    assert ("target_key", "indicator_id") in indexed  # evidence per target and indicator
    assert ("target_key", "url", "probed_at") in indexed
    assert ("target_key", "position") in indexed  # an account's menu in order
    db.close()


# --- the audit trail ---------------------------------------------------------------------------


def test_set_result_is_audited_with_old_new_who_and_reason(ff: FindingsFile) -> None:
    key = website(1).key
    ff.set_result(key, "W-V3", State.PROBLEM, who="张三", note="两周未更新")
    ff.set_result(key, "W-V3", State.OK, who="李四", note="复核：5 月 30 日有更新", reason="复核")
    ff.set_result(key, "W-V3", None, who="李四", reason="误录")
    entries = [a for a in ff.audit_log(key) if a.action == "set_result"]
    assert [(a.who, a.reason) for a in entries] == [
        ("张三", ""),
        ("李四", "复核"),
        ("李四", "误录"),
    ]
    assert entries[0].old_value is None
    assert entries[0].new_value["state"] == "problem"
    assert entries[1].old_value == entries[0].new_value
    assert entries[1].new_value["note"] == "复核：5 月 30 日有更新"
    assert entries[2].old_value == entries[1].new_value
    assert entries[2].new_value is None
    assert all(a.indicator_id == "W-V3" and a.target_key == key for a in entries)
    assert ff.results(key) == []


def test_target_changes_are_audited_and_upserts_are_idempotent(ff: FindingsFile) -> None:
    baseline = len(ff.audit_log())
    assert ff.add_targets([website(1), website(2), account(1)], who="协调员") == 0
    assert len(ff.audit_log()) == baseline
    renamed = website(2, name="测试市政府门户（新）", extra={"备注": "改版"})
    assert ff.add_targets([renamed, website(7)], who="协调员") == 2
    assert ff.add_targets([renamed, website(7)], who="协调员") == 0
    update, add = ff.audit_log()[-2:]
    assert (update.action, update.target_key) == ("update_target", renamed.key)
    assert update.old_value["name"] == "测试市人民政府网站2"
    assert update.new_value["name"] == "测试市政府门户（新）"
    assert update.new_value["extra"] == {"备注": "改版"}
    assert (add.action, add.old_value, add.new_value["key"]) == ("add_target", None, website(7).key)
    assert ff.target(renamed.key) == renamed
    assert len(ff.targets()) == 5


def test_evidence_add_and_remove_are_audited_and_the_trail_keeps_the_hash(ff: FindingsFile) -> None:
    key = website(1).key
    data = b"\x89PNG" + bytes(5000)
    ev = ff.add_evidence(
        key,
        data,
        kind="fullpage",
        mime="image/png",
        who="张三",
        url="http://www1.example.gov.cn/tzgg/",
    )
    info = ff.evidence()[0]
    ff.remove_evidence(ev, who="张三", reason="截错页面")
    assert ff.evidence() == []
    with pytest.raises(FindingsError, match="unknown evidence"):
        ff.evidence_data(ev)
    add, remove = ff.audit_log(key)[-2:]
    assert add.action == "add_evidence" and add.new_value["sha256"] == info.sha256
    assert remove.action == "remove_evidence" and remove.reason == "截错页面"
    assert remove.old_value["sha256"] == info.sha256
    assert remove.old_value["url"] == "http://www1.example.gov.cn/tzgg/"
    assert remove.old_value["size"] == len(data)
    assert remove.new_value is None
    # a new capture never reuses the removed one's number
    assert ff.add_evidence(key, b"other", kind="file", mime="application/pdf", who="张三") > ev


def test_removing_evidence_needs_a_reason(ff: FindingsFile) -> None:
    ev = ff.add_evidence(website(1).key, b"x", kind="file", mime="text/plain", who="张三")
    with pytest.raises(FindingsError, match="reason"):
        ff.remove_evidence(ev, who="张三", reason=" ")
    assert len(ff.evidence()) == 1


def test_hint_status_changes_are_audited(ff: FindingsFile) -> None:
    key = website(1).key
    [h] = ff.add_hints(
        key, [Hint("column_stale", "W-V4", "http://a/tzgg/", "http://a/", "163 天")], source="scan"
    )
    ff.set_hint_status(h, "dismissed", who="张三", reason="栏目已撤销")
    ff.set_hint_status(h, "open", who="张三")
    ff.set_hint_status(h, "confirmed", who="张三")
    trail = [a for a in ff.audit_log(key) if a.action.endswith("_hint")]
    assert [a.action for a in trail] == ["dismiss_hint", "reopen_hint", "confirm_hint"]
    assert trail[0].old_value == {"hint": h, "status": "open"}
    assert trail[0].new_value == {"hint": h, "status": "dismissed"}
    assert trail[0].reason == "栏目已撤销" and trail[0].indicator_id == "W-V4"
    with pytest.raises(FindingsError, match="unknown hint status"):
        ff.set_hint_status(h, "maybe", who="张三")
    with pytest.raises(FindingsError, match="unknown hint"):
        ff.set_hint_status(999, "open", who="张三")


def test_set_info_is_audited(ff: FindingsFile) -> None:
    ff.set_info("registry_accounts", "969", who="协调员")
    ff.set_info("registry_accounts", "970", who="协调员")
    first, second = ff.audit_log()[-2:]
    assert (first.action, first.old_value, first.new_value) == (
        "set_info",
        None,
        {"registry_accounts": "969"},
    )
    assert (second.old_value, second.new_value) == (
        {"registry_accounts": "969"},
        {"registry_accounts": "970"},
    )
    with pytest.raises(FindingsError, match="managed"):
        ff.set_info("schema_version", "9", who="协调员")


def test_no_op_writes_add_no_audit_rows(ff: FindingsFile) -> None:
    key = website(1).key
    ff.set_result(key, "W-V3", State.PROBLEM, who="张三", note="n", count=2)
    [h] = ff.add_hints(
        key, [Hint("soft_404", None, "http://a/x", "http://a/", "页面不存在")], source="scan"
    )
    ff.add_evidence(key, b"same bytes", kind="phone", mime="image/jpeg", who="张三")
    ff.set_info("k", "v", who="张三")
    baseline = ff.audit_log()
    ff.set_result(key, "W-V3", State.PROBLEM, who="张三", note="n", count=2)
    ff.set_result(key, "W-V3", State.PROBLEM, who="李四")  # same value by someone else
    ff.set_result(key, "W-V4", None, who="张三")  # clearing what is not there
    ff.add_targets([website(1)], who="张三")
    assert ff.add_hints(
        key, [Hint("soft_404", None, "http://a/x", "http://a/", "页面不存在")], source="scan again"
    ) == [h]
    ff.set_hint_status(h, "open", who="张三")
    assert ff.add_evidence(key, b"same bytes", kind="phone", mime="image/jpeg", who="李四") == 1
    ff.set_info("k", "v", who="张三")
    assert ff.audit_log() == baseline
    assert ff.results(key)[0].inspector == "张三"
    assert len(ff.hints()) == 1 and len(ff.evidence()) == 1


def test_note_and_qualifiers_follow_the_state(ff: FindingsFile) -> None:
    key = website(1).key
    [h] = ff.add_hints(
        key, [Hint("broken_link", None, "http://a/x", "http://a/", "404")], source="scan"
    )
    ff.set_result(
        key,
        "W-F1",
        State.PROBLEM,
        who="张三",
        note="3 个断链",
        from_hint=h,
        count=3,
        deduction=Decimal("0.3"),
    )
    ff.set_result(key, "W-F1", State.PROBLEM, who="张三", count=4)  # note and hint kept
    [r] = ff.results(key)
    assert (r.note, r.from_hint, r.count, r.deduction) == ("3 个断链", h, 4, Decimal("0.3"))
    ff.set_result(key, "W-F1", State.OK, who="张三")  # a new state drops what qualified the old
    [r] = ff.results(key)
    assert (r.state, r.note, r.from_hint, r.count, r.deduction) == (
        State.OK,
        "3 个断链",
        None,
        None,
        None,
    )


def test_bad_result_writes_are_refused_and_leave_nothing(ff: FindingsFile) -> None:
    baseline = ff.audit_log()
    with pytest.raises(FindingsError, match="unknown target: site:nope"):
        ff.set_result("site:nope", "W-V3", State.OK, who="张三")
    with pytest.raises(FindingsError, match="unknown result state"):
        ff.set_result(website(1).key, "W-V3", "bad", who="张三")  # type: ignore[arg-type]
    [h] = ff.add_hints(account(1).key, [Hint("account_stale", "M-V2", "u", "u", "d")], source="s")
    with pytest.raises(FindingsError, match=f"hint #{h}"):
        ff.set_result(website(1).key, "W-V3", State.OK, who="张三", from_hint=h)
    with pytest.raises(FindingsError, match="count"):
        ff.set_result(website(1).key, "W-V3", State.OK, who="张三", count=-1)
    with pytest.raises(FindingsError, match="deduction"):
        ff.set_result(website(1).key, "W-V3", State.OK, who="张三", deduction=Decimal("NaN"))
    with pytest.raises(FindingsError, match="unknown target"):
        ff.add_evidence("site:nope", b"x", kind="file", mime="text/plain", who="张三")
    with pytest.raises(FindingsError, match="unknown evidence kind"):
        ff.add_evidence(website(1).key, b"x", kind="video", mime="video/mp4", who="张三")
    with pytest.raises(FindingsError, match="unknown target"):
        ff.add_probe(
            Probe("site:nope", "http://x/", "2025-06-14T10:00:00+08:00", True, "ok", 200, 5, None)
        )
    assert ff.results() == []
    assert [a.action for a in ff.audit_log()] == [a.action for a in baseline] + ["add_hints"]


def test_audit_log_is_append_only_even_for_other_tools(ff: FindingsFile, path: Path) -> None:
    ff.set_result(website(1).key, "W-V3", State.OK, who="张三")
    conn = raw(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET who = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
    conn.close()


# --- undo --------------------------------------------------------------------------------------


def test_undo_walks_back_one_inspectors_changes(ff: FindingsFile) -> None:
    key = website(1).key
    ff.set_result(key, "W-V3", State.PROBLEM, who="张三", note="a")
    ff.set_result(key, "W-V3", State.OK, who="张三", note="b")
    ff.set_result(key, "W-V4", State.NA, who="张三")
    ff.set_result(website(2).key, "W-V3", State.PROBLEM, who="李四", note="李四的")

    undone = ff.undo_last("张三")
    assert undone is not None and undone.indicator_id == "W-V4" and undone.action == "set_result"
    assert [r.indicator_id for r in ff.results(key)] == ["W-V3"]
    undone = ff.undo_last("张三")
    assert undone is not None and undone.new_value["note"] == "b"
    [r] = ff.results(key)
    assert (r.state, r.note) == (State.PROBLEM, "a")
    assert ff.undo_last("张三") is not None
    assert ff.results(key) == []
    assert ff.undo_last("张三") is None
    assert [r.note for r in ff.results()] == ["李四的"]  # another inspector's work is untouched

    undos = [a for a in ff.audit_log() if a.action == "undo"]
    assert len(undos) == 3 and all(a.who == "张三" for a in undos)
    assert undos[1].old_value["note"] == "b" and undos[1].new_value["note"] == "a"
    assert undos[1].undoes is not None and undos[1].reason == f"undo #{undos[1].undoes}"


def test_undo_restores_a_cleared_result_exactly(ff: FindingsFile) -> None:
    key = website(1).key
    ff.set_result(
        key, "W-V3", State.PROBLEM, who="张三", note="原备注", count=3, deduction=Decimal("1.5")
    )
    before = ff.results()
    ff.set_result(key, "W-V3", None, who="张三")
    ff.undo_last("张三")
    assert ff.results() == before


def test_undo_refuses_to_overwrite_someone_elses_later_change(ff: FindingsFile) -> None:
    key = website(1).key
    ff.set_result(key, "W-V3", State.PROBLEM, who="张三")
    ff.set_result(key, "W-V3", State.OK, who="李四", reason="复核")
    with pytest.raises(FindingsError, match="changed since"):
        ff.undo_last("张三")
    assert ff.results()[0].state == State.OK
    assert ff.undo_last("李四") is not None
    assert ff.undo_last("张三") is not None
    assert ff.results() == []


def test_undo_walks_back_account_facts_and_menu_items_in_audit_order(path: Path) -> None:
    key = account(1).key
    with new_file(path) as f:
        (consult,) = f.add_menu_items(key, [("在线咨询", "https://mp.example.cn/zx")], who="张三")
        (contact,) = f.add_menu_items(key, [("联系我们", "")], who="张三")
        f.set_account_facts(key, latest_post=date(2025, 6, 1), interaction=None, who="张三")
        f.set_result(key, "M-V2", State.OK, who="张三")
        f.set_menu_item(consult.id, who="张三", status="expired", marker="小程序已过期")
        f.set_account_facts(key, latest_post=date(2025, 5, 1), interaction=True, who="张三")
        f.remove_menu_item(contact.id, who="张三", reason="删错了")
    # each undo is saved on its own: reopen the file between them
    steps: list[tuple[str, Any]] = []
    for _ in range(7):
        with FindingsFile.open(path) as f:
            entry = f.undo_last("张三")
            assert entry is not None
            items = [(i.name, i.status) for i in f.menu_items(key)]
            facts = f.account_facts(key)
            steps.append(
                (
                    entry.action,
                    items,
                    None if facts is None else (facts.latest_post, facts.interaction),
                    [r.indicator_id for r in f.results(key)],
                )
            )
    may, june = date(2025, 5, 1), date(2025, 6, 1)
    assert steps == [
        (
            "remove_menu_item",
            [("在线咨询", "expired"), ("联系我们", "unchecked")],
            (may, True),
            ["M-V2"],
        ),
        (
            "set_account_facts",
            [("在线咨询", "expired"), ("联系我们", "unchecked")],
            (june, None),
            ["M-V2"],
        ),
        (
            "set_menu_item",
            [("在线咨询", "unchecked"), ("联系我们", "unchecked")],
            (june, None),
            ["M-V2"],
        ),
        ("set_result", [("在线咨询", "unchecked"), ("联系我们", "unchecked")], (june, None), []),
        ("set_account_facts", [("在线咨询", "unchecked"), ("联系我们", "unchecked")], None, []),
        ("add_menu_items", [("在线咨询", "unchecked")], None, []),
        ("add_menu_items", [], None, []),
    ]
    with FindingsFile.open(path) as f:
        assert f.undo_last("张三") is None
        # an undone addition is kept, marked removed like any removal, as its undone edit left it
        kept = f.menu_item(consult.id)
        assert kept is not None and kept.marker == "" and kept.inspector == "张三"
        undos = [a for a in f.audit_log(key) if a.action == "undo"]
        undone = {a.id: a for a in f.audit_log(key) if a.id in {u.undoes for u in undos}}
        for undo in undos:
            # the undo row says what it reverted: the undone row's new value back to its old one
            assert undo.undoes is not None and undo.reason == f"undo #{undo.undoes}"
            assert (undo.old_value, undo.new_value) == (
                undone[undo.undoes].new_value,
                undone[undo.undoes].old_value,
            )
        assert undos[0].new_value["name"] == "联系我们"  # the removed item, restored
        assert undos[1].old_value == {
            "latest_post": "2025-05-01",
            "latest_post_source": "manual",
            "interaction": 1,
        }
        assert (undos[2].old_value["status"], undos[2].new_value["status"]) == (
            "expired",
            "unchecked",
        )
        added = undos[-1]
        assert [i["name"] for i in added.old_value] == ["在线咨询"] and added.new_value is None
    assert verify_file(path).ok


def test_undo_refuses_account_changes_someone_made_since(ff: FindingsFile) -> None:
    key = account(1).key
    ff.set_account_facts(key, latest_post=date(2025, 6, 1), interaction=None, who="张三")
    ff.set_account_facts(key, latest_post=date(2025, 6, 1), interaction=False, who="李四")
    with pytest.raises(
        FindingsError, match=r"无法撤销：.*账号信息之后已被修改 / cannot undo: the account facts"
    ):
        ff.undo_last("张三")
    (item,) = ff.add_menu_items(key, MENU[:1], who="李四")
    ff.set_menu_item(item.id, who="李四", status="works")
    ff.set_menu_item(item.id, who="王五", status="dead_link")
    with pytest.raises(FindingsError, match=r"cannot undo: menu item .* has been changed since"):
        ff.undo_last("李四")
    facts = ff.account_facts(key)
    assert facts is not None and facts.interaction is False
    assert [i.status for i in ff.menu_items(key)] == ["dead_link"]
    assert [a.action for a in ff.audit_log()].count("undo") == 0


def test_undo_of_added_menu_items_refuses_once_they_were_worked_on(ff: FindingsFile) -> None:
    key = account(1).key
    shot, pasted = ff.add_menu_items(key, MENU[:2], who="张三")
    ff.add_evidence(key, b"\x89PNG", kind="phone", mime="image/png", who="李四", menu_item=shot.id)
    with pytest.raises(FindingsError, match="changed or given evidence since it was added"):
        ff.undo_last("张三")
    ff.remove_evidence(ff.evidence(key)[0].id, who="李四", reason="拍错了")
    ff.set_menu_item(pasted.id, who="李四", note="已核实")
    with pytest.raises(FindingsError, match="已被修改或已有证据"):
        ff.undo_last("张三")
    assert [i.name for i in ff.menu_items(key)] == [MENU[0][0], MENU[1][0]]
    ff.set_menu_item(pasted.id, who="李四", note="")  # back as added: the undo goes through
    assert ff.undo_last("张三") is not None
    assert ff.menu_items(key) == []


def test_undoing_a_removal_refuses_when_the_item_was_added_again(ff: FindingsFile) -> None:
    key = account(1).key
    (item,) = ff.add_menu_items(key, MENU[:1], who="李四")
    ff.remove_menu_item(item.id, who="张三", reason="删错了")
    (again,) = ff.add_menu_items(key, MENU[:1], who="李四")
    with pytest.raises(FindingsError, match="a menu item with this name and URL exists"):
        ff.undo_last("张三")
    ff.remove_menu_item(again.id, who="李四", reason="重复")
    assert ff.undo_last("张三") is not None
    assert [i.id for i in ff.menu_items(key)] == [item.id]


_KEYS = [website(1).key, website(2).key]
_op = st.one_of(
    st.tuples(
        st.just("set"),
        st.sampled_from(["甲", "乙"]),
        st.sampled_from(_KEYS),
        st.sampled_from(["W-V3", "W-V4"]),
        st.sampled_from([State.PROBLEM, State.OK, State.NA, None]),
        st.sampled_from(["", "n1", "n2"]),
    ),
    st.tuples(st.just("undo"), st.sampled_from(["甲", "乙"])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_op, max_size=25))
def test_results_and_undo_agree_with_a_simple_model(ops: list[tuple[Any, ...]]) -> None:
    """Property: the file behaves like a dict of results plus a per-inspector undo stack, and an
    undo is refused once anyone has written that result since (even back to the same value)."""
    model: dict[tuple[str, str], tuple[str, str]] = {}
    history: list[dict[str, Any]] = []  # real changes: who, slot, old, new, undone, prev
    last_change: dict[tuple[str, str], dict[str, Any] | None] = {}  # what the row now holds
    with tempfile.TemporaryDirectory() as tmp:
        f = new_file(Path(tmp) / "p.sqlite", targets=2)
        audit_rows = len(f.audit_log())
        for op in ops:
            if op[0] == "set":
                _, who, key, ind, state, note = op
                old = model.get((key, ind))
                new = None if state is None else (state.value, note)
                f.set_result(key, ind, state, who=who, note=note)
                if old != new:
                    model.pop((key, ind), None) if new is None else model.__setitem__(
                        (key, ind), new
                    )
                    change = {
                        "who": who,
                        "slot": (key, ind),
                        "old": old,
                        "new": new,
                        "undone": False,
                        "prev": last_change.get((key, ind)),
                    }
                    history.append(change)
                    last_change[(key, ind)] = change
                    audit_rows += 1
            else:
                who = op[1]
                mine = [h for h in history if h["who"] == who and not h["undone"]]
                if not mine:
                    assert f.undo_last(who) is None
                    continue
                last = mine[-1]
                if last_change.get(last["slot"]) is not last:
                    with pytest.raises(FindingsError):
                        f.undo_last(who)
                    continue
                assert f.undo_last(who) is not None
                last["undone"] = True
                last_change[last["slot"]] = last["prev"]  # the undo restores the row exactly
                if last["old"] is None:
                    model.pop(last["slot"])
                else:
                    model[last["slot"]] = last["old"]
                audit_rows += 1
            stored = {(r.target_key, r.indicator_id): (r.state.value, r.note) for r in f.results()}
            assert stored == model
        assert len(f.audit_log()) == audit_rows
        f.close()


# --- hints, probes -----------------------------------------------------------------------------


def test_hints_are_deduplicated_and_keep_input_order(ff: FindingsFile) -> None:
    key = website(1).key
    a = Hint("column_blank", "W-V4", "http://a/c1/", "http://a/", "暂无信息", "2025-06-14")
    b = Hint("column_blank", "W-V4", "http://a/c2/", "http://a/", "暂无信息", "2025-06-14")
    first = ff.add_hints(key, [a, b], source="scan 1")
    again = ff.add_hints(
        key,
        [b, a, Hint("column_blank", "W-V4", "http://a/c2/", "http://a/", "暂无信息", "2025-09-14")],
        source="scan 2",
    )
    assert again[:2] == first[::-1] and again[2] not in first
    assert [h.as_of for h in ff.hints(key)] == ["2025-06-14", "2025-06-14", "2025-09-14"]
    assert ff.hints(website(2).key) == []
    assert all(h.status == "open" for h in ff.hints())


def test_the_same_probe_is_stored_once(ff: FindingsFile) -> None:
    key = website(1).key
    p = Probe(
        key, "http://www1.example.gov.cn/", "2025-06-14T10:00:00+08:00", True, "ok", 200, 412, None
    )
    first = ff.add_probe(p)
    assert ff.add_probe(p) == first
    later = ff.add_probe(
        Probe(key, p.url, "2025-06-14T11:12:00+08:00", False, "dns", None, None, "NXDOMAIN")
    )
    assert [x.id for x in ff.probes(key)] == [first, later]
    assert ff.probes(key)[1].ok is False and ff.probes(key)[1].error == "NXDOMAIN"
    assert ff.probes(website(2).key) == []


# --- menu items of accounts (schema 5) --------------------------------------------------------

MENU = [
    ("办事服务 > 社保查询", "https://mp.example.cn/sb"),
    ("办事服务 > 公积金", "https://mp.example.cn/gjj"),
    ("联系我们", ""),
]


def test_menu_items_round_trip_through_a_reopen(path: Path) -> None:
    key = account(1).key
    with new_file(path) as f:
        first = f.add_menu_items(key, MENU[:2], who="张三")
        # pasting the list again, plus one new item, adds only the new one, after the others
        again = f.add_menu_items(key, [*MENU, MENU[2]], who="张三")
        assert [i.name for i in again] == ["联系我们"]
        f.set_menu_item(
            first[0].id, who="李四", status="expired", marker="小程序已过期", note="截图见证据"
        )
        f.remove_menu_item(first[1].id, who="张三", reason="菜单已撤下")
    with FindingsFile.open(path) as f:
        items = f.menu_items(key)
        assert [(i.name, i.url, i.status, i.marker) for i in items] == [
            ("办事服务 > 社保查询", "https://mp.example.cn/sb", "expired", "小程序已过期"),
            ("联系我们", "", "unchecked", ""),
        ]
        assert items[0].note == "截图见证据" and items[0].inspector == "李四"
        assert items[0].position < items[1].position and items[0].id == first[0].id
        assert ISO_SECONDS.match(items[0].updated_at)
        removed = f.menu_item(first[1].id)
        assert removed is not None and removed.name == "办事服务 > 公积金"
        assert f.menu_items(website(1).key) == []


def test_menu_item_changes_are_audited_and_no_ops_write_nothing(ff: FindingsFile) -> None:
    key = account(1).key
    (item,) = ff.add_menu_items(key, MENU[:1], who="张三")
    before = len(ff.audit_log())
    ff.add_menu_items(key, MENU[:1], who="张三")  # nothing new
    assert ff.set_menu_item(item.id, who="张三") == item  # nothing given
    assert ff.set_menu_item(item.id, who="李四", status="unchecked", name=item.name) == item
    assert len(ff.audit_log()) == before
    changed = ff.set_menu_item(
        item.id, who="李四", status="maintenance", marker="系统升级维护中", reason="手机打开"
    )
    assert (changed.status, changed.marker, changed.inspector) == (
        "maintenance",
        "系统升级维护中",
        "李四",
    )
    ff.remove_menu_item(item.id, who="李四", reason="重复")
    trail = [a for a in ff.audit_log(key) if "menu" in a.action]
    assert [(a.action, a.who) for a in trail] == [
        ("add_menu_items", "张三"),
        ("set_menu_item", "李四"),
        ("remove_menu_item", "李四"),
    ]
    assert trail[0].new_value == [
        {"id": item.id, "position": 0, "name": MENU[0][0], "url": MENU[0][1]}
    ]
    assert trail[1].reason == "手机打开"
    assert (trail[1].old_value["status"], trail[1].new_value["status"]) == (
        "unchecked",
        "maintenance",
    )
    assert (trail[1].old_value["marker"], trail[1].new_value["marker"]) == ("", "系统升级维护中")
    assert trail[2].old_value["status"] == "maintenance" and trail[2].reason == "重复"


def test_bad_menu_item_writes_are_refused_and_leave_nothing(ff: FindingsFile) -> None:
    key = account(1).key
    (item,) = ff.add_menu_items(key, MENU[:1], who="张三")
    before = ff.audit_log()
    with pytest.raises(FindingsError, match="未知菜单状态 / unknown menu item status: 'broken'"):
        ff.set_menu_item(item.id, who="张三", status="broken")
    with pytest.raises(FindingsError, match="未知菜单项 / unknown menu item"):
        ff.set_menu_item("nope", who="张三", status="works")
    with pytest.raises(FindingsError, match="未知检查对象 / unknown target"):
        ff.add_menu_items("account:nope", MENU, who="张三")
    with pytest.raises(FindingsError, match=r"不能为空 / .* must be a non-empty string"):
        ff.add_menu_items(key, [("  ", "https://x.cn/")], who="张三")
    with pytest.raises(FindingsError, match="a menu item with this name and URL exists"):
        (other,) = ff.add_menu_items(key, MENU[1:2], who="张三")
        ff.set_menu_item(other.id, who="张三", name=MENU[0][0], url=MENU[0][1])
    with pytest.raises(FindingsError, match="删除理由"):
        ff.remove_menu_item(item.id, who="张三", reason="")
    ff.remove_menu_item(item.id, who="张三", reason="撤下")
    with pytest.raises(FindingsError, match="unknown menu item"):
        ff.set_menu_item(item.id, who="张三", status="works")  # removed items are not edited
    assert [i.name for i in ff.menu_items(key)] == [MENU[1][0]]
    assert [a.action for a in ff.audit_log()[len(before) :]] == [
        "add_menu_items",
        "remove_menu_item",
    ]


def test_evidence_is_tied_to_an_item_of_its_own_account(ff: FindingsFile) -> None:
    key, other_key = account(1).key, account(2).key
    ff.add_targets([account(2)], who="协调员")
    (item,) = ff.add_menu_items(key, MENU[:1], who="张三")
    (other,) = ff.add_menu_items(other_key, MENU[:1], who="张三")
    shot = b"\x89PNG menu page"
    first = ff.add_evidence(
        key, shot, kind="phone", mime="image/png", who="张三", menu_item=item.id
    )
    plain = ff.add_evidence(key, shot, kind="phone", mime="image/png", who="张三")
    assert plain != first  # the same picture, once for the item and once for the account
    assert first == ff.add_evidence(
        key, shot, kind="phone", mime="image/png", who="张三", menu_item=item.id
    )
    with pytest.raises(FindingsError, match=f"menu item {other.id} is not a menu item of {key}"):
        ff.add_evidence(key, b"x", kind="phone", mime="image/png", who="张三", menu_item=other.id)
    with pytest.raises(FindingsError, match="unknown menu item"):
        ff.add_evidence(key, b"x", kind="phone", mime="image/png", who="张三", menu_item="nope")
    ff.remove_menu_item(item.id, who="张三", reason="菜单已撤下")
    # the capture stays, still naming the removed item
    assert [(e.id, e.menu_item) for e in ff.evidence(key)] == [(first, item.id), (plain, None)]
    assert ff.evidence_data(first) == shot
    added = [a for a in ff.audit_log(key) if a.action == "add_evidence"]
    assert added[0].new_value["menu_item"] == item.id


# --- foreign, damaged and busy files -----------------------------------------------------------


def test_open_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FindingsError, match="file not found"):
        FindingsFile.open(tmp_path / "nope.sqlite")


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"", "empty file"),
        ("季度检查结果\n网站,问题\n".encode(), "not an SQLite database"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "not an SQLite database"),
    ],
)
def test_open_refuses_non_sqlite_files(tmp_path: Path, content: bytes, detail: str) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    with pytest.raises(FindingsError) as info:
        FindingsFile.open(path)
    assert str(info.value).startswith(f"{NOT_FINDINGS}: {path}")
    assert detail in str(info.value)
    assert path.read_bytes() == content


def test_open_refuses_a_foreign_sqlite_file_without_touching_it(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    db = sqlite_utils.Database(path)
    # even with a look-alike table
    db.table("file_info").insert({"key": "quarter", "value": "2025Q2"})
    db.close()
    before = path.read_bytes()
    with pytest.raises(FindingsError, match="not a findings file") as info:
        FindingsFile.open(path)
    assert "another program" in str(info.value)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_open_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(FindingsError, match="not a findings file"):
        FindingsFile.open(tmp_path)


def _file_with_evidence(path: Path) -> None:
    with new_file(path) as f:
        for i in range(6):
            f.add_evidence(
                website(1).key, bytes([i]) * 30_000, kind="screenshot", mime="image/png", who="张三"
            )


def test_open_refuses_a_truncated_file(path: Path) -> None:
    _file_with_evidence(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FindingsError) as info:
        FindingsFile.open(path)
    assert str(info.value).startswith(f"{DAMAGED}: {path}")


def test_open_refuses_a_file_with_garbage_pages(path: Path) -> None:
    _file_with_evidence(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 2 : page * 5] = b"\xa5" * (page * 3)  # pages 3 to 5: b-tree pages become noise
    path.write_bytes(bytes(data))
    with pytest.raises(FindingsError) as info:
        FindingsFile.open(path)
    assert DAMAGED in str(info.value)


def test_a_file_on_the_wrong_path_type_is_reported_clearly(tmp_path: Path) -> None:
    with pytest.raises(FindingsError, match="file not found"):
        FindingsFile.open(tmp_path / "missing" / "x.sqlite")


def test_closed_file_refuses_use(path: Path) -> None:
    f = new_file(path)
    f.close()
    f.close()
    with pytest.raises(FindingsError, match="closed"):
        f.set_result(website(1).key, "W-V3", State.OK, who="张三")
    with pytest.raises(FindingsError, match="closed"):
        f.results()
    # a clean close folds the WAL into the main file: the .sqlite alone can be copied
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def test_two_programs_share_a_file(ff: FindingsFile, path: Path) -> None:
    with FindingsFile.open(path) as other:
        ff.set_result(website(1).key, "W-V3", State.OK, who="张三")
        assert other.results()[0].state == State.OK
        other.set_result(website(1).key, "W-V3", State.PROBLEM, who="李四")
        assert ff.results()[0].state == State.PROBLEM


def test_a_busy_file_gives_a_clear_message_and_keeps_data(
    ff: FindingsFile, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(findings_module, "BUSY_TIMEOUT_MS", 50)
    impatient = FindingsFile.open(path)
    blocker = raw(path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(FindingsError, match="busy"):
            impatient.set_result(website(1).key, "W-V3", State.OK, who="张三")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    impatient.set_result(website(1).key, "W-V3", State.OK, who="张三")
    impatient.close()
    assert ff.results()[0].state == State.OK


def test_error_kinds_let_the_app_offer_the_right_action(tmp_path: Path, path: Path) -> None:
    """The UI suggests an upgrade for a newer file, `verify` for a damaged one."""
    foreign = tmp_path / "foreign.db"
    with sqlite_utils.Database(foreign) as db:
        db.table("t").insert({"x": 1})
    with pytest.raises(NotFindingsFileError):
        FindingsFile.open(foreign)
    _file_with_evidence(path)
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(NewerSchemaError):
        FindingsFile.open(path)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(DamagedFileError, match="inspector verify"):
        FindingsFile.open(path)


def test_a_locked_file_is_busy_not_damaged(
    ff: FindingsFile, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Calling a file "damaged" when another program merely holds it could make a user delete it."""
    ff.close()
    monkeypatch.setattr(findings_module, "BUSY_TIMEOUT_MS", 50)
    holder = raw(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(FindingsError) as info:
            FindingsFile.open(path)
        assert not isinstance(info.value, DamagedFileError)
        assert "busy" in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with FindingsFile.open(path) as f:
        assert len(f.targets()) == 4
