"""The embedded browser in which the inspector looks at a site the way a citizen would.

The sites are untrusted: a compromised county site is exactly what an inspection may find. So the
page runs with JavaScript (sites need it) but nothing more than a citizen's browser would grant,
and less: no plugins, no access from page content to ``file://`` or from local content to the
network, no permissions (camera, location, notifications: all denied), popups contained in the
one view, downloads only into a controlled folder and only after the inspector says yes, and
certificate errors shown and decided by the inspector rather than silently passed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEngineDownloadRequest,
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
    QWebEngineSettings,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# Schemes a page may navigate to; everything else (file:, ftp:, app-launching schemes such as
# weixin: or tencent:) is refused and reported.
ALLOWED_SCHEMES = frozenset({"http", "https", "about", "data", "blob"})
# The storage name of the persistent profile (logins kept between sessions, when chosen).
PERSISTENT_PROFILE = "inspector"
_Attr = QWebEngineSettings.WebAttribute
# The page settings for untrusted sites: attribute and value, asserted by the tests.
SAFE_SETTINGS = (
    (_Attr.JavascriptEnabled, True),
    (_Attr.JavascriptCanOpenWindows, False),
    (_Attr.JavascriptCanAccessClipboard, False),
    (_Attr.JavascriptCanPaste, False),
    (_Attr.LocalContentCanAccessFileUrls, False),
    (_Attr.LocalContentCanAccessRemoteUrls, False),
    (_Attr.PluginsEnabled, False),
    (_Attr.AllowRunningInsecureContent, False),
    (_Attr.AllowGeolocationOnInsecureOrigins, False),
    (_Attr.AllowWindowActivationFromJavaScript, False),
    (_Attr.ScreenCaptureEnabled, False),
    (_Attr.WebRTCPublicInterfacesOnly, True),
    (_Attr.HyperlinkAuditingEnabled, False),
    (_Attr.NavigateOnDropEnabled, False),
    (_Attr.FocusOnNavigationEnabled, False),
)
# The phone the account view imitates: an iPhone 12-15 sized viewport in CSS pixels.
PHONE_SIZE = (390, 844)
# What a phone's WeChat browser says it is; account pages serve their mobile layout to it.
MOBILE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49 NetType/WIFI Language/zh_CN"
)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f<>:\"/\\|?*]+")


def safe_file_name(name: str, fallback: str = "download") -> str:
    """A file name a page cannot use to escape the downloads folder or hide an extension."""
    cleaned = _UNSAFE_NAME.sub("_", Path(name or "").name).strip(" .")
    return cleaned[:120] or fallback


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``… when taken: downloads never overwrite."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


class InfoBar(QFrame):
    """A strip above the page that says something and offers a decision (or just a close button).

    Signals:
        button_clicked(str): the id of the button the inspector pressed; the bar then closes.
    """

    button_clicked = Signal(str)

    def __init__(
        self,
        text: str,
        *,
        level: str = "info",
        buttons: tuple[tuple[str, str], ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("infoBar")
        self.setProperty("level", level)
        self.label = QLabel(text, self)
        self.label.setObjectName("infoBarText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 5, 6, 5)
        layout.setSpacing(6)
        layout.addWidget(self.label, 1)
        self._buttons: dict[str, QPushButton] = {}
        for ident, caption in buttons:
            button = QPushButton(caption, self)
            button.setObjectName("infoBarButton")
            button.setProperty("choice", ident)
            button.clicked.connect(self.on_button_clicked)
            layout.addWidget(button)
            self._buttons[ident] = button
        close = QToolButton(self)
        close.setObjectName("infoBarClose")
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        close.setAutoRaise(True)
        close.setProperty("choice", "close")
        close.clicked.connect(self.on_button_clicked)
        layout.addWidget(close)
        self._buttons["close"] = close  # type: ignore[assignment]

    @property
    def text(self) -> str:
        """What the bar says."""
        return self.label.text()

    def button(self, ident: str) -> QPushButton:
        """One of the bar's buttons by id (tests click them)."""
        return self._buttons[ident]

    @Slot()
    def on_button_clicked(self) -> None:
        ident = str(self.sender().property("choice"))
        self.hide()
        self.button_clicked.emit(ident)
        self.deleteLater()


class SafePage(QWebEnginePage):
    """A page that refuses what an untrusted site should not do, and says what it refused.

    Signals:
        navigation_refused(str): a navigation to a scheme outside ``ALLOWED_SCHEMES`` was blocked.
        popup_requested(QUrl): the site asked for a new window; it is opened in this view.
    """

    navigation_refused = Signal(str)
    popup_requested = Signal(QUrl)

    def __init__(self, profile: QWebEngineProfile, parent: QWidget | None = None) -> None:
        super().__init__(profile, parent)
        settings = self.settings()
        for attribute, value in SAFE_SETTINGS:
            settings.setAttribute(attribute, value)
        self.permissionRequested.connect(self.on_self_permission_requested)
        self.fileSystemAccessRequested.connect(self.on_self_file_system_access_requested)
        self._catchers: list[QWebEnginePage] = []

    def acceptNavigationRequest(
        self, url: QUrl, kind: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        """Only web schemes; an address bar entry for ``file://`` is refused like a link to it."""
        if url.scheme().lower() not in ALLOWED_SCHEMES:
            self.navigation_refused.emit(url.toString())
            return False
        return super().acceptNavigationRequest(url, kind, is_main_frame)

    def createWindow(self, kind: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        """Contain popups: a throwaway page learns where the popup goes, then this view goes there.

        The catcher never renders anything; its first navigation is refused and handed over as
        ``popup_requested``, so no second window, tab or renderer outlives the request.
        """
        catcher = _PopupCatcher(self.profile(), self)
        catcher.caught.connect(self.on_catcher_caught)
        self._catchers.append(catcher)
        return catcher

    def javaScriptConsoleMessage(self, level: object, message: str, line: int, source: str) -> None:
        """Silence: checked sites log plenty, and none of it is the inspector's business."""

    @Slot(QUrl)
    def on_catcher_caught(self, url: QUrl) -> None:
        catcher = self.sender()
        if catcher in self._catchers:
            self._catchers.remove(catcher)
            catcher.deleteLater()
        if url.scheme().lower() in ("http", "https"):
            self.popup_requested.emit(url)
        else:
            self.navigation_refused.emit(url.toString())

    @Slot(QWebEnginePermission)
    def on_self_permission_requested(self, permission: QWebEnginePermission) -> None:
        # Camera, microphone, location, notifications, clipboard, screen sharing: an inspection
        # needs none of them, and a hostile site should get none of them.
        permission.deny()

    @Slot(object)
    def on_self_file_system_access_requested(self, request: object) -> None:
        request.reject()  # type: ignore[attr-defined]


class _PopupCatcher(QWebEnginePage):
    """Stands in for a popup window just long enough to learn its address.

    Signals:
        caught(QUrl): the address the popup wanted to open.
    """

    caught = Signal(QUrl)

    def acceptNavigationRequest(
        self, url: QUrl, kind: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        if is_main_frame and not url.isEmpty() and url.toString() != "about:blank":
            self.caught.emit(url)
            return False
        return True


class BrowserView(QWidget):
    """A QWebEngineView with an address bar, navigation buttons, load progress and load time.

    By default the view uses an off-the-record profile of its own: nothing a checked site sets
    (cookies, cache, local storage) outlives the session or leaks into the next target's check.
    :meth:`set_persistent` switches to a profile kept on disk, for sites that need a login. The
    page must be deleted before its profile, or QtWebEngine warns and may crash at exit; call
    :meth:`dispose` when done (the main window does it on close).

    Decisions the inspector makes (a certificate error, a download) appear as bars above the page.

    Signals:
        load_started: a page began loading.
        load_finished(bool, int): a page finished loading; whether it succeeded, and the time it
            took in milliseconds.
        url_changed(str): the address shown changed (navigation inside the page included).
        title_changed(str): the page title changed.
        certificate_error(str, str): a certificate error on a page (address, description); the
            page waits until the inspector decides.
        download_requested(str, str): a page wants to download (address, file name); the bar
            asks the inspector.
        download_finished(str): a confirmed download was saved to this path.
        navigation_refused(str): a navigation to a refused scheme (e.g. ``file:``) was blocked.
    """

    load_started = Signal()
    load_finished = Signal(bool, int)
    url_changed = Signal(str)
    title_changed = Signal(str)
    certificate_error = Signal(str, str)
    download_requested = Signal(str, str)
    download_finished = Signal(str)
    navigation_refused = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        downloads_dir: Path | None = None,
        persistent: bool = False,
    ) -> None:
        super().__init__(parent)
        self._started_at: float | None = None
        self._last_elapsed_ms: int | None = None
        self._downloads_dir = downloads_dir or Path.home() / "inspector-downloads"
        self._persistent = persistent
        self._approved: dict[str, str] = {}  # url -> file name the inspector agreed to
        self._downloads: list[QWebEngineDownloadRequest] = []
        self._certificate: QWebEngineCertificateError | None = None
        self._certificate_bar: InfoBar | None = None
        self._phone = False
        self._mobile_agent = False
        self._default_agent = ""
        # The view is created first so that, should Qt delete our children without dispose(),
        # the page (a child of the view) still goes before the profile (a later sibling).
        self._view = QWebEngineView(self)
        self._profile: QWebEngineProfile | None = None
        self._page: SafePage | None = None

        self._address = QLineEdit(self)
        self._address.setClearButtonEnabled(True)
        self._address.returnPressed.connect(self.on_address_return_pressed)
        self._elapsed = QLabel(self)
        self._elapsed.setObjectName("loadTime")
        self._elapsed.setMinimumWidth(72)
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
        pixmap = QStyle.StandardPixmap
        # Our own actions, forwarded to whichever page is current (the page is replaced when
        # the profile changes, and the page's own actions go with it).
        self.back_action = self._nav_action(pixmap.SP_ArrowBack, QWebEnginePage.WebAction.Back)
        self.back_action.setShortcut(QKeySequence.StandardKey.Back)
        self.forward_action = self._nav_action(
            pixmap.SP_ArrowForward, QWebEnginePage.WebAction.Forward
        )
        self.forward_action.setShortcut(QKeySequence.StandardKey.Forward)
        self.reload_action = self._nav_action(
            pixmap.SP_BrowserReload, QWebEnginePage.WebAction.Reload
        )
        self.reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.stop_action = self._nav_action(pixmap.SP_BrowserStop, QWebEnginePage.WebAction.Stop)
        self.focus_address_action = QAction(self)
        self.focus_address_action.setShortcut(QKeySequence("Ctrl+L"))
        self.focus_address_action.triggered.connect(self.focus_address)
        self.external_action = QAction(style.standardIcon(pixmap.SP_DirLinkIcon), "", self)
        self.external_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.external_action.triggered.connect(self.on_external_action_triggered)
        for action in (self.back_action, self.forward_action, self.reload_action):
            self.toolbar.addAction(action)
        self.toolbar.addAction(self.stop_action)
        self.toolbar.addWidget(self._address)
        self.toolbar.addWidget(self._elapsed)
        self.toolbar.addAction(self.external_action)

        self._bars = QVBoxLayout()
        self._bars.setContentsMargins(0, 0, 0, 0)
        self._bars.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self._progress)
        layout.addLayout(self._bars)
        # The view sits in a grey stage: full width for websites, a phone-sized column centred
        # in it for new-media accounts (see set_phone_viewport).
        self._stage = QWidget(self)
        self._stage.setObjectName("browserStage")
        self._stage.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        stage = QHBoxLayout(self._stage)
        stage.setContentsMargins(0, 0, 0, 0)
        stage.setSpacing(0)
        stage.addWidget(self._view, 1)
        layout.addWidget(self._stage, 1)
        self._progress.hide()
        self._make_page()
        self.retranslate()

    # --- building ------------------------------------------------------------------------------

    def _nav_action(self, icon: QStyle.StandardPixmap, which: QWebEnginePage.WebAction) -> QAction:
        action = QAction(self.style().standardIcon(icon), "", self)
        action.setProperty("web_action", which)
        action.triggered.connect(self.on_nav_action_triggered)
        return action

    def _make_profile(self) -> QWebEngineProfile:
        if self._persistent:
            profile = QWebEngineProfile(PERSISTENT_PROFILE, self)
            # Grants are never given anyway; do not even remember the refusals on disk.
            profile.setPersistentPermissionsPolicy(
                QWebEngineProfile.PersistentPermissionsPolicy.StoreInMemory
            )
        else:
            profile = QWebEngineProfile(self)
            profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        for attribute, value in SAFE_SETTINGS:
            profile.settings().setAttribute(attribute, value)
        profile.setDownloadPath(str(self._downloads_dir))
        self._default_agent = profile.httpUserAgent()
        if self._mobile_agent:
            profile.setHttpUserAgent(MOBILE_USER_AGENT)
        profile.downloadRequested.connect(self.on_profile_download_requested)
        return profile

    def _make_page(self) -> None:
        self._profile = self._make_profile()
        page = SafePage(self._profile, self._view)
        self._page = page
        self._view.setPage(page)
        page.loadStarted.connect(self.on_page_load_started)
        page.loadProgress.connect(self.on_page_load_progress)
        page.loadFinished.connect(self.on_page_load_finished)
        page.urlChanged.connect(self.on_page_url_changed)
        page.titleChanged.connect(self.title_changed)
        page.certificateError.connect(self.on_page_certificate_error)
        page.navigation_refused.connect(self.on_page_navigation_refused)
        page.popup_requested.connect(self.on_page_popup_requested)
        for action in (self.back_action, self.forward_action, self.reload_action, self.stop_action):
            source = page.action(action.property("web_action"))
            source.changed.connect(self.on_page_action_changed)
            action.setEnabled(source.isEnabled())

    def retranslate(self) -> None:
        """Set every text in the UI's language (called again on a language change)."""
        self._address.setPlaceholderText(self.tr("输入网址后回车"))
        self._elapsed.setToolTip(self.tr("页面加载用时"))
        self.back_action.setText(self.tr("后退"))
        self.back_action.setToolTip(self.tr("后退 (Alt+←)"))
        self.forward_action.setText(self.tr("前进"))
        self.forward_action.setToolTip(self.tr("前进 (Alt+→)"))
        self.reload_action.setText(self.tr("刷新"))
        self.reload_action.setToolTip(self.tr("刷新 (F5)"))
        self.stop_action.setText(self.tr("停止"))
        self.focus_address_action.setText(self.tr("转到地址栏"))
        self.external_action.setText(self.tr("在系统浏览器中打开"))
        self.external_action.setToolTip(self.tr("在系统浏览器中打开 (Ctrl+Shift+B)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- public --------------------------------------------------------------------------------

    @property
    def view(self) -> QWebEngineView:
        """The web view itself (for grabbing and tests)."""
        return self._view

    @property
    def page(self) -> SafePage | None:
        """The current page; None after :meth:`dispose`."""
        return self._page

    @property
    def profile(self) -> QWebEngineProfile | None:
        """The profile of the page; None after :meth:`dispose`."""
        return self._profile

    @property
    def persistent(self) -> bool:
        """Whether the profile is kept on disk (logins survive) rather than off the record."""
        return self._persistent

    @property
    def downloads_dir(self) -> Path:
        """The only folder downloads go to."""
        return self._downloads_dir

    @property
    def last_elapsed_ms(self) -> int | None:
        """How long the last finished load took, in milliseconds."""
        return self._last_elapsed_ms

    def info_bars(self) -> list[InfoBar]:
        """The bars shown above the page, oldest first."""
        bars = []
        for i in range(self._bars.count()):
            widget = self._bars.itemAt(i).widget()
            if isinstance(widget, InfoBar) and shiboken6.isValid(widget) and widget.isVisible():
                bars.append(widget)
        return bars

    def load(self, url: str) -> None:
        """Open an address; a bare host gets ``http://`` as a user would expect."""
        if self._page is None:
            return
        self._reject_pending_certificate()
        text = url.strip()
        if text and "://" not in text and not text.startswith(("about:", "data:")):
            text = "http://" + text
        self._address.setText(text)
        self._page.load(QUrl(text))

    def clear(self) -> None:
        """Show an empty page (no target selected)."""
        if self._page is None:
            return
        self._reject_pending_certificate()
        self._address.clear()
        self._elapsed.clear()
        self._page.setHtml("")

    def url(self) -> str:
        """The address of the page shown."""
        return self._page.url().toString() if self._page is not None else ""

    def set_persistent(self, persistent: bool) -> None:
        """Use a profile kept on disk (True) or an off-the-record one; the page is reloaded."""
        if persistent == self._persistent or self._page is None:
            return
        url = self.url()
        self.dispose()
        self._persistent = persistent
        self._make_page()
        if url and url != "about:blank":
            self.load(url)

    @property
    def phone_viewport(self) -> bool:
        """Whether the page is shown in a phone-sized column (:data:`PHONE_SIZE`)."""
        return self._phone

    @property
    def mobile_agent(self) -> bool:
        """Whether the profile announces itself as a phone (:data:`MOBILE_USER_AGENT`)."""
        return self._mobile_agent

    def user_agent(self) -> str:
        """The user agent the profile sends now."""
        return self._profile.httpUserAgent() if self._profile is not None else ""

    def set_phone_viewport(self, phone: bool) -> None:
        """Show the page in a phone-sized column centred in the view area, or full width."""
        self._phone = phone
        layout = self._stage.layout()
        assert isinstance(layout, QHBoxLayout)
        if phone:
            width, height = PHONE_SIZE
            self._view.setFixedWidth(width)
            # Never taller than a phone; shorter when the window is, rather than cut off.
            self._view.setMinimumHeight(0)
            self._view.setMaximumHeight(height)
            layout.setContentsMargins(0, 8, 0, 8)
            layout.setAlignment(self._view, Qt.AlignmentFlag.AlignHCenter)
        else:
            self._view.setMinimumWidth(0)
            self._view.setMaximumSize(16777215, 16777215)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setAlignment(self._view, Qt.AlignmentFlag(0))
        self._stage.setProperty("phone", phone)
        self._stage.style().unpolish(self._stage)
        self._stage.style().polish(self._stage)

    def set_mobile_agent(self, mobile: bool) -> None:
        """Announce a phone (True) or the desktop browser Qt ships (False) from the next request.

        The agent is the profile's, so it is kept across pages and when the profile is remade.
        """
        self._mobile_agent = mobile
        if self._profile is not None:
            self._profile.setHttpUserAgent(MOBILE_USER_AGENT if mobile else self._default_agent)

    def to_html(self, callback: Callable[[str], None]) -> bool:
        """Hand the current page's HTML (as the page now has it) to ``callback``; False if none."""
        if self._page is None:
            return False
        self._page.toHtml(callback)
        return True

    def show_message(self, text: str, *, level: str = "info") -> InfoBar:
        """Show a closable bar above the page."""
        return self._add_bar(InfoBar(text, level=level, parent=self))

    @Slot()
    def focus_address(self) -> None:
        """Select the address bar so a new address can be typed."""
        self._address.setFocus()
        self._address.selectAll()

    def dispose(self) -> None:
        """Delete the page, then its profile; the view shows nothing afterwards. Idempotent."""
        self._reject_pending_certificate()
        for download in self._downloads:
            if shiboken6.isValid(download) and not download.isFinished():
                download.cancel()
        self._downloads.clear()
        page, self._page = self._page, None
        profile, self._profile = self._profile, None
        if page is not None and shiboken6.isValid(page):
            page.loadFinished.disconnect(self.on_page_load_finished)
            shiboken6.delete(page)
        if profile is not None and shiboken6.isValid(profile):
            shiboken6.delete(profile)
        self._progress.hide()

    # --- certificate errors --------------------------------------------------------------------

    def accept_certificate(self) -> bool:
        """Proceed despite the pending certificate error; False when none is pending."""
        error, self._certificate = self._certificate, None
        self._drop_certificate_bar()
        if error is None:
            return False
        error.acceptCertificate()
        return True

    def reject_certificate(self) -> bool:
        """Refuse the pending certificate error (the page does not load); False when none."""
        error, self._certificate = self._certificate, None
        self._drop_certificate_bar()
        if error is None:
            return False
        error.rejectCertificate()
        return True

    def _reject_pending_certificate(self) -> None:
        if self._certificate is not None:
            self.reject_certificate()

    def _drop_certificate_bar(self) -> None:
        bar, self._certificate_bar = self._certificate_bar, None
        if bar is not None and shiboken6.isValid(bar):
            bar.hide()
            bar.deleteLater()

    @Slot(QWebEngineCertificateError)
    def on_page_certificate_error(self, error: QWebEngineCertificateError) -> None:
        url = error.url().toString()
        description = error.description()
        if not error.isMainFrame():
            # A broken image or script on the page: refuse it quietly, but still record it.
            error.rejectCertificate()
            self.certificate_error.emit(url, description)
            return
        self._reject_pending_certificate()
        if error.isOverridable():
            error.defer()
            # A copy: the argument wraps Qt's temporary, gone once this slot returns.
            self._certificate = QWebEngineCertificateError(error)
            buttons: tuple[tuple[str, str], ...] = (
                ("proceed", self.tr("仍然访问")),
                ("reject", self.tr("不访问")),
            )
            text = self.tr(
                "证书错误：{description}\n{url}\n已记为机器提示。可继续访问以检查页面内容，"
                "但该网站的连接不安全。"
            ).format(description=description, url=url)
        else:
            error.rejectCertificate()
            buttons = ()
            text = self.tr("证书错误（不可忽略）：{description}\n{url}\n已记为机器提示。").format(
                description=description, url=url
            )
        bar = InfoBar(text, level="error", buttons=buttons, parent=self)
        bar.setObjectName("certificateBar")
        bar.button_clicked.connect(self.on_certificate_bar_button_clicked)
        self._add_bar(bar)
        self._certificate_bar = bar if buttons else None
        self.certificate_error.emit(url, description)

    @Slot(str)
    def on_certificate_bar_button_clicked(self, choice: str) -> None:
        self._certificate_bar = None
        if choice == "proceed":
            self.accept_certificate()
        else:
            self.reject_certificate()

    # --- downloads -----------------------------------------------------------------------------

    def confirm_download(self, url: str) -> bool:
        """Download an address the inspector agreed to, into :attr:`downloads_dir`."""
        name = self._approved.get(url)
        if name is None or self._page is None:
            return False
        self._downloads_dir.mkdir(parents=True, exist_ok=True)
        self._page.download(QUrl(url), name)
        return True

    def decline_download(self, url: str) -> None:
        """Forget a download the inspector refused; nothing was written."""
        self._approved.pop(url, None)

    @Slot(QWebEngineDownloadRequest)
    def on_profile_download_requested(self, download: QWebEngineDownloadRequest) -> None:
        """Ask first, download after: the request is refused now and repeated once approved.

        QtWebEngine wants a decision before this slot returns, and a modal question here would
        nest an event loop inside Chromium's callback. Refusing writes nothing; when the
        inspector says yes, :meth:`confirm_download` asks the page for the same address again,
        and that second request, being approved, is accepted into the downloads folder.
        """
        if download.isSavePageDownload():
            return  # our own MHTML snapshot (see ui.capture), accepted by QWebEnginePage.save
        url = download.url().toString()
        name = safe_file_name(download.suggestedFileName() or download.downloadFileName())
        if url in self._approved:
            self._approved.pop(url)
            self._downloads_dir.mkdir(parents=True, exist_ok=True)
            target = unique_path(self._downloads_dir, name)
            download.setDownloadDirectory(str(target.parent))
            download.setDownloadFileName(target.name)
            download.isFinishedChanged.connect(self.on_download_is_finished_changed)
            self._downloads.append(download)
            download.accept()
            return
        self._approved[url] = name
        mime = download.mimeType() or "?"
        size = download.totalBytes()
        size_text = f"{size / 1024:.0f} KB" if size > 0 else self.tr("大小未知")
        bar = InfoBar(
            self.tr(
                "网页请求下载文件：{name}（{mime}，{size}）\n下载到受控文件夹 {folder}？"
            ).format(name=name, mime=mime, size=size_text, folder=self._downloads_dir),
            level="warn",
            buttons=(("download", self.tr("下载")), ("refuse", self.tr("不下载"))),
            parent=self,
        )
        bar.setObjectName("downloadBar")
        bar.setProperty("url", url)
        bar.button_clicked.connect(self.on_download_bar_button_clicked)
        self._add_bar(bar)
        self.download_requested.emit(url, name)

    @Slot(str)
    def on_download_bar_button_clicked(self, choice: str) -> None:
        url = str(self.sender().property("url"))
        if choice == "download":
            self.confirm_download(url)
        else:
            self.decline_download(url)

    @Slot()
    def on_download_is_finished_changed(self) -> None:
        download = self.sender()
        if not isinstance(download, QWebEngineDownloadRequest) or not download.isFinished():
            return
        if download in self._downloads:
            self._downloads.remove(download)
        path = Path(download.downloadDirectory()) / download.downloadFileName()
        state = download.state()
        if state == QWebEngineDownloadRequest.DownloadState.DownloadCompleted:
            bar = InfoBar(
                self.tr("已下载到 {path}").format(path=path),
                buttons=(("open_folder", self.tr("打开文件夹")),),
                parent=self,
            )
            bar.button_clicked.connect(self.on_done_bar_button_clicked)
            self._add_bar(bar)
            self.download_finished.emit(str(path))
        elif state != QWebEngineDownloadRequest.DownloadState.DownloadCancelled:
            self.show_message(
                self.tr("下载失败：{reason}").format(reason=download.interruptReasonString()),
                level="error",
            )

    @Slot(str)
    def on_done_bar_button_clicked(self, choice: str) -> None:
        if choice == "open_folder":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._downloads_dir)))

    # --- slots ---------------------------------------------------------------------------------

    def _add_bar(self, bar: InfoBar) -> InfoBar:
        # Keep at most a few: a site that fires downloads in a loop must not bury the page.
        bars = self.info_bars()
        for old in bars[:-3]:
            old.hide()
            old.deleteLater()
        self._bars.addWidget(bar)
        bar.show()
        return bar

    @Slot()
    def on_nav_action_triggered(self) -> None:
        if self._page is not None:
            self._page.triggerAction(self.sender().property("web_action"))

    @Slot()
    def on_page_action_changed(self) -> None:
        source = self.sender()
        if self._page is None or not shiboken6.isValid(source):
            return
        for action in (self.back_action, self.forward_action, self.reload_action, self.stop_action):
            if self._page.action(action.property("web_action")) is source:
                action.setEnabled(source.isEnabled())

    @Slot()
    def on_external_action_triggered(self) -> None:
        url = self.url()
        if url.startswith(("http://", "https://")):
            QDesktopServices.openUrl(QUrl(url))

    @Slot()
    def on_address_return_pressed(self) -> None:
        self.load(self._address.text())

    @Slot(str)
    def on_page_navigation_refused(self, url: str) -> None:
        self.show_message(self.tr("已阻止打开：{url}（只允许访问网页地址）").format(url=url))
        self.navigation_refused.emit(url)

    @Slot(QUrl)
    def on_page_popup_requested(self, url: QUrl) -> None:
        if self._page is not None:
            self._page.load(url)

    @Slot()
    def on_page_load_started(self) -> None:
        self._started_at = time.monotonic()
        self._progress.setValue(0)
        self._progress.show()
        self._elapsed.setText(self.tr("加载中…"))
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
        self._elapsed.setText(f"{elapsed} ms" if ok else self.tr("加载失败"))
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
