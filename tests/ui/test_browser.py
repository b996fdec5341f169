"""Safe browsing of untrusted sites, against real pages: settings, refused schemes, contained
popups, downloads only after a yes, certificate errors shown, recorded and decided."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings
from pytestqt.qtbot import QtBot

from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import PORTAL, MakeWindow, opened
from ui.browser import PERSISTENT_PROFILE, SAFE_SETTINGS, safe_file_name, unique_path
from ui.main_window import PERSISTENT_SETTING

Attr = QWebEngineSettings.WebAttribute
REPORT = "统计报表.xls".encode()  # not a real spreadsheet: the bytes only need to survive
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>附件</title></head>
<body style="margin:0">
<p><a id="report" href="/files/report.xls">2025年统计报表（附件）</a></p>
<p><a id="popup" href="/popup.html" target="_blank"
      style="display:block;width:300px;height:80px;background:#ddd">新窗口打开</a></p>
<p><a id="local" href="file:///etc/hostname">本机文件</a></p>
</body></html>"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        if self.path.startswith("/files/"):
            body, headers = (
                REPORT,
                {
                    "Content-Type": "application/vnd.ms-excel",
                    "Content-Disposition": 'attachment; filename="report.xls"',
                },
            )
        elif self.path == "/popup.html":
            body = "<html><body><h1>弹出的页面</h1></body></html>".encode()
            headers = {"Content-Type": "text/html; charset=utf-8"}
        else:
            body, headers = PAGE.encode(), {"Content-Type": "text/html; charset=utf-8"}
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: Chromium drops the TLS handshake it distrusts, which is the point."""


@pytest.fixture
def site() -> Iterator[_Server]:
    """A small site on 127.0.0.1 with an attachment, a popup link and a file:// link."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.paths = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[str]:
    """An HTTPS site on 127.0.0.1 whose certificate no browser trusts (a private CA)."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.paths = []  # type: ignore[attr-defined]
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def base(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def load(qtbot: QtBot, window: object, url: str) -> bool:
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as done:
        window.browser.load(url)
    return bool(done.args[0])


def run_js(qtbot: QtBot, window: object, script: str) -> object:
    result: list[object] = []
    window.browser.page.runJavaScript(script, 0, result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=5000)
    return result[0]


def test_pages_run_with_the_safe_settings(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    settings = window.browser.page.settings()
    for attribute, value in SAFE_SETTINGS:
        assert settings.testAttribute(attribute) is value, attribute
    assert settings.testAttribute(Attr.LocalContentCanAccessFileUrls) is False
    assert settings.testAttribute(Attr.LocalContentCanAccessRemoteUrls) is False
    assert settings.testAttribute(Attr.PluginsEnabled) is False
    assert settings.testAttribute(Attr.JavascriptEnabled) is True
    assert window.browser.profile.isOffTheRecord()
    assert window.browser.profile is not QWebEngineProfile.defaultProfile()
    assert run_js(qtbot, window, "typeof navigator.plugins.length") == "number"


def test_file_urls_are_refused_from_the_address_bar_and_from_pages(
    qtbot: QtBot, make_window: MakeWindow, site: _Server
) -> None:
    window = opened(qtbot, make_window)
    with qtbot.waitSignal(window.browser.navigation_refused, timeout=5000) as refused:
        window.browser.load("file:///etc/hostname")
    assert refused.args == ["file:///etc/hostname"]
    assert any("file:///etc/hostname" in bar.text for bar in window.browser.info_bars())
    assert load(qtbot, window, base(site) + "/page.html")
    run_js(qtbot, window, "document.getElementById('local').click(); true")
    qtbot.wait(300)  # nothing may happen; give a navigation the chance to happen wrongly
    assert window.browser.url().startswith(base(site))


def test_a_popup_opens_in_the_same_view(
    qtbot: QtBot, make_window: MakeWindow, site: _Server
) -> None:
    window = opened(qtbot, make_window)
    assert load(qtbot, window, base(site) + "/page.html")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    rect = run_js(
        qtbot,
        window,
        "JSON.stringify(document.getElementById('popup').getBoundingClientRect())",
    )
    box = json.loads(str(rect))
    target = window.browser.view.focusProxy()
    point = QPoint(int(box["x"] + 20), int(box["y"] + 20))
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as done:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=point)
    assert done.args[0] is True
    assert window.browser.url() == base(site) + "/popup.html"
    assert len(window.findChildren(type(window.browser.page))) == 1  # no second page lingers


def test_a_download_waits_for_the_inspector_and_goes_to_the_controlled_folder(
    qtbot: QtBot, make_window: MakeWindow, site: _Server, data_dir: Path
) -> None:
    window = opened(qtbot, make_window)
    assert load(qtbot, window, base(site) + "/page.html")
    downloads = data_dir / "downloads"
    with qtbot.waitSignal(window.browser.download_requested, timeout=10_000) as asked:
        run_js(qtbot, window, "document.getElementById('report').click(); true")
    url = base(site) + "/files/report.xls"
    assert asked.args == [url, "report.xls"]
    bar = next(b for b in window.browser.info_bars() if b.objectName() == "downloadBar")
    assert "report.xls" in bar.text and str(downloads) in bar.text
    assert not downloads.exists() or not any(downloads.iterdir())

    with qtbot.waitSignal(window.browser.download_finished, timeout=10_000) as done:
        qtbot.mouseClick(bar.button("download"), Qt.MouseButton.LeftButton)
    path = Path(done.args[0])
    assert path == downloads / "report.xls"
    assert path.read_bytes() == REPORT
    assert window.browser.profile.downloadPath() == str(downloads)


def test_a_refused_download_writes_nothing(
    qtbot: QtBot, make_window: MakeWindow, site: _Server, data_dir: Path
) -> None:
    window = opened(qtbot, make_window)
    assert load(qtbot, window, base(site) + "/page.html")
    with qtbot.waitSignal(window.browser.download_requested, timeout=10_000):
        run_js(qtbot, window, "document.getElementById('report').click(); true")
    bar = next(b for b in window.browser.info_bars() if b.objectName() == "downloadBar")
    qtbot.mouseClick(bar.button("refuse"), Qt.MouseButton.LeftButton)
    assert not window.browser.confirm_download(base(site) + "/files/report.xls")
    qtbot.wait(300)
    downloads = data_dir / "downloads"
    assert not downloads.exists() or not any(downloads.iterdir())
    assert site.paths.count("/files/report.xls") == 1  # type: ignore[attr-defined]


def test_a_certificate_error_is_shown_recorded_and_the_inspector_may_proceed(
    qtbot: QtBot, make_window: MakeWindow, tls_site: str
) -> None:
    window = opened(qtbot, make_window)
    with qtbot.waitSignal(window.browser.certificate_error, timeout=LOAD_TIMEOUT_MS) as error:
        window.browser.load(tls_site)
    assert error.args[0] == tls_site
    bar = next(b for b in window.browser.info_bars() if b.objectName() == "certificateBar")
    assert tls_site in bar.text
    hints = [h for h in window.findings.hints(PORTAL) if h.kind == "tls_error"]
    assert len(hints) == 1 and hints[0].url == tls_site and hints[0].source == "browser"
    assert [c.hint.id for c in window.checklist.target_hint_cards()] == [hints[0].id]
    assert any(e.action == "add_hints" for e in window.findings.audit_log(PORTAL))

    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as loaded:
        qtbot.mouseClick(bar.button("proceed"), Qt.MouseButton.LeftButton)
    assert loaded.args[0] is True
    assert window.browser.url() == tls_site


def test_refusing_a_certificate_error_keeps_the_page_away(
    qtbot: QtBot, make_window: MakeWindow, tls_site: str
) -> None:
    window = opened(qtbot, make_window)
    with qtbot.waitSignal(window.browser.certificate_error, timeout=LOAD_TIMEOUT_MS):
        window.browser.load(tls_site)
    bar = next(b for b in window.browser.info_bars() if b.objectName() == "certificateBar")
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as loaded:
        qtbot.mouseClick(bar.button("reject"), Qt.MouseButton.LeftButton)
    assert loaded.args[0] is False
    assert not [b for b in window.browser.info_bars() if b.objectName() == "certificateBar"]


def test_a_persistent_profile_is_a_setting(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    url = window.browser.url()
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS):
        window.persistent_action.trigger()
    profile = window.browser.profile
    assert not profile.isOffTheRecord() and profile.storageName() == PERSISTENT_PROFILE
    assert window.browser.url() == url
    assert window.browser.page.settings().testAttribute(Attr.PluginsEnabled) is False
    window.close()
    again = opened(qtbot, make_window)
    assert again.persistent_action.isChecked()
    assert not again.browser.profile.isOffTheRecord()
    with qtbot.waitSignal(again.browser.load_finished, timeout=LOAD_TIMEOUT_MS):
        again.persistent_action.trigger()
    assert again.browser.profile.isOffTheRecord()
    assert QSettings().value(PERSISTENT_SETTING, type=bool) is False


def test_download_names_cannot_escape_the_folder(tmp_path: Path) -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name('a<b>c:"d".pdf') == "a_b_c_d_.pdf"
    assert safe_file_name("") == "download"
    (tmp_path / "a.pdf").write_bytes(b"x")
    assert unique_path(tmp_path, "a.pdf") == tmp_path / "a (2).pdf"
