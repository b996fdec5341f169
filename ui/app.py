"""Start-up of the desktop app: QtWebEngine's environment, the qasync loop, the built-in demo.

Order matters here. QtWebEngine reads its environment (sandbox, Chromium flags) once, and its
module must be imported before the QApplication exists, so :func:`run` prepares the environment
first, imports Qt second, and only then builds the application.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

TITLE = "政府网站与政务新媒体检查工作台"
ORGANIZATION = "gov-inspector"
APPLICATION = "inspector"
DEFAULT_SCREENSHOT = Path("inspector-demo.png")
# How long a screenshot run waits for the first page before grabbing whatever is shown.
SCREENSHOT_TIMEOUT_S = 20.0
# Pause after the load so the compositor has painted the page into the view.
PAINT_DELAY_S = 0.6


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def prepare_environment() -> bool:
    """Set what QtWebEngine and Qt read at start-up; True when there is no display to show on.

    Chromium refuses to run sandboxed as root, so the sandbox is dropped then, or when the user
    asks with ``INSPECTOR_NO_SANDBOX=1``, and never otherwise. On Linux without X11 or Wayland
    (a server, a container, CI) Qt would abort; we go offscreen instead.
    """
    if _is_root() or os.environ.get("INSPECTOR_NO_SANDBOX") == "1":
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    headless = (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--disable-gpu" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --disable-gpu".strip()
    return headless


def data_dir() -> Path:
    """The app's own folder in the platform's app-data location (demo file, downloads)."""
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if location:
        return Path(location)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / ORGANIZATION / APPLICATION


def demo_data_dir() -> Path:
    """Where the demo findings file lives."""
    return data_dir() / "demo"


def make_application() -> QApplication:
    """The QApplication, created once, with the names QSettings and QStandardPaths use."""
    from PySide6 import QtWebEngineWidgets  # noqa: F401  (must precede the QApplication)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "inspector"])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(TITLE)
    # The session ends when our coroutine returns, not when Qt sees the last window go: qasync's
    # loop must not be stopped under a running coroutine.
    app.setQuitOnLastWindowClosed(False)
    from ui import i18n

    i18n.apply_language(i18n.saved_language(), save=False)
    return app


def make_event_loop(app: QApplication) -> asyncio.AbstractEventLoop:
    """A qasync loop for ``asyncio.Runner`` that lets the application exit only once.

    WORKAROUND: ``QCoreApplication.exit()`` emits ``aboutToQuit``, on which QtWebEngine tears
    itself down. ``asyncio.Runner.close()`` runs the loop again (async generators, executor) and
    qasync's loop would call ``exit()`` a second time, which calls into the torn-down engine and
    segfaults at random (PySide6 6.11, qasync 0.28). So once the session has run on the
    application's loop, later runs use a local QEventLoop that ends without ``exit()``.
    """
    import qasync
    from PySide6.QtCore import QEventLoop

    class AppEventLoop(qasync.QEventLoop):
        _app_has_exited = False

        def run_until_complete(self, future: Any) -> Any:
            if not self._app_has_exited:
                try:
                    return super().run_until_complete(future)
                finally:
                    self._app_has_exited = True
            task = asyncio.ensure_future(future, loop=self)
            if not task.done():
                local = QEventLoop()
                task.add_done_callback(lambda _task: local.quit())
                asyncio._set_running_loop(self)
                try:
                    local.exec()
                finally:
                    asyncio._set_running_loop(None)
            return task.result()

    return AppEventLoop(app)


async def wait_for_first_load(window: MainWindow, timeout: float) -> bool:
    """Wait until the browser finished its first page (True) or the timeout passed (False)."""
    loaded: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def done(ok: bool, _elapsed_ms: int) -> None:
        if not loaded.done():
            loaded.set_result(ok)

    window.browser.load_finished.connect(done)
    try:
        return await asyncio.wait_for(loaded, timeout)
    except TimeoutError:
        return False
    finally:
        window.browser.load_finished.disconnect(done)


async def take_screenshot(window: MainWindow, path: Path) -> bool:
    """Grab the window to a PNG once its first page is in; True when the file was written."""
    await wait_for_first_load(window, SCREENSHOT_TIMEOUT_S)
    await asyncio.sleep(PAINT_DELAY_S)
    path.parent.mkdir(parents=True, exist_ok=True)
    return bool(window.grab().save(str(path), "PNG"))


Session = Callable[["MainWindow"], Awaitable[int]]


async def _session(window: MainWindow, screenshot: Path | None, session: Session | None) -> int:
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    window.closed.connect(lambda: closed.done() or closed.set_result(None))
    window.show()
    if session is not None:
        code = await session(window)
        if window.isVisible():
            window.close()
        return code
    if screenshot is not None:
        saved = await take_screenshot(window, screenshot)
        window.close()
        return 0 if saved else 1
    await closed
    return 0


def _headless_notice(path: Path, window: MainWindow) -> str:
    target = window.current_target()
    shown = target.name if target is not None else "（无检查对象）"
    return (
        f"未检测到图形显示（没有 DISPLAY / WAYLAND_DISPLAY），工作台已在后台打开并截图：{path}\n"
        f"截图内容：主窗口，左侧为检查对象列表，中间为“{shown}”的网页，右侧为检查指标与实时结论。\n"
        "要看到真正的窗口：在有桌面的电脑上运行 inspector；在服务器上可用 "
        "`xvfb-run -a inspector` 配合 x11vnc 和 VNC 查看器。\n"
        f"No display found (no DISPLAY or WAYLAND_DISPLAY): the workbench ran offscreen and saved a "
        f"screenshot to {path}.\n"
        f"It shows the main window: the target list, the page of “{shown}”, and the checklist with "
        "the live verdict.\n"
        "To see the real window, run `inspector` on a desktop, or on a server run it under Xvfb "
        "(`xvfb-run -a inspector`) with x11vnc and connect a VNC viewer."
    )


def run(
    workspace: Path | None = None,
    *,
    screenshot: Path | None = None,
    inspector: str | None = None,
    session: Session | None = None,
) -> int:
    """Open the workbench on a findings file, or on the built-in demo; returns the exit code.

    With ``screenshot`` the window opens, waits for the first target's page (at most
    ``SCREENSHOT_TIMEOUT_S``), is saved as a PNG, and the app quits. Without a display this
    happens automatically (to ``./inspector-demo.png``), since no window could be seen.
    ``session`` (benchmarks, scripted runs) is a coroutine function given the shown window;
    its result is the exit code and the window closes when it returns.
    """
    headless = prepare_environment()
    workspace = Path(workspace) if workspace is not None else None
    screenshot = Path(screenshot) if screenshot is not None else None
    if headless and screenshot is None and session is None:
        screenshot = DEFAULT_SCREENSHOT
    app = make_application()

    import shiboken6
    from PySide6.QtWidgets import QMessageBox

    from inspector.demo import DemoServer, open_demo_workspace
    from inspector.profiles import ProfileError, load_profile
    from inspector.store import FindingsError, FindingsFile
    from ui.main_window import MainWindow

    with contextlib.ExitStack() as stack:
        try:
            if workspace is None:
                server = stack.enter_context(DemoServer())
                findings = open_demo_workspace(demo_data_dir(), server.base_url)
            else:
                findings = FindingsFile.open(workspace)
            try:
                profile = load_profile(findings.profile_id)
            except BaseException:
                findings.close()
                raise
        except (FindingsError, ProfileError, OSError) as exc:
            print(f"无法打开 / cannot open: {exc}", file=sys.stderr)
            if screenshot is None and app.platformName() not in ("offscreen", "minimal"):
                QMessageBox.critical(None, TITLE, str(exc))
            return 2
        window = MainWindow(findings, profile, inspector=inspector)
        if screenshot is not None:
            window.resize(1400, 900)
        # Everything built so far (Qt wrappers, profile, modules) lives as long as the app: moved
        # out of the collector's sight, a full collection no longer walks it on the GUI thread
        # (tens of milliseconds on a large heap, a visible stall during a scan).
        gc.collect()
        gc.freeze()
        with asyncio.Runner(loop_factory=lambda: make_event_loop(app)) as runner:
            code = runner.run(_session(window, screenshot, session))
        if screenshot is not None:
            if headless:
                print(_headless_notice(screenshot.resolve(), window))
            elif code == 0:
                print(f"截图已保存 / screenshot saved: {screenshot.resolve()}")
            else:
                print(f"截图保存失败 / could not save screenshot: {screenshot}", file=sys.stderr)
        shiboken6.delete(window)
    return code
