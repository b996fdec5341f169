"""Evidence capture from the embedded browser: the visible page, the whole page, an MHTML snapshot.

A capture only produces bytes and the facts about them (:class:`Capture`); storing them in the
findings file (where the SHA-256 is computed) is the window's business. The visible page is one
synchronous grab. The whole page and the MHTML snapshot take a while, so they run as jobs that
report through signals and never block the event loop: the full page is scrolled and stitched one
screen at a time, and PNG encoding of the tall result runs on a worker thread.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtWebEngineCore import QWebEngineDownloadRequest, QWebEnginePage, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView

from inspector.store import iso_seconds

# A full-page capture stops at this height (CSS pixels); taller pages are cut and say so.
MAX_FULL_PAGE_PX = 20_000
# How long one screen may take to appear after scrolling before it is grabbed anyway.
FRAME_TIMEOUT_MS = 600
# How long an MHTML snapshot may take before it is given up.
MHTML_TIMEOUT_MS = 60_000
MHTML_MIME = "multipart/related"

# Our scripts run in their own JavaScript world: the page's scripts cannot see or change them.
_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
_MEASURE = """JSON.stringify({
  height: Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0),
  viewport: window.innerHeight, x: window.scrollX, y: window.scrollY,
  scrollbar: Math.max(0, window.innerWidth - document.documentElement.clientWidth)})"""
_SCROLL = "window.scrollTo({left: 0, top: %d, behavior: 'instant'}); window.scrollY"
# Fixed and sticky elements (headers, floating service buttons) would repeat on every screen.
_HIDE_FIXED = """(() => { let n = 0;
  for (const el of document.querySelectorAll('body *')) {
    const p = getComputedStyle(el).position;
    if (p === 'fixed' || p === 'sticky') {
      el.setAttribute('data-inspector-visibility', el.style.visibility);
      el.style.visibility = 'hidden'; n++; } }
  return n; })()"""
_RESTORE = """(() => {
  for (const el of document.querySelectorAll('[data-inspector-visibility]')) {
    el.style.visibility = el.getAttribute('data-inspector-visibility');
    el.removeAttribute('data-inspector-visibility'); }
  window.scrollTo({left: %d, top: %d, behavior: 'instant'}); return true; })()"""


def now_iso() -> str:
    """The capture time as stored: local time with its UTC offset, to the second."""
    return iso_seconds(datetime.now().astimezone())


def png_bytes(image: QImage) -> bytes:
    """Encode an image as PNG (safe on a worker thread: QImage is not a widget)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ValueError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())


@dataclass(frozen=True)
class Capture:
    """Bytes captured from the browser and what is known about them.

    ``kind`` is the findings file's evidence kind (``screenshot``, ``fullpage``, ``mhtml``);
    ``captured_at`` is when the page was seen (the start of a long capture).
    """

    kind: str
    data: bytes
    mime: str
    url: str
    captured_at: str
    filename: str
    note: str = ""


def capture_visible(view: QWebEngineView, url: str) -> Capture:
    """The part of the page the inspector sees now, as a PNG."""
    at = now_iso()
    image = view.grab().toImage()
    if image.isNull() or image.width() < 2:
        raise ValueError("nothing to capture")
    stamp = at[:19].replace(":", "").replace("-", "")
    return Capture("screenshot", png_bytes(image), "image/png", url, at, f"screenshot-{stamp}.png")


class CaptureJob(QObject):
    """A capture that takes time; emits exactly one of ``finished`` or ``failed``.

    Signals:
        finished(object): the :class:`Capture`.
        failed(str): why there is none (already translated for the status bar).
        progress(int, int): steps done and steps in all (for a progress bar).
    """

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._done = False

    @property
    def done(self) -> bool:
        """Whether the job has reported its outcome."""
        return self._done

    def start(self) -> None:
        """Begin; the outcome arrives as ``finished`` or ``failed`` (subclasses)."""
        raise NotImplementedError

    def cancel(self) -> None:
        """Give up (the window is closing or the target changed); reports ``failed``."""
        self._fail(self.tr("已取消"))

    def _finish(self, capture: Capture) -> None:
        if not self._done:
            self._done = True
            self._cleanup()
            self.finished.emit(capture)

    def _fail(self, reason: str) -> None:
        if not self._done:
            self._done = True
            self._cleanup()
            self.failed.emit(reason)

    def _cleanup(self) -> None:
        """Release what the job holds (subclasses)."""


class FullPageCapture(CaptureJob):
    """The whole page, scrolled one screen at a time and stitched, up to ``MAX_FULL_PAGE_PX``.

    Each screen is grabbed once the page has reported the new scroll position and the view has
    rendered a frame after it. Fixed and sticky elements are hidden after the first screen so
    that a floating header appears once, at the top. The scroll position and the hidden elements
    are restored afterwards, and a navigation during the capture aborts it.
    """

    _encoded = Signal(object)
    _encode_failed = Signal(str)

    def __init__(self, view: QWebEngineView, page: QWebEnginePage, url: str) -> None:
        super().__init__(view)
        self._view = view
        self._page = page
        self._url = url
        self._at = now_iso()
        self._offsets: list[int] = []
        self._index = 0
        self._image: QImage | None = None
        self._painter: QPainter | None = None
        self._scale = 1.0
        self._height = 0
        self._viewport = 0
        self._cut = False
        self._scrollbar = 0
        self._origin = (0, 0)
        self._waiting_scroll: int | None = None
        self._frame_windows: list[QObject] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._encoded.connect(self.on_self_encoded)
        self._encode_failed.connect(self._fail)

    def start(self) -> None:
        """Measure the page and begin; the outcome arrives as a signal."""
        self._page.loadStarted.connect(self.on_page_load_started)
        self._page.scrollPositionChanged.connect(self.on_page_scroll_position_changed)
        self._run(_MEASURE, self.on_measured)

    def _run(self, script: str, callback: Callable[[object], None]) -> None:
        page = self._page
        if self._done or not shiboken6.isValid(page):
            return
        page.runJavaScript(script, _WORLD, lambda result: None if self._done else callback(result))

    def on_measured(self, result: object) -> None:
        try:
            facts = json.loads(str(result))
            height, viewport = int(facts["height"]), int(facts["viewport"])
            self._origin = (int(facts["x"]), int(facts["y"]))
            self._scrollbar = int(facts.get("scrollbar", 0))
        except (ValueError, KeyError, TypeError):
            self._fail(self.tr("无法测量页面高度"))
            return
        if viewport <= 0:
            self._fail(self.tr("页面不可见，无法截取"))
            return
        self._cut = height > MAX_FULL_PAGE_PX
        self._height = max(min(height, MAX_FULL_PAGE_PX), viewport)
        self._viewport = viewport
        last = self._height - viewport
        self._offsets = [*range(0, last, viewport), last]
        self._index = 0
        self._scroll_to_current()

    def _scroll_to_current(self) -> None:
        offset = self._offsets[self._index]
        self.progress.emit(self._index, len(self._offsets))
        self._run(_SCROLL % offset, self.on_scrolled)

    def on_scrolled(self, result: object) -> None:
        try:
            actual = round(float(result))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            actual = self._offsets[self._index]
        self._offsets[self._index] = actual
        current = round(self._page.scrollPosition().y())
        if current == actual:
            # Already there (the first screen, usually): the frame on show is the one to grab.
            self._wait_for_frame()
        else:
            self._waiting_scroll = actual
            self._timer.start(FRAME_TIMEOUT_MS)

    @Slot(object)
    def on_page_scroll_position_changed(self, position: object) -> None:
        if self._waiting_scroll is None:
            return
        if round(position.y()) == self._waiting_scroll:  # type: ignore[attr-defined]
            self._waiting_scroll = None
            self._wait_for_frame()

    def _wait_for_frame(self) -> None:
        """Grab after the view's next rendered frame, or after a short time if none comes.

        WORKAROUND: QWebEngineView has no "frame presented" signal. Its content is drawn by an
        internal QQuickWidget whose offscreen QQuickWindow emits ``afterRendering``; we listen to
        every such window (only the one redrawing fires) and fall back to a timer.
        """
        self._timer.start(FRAME_TIMEOUT_MS if self._index else 150)
        for window in QGuiApplication.allWindows():
            if window.metaObject().className() == "QQuickWidgetOffscreenWindow":
                window.afterRendering.connect(self.on_window_after_rendering)
                self._frame_windows.append(window)

    def _stop_waiting(self) -> None:
        self._timer.stop()
        for window in self._frame_windows:
            if shiboken6.isValid(window):
                window.afterRendering.disconnect(self.on_window_after_rendering)
        self._frame_windows.clear()

    @Slot()
    def on_window_after_rendering(self) -> None:
        # afterRendering comes from the render step; grab once control is back in the loop.
        self._stop_waiting()
        QTimer.singleShot(0, self._grab)

    @Slot()
    def on_timer_timeout(self) -> None:
        self._stop_waiting()
        self._waiting_scroll = None
        self._grab()

    def _grab(self) -> None:
        if self._done:
            return
        if not shiboken6.isValid(self._view):
            self._fail(self.tr("浏览器已关闭"))
            return
        shot = self._view.grab().toImage()
        if shot.isNull():
            self._fail(self.tr("截图为空"))
            return
        if self._image is None:
            self._scale = shot.height() / self._viewport
            # The page's own scroll bar would show once per screen, its thumb at each position.
            width = shot.width() - round(self._scrollbar * self._scale)
            size = (max(width, 1), round(self._height * self._scale))
            self._image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
            self._image.fill(0xFFFFFFFF)
            self._painter = QPainter(self._image)
        assert self._painter is not None
        top = round(self._offsets[self._index] * self._scale)
        self._painter.drawImage(0, top, shot, 0, 0, self._image.width(), shot.height())
        self._index += 1
        if self._index == 1 and len(self._offsets) > 1:
            self._run(_HIDE_FIXED, lambda _count: self._scroll_to_current())
        elif self._index < len(self._offsets):
            self._scroll_to_current()
        else:
            self._assemble()

    def _assemble(self) -> None:
        self.progress.emit(len(self._offsets), len(self._offsets))
        self._restore_page()
        assert self._painter is not None and self._image is not None
        self._painter.end()
        self._painter = None
        image, self._image = self._image, None

        def encode() -> None:
            try:
                self._encoded.emit(png_bytes(image))
            except (ValueError, MemoryError) as exc:
                self._encode_failed.emit(str(exc))

        # PNG encoding of a 20,000-pixel page takes long enough to freeze the window.
        QThreadPool.globalInstance().start(encode)

    @Slot(object)
    def on_self_encoded(self, data: bytes) -> None:
        stamp = self._at[:19].replace(":", "").replace("-", "")
        note = ""
        if self._cut:
            note = self.tr("页面过长，只截取了前 {px} 像素").format(px=MAX_FULL_PAGE_PX)
        self._finish(
            Capture(
                "fullpage", data, "image/png", self._url, self._at, f"fullpage-{stamp}.png", note
            )
        )

    @Slot()
    def on_page_load_started(self) -> None:
        self._fail(self.tr("截取过程中页面发生了跳转"))

    def _restore_page(self) -> None:
        if shiboken6.isValid(self._page):
            self._page.runJavaScript(_RESTORE % self._origin, _WORLD)

    def _cleanup(self) -> None:
        self._stop_waiting()
        if self._painter is not None:
            self._painter.end()
            self._painter = None
        if shiboken6.isValid(self._page):
            self._page.loadStarted.disconnect(self.on_page_load_started)
            self._page.scrollPositionChanged.disconnect(self.on_page_scroll_position_changed)
            if self._image is not None:
                self._restore_page()
        self._image = None


class MhtmlCapture(CaptureJob):
    """The page as one MHTML file (HTML, styles and images together), via QWebEnginePage.save.

    Chromium writes the file through the profile's download machinery into a private temporary
    folder; when the download completes the bytes are read back and the folder removed.
    """

    def __init__(self, page: QWebEnginePage, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._page = page
        self._url = url
        self._at = now_iso()
        self._folder = Path(tempfile.mkdtemp(prefix="inspector-mhtml-"))
        self._path = self._folder / "snapshot.mhtml"
        self._download: QWebEngineDownloadRequest | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.on_timer_timeout)

    def start(self) -> None:
        """Ask the page to save itself; the outcome arrives as a signal."""
        profile = self._page.profile()
        profile.downloadRequested.connect(self.on_profile_download_requested)
        self._timer.start(MHTML_TIMEOUT_MS)
        self._page.save(
            str(self._path), QWebEngineDownloadRequest.SavePageFormat.MimeHtmlSaveFormat
        )

    @Slot(QWebEngineDownloadRequest)
    def on_profile_download_requested(self, download: QWebEngineDownloadRequest) -> None:
        if self._download is not None or not download.isSavePageDownload():
            return
        if Path(download.downloadDirectory()) / download.downloadFileName() != self._path:
            return
        self._download = download
        download.isFinishedChanged.connect(self.on_download_is_finished_changed)
        if download.isFinished():
            self.on_download_is_finished_changed()

    @Slot()
    def on_download_is_finished_changed(self) -> None:
        download = self._download
        if download is None or not download.isFinished():
            return
        if download.state() != QWebEngineDownloadRequest.DownloadState.DownloadCompleted:
            self._fail(
                self.tr("网页快照保存失败：{reason}").format(
                    reason=download.interruptReasonString()
                )
            )
            return
        try:
            data = self._path.read_bytes()
        except OSError as exc:
            self._fail(str(exc))
            return
        stamp = self._at[:19].replace(":", "").replace("-", "")
        self._finish(Capture("mhtml", data, MHTML_MIME, self._url, self._at, f"page-{stamp}.mhtml"))

    @Slot()
    def on_timer_timeout(self) -> None:
        self._fail(self.tr("网页快照超时"))

    def _cleanup(self) -> None:
        self._timer.stop()
        if shiboken6.isValid(self._page):
            self._page.profile().downloadRequested.disconnect(self.on_profile_download_requested)
        download, self._download = self._download, None
        if download is not None and shiboken6.isValid(download) and not download.isFinished():
            download.cancel()
        shutil.rmtree(self._folder, ignore_errors=True)
