"""The main window against real demo pages: select, load, tick, save, verdict, screenshot."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from inspector.demo import DemoServer, demo_entries, open_demo_workspace
from inspector.samples import write_sample
from inspector.store import FindingsError, FindingsFile
from inspector.targets import Kind, State, Target
from tests.ui.conftest import LOAD_TIMEOUT_MS
from ui.main_window import TITLE, MainWindow
from ui.target_list import TargetStatus

ROOT = Path(__file__).resolve().parents[2]
PORTAL = "site:9900000001"
FGW = "site:9900000012"
ACCOUNT = "account:wechat:jiangyujiaoyu"

MakeWindow = Callable[[], MainWindow]


def opened(qtbot: QtBot, make_window: MakeWindow) -> MainWindow:
    """A window whose first target's page has finished loading.

    The constructor only starts the load; it cannot finish before the event loop runs, which
    happens inside ``waitSignal``, so connecting after construction misses nothing.
    """
    window = make_window()
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        pass
    assert blocker.args is not None and blocker.args[0] is True
    return window


def select_and_wait(qtbot: QtBot, window: MainWindow, key: str) -> list[object]:
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        assert window.select_target(key)
    assert blocker.args is not None
    return list(blocker.args)


def stored(path: Path, key: str) -> dict[str, tuple[str, str, str]]:
    """The results of a target as another program would read them from disk."""
    with FindingsFile.open(path) as findings:
        return {r.indicator_id: (r.state, r.note, r.inspector) for r in findings.results(key)}


def test_the_window_opens_on_the_first_target(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    assert window.windowTitle() == TITLE
    assert window.current_target() is not None
    assert window.current_target().key == PORTAL
    assert window.browser.url().endswith("/portal/")
    assert window.browser.last_elapsed_ms is not None
    assert window.target_list.progress_text == f"已完成 0 / {len(demo_entries())}"
    assert window.checklist.verdict_view.state_label.text() == "待完成"
    assert window.checklist.indicator_ids()[0] == "W-V1"


def test_select_load_tick_and_the_file_has_it(
    qtbot: QtBot, make_window: MakeWindow, workspace_dir: Path
) -> None:
    window = opened(qtbot, make_window)
    ok, elapsed_ms = select_and_wait(qtbot, window, FGW)
    assert ok is True and isinstance(elapsed_ms, int)
    assert window.browser.url().endswith("/fgw/")
    assert window.checklist.target is not None and window.checklist.target.key == FGW
    before = window.checklist.verdict_view.text
    assert before.startswith("待完成")

    row = window.checklist.row("W-V4")
    with qtbot.waitSignal(window.result_saved, timeout=5000) as saved:
        qtbot.mouseClick(row.button(State.PROBLEM), Qt.MouseButton.LeftButton)
    assert saved.args == [FGW, "W-V4"]
    assert row.button(State.PROBLEM).isChecked()
    assert not row.button(State.OK).isChecked()
    # QTest types ASCII only; the text goes in directly and Return commits it like a user's.
    row.note_edit().setText("工作动态栏目约4个月未更新")
    with qtbot.waitSignal(window.result_saved, timeout=5000):
        qtbot.keyClick(row.note_edit(), Qt.Key.Key_Return)

    path = window.findings.path
    assert stored(path, FGW) == {"W-V4": ("problem", "工作动态栏目约4个月未更新", "演示检查员")}
    verdict = window.checklist.verdict_view.text
    assert verdict != before
    assert verdict.startswith("不合格")
    assert "单项否决：W-V4" in verdict
    assert window.target_list.status(FGW) == TargetStatus.UNQUALIFIED
    assert window.target_list.progress_text.startswith("已完成 1 / ")
    assert window.saved_text.startswith("已保存 ")


def test_choices_are_exclusive_and_a_second_click_clears(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    row = window.checklist.row("W-V1")
    for state in (State.OK, State.NA, State.NA):
        with qtbot.waitSignal(window.result_saved, timeout=5000):
            qtbot.mouseClick(row.button(state), Qt.MouseButton.LeftButton)
    assert [row.button(s).isChecked() for s in State] == [False, False, False]
    assert row.state is None
    assert stored(window.findings.path, PORTAL) == {}


def test_judging_every_indicator_completes_the_verdict(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    for ident in window.checklist.indicator_ids():
        qtbot.mouseClick(window.checklist.row(ident).button(State.OK), Qt.MouseButton.LeftButton)
    text = window.checklist.verdict_view.text
    assert text.startswith("合格")
    assert "分" in text and "暂计" not in text
    assert window.target_list.status(PORTAL) == TargetStatus.QUALIFIED


def test_ticks_survive_reopening_the_demo_workspace(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    qtbot.mouseClick(window.checklist.row("W-V3").button(State.OK), Qt.MouseButton.LeftButton)
    window.close()
    again = opened(qtbot, make_window)
    assert again.checklist.row("W-V3").state == State.OK
    assert again.target_list.status(PORTAL) == TargetStatus.PARTIAL


def test_reopening_resumes_at_the_last_target(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, FGW)
    window.close()
    again = opened(qtbot, make_window)
    assert again.current_target() is not None and again.current_target().key == FGW
    assert again.browser.url().endswith("/fgw/")


def test_closing_releases_the_page_before_its_profile(
    qtbot: QtBot, make_window: MakeWindow, qtlog: object
) -> None:
    window = opened(qtbot, make_window)
    findings = window.findings
    window.close()
    assert window.browser.page is None and window.browser.profile is None
    with pytest.raises(FindingsError, match="已关闭"):
        findings.targets()
    messages = [r.message for r in qtlog.records]  # type: ignore[attr-defined]
    assert not [m for m in messages if "still not deleted" in m]


def test_importing_a_sample_list_adds_its_targets(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = opened(qtbot, make_window)
    extra = Target(
        key="site:9900000056",
        kind=Kind.WEBSITE,
        name="江屿省卫生健康委员会",
        url="http://127.0.0.1:9/wjw/",
        site_code="9900000056",
        owner="江屿省卫生健康委员会",
    )
    sample = tmp_path / "抽查名单.csv"
    write_sample(sample, [extra])
    window.on_import_dialog_file_selected(str(sample))
    assert "site:9900000056" in window.target_list.target_keys()
    assert window.target_list.progress_text.startswith(f"已完成 0 / {len(demo_entries()) + 1}")
    assert window.current_target() is not None and window.current_target().key == PORTAL
    assert window.findings.target("site:9900000056") is not None


def test_opening_another_findings_file_switches_the_workspace(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, demo_server: DemoServer
) -> None:
    window = opened(qtbot, make_window)
    other = FindingsFile.create(
        tmp_path / "张三-2025Q2.sqlite",
        quarter="2025Q2",
        inspector="张三",
        profile_id=window.profile.id,
    )
    other.add_targets([demo_entries()[1].target(demo_server.base_url)], who="张三")
    path = other.path
    other.close()
    with qtbot.waitSignal(window.browser.load_finished, timeout=LOAD_TIMEOUT_MS):
        window.on_open_dialog_file_selected(str(path))
    assert window.findings.path == path
    assert window.target_list.target_keys() == [FGW]
    assert window.inspector == "张三"
    qtbot.mouseClick(window.checklist.row("W-V1").button(State.OK), Qt.MouseButton.LeftButton)
    assert stored(path, FGW) == {"W-V1": ("ok", "", "张三")}


def test_a_foreign_file_is_refused_without_losing_the_workspace(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = opened(qtbot, make_window)
    before = window.findings.path
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_bytes(b"SQLite format 3\x00" + bytes(100))
    window.on_open_dialog_file_selected(str(foreign))
    assert window.findings.path == before
    assert window.findings.targets()
    assert "无法打开" in window.statusBar().currentMessage()


def test_undo_reverts_the_last_tick(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    qtbot.mouseClick(window.checklist.row("W-V2").button(State.PROBLEM), Qt.MouseButton.LeftButton)
    assert window.checklist.verdict_view.text.startswith("不合格")
    window.undo_action.trigger()
    assert window.checklist.row("W-V2").state is None
    assert window.checklist.verdict_view.text.startswith("待完成")
    assert stored(window.findings.path, PORTAL) == {}


def test_next_and_previous_follow_the_filtered_list(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    select_and_wait(qtbot, window, FGW)
    with qtbot.waitSignal(window.target_changed, timeout=5000) as changed:
        window.previous_action.trigger()
    assert changed.args == [PORTAL]
    window.target_list._kind.setCurrentIndex(2)  # 政务新媒体 only
    assert all(k.startswith("account:") for k in window.target_list.visible_keys())
    with qtbot.waitSignal(window.target_changed, timeout=5000) as changed:
        window.next_action.trigger()
    assert changed.args[0].startswith("account:")
    assert window.next_action.shortcut().toString() == "Ctrl+Down"


def test_new_media_accounts_get_their_own_checklist(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    ok, _ = select_and_wait(qtbot, window, ACCOUNT)
    assert ok is True
    ids = window.checklist.indicator_ids()
    assert ids[:3] == ["M-V1", "M-V2", "M-V3"]
    assert all(i.startswith("M-") for i in ids)
    qtbot.mouseClick(window.checklist.row("M-V2").button(State.PROBLEM), Qt.MouseButton.LeftButton)
    assert window.checklist.verdict_view.text.startswith("不合格")
    assert "分" not in window.checklist.verdict_view.score_label.text()


def test_search_filters_by_name_and_owner(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    window.target_list._search.setText("教育")
    assert set(window.target_list.visible_keys()) == {"site:9900000023", ACCOUNT}


def test_the_window_geometry_is_remembered(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    window.resize(761, 555)  # within the offscreen screen (800 x 600), or Qt clamps it
    window.close()
    assert QSettings().value("main_window/geometry") is not None
    assert QSettings().value("main_window/splitter") is not None
    again = make_window()
    assert (again.size().width(), again.size().height()) == (761, 555)


def test_a_grab_of_the_window_is_not_empty(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = opened(qtbot, make_window)
    window.resize(1400, 900)
    qtbot.wait(300)
    image = window.grab().toImage()
    assert not image.isNull()
    assert image.width() >= 1000 and image.height() >= 600
    page = window.browser.view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colours = {page.pixel(x, y) for x in range(0, page.width(), 37) for y in range(0, 200, 13)}
    assert len(colours) > 5, "the web view rendered as one flat colour"


def _run_app(
    args: str, cwd: Path, env_changes: dict[str, str | None]
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    home = cwd / "home"
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "cfg"))
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from ui.app import run; {args}"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="headless detection is Linux's")
def test_without_a_display_the_app_saves_a_screenshot_and_says_so(tmp_path: Path) -> None:
    """The real start-up path, in its own process: QtWebEngine allows one application exit."""
    done = _run_app(
        "sys.exit(run())",
        tmp_path,
        {"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shot = tmp_path / "inspector-demo.png"
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 1000
    assert "未检测到图形显示" in done.stdout and "No display found" in done.stdout
    assert "xvfb-run -a inspector" in done.stdout
    assert str(shot) in done.stdout
    assert list((tmp_path / "home" / "data").rglob("demo-*.sqlite"))


def test_screenshot_of_a_given_workspace(tmp_path: Path, demo_server: DemoServer) -> None:
    findings = open_demo_workspace(tmp_path / "ws", demo_server.base_url)
    path = findings.path
    findings.close()
    shot = tmp_path / "out" / "shot.png"
    done = _run_app(
        f"sys.exit(run({str(path)!r}, screenshot={str(shot)!r}, inspector='张三'))",
        tmp_path,
        {"QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert not QImage(str(shot)).isNull()
    assert not (tmp_path / "inspector-demo.png").exists()


def test_a_broken_workspace_is_refused_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"nonsense")
    done = _run_app(f"sys.exit(run({str(bad)!r}))", tmp_path, {"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 2
    assert "无法打开" in done.stderr and "not a findings file" in done.stderr
