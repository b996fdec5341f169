"""The report as a Word document: the notice's summary and attachment tables, ready to paste.

Offices publish on their own letterhead template, so this file is not the notice itself: it gives
the paragraph of figures and the attachment tables laid out the way notices print them (A4,
numbered rows, 仿宋 body text, 黑体 headings), to be copied into the template. Tables use Word's
built-in "Table Grid" style so they keep their borders when pasted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.run import Run

from inspector.report.figures import QuarterReport
from inspector.report.words import ATTACHMENTS, headline, summary_rows

__all__ = ["write_document"]

_BODY_FONT = "仿宋"
_HEADING_FONT = "黑体"


def _font(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word picks the font for Chinese text from eastAsia, not from the Latin name.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _fill(table: Table, rows: Sequence[Sequence[str]], widths: Sequence[int], size: float) -> None:
    total = sum(widths)
    usable = 25.7  # cm across an A4 landscape page inside 2 cm margins
    # Word reads the cells' widths, LibreOffice the table grid's: set both, and no autofit.
    table.autofit = False
    for c, width in enumerate(widths):
        table.columns[c].width = Cm(usable * width / total)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Cm(usable * widths[c] / total)
            lines = value.split("\n") if value else [""]
            paragraph = cell.paragraphs[0]
            for i, line in enumerate(lines):
                if i:
                    paragraph = cell.add_paragraph()
                _font(
                    paragraph.add_run(line),
                    _HEADING_FONT if r == 0 else _BODY_FONT,
                    size,
                    bold=r == 0,
                )
                if r == 0:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_document(report: QuarterReport, path: Path) -> None:
    """Write the DOCX to ``path`` (the caller makes the write atomic)."""
    document = Document()
    section = document.sections[0]
    # Landscape: the attachment tables have seven or eight columns.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{report.quarter}政府网站与政务新媒体检查情况"), "方正小标宋简体", 20)
    for line in headline(report):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _font(paragraph.add_run(line), _BODY_FONT, 16)

    summary: list[Sequence[str]] = [("项目", "政府网站", "政务新媒体"), *summary_rows(report)]
    table = document.add_table(rows=len(summary), cols=3)
    table.style = "Table Grid"
    _fill(table, summary, (3, 2, 2), 12)

    for attachment in ATTACHMENTS:
        document.add_page_break()  # type: ignore[no-untyped-call]
        label = document.add_paragraph()
        _font(label.add_run(f"附件{attachment.number}"), _HEADING_FONT, 16)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(heading.add_run(attachment.title + "名单"), "方正小标宋简体", 18)
        entries = attachment.entries(report)
        body = [(str(i), *attachment.cells(e)) for i, e in enumerate(entries, start=1)]
        if not body:
            body = [("—", attachment.empty_text(report), *("" for _ in attachment.headers[2:]))]
        rows: list[Sequence[str]] = [attachment.headers, *body]
        table = document.add_table(rows=len(rows), cols=len(attachment.headers))
        table.style = "Table Grid"
        _fill(table, rows, attachment.widths, 10.5)
        if not entries:  # the one line says why the list is empty, across the row
            row = table.rows[1].cells
            merged = row[1].merge(row[-1])
            for paragraph in merged.paragraphs[1:]:  # the merged cells' empty lines
                paragraph._p.getparent().remove(paragraph._p)
    document.save(str(path))
