"""Issue #4 item 8, end to end with real QtWebEngine pages: open, select, tick, capture, close,
reopen — everything still there — and ``inspector verify`` trusts the file until one byte of an
evidence blob is flipped."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from inspector.store import FindingsFile, verify_file
from inspector.targets import State
from tests.ui.helpers import FGW, MakeWindow, activate, opened, select_and_wait, stored

CAPTURE_TIMEOUT_MS = 30_000


def flip_byte_inside(path: Path, blob: bytes) -> None:
    """Flip one byte in the middle of the first copy of ``blob``'s head in the raw file."""
    raw = bytearray(path.read_bytes())
    head = blob[:48]
    where = raw.find(head)
    assert where >= 0, "the evidence blob is not in the main file (WAL not checkpointed?)"
    raw[where + 24] ^= 0x01
    path.write_bytes(bytes(raw))


def test_tick_and_evidence_survive_reopening_and_verify_catches_tampering(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    ok, _ = select_and_wait(qtbot, window, FGW)
    assert ok is True and window.browser.url().endswith("/fgw/")

    # Keyboard first: Alt+3 to the checklist, J down to W-V4, 1 for "problem".
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert window.checklist.hasFocus()
    while window.checklist.current_indicator() != "W-V4":
        qtbot.keyClick(window.checklist, Qt.Key.Key_J)
    with qtbot.waitSignal(window.result_saved, timeout=5000) as saved:
        qtbot.keyClick(window.checklist, Qt.Key.Key_1)
    assert saved.args == [FGW, "W-V4"]

    with qtbot.waitSignal(window.evidence_saved, timeout=5000) as visible:
        qtbot.keyClick(
            window,
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    with qtbot.waitSignal(window.evidence_saved, timeout=CAPTURE_TIMEOUT_MS) as mhtml:
        window.capture_mhtml_action.trigger()
    with qtbot.waitSignal(window.evidence_saved, timeout=CAPTURE_TIMEOUT_MS) as full:
        window.capture_full_action.trigger()
    ids = [visible.args[1], mhtml.args[1], full.args[1]]
    assert window.checklist.row("W-V4").evidence.evidence_ids() == ids
    path = window.findings.path
    window.close()

    again = opened(qtbot, make_window)
    assert again.current_target() is not None and again.current_target().key == FGW
    assert again.checklist.row("W-V4").state == State.PROBLEM
    assert again.checklist.row("W-V4").evidence.evidence_ids() == ids
    items = {e.id: e for e in again.findings.evidence(FGW)}
    assert [items[i].kind for i in ids] == ["screenshot", "mhtml", "fullpage"]
    for item in items.values():
        assert item.indicator_id == "W-V4"
        assert item.url is not None and item.url.endswith("/fgw/")
        assert item.captured_at[:4].isdigit() and "T" in item.captured_at
        assert len(item.sha256) == 64
    shot = QImage.fromData(again.findings.evidence_data(ids[0]))
    assert not shot.isNull() and shot.width() > 100
    page = QImage.fromData(again.findings.evidence_data(ids[2]))
    assert not page.isNull() and page.height() >= shot.height()
    snapshot = again.findings.evidence_data(ids[1])
    assert b"multipart/related" in snapshot[:2000]
    assert b"Snapshot-Content-Location: http://127.0.0.1:" in snapshot[:500]
    assert b"/fgw/" in snapshot[:500]
    again.close()

    assert stored(path, FGW)["W-V4"][0] == "problem"
    report = verify_file(path)
    assert report.ok, report.problems
    assert report.checked_evidence == 3

    with FindingsFile.open(path) as findings:
        blob = findings.evidence_data(ids[1])
    flip_byte_inside(path, blob)
    report = verify_file(path)
    assert not report.ok
    assert any(f"#{ids[1]}" in problem for problem in report.problems), report.problems
