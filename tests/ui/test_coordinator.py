"""The coordinator's quarter view (issue #5, item 5): merge files from the app, settle the
conflicts they bring with an audited reason, and preview and export the quarter report, compared
with the previous quarter's file when one is chosen."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
import shiboken6
from click.testing import CliRunner
from PySide6.QtCore import QSettings, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from inspector.cli import main
from inspector.merge import merge_files
from inspector.store import FindingsFile
from inspector.targets import State
from tests.domain.quarterkit import CST, PROFILE, Clock, account, inspector_file, site
from tests.ui.helpers import MakeWindow, opened
from ui import i18n
from ui.coordinator import CoordinatorAction, CoordinatorWindow
from ui.report_preview import PREVIOUS_SETTING

TIMEOUT_MS = 30_000
ONE, TWO, THREE = site(1), site(2), site(3)
PRESS = account(1, name="海口发布")


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
    with qtbot.waitSignals(
        [window.merge_finished, window.report_tab.report_ready], timeout=TIMEOUT_MS
    ):
        qtbot.mouseClick(window.merge_button, Qt.MouseButton.LeftButton)
        assert window.merging and not window.merge_button.isEnabled()  # work is in the background


def test_merge_then_settle_the_conflict_with_an_audited_reason(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    window = coordinator
    conflicts_tab = window.conflicts_tab
    report_tab = window.report_tab
    quarter = tmp_path / "2025Q2.sqlite"
    merged(qtbot, window, list(two_inspectors(tmp_path / "收回")), quarter)

    assert quarter.is_file()
    assert "合并完成" in window.message and "1 项冲突" in window.message
    assert "2025Q2-张三.sqlite（张三）" in window.details
    # The conflict is listed with each inspector's state, note and time.
    assert [(c.target_key, c.indicator_id, c.status) for c in conflicts_tab.conflicts] == [
        (ONE.key, "W-V3", "open")
    ]
    table = conflicts_tab.conflict_table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "测试网站1"
    assert table.item(0, 1).text().startswith("W-V3 ")
    said = table.item(0, 2).text()
    assert "张三：问题（首页一个月未更新）" in said and "李四：正常（已更新）" in said
    assert "2025-06-1" in said
    assert table.item(0, 3).text() == "待裁定"
    # Until settled the latest judgement (李四: fine) stands: both sites qualified.
    assert report_tab.report is not None
    assert report_tab.report.websites.qualified_rate == "100.00"
    assert report_tab.report.open_conflicts == 1
    assert "尚有1项检查结论存在分歧" in report_tab.preview.toPlainText()

    # A reason is required.
    window.tabs.setCurrentWidget(window.conflicts_tab)
    assert conflicts_tab.select_conflict(ONE.key, "W-V3")
    conflicts_tab.state_combo.setCurrentIndex(
        conflicts_tab.state_combo.findData(State.PROBLEM.value)
    )
    assert "张三" in conflicts_tab.state_combo.currentText()
    assert not conflicts_tab.resolve_button.isEnabled()
    assert not conflicts_tab.resolve(reason="  ")
    assert "理由" in conflicts_tab.resolve_message.text()

    conflicts_tab.reason_edit.setText("复核截图：首页 5 月 10 日后无更新")
    assert conflicts_tab.resolve_button.isEnabled()
    with qtbot.waitSignals(
        [conflicts_tab.conflict_resolved, report_tab.report_ready], timeout=TIMEOUT_MS
    ):
        qtbot.mouseClick(conflicts_tab.resolve_button, Qt.MouseButton.LeftButton)

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
    assert not conflicts_tab.reason_edit.text()
    # The report follows: site 1 is now unqualified (W-V3 is a veto), 1 of 2 qualified.
    report = report_tab.report
    assert report is not None and report.open_conflicts == 0
    assert (report.websites.inspected, report.websites.unqualified) == (2, 1)
    assert report.websites.qualified_rate == "50.00"
    text = report_tab.preview.toPlainText()
    assert "合格率50.00%" in text and "测试网站1" in text
    assert "存在分歧" not in text


def test_the_report_exports_in_every_format(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    window = coordinator
    report_tab = window.report_tab
    merged(qtbot, window, list(two_inspectors(tmp_path / "收回")), tmp_path / "2025Q2.sqlite")
    for fmt in ("json", "xlsx", "docx", "html"):
        assert report_tab.export_buttons[fmt].isEnabled()
        out = tmp_path / f"通报.{fmt}"
        with qtbot.waitSignal(report_tab.exported, timeout=TIMEOUT_MS) as blocker:
            report_tab.export_to(fmt, str(out))
        assert blocker.args == [str(out)]
        assert out.stat().st_size > 0
    data = json.loads((tmp_path / "通报.json").read_text(encoding="utf-8"))
    assert data["websites"]["qualified_rate"] == "100.00"
    # The export button asks where, with a dialog that is opened, not executed.
    report_tab.export_buttons["docx"].click()
    assert report_tab.dialog is not None and report_tab.dialog.isVisible()
    report_tab.dialog.close()


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
    assert window.report_tab.report is None and window.conflicts_tab.conflicts == []
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
    assert coordinator.report_tab.export_buttons["xlsx"].text() == "Export XLSX…"


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


# --- the previous quarter ------------------------------------------------------------------------


def judged(folder: Path, quarter: str, problems: dict[str, str], *, profile: str = PROFILE) -> Path:
    """张三's file of sites 1-3 and one account; ``problems`` maps the targets that failed a
    veto (W-V3, M-V2) to his note, the others passed it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{quarter}-张三.sqlite"
    clock = Clock(datetime(int(quarter[:4]), 3 * int(quarter[-1]) - 1, 14, 9, 0, 0, tzinfo=CST))
    targets = [ONE, TWO, THREE, PRESS]
    with inspector_file(path, "张三", targets, quarter=quarter, profile=profile, clock=clock) as f:
        for t in targets:
            veto = "M-V2" if t is PRESS else "W-V3"
            state = State.PROBLEM if t.key in problems else State.OK
            f.set_result(t.key, veto, state, who="张三", note=problems.get(t.key, ""))
    return path


def last_quarter(folder: Path, *, profile: str = PROFILE) -> Path:
    """2025Q1, merged: sites 1 and 2 and the account unqualified, site 3 fine."""
    problems = {ONE.key: "首页两个月未更新", TWO.key: "首页停更", PRESS.key: "三个月无推送"}
    out = folder / "2025Q1.sqlite"
    merge_files([judged(folder / "收回", "2025Q1", problems, profile=profile)], out)
    return out


def this_quarter(qtbot: QtBot, window: CoordinatorWindow, folder: Path) -> Path:
    """2025Q2 merged in the window: site 2 was put right, site 1 and the account were not."""
    problems = {ONE.key: "首页 5 周无更新", PRESS.key: "最近一条 2025-04-01"}
    out = folder / "2025Q2.sqlite"
    merged(qtbot, window, [judged(folder / "收回", "2025Q2", problems)], out)
    return out


def cli_report(quarter: Path, previous: Path, out: Path) -> dict[str, object]:
    """What ``inspector report --previous`` writes: the figures the window must agree with."""
    result = CliRunner().invoke(
        main, ["report", str(quarter), "--previous", str(previous), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return data


def section(text: str, start: str, ends: tuple[str, ...]) -> str:
    """The part of the preview from the heading ``start`` to the next of ``ends``."""
    part = text[text.index(start) :]
    cut = min((part.index(e) for e in ends if e in part), default=len(part))
    return part[:cut]


def pick_previous(qtbot: QtBot, window: CoordinatorWindow, path: Path) -> None:
    """Choose ``path`` in the real file dialog the "上季度文件…" button opens."""
    window.tabs.setCurrentWidget(window.report_tab)
    qtbot.mouseClick(window.report_tab.previous_button, Qt.MouseButton.LeftButton)
    dialog = window.report_tab.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.fileMode() == QFileDialog.FileMode.ExistingFile
    dialog.selectFile(str(path))
    dialog.accept()


def test_the_previous_quarter_brings_the_change_and_attachment_3(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    window = coordinator
    report_tab = window.report_tab
    previous = last_quarter(tmp_path / "上季度")
    quarter = this_quarter(qtbot, window, tmp_path)
    assert report_tab.previous_path is None and not report_tab.clear_previous_button.isEnabled()
    assert report_tab.report is not None and report_tab.report.change is None
    assert "与上季度" not in report_tab.preview.toPlainText()

    with qtbot.waitSignal(report_tab.report_ready, timeout=TIMEOUT_MS):
        pick_previous(qtbot, window, previous)
    expected = cli_report(quarter, previous, tmp_path / "命令行.json")
    change = expected["change"]
    assert isinstance(change, dict)
    # By hand: websites 1 of 3 qualified last quarter, 2 of 3 now; accounts 0 of 1 both times.
    assert change["websites"] == {
        "previous_rate": "33.33",
        "qualified_rate": "66.67",
        "change": "+33.34",
    }
    assert change["new_media"]["change"] == "+0.00"
    text = report_tab.preview.toPlainText()
    assert "与上季度（2025Q1）相比，政府网站合格率上升33.34个百分点，政务新媒体合格率持平。" in text
    assert "上季度合格率（2025Q1）" in text and "+33.34" in text
    assert "上季度不合格、本季度仍不合格的2个。" in text
    attachment_3 = section(text, "附件3：", ("数据来源", "抽样种子", "上季度不合格、本季度未复查"))
    assert attachment_3.startswith("附件3：上季度不合格本季度仍未整改（2）")
    attachments = expected["attachments"]
    assert isinstance(attachments, dict)
    rows = attachments["not_rectified"]
    assert sorted(e["name"] for e in rows) == ["测试网站1", "海口发布"]
    for entry in rows:
        assert entry["name"] in attachment_3 and entry["problems"][0] in attachment_3
    assert "首页 5 周无更新" in attachment_3 and "测试网站2" not in attachment_3
    assert "对比 2025Q1" in report_tab.report_label.text()
    assert report_tab.previous_edit.text() == str(previous)
    assert report_tab.clear_previous_button.isEnabled()
    assert not report_tab.previous_message.isVisible()

    # The export is the report shown: the same JSON as the command line with --previous.
    out = tmp_path / "窗口.json"
    with qtbot.waitSignal(report_tab.exported, timeout=TIMEOUT_MS):
        report_tab.export_to("json", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == expected

    # Remembered for the next time the window opens.
    assert QSettings().value(PREVIOUS_SETTING) == str(previous)
    again = CoordinatorWindow(folder=tmp_path)
    try:
        with qtbot.waitSignal(again.report_tab.report_ready, timeout=TIMEOUT_MS):
            again.show()
        assert again.report_tab.previous_edit.text() == str(previous)
        assert again.report_tab.report is not None and again.report_tab.report.change is not None
        assert again.report_tab.report.as_json()["change"] == change
    finally:
        again.close()
        shiboken6.delete(again)

    # Cleared: no comparison, nothing remembered.
    with qtbot.waitSignal(report_tab.report_ready, timeout=TIMEOUT_MS):
        qtbot.mouseClick(report_tab.clear_previous_button, Qt.MouseButton.LeftButton)
    assert report_tab.previous_path is None and report_tab.previous_edit.text() == ""
    assert QSettings().value(PREVIOUS_SETTING) is None
    assert report_tab.report is not None and report_tab.report.change is None
    assert "上季度合格率" not in report_tab.preview.toPlainText()
    assert not report_tab.clear_previous_button.isEnabled()


def corrupt(folder: Path) -> Path:
    path = folder / "2025Q1-损坏.sqlite"
    data = last_quarter(folder / "损坏").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def foreign(folder: Path) -> Path:
    path = folder / "通讯录.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.close()
    return path


def another_profile(folder: Path) -> Path:
    return last_quarter(folder / "省级", profile="example-province-80")


def this_very_quarter(folder: Path) -> Path:
    path = folder / "2025Q2-副本.sqlite"
    shutil.copy(folder / "2025Q2.sqlite", path)
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (corrupt, "已损坏"),
        (foreign, "其他程序的 SQLite 数据库"),
        (another_profile, "指标体系不同"),
        (this_very_quarter, "不是更早的季度"),
    ],
    ids=["corrupt", "foreign", "another-profile", "same-quarter"],
)
def test_a_bad_previous_file_is_refused_and_the_preview_kept(
    qtbot: QtBot,
    coordinator: CoordinatorWindow,
    tmp_path: Path,
    make: Callable[[Path], Path],
    says: str,
) -> None:
    window = coordinator
    report_tab = window.report_tab
    good = last_quarter(tmp_path / "上季度")
    this_quarter(qtbot, window, tmp_path)
    with qtbot.waitSignal(report_tab.report_ready, timeout=TIMEOUT_MS):
        report_tab.set_previous_file(good)
    shown, report = report_tab.preview.toPlainText(), report_tab.report
    assert "附件3：上季度不合格本季度仍未整改（2）" in shown
    bad = make(tmp_path)

    with qtbot.waitSignal(report_tab.previous_refused, timeout=TIMEOUT_MS) as blocker:
        pick_previous(qtbot, window, bad)
    message = report_tab.previous_message.text()
    assert report_tab.previous_message.isVisible()
    assert f"未采用 {bad.name} 作为上季度文件，通报预览保持不变。" in message
    assert says in message and says in blocker.args[0]
    # Nothing else moved: the preview, the report to export, the file compared with.
    assert report_tab.report is report and report_tab.preview.toPlainText() == shown
    assert report_tab.previous_path == good and report_tab.previous_edit.text() == str(good)
    assert QSettings().value(PREVIOUS_SETTING) == str(good)


def test_the_file_chosen_last_is_the_one_that_counts(
    qtbot: QtBot, app: QApplication, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    """A good file chosen and at once replaced by a bad one: the bad one is refused, and the
    good one, tried in the background meanwhile, is not taken behind the user's back."""
    window = coordinator
    report_tab = window.report_tab
    good = last_quarter(tmp_path / "上季度")
    this_quarter(qtbot, window, tmp_path)
    shown = report_tab.preview.toPlainText()
    bogus = tmp_path / "照片.sqlite"
    bogus.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    report_tab.set_previous_file(good)
    with qtbot.waitSignal(report_tab.previous_refused, timeout=TIMEOUT_MS):
        report_tab.set_previous_file(bogus)
    assert QThreadPool.globalInstance().waitForDone(TIMEOUT_MS)
    app.processEvents()  # whatever the good file's try sent back has now arrived
    assert report_tab.previous_path is None and QSettings().value(PREVIOUS_SETTING) is None
    assert report_tab.report is not None and report_tab.report.change is None
    assert report_tab.preview.toPlainText() == shown
    assert "照片.sqlite" in report_tab.previous_message.text()


def test_a_remembered_previous_file_gone_missing_is_said_and_left_out(
    qtbot: QtBot, coordinator: CoordinatorWindow, tmp_path: Path
) -> None:
    quarter = this_quarter(qtbot, coordinator, tmp_path)
    previous = last_quarter(tmp_path / "U盘")
    moved = previous.rename(tmp_path / "别处.sqlite")
    QSettings().setValue(PREVIOUS_SETTING, str(previous))
    window = CoordinatorWindow(folder=tmp_path)
    report_tab = window.report_tab
    try:
        with qtbot.waitSignals(
            [report_tab.report_ready, report_tab.previous_refused], timeout=TIMEOUT_MS
        ):
            window.show()
        assert window.quarter_path == quarter
        # This quarter's report still shows, without the comparison, and says why.
        assert report_tab.report is not None and report_tab.report.change is None
        assert "上季度合格率" not in report_tab.preview.toPlainText()
        message = report_tab.previous_message.text()
        assert f"上季度文件 {previous.name} 无法使用，通报未与上季度比较。" in message
        assert "找不到文件" in message
        assert "未与上季度比较" in report_tab.report_label.text()
        assert report_tab.previous_path == previous  # kept: the stick may be plugged in again

        moved.rename(previous)
        with qtbot.waitSignal(report_tab.report_ready, timeout=TIMEOUT_MS):
            qtbot.mouseClick(report_tab.refresh_button, Qt.MouseButton.LeftButton)
        assert report_tab.report.change is not None
        assert "上季度合格率（2025Q1）" in report_tab.preview.toPlainText()
        assert not report_tab.previous_message.isVisible()
    finally:
        window.close()
        shiboken6.delete(window)
