"""``inspector merge`` (issue #5): idempotent, order-free, nothing lost, conflicts kept, atomic.

Real findings files in temporary folders, merged with the real code; property tests generate
inspectors' files (with later copies, shared hints, evidence and probes) and merge them in every
kind of order.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.cli import main
from inspector.merge import MergeError, merge_files
from inspector.store import (
    SCHEMA_VERSION,
    FindingsError,
    FindingsFile,
    Hint,
    Probe,
    verify_file,
)
from inspector.store.merging import Judged, candidates_text, decide
from inspector.targets import State
from tests.domain.quarterkit import CST, Clock, account, candidates, dump, inspector_file, site
from tests.domain.test_store_migrations import build_v1

ROOT = Path(__file__).resolve().parents[2]
SITE, ACCOUNT = site(1), account(1)
TARGETS = [site(1), site(2), account(1), account(2)]


def clock_at(hour: int, minute: int = 0) -> Clock:
    return Clock(datetime(2025, 6, 14, hour, minute, tzinfo=CST))


def two_inspectors(tmp: Path) -> tuple[Path, Path]:
    """张三 has the sites, 李四 the accounts; each with evidence, a hint and a probe."""
    a, b = tmp / "2025Q2-张三.sqlite", tmp / "2025Q2-李四.sqlite"
    with inspector_file(a, "张三", [site(1), site(2)], clock=clock_at(9)) as f:
        [hint] = f.add_hints(
            SITE.key,
            [Hint("homepage_stale", "W-V3", SITE.url or "", SITE.url or "", "最新 2025-05-01")],
            source="scan",
        )
        f.set_result(SITE.key, "W-V3", State.PROBLEM, who="张三", note="首页一个月未更新")
        f.set_result(SITE.key, "W-D3", State.PROBLEM, who="张三", deduction=Decimal("2.5"))
        f.set_result(site(2).key, "W-V3", State.OK, who="张三", from_hint=None)
        f.set_hint_status(hint, "confirmed", who="张三")
        f.add_evidence(
            SITE.key,
            b"\x89PNG site one" * 500,
            kind="screenshot",
            mime="image/png",
            who="张三",
            indicator_id="W-V3",
        )
        f.add_probe(
            Probe(
                SITE.key,
                SITE.url or "",
                "2025-06-10T10:00:00+08:00",
                False,
                "timeout",
                None,
                15000,
                "timed out",
            )
        )
    with inspector_file(b, "李四", [account(1), account(2)], clock=clock_at(10)) as f:
        f.set_result(ACCOUNT.key, "M-V2", State.PROBLEM, who="李四", note="两周未更新")
        f.set_result(account(2).key, "M-V2", State.OK, who="李四")
        f.add_evidence(
            ACCOUNT.key, b"\xff\xd8\xff phone" * 300, kind="phone", mime="image/jpeg", who="李四"
        )
    return a, b


def file_state(path: Path) -> tuple[bytes, dict[str, Any]]:
    return path.read_bytes(), dump(path)


# --- the ordinary merge -----------------------------------------------------------------------


def test_merge_brings_every_row_with_its_provenance(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "2025Q2.sqlite"
    report = merge_files([a, b], out, coordinator="协调员", clock=clock_at(12))
    assert report.created and report.open_conflicts == ()
    assert [s.inspector for s in report.sources] == ["张三", "李四"] or [
        s.inspector for s in report.sources
    ] == sorted(["张三", "李四"])
    with FindingsFile.open(out) as q:
        assert q.quarter == "2025Q2" and q.inspector == "协调员"
        assert q.info["role"] == "quarter" and q.profile_id == "national-2019"
        assert {t.key for t in q.targets()} == {t.key for t in TARGETS}
        results = {(r.target_key, r.indicator_id): r for r in q.results()}
        assert len(results) == 5
        w3 = results[(SITE.key, "W-V3")]
        # the original inspector and time stay on the result
        assert (w3.state, w3.inspector, w3.note) == (State.PROBLEM, "张三", "首页一个月未更新")
        assert w3.updated_at.startswith("2025-06-14T09:")
        assert results[(SITE.key, "W-D3")].deduction == Decimal("2.5")
        assert results[(ACCOUNT.key, "M-V2")].inspector == "李四"
        [hint] = q.hints()
        assert hint.status == "confirmed"
        evidence = q.evidence()
        assert len(evidence) == 2
        for item in evidence:
            assert hashlib.sha256(q.evidence_data(item.id)).hexdigest() == item.sha256
        assert len(q.probes()) == 1
        sources = {s.inspector: s for s in q.sources()}
        assert set(sources) == {"张三", "李四"}
        assert sources["张三"].file_name == a.name
        judged = q.result_sources()
        assert len(judged) == 5
        assert {sources[i].id for i in ("张三", "李四")} == {j.source_id for j in judged}
        actions = [e.action for e in q.audit_log()]
        assert actions.count("merge_result") == 5 and actions.count("merge_file") == 2
    conn = sqlite3.connect(out)
    # every target, hint, probe and capture says which file brought it
    per_table = dict(conn.execute("SELECT table_name, count(*) FROM provenance GROUP BY 1"))
    assert per_table == {"targets": 4, "hints": 1, "probes": 1, "evidence": 2}
    # and each file's own audit trail came along
    trail = conn.execute("SELECT count(*) FROM source_audit").fetchone()[0]
    conn.close()
    own = sum(len(FindingsFile.open(p).audit_log()) for p in (a, b))
    assert trail == own
    report_ok = verify_file(out)
    assert report_ok.ok, report_ok.problems
    assert report_ok.checked_evidence == 2


def test_merging_the_same_files_again_changes_nothing(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a, b], out)
    before = dump(out)
    with FindingsFile.open(out) as q:
        trail = len(q.audit_log())
    again = merge_files([b, a, a], out)
    assert not again.changed
    assert dump(out) == before
    with FindingsFile.open(out) as q:
        assert len(q.audit_log()) == trail  # not even an audit row
    assert verify_file(out).ok


def test_input_order_does_not_matter(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    merge_files([a, b], tmp_path / "ab.sqlite")
    merge_files([b, a], tmp_path / "ba.sqlite")
    merge_files([b], tmp_path / "seq.sqlite")
    merge_files([a], tmp_path / "seq.sqlite")
    assert (
        dump(tmp_path / "ab.sqlite")
        == dump(tmp_path / "ba.sqlite")
        == dump(tmp_path / "seq.sqlite")
    )


def test_merging_into_an_existing_quarter_file_adds_to_it(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a], out)
    report = merge_files([b], out)
    assert not report.created
    with FindingsFile.open(out) as q:
        assert len(q.results()) == 5 and len(q.sources()) == 2
    assert dump(out) == dump(_fresh(tmp_path, [a, b]))


def _fresh(tmp: Path, inputs: list[Path]) -> Path:
    out = tmp / f"fresh-{len(list(tmp.iterdir()))}.sqlite"
    merge_files(inputs, out)
    return out


def test_a_later_copy_of_an_inspectors_file_supersedes_the_earlier(tmp_path: Path) -> None:
    a, _ = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a], out)
    later = tmp_path / "2025Q2-张三-v2.sqlite"
    shutil.copyfile(a, later)
    with FindingsFile.open(later, clock=clock_at(15)) as f:
        f.set_result(SITE.key, "W-V3", State.OK, who="张三", note="复核后已更新")
    report = merge_files([later], out)
    assert report.open_conflicts == ()  # one inspector changing their mind is no conflict
    with FindingsFile.open(out) as q:
        [w3] = [r for r in q.results(SITE.key) if r.indicator_id == "W-V3"]
        assert (w3.state, w3.note) == (State.OK, "复核后已更新")
        assert len(q.sources()) == 1  # the same file, merged again
        assert len([j for j in q.result_sources(SITE.key) if j.indicator_id == "W-V3"]) == 2
    # and the earlier copy arriving late does not turn it back
    merge_files([a], out)
    with FindingsFile.open(out) as q:
        assert [r.state for r in q.results(SITE.key) if r.indicator_id == "W-V3"] == [State.OK]


# --- conflicts --------------------------------------------------------------------------------


def conflicting(tmp: Path) -> tuple[Path, Path]:
    a, b = tmp / "a.sqlite", tmp / "b.sqlite"
    with inspector_file(a, "张三", [SITE], clock=clock_at(9)) as f:
        f.set_result(SITE.key, "W-V3", State.PROBLEM, who="张三", note="首页五周未更新")
        f.set_result(SITE.key, "W-D19", State.OK, who="张三")
    with inspector_file(b, "李四", [SITE], clock=clock_at(10)) as f:
        f.set_result(SITE.key, "W-V3", State.OK, who="李四", note="首页有当日信息")
        f.set_result(SITE.key, "W-D19", State.OK, who="李四")
    return a, b


def test_two_inspectors_disagreeing_is_a_recorded_conflict(tmp_path: Path) -> None:
    a, b = conflicting(tmp_path)
    out = tmp_path / "q.sqlite"
    report = merge_files([a, b], out)
    [conflict] = report.open_conflicts
    assert (conflict.target_key, conflict.indicator_id, conflict.status) == (
        SITE.key,
        "W-V3",
        "open",
    )
    said = {c["inspector"]: (c["state"], c["note"]) for c in conflict.candidates}
    assert said == {"张三": ("problem", "首页五周未更新"), "李四": ("ok", "首页有当日信息")}
    with FindingsFile.open(out) as q:
        # until resolved the latest judgement stands, and the conflict says so
        [w3] = [r for r in q.results() if r.indicator_id == "W-V3"]
        assert (w3.state, w3.inspector) == (State.OK, "李四")
        assert "open_conflict" in [e.action for e in q.audit_log()]
    # agreeing judgements (W-D19) are not conflicts
    assert [c[1] for c in candidates(out)] == ["W-V3"]
    assert verify_file(out).ok


def test_a_conflict_is_resolved_with_a_reason_and_stays_resolved(tmp_path: Path) -> None:
    a, b = conflicting(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a, b], out)
    with FindingsFile.open(out, clock=clock_at(16)) as q:
        with pytest.raises(FindingsError, match="reason"):
            q.resolve_conflict(SITE.key, "W-V3", State.PROBLEM, who="协调员", reason=" ")
        q.resolve_conflict(
            SITE.key, "W-V3", State.PROBLEM, who="协调员", reason="截图显示首页5月后无更新"
        )
        [conflict] = q.conflicts()
        assert conflict.status == "resolved" and conflict.resolved_by == "协调员"
        [w3] = [r for r in q.results() if r.indicator_id == "W-V3"]
        # the note comes with the candidate whose state was chosen
        assert (w3.state, w3.note, w3.inspector) == (State.PROBLEM, "首页五周未更新", "协调员")
        entry = q.audit_log()[-1]
        assert (entry.action, entry.reason) == ("resolve_conflict", "截图显示首页5月后无更新")
        assert entry.old_value["state"] == "ok" and entry.new_value["state"] == "problem"
        with pytest.raises(FindingsError, match="no conflict"):
            q.resolve_conflict(SITE.key, "W-D19", State.OK, who="协调员", reason="x")
    assert verify_file(out).ok
    # merging the same files again keeps the decision
    merge_files([a, b], out)
    with FindingsFile.open(out) as q:
        assert q.conflicts("open") == []
        assert [r.state for r in q.results() if r.indicator_id == "W-V3"] == [State.PROBLEM]
    # a new judgement reopens it
    later = tmp_path / "b2.sqlite"
    shutil.copyfile(b, later)
    with FindingsFile.open(later, clock=clock_at(17)) as f:
        f.set_result(SITE.key, "W-V3", State.OK, who="李四", note="再次核实，首页正常")
    report = merge_files([later], out)
    [reopened] = report.open_conflicts
    assert {c["note"] for c in reopened.candidates} == {"首页五周未更新", "再次核实，首页正常"}
    assert verify_file(out).ok


def test_inspectors_who_come_to_agree_close_the_conflict(tmp_path: Path) -> None:
    a, b = conflicting(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a, b], out)
    later = tmp_path / "a2.sqlite"
    shutil.copyfile(a, later)
    with FindingsFile.open(later, clock=clock_at(18)) as f:
        f.set_result(SITE.key, "W-V3", State.OK, who="张三", note="看错了")
    report = merge_files([later], out)
    assert report.open_conflicts == ()
    with FindingsFile.open(out) as q:
        # the table holds today's disagreements only; the audit log keeps the story
        assert q.conflicts() == []
        closed = [e for e in q.audit_log() if e.action == "close_conflict"]
        assert len(closed) == 1 and "agree" in closed[0].reason
        assert closed[0].old_value["status"] == "open"


def test_merge_lists_conflicts_on_the_command_line(tmp_path: Path) -> None:
    a, b = conflicting(tmp_path)
    result = CliRunner().invoke(main, ["merge", str(a), str(b), "-o", str(tmp_path / "q.sqlite")])
    assert result.exit_code == 0, result.output
    assert "1 open conflict" in result.output
    assert "测试网站1" in result.output and "W-V3" in result.output
    assert "张三: problem（首页五周未更新）" in result.output


# --- refusals ---------------------------------------------------------------------------------


def refused(inputs: list[Path], out: Path, *needles: str) -> None:
    before = out.read_bytes() if out.exists() else None
    with pytest.raises(MergeError) as info:
        merge_files(inputs, out)
    message = str(info.value)
    for needle in needles:
        assert needle in message, message
    assert "nothing was written" in message or "not overwritten" in message or needles
    assert (out.read_bytes() if out.exists() else None) == before
    assert not list(out.parent.glob(f".{out.name}.merge-*"))


def test_files_of_another_quarter_or_profile_are_refused(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    other = tmp_path / "2025Q1-王五.sqlite"
    inspector_file(other, "王五", [SITE], quarter="2025Q1").close()
    refused([a, b, other], tmp_path / "q.sqlite", "different quarters", "2025Q1", other.name)
    province = tmp_path / "p.sqlite"
    inspector_file(province, "王五", [SITE], profile="example-province-80").close()
    refused([a, province], tmp_path / "q.sqlite", "different profiles", "example-province-80")
    out = tmp_path / "q.sqlite"
    merge_files([a], out)
    refused([other], out, "2025Q1", "expected 2025Q2")


def test_newer_corrupt_foreign_and_missing_files_are_refused(tmp_path: Path) -> None:
    a, _ = two_inspectors(tmp_path)
    newer = tmp_path / "newer.sqlite"
    inspector_file(newer, "王五", [SITE]).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    truncated = tmp_path / "truncated.sqlite"
    data = a.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    foreign = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    png = tmp_path / "photo.sqlite"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    refused(
        [a, newer, truncated, foreign, png, tmp_path / "missing.sqlite"],
        tmp_path / "q.sqlite",
        "5 problem(s)",
        "newer version",
        "damaged",
        "another program",
        "not an SQLite database",
        "file not found",
    )


def _spoil_page_of(path: Path, name: str) -> None:
    """Overwrite the header of ``name``'s root page: the file still opens and reads its
    file_info, only a page-by-page check (or a read of that b-tree) finds the damage."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert not Path(f"{path}-wal").exists()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 16)


@pytest.mark.parametrize("spoiled", ["audit_log_by_who", "evidence"])
def test_a_file_damaged_inside_is_refused_while_the_quarter_file_is_built(
    tmp_path: Path, spoiled: str
) -> None:
    # The page check runs beside the build: an index no merge query reads (the import goes
    # through, the check fails) or a table the import reads (both fail) must refuse the whole
    # merge naming the file, into a new output and into an existing one, leaving nothing behind.
    a, b = two_inspectors(tmp_path)
    _spoil_page_of(a, spoiled)
    refused([b, a], tmp_path / "new.sqlite", "damaged", a.name, "nothing was written")
    out = tmp_path / "q.sqlite"
    merge_files([b], out)
    refused([a, b], out, "damaged", a.name, "nothing was written")


def test_a_file_whose_rows_point_at_nothing_is_refused(tmp_path: Path) -> None:
    # The quarter file is built without SQLite checking references row by row: an input whose
    # judgement names a target it does not list must still be refused, by name.
    a, b = two_inspectors(tmp_path)
    conn = sqlite3.connect(a)
    conn.execute(
        "INSERT INTO results (target_key, indicator_id, state, inspector, updated_at)"
        " VALUES ('website:gone', 'W-V1', 'ok', '张三', '2025-06-14T09:00:00+08:00')"
    )
    conn.commit()
    conn.close()
    refused([a, b], tmp_path / "new.sqlite", "damaged", "broken references", a.name)
    out = tmp_path / "q.sqlite"
    merge_files([b], out)
    refused([a], out, "damaged", "broken references", a.name, "nothing was written")


def test_a_damaged_existing_output_is_refused(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([b], out)
    _spoil_page_of(out, "audit_log_by_who")
    refused([a], out, "the output cannot be used", "damaged")


def test_a_quarter_file_as_input_and_an_inspectors_file_as_output_are_refused(
    tmp_path: Path,
) -> None:
    a, b = two_inspectors(tmp_path)
    q = tmp_path / "q.sqlite"
    merge_files([a], q)
    refused([q, b], tmp_path / "q2.sqlite", "merged quarter file")
    refused([b], a, "inspector's findings file")
    refused([a, b], b, "the output itself")


def test_a_file_drawn_from_another_sample_is_refused(tmp_path: Path) -> None:
    a = tmp_path / "a.sqlite"
    b = tmp_path / "b.sqlite"
    inspector_file(a, "张三", [SITE], info={"sample_seed": "7", "registry_accounts": "969"}).close()
    inspector_file(
        b, "李四", [ACCOUNT], info={"sample_seed": "8", "registry_accounts": "969"}
    ).close()
    refused([a, b], tmp_path / "q.sqlite", "another sample", "sample_seed")


def test_evidence_whose_hash_does_not_match_refuses_the_file(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([b], out)
    before = out.read_bytes()
    conn = sqlite3.connect(a)
    conn.execute("UPDATE evidence SET content = zeroblob(size)")
    conn.commit()
    conn.close()
    with pytest.raises(FindingsError, match="SHA-256") as info:
        merge_files([a], out)
    assert a.name in str(info.value) and "not merged" in str(info.value)
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".q.sqlite.merge-*"))


def test_old_schema_files_merge_without_being_changed(tmp_path: Path) -> None:
    old = tmp_path / "2025Q1-王五.sqlite"
    build_v1(old)
    before = old.read_bytes()
    out = tmp_path / "q.sqlite"
    merge_files([old], out)
    assert old.read_bytes() == before  # inputs are read, never migrated or touched
    with FindingsFile.open(out) as q:
        assert q.quarter == "2025Q1" and len(q.results()) == 2
        [hinted] = [r for r in q.results() if r.indicator_id == "W-V3"]
        assert hinted.from_hint == q.hints()[0].id
        assert q.info["sample_seed"] == "7"
    assert verify_file(out).ok


# --- atomic output ----------------------------------------------------------------------------


def test_a_failure_at_the_last_moment_leaves_the_old_output_intact(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a], out)
    before = out.read_bytes()

    def crash(_: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        merge_files([b], out, before_replace=crash)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([a.name, b.name, out.name])


def test_a_killed_merge_leaves_the_old_output_intact(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a], out)
    before = out.read_bytes()
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from inspector.store import merging\n"
        "real = merging.QuarterBuilder._evidence\n"
        "def die(self, *args):\n"
        "    real(self, *args)\n"
        "    os._exit(137)  # killed in the middle of importing a file\n"
        "merging.QuarterBuilder._evidence = die\n"
        "from inspector.merge import merge_files\n"
        "merge_files([Path(sys.argv[1])], Path(sys.argv[2]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(b), str(out)], cwd=ROOT, check=False)
    assert done.returncode == 137
    assert out.read_bytes() == before
    assert verify_file(out).ok
    # the scratch file is left for the user to delete, never mistaken for the output
    merge_files([b], out)
    with FindingsFile.open(out) as q:
        assert len(q.sources()) == 2


def test_an_output_open_in_another_program_is_not_replaced(tmp_path: Path) -> None:
    a, b = two_inspectors(tmp_path)
    out = tmp_path / "q.sqlite"
    merge_files([a], out)
    holder = FindingsFile.open(out)
    try:
        with pytest.raises(FindingsError, match="open in another program"):
            merge_files([b], out)
    finally:
        holder.close()
    merge_files([b], out)


# --- properties -------------------------------------------------------------------------------

INSPECTORS = ("张三", "李四", "王五")
INDICATORS = {SITE.key: ("W-V3", "W-D3"), site(2).key: ("W-V3",), ACCOUNT.key: ("M-V2", "M-D1")}
judgement = st.tuples(
    st.sampled_from([(k, i) for k, ids in INDICATORS.items() for i in ids]),
    st.sampled_from(list(State)),
    st.sampled_from(["", "说明", "另见截图"]),
    st.sampled_from([None, Decimal(1), Decimal("2.5")]),
)
version = st.lists(judgement, min_size=0, max_size=4)
plan = st.fixed_dictionaries(
    {
        "inspectors": st.lists(
            st.tuples(
                st.sampled_from(INSPECTORS),
                st.lists(version, min_size=1, max_size=2),  # the file, and maybe a later copy
                st.integers(0, 2),  # evidence captures
                st.sampled_from(["open", "confirmed", "dismissed"]),  # status of the shared hint
                st.integers(0, 2),  # probes
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda t: t[0],
        ),
        "order": st.randoms(use_true_random=False),
    }
)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    folder = Path(tempfile.mkdtemp(prefix="merge-props-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def build_files(folder: Path, spec: dict[str, Any]) -> list[Path]:
    files: list[Path] = []
    for n, (who, versions, captures, status, probes) in enumerate(spec["inspectors"]):
        path = folder / f"{who}-v0.sqlite"
        start = datetime(2025, 6, 14, 9 + n, tzinfo=CST)
        clock = Clock(start)
        with inspector_file(path, who, [site(1), site(2), account(1)], clock=clock) as f:
            [hint] = f.add_hints(
                SITE.key,
                [Hint("column_stale", "W-V4", "http://x/tzgg/", SITE.url or "", "163 天未更新")],
                source="scan",
            )
            f.set_hint_status(hint, status, who=who)
            for i in range(captures):
                f.add_evidence(
                    SITE.key,
                    f"{who}-{i}".encode() * 50,
                    kind="screenshot",
                    mime="image/png",
                    who=who,
                )
            for i in range(probes):
                at = (datetime(2025, 6, 10, tzinfo=CST) + timedelta(hours=i)).isoformat()
                f.add_probe(Probe(SITE.key, SITE.url or "", at, i % 2 == 0, "ok", 200, 100, None))
            for (key, indicator), state, note, points in versions[0]:
                f.set_result(key, indicator, state, who=who, note=note, deduction=points)
        files.append(path)
        for v, later in enumerate(versions[1:], start=1):
            copy = folder / f"{who}-v{v}.sqlite"
            shutil.copyfile(files[-1], copy)
            with FindingsFile.open(copy, clock=Clock(start + timedelta(hours=5 * v))) as f:
                for (key, indicator), state, note, points in later:
                    f.set_result(key, indicator, state, who=who, note=note, deduction=points)
            files.append(copy)
    return files


@settings(
    max_examples=int(os.environ.get("MERGE_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=plan)
def test_merge_is_order_free_idempotent_and_loses_nothing(
    scratch: Path, spec: dict[str, Any]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=scratch))
    try:
        files = build_files(folder, spec)
        at_once = folder / "at-once.sqlite"
        merge_files(files, at_once)
        expected = dump(at_once)

        # one file at a time, in a random order, some twice: the same quarter file
        rng = spec["order"]
        shuffled = files[:]
        rng.shuffle(shuffled)
        repeats = shuffled + rng.sample(files, k=rng.randint(0, len(files)))
        one_by_one = folder / "one-by-one.sqlite"
        for path in repeats:
            merge_files([path], one_by_one)
        assert dump(one_by_one) == expected

        # in random batches
        batched = folder / "batched.sqlite"
        cut = rng.randint(0, len(shuffled))
        for batch in (shuffled[:cut], shuffled[cut:]):
            if batch:
                merge_files(batch, batched)
        assert dump(batched) == expected

        # nothing lost: every judgement, capture, probe, target and audit row of every file
        conn = sqlite3.connect(at_once)
        judged = set(
            conn.execute(
                "SELECT target_key, indicator_id, inspector, updated_at, state, note, deduction"
                " FROM result_sources"
            )
        )
        captured = set(conn.execute("SELECT sha256 FROM evidence"))
        probed = set(conn.execute("SELECT target_key, probed_at FROM probes"))
        trail = conn.execute("SELECT count(*) FROM source_audit").fetchone()[0]
        conn.close()
        identities = set()
        own_trail = {}
        for path in files:
            src = sqlite3.connect(path)
            identities.add(
                src.execute("SELECT value FROM file_info WHERE key = 'created_at'").fetchone()
            )
            assert (
                set(
                    src.execute(
                        "SELECT target_key, indicator_id, inspector, updated_at, state, note, deduction"
                        " FROM results"
                    )
                )
                <= judged
            )
            assert set(src.execute("SELECT sha256 FROM evidence")) <= captured
            assert set(src.execute("SELECT target_key, probed_at FROM probes")) <= probed
            who = src.execute("SELECT value FROM file_info WHERE key = 'inspector'").fetchone()[0]
            own_trail[who] = max(
                own_trail.get(who, 0), src.execute("SELECT max(id) FROM audit_log").fetchone()[0]
            )
            src.close()
        assert trail == sum(own_trail.values())  # later copies extend the same trail

        # every result is the decision over its judgements, and conflicts are exactly those
        with FindingsFile.open(at_once) as q:
            by_pair: dict[tuple[str, str], list[Judged]] = {}
            for j in q.result_sources():
                by_pair.setdefault((j.target_key, j.indicator_id), []).append(
                    Judged(
                        j.inspector,
                        j.updated_at,
                        j.state.value,
                        j.note,
                        None if j.deduction is None else str(j.deduction),
                        j.count,
                    )
                )
            results = {(r.target_key, r.indicator_id): r for r in q.results()}
            assert set(results) == set(by_pair)
            conflicted = {(c.target_key, c.indicator_id) for c in q.conflicts("open")}
            for pair, judgements in by_pair.items():
                decision = decide(judgements)
                assert results[pair].state.value == decision.result["state"]
                assert results[pair].inspector == decision.result["inspector"]
                assert (decision.candidates is not None) == (pair in conflicted)
        assert verify_file(at_once).ok
    finally:
        shutil.rmtree(folder, ignore_errors=True)


judged_strategy = st.builds(
    Judged,
    inspector=st.sampled_from(INSPECTORS),
    updated_at=st.sampled_from(
        [
            "2025-06-14T09:00:00+08:00",
            "2025-06-14T01:00:00+00:00",
            "2025-06-14T10:30:00+08:00",
            "2025-06-15T08:00:00+08:00",
        ]
    ),
    state=st.sampled_from(["problem", "ok", "na"]),
    note=st.sampled_from(["", "a", "b"]),
    deduction=st.sampled_from([None, "1", "2.5"]),
    count=st.sampled_from([None, 0, 3]),
)


@settings(max_examples=600, deadline=None)
@given(
    judgements=st.lists(judged_strategy, min_size=1, max_size=8, unique=True),
    seed=st.randoms(use_true_random=False),
)
def test_decide_depends_only_on_the_set_of_judgements(judgements: list[Judged], seed: Any) -> None:
    shuffled = judgements[:]
    seed.shuffle(shuffled)
    first, second = decide(judgements), decide(shuffled)
    assert first == second
    # the result is one of the latest judgements; a conflict lists only latest ones
    latest_by: dict[str, datetime] = {}
    for j in judgements:
        moment = datetime.fromisoformat(j.updated_at)
        latest_by[j.inspector] = max(latest_by.get(j.inspector, moment), moment)
    current = [
        j for j in judgements if datetime.fromisoformat(j.updated_at) == latest_by[j.inspector]
    ]
    assert first.result in [j.result() for j in current]
    verdicts = {j.verdict for j in current}
    assert (first.candidates is None) == (len(verdicts) == 1)
    if first.candidates is not None:
        assert candidates_text(first.candidates) == candidates_text(j.candidate() for j in current)


def test_times_in_other_offsets_compare_as_instants() -> None:
    # 01:00Z is 09:00 in Beijing, earlier than 09:30 Beijing even though "01" < "09" as text
    # would agree here; 10:00Z (18:00 Beijing) is later than 17:00 Beijing although "10" < "17".
    early = Judged("张三", "2025-06-14T17:00:00+08:00", "problem", "", None, None)
    late = Judged("张三", "2025-06-14T10:00:00+00:00", "ok", "", None, None)
    assert decide([early, late]).result["state"] == "ok"


def test_account_facts_merge_latest_first_in_any_order(tmp_path: Path) -> None:
    """Issue 6: the latest post date and interaction an inspector recorded reach the quarter
    file; when two inspectors recorded an account, the later record stands, whatever the order."""
    a, b = two_inspectors(tmp_path)
    with FindingsFile.open(b, clock=clock_at(11)) as f:
        f.set_account_facts(
            ACCOUNT.key, latest_post=date(2025, 5, 20), interaction=False, who="李四"
        )
    c = tmp_path / "2025Q2-王五.sqlite"
    with inspector_file(c, "王五", [account(1)], clock=clock_at(12)) as f:
        f.set_account_facts(
            ACCOUNT.key, latest_post=date(2025, 6, 1), interaction=True, who="王五", source="json"
        )
    merge_files([a, b, c], tmp_path / "abc.sqlite")
    merge_files([c, b, a], tmp_path / "cba.sqlite")
    assert dump(tmp_path / "abc.sqlite") == dump(tmp_path / "cba.sqlite")
    with FindingsFile.open(tmp_path / "abc.sqlite") as q:
        facts = q.account_facts(ACCOUNT.key)
        assert facts is not None
        assert (facts.latest_post, facts.interaction, facts.inspector) == (
            date(2025, 6, 1),
            True,
            "王五",
        )
    merge_files([a, b], tmp_path / "ab.sqlite")
    with FindingsFile.open(tmp_path / "ab.sqlite") as q:
        facts = q.account_facts(ACCOUNT.key)
        assert facts is not None and facts.latest_post == date(2025, 5, 20)


def test_menu_items_and_their_evidence_merge_latest_first_in_any_order(tmp_path: Path) -> None:
    """Issue 6: an account's menu items, their statuses and the screenshots taken of each reach
    the quarter file; an item edited in a later copy of the file ends as last edited, a removed
    item stays removed, whatever the order, and merging again adds nothing."""
    a, b = two_inspectors(tmp_path)
    with FindingsFile.open(b, clock=clock_at(11)) as f:
        works, dev, gone = f.add_menu_items(
            ACCOUNT.key,
            [
                ("在线咨询", "http://127.0.0.1/menu/zxzx.html"),
                ("办事服务 > 成绩查询", "http://127.0.0.1/menu/cjcx.html"),
                ("旧菜单", ""),
            ],
            who="李四",
        )
        f.set_menu_item(works.id, status="works", who="李四")
        f.set_menu_item(dev.id, status="expired", marker="小程序已过期", who="李四")
        shot = f.add_evidence(
            ACCOUNT.key,
            b"\x89PNG expired mini program" * 300,
            kind="screenshot",
            mime="image/png",
            who="李四",
            indicator_id="M-D2",
            menu_item=dev.id,
        )
    later = tmp_path / "2025Q2-李四-v2.sqlite"
    shutil.copyfile(b, later)
    with FindingsFile.open(later, clock=clock_at(15)) as f:
        f.set_menu_item(works.id, status="dead_link", note="复查时已打不开", who="李四")
        f.remove_menu_item(gone.id, who="李四", reason="该菜单已下线")
        # the same bytes, this time for the whole account: a second piece of evidence
        f.add_evidence(
            ACCOUNT.key,
            f.evidence_data(shot),
            kind="screenshot",
            mime="image/png",
            who="李四",
            indicator_id="M-D2",
        )
    merge_files([a, b, later], tmp_path / "forward.sqlite")
    merge_files([later, a, b], tmp_path / "backward.sqlite")
    assert dump(tmp_path / "forward.sqlite") == dump(tmp_path / "backward.sqlite")
    before = dump(tmp_path / "forward.sqlite")
    merge_files([b, later], tmp_path / "forward.sqlite")
    assert dump(tmp_path / "forward.sqlite") == before
    with FindingsFile.open(tmp_path / "forward.sqlite") as q:
        items = {i.name: i for i in q.menu_items(ACCOUNT.key)}
        assert set(items) == {"在线咨询", "办事服务 > 成绩查询"}  # the removed one is not listed
        assert (items["在线咨询"].status, items["在线咨询"].note) == ("dead_link", "复查时已打不开")
        assert (items["办事服务 > 成绩查询"].status, items["办事服务 > 成绩查询"].marker) == (
            "expired",
            "小程序已过期",
        )
        shots = [e for e in q.evidence(ACCOUNT.key) if e.indicator_id == "M-D2"]
        assert sorted(str(e.menu_item) for e in shots) == sorted([dev.id, "None"])
    assert verify_file(tmp_path / "forward.sqlite").ok
