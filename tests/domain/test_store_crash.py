"""Crash safety: a writer SIGKILLed at random moments loses at most the change in flight.

The writer (tests/fixtures/store_writer.py) reports each commit on stdout; the parent kills it
many times at random delays, reopening the same file every time, then checks that SQLite finds
the file intact, that every reported change is there with its audit row, and that verify passes.
A failure prints the seed; rerun with ``STORE_CRASH_SEED=<seed>`` to replay the same delays.
(SIGKILL tests process death; power loss additionally relies on fsync, i.e. synchronous=FULL.)
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector.store import FindingsFile, verify_file
from inspector.targets import Kind, Target

WRITER = Path(__file__).resolve().parents[1] / "fixtures" / "store_writer.py"
KILLS = 36
TARGETS = [
    Target(key="site:4600000001", kind=Kind.WEBSITE, name="一", url="http://a.gov.cn/"),
    Target(key="site:4600000002", kind=Kind.WEBSITE, name="二", url="http://b.gov.cn/"),
    Target(
        key="account:wechat:gh_0001",
        kind=Kind.NEW_MEDIA,
        name="三",
        platform="微信",
        account_id="gh_0001",
    ),
]


def run_and_kill(path: Path, first: int, seed: int, delay: float, after_ready: bool) -> list[int]:
    """Start a writer, SIGKILL it ``delay`` seconds later, return the changes it committed."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(first), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    if after_ready:
        proc.stdout.readline()  # "ready": the file is open, writes are starting
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"writer died on its own: {err}"
    return [int(line.split()[1]) for line in out.splitlines() if line.startswith("committed ")]


@pytest.mark.slow
def test_random_kills_lose_nothing_that_was_committed(tmp_path: Path) -> None:
    seed = int(os.environ.get("STORE_CRASH_SEED", random.randrange(2**32)))
    print(f"crash test seed: {seed} (replay with STORE_CRASH_SEED={seed})")
    rng = random.Random(seed)
    path = tmp_path / "crash.sqlite"
    with FindingsFile.create(path, quarter="2025Q2", inspector="crash", profile_id="p") as f:
        f.add_targets(TARGETS, who="crash")

    committed: list[int] = []
    started = time.monotonic()
    for kill in range(KILLS):
        # Each run gets its own range of change numbers: an unreported in-flight change that did
        # commit can never be mistaken for a later one.
        first = kill * 1_000_000
        delay = rng.uniform(0.005, 0.300)
        committed += run_and_kill(path, first, rng.randrange(2**32), delay, kill % 3 != 0)
    elapsed = time.monotonic() - started
    print(f"{KILLS} kills, {len(committed)} committed changes, {elapsed:.1f} s")
    assert len(committed) > KILLS, f"seed {seed}: the writer hardly wrote anything"

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"seed {seed}"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], f"seed {seed}"
    conn.close()

    report = verify_file(path)
    assert report.ok, f"seed {seed}: {report.problems}"

    with FindingsFile.open(path) as f:
        results = {r.indicator_id: r.note for r in f.results()}
        evidence_notes = {e.note for e in f.evidence()}
        probes = {p.probed_at for p in f.probes()}
        log = f.audit_log()
    logged_results = {
        (a.indicator_id, a.new_value["note"]) for a in log if a.action == "set_result"
    }
    removed = {a.old_value["note"] for a in log if a.action == "remove_evidence"}
    added = {a.new_value["note"] for a in log if a.action == "add_evidence"}
    missing = []
    for n in committed:
        step = n % 5
        if step in (0, 3):
            ok = f"change {n}" in evidence_notes and f"change {n}" in added
        elif step == 4:
            note = f"removable {n}"
            ok = (
                f"probe {n}" in probes
                and note in added
                and (note in evidence_notes) != (note in removed)
            )
        else:
            ok = results.get(f"X-{n}") == f"change {n}" and (f"X-{n}", f"change {n}") in (
                logged_results
            )
        if not ok:
            missing.append(n)
    assert not missing, f"seed {seed}: committed changes lost: {missing[:20]}"
