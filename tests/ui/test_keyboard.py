"""Keyboard first: indicators judged with 1 / 2 / 3 / 0, moved with J / K and the arrows, every
action in a menu with its shortcut shown, and no shortcut used twice."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from inspector.targets import State
from tests.ui.helpers import PORTAL, MakeWindow, activate, opened, stored


def menu_actions(window: object) -> list[object]:
    found = []
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.menu() is not None:
                continue
            found.append(action)
    return found


def test_number_keys_judge_the_current_indicator(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    activate(qtbot, window)
    window.focus_checklist_action.trigger()
    checklist = window.checklist
    assert checklist.hasFocus() and checklist.current_indicator() == "W-V1"
    with qtbot.waitSignal(window.result_saved, timeout=5000):
        qtbot.keyClick(checklist, Qt.Key.Key_2)
    qtbot.keyClick(checklist, Qt.Key.Key_Down)
    assert checklist.current_indicator() == "W-V2"
    with qtbot.waitSignal(window.result_saved, timeout=5000):
        qtbot.keyClick(checklist, Qt.Key.Key_3)
    qtbot.keyClick(checklist, Qt.Key.Key_J)
    with qtbot.waitSignal(window.result_saved, timeout=5000):
        qtbot.keyClick(checklist, Qt.Key.Key_1)
    # A problem without a note puts the cursor in the note; Enter goes back to the keys.
    note = checklist.row("W-V3").note_edit()
    assert note.hasFocus()
    note.setText("首页最新信息为 20 天前")
    with qtbot.waitSignal(window.result_saved, timeout=5000):
        qtbot.keyClick(note, Qt.Key.Key_Return)
    assert checklist.hasFocus()
    qtbot.keyClick(checklist, Qt.Key.Key_K)
    assert checklist.current_indicator() == "W-V2"
    with qtbot.waitSignal(window.result_saved, timeout=5000):
        qtbot.keyClick(checklist, Qt.Key.Key_0)
    assert stored(window.findings.path, PORTAL) == {
        "W-V1": ("ok", "", window.inspector),
        "W-V3": ("problem", "首页最新信息为 20 天前", window.inspector),
    }
    assert checklist.row("W-V3").state == State.PROBLEM


def test_digits_typed_into_the_search_box_stay_digits(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    activate(qtbot, window)
    window.search_action.trigger()
    search = window.target_list._search
    assert search.hasFocus()
    qtbot.keyClicks(search, "99")
    assert search.text() == "99"
    assert window.findings.results(PORTAL) == []


def test_clicking_a_row_makes_it_current(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    row = window.checklist.row("W-V5")
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert window.checklist.current_indicator() == "W-V5"
    assert row.property("current") is True


def test_every_action_is_in_a_menu_with_its_shortcut_and_none_clash(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    actions = menu_actions(window)
    shortcuts = {a.text(): a.shortcut().toString() for a in actions}
    assert shortcuts["截取可见区域"] == "Ctrl+Shift+S"
    assert shortcuts["截取整页"] == "Ctrl+Shift+F"
    assert shortcuts["保存网页快照（MHTML）"] == "Ctrl+Shift+M"
    assert shortcuts["当前指标记为“问题”"] == "1"
    assert shortcuts["当前指标记为“正常”"] == "2"
    assert shortcuts["当前指标记为“不适用”"] == "3"
    assert shortcuts["下一项指标"] == "J"
    assert shortcuts["下一个检查对象"] == "Ctrl+Down"
    assert shortcuts["撤销上一次检查结论"] == QKeySequence(QKeySequence.StandardKey.Undo).toString()
    every = Counter(
        sequence.toString()
        for action in window.findChildren(type(actions[0]))
        for sequence in action.shortcuts()
        if not sequence.isEmpty()
    )
    assert [s for s, n in every.items() if n > 1] == []


def test_next_target_keeps_the_keys_on_the_checklist(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    activate(qtbot, window)
    window.focus_checklist_action.trigger()
    with qtbot.waitSignal(window.target_changed, timeout=5000) as changed:
        qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert changed.args[0] != PORTAL
    assert window.checklist.current_indicator() == "W-V1"
