"""Small helpers shared by the UI tests: open a window and wait for its page, select a target."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from inspector.demo import DemoEntry, demo_entries
from inspector.store import FindingsFile
from tests.ui.conftest import LOAD_TIMEOUT_MS
from ui.main_window import MainWindow
from ui.menu_list import MenuPasteDialog

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


def demo_entry(slug: str) -> DemoEntry:
    """One demo site or account (its menus, say) from the manifest."""
    return next(e for e in demo_entries() if e.slug == slug)


def paste_menu_list(qtbot: QtBot, window: MainWindow, text: str) -> int:
    """Copy a menu list, then 粘贴列表 and OK as an inspector would; the user actions taken."""
    QGuiApplication.clipboard().setText(text)
    menus = window.account_panel.menu_list
    qtbot.mouseClick(menus.paste_button, Qt.MouseButton.LeftButton)
    dialog = menus.dialog
    assert isinstance(dialog, MenuPasteDialog) and dialog.isVisible()
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    return 3  # copy, 粘贴列表, OK


def open_menu_item(qtbot: QtBot, window: MainWindow, name: str) -> str:
    """Double-click a menu item as an inspector would and wait until its page was checked for
    markers; the item's id."""
    menus = window.account_panel.menu_list
    row = next(i for i, item in enumerate(menus.items) if item.name == name)
    table = menus.table
    table.scrollToItem(table.item(row, 0))
    center = table.visualItemRect(table.item(row, 0)).center()
    with qtbot.waitSignal(window.menu_checked, timeout=LOAD_TIMEOUT_MS) as checked:
        # QTest's double click starts with no press of its own; the view needs one first.
        qtbot.mousePress(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseRelease(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert checked.args is not None
    return str(checked.args[1])


def stored(path: Path, key: str) -> dict[str, tuple[str, str, str]]:
    """The results of a target as another program would read them from disk."""
    with FindingsFile.open(path) as findings:
        return {r.indicator_id: (r.state, r.note, r.inspector) for r in findings.results(key)}
