"""One scan of a sample: for each website, its homepage, its columns and their page 2, its links.

This is orchestration only: the Fetcher decides how politely bytes are fetched, ``pages`` what a
page shows, ``detectors`` which hints follow. What this module adds is the order of the work and
its bounds:

- Sites run in parallel (``concurrency``, by default the Fetcher's global cap: a site spends
  much of its time on one homepage request or on a short tail, so fewer sites than the cap
  leave the cap idle); within a site the Fetcher's per-host cap is the only limit. A site
  waiting for its homepage does not count: up to ``_HOME_LOOKAHEAD`` times as many homepages
  are requested ahead, so a homepage that hangs for its 15 s (one visit: a timeout is not
  retried, see ``fetch``) holds no slot that a working site could use.
- Within a site nothing waits for a phase to end: once the homepage is parsed, its column pages
  are requested and its links checked at the same time, and each column's links join the checks
  as soon as that column (and every column before it, so that the order and the per-site cap
  stay those of a sequential scan) is read. A link that turns out to be a page fetched as a
  column or page 2 is dropped from the link results (the fetch decides), at worst one request
  more.
- Decoding and parsing run in worker threads (``asyncio.to_thread``): a 2 MB page takes lxml
  tens of milliseconds, and the desktop app runs this on the Qt event loop, which must never
  stall for more than 100 ms.
- A homepage that does not answer, answers with a challenge, or is a stand-in page (maintenance,
  soft 404) stops the site early with that one hint: the other checks would judge the stand-in.
- The links and images of the homepage and of each column's first page are checked once per site
  (homepage first, so a dead link shown on the homepage counts toward the homepage indicator),
  same-site and external alike; never pages already fetched as columns or page 2, never mailto:,
  javascript:, tel: or #anchors, and at most ``max_links`` per site (the rest are counted in a
  ``progress`` event). A link to another host is checked once per scan and its result shared by
  every site that shows it (``_SharedChecks``): government sites link to the same few outside
  pages (the ICP and police filing portals, 政府网站找错), and asking that host the same question
  for every site only queued the scan behind its per-host cap.
- A TLS failure on the homepage is recorded as a ``tls_error`` hint and the site is read without
  verification (when the Fetcher has an insecure client), since many government sites have
  broken certificates and their content still needs judging.
- An account target with a URL (profile or latest article) gets one GET: its latest post date
  (``latest_post`` in the JSON, an ``account_stale`` hint past the M-V2 window) and a function
  marker ("该功能正在开发中", "小程序已过期" … → ``function_unusable``), read by ``accounts``.
- Cancellation (the inspector closes the window, Ctrl+C) propagates: every task of the scan is
  in a TaskGroup, so cancelling the caller cancels them all and nothing keeps running.

Progress goes out as plain ``ScanEvent`` values through a callback; a Qt controller turns them
into signals, the CLI into a progress bar.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urlsplit

from inspector.profiles import Profile
from inspector.scan.accounts import (
    PostDate,
    account_hints,
    function_markers,
    function_markers_of,
    latest_post,
)
from inspector.scan.decode import decode_html
from inspector.scan.detectors import (
    bilingual,
    column_hints,
    column_report,
    home_hints,
    indicator_for,
    link_hints,
    unreachable_hint,
)
from inspector.scan.fetch import Fetcher
from inspector.scan.model import (
    ColumnRef,
    ColumnReport,
    ColumnState,
    FetchError,
    FetchResult,
    HomePage,
    Link,
    ListPage,
    TargetScan,
)
from inspector.scan.pages import looks_soft_404, parse_home, parse_list
from inspector.store import Hint
from inspector.targets import Kind, Target

__all__ = [
    "EVENT_KINDS",
    "MAX_COLUMNS",
    "MAX_LINKS",
    "ScanEvent",
    "scan_target",
    "scan_targets",
]

MAX_COLUMNS = 60
MAX_LINKS = 500  # links checked per site; the rest are counted in a progress event
_COLUMN_TASKS = 8  # column pages of one site in the queue at once (at least the per-host cap)
_LINK_TASKS = 16  # link checks of one site in the queue at once (at least the per-host cap)
_HOME_LOOKAHEAD = 4  # homepages requested ahead, per site slot (only one request each)
_CHECKED_SCHEMES = frozenset({"http", "https"})
_SHARED_LINKS = 1000  # results of links to other hosts kept for the other sites of a scan

EVENT_KINDS = ("target_started", "page_fetched", "hint", "target_finished", "progress")


@dataclass(frozen=True)
class ScanEvent:
    """One step of a scan, for progress displays. ``done`` / ``total`` count finished targets.

    ``kind`` is one of ``EVENT_KINDS``; ``hint`` is set on ``"hint"`` events; ``detail`` is a
    short human-readable line (the page fetched, the hint's detail, a link-check summary).
    """

    kind: str
    target_key: str
    detail: str
    done: int
    total: int
    hint: Hint | None = None


OnEvent = Callable[[ScanEvent], None]


class _Progress:
    """Counts finished targets across a whole scan and forwards events to the callback."""

    def __init__(self, total: int, on_event: OnEvent | None) -> None:
        self.total = total
        self.done = 0
        self._on_event = on_event

    def emit(self, kind: str, key: str, detail: str = "", hint: Hint | None = None) -> None:
        if self._on_event is not None:
            self._on_event(ScanEvent(kind, key, detail, self.done, self.total, hint))


# ── public entry points ────────────────────────────────────────────────────────────────────────


async def scan_target(
    target: Target,
    fetcher: Fetcher,
    *,
    profile: Profile,
    as_of: date,
    on_event: OnEvent | None = None,
    max_columns: int = MAX_COLUMNS,
    check_links: bool = True,
    max_links: int = MAX_LINKS,
) -> TargetScan:
    """Scan one target. Network and page trouble become hints, never exceptions."""
    progress = _Progress(1, on_event)
    scan = await _SiteScan(
        target, fetcher, profile, as_of, progress, max_columns, check_links, max_links
    ).run()
    progress.done = 1
    progress.emit("progress", target.key, _summary(scan))
    return scan


async def scan_targets(
    targets: Sequence[Target],
    fetcher: Fetcher,
    *,
    profile: Profile,
    as_of: date,
    on_event: OnEvent | None = None,
    concurrency: int | None = None,
    max_columns: int = MAX_COLUMNS,
    check_links: bool = True,
    max_links: int = MAX_LINKS,
) -> list[TargetScan]:
    """Scan many targets, ``concurrency`` sites at a time; results in input order.

    ``concurrency`` defaults to the Fetcher's global cap (``fetcher.limits.total``), which the
    requests of that many sites keep busy; the Fetcher's caps, not this, bound the requests.

    A target whose scan fails on a bug (not on a broken site, which only gives hints) gets a
    TargetScan with ``error`` set, and the other targets carry on. Cancelling the caller cancels
    every site's tasks.
    """
    progress = _Progress(len(targets), on_event)
    if concurrency is None:
        concurrency = fetcher.limits.total
    gate = asyncio.Semaphore(max(1, concurrency) * _HOME_LOOKAHEAD)
    work = asyncio.Semaphore(max(1, concurrency))
    results: list[TargetScan | None] = [None] * len(targets)

    async def one(index: int, target: Target) -> None:
        async with gate:
            site = _SiteScan(
                target,
                fetcher,
                profile,
                as_of,
                progress,
                max_columns,
                check_links,
                max_links,
                work,
                shared,
            )
            try:
                scan = await site.run()
            except Exception as exc:  # a bug in one site's analysis must not stop the sample
                scan = site.scan
                scan.error = _describe(exc)
                progress.emit("target_finished", target.key, f"error: {scan.error}")
            results[index] = scan
            progress.done += 1
            progress.emit("progress", target.key, _summary(scan))

    async with asyncio.TaskGroup() as group:
        shared = _SharedChecks(fetcher, group)
        for index, target in enumerate(targets):
            group.create_task(one(index, target))
    return [r for r in results if r is not None]


def _describe(exc: BaseException) -> str:
    """``Type: message`` of an error, looking inside the groups TaskGroups raise."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}"


def _summary(scan: TargetScan) -> str:
    if scan.error:
        return f"{scan.name}: {scan.error}"
    return f"{scan.name}: {scan.pages_fetched} pages, {len(scan.hints)} hints"


# ── one site ───────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _ColumnOutcome:
    ref: ColumnRef
    report: ColumnReport | None
    hints: tuple[Hint, ...]
    links: tuple[Link, ...]
    fetched: tuple[str, ...]  # URLs fetched as pages (not to be link-checked again)
    broken: FetchResult | None = None  # the column page itself did not answer properly


def _home_analysis(
    body: bytes, content_type: str, url: str, as_of: date, profile: Profile
) -> HomePage:
    """Decode and parse a homepage (runs in a worker thread)."""
    text = decode_html(body, content_type).text
    return parse_home(text, url, as_of=as_of, profile=profile)


def _list_analysis(
    body: bytes, content_type: str, url: str, status: int | None, as_of: date, profile: Profile
) -> tuple[ListPage | None, str | None]:
    """Decode and parse a column page (worker thread): the page, or the soft-404 marker."""
    text = decode_html(body, content_type).text
    marker = looks_soft_404(text, status, profile)
    if marker is not None:
        return None, marker
    return parse_list(text, url, as_of=as_of, profile=profile), None


def _account_analysis(
    body: bytes,
    content_type: str,
    url: str,
    platform: str,
    fetched_at: datetime,
    markers: Sequence[str],
) -> tuple[PostDate | None, str | None]:
    """Decode an account page and read its latest post and function marker (worker thread)."""
    text = decode_html(body, content_type).text
    post = latest_post(text, url, platform=platform, fetched_at=fetched_at)
    return post, function_markers(text, markers)


def _response_time(header: str) -> datetime:
    """When the page was answered: its ``Date`` header, else now (relative times need it)."""
    if header:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _checkable(url: str) -> str | None:
    """The URL to check for a link (fragment dropped), or None for links that are not pages."""
    clean = urldefrag(url.strip())[0]
    try:
        scheme = urlsplit(clean).scheme.lower()
    except ValueError:
        return None
    return clean if scheme in _CHECKED_SCHEMES else None


class _SiteScan:
    """The scan of one target, step by step; ``scan`` holds what is known so far."""

    def __init__(
        self,
        target: Target,
        fetcher: Fetcher,
        profile: Profile,
        as_of: date,
        progress: _Progress,
        max_columns: int,
        check_links: bool,
        max_links: int,
        work: asyncio.Semaphore | None = None,
        shared: _SharedChecks | None = None,
    ) -> None:
        self.target = target
        self.work = work  # taken once the homepage has answered (scan_targets' site slots)
        self.shared = shared  # link checks shared with the other sites of the scan
        self.fetcher = fetcher
        self.profile = profile
        self.as_of = as_of
        self.progress = progress
        self.max_columns = max_columns
        self.check_links = check_links
        self.max_links = max_links
        self.stamp = as_of.isoformat()
        self.home_urls: set[str] = set()  # the homepage as asked for and as answered
        self.scan = TargetScan(
            key=target.key,
            name=target.name,
            url=target.url or "",
            kind=str(target.kind),
            platform=target.platform if target.kind is Kind.NEW_MEDIA else None,
        )

    def emit(self, kind: str, detail: str = "", hint: Hint | None = None) -> None:
        self.progress.emit(kind, self.target.key, detail, hint)

    def add(self, hints: Sequence[Hint]) -> None:
        for hint in hints:
            if hint.as_of is None:
                hint = replace(hint, as_of=self.stamp)
            self.scan.hints.append(hint)
            self.emit("hint", hint.detail, hint)

    async def get(self, url: str, *, visit: bool = False) -> FetchResult:
        result = await self.fetcher.get(url, visit=visit)
        self.scan.pages_fetched += 1
        status = result.status if result.status is not None else result.error
        self.emit("page_fetched", f"{url} → {status}")
        return result

    async def run(self) -> TargetScan:
        self.emit("target_started", self.target.url or self.target.name)
        if self.target.kind is Kind.NEW_MEDIA:
            await self._account()
        elif not self.target.url:
            self.scan.error = "no URL"
        else:
            await self._website(self.target.url)
        self.emit("target_finished", _summary(self.scan))
        return self.scan

    async def _account(self) -> None:
        """An account with a URL (profile or latest article): one GET, then what the page shows
        (issue #6): its latest post date (``account_stale``, M-V2) and a function that does not
        work (``function_unusable``). Without a URL the inspector judges it from the phone."""
        if not self.target.url:
            return
        result = await self.get(self.target.url)
        self.scan.reachable = result.ok
        self.scan.status = result.status
        self.scan.elapsed_ms = result.elapsed_ms
        if not result.ok:
            return
        page_url = result.final_url or self.target.url
        post, marker = await asyncio.to_thread(
            _account_analysis,
            result.body,
            result.headers.get("content-type", ""),
            page_url,
            self.target.platform or "other",
            _response_time(result.headers.get("date", "")),
            function_markers_of(self.profile),
        )
        self.scan.latest_post = post.day if post is not None else None
        self.add(
            account_hints(
                self.target,
                post,
                profile=self.profile,
                as_of=self.as_of,
                url=page_url,
                function_marker=marker,
            )
        )

    async def _website(self, url: str) -> None:
        result = await self.get(url, visit=True)  # one W-V2 visit: a timeout is not retried
        if self.work is None:
            await self._site(url, result)
            return
        async with self.work:
            await self._site(url, result)

    async def _site(self, url: str, result: FetchResult) -> None:
        """Everything after the homepage's answer."""
        scan = self.scan
        scan.status, scan.elapsed_ms = result.status, result.elapsed_ms
        tls_read = (
            result.error is FetchError.TLS
            and result.tls_unverified
            and result.status is not None
            and result.status < 400
        )
        if not tls_read:
            stop = unreachable_hint(url, result, profile=self.profile)
            if stop is not None:
                scan.reachable = stop.kind == "blocked"  # it answered; a person must look
                self.add([stop])
                return
            if not result.ok:  # an answer nobody can judge (too large, a scheme we skip)
                scan.reachable = False
                scan.error = f"{result.error or result.status}: {result.error_detail}".rstrip(": ")
                return
        scan.reachable = True
        if tls_read:
            self.add([self._tls_hint(url, result)])
        base = result.final_url or url
        home = await asyncio.to_thread(
            _home_analysis,
            result.body,
            result.headers.get("content-type", ""),
            base,
            self.as_of,
            self.profile,
        )
        home = replace(home, url=url) if base != url else home
        self.home_urls = {url, base}
        first = home_hints(home, profile=self.profile, as_of=self.as_of)
        self.add(first)
        if home.blocked or home.soft_404 or home.under_construction:
            return  # a stand-in page: its one hint says it all
        fetched = {url, base, result.final_url}
        refs = self._columns(home, fetched)
        links = _LinkChecks(self, fetched | {ref.url for ref in refs})
        outcomes = await self._columns_and_links(home, refs, links)
        broken_columns: list[tuple[Link, str, FetchResult]] = []
        for outcome in outcomes:
            fetched.update(outcome.fetched)
            if outcome.report is not None:
                scan.columns.append(outcome.report)
            self.add(outcome.hints)
            if outcome.broken is not None:
                ref = outcome.ref
                broken_columns.append(
                    (Link(ref.url, ref.name, ref.via), ref.found_on, outcome.broken)
                )
        if home.navigation_only:
            self.add(self._sections_freshness(home, scan.columns))
        checked: list[tuple[Link, str, FetchResult]] = list(broken_columns)
        if self.check_links:
            checked += links.results(fetched)
            summary = f"checked {links.count} links"
            if links.skipped:
                summary += f", skipped {links.skipped} over the cap of {self.max_links} per site"
            self.emit("progress", summary)
        self.add(link_hints(checked, profile=self.profile, home_url=home.url))

    def _tls_hint(self, url: str, result: FetchResult) -> Hint:
        return Hint(
            kind="tls_error",
            indicator=None,
            url=url,
            found_on=url,
            detail=bilingual(
                "网站证书校验失败，已在不校验证书的情况下读取页面",
                f"the certificate failed verification ({result.error_detail});"
                " the pages were read without verification",
            ),
            as_of=self.stamp,
        )

    # columns

    def _columns(self, home: HomePage, fetched: set[str]) -> list[ColumnRef]:
        refs: list[ColumnRef] = []
        seen = set(fetched)
        for ref in home.columns:
            url = _checkable(ref.url)
            if url is None or url in seen:
                continue
            seen.add(url)
            refs.append(ref if url == ref.url else replace(ref, url=url))
            if len(refs) >= self.max_columns:
                break
        return refs

    async def _columns_and_links(
        self, home: HomePage, refs: Sequence[ColumnRef], links: _LinkChecks
    ) -> list[_ColumnOutcome]:
        """Every column page, and every link check, at once (module docstring); the columns'
        outcomes in the order of ``refs``."""
        per_host = self.fetcher.limits.per_host
        gate = asyncio.Semaphore(max(_COLUMN_TASKS, per_host))

        async def one(ref: ColumnRef) -> _ColumnOutcome:
            async with gate:
                try:
                    return await self._column(ref)
                except Exception as exc:  # a bug on one column page must not lose the site
                    problem = f"column {ref.url}: {_describe(exc)}"
                    self.scan.error = "; ".join(filter(None, (self.scan.error, problem)))
                    report = column_report(ref, None, profile=self.profile, as_of=self.as_of)
                    return _ColumnOutcome(ref, report, (), (), (ref.url,))

        async def feed(tasks: Sequence[asyncio.Task[_ColumnOutcome]]) -> None:
            # One feeder, in page order: the homepage's links first, then each column's.
            try:
                await links.add(home.links, home.url)
                for task in tasks:
                    outcome = await task
                    links.exclude(outcome.fetched)
                    await links.add(outcome.links, outcome.ref.url)
            finally:
                links.close()

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(ref)) for ref in refs]
            if self.check_links:
                group.create_task(feed(tasks))
                for _ in range(links.workers):
                    group.create_task(links.work())
        return [t.result() for t in tasks]

    async def _column(self, ref: ColumnRef) -> _ColumnOutcome:
        result = await self.get(ref.url)
        fetched = tuple({ref.url, result.final_url})
        if not result.ok:
            report = column_report(ref, None, profile=self.profile, as_of=self.as_of)
            return _ColumnOutcome(ref, report, (), (), fetched, broken=result)
        page, soft_404 = await asyncio.to_thread(
            _list_analysis,
            result.body,
            result.headers.get("content-type", ""),
            result.final_url or ref.url,
            result.status,
            self.as_of,
            self.profile,
        )
        if page is None:
            hint = Hint(
                kind="soft_404",
                indicator=indicator_for(
                    self.profile, "broken_link", on_home=ref.found_on in self.home_urls
                ),
                url=ref.url,
                found_on=ref.found_on,
                detail=bilingual(
                    f"栏目“{ref.name}”页面显示“{soft_404}”",
                    f"the column “{ref.name}” answers HTTP {result.status}"
                    f" but the page says “{soft_404}”",
                ),
                as_of=self.stamp,
            )
            return _ColumnOutcome(ref, None, (hint,), (), fetched)
        if page.url != ref.url:
            page = replace(page, url=ref.url)
        page2: ListPage | None = None
        page2_status: int | None = None
        next_url = _checkable(page.next_page) if page.next_page else None
        if next_url is not None and next_url not in fetched:
            second = await self.get(next_url)
            fetched += (next_url, second.final_url)
            page2_status = second.status
            if second.ok:
                page2, _ = await asyncio.to_thread(
                    _list_analysis,
                    second.body,
                    second.headers.get("content-type", ""),
                    second.final_url or next_url,
                    second.status,
                    self.as_of,
                    self.profile,
                )
        report = column_report(ref, page, profile=self.profile, as_of=self.as_of)
        hints = column_hints(
            report, page, page2, profile=self.profile, as_of=self.as_of, page2_status=page2_status
        )
        return _ColumnOutcome(ref, report, tuple(hints), page.links, fetched)

    def _sections_freshness(self, home: HomePage, reports: Sequence[ColumnReport]) -> list[Hint]:
        """W-V3 for a navigation-only homepage: its sections are judged instead. Stale when no
        section shows an item inside the homepage window; silent when no section shows a date."""
        window = self.profile.columns.get("homepage")
        cutoff = window.cutoff(self.as_of) if window is not None else None
        dated = [r for r in reports if r.latest is not None and r.state != ColumnState.UNKNOWN]
        if window is None or cutoff is None or not dated:
            return []
        newest = max(dated, key=lambda r: r.latest or date.min)
        assert newest.latest is not None
        if newest.latest >= cutoff:
            return []
        days = (self.as_of - newest.latest).days
        return [
            Hint(
                kind="homepage_stale",
                indicator=window.indicator,
                url=home.url,
                found_on=newest.url,
                detail=bilingual(
                    f"首页仅为导航，其 {len(dated)} 个栏目中最新一条为“{newest.name}”的"
                    f" {newest.latest.isoformat()}，距检查日已 {days} 天",
                    f"the homepage is navigation only; the newest item of its {len(dated)}"
                    f" sections is {newest.latest.isoformat()} in “{newest.name}”, {days} days"
                    f" before {self.stamp}: 《{newest.latest_title}》 {newest.latest_url or ''}",
                ).rstrip(),
                as_of=self.stamp,
            )
        ]


class _LinkChecks:
    """A site's link checks: links are added as pages are read (by one feeder, in page order)
    and checked by a few workers sharing one queue, instead of one task per link: the Fetcher's
    per-host cap is the real limit, and 500 tasks made at once would stall the loop."""

    def __init__(self, site: _SiteScan, fetched: set[str]) -> None:
        self._site = site
        self._seen = set(fetched)  # checked, queued, over the cap, or fetched as a page
        self._queue: asyncio.Queue[tuple[int, Link, str] | None] = asyncio.Queue()
        self._done: list[tuple[int, Link, str, FetchResult]] = []
        self.workers = max(_LINK_TASKS, site.fetcher.limits.per_host)
        self.count = 0
        self.skipped = 0

    def exclude(self, urls: Sequence[str]) -> None:
        self._seen.update(u for u in urls if u)

    async def add(self, links: Sequence[Link], found_on: str) -> None:
        if not links:
            return
        room = max(0, self._site.max_links - self.count)
        # Thousands of URLs to clean and deduplicate: work for a thread, not for the loop.
        chosen, over = await asyncio.to_thread(_new_links, links, found_on, self._seen, room)
        self.skipped += over
        for link, page in chosen:
            self._queue.put_nowait((self.count, link, page))
            self.count += 1

    def close(self) -> None:
        """No more links: let every worker stop once the queue is empty."""
        for _ in range(self.workers):
            self._queue.put_nowait(None)

    async def work(self) -> None:
        while (item := await self._queue.get()) is not None:
            index, link, found_on = item
            shared = self._site.shared
            if shared is not None and _host_of(link.url) != _host_of(found_on):
                result = await shared.check(link.url)
            else:
                result = await self._site.fetcher.check_link(link.url)
            self._done.append((index, link, found_on, result))

    def results(self, fetched: set[str]) -> list[tuple[Link, str, FetchResult]]:
        """The checks in first-sighting order, without pages the site scan fetched itself."""
        done = sorted(self._done, key=lambda r: r[0])
        return [(link, page, result) for _, link, page, result in done if link.url not in fetched]


class _SharedChecks:
    """Checks of links to other hosts, shared by the sites of one scan (module docstring).

    A check is a task of the scan's TaskGroup, so cancelling the scan cancels it; the sites
    awaiting it are shielded from each other. At most ``_SHARED_LINKS`` results are kept (a
    textual answer to a GET keeps up to 64 KiB of body); past that, checks are not shared.
    """

    def __init__(self, fetcher: Fetcher, group: asyncio.TaskGroup) -> None:
        self._fetcher = fetcher
        self._group = group
        self._checks: dict[str, asyncio.Task[FetchResult]] = {}

    async def check(self, url: str) -> FetchResult:
        task = self._checks.get(url)
        if task is None:
            if len(self._checks) >= _SHARED_LINKS:
                return await self._fetcher.check_link(url)
            task = self._checks[url] = self._group.create_task(self._fetcher.check_link(url))
        return await asyncio.shield(task)


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def _new_links(
    links: Sequence[Link], found_on: str, seen: set[str], room: int
) -> tuple[list[tuple[Link, str]], int]:
    """A page's links not seen before (cleaned, each once), at most ``room`` of them, and how
    many new ones were left out; all of them are added to ``seen`` (worker thread)."""
    chosen: list[tuple[Link, str]] = []
    over = 0
    for link in links:
        url = _checkable(link.url)
        if url is None or url in seen:
            continue
        seen.add(url)
        if len(chosen) < room:
            chosen.append((link if url == link.url else replace(link, url=url), found_on))
        else:
            over += 1
    return chosen, over
