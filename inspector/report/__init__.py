"""``inspector report``: the quarter's notice figures and attachment lists, in four formats.

:func:`build_report` computes everything once (:mod:`.figures`); each format only lays it out:
JSON for machines (the product.md shape), an XLSX workbook with a sheet per attachment, a DOCX
with the notice's tables ready to paste into the office's template, and a self-contained HTML page
with charts of rates by region. Every output is written to a temporary file beside the target and
renamed into place, so a failed run never leaves half a report where a good one was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from inspector.report.figures import PreviousQuarterError, QuarterReport, build_report

__all__ = ["FORMATS", "PreviousQuarterError", "QuarterReport", "build_report", "write_report"]


def _json(report: QuarterReport, path: Path) -> None:
    text = json.dumps(report.as_json(), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def _xlsx(report: QuarterReport, path: Path) -> None:
    from inspector.report.workbook import write_workbook

    write_workbook(report, path)


def _docx(report: QuarterReport, path: Path) -> None:
    from inspector.report.document import write_document

    write_document(report, path)


def _html(report: QuarterReport, path: Path) -> None:
    from inspector.report.page import render_page

    path.write_text(render_page(report), encoding="utf-8")


#: Format name → writer. The writers import their libraries lazily (python-docx, openpyxl).
FORMATS: dict[str, Callable[[QuarterReport, Path], None]] = {
    "json": _json,
    "xlsx": _xlsx,
    "docx": _docx,
    "html": _html,
}


def write_report(report: QuarterReport, path: Path, fmt: str) -> None:
    """Write ``report`` as ``fmt`` (json, xlsx, docx, html) to ``path``, atomically."""
    writer = FORMATS[fmt]
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        writer(report, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
