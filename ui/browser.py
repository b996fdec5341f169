"""The embedded browser in which the inspector looks at a site the way a citizen would."""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QProgressBar,
    QSizePolicy,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)


class BrowserView(QWidget):
    """A QWebEngineView with an address bar, navigation buttons, load progress and load time.

    Each BrowserView has its own off-the-record profile: nothing a checked site sets (cookies,
    cache, local storage) outlives the session or leaks into the next inspector's findings. The
    page must be deleted before its profile, or QtWebEngine warns and may crash at exit; call
    :meth:`dispose` when done (the main window does it on close).

    Signals:
        load_started: a page began loading.
        load_finished(bool, int): a page finished loading; whether it succeeded, and the time it
            took in milliseconds.
        url_changed(str): the address shown changed (navigation inside the page included).
        title_changed(str): the page title changed.
    """

    load_started = Signal()
    load_finished = Signal(bool, int)
    url_changed = Signal(str)
    title_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._started_at: float | None = None
        self._last_elapsed_ms: int | None = None
        # The view is created first so that, should Qt delete our children without dispose(),
        # the page (a child of the view) still goes before the profile (a later sibling).
        self._view = QWebEngineView(self)
        self._profile: QWebEngineProfile | None = QWebEngineProfile(self)
        self._profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        self._page: QWebEnginePage | None = QWebEnginePage(self._profile, self._view)
        self._page.settings().setAttribute(
            QWebEngineSettings.WebAttribute.FocusOnNavigationEnabled, False
        )
        self._view.setPage(self._page)

        self._address = QLineEdit(self)
        self._address.setPlaceholderText("输入网址后回车 / type an address and press Enter")
        self._address.setClearButtonEnabled(True)
        self._address.returnPressed.connect(self.on_address_return_pressed)
        self._elapsed = QLabel(self)
        self._elapsed.setObjectName("loadTime")
        self._elapsed.setMinimumWidth(72)
        self._elapsed.setToolTip("页面加载用时 / page load time")
        self._progress = QProgressBar(self)
        self._progress.setObjectName("loadProgress")
        self._progress.setTextVisible(False)
        self._progress.setFixedHeight(3)
        self._progress.setRange(0, 100)
        self._progress.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("browserToolbar")
        self.toolbar.setMovable(False)
        style = self.style()
        self.back_action = self._page_action(
            QWebEnginePage.WebAction.Back, style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack)
        )
        self.back_action.setShortcut(QKeySequence.StandardKey.Back)
        self.back_action.setToolTip("后退 / Back (Alt+Left)")
        self.forward_action = self._page_action(
            QWebEnginePage.WebAction.Forward,
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
        )
        self.forward_action.setShortcut(QKeySequence.StandardKey.Forward)
        self.forward_action.setToolTip("前进 / Forward (Alt+Right)")
        self.reload_action = self._page_action(
            QWebEnginePage.WebAction.Reload,
            style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
        )
        self.reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.reload_action.setToolTip("刷新 / Reload (F5)")
        self.stop_action = self._page_action(
            QWebEnginePage.WebAction.Stop, style.standardIcon(QStyle.StandardPixmap.SP_BrowserStop)
        )
        self.stop_action.setToolTip("停止 / Stop")
        self.focus_address_action = QAction("转到地址栏 / Focus address bar", self)
        self.focus_address_action.setShortcut(QKeySequence("Ctrl+L"))
        self.focus_address_action.triggered.connect(self.focus_address)
        for action in (self.back_action, self.forward_action, self.reload_action):
            self.toolbar.addAction(action)
        self.toolbar.addAction(self.stop_action)
        self.toolbar.addWidget(self._address)
        self.toolbar.addWidget(self._elapsed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self._progress)
        layout.addWidget(self._view, 1)
        self._progress.hide()

        self._page.loadStarted.connect(self.on_page_load_started)
        self._page.loadProgress.connect(self.on_page_load_progress)
        self._page.loadFinished.connect(self.on_page_load_finished)
        self._page.urlChanged.connect(self.on_page_url_changed)
        self._page.titleChanged.connect(self.title_changed)

    def _page_action(self, which: QWebEnginePage.WebAction, icon: QIcon) -> QAction:
        assert self._page is not None
        action = self._page.action(which)
        action.setIcon(icon)
        return action

    @property
    def view(self) -> QWebEngineView:
        """The web view itself (for grabbing and tests)."""
        return self._view

    @property
    def page(self) -> QWebEnginePage | None:
        """The current page; None after :meth:`dispose`."""
        return self._page

    @property
    def profile(self) -> QWebEngineProfile | None:
        """The private profile; None after :meth:`dispose`."""
        return self._profile

    @property
    def last_elapsed_ms(self) -> int | None:
        """How long the last finished load took, in milliseconds."""
        return self._last_elapsed_ms

    def load(self, url: str) -> None:
        """Open an address; a bare host gets ``http://`` as a user would expect."""
        if self._page is None:
            return
        text = url.strip()
        if text and "://" not in text:
            text = "http://" + text
        self._address.setText(text)
        self._page.load(QUrl(text))

    def clear(self) -> None:
        """Show an empty page (no target selected)."""
        if self._page is None:
            return
        self._address.clear()
        self._elapsed.clear()
        self._page.setHtml("")

    def url(self) -> str:
        """The address of the page shown."""
        return self._page.url().toString() if self._page is not None else ""

    @Slot()
    def focus_address(self) -> None:
        """Select the address bar so a new address can be typed."""
        self._address.setFocus()
        self._address.selectAll()

    def dispose(self) -> None:
        """Delete the page, then its profile; the view shows nothing afterwards. Idempotent."""
        page, self._page = self._page, None
        profile, self._profile = self._profile, None
        if page is not None and shiboken6.isValid(page):
            page.loadFinished.disconnect(self.on_page_load_finished)
            shiboken6.delete(page)
        if profile is not None and shiboken6.isValid(profile):
            shiboken6.delete(profile)
        self._progress.hide()

    @Slot()
    def on_address_return_pressed(self) -> None:
        self.load(self._address.text())

    @Slot()
    def on_page_load_started(self) -> None:
        self._started_at = time.monotonic()
        self._progress.setValue(0)
        self._progress.show()
        self._elapsed.setText("加载中…")
        self.load_started.emit()

    @Slot(int)
    def on_page_load_progress(self, percent: int) -> None:
        self._progress.setValue(percent)

    @Slot(bool)
    def on_page_load_finished(self, ok: bool) -> None:
        started = self._started_at if self._started_at is not None else time.monotonic()
        elapsed = round((time.monotonic() - started) * 1000)
        self._started_at = None
        self._last_elapsed_ms = elapsed
        self._progress.hide()
        self._elapsed.setText(f"{elapsed} ms" if ok else "加载失败")
        self._elapsed.setProperty("failed", not ok)
        self._elapsed.style().unpolish(self._elapsed)
        self._elapsed.style().polish(self._elapsed)
        self.load_finished.emit(ok, elapsed)

    @Slot(QUrl)
    def on_page_url_changed(self, url: QUrl) -> None:
        text = url.toString()
        if text != "about:blank":
            self._address.setText(text)
            self._address.setCursorPosition(0)
        self.url_changed.emit(text)
