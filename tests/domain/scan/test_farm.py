"""The scanner against the fixture farm: precision and recall per hint kind (issue #3, "Done when").

One scan of a 32-site farm (every CMS layout, GBK pages, every planted problem twice or more, every
trap) is compared with the farm's ground truth on (site, kind, URL at fault, indicator). A hint
with the right kind and URL but the wrong indicator counts as a false alarm *and* a miss.
Precision and recall must be ≥ 0.95 for every kind, no trap may be reported, no host may see more
than the per-host cap of requests in flight, and the newest date must be exact for ≥ 95 % of the
columns whose dates the HTML shows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from inspector.scan import Fetcher, FetchLimits, FetchStats, TargetScan, make_client, scan_targets
from tests.fixtures.farm import Farm

PER_HOST = 4
TARGET = 0.95

Key = tuple[str, str, str, str | None]  # (site url, kind, url at fault, indicator)


def farm_limits() -> FetchLimits:
    """The real limits, with budgets short enough that the farm's hanging site costs seconds."""
    return FetchLimits(
        per_host=PER_HOST,
        connect_timeout=3,
        read_timeout=3,
        budget=3,
        retries=1,
        backoff=0.2,
        max_retry_after=2,
    )


async def scan_farm(farm: Farm, **kw: object) -> tuple[list[TargetScan], FetchStats]:
    fetcher = Fetcher(make_client(trust_env=False), farm_limits())
    try:
        scans = await scan_targets(
            farm.targets(),
            fetcher,
            profile=farm.profile,
            as_of=farm.as_of,
            concurrency=16,
            **kw,  # type: ignore[arg-type]
        )
        return scans, fetcher.stats
    finally:
        await fetcher.aclose()


@dataclass
class FarmScan:
    farm: Farm
    scans: dict[str, TargetScan]  # by homepage URL
    stats: FetchStats
    seconds: float


@pytest.fixture(scope="module")
def farm_scan() -> Iterator[FarmScan]:
    with Farm(32, seed=1) as farm:
        started = time.monotonic()
        scans, stats = asyncio.run(scan_farm(farm))
        seconds = time.monotonic() - started
        print(f"\n{farm.summary()}\nscan: {seconds:.1f} s, {stats.requests} requests")
        yield FarmScan(farm, {s.url: s for s in scans}, stats, seconds)


def _reported(result: FarmScan) -> set[Key]:
    return {(url, h.kind, h.url, h.indicator) for url, s in result.scans.items() for h in s.hints}


def test_precision_and_recall_per_hint_kind(farm_scan: FarmScan) -> None:
    expected = farm_scan.farm.expected_hints()
    reported = _reported(farm_scan)
    kinds = sorted({k[1] for k in expected | reported})
    rows, failures = [], []
    for kind in kinds:
        want = {k for k in expected if k[1] == kind}
        got = {k for k in reported if k[1] == kind}
        hits = len(want & got)
        precision = hits / len(got) if got else 1.0
        recall = hits / len(want) if want else 1.0
        rows.append(f"{kind:22} {len(want):8} {len(got):8} {precision:9.2f} {recall:6.2f}")
        if precision < TARGET or recall < TARGET:
            truth = farm_scan.farm.ground_truth
            failures += [
                f"false alarm {k[1]} {k[2]} {k[3]} ({truth[k[0]].role})" for k in got - want
            ]
            failures += [f"missed {k[1]} {k[2]} {k[3]} ({truth[k[0]].role})" for k in want - got]
    print("\nkind                   expected reported precision recall\n" + "\n".join(rows))
    assert not failures, "\n".join(failures)
    assert len(kinds) >= 13


def test_no_trap_is_reported(farm_scan: FarmScan) -> None:
    sprung = []
    for url, truth in farm_scan.farm.ground_truth.items():
        scan = farm_scan.scans[url]
        for hint in scan.hints:
            if hint.url in truth.traps:
                sprung.append(f"{hint.kind} on {hint.url}: {truth.traps[hint.url]}")
            if hint.url.startswith(("mailto:", "javascript:", "tel:")) or "#" in hint.url:
                sprung.append(f"{hint.kind} on a link that is not a page: {hint.url}")
        states = {c.url: c.state for c in scan.columns}
        for column in truth.columns:
            if column.state == "unknown":
                assert states.get(column.url) == "unknown", (column.url, states.get(column.url))
    assert not sprung, "\n".join(sprung)
    assert farm_scan.farm.served_503 == 0  # the overload trap host never had to refuse us
    targets = [r.target for r in farm_scan.farm.requests]
    assert not [t for t in targets if "mailto" in t or "javascript" in t or "tel:" in t]


def test_politeness_per_host_cap(farm_scan: FarmScan) -> None:
    peaks = farm_scan.farm.max_inflight
    assert max(peaks.values()) <= PER_HOST, {h: n for h, n in peaks.items() if n > PER_HOST}
    assert max(farm_scan.stats.per_host_peak.values()) <= PER_HOST


def test_newest_date_exact_for_95_percent_of_dated_columns(farm_scan: FarmScan) -> None:
    total = exact = 0
    wrong = []
    for url, truth in farm_scan.farm.ground_truth.items():
        reported = {c.url: c for c in farm_scan.scans[url].columns}
        for column in truth.columns:
            if not column.dated or column.latest is None:
                continue
            total += 1
            got = reported.get(column.url)
            if got is not None and got.latest == column.latest:
                exact += 1
            else:
                wrong.append(
                    f"{truth.layout}/{truth.variant} {column.name} {column.url}: expected"
                    f" {column.latest}, got {got.latest if got else 'no column'}"
                )
    print(f"\nnewest date exact for {exact} of {total} dated columns")
    assert total >= 80
    assert exact >= 0.95 * total, "\n".join(wrong)


def test_column_states_and_reachability(farm_scan: FarmScan) -> None:
    total = right = 0
    wrong = []
    for url, truth in farm_scan.farm.ground_truth.items():
        scan = farm_scan.scans[url]
        assert scan.reachable == truth.reachable, (truth.role, url)
        reported = {c.url: c for c in scan.columns}
        for column in truth.columns:
            if column.state is None:
                continue
            total += 1
            got = reported.get(column.url)
            if got is not None and got.state == column.state and got.kind == column.kind:
                right += 1
            else:
                wrong.append(f"{column.name} {column.url}: {column.state}/{column.kind}, got {got}")
    assert right >= 0.95 * total, "\n".join(wrong)


def test_no_spurious_columns(farm_scan: FarmScan) -> None:
    """Article links of a homepage box (e.g. in <td class="tit"> rows) are not columns."""
    extra = [
        f"{truth.layout}: {c.name} {c.url}"
        for url, truth in farm_scan.farm.ground_truth.items()
        for c in farm_scan.scans[url].columns
        if c.url not in {t.url for t in truth.columns}
    ]
    assert not extra, f"{len(extra)} columns that are not columns, e.g.\n" + "\n".join(extra[:5])


def test_the_scan_is_quick(farm_scan: FarmScan) -> None:
    # 32 sites, ~1,900 requests, the hanging site's 2 × 3 s budget and the 2 s slow pages
    assert farm_scan.seconds < 40
