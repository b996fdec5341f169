"""bench/merge: merging a quarter's worth of inspectors' files, against the cost of copying them.

    .venv/bin/python bench/merge.py [--files 30] [--targets 300] [--evidence-kb 56] [--dir D]
                                    [--repeat 3]

Builds ``--files`` findings files of ``--targets`` targets each (a third websites judged on all
26 veto and deduction indicators, the rest accounts judged on 10), each target with two captures
of incompressible bytes (about 500 MB in all by default), then measures, with the files warm in
the page cache:

* the floor: copying the same bytes into one file and fsyncing it;
* ``inspector merge`` of all files into a new quarter file, in a child process whose peak
  resident memory is read from the OS;
* merging the same files again (nothing new: what a coordinator pays to re-run).

Each figure is measured ``--repeat`` times (the floor and the merge alternating, so both see
the same load on a shared machine); prints the median and the range of each, and the ratio of
the medians. The aim (issue #5): within 3x of the
floor, peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspector.store import FindingsFile  # noqa: E402
from inspector.targets import Kind, Target, account_key, website_key  # noqa: E402

SITE_INDICATORS = [f"W-V{i}" for i in range(1, 7)] + [f"W-D{i}" for i in range(1, 21)]
ACCOUNT_INDICATORS = [f"M-V{i}" for i in range(1, 4)] + [f"M-D{i}" for i in range(1, 8)]


def targets_for(index: int, count: int) -> list[Target]:
    found: list[Target] = []
    for n in range(count):
        ident = index * 10_000 + n
        if n % 3 == 0:
            code = f"46{ident:08d}"
            found.append(
                Target(
                    key=website_key(code, None),
                    kind=Kind.WEBSITE,
                    name=f"测试网站{ident}",
                    url=f"http://www{ident}.example.gov.cn/",
                    site_code=code,
                    owner=f"单位{ident // 3}",
                    region=f"地区{index % 7}",
                )
            )
        else:
            found.append(
                Target(
                    key=account_key("wechat", f"gh_{ident}", None),
                    kind=Kind.NEW_MEDIA,
                    name=f"测试发布{ident}",
                    owner=f"单位{ident // 3}",
                    region=f"地区{index % 7}",
                    platform="wechat",
                    account_id=f"gh_{ident}",
                )
            )
    return found


def build_file(path: Path, index: int, count: int, evidence_bytes: int) -> None:
    """An inspector's file as the app leaves it: results and captures, each with its audit row.

    Written in one transaction through SQL (the app writes them one at a time; that costs
    minutes of fsyncs here and changes nothing in the file).
    """
    who = f"检查员{index:02d}"
    targets = targets_for(index, count)
    with FindingsFile.create(
        path, quarter="2025Q2", inspector=who, profile_id="national-2019"
    ) as f:
        f.add_targets(targets, who=who)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    at = "2025-06-14T10:00:00+08:00"
    for t in targets:
        indicators = SITE_INDICATORS if t.kind is Kind.WEBSITE else ACCOUNT_INDICATORS
        for indicator in indicators:
            state = "problem" if zlib.crc32(f"{t.key}{indicator}".encode()) % 17 == 0 else "ok"
            value = {
                "state": state,
                "note": "",
                "from_hint": None,
                "deduction": None,
                "count": None,
                "inspector": who,
                "updated_at": at,
            }
            conn.execute(
                "INSERT INTO results (target_key, indicator_id, state, note, inspector, updated_at)"
                " VALUES (?, ?, ?, '', ?, ?)",
                (t.key, indicator, state, who, at),
            )
            conn.execute(
                "INSERT INTO audit_log (at, who, action, target_key, indicator_id, new_value)"
                " VALUES (?, ?, 'set_result', ?, ?, ?)",
                (at, who, t.key, indicator, json.dumps(value, ensure_ascii=False, sort_keys=True)),
            )
        for kind, share in (("screenshot", 0.7), ("phone", 0.3)):
            data = os.urandom(int(evidence_bytes * share))
            digest = hashlib.sha256(data).hexdigest()
            conn.execute(
                "INSERT INTO evidence (target_key, kind, mime, filename, url, captured_at,"
                " inspector, sha256, size, content) VALUES (?, ?, 'image/png', ?, ?, ?, ?, ?, ?, ?)",
                (t.key, kind, f"{kind}-{digest[:12]}.png", t.url, at, who, digest, len(data), data),
            )
            conn.execute(
                "INSERT INTO audit_log (at, who, action, target_key, new_value)"
                " VALUES (?, ?, 'add_evidence', ?, ?)",
                (at, who, t.key, json.dumps({"sha256": digest, "size": len(data)})),
            )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def copy_floor(inputs: list[Path], target: Path) -> float:
    """Seconds to copy every input's bytes into one file and make it durable."""
    start = time.perf_counter()
    with target.open("wb") as out:
        for path in inputs:
            with path.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def timed_merge(inputs: list[Path], output: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of a merge in a fresh child process."""
    code = (
        "import sys, time, resource\n"
        "from pathlib import Path\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from inspector.merge import merge_files\n"
        "paths = [Path(p) for p in sys.argv[2:]]\n"
        "start = time.perf_counter()\n"
        "merge_files(paths, Path(sys.argv[1]))\n"
        "elapsed = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(elapsed, peak)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(output), *map(str, inputs)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak = done.stdout.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--targets", type=int, default=300)
    parser.add_argument("--evidence-kb", type=int, default=56, help="evidence per target, KiB")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the files afterwards")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure (median)")
    args = parser.parse_args()

    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-merge-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        inputs = []
        for index in range(args.files):
            path = work / f"2025Q2-检查员{index:02d}.sqlite"
            if not path.exists():
                build_file(path, index, args.targets, args.evidence_kb * 1024)
            inputs.append(path)
        total = sum(p.stat().st_size for p in inputs)
        # Measure warm and quiet: the files on disk (no writeback competing), then in the cache.
        os.sync()
        for path in inputs:
            with path.open("rb") as handle:
                while handle.read(1 << 22):
                    pass
        print(
            f"inputs: {len(inputs)} files, {total / 1e6:.0f} MB (built in {time.perf_counter() - start:.1f} s)"
        )

        output = work / "2025Q2.sqlite"
        floors: list[float] = []
        merges: list[tuple[float, float]] = []
        agains: list[tuple[float, float]] = []
        for _ in range(max(1, args.repeat)):
            # Each figure starts with nothing left for the disk to do from the one before (the
            # blocks of a deleted copy or replaced output, say), which would slow the next.
            os.sync()
            floors.append(copy_floor(inputs, work / "floor.bin"))
            output.unlink(missing_ok=True)
            os.sync()
            merges.append(timed_merge(inputs, output))
            os.sync()
            agains.append(timed_merge(inputs, output))
        floor = statistics.median(floors)
        seconds = statistics.median(s for s, _ in merges)
        again = statistics.median(s for s, _ in agains)
        peak = max(p for _, p in merges)
        again_peak = max(p for _, p in agains)

        def spread(values: list[float]) -> str:
            return f"{min(values):.2f}–{max(values):.2f} s over {len(values)} runs"

        print(f"copy floor:   {floor:6.2f} s ({total / 1e6 / floor:.0f} MB/s; {spread(floors)})")
        ratios = [s / f for (s, _), f in zip(merges, floors, strict=True)]
        print(
            f"merge:        {seconds:6.2f} s  = {seconds / floor:.2f}x the floor, peak {peak:.0f} MB"
            f" ({spread([s for s, _ in merges])}; each run against the floor measured beside it:"
            f" {min(ratios):.2f}–{max(ratios):.2f}x)"
        )
        print(
            f"merge again:  {again:6.2f} s  (nothing new), peak {again_peak:.0f} MB"
            f" ({spread([s for s, _ in agains])})"
        )
        print(f"output:       {output.stat().st_size / 1e6:.0f} MB")
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
