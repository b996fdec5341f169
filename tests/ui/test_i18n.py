"""Chinese first, English through Qt's translation system, switched at runtime and remembered."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTranslator
from pytestqt.qtbot import QtBot

from inspector.demo import open_demo_workspace
from inspector.store import Hint
from inspector.targets import State
from tests.ui.helpers import PORTAL, MakeWindow, opened
from ui import i18n

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "inspector_en.ts"
LUPDATE = ROOT / ".venv" / "bin" / "pyside6-lupdate"


def messages(path: Path) -> dict[tuple[str, str], str | None]:
    """(context, source) -> translation, None when unfinished."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") != "unfinished"
            found[(name, message.findtext("source"))] = translation.text if done else None
    return found


def test_switching_to_english_retranslates_the_window_and_is_remembered(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = opened(qtbot, make_window)
    assert [a.text() for a in window.menuBar().actions()][:3] == [
        "文件(&F)",
        "编辑(&E)",
        "检查(&C)",
    ]
    window.language_actions[i18n.ENGLISH].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File", timeout=5000)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == [
        "&File",
        "&Edit",
        "&Check",
        "E&vidence",
        "&Navigate",
        "&Browser",
        "语言 / Language",
        "&Help",
    ]
    assert window.capture_visible_action.text() == "Capture Visible Area"
    assert window.capture_visible_action.shortcut().toString() == "Ctrl+Shift+S"
    assert window.windowTitle() == "Government Website & New-Media Inspection Workbench"
    assert window.language_actions[i18n.ENGLISH].isChecked()
    indicator = window.profile.indicator("W-V1")
    assert window.checklist.row("W-V1")._name.text() == indicator.name_en
    assert window.checklist.row("W-V1").button(State.PROBLEM).text() == "Problem"
    assert window.checklist.verdict_view.state_label.text() == "Pending"
    assert window.target_list.progress_text.startswith("Done 0 / ")
    assert window.browser.reload_action.text() == "Reload"
    assert QSettings().value(i18n.SETTING) == i18n.ENGLISH
    assert i18n.saved_language() == i18n.ENGLISH

    window.language_actions[i18n.CHINESE].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() == "文件(&F)", timeout=5000)
    assert window.checklist.row("W-V1")._name.text() == indicator.name_zh
    assert window.checklist.verdict_view.state_label.text() == "待完成"
    assert i18n.saved_language() == i18n.CHINESE


def test_every_ui_string_has_an_english_translation(tmp_path: Path) -> None:
    """The committed .ts matches the code: run lupdate afresh and compare (no missing, none
    unfinished). When this fails, run the commands in resources/translations/README.md."""
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "ui").glob("*.py"))
    done = subprocess.run(
        [str(LUPDATE), *sources, "-source-language", "zh_CN", "-target-language", "en",
         "-no-obsolete", "-locations", "none", "-ts", str(fresh)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    committed = messages(TS)
    wanted = set(messages(fresh))
    assert wanted - set(committed) == set(), "strings missing from inspector_en.ts"
    assert [key for key, text in committed.items() if not text] == []


def test_the_compiled_translations_load(app: object) -> None:
    translator = QTranslator()
    assert translator.load("inspector_en", str(i18n.TRANSLATIONS))
    assert translator.translate("MainWindow", "文件(&F)") == "&File"
    assert translator.translate("IndicatorRow", "问题") == "Problem"
    assert QCoreApplication.translate("MainWindow", "文件(&F)") == "文件(&F)"  # not installed


def test_the_english_checklist_fits_its_panel(
    qtbot: QtBot, make_window: MakeWindow, demo_server: object
) -> None:
    """English words are longer: no row (hint links included) may be wider than the panel."""
    window = opened(qtbot, make_window)
    window.resize(1400, 900)
    window.findings.add_hints(
        PORTAL,
        [Hint("broken_link", "W-D6", "http://x/a/", "http://x/", "导航“数据发布”链接返回 404")],
        source="test",
    )
    window.refresh_target(PORTAL)
    checklist = window.checklist
    qtbot.wait(50)  # let the posted layout requests run
    assert checklist._body.width() <= checklist._scroll.viewport().width()
    window.language_actions[i18n.ENGLISH].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File", timeout=5000)
    qtbot.waitUntil(lambda: checklist.row("W-D6").hint_cards[0].button("adopt").text() == "Adopt")
    qtbot.wait(50)  # let the posted layout requests run
    body, viewport = checklist._body.width(), checklist._scroll.viewport().width()
    assert body <= viewport, (body, viewport)


def test_the_saved_language_applies_at_the_next_start(tmp_path: Path, demo_server: object) -> None:
    """The real start-up in its own process (QtWebEngine allows one application exit)."""
    findings = open_demo_workspace(tmp_path / "ws", demo_server.base_url)  # type: ignore[attr-defined]
    workspace = findings.path
    findings.close()
    config = tmp_path / "cfg" / "gov-inspector"
    config.mkdir(parents=True)
    (config / "inspector.conf").write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from ui.app import run\n"
        "async def session(window):\n"
        "    print('MENU', window.file_menu.title(), window.windowTitle())\n"
        "    return 0\n"
        f"sys.exit(run({str(workspace)!r}, session=session))\n"
    )
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "MENU &File Government Website & New-Media Inspection Workbench" in done.stdout
