"""The coordinator's quarter view (issue #5, item 5): merge files from the app, settle the
conflicts they bring with an audited reason, and preview and export the quarter report."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector.store import FindingsFile
from inspector.targets import State
from tests.domain.quarterkit import CST, Clock, inspector_file, site
from tests.ui.helpers import MakeWindow, opened
from ui import i18n
from ui.coordinator import CoordinatorAction, CoordinatorWindow

TIMEOUT_MS = 30_000
ONE, TWO = site(1), site(2)


def two_inspectors(folder: Path) -> tuple[Path, Path]:
    """张三 and 李四 disagree on W-V3 of site 1 (李四 judged later); site 2 is fine."""
    folder.mkdir(parents=True, exist_ok=True)
    zhang, li = folder / "2025Q2-张三.sqlite", folder / "2025Q2-李四.sqlite"
    with inspector_file(zhang, "张三", [ONE, TWO]) as f:
        f.set_result(ONE.key, "W-V3", State.PROBLEM, who="张三", note="首页一个月未更新")
        f.set_result(TWO.key, "W-V3", State.OK, who="张三")
    later = Clock(datetime(2025, 6, 15, 9, 0, 0, tzinfo=CST))
    with inspector_file(li, "李四", [ONE, TWO], clock=later) as f:
        f.set_result(ONE.key, "W-V3", State.OK, who="李四", note="已更新")
    return zhang, li


@pytest.fixture
def coordinator(app: QApplication, qtbot: QtBot, tmp_path: Path) -> Iterator[CoordinatorWindow]:
    window = CoordinatorWindow(folder=tmp_path, coordinator="王主任")
    window.show()
    yield window
    qtbot.waitUntil(lambda: not window.merging, timeout=TIMEOUT_MS)
    window.close()
    shiboken6.delete(window)


def merged(qtbot: QtBot, window: CoordinatorWindow, inputs: list[Path], output: Path) -> None:
    window.add_inputs(inputs)
    window.set_quarter_file(output)
    assert window.merge_button.isEnabled()
    with qtbot.waitSignals([window.merge_finished, window.report_ready], timeout=TIMEOUT_MS):
        qtbot.mouseClick(window.merge_button, Qt.MouseButton.LeftButton)
        assert window.merging and not window.merge_button.isEnabled()  # work is in the background


def test_merge_then_settle_the_conflict_with_an_audited_reason(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    window = coordinator
    quarter = tmp_path / "2025Q2.sqlite"
    merged(qtbot, window, list(two_inspectors(tmp_path / "收回")), quarter)

    assert quarter.is_file()
    assert "合并完成" in window.message and "1 项冲突" in window.message
    assert "2025Q2-张三.sqlite（张三）" in window.details
    # The conflict is listed with each inspector's state, note and time.
    assert [(c.target_key, c.indicator_id, c.status) for c in window.conflicts] == [
        (ONE.key, "W-V3", "open")
    ]
    table = window.conflict_table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "测试网站1"
    assert table.item(0, 1).text().startswith("W-V3 ")
    said = table.item(0, 2).text()
    assert "张三：问题（首页一个月未更新）" in said and "李四：正常（已更新）" in said
    assert "2025-06-1" in said
    assert table.item(0, 3).text() == "待裁定"
    # Until settled the latest judgement (李四: fine) stands: both sites qualified.
    assert window.report is not None
    assert window.report.websites.qualified_rate == "100.00"
    assert window.report.open_conflicts == 1
    assert "尚有1项检查结论存在分歧" in window.preview.toPlainText()

    # A reason is required.
    window.tabs.setCurrentWidget(window.conflicts_page)
    assert window.select_conflict(ONE.key, "W-V3")
    window.state_combo.setCurrentIndex(window.state_combo.findData(State.PROBLEM.value))
    assert "张三" in window.state_combo.currentText()
    assert not window.resolve_button.isEnabled()
    assert not window.resolve(reason="  ")
    assert "理由" in window.resolve_message.text()

    window.reason_edit.setText("复核截图：首页 5 月 10 日后无更新")
    assert window.resolve_button.isEnabled()
    with qtbot.waitSignals([window.conflict_resolved, window.report_ready], timeout=TIMEOUT_MS):
        qtbot.mouseClick(window.resolve_button, Qt.MouseButton.LeftButton)

    with FindingsFile.open(quarter) as findings:
        (conflict,) = findings.conflicts()
        assert conflict.status == "resolved" and conflict.resolved_by == "王主任"
        assert conflict.reason == "复核截图：首页 5 月 10 日后无更新"
        (result,) = [r for r in findings.results(ONE.key) if r.indicator_id == "W-V3"]
        assert result.state == State.PROBLEM and result.note == "首页一个月未更新"
        audit = [a for a in findings.audit_log(ONE.key) if a.action == "resolve_conflict"]
    assert len(audit) == 1
    assert audit[0].who == "王主任" and audit[0].reason == "复核截图：首页 5 月 10 日后无更新"
    assert audit[0].new_value["state"] == "problem"

    assert "已裁定：问题（王主任）" in table.item(0, 3).text()
    assert not window.reason_edit.text()
    # The report follows: site 1 is now unqualified (W-V3 is a veto), 1 of 2 qualified.
    report = window.report
    assert report is not None and report.open_conflicts == 0
    assert (report.websites.inspected, report.websites.unqualified) == (2, 1)
    assert report.websites.qualified_rate == "50.00"
    text = window.preview.toPlainText()
    assert "合格率50.00%" in text and "测试网站1" in text
    assert "存在分歧" not in text


def test_the_report_exports_in_every_format(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    window = coordinator
    merged(qtbot, window, list(two_inspectors(tmp_path / "收回")), tmp_path / "2025Q2.sqlite")
    for fmt in ("json", "xlsx", "docx", "html"):
        assert window.export_buttons[fmt].isEnabled()
        out = tmp_path / f"通报.{fmt}"
        with qtbot.waitSignal(window.exported, timeout=TIMEOUT_MS) as blocker:
            window.export_to(fmt, str(out))
        assert blocker.args == [str(out)]
        assert out.stat().st_size > 0
    data = json.loads((tmp_path / "通报.json").read_text(encoding="utf-8"))
    assert data["websites"]["qualified_rate"] == "100.00"
    # The export button asks where, with a dialog that is opened, not executed.
    window.export_buttons["docx"].click()
    assert window.dialog is not None and window.dialog.isVisible()
    window.dialog.close()


def test_a_refused_input_is_named_and_nothing_is_written(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    window = coordinator
    zhang, _ = two_inspectors(tmp_path / "收回")
    bogus = tmp_path / "收回" / "照片.sqlite"
    bogus.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    quarter = tmp_path / "2025Q2.sqlite"
    window.add_inputs([zhang, bogus, zhang])  # the same file listed twice is listed once
    assert window.inputs == [zhang, bogus]
    window.set_quarter_file(quarter)
    with qtbot.waitSignal(window.merge_finished, timeout=TIMEOUT_MS) as blocker:
        assert window.merge()
    assert blocker.args == [False]
    assert "合并被拒绝，未写入任何内容" in window.message
    assert "照片.sqlite" in window.details
    assert "张三" not in window.details  # only the refused file is listed
    assert not quarter.exists()
    assert list(quarter.parent.glob(".2025Q2.sqlite*")) == []
    assert window.report is None and window.conflicts == []
    assert window.merge_button.isEnabled()  # fix the list and try again


def test_removing_files_from_the_list(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    window = coordinator
    zhang, li = two_inspectors(tmp_path)
    window.add_inputs([zhang, li])
    assert not window.remove_button.isEnabled()
    window.file_list.item(0).setSelected(True)
    window.remove_button.click()
    assert window.inputs == [li]
    assert not window.merge_button.isEnabled()  # no quarter file chosen yet
    window.set_quarter_file(tmp_path / "q.sqlite")
    assert window.merge_button.isEnabled()
    window.coordinator_edit.clear()
    assert not window.merge_button.isEnabled()  # the merge is audited under a name


def test_the_file_menu_opens_the_coordinator_view(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    (action,) = [a for a in window.file_menu.actions() if isinstance(a, CoordinatorAction)]
    assert action.text() == "季度汇总（协调员）…"
    action.trigger()
    coordinator = action.window
    assert coordinator is not None and coordinator.isVisible()
    assert [coordinator.tabs.tabText(i) for i in range(3)] == ["合并", "冲突", "通报预览"]
    action.trigger()
    assert action.window is coordinator  # raised again, not a second one
    coordinator.close()


def test_the_view_speaks_english_when_asked(
    qtbot: QtBot, coordinator: CoordinatorWindow, app: QApplication
) -> None:
    i18n.apply_language(i18n.ENGLISH, save=False)
    qtbot.waitUntil(lambda: coordinator.tabs.tabText(0) == "Merge", timeout=5000)
    assert [coordinator.tabs.tabText(i) for i in range(3)] == [
        "Merge",
        "Conflicts",
        "Report Preview",
    ]
    assert coordinator.windowTitle() == "Quarter Summary (Coordinator)"
    assert coordinator.export_buttons["xlsx"].text() == "Export XLSX…"


def test_the_window_keeps_responding_during_a_merge(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    """The merge runs on the thread pool: the event loop keeps ticking while it works."""
    folder = tmp_path / "收回"
    folder.mkdir()
    targets = [site(n) for n in range(1, 301)]
    inputs = []
    for i, name in enumerate(("甲", "乙", "丙", "丁")):
        path = folder / f"2025Q2-{name}.sqlite"
        clock = Clock(datetime(2025, 6, 14 + i, 9, 0, 0, tzinfo=CST))
        with inspector_file(path, name, targets, clock=clock) as f:
            for t in targets[i::4]:
                for indicator in ("W-V3", "W-V4", "W-D1"):
                    f.set_result(t.key, indicator, State.OK, who=name)
        inputs.append(path)
    coordinator.add_inputs(inputs)
    coordinator.set_quarter_file(tmp_path / "2025Q2.sqlite")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    with qtbot.waitSignal(coordinator.merge_finished, timeout=TIMEOUT_MS) as blocker:
        assert coordinator.merge()
    ended = time.perf_counter()
    timer.stop()
    assert blocker.args == [True]
    during = [started, *[t for t in ticks if t <= ended], ended]
    gaps = [b - a for a, b in pairwise(during)]
    assert len(during) > 2, "the event loop did not run during the merge"
    assert max(gaps) < 0.25, (max(gaps), ended - started)
