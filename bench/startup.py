"""bench/startup: cold start to a usable window with a 1,000-target findings file, and memory after
opening 50 targets in turn in the browser.

    .venv/bin/python bench/startup.py [--targets 1000] [--runs 3] [--visits 50]

The parent process serves the demo sites on 127.0.0.1, writes a findings file of ``--targets``
targets pointing at them (the demo's sites and accounts, repeated with distinct keys), then starts
the app in fresh child processes, as a user would, each with an empty settings folder:

- cold start: from just before the child is spawned until the window is shown with the whole
  list and its event loop answers (a zero-delay timer fired); also until the first page loaded.
  The median of ``--runs`` children is printed (goal: under 2 s).
- memory: one child then opens ``--visits`` targets in turn, waiting for each page, and reports
  the memory of the app and its Chromium helper processes (PSS, which counts shared pages once),
  the main process's RSS, and how many web pages and renderer processes are alive (one page is
  reused, so pages must not pile up; goal: under 1.5 GB).

Linux only (memory is read from /proc). Exits non-zero when a child fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START_GOAL_S = 2.0
MEMORY_GOAL_MB = 1536
PAGE_TIMEOUT_S = 30.0


# --- the findings file ---------------------------------------------------------------------------


def make_findings(path: Path, base_url: str, count: int) -> None:
    """A findings file with ``count`` targets cycling through the demo's sites and accounts."""
    from dataclasses import replace

    from inspector.demo import demo_entries
    from inspector.store import FindingsFile

    entries = demo_entries()
    targets = []
    for number in range(count):
        entry = entries[number % len(entries)]
        target = entry.target(base_url)
        suffix = f"{number:04d}"
        targets.append(
            replace(
                target,
                key=f"{target.key}-{suffix}",
                name=f"{target.name}（{suffix}）",
                url=f"{target.url}?n={suffix}",
                site_code=f"{target.site_code}{suffix}" if target.site_code else None,
            )
        )
    with FindingsFile.create(
        path, quarter="2025Q2", inspector="基准测试", profile_id="national-2019"
    ) as findings:
        findings.add_targets(targets, who="基准测试")


# --- memory (Linux /proc) ------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child in tree.get(current, []):
            found.append(child)
            todo.append(child)
    return found


def _field_kb(path: Path, name: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mb(pid: int) -> dict[str, float]:
    """PSS of the process and its descendants (Chromium's helpers), and RSS figures."""
    processes = [pid, *_children(pid)]
    pss = sum(_field_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss") for p in processes)
    rss_total = sum(_field_kb(Path(f"/proc/{p}/status"), "VmRSS") for p in processes)
    return {
        "pss_mb": round(pss / 1024, 1),
        "rss_tree_mb": round(rss_total / 1024, 1),
        "rss_main_mb": round(_field_kb(Path(f"/proc/{pid}/status"), "VmRSS") / 1024, 1),
        "processes": len(processes),
    }


# --- the child: the real app ---------------------------------------------------------------------


async def _wait_load(window: object, timeout: float) -> bool:
    loaded: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def done(ok: bool, _elapsed: int) -> None:
        if not loaded.done():
            loaded.set_result(ok)

    window.browser.load_finished.connect(done)  # type: ignore[attr-defined]
    try:
        return await asyncio.wait_for(loaded, timeout)
    except TimeoutError:
        return False
    finally:
        window.browser.load_finished.disconnect(done)  # type: ignore[attr-defined]


def child(workspace: Path, started: float, visits: int) -> int:
    """Open the app on ``workspace``; report timings (and memory after ``visits`` targets)."""
    from ui.app import run

    report: dict[str, object] = {}

    async def session(window: object) -> int:
        from PySide6.QtCore import QTimer
        from PySide6.QtWebEngineCore import QWebEnginePage

        answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        QTimer.singleShot(0, lambda: answered.done() or answered.set_result(None))
        await answered
        report["ready_s"] = time.time() - started
        report["targets"] = len(window.target_list.target_keys())  # type: ignore[attr-defined]
        first_ok = window.browser.last_elapsed_ms is not None or await _wait_load(  # type: ignore[attr-defined]
            window, PAGE_TIMEOUT_S
        )
        report["first_page_s"] = time.time() - started
        report["first_page_ok"] = bool(first_ok)
        if visits:
            report["before"] = memory_mb(os.getpid())
            keys = window.target_list.target_keys()[1 : visits + 1]  # type: ignore[attr-defined]
            failed = 0
            began = time.monotonic()
            for key in keys:
                waiting = asyncio.ensure_future(_wait_load(window, PAGE_TIMEOUT_S))
                await asyncio.sleep(0)
                window.select_target(key)  # type: ignore[attr-defined]
                failed += not await waiting
            report["visits"] = len(keys)
            report["visit_failures"] = failed
            report["visit_s"] = round(time.monotonic() - began, 2)
            await asyncio.sleep(1.0)  # let Chromium settle (freed renderers exit)
            report["after"] = memory_mb(os.getpid())
            report["pages"] = len(window.findChildren(QWebEnginePage))  # type: ignore[attr-defined]
        return 0

    code = run(workspace, session=session)
    print("REPORT " + json.dumps(report), flush=True)
    return code


# --- the parent ----------------------------------------------------------------------------------


def start_child(workspace: Path, home: Path, visits: int) -> dict[str, object]:
    env = dict(os.environ)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env.pop(name, None)
    env["HOME"] = str(home)
    started = time.time()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(workspace), str(started), str(visits)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("REPORT ")), None)
    if done.returncode != 0 or line is None:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"the app failed (exit {done.returncode})")
    report: dict[str, object] = json.loads(line[len("REPORT ") :])
    report["exit_s"] = time.time() - started
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--visits", type=int, default=50)
    args = parser.parse_args()

    from inspector.demo import DemoServer

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder, DemoServer() as server:
        workspace = Path(folder) / "bench-1000.sqlite"
        make_findings(workspace, server.base_url, args.targets)
        runs = []
        for number in range(args.runs):
            home = Path(folder) / f"home-{number}"
            home.mkdir()
            runs.append(start_child(workspace, home, 0))
        ready = statistics.median(float(r["ready_s"]) for r in runs)
        first = statistics.median(float(r["first_page_s"]) for r in runs)
        each = ", ".join(f"{float(r['ready_s']):.2f}" for r in runs)
        print(f"targets in the file: {runs[0]['targets']}")
        print(
            f"cold start to a usable window: {ready:.2f} s median of {len(runs)} runs "
            f"({each}); goal < {START_GOAL_S:.0f} s"
        )
        print(f"cold start to the first page loaded: {first:.2f} s median")

        home = Path(folder) / "home-memory"
        home.mkdir()
        memory = start_child(workspace, home, args.visits)
        before, after = memory["before"], memory["after"]
        print(
            f"memory after opening {memory['visits']} targets in turn "
            f"({memory['visit_failures']} failed loads, {memory['visit_s']} s): "
            f"{after['pss_mb']:.0f} MB PSS of the app and its Chromium processes "  # type: ignore[index]
            f"(RSS sum {after['rss_tree_mb']:.0f} MB, main process {after['rss_main_mb']:.0f} MB); "  # type: ignore[index]
            f"after the first page {before['pss_mb']:.0f} MB; goal < {MEMORY_GOAL_MB} MB"  # type: ignore[index]
        )
        print(
            f"pages released: {memory['pages']} web page alive after {memory['visits']} targets; "
            f"{after['processes']} processes (app and Chromium helpers), "  # type: ignore[index]
            f"{before['processes']} after the first page"  # type: ignore[index]
        )
        ok = ready < START_GOAL_S and float(after["pss_mb"]) < MEMORY_GOAL_MB  # type: ignore[index]
        ok = ok and memory["pages"] == 1 and not memory["visit_failures"]
        print("goals met" if ok else "GOALS NOT MET")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child(Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])))
    sys.exit(main())
