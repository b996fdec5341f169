"""Evidence from outside the browser (dropped, pasted, chosen files), viewing, and removal with
an audited reason."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from inspector.store import verify_file
from tests.ui.helpers import ACCOUNT, PORTAL, MakeWindow, activate, opened, select_and_wait
from ui.evidence import (
    SYNC_THUMBNAIL_BYTES,
    THUMB_SIZE,
    ImageError,
    read_image_file,
    sniff_image,
)


def image_file(path: Path, fmt: str, colour: str = "#2f6fba") -> Path:
    image = QImage(360, 640, QImage.Format.Format_RGB32)  # a phone screenshot's shape
    image.fill(QColor(colour))
    assert image.save(str(path), fmt)
    return path


def drop(window: object, paths: list[Path], at: QPoint) -> None:
    """Drag files from a file manager onto the checklist: enter (Qt picks the target), drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(at, *args)
    QApplication.sendEvent(window.checklist, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window.checklist, QDropEvent(at, *args))


def test_a_phone_screenshot_dropped_on_an_indicator_is_stored_there(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, ACCOUNT)
    row = window.checklist.row("M-V2")
    shot = image_file(tmp_path / "微信截图.jpg", "JPEG")
    with qtbot.waitSignal(window.evidence_saved, timeout=5000) as saved:
        drop(window, [shot], row.mapTo(window.checklist, QPoint(20, 10)))
    key, evidence_id = saved.args
    assert key == ACCOUNT
    info = window.findings.evidence(ACCOUNT)[0]
    assert (info.id, info.indicator_id, info.kind, info.mime) == (
        evidence_id,
        "M-V2",
        "phone",
        "image/jpeg",
    )
    assert info.filename == "微信截图.jpg"
    assert window.findings.evidence_data(evidence_id) == shot.read_bytes()
    assert row.evidence.evidence_ids() == [evidence_id]
    assert not row.evidence.button(evidence_id).icon().isNull()
    assert window.checklist.current_indicator() == "M-V2"
    assert verify_file(window.findings.path).ok


def test_a_drop_outside_the_rows_goes_to_the_target_and_non_images_are_refused(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = opened(qtbot, make_window)
    png = image_file(tmp_path / "a.png", "PNG")
    webp = image_file(tmp_path / "b.webp", "WEBP", "#c62828")
    fake = tmp_path / "c.png"
    fake.write_text("not an image", encoding="utf-8")
    title = window.checklist.findChild(type(window.checklist._title), "targetTitle")
    with qtbot.waitSignal(window.evidence_saved, timeout=5000):
        drop(window, [png, webp, fake], title.mapTo(window.checklist, QPoint(5, 5)))
    items = window.findings.evidence(PORTAL)
    assert [(i.indicator_id, i.mime) for i in items] == [(None, "image/png"), (None, "image/webp")]
    assert window.checklist.target_evidence.evidence_ids() == [i.id for i in items]
    box = window.dialog
    assert isinstance(box, QMessageBox) and "c.png" in box.text()


def test_pasting_an_image_attaches_it_to_the_current_indicator(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    activate(qtbot, window)
    window.focus_checklist()
    window.checklist.set_current("W-V3")
    image = QImage(200, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e8b57"))
    QGuiApplication.clipboard().setImage(image)
    with qtbot.waitSignal(window.evidence_saved, timeout=5000) as saved:
        qtbot.keyClick(window.checklist, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    info = window.findings.evidence(PORTAL)[0]
    assert info.id == saved.args[1] and info.indicator_id == "W-V3" and info.mime == "image/png"
    stored = QImage.fromData(window.findings.evidence_data(info.id))
    assert stored.size() == image.size()


def test_images_chosen_in_the_file_dialog_are_added(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = opened(qtbot, make_window)
    window.checklist.set_current("W-V5")
    first = image_file(tmp_path / "1.png", "PNG", "#111111")
    second = image_file(tmp_path / "2.jpg", "JPEG", "#eeeeee")
    window.on_image_dialog_files_selected([str(first), str(second)])
    items = window.findings.evidence(PORTAL)
    assert [i.filename for i in items] == ["1.png", "2.jpg"]
    assert {i.indicator_id for i in items} == {"W-V5"}
    window.on_image_dialog_files_selected([str(first)])  # the same bytes again: stored once
    assert len(window.findings.evidence(PORTAL)) == 2


def test_the_viewer_shows_the_image_and_removal_asks_a_reason_that_is_audited(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    window.checklist.set_current("W-V1")
    with qtbot.waitSignal(window.evidence_saved, timeout=5000) as saved:
        window.capture_visible_action.trigger()
    evidence_id = saved.args[1]
    viewer = window.open_evidence(evidence_id)
    assert viewer is not None and viewer.isVisible() and viewer.isModal()
    qtbot.waitExposed(viewer)
    assert viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull()
    assert viewer.info.sha256 in [
        w.text() for w in viewer.findChildren(type(window.browser._address))
    ]

    qtbot.mouseClick(viewer.remove_button, Qt.MouseButton.LeftButton)
    reason = viewer.findChild(QInputDialog, "removalReasonDialog")
    assert reason is not None and reason.isVisible()
    reason.setTextValue("截到了无关页面")
    with qtbot.waitSignal(window.evidence_removed, timeout=5000):
        reason.accept()
    assert window.findings.evidence(PORTAL) == []
    assert window.checklist.row("W-V1").evidence.evidence_ids() == []
    entry = window.findings.audit_log(PORTAL)[-1]
    assert entry.action == "remove_evidence" and entry.reason == "截到了无关页面"
    assert entry.old_value["id"] == evidence_id and len(entry.old_value["sha256"]) == 64
    assert entry.who == window.inspector


def test_removing_from_a_thumbnail_needs_a_reason(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    with qtbot.waitSignal(window.evidence_saved, timeout=5000) as saved:
        window.capture_visible_action.trigger()
    evidence_id = saved.args[1]
    window.on_checklist_evidence_remove_requested(evidence_id)
    dialog = window.dialog
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("   ")
    dialog.accept()  # a blank reason removes nothing
    assert [e.id for e in window.findings.evidence(PORTAL)] == [evidence_id]
    window.on_checklist_evidence_remove_requested(evidence_id)
    window.dialog.setTextValue("重复")
    with qtbot.waitSignal(window.evidence_removed, timeout=5000):
        window.dialog.accept()
    assert window.findings.evidence(PORTAL) == []


def test_only_png_jpeg_and_webp_content_counts(tmp_path: Path) -> None:
    assert sniff_image(b"\x89PNG\r\n\x1a\n....") == ("image/png", ".png")
    assert sniff_image(b"\xff\xd8\xff\xe0....") == ("image/jpeg", ".jpg")
    assert sniff_image(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ("image/webp", ".webp")
    assert sniff_image(b"GIF89a") is None
    renamed = image_file(tmp_path / "looks.png", "JPEG")
    assert read_image_file(renamed).mime == "image/jpeg"
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    try:
        read_image_file(broken)
    except ImageError as exc:
        assert "broken.png" in str(exc)
    else:
        raise AssertionError("a broken PNG was accepted")


def test_a_large_image_gets_its_thumbnail_off_the_event_loop(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    """A tall full page decodes slowly: a placeholder first, the thumbnail when it is made."""
    noise = os.urandom(800 * 1200 * 4)  # incompressible: a PNG well over the threshold
    image = QImage(noise, 800, 1200, QImage.Format.Format_RGB32).copy()
    path = tmp_path / "large.png"
    assert image.save(str(path), "PNG") and path.stat().st_size > SYNC_THUMBNAIL_BYTES
    window = opened(qtbot, make_window)
    row = window.checklist.row("W-V1")
    with qtbot.waitSignal(window._thumbnails.ready, timeout=10_000) as ready:
        drop(window, [path], row.mapTo(window.checklist, QPoint(20, 10)))
    evidence_id, pixmap = ready.args
    assert row.evidence.evidence_ids() == [evidence_id]
    assert pixmap.size() == THUMB_SIZE
    shown = row.evidence.button(evidence_id).icon().pixmap(THUMB_SIZE).toImage()
    assert shown.pixel(20, 20) == pixmap.toImage().pixel(20, 20)
