"""Background scans from the window (issue #4, deliverable 2): the demo's planted faults become
hints under their indicators, stored as each target finishes; a cancelled scan keeps what was
committed and leaves the window usable.

The scan runs on a fresh qasync loop per test, driven from inside a coroutine (style.md). The loop
never runs the application's own ``exec()``, so it never calls ``QApplication.exit()``, which
would shut QtWebEngine down for every later test.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector.store import FindingsFile, StoredHint
from inspector.targets import State
from tests.ui.helpers import FGW, JYT, PORTAL, MakeWindow, opened, select_and_wait
from ui import scan_controller
from ui.app import make_event_loop
from ui.main_window import MainWindow
from ui.scan_controller import SOURCE

T = TypeVar("T")
RunAsync = Callable[[Coroutine[Any, Any, T]], T]
#: Generous: a whole-target scan of a demo site takes a few seconds.
SCAN_TIMEOUT_S = 120.0


@pytest.fixture
def run_async(app: QApplication) -> RunAsync[Any]:
    """Run a coroutine to the end on a fresh qasync loop that never exits the application."""

    def run(coro: Coroutine[Any, Any, T]) -> T:
        loop = make_event_loop(app)
        # Straight to the nested-QEventLoop path: QApplication.exit() must never be called here.
        loop._app_has_exited = True  # type: ignore[attr-defined]
        with asyncio.Runner(loop_factory=lambda: loop) as runner:
            return runner.run(coro)

    return run


@pytest.fixture
def one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Targets scanned one after another, so a stop after the first lands mid-scan for sure
    (the whole demo scans in about a second at full concurrency)."""
    monkeypatch.setattr(scan_controller, "CONCURRENCY", 1)


def signalled(signal: Any) -> asyncio.Future[tuple[Any, ...]]:
    """A future set by the next emission of a Qt signal (its arguments)."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def done(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(done)
    return future


async def scan_and_wait(window: MainWindow, trigger: Callable[[], None]) -> None:
    """Start a scan from the UI and wait for it to end; the clients are closed after."""
    finished = signalled(window.scanner.finished)
    trigger()
    assert window.scanner.running
    await asyncio.wait_for(finished, SCAN_TIMEOUT_S)
    await window.scanner.aclose()


def on_disk(path: Path, key: str) -> list[StoredHint]:
    with FindingsFile.open(path) as findings:
        return findings.hints(key)


def cards(window: MainWindow, indicator: str) -> list[StoredHint]:
    return [card.hint for card in window.checklist.row(indicator).hint_cards]


def test_scanning_the_current_site_shows_its_dead_link_under_the_indicator(
    qtbot: QtBot, make_window: MakeWindow, run_async: RunAsync[None]
) -> None:
    window = opened(qtbot, make_window)  # the portal, with its dead navigation link
    assert window.current_target().key == PORTAL
    progress: list[tuple[int, int, str]] = []
    found: list[str] = []
    window.scanner.progress.connect(lambda *args: progress.append(args))
    window.scanner.hint_found.connect(lambda key, hint: found.append(hint.kind))
    assert window.target_list.hint_count(PORTAL) == 0

    run_async(scan_and_wait(window, window.scan_current_action.trigger))

    broken = [h for h in window.findings.hints(PORTAL) if h.kind == "broken_link"]
    assert broken and any("sjfb" in h.url for h in broken)
    for hint in broken:
        assert hint.indicator in window.checklist.indicator_ids()
        assert hint.id in [h.id for h in cards(window, hint.indicator)]
    assert "broken_link" in found
    assert progress[-1][:2] == (1, 1)
    open_hints = [h for h in window.findings.hints(PORTAL) if h.status == "open"]
    assert window.target_list.hint_count(PORTAL) == len(open_hints) > 0
    assert not window.scanner.running and window.scan_current_action.isEnabled()

    stored = on_disk(window.findings.path, PORTAL)  # another program reading the file
    assert {(h.kind, h.indicator, h.url) for h in broken} <= {
        (h.kind, h.indicator, h.url) for h in stored
    }
    assert all(h.source == SOURCE for h in stored)


def test_the_stale_news_column_becomes_a_w_v4_hint_stored_in_the_file(
    qtbot: QtBot, make_window: MakeWindow, run_async: RunAsync[None]
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, FGW)
    run_async(scan_and_wait(window, window.scan_current_action.trigger))

    stale = [h for h in cards(window, "W-V4") if h.kind == "column_stale"]
    assert stale and any("/fgw/gzdt/" in h.url for h in stale), stale
    assert window.findings.hints(PORTAL) == []  # only the current target was scanned
    path = window.findings.path
    window.close()
    reopened = [h for h in on_disk(path, FGW) if h.kind == "column_stale"]
    assert [h.detail for h in reopened] == [h.detail for h in stale]
    assert all(h.indicator == "W-V4" and h.as_of for h in reopened)


def test_a_second_scan_does_not_duplicate_hints(
    qtbot: QtBot, make_window: MakeWindow, run_async: RunAsync[None]
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, FGW)
    run_async(scan_and_wait(window, window.scan_current_action.trigger))
    first = len(window.findings.hints(FGW))
    run_async(scan_and_wait(window, window.scan_current_action.trigger))
    assert len(window.findings.hints(FGW)) == first > 0


def test_cancelling_a_full_scan_keeps_committed_hints_and_the_window_usable(
    qtbot: QtBot, make_window: MakeWindow, run_async: RunAsync[None], one_at_a_time: None
) -> None:
    window = opened(qtbot, make_window)
    total = len(window.target_list.target_keys())
    finished_keys: list[str] = []
    window.scanner.target_finished.connect(finished_keys.append)

    async def scenario() -> dict[str, int]:
        first = signalled(window.scanner.target_finished)
        ended = signalled(window.scanner.finished)
        window.scan_all_action.trigger()
        assert window.stop_scan_action.isEnabled() and not window.scan_all_action.isEnabled()
        assert not window.scan([FGW])  # one scan at a time
        await asyncio.wait_for(first, SCAN_TIMEOUT_S)
        window.stop_scan_action.trigger()
        await asyncio.wait_for(ended, SCAN_TIMEOUT_S)
        counts = {key: len(window.findings.hints(key)) for key in window.target_list.target_keys()}
        await asyncio.sleep(0.5)  # nothing keeps running after the stop
        assert {k: len(window.findings.hints(k)) for k in counts} == counts
        await window.scanner.aclose()
        return counts

    counts = run_async(scenario())
    assert window.scanner.was_cancelled and not window.scanner.running
    assert 1 <= len(finished_keys) < total
    assert window.scan_all_action.isEnabled() and not window.stop_scan_action.isEnabled()
    # Hints only for the targets that finished, each of which is committed on disk.
    assert {k for k, n in counts.items() if n} <= set(finished_keys)
    for key in finished_keys:
        assert len(on_disk(window.findings.path, key)) == counts[key]
    # The window still works: a tick is stored as usual.
    select_and_wait(qtbot, window, JYT)
    qtbot.mouseClick(window.checklist.row("W-V4").button(State.PROBLEM), Qt.MouseButton.LeftButton)
    assert any(
        r.indicator_id == "W-V4" and r.state == State.PROBLEM for r in window.findings.results(JYT)
    )


def test_closing_the_window_mid_scan_stops_it_cleanly(
    qtbot: QtBot, make_window: MakeWindow, run_async: RunAsync[None], one_at_a_time: None
) -> None:
    window = opened(qtbot, make_window)
    path = window.findings.path
    committed: list[int] = []

    async def scenario() -> None:
        first = signalled(window.scanner.target_finished)
        window.scan_all_action.trigger()
        await asyncio.wait_for(first, SCAN_TIMEOUT_S)
        task = window.scanner.task
        committed.append(len(window.findings.hints()))
        window.close()  # cancels the scan and closes its clients
        assert task is not None
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert window.scanner._closing is not None
        await window.scanner._closing

    run_async(scenario())
    assert window.scanner.was_cancelled and not window.scanner.running
    with FindingsFile.open(path) as findings:  # the file is whole and readable
        assert len(findings.hints()) == committed[0]  # nothing written after the close
