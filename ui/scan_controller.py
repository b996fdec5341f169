"""Background scans from the app: the domain's async scan turned into Qt signals.

The scan engine (:mod:`inspector.scan`) knows nothing of Qt; it reports plain ``ScanEvent``
values through a callback. :class:`ScanController` runs it as an asyncio task on the qasync loop
the window lives on, forwards those events as signals, and stores each target's hints in the
findings file as soon as that target is finished, so the checklist can show them while the rest
of the list is still being scanned.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from datetime import date

import shiboken6
from PySide6.QtCore import QObject, Signal

from inspector.profiles import Profile
from inspector.scan import Fetcher, FetchLimits, ScanEvent, make_client, scan_target, store_scans
from inspector.store import FindingsFile
from inspector.targets import Target

#: Sites scanned at once, as in ``scan_targets``; the Fetcher still caps requests per host.
CONCURRENCY = 8
#: Written as the hints' ``source`` in the findings file.
SOURCE = "app-scan"

FetcherFactory = Callable[[], Fetcher]


def default_fetcher() -> Fetcher:
    """The app's Fetcher: the scanner's client, and an unverified one for TLS-broken sites."""
    return Fetcher(make_client(), FetchLimits(), insecure_client=make_client(verify=False))


def scan_date(findings: FindingsFile) -> date:
    """The scan's monitoring point: the file's ``as_of`` when it has a valid one, else today."""
    value = findings.info.get("as_of")
    if value:
        with contextlib.suppress(ValueError):
            return date.fromisoformat(value)
    return date.today()


class ScanController(QObject):
    """Runs scans of a findings file's targets in the background, one at a time.

    One Fetcher (and so one HTTP client pool) serves every scan of the controller; it is made at
    the first scan and closed by :meth:`aclose`. A scan runs as an asyncio task whose reference
    the controller keeps; :meth:`cancel` cancels it, and hints already stored stay stored.

    Signals:
        started(int): a scan of that many targets began.
        progress(int, int, str): targets done, targets in the scan, what is happening now.
        hint_found(str, object): a hint (``inspector.store.Hint``) was found for a target key;
            it is stored when its target finishes.
        target_finished(str): a target's scan ended and its hints are in the findings file.
        finished(): the scan ended, completed or cancelled (see :attr:`was_cancelled`).
        failed(str): the scan stopped on an error (the findings file could not be written).
    """

    started = Signal(int)
    progress = Signal(int, int, str)
    hint_found = Signal(str, object)
    target_finished = Signal(str)
    finished = Signal()
    failed = Signal(str)

    def __init__(
        self,
        findings: FindingsFile,
        profile: Profile,
        *,
        fetcher_factory: FetcherFactory = default_fetcher,
        as_of: date | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._findings = findings
        self._profile = profile
        self._fetcher_factory = fetcher_factory
        self._fetcher: Fetcher | None = None
        self._as_of = as_of
        self._task: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self._done = 0
        self._total = 0
        self.was_cancelled = False

    @property
    def running(self) -> bool:
        """True while a scan is in progress."""
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The task of the current or last scan (tests and benchmarks await it)."""
        return self._task

    @property
    def as_of(self) -> date:
        """The monitoring point the scans judge freshness against."""
        return self._as_of or scan_date(self._findings)

    def set_workspace(self, findings: FindingsFile, profile: Profile) -> None:
        """Scan another findings file from now on; a running scan is cancelled first."""
        self.cancel()
        self._findings = findings
        self._profile = profile

    def start(self, targets: Sequence[Target]) -> bool:
        """Start scanning these targets; False when a scan is already running, the list is
        empty, or no asyncio loop runs (nothing to run the scan on)."""
        if self.running or not targets:
            return False
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self.was_cancelled = False
        self._task = loop.create_task(self._run(list(targets)))
        return True

    def cancel(self) -> None:
        """Stop the running scan; targets already finished keep their stored hints."""
        if self.running:
            assert self._task is not None
            self._task.cancel()

    async def aclose(self) -> None:
        """Cancel any scan and close the HTTP clients; the controller can scan again after."""
        task = self._task
        self.cancel()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        fetcher, self._fetcher = self._fetcher, None
        if fetcher is not None:
            await fetcher.aclose()

    def close_soon(self) -> None:
        """Cancel and close from a non-async caller (a window closing); the task is kept."""
        self.cancel()
        if self._fetcher is None and self._task is None:
            return
        with contextlib.suppress(RuntimeError):
            self._closing = asyncio.get_running_loop().create_task(self.aclose())

    # --- the scan ------------------------------------------------------------------------------

    def _on_event(self, event: ScanEvent) -> None:
        if event.kind == "hint" and event.hint is not None:
            self.hint_found.emit(event.target_key, event.hint)
        if event.kind in ("target_started", "page_fetched", "hint") and event.detail:
            self.progress.emit(self._done, self._total, event.detail)

    async def _one(self, target: Target, fetcher: Fetcher, gate: asyncio.Semaphore) -> None:
        as_of = self.as_of
        async with gate:
            try:
                scan = await scan_target(
                    target, fetcher, profile=self._profile, as_of=as_of, on_event=self._on_event
                )
            except Exception as exc:  # a bug in one site's analysis must not stop the list
                self._done += 1
                self.progress.emit(self._done, self._total, f"{target.name}: {exc!r}")
                self.target_finished.emit(target.key)
                return
        # Stored at once, on the loop's thread (the findings file's connection lives here).
        store_scans(self._findings, [scan], source=SOURCE, as_of=as_of)
        self._done += 1
        self.progress.emit(self._done, self._total, target.name)
        self.target_finished.emit(target.key)

    async def _run(self, targets: list[Target]) -> None:
        self._done, self._total = 0, len(targets)
        self.started.emit(self._total)
        try:
            if self._fetcher is None:
                # Off the GUI thread: each client loads the CA bundle into an SSL context, tens
                # of milliseconds apiece, which showed as the longest stall of a scan.
                self._fetcher = await asyncio.to_thread(self._fetcher_factory)
            gate = asyncio.Semaphore(CONCURRENCY)
            async with asyncio.TaskGroup() as group:
                for target in targets:
                    group.create_task(self._one(target, self._fetcher, gate))
        except asyncio.CancelledError:
            self.was_cancelled = True
            # The window (our parent) may be gone already when it was closing that cancelled us.
            if shiboken6.isValid(self):
                self.finished.emit()
            raise
        except Exception as exc:  # reported, never lost in a forgotten task
            errors = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
            self.failed.emit("; ".join(str(e) or type(e).__name__ for e in errors))
            self.finished.emit()
            return
        self.finished.emit()
