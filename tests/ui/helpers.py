"""Small helpers shared by the UI tests: open a window and wait for its page, select a target."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector.store import FindingsFile
from tests.ui.conftest import LOAD_TIMEOUT_MS
from ui.main_window import MainWindow

PORTAL = "site:9900000001"
FGW = "site:9900000012"
JYT = "site:9900000023"
ACCOUNT = "account:wechat:jiangyujiaoyu"

MakeWindow = Callable[[], MainWindow]


def opened(qtbot: QtBot, make_window: MakeWindow) -> MainWindow:
    """A window whose first target's page has finished loading.

    The constructor only starts the load; it cannot finish before the event loop runs, which
    happens inside ``waitSignal``, so connecting after construction misses nothing.
    """
    window = make_window()
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        pass
    assert blocker.args is not None and blocker.args[0] is True
    return window


def select_and_wait(qtbot: QtBot, window: MainWindow, key: str) -> list[object]:
    """Select a target and wait for its page; the load's (ok, elapsed_ms)."""
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        assert window.select_target(key)
    assert blocker.args is not None
    return list(blocker.args)


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Make the window the active one, as shortcuts only reach the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def stored(path: Path, key: str) -> dict[str, tuple[str, str, str]]:
    """The results of a target as another program would read them from disk."""
    with FindingsFile.open(path) as findings:
        return {r.indicator_id: (r.state, r.note, r.inspector) for r in findings.results(key)}
