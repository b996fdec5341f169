"""The coordinator's quarter view: merge inspectors' files, settle conflicts, preview the report.

A thin face on the domain's quarter workflow (:mod:`inspector.merge`, ``FindingsFile``'s
conflicts, :mod:`inspector.report`): the window only collects choices and shows results. Merging
and building or writing the report read every row of several files, so they run on Qt's thread
pool and report back through queued signals; the window stays responsive. The quarter file is
opened only for the moment of a read or a resolution, never held open, because a merge replaces
it and refuses while another connection has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QRectF,
    QSettings,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector.merge import MergeError, MergeReport, describe, merge_files
from inspector.profiles import Profile, ProfileError, load_profile
from inspector.report import PreviousQuarterError, QuarterReport, build_report, write_report
from inspector.report.page import render_page
from inspector.store import Conflict, FindingsError, FindingsFile
from inspector.targets import State
from ui import i18n
from ui.theme import STYLE_SHEET

__all__ = ["CoordinatorAction", "CoordinatorWindow", "ReportBrowser", "Task"]

COORDINATOR_SETTING = "coordinator/name"
QUARTER_SETTING = "coordinator/quarter_file"
PREVIOUS_SETTING = "coordinator/previous_file"
#: Export formats: the domain's format name and the file name pattern offered.
EXPORTS = (("json", "*.json"), ("xlsx", "*.xlsx"), ("docx", "*.docx"), ("html", "*.html"))
#: Charts are drawn at the width they are shown at: scaled down, their small labels blur.
CHART_WIDTH = 760
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_SWATCH = re.compile(r'<span style="background:(#[0-9a-fA-F]{3,6})"></span>')
_PREVIEW_CSS = """
h1 { font-size: 20px; text-align: center; }
h2 { font-size: 15px; color: #2d5f8b; margin-top: 18px; }
th { background-color: #dde6f0; text-align: left; }
td.n { text-align: right; }
.bad { color: #b00020; font-weight: bold; }
.note { color: #8a5a00; }
.legend { margin-left: 12px; }
ol { margin-top: 0px; margin-bottom: 0px; }
table { margin-top: 6px; }
"""


class Task(QObject):
    """One piece of blocking work on Qt's thread pool; its outcome arrives as a queued signal.

    The outcome comes with the ``tag`` the work was started with (which build, which file), so
    the window receives it in a method of its own: a connection to a method dies with the
    window, one to a ``partial`` would call into a window already gone.

    Signals:
        succeeded(object, object): the tag and what the work returned.
        failed(object, object): the tag and the exception it raised.
        done(): after either.
    """

    succeeded = Signal(object, object)
    failed = Signal(object, object)
    done = Signal()

    def __init__(self, work: Callable[[], object], tag: object = None) -> None:
        super().__init__()
        self._work = work
        self._tag = tag

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        try:
            value = self._work()
        except Exception as exc:  # handed to the window, which shows it
            self.failed.emit(self._tag, exc)
        else:
            self.succeeded.emit(self._tag, value)
        self.done.emit()


def svg_image(svg: str, width: int = 900) -> QImage:
    """An inline SVG chart drawn to an image (QTextBrowser shows images, not SVG)."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    height = max(1, round(width * size.height() / max(1, size.width())))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, width, height))
    painter.end()
    return image


def build_preview(path: Path, previous: Path | None) -> tuple[QuarterReport, str]:
    """The report compared with ``previous`` when that file allows it, else without, and why.

    The remembered previous quarter may have moved or been replaced since it was chosen: this
    quarter's report is still worth showing, with a word on what it lacks.
    """
    try:
        return build_report(path, previous), ""
    except PreviousQuarterError as exc:
        return build_report(path), str(exc)


class ReportBrowser(QTextBrowser):
    """The report page in a QTextBrowser: its inline SVG charts are shown as images.

    QTextBrowser understands neither SVG nor every CSS rule of the page, so :meth:`show_page`
    turns each chart into an image it serves itself and gives the tables cell borders.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images: dict[str, QImage] = {}
        self.setOpenLinks(False)

    def show_page(self, html: str) -> None:
        images: dict[str, QImage] = {}

        def replace(match: re.Match[str]) -> str:
            name = f"chart:{len(images) + 1}"
            images[name] = svg_image(match[0], CHART_WIDTH)
            # A paragraph of its own: inline, the chart would share a line with the legend.
            return f'<p><img src="{name}" width="{CHART_WIDTH}"></p>'

        body = _SVG.sub(replace, html)
        # QTextDocument knows a subset of CSS: the page's own sheet gives it oversized cells
        # and empty legend swatches, so it gets a sheet of its own, borders as table
        # attributes and the swatches as coloured squares.
        body = _STYLE.sub("", body)
        body = body.replace(
            "<table>", '<table border="1" cellspacing="0" cellpadding="3" width="99%">'
        )
        body = _SWATCH.sub(r'&ensp;<span style="color:\1">■</span>&nbsp;', body)
        self._images = images
        self.document().setDefaultStyleSheet(_PREVIEW_CSS)
        self.setHtml(body)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        image = self._images.get(name.toString())
        if image is not None:
            return image
        return None  # nothing else is fetched: the page is self-contained


class CoordinatorWindow(QWidget):
    """The coordinator's quarter view: 合并 (merge), 冲突 (conflicts) and 通报预览 (report).

    Signals:
        merge_finished(bool): a merge ended; True when it was written, False when refused or
            failed (``message`` says why).
        conflict_resolved(str, str): target key and indicator of a conflict just settled.
        report_ready(): the report preview shows the quarter file as it is now.
        previous_refused(str): a file was not used as the previous quarter; why.
        exported(str): a report file was written; its path.
    """

    merge_finished = Signal(bool)
    conflict_resolved = Signal(str, str)
    report_ready = Signal()
    previous_refused = Signal(str)
    exported = Signal(str)

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
        self._tasks: set[Task] = set()
        self._merging = False
        self._conflicts: list[Conflict] = []
        self._names: dict[str, str] = {}
        self._profile: Profile | None = None
        self.report: QuarterReport | None = None
        self._previous: Path | None = None
        self._set_aside = ""  # why the report shown is not compared with self._previous
        # Reports are built in the background and may finish out of order: each build is
        # numbered, and one never replaces the preview of a build started after it.
        self._builds = 0
        self._shown_build = 0
        self._trying = 0  # the build trying the previous file chosen last; 0: none pending
        self.dialog: QWidget | None = None
        self.last_merge: MergeReport | None = None

        self.tabs = QTabWidget(self)
        self._build_merge_tab()
        self._build_conflicts_tab()
        self._build_report_tab()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)

        settings = QSettings()
        self.coordinator_edit.setText(
            str(settings.value(COORDINATOR_SETTING, "")) or coordinator or ""
        )
        saved = str(settings.value(QUARTER_SETTING, ""))
        previous = str(settings.value(PREVIOUS_SETTING, ""))
        self._previous = Path(previous) if previous else None
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
        self.tabs.addTab(page, "")

    def _build_conflicts_tab(self) -> None:
        page = QWidget(self)
        self.conflicts_label = QLabel(page)
        self.conflict_table = QTableWidget(0, 4, page)
        self.conflict_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflict_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflict_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflict_table.setWordWrap(True)
        self.conflict_table.verticalHeader().hide()
        header = self.conflict_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.conflict_table.setColumnWidth(0, 200)
        self.conflict_table.setColumnWidth(1, 200)
        self.conflict_table.setColumnWidth(3, 220)
        self.conflict_table.itemSelectionChanged.connect(self.on_conflict_table_selection_changed)

        self.state_combo = QComboBox(page)
        self.reason_edit = QLineEdit(page)
        self.reason_edit.textChanged.connect(self._update_buttons)
        self.resolve_button = QPushButton(page)
        self.resolve_button.clicked.connect(self.on_resolve_button_clicked)
        self.resolve_form = QFormLayout()
        self.resolve_labels = [QLabel(page), QLabel(page)]
        self.resolve_form.addRow(self.resolve_labels[0], self.state_combo)
        self.resolve_form.addRow(self.resolve_labels[1], self.reason_edit)
        self.resolve_message = QLabel(page)
        self.resolve_message.setObjectName("formMessage")
        self.resolve_message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.resolve_message, 1)
        row.addWidget(self.resolve_button)

        layout = QVBoxLayout(page)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.conflict_table, 1)
        layout.addLayout(self.resolve_form)
        layout.addLayout(row)
        self.conflicts_page = page
        self.tabs.addTab(page, "")

    def _build_report_tab(self) -> None:
        page = QWidget(self)
        self.previous_label = QLabel(page)
        self.previous_edit = QLineEdit(page)
        self.previous_edit.setReadOnly(True)
        self.previous_button = QPushButton(page)
        self.previous_button.clicked.connect(self.on_previous_button_clicked)
        self.clear_previous_button = QPushButton(page)
        self.clear_previous_button.clicked.connect(self.on_clear_previous_button_clicked)
        previous = QHBoxLayout()
        previous.addWidget(self.previous_label)
        previous.addWidget(self.previous_edit, 1)
        previous.addWidget(self.previous_button)
        previous.addWidget(self.clear_previous_button)
        self.previous_message = QLabel(page)
        self.previous_message.setObjectName("previousMessage")
        self.previous_message.setWordWrap(True)
        self.previous_message.setTextFormat(Qt.TextFormat.RichText)
        self.previous_message.hide()
        self.report_label = QLabel(page)
        self.report_label.setWordWrap(True)
        self.preview = ReportBrowser(page)
        self.refresh_button = QPushButton(page)
        self.refresh_button.clicked.connect(self.refresh_report)
        self.export_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(self.report_label, 1)
        row.addWidget(self.refresh_button)
        for fmt, _ in EXPORTS:
            button = QPushButton(page)
            button.clicked.connect(partial(self.export, fmt))
            self.export_buttons[fmt] = button
            row.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addLayout(previous)
        layout.addWidget(self.previous_message)
        layout.addLayout(row)
        layout.addWidget(self.preview, 1)
        self.report_page = page
        self.tabs.addTab(page, "")

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
        texts = (
            self.tr("季度文件："),
            self.tr("协调员："),
            self.tr("保留的结论："),
            self.tr("理由（必填）："),
        )
        for label, text in zip((*self.form_labels, *self.resolve_labels), texts, strict=True):
            label.setText(text)
        self.merge_button.setText(self.tr("合并"))
        self.conflict_table.setHorizontalHeaderLabels(
            [self.tr("检查对象"), self.tr("指标"), self.tr("各检查员的结论"), self.tr("状态")]
        )
        self.reason_edit.setPlaceholderText(self.tr("为什么保留这一结论（记入审计日志）"))
        self.resolve_button.setText(self.tr("裁定"))
        self.refresh_button.setText(self.tr("刷新"))
        self.previous_label.setText(self.tr("与上季度对比："))
        self.previous_button.setText(self.tr("上季度文件…"))
        self.previous_button.setToolTip(
            self.tr("选择上季度的季度文件：通报增加环比变化和附件3（上季度不合格本季度仍未整改）")
        )
        self.clear_previous_button.setText(self.tr("清除"))
        self.clear_previous_button.setToolTip(self.tr("不再与上季度比较"))
        self.previous_edit.setPlaceholderText(self.tr("未选择上季度文件：通报不含环比变化和附件3"))
        for fmt, button in self.export_buttons.items():
            button.setText(self.tr("导出 {format}…").format(format=fmt.upper()))
        self._show_conflicts()
        self._show_report()
        self._show_previous()

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
    def conflicts(self) -> list[Conflict]:
        """The quarter file's conflicts as shown (open and resolved)."""
        return list(self._conflicts)

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
        self._load_conflicts()
        self.refresh_report()
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
        self._start(
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

    def resolve(self, reason: str | None = None) -> bool:
        """Settle the selected conflict with the chosen state; False (and why) if not."""
        conflict = self._selected_conflict()
        path = self.quarter_path
        reason = (reason if reason is not None else self.reason_edit.text()).strip()
        state = self.state_combo.currentData()
        if conflict is None or path is None or state is None:
            return False
        if not reason:
            self.resolve_message.setText(self.tr("请填写理由：它会记入审计日志。"))
            return False
        who = self.coordinator_edit.text().strip() or self.tr("协调员")
        try:
            with FindingsFile.open(path) as findings:
                findings.resolve_conflict(
                    conflict.target_key, conflict.indicator_id, State(state), who=who, reason=reason
                )
        except FindingsError as exc:
            self.resolve_message.setText(str(exc))
            return False
        self.resolve_message.clear()
        self.reason_edit.clear()
        self._load_conflicts(select=(conflict.target_key, conflict.indicator_id))
        self.refresh_report()
        self.conflict_resolved.emit(conflict.target_key, conflict.indicator_id)
        return True

    def select_conflict(self, target_key: str, indicator_id: str) -> bool:
        for row, c in enumerate(self._conflicts):
            if (c.target_key, c.indicator_id) == (target_key, indicator_id):
                self.conflict_table.selectRow(row)
                return True
        return False

    @property
    def previous_path(self) -> Path | None:
        """Last quarter's file the report is compared with (None: no comparison)."""
        return self._previous

    @Slot()
    def refresh_report(self) -> None:
        """Build the report of the quarter file in the background, then show it.

        Compared with the previous quarter when one is chosen; should that file have become
        unusable, the report comes without the comparison and ``previous_refused`` says why.
        """
        path = self.quarter_path
        if path is None or not path.is_file():
            self._current(self._next_build())  # nothing started before may replace this
            self.report = None
            self._show_report()
            return
        self._start(
            partial(build_preview, path, self._previous),
            self.on_report_succeeded,
            self.on_report_failed,
            self._next_build(),
        )

    def set_previous_file(self, path: Path | None) -> None:
        """Compare the report with last quarter's file ``path`` (None: no longer compare).

        The file is tried first: if it cannot serve (unreadable, another profile, not an
        earlier quarter) it is not taken, the preview stays as it is and
        ``previous_refused`` says why.
        """
        quarter = self.quarter_path
        if path is None or quarter is None or not quarter.is_file():
            self._trying = 0
            self._take_previous(path)
            self.refresh_report()
            return
        self._tell_previous(self.tr("正在读取上季度文件 {name}…").format(name=path.name), "")
        self._trying = self._next_build()
        self._start(
            partial(build_report, quarter, path),
            self.on_previous_succeeded,
            self.on_previous_failed,
            (self._trying, path),
        )

    def export(self, fmt: str) -> None:
        """Ask where to write the report as ``fmt`` (the dialog is opened, not executed)."""
        if self.report is None:
            return
        pattern = dict(EXPORTS)[fmt]
        folder = self.quarter_path.parent if self.quarter_path else self._folder
        name = f"{self.report.quarter}通报{pattern[1:]}"
        dialog = QFileDialog(self, self.tr("导出通报"), str(folder / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([f"{fmt.upper()} ({pattern})"])
        dialog.setDefaultSuffix(fmt)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(partial(self.export_to, fmt))
        dialog.open()
        self.dialog = dialog

    def export_to(self, fmt: str, path: str) -> None:
        """Write the report shown as ``fmt`` to ``path`` in the background."""
        report = self.report
        if report is None:
            return
        target = Path(path)
        self.report_label.setText(self.tr("正在导出 {name}…").format(name=target.name))
        self._start(
            partial(write_report, report, target, fmt),
            self.on_export_succeeded,
            self.on_export_failed,
            str(target),
        )

    # --- work ---------------------------------------------------------------------------------

    def _start(
        self,
        work: Callable[[], object],
        done: Callable[[Any, Any], None],
        failed: Callable[[Any, Any], None],
        tag: object = None,
    ) -> None:
        task = Task(work, tag)
        self._tasks.add(task)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        task.done.connect(partial(self._tasks.discard, task))
        task.start()

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

    def _next_build(self) -> int:
        self._builds += 1
        return self._builds

    def _current(self, build: int) -> bool:
        """Whether a build's outcome may be shown: nothing started later has been shown."""
        if build <= self._shown_build:
            return False
        self._shown_build = build
        return True

    def _take_previous(self, path: Path | None) -> None:
        self._previous = path
        if path is None:
            QSettings().remove(PREVIOUS_SETTING)
        else:
            QSettings().setValue(PREVIOUS_SETTING, str(path))
        self._tell_previous("", "")
        self._show_previous()

    def _tell_previous(self, text: str, level: str, detail: str = "") -> None:
        """A line on the previous quarter's file, in bold, with the details below it."""
        html = f"<b>{escape(text)}</b>" + (f"<br>{escape(detail)}" if detail else "")
        self.previous_message.setText(html if text else "")
        self.previous_message.setVisible(bool(text))
        self.previous_message.setProperty("level", level)
        colour = {"error": "#b42318", "warn": "#8a5a00"}.get(level, "#374151")
        self.previous_message.setStyleSheet(f"color: {colour};")

    def _refuse_previous(self, headline: str, error: object, level: str = "error") -> None:
        self._tell_previous(headline, level, str(error))
        self.previous_refused.emit(f"{headline}\n{error}")

    def _shown(self, report: QuarterReport, problem: str) -> None:
        self.report = report
        self._set_aside = problem
        self._show_report()
        if problem and self._previous is not None:
            headline = self.tr("上季度文件 {name} 无法使用，通报未与上季度比较。")
            self._refuse_previous(headline.format(name=self._previous.name), problem, "warn")
        elif self.previous_message.property("level") == "warn":
            self._tell_previous("", "")  # the remembered file serves again
        self.report_ready.emit()

    @Slot(object, object)
    def on_report_succeeded(self, build: int, outcome: tuple[QuarterReport, str]) -> None:
        if self._current(build):
            self._shown(*outcome)

    def _failed(self, error: Exception) -> None:
        self.report = None
        self._show_report()
        self.report_label.setText(self.tr("无法生成通报：{error}").format(error=error))

    @Slot(object, object)
    def on_report_failed(self, build: int, error: Exception) -> None:
        if self._current(build):
            self._failed(error)

    @Slot(object, object)
    def _tried(self, build: int) -> bool:
        """Whether a tried previous file is still the one chosen last (then no longer pending)."""
        if build != self._trying:
            return False
        self._trying = 0
        return True

    @Slot(object, object)
    def on_previous_succeeded(self, tag: tuple[int, Path], report: QuarterReport) -> None:
        build, path = tag
        if not self._tried(build):
            return  # another file was chosen, or the choice cleared, since
        self._take_previous(path)
        if self._current(build):
            self._shown(report, "")
        else:  # a later build (a merge, say) is shown: it is compared again, with this file
            self.refresh_report()

    @Slot(object, object)
    def on_previous_failed(self, tag: tuple[int, Path], error: Exception) -> None:
        build, path = tag
        if not self._tried(build):
            return
        if isinstance(error, PreviousQuarterError):
            # The preview and the file chosen before stay as they are.
            headline = self.tr("未采用 {name} 作为上季度文件，通报预览保持不变。")
            self._refuse_previous(headline.format(name=path.name), error)
            return
        # This quarter's own file failed: the previous one was not at fault, so it is taken.
        self._take_previous(path)
        if self._current(build):
            self._failed(error)
        else:
            self.refresh_report()

    @Slot(object, object)
    def on_export_succeeded(self, path: str, _: object) -> None:
        self.report_label.setText(self.tr("已导出 {path}").format(path=path))
        self.exported.emit(path)

    @Slot(object, object)
    def on_export_failed(self, _: object, error: Exception) -> None:
        self.report_label.setText(self.tr("导出失败：{error}").format(error=error))

    # --- conflicts ------------------------------------------------------------------------

    def _load_conflicts(self, select: tuple[str, str] | None = None) -> None:
        path = self.quarter_path
        self._conflicts, self._names, self._profile = [], {}, None
        if path is not None and path.is_file():
            try:
                with FindingsFile.open(path) as findings:
                    self._conflicts = findings.conflicts()
                    keys = {c.target_key for c in self._conflicts}
                    self._names = {t.key: t.name for t in findings.targets() if t.key in keys}
                    profile_id = findings.profile_id
                self._profile = load_profile(profile_id)
            except (FindingsError, ProfileError) as exc:
                self.conflicts_label.setText(self.tr("无法读取季度文件：{error}").format(error=exc))
        self._show_conflicts()
        if select is not None:
            self.select_conflict(*select)

    def _state_label(self, state: object) -> str:
        labels = {
            State.PROBLEM.value: self.tr("问题"),
            State.OK.value: self.tr("正常"),
            State.NA.value: self.tr("不适用"),
        }
        return labels.get(str(state), str(state))

    def _indicator_text(self, indicator_id: str) -> str:
        if self._profile is not None:
            try:
                found = self._profile.indicator(indicator_id)
            except KeyError:
                return indicator_id
            return f"{indicator_id} {i18n.pick(found.name_zh, found.name_en)}"
        return indicator_id

    def _candidate_text(self, candidate: Mapping[str, Any]) -> str:
        when = str(candidate.get("updated_at", ""))[:16].replace("T", " ")
        note = str(candidate.get("note") or "")
        text = self.tr("{who}：{state}").format(
            who=candidate.get("inspector", ""), state=self._state_label(candidate.get("state"))
        )
        if note:
            text += self.tr("（{note}）").format(note=note)
        return f"{text}  {when}"

    def _show_conflicts(self) -> None:
        if not hasattr(self, "conflict_table"):
            return
        table = self.conflict_table
        table.setRowCount(len(self._conflicts))
        open_count = 0
        for row, c in enumerate(self._conflicts):
            name = self._names.get(c.target_key, c.target_key)
            said = "\n".join(self._candidate_text(cand) for cand in c.candidates)
            if c.status == "open":
                open_count += 1
                status = self.tr("待裁定")
                colour = QColor("#a86b00")
            else:
                chosen = self._state_label((c.resolution or {}).get("state"))
                status = self.tr("已裁定：{state}（{who}）\n理由：{reason}").format(
                    state=chosen, who=c.resolved_by or "", reason=c.reason
                )
                colour = QColor("#2e7d4f")
            cells = (name, self._indicator_text(c.indicator_id), said, status)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(c.target_key if column == 0 else text)
                if column == 3:
                    item.setForeground(colour)
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        path = self.quarter_path
        if path is None or not path.is_file():
            self.conflicts_label.setText(self.tr("尚未选择季度文件，或季度文件尚未生成。"))
        else:
            self.conflicts_label.setText(
                self.tr("{name}：共 {n} 项冲突，{open} 项待裁定。").format(
                    name=path.name, n=len(self._conflicts), open=open_count
                )
            )
        self.on_conflict_table_selection_changed()

    def _selected_conflict(self) -> Conflict | None:
        rows = {i.row() for i in self.conflict_table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    @Slot()
    def on_conflict_table_selection_changed(self) -> None:
        conflict = self._selected_conflict()
        self.state_combo.clear()
        if conflict is not None:
            by_state: dict[str, list[str]] = {}
            for cand in conflict.candidates:
                by_state.setdefault(str(cand.get("state")), []).append(
                    str(cand.get("inspector", ""))
                )
            for state in (State.PROBLEM.value, State.OK.value, State.NA.value):
                who = by_state.get(state)
                label = self._state_label(state)
                if who:
                    label += self.tr("（{who}）").format(who="、".join(who))
                self.state_combo.addItem(label, state)
            current = (conflict.resolution or {}).get("state") or conflict.candidates[-1].get(
                "state"
            )
            index = self.state_combo.findData(current)
            self.state_combo.setCurrentIndex(max(0, index))
        self._update_buttons()

    # --- report ------------------------------------------------------------------------------

    def _show_report(self) -> None:
        if not hasattr(self, "preview"):
            return
        report = self.report
        enabled = report is not None
        for button in self.export_buttons.values():
            button.setEnabled(enabled)
        if report is None:
            self.preview.clear()
            self.report_label.setText(self.tr("合并后在此预览通报。"))
            return
        self.preview.show_page(render_page(report))
        text = self.tr("{quarter} · {name}").format(quarter=report.quarter, name=report.source)
        if report.change is not None:
            text += self.tr(" · 对比 {quarter}").format(quarter=report.change.previous_quarter)
        elif self._set_aside:
            text += self.tr(" · 未与上季度比较")
        if report.open_conflicts:
            text += self.tr(" · 尚有 {n} 项冲突待裁定").format(n=report.open_conflicts)
        self.report_label.setText(text)

    def _show_previous(self) -> None:
        path = self._previous
        self.previous_edit.setText(str(path) if path is not None else "")
        self.previous_edit.setToolTip(str(path) if path is not None else "")
        self.previous_edit.setCursorPosition(0)
        self.clear_previous_button.setEnabled(path is not None)

    # --- slots ---------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        has_output = self.quarter_path is not None
        who = bool(self.coordinator_edit.text().strip())
        self.merge_button.setEnabled(
            not self._merging and has_output and who and self.file_list.count() > 0
        )
        self.add_button.setEnabled(not self._merging)
        self.remove_button.setEnabled(not self._merging and bool(self.file_list.selectedItems()))
        self.resolve_button.setEnabled(
            not self._merging
            and self._selected_conflict() is not None
            and bool(self.reason_edit.text().strip())
        )

    @Slot()
    def on_merge_button_clicked(self) -> None:
        self.merge()

    @Slot()
    def on_resolve_button_clicked(self) -> None:
        self.resolve()

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
    def on_previous_button_clicked(self) -> None:
        start = self._previous or (self.quarter_path.parent if self.quarter_path else self._folder)
        dialog = QFileDialog(self, self.tr("选择上季度的季度文件"), str(start))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("季度文件 (*.sqlite)"), self.tr("所有文件 (*)")])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_previous_dialog_file_selected)
        dialog.open()
        self.dialog = dialog

    @Slot(str)
    def on_previous_dialog_file_selected(self, path: str) -> None:
        self.set_previous_file(Path(path))

    @Slot()
    def on_clear_previous_button_clicked(self) -> None:
        self.set_previous_file(None)

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
