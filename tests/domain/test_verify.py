"""``verify_file``: intact files pass, and every kind of damage is named so a person can act on it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector.store import SCHEMA_VERSION, FindingsFile, verify_file
from inspector.targets import Kind, State, Target

SITE = Target(
    key="site:4600000001",
    kind=Kind.WEBSITE,
    name="海南省人民政府",
    url="http://www.hainan.gov.cn/",
    site_code="4600000001",
)
MARKER = b"EVIDENCE-MARKER-0123456789abcdef-"
REPO = Path(__file__).resolve().parents[2]


def make_file(path: Path) -> list[int]:
    """A closed (checkpointed) file with three captures; the second carries a unique marker."""
    with FindingsFile.create(path, quarter="2025Q2", inspector="张三", profile_id="p") as f:
        f.add_targets([SITE], who="张三")
        f.set_result(SITE.key, "W-V3", State.PROBLEM, who="张三", note="首页两周未更新")
        return [
            f.add_evidence(SITE.key, b"\x89PNG" + os.urandom(3000), kind="screenshot",
                           mime="image/png", who="张三", url="http://www.hainan.gov.cn/"),
            f.add_evidence(SITE.key, MARKER + os.urandom(20_000), kind="screenshot",
                           mime="image/png", who="张三", url="http://www.hainan.gov.cn/tzgg/"),
            f.add_evidence(SITE.key, os.urandom(100), kind="mhtml", mime="multipart/related",
                           who="张三"),
        ]  # fmt: skip


def run_sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def test_an_intact_file_passes(tmp_path: Path) -> None:
    path = tmp_path / "ok.sqlite"
    make_file(path)
    report = verify_file(path)
    assert report.ok and report.problems == ()
    assert report.schema_version == SCHEMA_VERSION
    assert report.checked_evidence == 3
    assert report.path == path


def test_verify_never_modifies_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.sqlite"
    make_file(path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert verify_file(path).ok
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime


def test_changes_only_in_the_wal_are_verified_too(tmp_path: Path) -> None:
    """The app was killed: its last commits sit in the -wal file, not yet in the main file."""
    path = tmp_path / "killed.sqlite"
    make_file(path)
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(REPO)!r})
        from inspector.store import FindingsFile
        f = FindingsFile.open({str(path)!r})
        for i in range(4):
            f.add_evidence("site:4600000001", os.urandom(5000), kind="phone", mime="image/jpeg",
                           who="张三")
        os._exit(0)  # no close, no checkpoint
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size > 0
    before = path.read_bytes()
    report = verify_file(path)
    assert report.ok, report.problems
    assert report.checked_evidence == 7
    assert path.read_bytes() == before
    with FindingsFile.open(path) as f:
        assert len(f.evidence()) == 7


def test_one_flipped_byte_in_an_evidence_blob_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tampered.sqlite"
    ids = make_file(path)
    data = bytearray(path.read_bytes())
    at = data.find(MARKER)
    assert at > 0 and data.find(MARKER, at + 1) == -1
    data[at + 5] ^= 0x01  # inside the marker, so inside the blob's bytes on its page
    path.write_bytes(bytes(data))
    report = verify_file(path)
    assert not report.ok
    [problem] = report.problems  # SQLite's structure is intact: only the hash catches this
    assert problem.startswith(f"证据 #{ids[1]} 哈希不符 / evidence #{ids[1]} ")
    assert "site:4600000001" in problem
    assert "http://www.hainan.gov.cn/tzgg/" in problem
    assert "screenshot" in problem and "SHA-256 mismatch" in problem
    assert report.checked_evidence == 3


def test_a_wrong_size_is_named(tmp_path: Path) -> None:
    path = tmp_path / "size.sqlite"
    ids = make_file(path)
    run_sql(path, f"UPDATE evidence SET size = size + 1 WHERE id = {ids[2]}")
    report = verify_file(path)
    [problem] = report.problems
    assert f"evidence #{ids[2]}" in problem and "size mismatch" in problem and "mhtml" in problem


def test_a_broken_reference_is_named(tmp_path: Path) -> None:
    path = tmp_path / "fk.sqlite"
    make_file(path)
    run_sql(
        path,
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO probes (target_key, url, probed_at, ok, outcome)"
        " VALUES ('site:gone', 'http://x/', '2025-06-14T10:00:00+08:00', 1, 'ok')",
    )
    report = verify_file(path)
    assert not report.ok
    assert any("broken reference: probes" in p and "targets" in p for p in report.problems)


def test_a_result_changed_outside_the_app_is_named(tmp_path: Path) -> None:
    path = tmp_path / "edited.sqlite"
    make_file(path)
    run_sql(path, "UPDATE results SET state = 'ok', note = '' WHERE indicator_id = 'W-V3'")
    report = verify_file(path)
    [problem] = report.problems
    assert "site:4600000001 W-V3" in problem and "audit trail" in problem


def test_a_damaged_file_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    make_file(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : page * 3] = b"\x5a" * (page * 2)
    path.write_bytes(bytes(data))
    report = verify_file(path)
    assert not report.ok
    assert report.problems


def test_a_truncated_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "short.sqlite"
    make_file(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    report = verify_file(path)
    assert not report.ok
    assert "damaged" in " ".join(report.problems)


@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.sqlite", "这不是数据库".encode()), ("empty.sqlite", b"")],
)
def test_a_non_sqlite_file_is_not_a_findings_file(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = verify_file(path)
    assert not report.ok and report.schema_version == 0
    assert report.problems[0].startswith(f"不是检查结果文件 / not a findings file: {path}")


def test_a_foreign_sqlite_file_is_not_a_findings_file(tmp_path: Path) -> None:
    path = tmp_path / "datasette.db"
    run_sql(path, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)")
    report = verify_file(path)
    assert not report.ok
    assert report.problems == (
        f"不是检查结果文件 / not a findings file: {path} "
        "(其他程序的 SQLite 数据库 / an SQLite database of another program)",
    )


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    report = verify_file(tmp_path / "nowhere.sqlite")
    assert not report.ok and "file not found" in report.problems[0]
