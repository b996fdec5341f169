"""The coordinator's 通报预览 (report preview) tab: the quarter report, compared with the previous
quarter's file when one is chosen, and its exports.

Building and writing the report read every row of the quarter file (and the previous one), so
they run on Qt's thread pool (:mod:`ui.background`); the window stays responsive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSettings, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector.report import PreviousQuarterError, QuarterReport, build_report, write_report
from inspector.report.page import render_page
from ui.background import Tasks

__all__ = ["PREVIOUS_SETTING", "ReportBrowser", "ReportPreviewTab"]

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


class ReportPreviewTab(QWidget):
    """The quarter report as it stands, the previous quarter's file it is compared with, exports.

    ``quarter`` gives the quarter file as chosen now; ``folder`` where file dialogs start when
    there is none.

    Signals:
        report_ready(): the preview shows the quarter file as it is now.
        previous_refused(str): a file was not used as the previous quarter; why.
        exported(str): a report file was written; its path.
    """

    report_ready = Signal()
    previous_refused = Signal(str)
    exported = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        quarter: Callable[[], Path | None],
        folder: Callable[[], Path],
    ) -> None:
        super().__init__(parent)
        self._quarter = quarter
        self._folder = folder
        self._tasks = Tasks()
        self.report: QuarterReport | None = None
        previous = str(QSettings().value(PREVIOUS_SETTING, ""))
        self._previous: Path | None = Path(previous) if previous else None
        self._set_aside = ""  # why the report shown is not compared with self._previous
        # Reports are built in the background and may finish out of order: each build is
        # numbered, and one never replaces the preview of a build started after it.
        self._builds = 0
        self._shown_build = 0
        self._trying = 0  # the build trying the previous file chosen last; 0: none pending
        self.dialog: QWidget | None = None

        self.previous_label = QLabel(self)
        self.previous_edit = QLineEdit(self)
        self.previous_edit.setReadOnly(True)
        self.previous_button = QPushButton(self)
        self.previous_button.clicked.connect(self.on_previous_button_clicked)
        self.clear_previous_button = QPushButton(self)
        self.clear_previous_button.clicked.connect(self.on_clear_previous_button_clicked)
        previous_row = QHBoxLayout()
        previous_row.addWidget(self.previous_label)
        previous_row.addWidget(self.previous_edit, 1)
        previous_row.addWidget(self.previous_button)
        previous_row.addWidget(self.clear_previous_button)
        self.previous_message = QLabel(self)
        self.previous_message.setObjectName("previousMessage")
        self.previous_message.setWordWrap(True)
        self.previous_message.setTextFormat(Qt.TextFormat.RichText)
        self.previous_message.hide()
        self.report_label = QLabel(self)
        self.report_label.setWordWrap(True)
        self.preview = ReportBrowser(self)
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh_report)
        self.export_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(self.report_label, 1)
        row.addWidget(self.refresh_button)
        for fmt, _ in EXPORTS:
            button = QPushButton(self)
            button.clicked.connect(partial(self.export, fmt))
            self.export_buttons[fmt] = button
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(previous_row)
        layout.addWidget(self.previous_message)
        layout.addLayout(row)
        layout.addWidget(self.preview, 1)
        self._retranslate()

    def _retranslate(self) -> None:
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
        self._show_report()
        self._show_previous()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- public -----------------------------------------------------------------------------

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
        path = self._quarter()
        if path is None or not path.is_file():
            self._current(self._next_build())  # nothing started before may replace this
            self.report = None
            self._show_report()
            return
        self._tasks.start(
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
        quarter = self._quarter()
        if path is None or quarter is None or not quarter.is_file():
            self._trying = 0
            self._take_previous(path)
            self.refresh_report()
            return
        self._tell_previous(self.tr("正在读取上季度文件 {name}…").format(name=path.name), "")
        self._trying = self._next_build()
        self._tasks.start(
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
        name = f"{self.report.quarter}通报{pattern[1:]}"
        dialog = QFileDialog(self, self.tr("导出通报"), str(self._start_folder() / name))
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
        self._tasks.start(
            partial(write_report, report, target, fmt),
            self.on_export_succeeded,
            self.on_export_failed,
            str(target),
        )

    # --- showing ----------------------------------------------------------------------------

    def _start_folder(self) -> Path:
        quarter = self._quarter()
        return quarter.parent if quarter else self._folder()

    def _show_report(self) -> None:
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

    def _failed(self, error: Exception) -> None:
        self.report = None
        self._show_report()
        self.report_label.setText(self.tr("无法生成通报：{error}").format(error=error))

    def _tried(self, build: int) -> bool:
        """Whether a tried previous file is still the one chosen last (then no longer pending)."""
        if build != self._trying:
            return False
        self._trying = 0
        return True

    # --- slots ------------------------------------------------------------------------------

    @Slot(object, object)
    def on_report_succeeded(self, build: int, outcome: tuple[QuarterReport, str]) -> None:
        if self._current(build):
            self._shown(*outcome)

    @Slot(object, object)
    def on_report_failed(self, build: int, error: Exception) -> None:
        if self._current(build):
            self._failed(error)

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

    @Slot()
    def on_previous_button_clicked(self) -> None:
        start = self._previous or self._start_folder()
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
