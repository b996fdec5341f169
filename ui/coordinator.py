"""The coordinator's quarter view: merge inspectors' files, settle conflicts, preview the report.

A thin face on the domain's quarter workflow (:mod:`inspector.merge`, ``FindingsFile``'s
conflicts, :mod:`inspector.report`): the window only collects choices and shows results. It
holds the 合并 (merge) tab; the 冲突 (conflicts) tab is :mod:`ui.conflicts_tab` and the 通报预览
(report preview) tab :mod:`ui.report_preview`. A merge reads every row of several files, so it
runs on Qt's thread pool (:mod:`ui.background`); the window stays responsive.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.merge import MergeError, MergeReport, describe, merge_files
from ui.background import Tasks
from ui.conflicts_tab import ConflictsTab
from ui.report_preview import ReportPreviewTab
from ui.theme import STYLE_SHEET

__all__ = ["CoordinatorAction", "CoordinatorWindow"]

COORDINATOR_SETTING = "coordinator/name"
QUARTER_SETTING = "coordinator/quarter_file"


class CoordinatorWindow(QWidget):
    """The coordinator's quarter view: 合并 (merge), 冲突 (conflicts) and 通报预览 (report).

    The merge tab is built here; ``conflicts_tab`` and ``report_tab`` are widgets of their own
    that read the quarter file chosen here again on :meth:`reload`.

    Signals:
        merge_finished(bool): a merge ended; True when it was written, False when refused or
            failed (``message`` says why).
    """

    merge_finished = Signal(bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        folder: Path | None = None,
        coordinator: str = "",
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("coordinatorWindow")
        self.setStyleSheet(STYLE_SHEET)
        self._folder = folder or Path.home()
        self._tasks = Tasks()
        self._merging = False
        self.dialog: QWidget | None = None
        self.last_merge: MergeReport | None = None

        self.tabs = QTabWidget(self)
        self._build_merge_tab()
        self.conflicts_tab = ConflictsTab(
            self,
            quarter=lambda: self.quarter_path,
            who=lambda: self.coordinator_edit.text().strip(),
        )
        self.report_tab = ReportPreviewTab(
            self, quarter=lambda: self.quarter_path, folder=lambda: self._folder
        )
        self.conflicts_tab.conflict_resolved.connect(self.report_tab.refresh_report)
        for page in (self.merge_page, self.conflicts_tab, self.report_tab):
            self.tabs.addTab(page, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)

        settings = QSettings()
        self.coordinator_edit.setText(
            str(settings.value(COORDINATOR_SETTING, "")) or coordinator or ""
        )
        saved = str(settings.value(QUARTER_SETTING, ""))
        self._retranslate()
        self.resize(1000, 680)
        if saved:
            self.set_quarter_file(Path(saved))
        self._update_buttons()

    # --- building -------------------------------------------------------------------------

    def _build_merge_tab(self) -> None:
        page = QWidget(self)
        self.files_label = QLabel(page)
        self.file_list = QListWidget(page)
        self.file_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton(page)
        self.remove_button = QPushButton(page)
        self.add_button.clicked.connect(self.on_add_button_clicked)
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.file_list.itemSelectionChanged.connect(self._update_buttons)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        files = QHBoxLayout()
        files.addWidget(self.file_list, 1)
        files.addLayout(buttons)

        self.quarter_edit = QLineEdit(page)
        self.quarter_edit.editingFinished.connect(self.on_quarter_edit_editing_finished)
        self.quarter_button = QPushButton(page)
        self.quarter_button.clicked.connect(self.on_quarter_button_clicked)
        quarter = QHBoxLayout()
        quarter.addWidget(self.quarter_edit, 1)
        quarter.addWidget(self.quarter_button)
        self.coordinator_edit = QLineEdit(page)
        self.coordinator_edit.textChanged.connect(self._update_buttons)
        self.form = QFormLayout()
        self.form_labels = [QLabel(page), QLabel(page)]
        self.form.addRow(self.form_labels[0], quarter)
        self.form.addRow(self.form_labels[1], self.coordinator_edit)

        self.merge_button = QPushButton(page)
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.on_merge_button_clicked)
        self.busy = QProgressBar(page)
        self.busy.setObjectName("busyBar")
        self.busy.setRange(0, 0)
        self.busy.setFixedHeight(12)
        self.busy.setTextVisible(False)
        self.busy.hide()
        run = QHBoxLayout()
        run.addWidget(self.merge_button)
        run.addWidget(self.busy, 1)
        run.addStretch(0)

        self.message_label = QLabel(page)
        self.message_label.setObjectName("mergeMessage")
        self.message_label.setWordWrap(True)
        self.result_view = QPlainTextEdit(page)
        self.result_view.setReadOnly(True)
        self.result_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        layout = QVBoxLayout(page)
        layout.addWidget(self.files_label)
        layout.addLayout(files, 2)
        layout.addLayout(self.form)
        layout.addLayout(run)
        layout.addWidget(self.message_label)
        layout.addWidget(self.result_view, 3)
        self.merge_page = page

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("季度汇总（协调员）"))
        self.tabs.setTabText(0, self.tr("合并"))
        self.tabs.setTabText(1, self.tr("冲突"))
        self.tabs.setTabText(2, self.tr("通报预览"))
        self.files_label.setText(self.tr("要合并的检查员结果文件："))
        self.add_button.setText(self.tr("添加…"))
        self.remove_button.setText(self.tr("移除"))
        self.quarter_button.setText(self.tr("选择或新建…"))
        self.quarter_edit.setPlaceholderText(self.tr("季度文件（不存在时新建，存在时追加）"))
        self.coordinator_edit.setPlaceholderText(self.tr("合并人的姓名，记入审计日志"))
        self.form_labels[0].setText(self.tr("季度文件："))
        self.form_labels[1].setText(self.tr("协调员："))
        self.merge_button.setText(self.tr("合并"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- public -----------------------------------------------------------------------------

    @property
    def inputs(self) -> list[Path]:
        """The inspectors' files listed for merging."""
        return [Path(self.file_list.item(i).text()) for i in range(self.file_list.count())]

    @property
    def quarter_path(self) -> Path | None:
        text = self.quarter_edit.text().strip()
        return Path(text) if text else None

    @property
    def merging(self) -> bool:
        return self._merging

    def add_inputs(self, paths: Sequence[Path]) -> None:
        """List more inspectors' files (each once)."""
        known = {p.resolve() for p in self.inputs}
        for path in paths:
            if Path(path).resolve() not in known:
                self.file_list.addItem(str(path))
                known.add(Path(path).resolve())
        self._update_buttons()

    def set_quarter_file(self, path: Path) -> None:
        """Merge into ``path`` from now on; show its conflicts and report when it exists."""
        self.quarter_edit.setText(str(path))
        QSettings().setValue(QUARTER_SETTING, str(path))
        self.reload()

    def reload(self) -> None:
        """Read the quarter file's conflicts again and rebuild the report preview."""
        self.conflicts_tab.load()
        self.report_tab.refresh_report()
        self._update_buttons()

    def merge(self) -> bool:
        """Start merging the listed files into the quarter file; False if it cannot start."""
        output = self.quarter_path
        who = self.coordinator_edit.text().strip()
        if self._merging or output is None or not who or not self.inputs:
            return False
        QSettings().setValue(COORDINATOR_SETTING, who)
        QSettings().setValue(QUARTER_SETTING, str(output))
        inputs = self.inputs
        self._merging = True
        self.busy.show()
        self._say(self.tr("正在合并 {n} 个文件…").format(n=len(inputs)), "")
        self.result_view.clear()
        self._update_buttons()
        self._tasks.start(
            partial(merge_files, inputs, output, coordinator=who),
            self.on_merge_succeeded,
            self.on_merge_failed,
        )
        return True

    @property
    def message(self) -> str:
        """What the merge tab says about the last merge."""
        return self.message_label.text()

    @property
    def details(self) -> str:
        """The merge's summary or the list of refused files."""
        return self.result_view.toPlainText()

    # --- work ---------------------------------------------------------------------------------

    def _say(self, text: str, level: str) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("level", level)
        colour = {"error": "#b42318", "ok": "#2e7d4f"}.get(level, "#374151")
        self.message_label.setStyleSheet(f"color: {colour}; font-weight: 600;")

    def _end_merge(self) -> None:
        self._merging = False
        self.busy.hide()
        self._update_buttons()

    @Slot(object, object)
    def on_merge_succeeded(self, _: object, report: MergeReport) -> None:
        self._end_merge()
        self.last_merge = report
        opened = len(report.open_conflicts)
        verb = self.tr("已新建") if report.created else self.tr("已追加到")
        text = self.tr("合并完成：{verb} {name}，{n} 个文件，{c} 项冲突待处理。").format(
            verb=verb, name=report.output.name, n=len(report.sources), c=opened
        )
        if not report.changed:
            text += self.tr("（没有新内容）")
        self._say(text, "ok")
        self.result_view.setPlainText("\n".join(describe(report)))
        self.reload()
        self.merge_finished.emit(True)

    @Slot(object, object)
    def on_merge_failed(self, _: object, error: Exception) -> None:
        self._end_merge()
        if isinstance(error, MergeError) and error.problems:
            self._say(self.tr("合并被拒绝，未写入任何内容。请处理下列文件后重试："), "error")
            self.result_view.setPlainText("\n\n".join(error.problems))
        else:
            self._say(self.tr("合并失败，季度文件保持原样。"), "error")
            self.result_view.setPlainText(str(error))
        self.merge_finished.emit(False)

    # --- slots ---------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        has_output = self.quarter_path is not None
        who = bool(self.coordinator_edit.text().strip())
        self.merge_button.setEnabled(
            not self._merging and has_output and who and self.file_list.count() > 0
        )
        self.add_button.setEnabled(not self._merging)
        self.remove_button.setEnabled(not self._merging and bool(self.file_list.selectedItems()))
        self.conflicts_tab.set_locked(self._merging)

    @Slot()
    def on_merge_button_clicked(self) -> None:
        self.merge()

    @Slot()
    def on_add_button_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("添加检查员的结果文件"), str(self._folder))
        dialog.setNameFilters([self.tr("检查结果文件 (*.sqlite *.db)"), self.tr("所有文件 (*)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.on_add_dialog_files_selected)
        dialog.open()
        self.dialog = dialog

    @Slot(list)
    def on_add_dialog_files_selected(self, paths: list[str]) -> None:
        self.add_inputs([Path(p) for p in paths])
        if paths:
            self._folder = Path(paths[0]).parent

    @Slot()
    def on_remove_button_clicked(self) -> None:
        for item in self.file_list.selectedItems():
            self.file_list.takeItem(self.file_list.row(item))
        self._update_buttons()

    @Slot()
    def on_quarter_button_clicked(self) -> None:
        start = self.quarter_path or (self._folder / "季度汇总.sqlite")
        dialog = QFileDialog(self, self.tr("选择或新建季度文件"), str(start))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        # An existing quarter file is added to, never overwritten: no "replace?" question.
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
        dialog.setNameFilters([self.tr("季度文件 (*.sqlite)")])
        dialog.setDefaultSuffix("sqlite")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_quarter_dialog_file_selected)
        dialog.open()
        self.dialog = dialog

    @Slot(str)
    def on_quarter_dialog_file_selected(self, path: str) -> None:
        self.set_quarter_file(Path(path))

    @Slot()
    def on_quarter_edit_editing_finished(self) -> None:
        path = self.quarter_path
        if path is not None:
            self.set_quarter_file(path)
        self._update_buttons()

    def closeEvent(self, event: QCloseEvent) -> None:
        """A merge in flight finishes first: it replaces the quarter file at its very end."""
        if self._merging:
            self._say(self.tr("合并进行中，完成后才能关闭。"), "")
            event.ignore()
            return
        super().closeEvent(event)


class CoordinatorAction(QAction):
    """文件 → 季度汇总（协调员）…: opens (or raises) the coordinator's window.

    It keeps its own text in the UI's language, so the main window only adds it to a menu.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.window: CoordinatorWindow | None = None
        self.triggered.connect(self.on_self_triggered)
        parent.installEventFilter(self)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setText(self.tr("季度汇总（协调员）…"))
        tip = self.tr("合并检查员的结果文件，裁定冲突，预览并导出季度通报")
        self.setStatusTip(tip)
        self.setToolTip(tip)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._parent and event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        return False

    @Slot()
    def on_self_triggered(self) -> None:
        if self.window is None:
            findings = getattr(self._parent, "findings", None)
            folder = findings.path.parent if findings is not None else None
            self.window = CoordinatorWindow(self._parent, folder=folder)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
