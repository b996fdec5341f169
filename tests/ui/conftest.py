"""UI test fixtures: a real QtWebEngine window on a demo workspace in a temporary folder.

QtWebEngine must be imported before pytest-qt creates the QApplication, hence the import at the
top. The tests drive Qt with ``qtbot.waitSignal`` (a local QEventLoop) and never run the
application's own loop: QtWebEngine shuts down for good on the first ``QApplication.exit()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6 import QtWebEngineWidgets  # noqa: F401  (must precede the QApplication)
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from inspector.demo import DemoServer, open_demo_workspace
from inspector.profiles import load_profile
from ui import i18n
from ui.app import APPLICATION, ORGANIZATION
from ui.main_window import MainWindow

#: Generous: the first QtWebEngine page of a session starts Chromium's processes.
LOAD_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["inspector-ui-tests"]


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test QApplication, named like the real one so QSettings behave the same.

    Each test starts from empty settings in Chinese, and leaves nothing behind for the next.
    """
    qapp.setOrganizationName(ORGANIZATION)
    qapp.setApplicationName(APPLICATION)
    QSettings().clear()
    i18n.apply_language(i18n.CHINESE, save=False)
    yield qapp
    QSettings().clear()
    if i18n.current_language() != i18n.CHINESE:
        i18n.apply_language(i18n.CHINESE, save=False)
        qapp.processEvents()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The app's data folder for one test (downloads land below it)."""
    return tmp_path / "data"


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    return tmp_path / "demo"


@pytest.fixture
def make_window(
    app: QApplication,
    qtbot: object,
    workspace_dir: Path,
    data_dir: Path,
    demo_server: DemoServer,
) -> Iterator[object]:
    """Build main windows on the demo workspace; each is closed (page before profile) at the end.

    The window selects the first target, so its page starts loading at once; wait for
    ``browser.load_finished`` before grabbing or navigating.
    """
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        findings = open_demo_workspace(workspace_dir, demo_server.base_url)
        window = MainWindow(findings, load_profile(findings.profile_id), data_dir=data_dir)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        if shiboken6.isValid(window):
            window.close()
            shiboken6.delete(window)
