"""The report as an XLSX workbook: a summary sheet, the breakdowns, and a sheet per attachment.

Offices paste these sheets into their own files and filter them in WPS or Excel, so every cell
from a site or a note is stored as text (a name starting with ``=`` stays a name, never becomes
a formula), rates stay the strings the notice prints, and long problem lists wrap in their cell.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from inspector.report.figures import DIMENSIONS, Counts, QuarterReport
from inspector.report.words import ATTACHMENTS, headline, rate_text, summary_rows

__all__ = ["write_workbook"]

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_THIN = Side(style="thin", color="888888")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_RIGHT = Alignment(horizontal="right", vertical="top")
_BREAKDOWN_WIDTHS = (18, 10, 11, 11, 13, 11, 13, 13, 15)


def _put(sheet: Worksheet, row: int, column: int, value: object, *, head: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = "" if value is None else str(value)
        cell.data_type = "s"  # text, even "=…": nothing from a site becomes a formula
    cell.border = _BOX
    cell.alignment = _RIGHT if isinstance(value, str) and value.endswith("%") else _WRAP
    if head:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL


def _text_width(text: str) -> int:
    # Column widths count Latin characters; a Chinese character takes about two.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(value: object, width: float) -> int:
    room = max(int(width) - 1, 1)
    return sum(max(1, math.ceil(_text_width(part) / room)) for part in str(value).split("\n"))


def _table(
    sheet: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
) -> int:
    """Headers and rows from ``top``; rows are made tall enough for their wrapped text, since
    LibreOffice does not grow rows of a workbook it did not write."""
    _widths(sheet, widths)
    for c, header in enumerate(headers, start=1):
        _put(sheet, top, c, header, head=True)
    for r, values in enumerate(rows, start=top + 1):
        lines = 1
        for c, value in enumerate(values, start=1):
            _put(sheet, r, c, value)
            if c <= len(widths):
                lines = max(lines, _lines(value, widths[c - 1]))
        sheet.row_dimensions[r].height = 15 * lines
    return top + len(rows) + 1


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].width = width


def _printable(sheet: Worksheet) -> None:
    # Printed (or converted to PDF) on A4 landscape, one page wide, as offices file them.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _counts(c: Counts | None) -> tuple[object, ...]:
    if c is None:
        return ("", "", "", "")
    return (c.inspected, c.unqualified, rate_text(c.qualified_rate), c.with_problems)


def write_workbook(report: QuarterReport, path: Path) -> None:
    """Write the workbook to ``path`` (the caller makes the write atomic)."""
    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "汇总"
    summary.cell(
        row=1, column=1, value=f"{report.quarter} 政府网站与政务新媒体检查情况"
    ).font = _TITLE
    row = 2
    for line in headline(report):
        cell = summary.cell(row=row, column=1, value=line)
        cell.data_type = "s"
        cell.alignment = _WRAP
        summary.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        summary.row_dimensions[row].height = 32
        row += 1
    _table(summary, row + 1, ("项目", "政府网站", "政务新媒体"), summary_rows(report), (30, 24, 24))
    _printable(summary)

    breakdown = book.create_sheet("分类统计")
    row = 1
    headers = (
        "分组",
        "网站检查",
        "网站不合格",
        "网站合格率",
        "网站存在问题",
        "新媒体检查",
        "新媒体不合格",
        "新媒体合格率",
        "新媒体存在问题",
    )
    for name, label, _ in DIMENSIONS:
        groups = report.breakdowns.get(name, ())
        if not groups:
            continue
        breakdown.cell(row=row, column=1, value=f"按{label}").font = _BOLD
        rows = [(g.value, *_counts(g.websites), *_counts(g.new_media)) for g in groups]
        row = _table(breakdown, row + 1, headers, rows, _BREAKDOWN_WIDTHS) + 1
    _printable(breakdown)

    for attachment in ATTACHMENTS:
        sheet = book.create_sheet(f"附件{attachment.number} {attachment.title}"[:31])
        sheet.cell(
            row=1, column=1, value=f"附件{attachment.number}：{attachment.title}"
        ).font = _TITLE
        entries = attachment.entries(report)
        rows = [(i, *attachment.cells(e)) for i, e in enumerate(entries, start=1)]
        if not rows:
            sheet.cell(row=3, column=1, value=attachment.empty_text(report))
        _table(sheet, 2, attachment.headers, rows, [w * 1.6 for w in attachment.widths])
        sheet.freeze_panes = "A3"
        sheet.print_title_rows = "2:2"
        _printable(sheet)
    book.save(path)
