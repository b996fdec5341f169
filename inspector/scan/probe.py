"""W-V2 reachability: a week of timed visits per site, stored as probes, judged as a series.

The rule (国办秘函〔2019〕19号, W-V2): a site is monitored for ``monitor_days``, visited at least
``visits_per_day`` times a day at intervals; a visit fails when the site has not opened after
``timeout_seconds`` or more; the site is vetoed when failures are ``failure_ratio`` or more of all
visits. Every number comes from the indicator profile, never from this module, because provinces
change them. One visit never decides anything: until the series is complete the verdict is
``insufficient``.

Scheduling. Time is cut into slots of ``interval`` seconds on a grid anchored at the Unix epoch,
so a restarted run (or a second machine) sees the same slots: a slot that already holds a visit
in the findings file is never visited again, which is what makes the command resumable without
double visits. Within its slot each site has its own phase (sites are spread evenly across the
interval so they are not all hit at once) plus a deterministic jitter (seeded by site and slot,
so a restart plans the same moment). Missed slots (machine off) are lost, not made up: a burst of
catch-up visits would not be "at intervals".

What counts as a failed visit (the "opened" test):

* no complete answer within ``timeout_seconds`` (DNS, TCP, TLS handshake, timeout, a broken or
  endless redirect chain, a malformed answer) — failed;
* HTTP 5xx — failed: the server answered that it cannot serve the site;
* an answer that took ``timeout_seconds`` or more, even if complete — failed ("超过（含）15秒");
* HTTP 4xx other than anti-bot codes (e.g. a 404 homepage) — *opened*: the server is reachable and
  answered in time; a broken homepage is a content problem for the inspector, not W-V2. Such
  visits are counted separately (``http_errors``) so the table shows them;
* anti-bot / WAF answers (202 and 412 from challenge systems, 403, 429) — opened, outcome
  ``blocked``: a browser check is needed, the spec says these are not "inaccessible";
* a certificate that fails verification while the content was read anyway — opened, outcome
  ``tls_unverified`` (browsers let the visitor through after a warning);
* a body over the size cap — opened (it answered; it is just big).

Day windows for the verdict are 24 h long and start at the first visit's slot (on the profile's
nominal grid, 24 h / visits_per_day), so with the default interval each window holds whole slots
and "≥ 20 visits a day" is counted exactly. A window with fewer visits (the machine was off for a
while) does not count towards ``monitor_days``; the default run simply continues until enough
complete days exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import math
import random
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from inspector.profiles import Profile
from inspector.scan.fetch import Fetcher, FetchLimits, make_client
from inspector.scan.model import FetchError, FetchResult
from inspector.store import FindingsFile, Probe, iso_seconds
from inspector.targets import Kind, Target

__all__ = [
    "INDICATOR",
    "ProbeRules",
    "ProbeSummary",
    "Visit",
    "classify",
    "probe_fetcher",
    "probe_targets",
    "render_table",
    "run_probes",
    "summarise",
]

INDICATOR = "W-V2"
DAY = 86_400.0

#: Answers of anti-bot and WAF systems: the site is up but wants a browser (spec §6).
BLOCKED_STATUSES = frozenset({202, 403, 412, 429})
#: Fetch errors after which the site still "opened": an answer arrived in time.
_OPENED_ERRORS = frozenset({FetchError.TOO_LARGE})
#: Fetch errors that say nothing about the site (a URL the scanner will not visit).
_NOT_A_VISIT = frozenset({FetchError.UNSUPPORTED})
#: How the fetcher reports a failed read after a certificate failure (``fetch.Fetcher``).
_UNVERIFIED_READ = "unverified read: "
#: Share of the interval kept free at each end of a slot, so a visit never lands in the next slot.
_EDGE = 0.02
#: Jitter around each site's phase, as a share of the interval.
_JITTER = 0.1
#: Never two visits of one site closer than this share of the interval (restarts, catch-up).
_MIN_GAP = 0.5
#: Without ``until``, stop anyway this many monitor periods after the series began.
_MAX_PERIODS = 2


class Getter(Protocol):
    """What the probe needs from a fetcher: one GET, its outcome as a :class:`FetchResult`."""

    def get(self, url: str) -> Awaitable[FetchResult]: ...


@dataclass(frozen=True)
class ProbeRules:
    """The W-V2 thresholds of a profile, read once and checked, so a typo fails early."""

    monitor_days: int
    visits_per_day: int
    timeout_seconds: Decimal
    failure_ratio: Decimal

    @classmethod
    def of(cls, profile: Profile) -> ProbeRules:
        """Read the thresholds from the profile; ValueError naming the bad one."""

        def number(name: str) -> Decimal:
            value = profile.threshold(INDICATOR, name)
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                raise ValueError(f"{profile.id}: {INDICATOR}.{name} must be a number: {value!r}")
            return Decimal(value)

        days, per_day = number("monitor_days"), number("visits_per_day")
        timeout, ratio = number("timeout_seconds"), number("failure_ratio")
        if days < 1 or per_day < 1 or days != int(days) or per_day != int(per_day):
            raise ValueError(
                f"{profile.id}: {INDICATOR} monitor_days and visits_per_day must be whole numbers"
                f" ≥ 1, got {days} and {per_day}"
            )
        if timeout <= 0 or not 0 < ratio <= 1:
            raise ValueError(
                f"{profile.id}: {INDICATOR} needs timeout_seconds > 0 and 0 < failure_ratio ≤ 1,"
                f" got {timeout} and {ratio}"
            )
        return cls(int(days), int(per_day), timeout, ratio)

    @property
    def nominal_interval(self) -> float:
        """Seconds between visits that give exactly ``visits_per_day`` a day."""
        return DAY / self.visits_per_day

    @property
    def minimum_visits(self) -> int:
        """The fewest visits a complete series can have."""
        return self.monitor_days * self.visits_per_day


# --- one visit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """How one answer (or its absence) reads under the W-V2 rule."""

    ok: bool
    outcome: str
    error: str | None


def classify(result: FetchResult, *, timeout_seconds: Decimal | float) -> Visit | None:
    """Judge one fetch by the "opened within timeout_seconds" test; None when it was no visit.

    See the module docstring for why each case counts the way it does.
    """
    limit_ms = float(timeout_seconds) * 1000
    error = result.error
    if error in _NOT_A_VISIT:
        return None
    if error is FetchError.TLS and result.tls_unverified:
        # The certificate failed but the page was read anyway: judge that read.
        failed_read = result.error_detail.partition(_UNVERIFIED_READ)[2]
        if failed_read or result.status is None:
            outcome = failed_read.partition(":")[0].strip() or FetchError.TLS.value
            return Visit(False, outcome, result.error_detail or outcome)
        error = None
    if error is not None and error not in _OPENED_ERRORS:
        detail = result.error_detail or error.value
        return Visit(False, error.value, detail)
    if result.elapsed_ms >= limit_ms:
        return Visit(False, FetchError.TIMEOUT.value, f"answered after {result.elapsed_ms} ms")
    status = result.status
    if status is None:  # no error and no status: nothing usable arrived
        return Visit(False, FetchError.PROTOCOL.value, result.error_detail or "no answer")
    if status >= 500:
        return Visit(False, "http_5xx", f"HTTP {status}")
    if status in BLOCKED_STATUSES:
        return Visit(True, "blocked", f"HTTP {status}: anti-bot answer, check in a browser")
    if status >= 400:
        return Visit(True, "http_4xx", f"HTTP {status}: answered with an error page")
    if result.tls_unverified:
        return Visit(True, "tls_unverified", result.error_detail or "certificate not verified")
    if error is not None:
        return Visit(True, "ok", f"{error.value}: {result.error_detail}".rstrip(": "))
    return Visit(True, "ok", None)


def probe_fetcher(timeout_seconds: Decimal | float, *, concurrency: int = 16) -> Fetcher:
    """A fetcher set up for W-V2 visits; close it with ``aclose()`` (or ``async with``).

    One attempt per visit (a retry would hide exactly the failures W-V2 counts), every timeout at
    the rule's ``timeout_seconds``, and a global cap equal to the probe's own concurrency so no
    visit waits in the fetcher's queue while its clock runs. The per-host cap stays the scanner's
    polite default. A second, unverified client lets a site with a broken certificate be read,
    as a browser would after its warning.
    """
    seconds = float(timeout_seconds)
    limits = FetchLimits(
        total=max(1, concurrency),
        connect_timeout=seconds,
        read_timeout=seconds,
        budget=seconds,
        retries=0,
    )
    return Fetcher(
        make_client(limits=limits),
        limits,
        insecure_client=make_client(verify=False, limits=limits),
    )


# --- the series --------------------------------------------------------------------------------


@dataclass
class ProbeSummary:
    """One site's series judged against W-V2.

    ``days_covered`` counts 24-hour windows (from the first visit's slot) holding at least
    ``visits_per_day`` visits; ``visits_per_day`` here is the average actually achieved.
    ``complete`` means the series is long and dense enough for the rule; only then can the
    verdict be ``veto`` or ``ok``; before that it is ``insufficient``.
    """

    target_key: str
    visits: int
    failures: int
    ratio: Decimal
    days_covered: int
    visits_per_day: Decimal
    complete: bool
    verdict: str  # "veto" | "ok" | "insufficient"
    http_errors: int = 0  # visits answered 4xx (opened, but the page is broken)
    blocked: int = 0  # anti-bot answers (opened; check in a browser)
    first: str | None = None
    last: str | None = None


def _epoch(text: str) -> float:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.timestamp()


def summarise(
    probes: Iterable[Probe],
    *,
    profile: Profile,
    now: datetime,
    keys: Iterable[str] = (),
) -> list[ProbeSummary]:
    """Judge every site's probe series.

    Sites come in the order of ``keys`` (sites without probes get an empty, ``insufficient``
    summary), then any other site in the order of its first probe. Probes dated after ``now`` (a
    skewed clock on another machine) are left out. Identical probes (same site, URL and second,
    e.g. from a file merged twice) count once.
    """
    rules = ProbeRules.of(profile)
    cutoff = now.timestamp()
    series: dict[str, dict[tuple[str, str], Probe]] = {key: {} for key in keys}
    for probe in probes:
        bucket = series.setdefault(probe.target_key, {})
        if _epoch(probe.probed_at) <= cutoff:
            bucket.setdefault((probe.url, probe.probed_at), probe)
    return [_summary(key, list(found.values()), rules) for key, found in series.items()]


def _summary(key: str, probes: Sequence[Probe], rules: ProbeRules) -> ProbeSummary:
    visits = len(probes)
    if visits == 0:
        return ProbeSummary(key, 0, 0, Decimal(0), 0, Decimal(0), False, "insufficient")
    failures = sum(1 for p in probes if not p.ok)
    times = sorted(_epoch(p.probed_at) for p in probes)
    grid = rules.nominal_interval
    anchor = math.floor(times[0] / grid) * grid
    per_window: dict[int, int] = {}
    for moment in times:
        window = int((moment - anchor) // DAY)
        per_window[window] = per_window.get(window, 0) + 1
    days_covered = sum(1 for n in per_window.values() if n >= rules.visits_per_day)
    # Elapsed time runs to the end of the last visit's slot: 140 visits 72 min apart are 7 days.
    elapsed_days = Decimal(str((math.floor(times[-1] / grid) + 1) * grid - anchor)) / Decimal(
        str(DAY)
    )
    per_day = (Decimal(visits) / elapsed_days).quantize(Decimal("0.1"), ROUND_HALF_UP)
    complete = days_covered >= rules.monitor_days and visits >= rules.minimum_visits
    # Exact comparison: 7 failures of 140 visits is exactly 5 % and must veto.
    hit = Decimal(failures) >= rules.failure_ratio * visits
    verdict = ("veto" if hit else "ok") if complete else "insufficient"
    ordered = sorted(p.probed_at for p in probes)
    return ProbeSummary(
        target_key=key,
        visits=visits,
        failures=failures,
        ratio=(Decimal(failures) / Decimal(visits)).quantize(Decimal("0.0001"), ROUND_HALF_UP),
        days_covered=days_covered,
        visits_per_day=per_day,
        complete=complete,
        verdict=verdict,
        http_errors=sum(1 for p in probes if p.outcome == "http_4xx"),
        blocked=sum(1 for p in probes if p.outcome == "blocked"),
        first=ordered[0],
        last=ordered[-1],
    )


# --- the schedule ------------------------------------------------------------------------------


def _phase(index: int, count: int) -> float:
    """Where in the interval site ``index`` of ``count`` is visited: evenly spread, away from
    the slot edges so the jitter has room."""
    return _JITTER + (1 - 2 * _JITTER) * (index + 0.5) / max(count, 1)


def _offset(key: str, slot: int, phase: float) -> float:
    """The planned position inside a slot (0..1): the site's phase plus a jitter that is the
    same every time this site and slot are planned, so a restart plans the same moment."""
    jitter = random.Random(f"{key}|{slot}").uniform(-_JITTER, _JITTER)
    return min(max(phase + jitter, _EDGE), 1 - _EDGE)


def next_visit(key: str, phase: float, *, interval: float, now: float, last: float | None) -> float:
    """The next moment (epoch seconds, ≥ ``now``) to visit a site last visited at ``last``.

    Skips the slot of ``last`` (one visit per slot) and keeps ``_MIN_GAP`` of an interval between
    visits. When the planned moment of the current slot has passed (a start or restart mid-slot),
    the visit moves into what is left of the slot, at the site's phase of that remainder, so sites
    catching up are still spread out.
    """
    if last is not None and last > now + DAY:
        last = None  # a stamp from a wildly wrong clock must not stall the schedule
    slot = math.floor(now / interval)
    last_slot = None if last is None else math.floor(last / interval)
    for candidate in range(slot, max(slot, last_slot or slot) + 3):
        if candidate == last_slot:
            continue
        start = candidate * interval
        latest = start + (1 - _EDGE) * interval
        planned = start + _offset(key, candidate, phase) * interval
        lower = now if last is None else max(now, last + _MIN_GAP * interval)
        if planned >= lower:
            return planned
        if lower >= latest:
            continue
        return lower + (latest - lower) * phase
    raise AssertionError("unreachable: two slots after the last visit always have room")


# --- running a series --------------------------------------------------------------------------


Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
OnVisit = Callable[[Target, Probe], None]


def _local_now() -> datetime:
    return datetime.now().astimezone()


def probe_targets(targets: Iterable[Target]) -> list[Target]:
    """The targets W-V2 applies to: websites with an address."""
    return [t for t in targets if t.kind == Kind.WEBSITE and t.url]


@dataclass
class _Site:
    target: Target
    phase: float
    last: float | None
    task: asyncio.Task[None] | None = None


async def run_probes(
    targets: Sequence[Target],
    findings: FindingsFile,
    fetcher: Getter,
    *,
    profile: Profile,
    interval: float | None = None,
    until: datetime | None = None,
    clock: Clock = _local_now,
    sleep: Sleep = asyncio.sleep,
    on_visit: OnVisit | None = None,
    once: bool = False,
    concurrency: int = 16,
) -> list[ProbeSummary]:
    """Visit every website target on schedule until ``until``, storing each visit as it ends.

    ``interval`` defaults to the profile's 24 h / visits_per_day. Without ``until`` each site is
    probed until its series is complete (bounded at ``_MAX_PERIODS`` monitor periods after its
    first visit). ``once`` visits every site whose current slot holds no visit yet, then returns:
    for running from cron or the Task Scheduler. Targets missing from the file are added.

    ``clock`` and ``sleep`` are injected so a test can run a simulated week in seconds; ``sleep``
    is the only place the run waits for time to pass. Cancelling the run (Ctrl+C) cancels the
    visits in flight (they were not measured to the end, so nothing is stored for them); every
    finished visit is already committed. Returns the summaries of the probed sites.
    """
    rules = ProbeRules.of(profile)
    step = float(interval) if interval is not None else rules.nominal_interval
    if step <= 0:
        raise ValueError(f"interval must be positive, got {interval}")
    sites_targets = probe_targets(targets)
    known = {t.key for t in findings.targets()}
    missing = [t for t in sites_targets if t.key not in known]
    if missing:
        findings.add_targets(missing, who="probe")
    stored: dict[str, list[Probe]] = {t.key: [] for t in sites_targets}
    for probe in findings.probes():
        if probe.target_key in stored:
            stored[probe.target_key].append(probe)
    sites = [
        _Site(
            target,
            _phase(i, len(sites_targets)),
            max((_epoch(p.probed_at) for p in stored[target.key]), default=None),
        )
        for i, target in enumerate(sites_targets)
    ]
    limit_s = rules.timeout_seconds
    gate = asyncio.Semaphore(max(1, concurrency))

    def deadline(site: _Site) -> float:
        if until is not None:
            return until.timestamp()
        first = min((_epoch(p.probed_at) for p in stored[site.target.key]), default=None)
        begun = clock().timestamp() if first is None else first
        return begun + _MAX_PERIODS * rules.monitor_days * DAY + step

    def complete(site: _Site) -> bool:
        probes = stored[site.target.key]
        if len(probes) < rules.minimum_visits:
            return False
        return summarise(probes, profile=profile, now=clock())[0].complete

    async def visit(site: _Site, at: datetime) -> None:
        target = site.target
        url = target.url or ""
        try:
            # The hard guard is the rule itself: not opened within timeout_seconds = failed,
            # whatever the fetcher's own budgets say.
            async with asyncio.timeout(float(limit_s)):
                result = await fetcher.get(url)
        except TimeoutError:
            result = FetchResult(
                url=url,
                final_url=url,
                status=None,
                elapsed_ms=int(limit_s * 1000),
                error=FetchError.TIMEOUT,
                error_detail=f"not opened within {limit_s} s",
            )
        finally:
            gate.release()
        judged = classify(result, timeout_seconds=limit_s)
        if judged is None:
            return
        probe = Probe(
            target_key=target.key,
            url=url,
            probed_at=iso_seconds(at),
            ok=judged.ok,
            outcome=judged.outcome,
            status_code=result.status,
            elapsed_ms=result.elapsed_ms,
            error=judged.error,
        )
        findings.add_probe(probe)
        stored[target.key].append(probe)
        if on_visit is not None:
            on_visit(target, probe)

    async def launch(site: _Site) -> None:
        if site.task is not None and not site.task.done():
            await site.task  # never two visits of one site at once
        await gate.acquire()
        at = clock().replace(microsecond=0)
        site.last = at.timestamp()
        site.task = asyncio.create_task(visit(site, at))

    try:
        if once:
            now = clock().timestamp()
            slot = math.floor(now / step)
            for site in sites:
                if site.last is None or math.floor(site.last / step) != slot:
                    await launch(site)
        else:
            queue: list[tuple[float, int]] = []
            for index, site in enumerate(sites):
                now = clock().timestamp()
                planned = next_visit(
                    site.target.key, site.phase, interval=step, now=now, last=site.last
                )
                heapq.heappush(queue, (planned, index))
            while queue:
                planned, index = heapq.heappop(queue)
                site = sites[index]
                if planned >= deadline(site):
                    continue
                if until is None:
                    if site.task is not None and not site.task.done():
                        await site.task
                    if complete(site):
                        continue
                delay = planned - clock().timestamp()
                if delay > 0:
                    await sleep(delay)
                await launch(site)
                following = next_visit(
                    site.target.key,
                    site.phase,
                    interval=step,
                    now=clock().timestamp(),
                    last=site.last,
                )
                heapq.heappush(queue, (following, index))
        running = [s.task for s in sites if s.task is not None]
        await asyncio.gather(*running)
    except asyncio.CancelledError:
        running = [s.task for s in sites if s.task is not None and not s.task.done()]
        for task in running:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*running, return_exceptions=True)
        raise
    everything = [p for site in sites for p in stored[site.target.key]]
    return summarise(everything, profile=profile, now=clock(), keys=stored)


# --- the table ---------------------------------------------------------------------------------

VERDICT_LABELS = {
    "veto": "否决 veto (W-V2)",
    "ok": "正常 ok",
    "insufficient": "序列不足 insufficient series",
}


def _width(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, right: bool) -> str:
    pad = " " * max(0, width - _width(text))
    return pad + text if right else text + pad


def render_table(
    summaries: Sequence[ProbeSummary], names: Mapping[str, str], *, profile: Profile
) -> str:
    """The per-site table the ``probe`` command ends with: what each series holds, how far it is
    from complete by the profile's rule, and the verdict that series allows."""
    rules = ProbeRules.of(profile)
    header = (
        "站点 site",
        "访问 visits",
        "失败 failed",
        "失败率 ratio",
        "天数 days",
        "次/天 per day",
        "4xx",
        "拦截 blocked",
        "结论 verdict",
    )
    rows = [
        (
            names.get(s.target_key, s.target_key),
            str(s.visits),
            str(s.failures),
            f"{(s.ratio * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)} %",
            f"{s.days_covered}/{rules.monitor_days}",
            f"{s.visits_per_day}/{rules.visits_per_day}",
            str(s.http_errors),
            str(s.blocked),
            VERDICT_LABELS.get(s.verdict, s.verdict),
        )
        for s in summaries
    ]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            _cell(value, widths[i], right=0 < i < len(header) - 1) for i, value in enumerate(row)
        ).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(
        f"规则 rule ({profile.id}): {rules.monitor_days} 天 days × ≥{rules.visits_per_day} 次/天"
        f" visits a day; {rules.timeout_seconds} 秒 s 未打开即失败 = failed;"
        f" 失败率 ≥ {(rules.failure_ratio * 100).normalize()} % 否决 = veto."
        " 4xx/拦截 blocked: 已打开但需人工查看 / opened, check in a browser."
    )
    return "\n".join(lines)
