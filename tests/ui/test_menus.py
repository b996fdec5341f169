"""Issue 6 item 4 in the app: an account's menu items, pasted, typed or imported, opened in the
browser where the page's marker sets their status, with M-D2 / M-D3 hints and evidence per item."""

from __future__ import annotations

import html
import urllib.request
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from inspector.demo import DemoServer
from inspector.menus import menu_hint_source
from inspector.store import FindingsFile
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import (
    ACCOUNT,
    MakeWindow,
    demo_entry,
    open_menu_item,
    opened,
    paste_menu_list,
    select_and_wait,
)
from ui.main_window import MainWindow
from ui.menu_list import MenuEntryDialog

JYJY = demo_entry("wx-jyjy")


def account_with_menus(qtbot: QtBot, make_window: MakeWindow, server: DemoServer) -> MainWindow:
    """The demo window on 江屿教育 with its menu list pasted in."""
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, ACCOUNT)
    paste_menu_list(qtbot, window, JYJY.menu_list(server.base_url))
    return window


def menu_hints(window: MainWindow, indicator: str) -> list[tuple[str, str]]:
    """The (status, detail) of the hint cards the checklist shows under an indicator."""
    return [(c.hint.status, c.hint.detail) for c in window.checklist.row(indicator).hint_cards]


def test_a_pasted_menu_list_finds_the_marker_itself_and_keeps_evidence_per_item(
    qtbot: QtBot, make_window: MakeWindow, demo_server: DemoServer
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, ACCOUNT)
    menus = window.account_panel.menu_list
    assert menus.isVisible() and menus.items == []
    # The demo's index page shows each account's menu list, to copy as an inspector would.
    with urllib.request.urlopen(demo_server.base_url + "/", timeout=10) as response:
        index = html.unescape(response.read().decode("utf-8"))
    assert JYJY.menu_list(demo_server.base_url) in index
    paste_menu_list(qtbot, window, "名称\t链接\n" + JYJY.menu_list(demo_server.base_url))
    assert [i.name for i in menus.items] == [m.name for m in JYJY.menus]
    assert {i.status for i in menus.items} == {"unchecked"}
    assert "办事服务 > 成绩查询" in [i.name for i in menus.items]

    item_id = open_menu_item(qtbot, window, "在线咨询")
    assert window.browser.url().endswith("/wx-jyjy/menu/zxzx.html")
    (item,) = [i for i in menus.items if i.id == item_id]
    assert (item.status, item.marker) == ("under_development", "该功能正在开发中")
    assert menus.status_box(item_id).currentData() == "under_development"
    assert menus.status_box(item_id).currentText() == "建设中"
    [(status, detail)] = menu_hints(window, "M-D2")
    assert status == "open" and "在线咨询" in detail and "该功能正在开发中" in detail
    assert window.target_list.hint_count(ACCOUNT) == 1

    with qtbot.waitSignal(window.evidence_saved, timeout=5000) as saved:
        qtbot.mouseClick(menus.capture_button, Qt.MouseButton.LeftButton)
    (evidence,) = window.findings.evidence(ACCOUNT)
    assert evidence.id == saved.args[1]
    assert (evidence.menu_item, evidence.indicator_id, evidence.kind) == (
        item_id,
        "M-D2",
        "screenshot",
    )
    assert evidence.url.endswith("/menu/zxzx.html") and "在线咨询" in evidence.note
    assert menus.evidence_count(item_id) == 1
    assert menus.table.item(0, 3).text() == "1"
    assert evidence.id in window.checklist.row("M-D2").evidence.evidence_ids()
    path = window.findings.path
    window.close()

    again = opened(qtbot, make_window)
    assert again.current_target() is not None and again.current_target().key == ACCOUNT
    menus = again.account_panel.menu_list
    first = menus.items[0]
    assert (first.name, first.status, first.marker) == (
        "在线咨询",
        "under_development",
        "该功能正在开发中",
    )
    assert len(menus.items) == len(JYJY.menus)
    assert menus.evidence_count(item_id) == 1
    assert [s for s, _ in menu_hints(again, "M-D2")] == ["open"]
    with FindingsFile.open(path) as findings:
        assert [h.source for h in findings.hints(ACCOUNT)] == [menu_hint_source(item_id)]
        actions = [a.action for a in findings.audit_log(ACCOUNT)]
        assert actions.count("add_menu_items") == 1 and actions.count("set_menu_item") == 1


def test_every_demo_menu_page_gets_the_status_its_page_shows(
    qtbot: QtBot, make_window: MakeWindow, demo_server: DemoServer
) -> None:
    window = account_with_menus(qtbot, make_window, demo_server)
    menus = window.account_panel.menu_list
    for menu in JYJY.menus:
        item_id = open_menu_item(qtbot, window, menu.name)
        if menu.status == "works":
            # No marker: the page is offered as working, and one click says so.
            assert menus.offer == (item_id, "works")
            assert menus.offer_card.isVisible()
            with qtbot.waitSignal(window.menu_saved, timeout=5000):
                qtbot.mouseClick(menus.offer_button, Qt.MouseButton.LeftButton)
            assert not menus.offer_card.isVisible()
        (item,) = [i for i in menus.items if i.id == item_id]
        assert item.status == menu.status, menu.name
    markers = {i.name: i.marker for i in menus.items}
    assert markers["办事服务 > 成绩查询"] == "小程序已过期"
    assert markers["办事服务 > 办事指南"] == "系统升级维护中"
    assert markers["办事服务 > 招生考试"] == ""
    hints = menu_hints(window, "M-D2")
    assert len(hints) == 4 and all(status == "open" for status, _ in hints)
    assert menus.toggle.text() == "菜单 5 项 · 异常 4"


def test_back_to_works_dismisses_the_hint_and_a_dead_link_goes_to_m_d3(
    qtbot: QtBot, make_window: MakeWindow, demo_server: DemoServer
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, ACCOUNT)
    menus = window.account_panel.menu_list
    qtbot.mouseClick(menus.add_button, Qt.MouseButton.LeftButton)
    dialog = menus.dialog
    assert isinstance(dialog, MenuEntryDialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.name_edit.setText("学籍查询")  # typed through an input method: QTest types only Latin-1
    qtbot.keyClicks(dialog.url_edit, JYJY.url(demo_server.base_url) + "menu/xxcx.html")
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    (item,) = menus.items
    assert menus.current_item() == item
    assert menus.open_button.isEnabled()
    menus.table.setFocus()
    with qtbot.waitSignal(window.menu_checked, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(menus.table, Qt.Key.Key_Return)  # opens, like 打开 or a double-click
    assert [s for s, _ in menu_hints(window, "M-D2")] == ["open"]

    box = menus.status_box(item.id)
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        box.activated.emit(box.findData("works"))
    assert menus.items[0].status == "works"
    assert [s for s, _ in menu_hints(window, "M-D2")] == ["dismissed"]
    dismissed = [a for a in window.findings.audit_log(ACCOUNT) if a.action == "dismiss_hint"]
    assert [a.reason for a in dismissed] == ["菜单项已改为正常"]
    assert window.target_list.hint_count(ACCOUNT) == 0

    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        box.activated.emit(box.findData("under_development"))
    assert [s for s, _ in menu_hints(window, "M-D2")] == ["open"]  # the same hint, reopened
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        box.activated.emit(box.findData("dead_link"))
    assert [s for s, _ in menu_hints(window, "M-D2")] == ["dismissed"]
    [(status, detail)] = menu_hints(window, "M-D3")
    assert status == "open" and "学籍查询" in detail and "链接失效" in detail


def test_a_menu_page_that_does_not_load_is_offered_as_a_dead_link(
    qtbot: QtBot, make_window: MakeWindow, demo_server: DemoServer
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, ACCOUNT)
    menus = window.account_panel.menu_list
    dead = JYJY.url(demo_server.base_url) + "menu/wsbm.html"
    paste_menu_list(qtbot, window, f"网上报名 {dead}\n")
    item_id = open_menu_item(qtbot, window, "网上报名")
    assert menus.offer == (item_id, "dead_link")
    assert "无法打开" in menus.offer_label.text()
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        qtbot.mouseClick(menus.offer_button, Qt.MouseButton.LeftButton)
    assert menus.items[0].status == "dead_link"
    [(status, _)] = menu_hints(window, "M-D3")
    assert status == "open"


def test_a_removed_item_asks_why_and_keeps_its_evidence(
    qtbot: QtBot, make_window: MakeWindow, demo_server: DemoServer
) -> None:
    window = account_with_menus(qtbot, make_window, demo_server)
    menus = window.account_panel.menu_list
    item_id = open_menu_item(qtbot, window, "学籍查询")
    with qtbot.waitSignal(window.evidence_saved, timeout=5000):
        qtbot.mouseClick(menus.capture_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(menus.remove_button, Qt.MouseButton.LeftButton)
    dialog = menus.dialog
    assert isinstance(dialog, QInputDialog) and "学籍查询" in dialog.labelText()
    dialog.setTextValue("菜单已于本季度下线")
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        dialog.accept()
    assert "学籍查询" not in [i.name for i in menus.items] and len(menus.items) == 4
    (evidence,) = window.findings.evidence(ACCOUNT)
    assert evidence.menu_item == item_id
    assert [s for s, _ in menu_hints(window, "M-D2")] == ["dismissed"]
    (removed,) = [a for a in window.findings.audit_log(ACCOUNT) if a.action == "remove_menu_item"]
    assert removed.reason == "菜单已于本季度下线"


def test_a_menu_file_is_imported_and_an_unreadable_one_says_why(
    qtbot: QtBot, make_window: MakeWindow, demo_server: DemoServer, tmp_path: Path
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, ACCOUNT)
    menus = window.account_panel.menu_list
    broken = tmp_path / "菜单.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert not menus.import_file(str(broken))
    box = menus.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "无法导入菜单清单" and box.text()
    assert menus.items == []

    listing = tmp_path / "菜单.csv"
    listing.write_bytes(
        "名称,链接\n在线咨询,http://127.0.0.1:9/a\n办事服务/社保查询,\n".encode("gb18030")
    )
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        assert menus.import_file(str(listing))
    assert [(i.name, i.url) for i in menus.items] == [
        ("在线咨询", "http://127.0.0.1:9/a"),
        ("办事服务/社保查询", ""),
    ]
    # An item without a URL: the inspector finds its page in the browser and has it read.
    menus.select_item(menus.items[1].id)
    assert not menus.open_button.isEnabled() and menus.detect_button.isEnabled()
    page = JYJY.url(demo_server.base_url) + "menu/bszn.html"
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS):
        window.browser.load(page)
    assert menus.items[1].status == "unchecked"  # not opened from the list: not read by itself
    with qtbot.waitSignal(window.menu_checked, timeout=5000):
        qtbot.mouseClick(menus.detect_button, Qt.MouseButton.LeftButton)
    item = menus.items[1]
    assert (item.status, item.marker, item.url) == ("maintenance", "系统升级维护中", page)
    assert menus.items[0].status == "unchecked"


def test_ctrl_z_takes_back_a_status_a_removal_and_a_pasted_list(
    qtbot: QtBot, make_window: MakeWindow, demo_server: DemoServer
) -> None:
    window = account_with_menus(qtbot, make_window, demo_server)
    menus = window.account_panel.menu_list
    names = [i.name for i in menus.items]
    item = next(i for i in menus.items if i.name == "在线咨询")
    box = menus.status_box(item.id)
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        box.activated.emit(box.findData("expired"))  # meant for another item
    assert [s for s, _ in menu_hints(window, "M-D2")] == ["open"]
    assert window.target_list.hint_count(ACCOUNT) == 1

    window.undo_action.trigger()
    assert next(i for i in menus.items if i.id == item.id).status == "unchecked"
    assert menus.status_box(item.id).currentData() == "unchecked"
    assert [s for s, _ in menu_hints(window, "M-D2")] == ["dismissed"]
    assert window.target_list.hint_count(ACCOUNT) == 0
    assert window.statusBar().currentMessage() == "已撤销：菜单项“在线咨询”的状态"

    menus.select_item(item.id)
    qtbot.mouseClick(menus.remove_button, Qt.MouseButton.LeftButton)
    dialog = menus.dialog
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("以为是重复的")
    with qtbot.waitSignal(window.menu_saved, timeout=5000):
        dialog.accept()
    assert "在线咨询" not in [i.name for i in menus.items]
    window.undo_action.trigger()
    assert [i.name for i in menus.items] == names
    assert window.statusBar().currentMessage() == "已撤销：删除菜单项“在线咨询”"

    window.undo_action.trigger()
    assert menus.items == []
    assert window.statusBar().currentMessage() == f"已撤销：添加的 {len(names)} 个菜单项"
    undos = [a for a in window.findings.audit_log(ACCOUNT) if a.action == "undo"]
    assert len(undos) == 3 and all(a.who == window.inspector for a in undos)
