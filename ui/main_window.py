"""The workbench window: targets on the left, the site in the middle, the checklist on the right."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QWidget,
)

from inspector import __version__
from inspector.profiles import Profile, ProfileError, load_profile
from inspector.samples import SampleError, read_sample
from inspector.store import FindingsError, FindingsFile, Result
from inspector.targets import State, Target
from inspector.verdict import Judgement, Verdict, judge
from ui.browser import BrowserView
from ui.checklist import ChecklistPanel
from ui.target_list import TargetListPanel, TargetStatus
from ui.theme import STYLE_SHEET

TITLE = "政府网站与政务新媒体检查工作台"


def judgements(results: Iterable[Result]) -> dict[str, Judgement]:
    """Stored results in the form the verdict engine takes."""
    return {
        r.indicator_id: Judgement(State(r.state), deduction=r.deduction, count=r.count)
        for r in results
    }


def status_of(verdict: Verdict, judged: int) -> TargetStatus:
    """The list's status dot for a verdict: a veto decides at once, else only when complete."""
    if verdict.vetoes:
        return TargetStatus.UNQUALIFIED
    if not verdict.complete:
        return TargetStatus.PARTIAL if judged else TargetStatus.TODO
    return TargetStatus.QUALIFIED if verdict.qualified else TargetStatus.UNQUALIFIED


class MainWindow(QMainWindow):
    """The inspector's workbench over one findings file.

    Picking a target opens it in the browser and shows its checklist; every tick is written to
    the findings file at once (there is no Save) and the verdict and the list's progress update
    from what was stored. The window owns the findings file it shows and closes it when it
    closes or when another file is opened.

    Signals:
        closed: the window has closed; its page, profile and findings file are released.
        target_changed(str): the key of the target now shown.
        result_saved(str, str): a result was written: target key and indicator id.
    """

    closed = Signal()
    target_changed = Signal(str)
    result_saved = Signal(str, str)

    def __init__(
        self,
        findings: FindingsFile,
        profile: Profile,
        *,
        inspector: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("mainWindow")
        self.setStyleSheet(STYLE_SHEET)
        self._findings = findings
        self._profile = profile
        self._who = inspector or findings.inspector
        self._targets: dict[str, Target] = {}
        self._dialog: QWidget | None = None

        self.target_list = TargetListPanel(self)
        self.browser = BrowserView(self)
        self.checklist = ChecklistPanel(profile, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for widget in (self.target_list, self.browser, self.checklist):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 720, 430])
        self.target_list.setMinimumWidth(200)
        self.checklist.setMinimumWidth(340)
        self.setCentralWidget(self.splitter)

        self._file_label = QLabel(self)
        self._saved_label = QLabel(self)
        self._saved_label.setObjectName("savedLabel")
        self.statusBar().addPermanentWidget(self._file_label)
        self.statusBar().addPermanentWidget(self._saved_label)

        self._build_menus()
        self.target_list.target_selected.connect(self.on_target_list_target_selected)
        self.checklist.result_edited.connect(self.on_checklist_result_edited)
        self.browser.load_finished.connect(self.on_browser_load_finished)

        self.resize(1400, 900)
        self._restore_settings()
        self._show_workspace()

    # --- public ----------------------------------------------------------------------------

    @property
    def findings(self) -> FindingsFile:
        """The findings file shown (owned by the window)."""
        return self._findings

    @property
    def profile(self) -> Profile:
        """The indicator profile of the findings file."""
        return self._profile

    @property
    def inspector(self) -> str:
        """Whose name goes into every result and audit row."""
        return self._who

    @property
    def saved_text(self) -> str:
        """What the status bar says about saving."""
        return self._saved_label.text()

    def current_target(self) -> Target | None:
        """The target shown, if any."""
        key = self.target_list.current_key()
        return None if key is None else self._targets.get(key)

    def select_target(self, key: str) -> bool:
        """Show a target by key; False if the file has no such target."""
        return self.target_list.select(key)

    def set_workspace(self, findings: FindingsFile, profile: Profile) -> None:
        """Show another findings file; the previous one is closed."""
        old, self._findings = self._findings, findings
        self._profile = profile
        self._who = findings.inspector if self._who == old.inspector else self._who
        if old is not findings:
            old.close()
        self.checklist.set_profile(profile)
        self._show_workspace()

    def verdict(self, key: str) -> Verdict:
        """The verdict of a target from what is stored now."""
        return judge(self._profile, self._targets[key], judgements(self._findings.results(key)))

    # --- building ----------------------------------------------------------------------------

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | str | None = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self.open_action = self._action(
            "打开检查结果文件…",
            self.on_open_action_triggered,
            QKeySequence.StandardKey.Open,
            "打开一个检查结果文件（.sqlite） / open a findings file",
        )
        self.import_action = self._action(
            "导入抽查名单…",
            self.on_import_action_triggered,
            "Ctrl+I",
            "把抽查名单（CSV/XLSX）中的对象加入当前文件 / add a sample list's targets",
        )
        self.quit_action = self._action(
            "退出", self.close, QKeySequence.StandardKey.Quit, "退出 / quit"
        )
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("编辑(&E)")
        self.undo_action = self._action(
            "撤销上一次检查结论",
            self.on_undo_action_triggered,
            QKeySequence.StandardKey.Undo,
            "撤销本人最近一次勾选（记入审计日志） / undo your last tick (audited)",
        )
        edit_menu.addAction(self.undo_action)

        nav = bar.addMenu("导航(&N)")
        self.next_action = self._action(
            "下一个检查对象", self.on_next_action_triggered, "Ctrl+Down", "next target (Ctrl+Down)"
        )
        self.previous_action = self._action(
            "上一个检查对象",
            self.on_previous_action_triggered,
            "Ctrl+Up",
            "previous target (Ctrl+Up)",
        )
        self.search_action = self._action(
            "搜索检查对象", self.target_list.focus_search, QKeySequence.StandardKey.Find
        )
        nav.addAction(self.next_action)
        nav.addAction(self.previous_action)
        nav.addAction(self.search_action)
        nav.addSeparator()
        for action, text in (
            (self.browser.back_action, "后退"),
            (self.browser.forward_action, "前进"),
            (self.browser.reload_action, "刷新"),
        ):
            action.setText(text)
            nav.addAction(action)
        nav.addAction(self.browser.focus_address_action)
        self.browser.focus_address_action.setText("转到地址栏")
        self.addAction(self.browser.focus_address_action)

        help_menu = bar.addMenu("帮助(&H)")
        self.about_action = self._action("关于", self.on_about_action_triggered)
        help_menu.addAction(self.about_action)

    # --- workspace ---------------------------------------------------------------------------

    def _show_workspace(self) -> None:
        targets = self._findings.targets()
        self._targets = {t.key: t for t in targets}
        self.target_list.set_targets(targets)
        self._refresh_statuses(self._findings.results())
        self._file_label.setText(
            f"{self._findings.path.name} · {self._findings.quarter} · 检查员：{self._who}"
        )
        self._file_label.setToolTip(str(self._findings.path))
        self._saved_label.clear()
        if targets:
            last = QSettings().value(self._last_target_setting())
            if not (isinstance(last, str) and last in self._targets):
                last = targets[0].key
            self.target_list.select(last)
        else:
            self.checklist.clear()
            self.browser.clear()

    def _last_target_setting(self) -> str:
        """Where the last target shown in this file is remembered, so work resumes there."""
        digest = hashlib.sha1(str(self._findings.path.resolve()).encode("utf-8")).hexdigest()
        return f"last_target/{digest[:16]}"

    def _refresh_statuses(self, results: Sequence[Result]) -> None:
        by_target: dict[str, list[Result]] = {}
        for result in results:
            by_target.setdefault(result.target_key, []).append(result)
        for key, target in self._targets.items():
            mine = by_target.get(key, [])
            verdict = judge(self._profile, target, judgements(mine))
            self.target_list.set_status(key, status_of(verdict, len(mine)))

    def _show_target(self, key: str, *, reload_page: bool) -> None:
        target = self._targets[key]
        results = self._findings.results(key)
        self.checklist.show_target(target, results, self._findings.hints(key))
        verdict = judge(self._profile, target, judgements(results))
        self.checklist.show_verdict(verdict)
        self.target_list.set_status(key, status_of(verdict, len(results)))
        if reload_page:
            if target.url:
                self.browser.load(target.url)
            else:
                self.browser.clear()

    def _report_error(self, title: str, error: Exception) -> None:
        """Say what went wrong without blocking: the box is window-modal and opened, not exec'd."""
        self.statusBar().showMessage(f"{title}：{error}", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, str(error), parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    # --- slots ---------------------------------------------------------------------------------

    @Slot(str)
    def on_target_list_target_selected(self, key: str) -> None:
        if key not in self._targets:
            return
        self._show_target(key, reload_page=True)
        QSettings().setValue(self._last_target_setting(), key)
        self.target_changed.emit(key)

    @Slot(str, object, object)
    def on_checklist_result_edited(
        self, indicator_id: str, state: State | None, note: str | None
    ) -> None:
        target = self.checklist.target
        if target is None:
            return
        try:
            self._findings.set_result(target.key, indicator_id, state, who=self._who, note=note)
        except FindingsError as exc:
            self._report_error("保存失败 / not saved", exc)
            self._show_target(target.key, reload_page=False)
            return
        self._show_target(target.key, reload_page=False)
        self._saved_label.setText(f"已保存 {datetime.now():%H:%M:%S}")
        self._saved_label.setToolTip("每次勾选立即写入检查结果文件 / every tick is saved at once")
        self.result_saved.emit(target.key, indicator_id)

    @Slot(bool, int)
    def on_browser_load_finished(self, ok: bool, elapsed_ms: int) -> None:
        if ok:
            self.statusBar().showMessage(f"页面加载完成，用时 {elapsed_ms} ms", 8000)
        else:
            self.statusBar().showMessage("页面加载失败 / page failed to load", 8000)

    @Slot()
    def on_next_action_triggered(self) -> None:
        if not self.target_list.select_next():
            self.statusBar().showMessage("已是最后一个检查对象 / last target", 3000)

    @Slot()
    def on_previous_action_triggered(self) -> None:
        if not self.target_list.select_previous():
            self.statusBar().showMessage("已是第一个检查对象 / first target", 3000)

    @Slot()
    def on_undo_action_triggered(self) -> None:
        try:
            entry = self._findings.undo_last(self._who)
        except FindingsError as exc:
            self._report_error("无法撤销 / cannot undo", exc)
            return
        if entry is None or entry.target_key is None:
            self.statusBar().showMessage("没有可撤销的操作 / nothing to undo", 4000)
            return
        if self.target_list.current_key() != entry.target_key:
            self.target_list.select(entry.target_key)
        else:
            self._show_target(entry.target_key, reload_page=False)
        self._saved_label.setText(f"已撤销 {entry.indicator_id} {datetime.now():%H:%M:%S}")

    @Slot()
    def on_open_action_triggered(self) -> None:
        dialog = QFileDialog(self, "打开检查结果文件", str(self._findings.path.parent))
        dialog.setNameFilters(["检查结果文件 (*.sqlite *.db)", "所有文件 (*)"])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_open_dialog_file_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def on_open_dialog_file_selected(self, path: str) -> None:
        try:
            findings = FindingsFile.open(path)
        except FindingsError as exc:
            self._report_error("无法打开 / cannot open", exc)
            return
        try:
            profile = load_profile(findings.profile_id)
        except (ProfileError, OSError, KeyError) as exc:
            findings.close()
            self._report_error("指标体系不可用 / profile unavailable", exc)
            return
        self.set_workspace(findings, profile)
        self.statusBar().showMessage(f"已打开 {path}", 5000)

    @Slot()
    def on_import_action_triggered(self) -> None:
        dialog = QFileDialog(self, "导入抽查名单", str(Path.home()))
        dialog.setNameFilters(["抽查名单 (*.csv *.xlsx)", "所有文件 (*)"])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_import_dialog_file_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def on_import_dialog_file_selected(self, path: str) -> None:
        try:
            sample = read_sample(Path(path))
            changed = self._findings.add_targets(sample.targets, who=self._who)
        except (SampleError, FindingsError, OSError) as exc:
            self._report_error("导入失败 / import failed", exc)
            return
        current = self.target_list.current_key()
        self._show_workspace()
        if current is not None:
            self.target_list.select(current)
        text = (
            f"名单中 {len(sample.targets)} 个对象，新增或更新 {changed} 个；"
            f"{len(sample.problems)} 行有误未导入。"
        )
        box = QMessageBox(QMessageBox.Icon.Information, "导入抽查名单", text, parent=self)
        if sample.problems:
            box.setDetailedText("\n".join(f"第 {p.row} 行：{p.message}" for p in sample.problems))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    @Slot()
    def on_about_action_triggered(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("关于")
        box.setIconPixmap(self.windowIcon().pixmap(48, 48))
        box.setText(f"<b>{TITLE}</b><br>版本 {__version__}")
        box.setInformativeText(
            "供检查员抽查政府网站和政务新媒体使用：勾选指标、记录备注，结论与得分实时计算，"
            "所有结果即时保存在检查结果文件中。<br><br>"
            f"指标体系：{self._profile.name_zh}<br>"
            "Government website and new-media inspection workbench."
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    # --- settings and closing ----------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value("main_window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the layout, release the page before its profile, close the findings file."""
        self._save_settings()
        self.browser.dispose()
        self._findings.close()
        super().closeEvent(event)
        self.closed.emit()
