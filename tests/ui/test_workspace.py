"""The workspace: a new findings file from a sample list, recent files, and what the window says
after a crash (nothing committed is lost)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from inspector.demo import DemoServer, demo_entries
from inspector.samples import write_sample
from inspector.store import FindingsFile
from inspector.targets import State
from tests.domain.quarterkit import account, inspector_file
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import FGW, PORTAL, MakeWindow, opened, stored
from ui.workspace import NewWorkspaceDialog, SessionMarker, describe_entry, recent_files


def sample_file(tmp_path: Path, server: DemoServer) -> Path:
    path = tmp_path / "抽查名单.csv"
    write_sample(path, [e.target(server.base_url) for e in demo_entries()[:3]])
    return path


def test_a_new_findings_file_from_a_sample_list(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, demo_server: DemoServer
) -> None:
    window = opened(qtbot, make_window)
    sample = sample_file(tmp_path, demo_server)
    window.new_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, NewWorkspaceDialog) and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.sample_edit.setText(str(sample))
    dialog.inspector_edit.setText("李四")
    dialog.quarter_edit.setText("2025Q3")
    assert dialog.output_path == tmp_path / "李四-2025Q3.sqlite"
    assert ok.isEnabled(), dialog.message.text()
    signals = [window.workspace_changed, window.browser.load_finished]
    with qtbot.waitSignals(signals, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    output = tmp_path / "李四-2025Q3.sqlite"
    assert window.findings.path == output
    assert window.inspector == "李四" and window.findings.quarter == "2025Q3"
    assert window.target_list.target_keys() == [PORTAL, FGW, "site:9900000023"]
    assert window.findings.profile_id == "national-2019"
    qtbot.mouseClick(window.checklist.row("W-V1").button(State.OK), Qt.MouseButton.LeftButton)
    assert stored(output, PORTAL) == {"W-V1": ("ok", "", "李四")}
    assert recent_files()[0] == output.resolve()


def test_the_new_file_dialog_refuses_an_existing_file(
    qtbot: QtBot, tmp_path: Path, demo_server: DemoServer, app: object
) -> None:
    dialog = NewWorkspaceDialog(inspector="王五", folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.sample_edit.setText(str(sample_file(tmp_path, demo_server)))
    (tmp_path / "王五-2025Q3.sqlite").write_bytes(b"")
    dialog.quarter_edit.setText("2025Q3")
    assert "已存在" in dialog.problem()
    dialog.quarter_edit.setText("2025Q5")
    assert not dialog.quarter_edit.hasAcceptableInput()


def test_recent_files_reopen_from_the_file_menu(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, demo_server: DemoServer
) -> None:
    window = opened(qtbot, make_window)
    demo_path = window.findings.path
    other = FindingsFile.create(
        tmp_path / "张三.sqlite", quarter="2025Q2", inspector="张三", profile_id="national-2019"
    )
    other.add_targets([demo_entries()[1].target(demo_server.base_url)], who="张三")
    other.close()
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS):
        window.on_open_dialog_file_selected(str(tmp_path / "张三.sqlite"))
    window.recent_menu.aboutToShow.emit()
    entries = [a for a in window.recent_menu.actions() if a.isEnabled()]
    assert [a.toolTip() for a in entries] == [str(demo_path.resolve())]
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS):
        entries[0].trigger()
    assert window.findings.path.resolve() == demo_path.resolve()
    assert recent_files()[:2] == [demo_path.resolve(), (tmp_path / "张三.sqlite").resolve()]


def test_after_a_crash_the_window_says_so_and_lists_the_last_changes(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    qtbot.mouseClick(window.checklist.row("W-V3").button(State.PROBLEM), Qt.MouseButton.LeftButton)
    path = window.findings.path
    window.close()
    assert SessionMarker(path).previous() is None  # a clean close leaves no marker
    # A crashed session: its marker stays behind, naming a process that is gone.
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    marker = SessionMarker(path)
    marker.begin("2025-06-14T10:00:00+08:00")
    QSettings().setValue(f"{marker._key}/pid", int(gone.stdout))
    again = opened(qtbot, make_window)
    assert again.recovered is not None and again.recovered.pid == int(gone.stdout)
    box = again.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "没有正常结束" in box.text() and "没有丢失" in box.text()
    assert "W-V3" in box.informativeText() and "勾选结论" in box.informativeText()
    assert again.checklist.row("W-V3").state == State.PROBLEM
    again.close()
    assert SessionMarker(path).previous() is None


def test_undo_reverts_the_last_tick_but_keeps_evidence(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    window.checklist.set_current("W-V2")
    window.choose_current(State.PROBLEM)
    with qtbot.waitSignal(window.evidence_saved, timeout=5000):
        window.capture_visible_action.trigger()
    window.undo_action.trigger()
    assert window.checklist.row("W-V2").state is None
    assert len(window.findings.evidence(PORTAL)) == 1
    assert window.findings.audit_log(PORTAL)[-1].action == "undo"
    assert window.saved_text.startswith("已撤销 W-V2")


def test_the_crash_notice_names_menu_and_account_changes_in_words(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The notice after a crash lists the last changes: a menu item's status or an account's
    date reads as what changed, an undo of one as well, never as an empty "— → —"."""
    target = account(1)
    with inspector_file(tmp_path / "f.sqlite", "张三", [target]) as findings:
        [item] = findings.add_menu_items(target.key, [("在线咨询", "")], who="张三")
        findings.set_menu_item(item.id, status="expired", who="张三")
        findings.undo_last("张三")
        findings.set_account_facts(
            target.key, latest_post=date(2025, 5, 1), interaction=None, who="张三"
        )
        lines = [describe_entry(e) for e in findings.audit_log(target.key)]
    assert any("修改菜单项" in line and "未检查 → 已过期" in line for line in lines)
    assert any("撤销" in line and "已过期 → 未检查" in line for line in lines)
    assert any("填写账号情况" in line and "— → 2025-05-01" in line for line in lines)
    assert not any("— → —" in line for line in lines)
