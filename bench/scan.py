"""bench/scan: how close a scan comes to the speed that politeness and latency allow.

Run it from the repository root:

    .venv/bin/python bench/scan.py                # 120 sites, 50 ms latency, per-host cap 4
    .venv/bin/python bench/scan.py --sites 40 --no-linkchecker

What it does, and why each step is done that way:

1. Starts the fixture farm (``tests/fixtures/farm.py``): ``--sites`` generated government sites,
   each on its own loopback address, every answer delayed by ``--latency-ms``.
2. Runs the real scan (``inspector.scan.crawl.scan_targets`` over the real ``Fetcher``) in a
   *child process*, so the peak memory reported (``ru_maxrss`` from ``wait4``) is the scanner's
   alone, not the farm's, and the farm's event loop does not share the scanner's GIL.
3. Derives the limit. With a per-host cap ``c``, a global cap ``G``, ``n`` hosts and a latency
   ``L`` per request, no polite client can do more than ``min(n·c, G) / L`` requests a second,
   and no host can be served faster than ``c / L``. With ``N`` requests needed in all and
   ``N_h`` on the busiest host, the scan cannot finish sooner than
   ``T_min = max(N · L / min(n·c, G), N_h · L / c)``. The requests counted are the ones the farm
   actually answered during the scan (refused connections cost no latency and are not counted).
4. Runs LinkChecker (PyPI ``linkchecker``, installed into the venv when missing) on the same
   sites, recursion level 2 (homepage, the pages it links, and the links on those: what our scan
   covers: homepage, column pages and their page 2, every link on them checked), external links
   checked, 32 threads as our global cap. LinkChecker 10 has no per-host connection cap (the
   ``maxconnections*`` settings are gone); its per-host limit is ``maxrequestspersecond``, set to
   ``c / L``, the most our cap allows one host. It also keeps 0.1–0.6 s between two requests to
   one host unless the server sends a ``LinkChecker`` header; that is LinkChecker as shipped.

Both children may only talk to 127.0.0.0/8: an audit hook refuses any other connect and any
name lookup that is not a loopback address, and proxies from the environment are dropped. Every
wait is bounded (child timeouts, LinkChecker's ``maxrunseconds``), so the bench always ends.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHILD_TIMEOUT_S = 900  # a child still running then is killed and the bench says so
LINKCHECKER_MAX_RUN_S = 300  # LinkChecker is stopped then; its rate so far is what is reported
GLOBAL_CAP = 32  # the Fetcher's default global cap; LinkChecker gets as many threads


# --- loopback only -----------------------------------------------------------------------------

_GUARD = r"""
import ipaddress as _ip, socket as _socket, sys as _sys

def _loopback(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or host == "localhost":
        return True
    try:
        return _ip.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False

def _guard(event, args):
    if event == "socket.getaddrinfo" and not _loopback(args[0]):
        raise _socket.gaierror(_socket.EAI_NONAME, f"bench: only 127.0.0.0/8, not {args[0]!r}")
    if event == "socket.connect":
        sock, address = args
        if sock.family in (_socket.AF_INET, _socket.AF_INET6) and not _loopback(address[0]):
            raise PermissionError(f"bench: only 127.0.0.0/8, not {address[0]!r}")

_sys.addaudithook(_guard)
"""


def _child_env() -> dict[str, str]:
    """The environment for a child: no proxies (a proxy would take requests off loopback)."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["NO_PROXY"] = "*"
    return env


def _run_child(command: list[str]) -> tuple[int, str, float, int]:
    """Run a child; returns exit code, stdout, wall seconds and its peak RSS in KiB (wait4)."""
    started = time.monotonic()
    with tempfile.TemporaryFile(mode="w+") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=_child_env())
        deadline = started + CHILD_TIMEOUT_S
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        wall = time.monotonic() - started
        out.seek(0)
        return child.returncode, out.read(), wall, usage.ru_maxrss if usage else 0


# --- the scan child ----------------------------------------------------------------------------


def _scan_child(sample: Path, per_host: int, concurrency: int | None) -> int:
    """Scan every site of the sample and print one JSON line of figures."""
    import asyncio
    import resource

    from inspector.profiles import DEFAULT_PROFILE, load_profile
    from inspector.samples import read_sample
    from inspector.scan.crawl import scan_targets
    from inspector.scan.fetch import Fetcher, FetchLimits, make_client
    from tests.fixtures.farm import AS_OF

    targets = read_sample(sample).targets
    profile = load_profile(DEFAULT_PROFILE)
    finished: list[float] = []

    async def scan() -> dict[str, Any]:
        limits = FetchLimits(per_host=per_host, total=GLOBAL_CAP)
        fetcher = Fetcher(
            make_client(trust_env=False, limits=limits),
            limits,
            insecure_client=make_client(verify=False, trust_env=False, limits=limits),
        )
        async with fetcher:
            started = time.monotonic()

            def on_event(event: Any) -> None:
                if event.kind == "target_finished":
                    finished.append(time.monotonic() - started)

            if concurrency is None:  # the crawl's own default
                scans = await scan_targets(
                    targets, fetcher, profile=profile, as_of=AS_OF, on_event=on_event
                )
            else:
                scans = await scan_targets(
                    targets,
                    fetcher,
                    profile=profile,
                    as_of=AS_OF,
                    on_event=on_event,
                    concurrency=concurrency,
                )
            wall = time.monotonic() - started
            stats = fetcher.stats
        finished.sort()
        return {
            "wall": wall,
            "sites": len(scans),
            "pages": sum(s.pages_fetched for s in scans),
            "hints": sum(len(s.hints) for s in scans),
            "requests": stats.requests,
            "max_in_flight": stats.max_in_flight,
            "max_per_host": stats.max_per_host,
            "retries": stats.retries,
            "site_p50": finished[len(finished) // 2] if finished else 0.0,
            "site_p90": finished[int(len(finished) * 0.9)] if finished else 0.0,
            # The longest a homepage kept the scan waiting (a hanging site: one visit, at the
            # 15 s rule); the farm does not log requests it never answers.
            "slowest_home_s": max((s.elapsed_ms or 0 for s in scans), default=0) / 1000,
        }

    figures = asyncio.run(scan())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures["cpu_s"] = usage.ru_utime + usage.ru_stime
    print(json.dumps(figures))
    return 0


# --- the parent --------------------------------------------------------------------------------


def _cpu_seconds() -> float:
    """CPU time of this process (the farm's threads), not of the children."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _served(farm: Any) -> tuple[int, Counter[str], int]:
    """Requests the farm answered since its last reset: total, per host, and GETs."""
    records = farm.requests
    per_host = Counter(r.host for r in records)
    gets = sum(1 for r in records if r.method == "GET")
    return len(records), per_host, gets


def _busy_bound(farm: Any, cap: int) -> tuple[float, float]:
    """A second bound, from how long the farm actually took over each request (its latency plus
    the waits some sites impose, such as slow pages): with at most ``cap`` in flight per host
    and GLOBAL_CAP in all, no schedule finishes sooner than
    ``max(Σ durations / G, max_h Σ durations_h / c, longest request)``. Returns that bound and
    the longest request."""
    busy: dict[str, float] = {}
    longest = 0.0
    for record in farm.requests:
        spent = max(0.0, record.ended - record.started)
        busy[record.host] = busy.get(record.host, 0.0) + spent
        longest = max(longest, spent)
    total = sum(busy.values())
    return max(total / GLOBAL_CAP, max(busy.values(), default=0.0) / cap, longest), longest


def _limit(
    requests: int, per_host: Counter[str], cap: int, latency_s: float
) -> tuple[float, float]:
    """(requests a second allowed, the shortest possible wall time) for this work."""
    hosts = max(1, len(per_host))
    rate = min(hosts * cap, GLOBAL_CAP) / latency_s
    busiest = max(per_host.values(), default=0)
    return rate, max(requests / rate, busiest * latency_s / cap)


def _ensure_linkchecker() -> Path | None:
    exe = Path(sys.executable).with_name("linkchecker")
    if exe.exists():
        return exe
    print("installing linkchecker into the venv (pip) ...", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "linkchecker"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 or not exe.exists():
        print(f"could not install linkchecker: {done.stderr.strip()[-400:]}")
        return None
    return exe


def _linkchecker_command(urls: list[str], config: Path) -> list[str]:
    run = (
        _GUARD + "import sys\n"
        "from linkcheck.command.linkchecker import linkchecker\n"
        "sys.argv = ['linkchecker', *sys.argv[1:]]\n"
        "sys.exit(linkchecker())\n"
    )
    return [
        sys.executable,
        "-c",
        run,
        "--config",
        str(config),
        "--threads",
        str(GLOBAL_CAP),
        "--recursion-level",
        "2",
        "--check-extern",
        "--timeout",
        "15",
        "--no-status",
        "--no-warnings",
        "--output",
        "text",
        *urls,
    ]


def _checked_urls(output: str) -> int | None:
    """LinkChecker's own count, from "That's it. N links in M URLs checked." """
    for line in reversed(output.splitlines()):
        if "URLs checked" in line or "URL checked" in line:
            words = line.replace(",", "").split()
            numbers = [int(w) for w in words if w.isdigit()]
            if numbers:
                return numbers[-1]
    return None


def _bench(args: argparse.Namespace) -> int:
    from tests.fixtures.farm import Farm

    latency_s = args.latency_ms / 1000
    print(
        f"bench/scan: {args.sites} farm sites, {args.latency_ms} ms latency, per-host cap "
        f"{args.per_host}, global cap {GLOBAL_CAP}",
        flush=True,
    )
    farm = Farm(args.sites, seed=args.seed, latency_ms=args.latency_ms)
    farm.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
            sample = farm.write_sample(Path(tmp) / "sample.csv")
            farm.reset_stats()
            command = [
                sys.executable,
                "-c",
                _GUARD + "import sys; from bench.scan import main; sys.exit(main(sys.argv[1:]))",
                "--child-scan",
                str(sample),
                "--per-host",
                str(args.per_host),
            ]
            if args.site_concurrency is not None:
                command += ["--site-concurrency", str(args.site_concurrency)]
            farm_cpu = _cpu_seconds()
            code, out, _child_wall, rss_kib = _run_child(command)
            farm_cpu = _cpu_seconds() - farm_cpu
            lines = out.strip().splitlines()
            if code != 0 or not lines:
                print(f"the scan child failed (exit {code})")
                return 1
            figures = json.loads(lines[-1])
            served, per_host, _gets = _served(farm)
            politeness = max(farm.max_inflight.values(), default=0)
            rate, t_min = _limit(served, per_host, args.per_host, latency_s)
            scan_wall = figures["wall"]
            pages = figures["pages"]
            print()
            print("our scan (inspector.scan.crawl, real Fetcher, child process)")
            print(
                f"  sites {figures['sites']}, pages fetched {pages}, requests made "
                f"{figures['requests']} ({served} answered by the farm on {len(per_host)} hosts, "
                f"busiest host {max(per_host.values(), default=0)}), hints {figures['hints']}"
            )
            print(
                f"  wall {scan_wall:.1f} s (half the sites done by {figures['site_p50']:.1f} s, "
                f"90 % by {figures['site_p90']:.1f} s), CPU {figures['cpu_s']:.1f} s"
            )
            print(
                f"  pages/s {pages / scan_wall:.1f}; requests/s {served / scan_wall:.1f}; "
                f"peak memory {rss_kib / 1024:.0f} MB (ru_maxrss of the scan process)"
            )
            print(
                f"  the farm (this process) used {farm_cpu:.1f} s of CPU meanwhile "
                f"({farm_cpu / scan_wall:.0%} of one core)"
            )
            print(
                f"  politeness: at most {politeness} requests in flight on one host (farm's "
                f"record; cap {args.per_host}), at most {figures['max_in_flight']} in all"
            )
            print()
            print("the limit")
            print(
                f"  rate = min(n·c, G) / L = min({len(per_host)}·{args.per_host}, {GLOBAL_CAP})"
                f" / {latency_s:g} s = {rate:.0f} requests/s; busiest host ≤ c / L = "
                f"{args.per_host / latency_s:.0f} requests/s"
            )
            print(
                f"  T_min = max(N / rate, N_busiest · L / c) = max({served} / {rate:.0f}, "
                f"{max(per_host.values(), default=0)} · {latency_s:g} / {args.per_host}) = "
                f"{t_min:.1f} s  → limit {pages / t_min:.1f} pages/s"
            )
            print(
                f"  ratio: scan takes {scan_wall / t_min:.1f}× the limit "
                f"({pages / scan_wall:.1f} of {pages / t_min:.1f} pages/s)"
            )
            bound, longest = _busy_bound(farm, args.per_host)
            hang = figures["slowest_home_s"]
            bound = max(bound, hang)
            print(
                f"  with the waits the sites impose (slow pages, longest answer {longest:.1f} s;"
                f" a hanging homepage held the scan {hang:.1f} s, one visit at the 15 s rule):"
                f" no schedule beats {bound:.1f} s → scan takes "
                f"{scan_wall / bound:.1f}× that"
            )

            if args.no_linkchecker:
                return 0
            exe = _ensure_linkchecker()
            if exe is None:
                return 1
            config = Path(tmp) / "linkcheckerrc"
            config.write_text(
                "[checking]\n"
                f"maxrequestspersecond={args.per_host / latency_s:g}\n"
                f"maxrunseconds={LINKCHECKER_MAX_RUN_S}\n"
                "[output]\nstatus=0\n",
                encoding="utf-8",
            )
            os.chmod(tmp, 0o755)  # LinkChecker running as root drops to "nobody"
            os.chmod(config, 0o644)
            farm.reset_stats()
            code, out, lc_wall, lc_rss = _run_child(_linkchecker_command(farm.urls, config))
            lc_served, lc_hosts, _lc_gets = _served(farm)
            checked = _checked_urls(out)
            print()
            print(
                f"LinkChecker (recursion 2, {GLOBAL_CAP} threads, "
                f"maxrequestspersecond={args.per_host / latency_s:g} per host)"
            )
            stopped = (
                f" (did not finish: stopped by maxrunseconds={LINKCHECKER_MAX_RUN_S})"
                if lc_wall >= LINKCHECKER_MAX_RUN_S
                else ""
            )
            print(
                f"  URLs checked (its own count) {checked if checked is not None else '?'}, "
                "requests answered by"
                f" the farm {lc_served} on {len(lc_hosts)} hosts, exit {code}{stopped}"
            )
            print(
                f"  wall {lc_wall:.1f} s; requests/s {lc_served / lc_wall:.1f}; "
                f"URLs/s {(checked or 0) / lc_wall:.1f}; peak memory {lc_rss / 1024:.0f} MB"
            )
            print(
                f"  politeness: at most {max(farm.max_inflight.values(), default=0)} requests in"
                " flight on one host (farm's record)"
            )
            if stopped and lc_served:
                print(
                    f"  at that rate, the {served} requests our scan needed would take "
                    f"{served / (lc_served / lc_wall):.0f} s"
                )
            print()
            ours, theirs = served / scan_wall, lc_served / lc_wall
            verdict = (
                f"LinkChecker did not finish in {LINKCHECKER_MAX_RUN_S} s"
                if stopped
                else f"ours finished {lc_wall / scan_wall:.1f}× sooner"
            )
            print(
                f"summary: our scan {scan_wall:.1f} s, {ours:.0f} requests/s, "
                f"{pages / scan_wall:.1f} pages/s, {rss_kib / 1024:.0f} MB; LinkChecker "
                f"{lc_wall:.1f} s, {theirs:.1f} requests/s, {lc_rss / 1024:.0f} MB; "
                f"{verdict}; by request rate ours is {ours / max(theirs, 1e-9):.0f}× faster"
            )
    finally:
        farm.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line: the bench by default; ``--child-scan SAMPLE`` is the measured child."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sites", type=int, default=120)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--site-concurrency",
        type=int,
        default=None,
        help="sites scanned at once (default: the crawl's own default)",
    )
    parser.add_argument("--no-linkchecker", action="store_true")
    parser.add_argument("--child-scan", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_scan is not None:
        return _scan_child(args.child_scan, args.per_host, args.site_concurrency)
    return _bench(args)


if __name__ == "__main__":
    sys.exit(main())
