"""Machine hints beside their indicator: one click to the proof, adopt as a problem, dismiss,
restore; each decision audited. Hints are written straight into the file here, as a scan will."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector.store import Hint
from inspector.targets import State
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import FGW, MakeWindow, opened, select_and_wait
from ui.main_window import MainWindow


def add_hints(window: MainWindow, base: str) -> list[int]:
    hints = [
        Hint(
            kind="column_stale",
            indicator="W-V4",
            url=f"{base}/fgw/gzdt/",
            found_on=f"{base}/fgw/",
            detail="栏目“工作动态”最新一条为 127 天前",
        ),
        Hint(
            kind="broken_link",
            indicator="W-D6",
            url=f"{base}/fgw/sjfb/",
            found_on=f"{base}/fgw/",
            detail="导航“数据发布”链接返回 404",
        ),
    ]
    ids = window.findings.add_hints(FGW, hints, source="test-scan")
    window.refresh_target(FGW)
    return ids


def test_hints_show_beside_their_indicator_and_open_their_proof(
    qtbot: QtBot, make_window: MakeWindow, demo_server: object
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, FGW)
    stale, broken = add_hints(window, demo_server.base_url)
    cards = window.checklist.row("W-V4").hint_cards
    assert [c.hint.id for c in cards] == [stale]
    assert "工作动态" in cards[0].text.text() and "栏目长期未更新" in cards[0].text.text()
    assert [c.hint.id for c in window.checklist.row("W-D6").hint_cards] == [broken]
    assert window.checklist.row("W-V1").hint_cards == []

    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as loaded:
        qtbot.mouseClick(cards[0].button("open"), Qt.MouseButton.LeftButton)
    assert loaded.args[0] is True
    assert window.browser.url() == f"{demo_server.base_url}/fgw/gzdt/"
    link = window.checklist.row("W-D6").hint_cards[0]
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(link.button("open_source"), Qt.MouseButton.LeftButton)
    assert window.browser.url() == f"{demo_server.base_url}/fgw/"


def test_adopting_a_hint_ticks_the_indicator_from_it(
    qtbot: QtBot, make_window: MakeWindow, demo_server: object
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, FGW)
    stale, _ = add_hints(window, demo_server.base_url)
    card = window.checklist.row("W-V4").hint_cards[0]
    with qtbot.waitSignal(window.hint_changed, timeout=5000):
        qtbot.mouseClick(card.button("adopt"), Qt.MouseButton.LeftButton)
    result = next(r for r in window.findings.results(FGW) if r.indicator_id == "W-V4")
    assert result.state == State.PROBLEM and result.from_hint == stale
    assert result.note == "栏目“工作动态”最新一条为 127 天前"
    hint = next(h for h in window.findings.hints(FGW) if h.id == stale)
    assert hint.status == "confirmed"
    actions = [e.action for e in window.findings.audit_log(FGW)]
    assert actions[-2:] == ["set_result", "confirm_hint"]
    row = window.checklist.row("W-V4")
    assert row.state == State.PROBLEM
    assert row.hint_cards[0].state_label.text() == "已采纳"
    assert "adopt" not in row.hint_cards[0]._buttons
    assert window.checklist.verdict_view.text.startswith("不合格")


def test_a_dismissed_hint_can_be_restored(
    qtbot: QtBot, make_window: MakeWindow, demo_server: object
) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, FGW)
    _, broken = add_hints(window, demo_server.base_url)
    card = window.checklist.row("W-D6").hint_cards[0]
    qtbot.mouseClick(card.button("dismiss"), Qt.MouseButton.LeftButton)
    assert next(h for h in window.findings.hints(FGW) if h.id == broken).status == "dismissed"
    card = window.checklist.row("W-D6").hint_cards[0]
    assert card.property("status") == "dismissed" and card.state_label.text() == "已忽略"
    assert window.checklist.row("W-D6").state is None  # dismissing judges nothing
    qtbot.mouseClick(card.button("reopen"), Qt.MouseButton.LeftButton)
    assert next(h for h in window.findings.hints(FGW) if h.id == broken).status == "open"
    entries = [e for e in window.findings.audit_log(FGW) if e.action.endswith("_hint")]
    assert [e.action for e in entries] == ["dismiss_hint", "reopen_hint"]
    assert all(e.who == window.inspector for e in entries)


def test_hints_of_another_target_wait_until_it_is_shown(
    qtbot: QtBot, make_window: MakeWindow, demo_server: object
) -> None:
    window = opened(qtbot, make_window)  # the portal is shown
    add_hints(window, demo_server.base_url)  # for the fgw site
    assert all(not window.checklist.row(i).hint_cards for i in window.checklist.indicator_ids())
    select_and_wait(qtbot, window, FGW)
    assert window.checklist.row("W-V4").hint_cards
