"""Read spreadsheet-like files (CSV/TSV text in the usual Chinese encodings, XLSX) into text rows.

Registers, sample lists and bulk results arrive as whatever the office's software saved: Excel or
WPS workbooks, CSV in UTF-8 or GBK, tab-separated "Unicode text", sometimes a file with the wrong
extension or no spreadsheet at all. This module looks at the content, not the name, and returns
plain text cells with the row numbers a person sees in Excel/WPS, or raises a :class:`TableError`
that says in Chinese and English what is wrong with which file. It knows nothing about sample
lists, so every import (registers, bulk results, ...) can share it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HeaderNotFound",
    "Row",
    "Table",
    "TableError",
    "column_letter",
    "read_table",
]

#: How many non-blank rows at the top of a file may hold titles and notes before the header.
HEADER_SEARCH_ROWS = 10
#: Registers are a few thousand rows; anything far larger is not one and would only stall the app.
MAX_FILE_BYTES = 200 * 1024 * 1024

_DELIMITERS = (",", "\t", ";")  # in order of preference when equally plausible
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Password-protected .xlsx files are OLE2 containers holding this stream (its name is UTF-16LE).
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_FOREIGN_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"SQLite format 3\x00", "SQLite 数据库", "an SQLite database"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF87a", "GIF 图片", "a GIF image"),
    (b"GIF89a", "GIF 图片", "a GIF image"),
    (b"%PDF-", "PDF 文档", "a PDF document"),
    (b"{\\rtf", "RTF 文档", "an RTF document"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
    (b"Rar!\x1a\x07", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive"),
)
# A valid multi-byte UTF-8 sequence; used to tell damaged UTF-8 from GB18030 text.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
_ZERO_PADDED = re.compile(r"0+")
_PERCENT = re.compile(r"0(?:\.(0+))?%")


class TableError(ValueError):
    """A file that cannot be read as a table; the message names the file and says why, bilingually.

    Callers show the message as it is: it is written for the inspector, not for a developer.
    """


class HeaderNotFound(TableError):
    """The caller's ``header_hint`` accepted none of the rows searched.

    ``candidates`` holds those rows (row number, non-empty cells), so a caller that knows which
    headers it expected can say what it found instead.
    """

    def __init__(self, message: str, candidates: Sequence[tuple[int, tuple[str, ...]]]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


@dataclass(frozen=True)
class Row:
    """One data row: its number as Excel/WPS shows it and its cells by header, as stripped text."""

    number: int
    values: Mapping[str, str]


@dataclass(frozen=True)
class Table:
    """A file's header and data rows, plus where they came from (for messages and provenance).

    ``preamble`` keeps the non-blank rows above the header (titles such as "2025年第二季度抽查名单",
    notes), as their non-empty cells, so nothing above the header is lost either.
    """

    path: Path
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    preamble: tuple[tuple[str, ...], ...] = ()
    sheets: tuple[str, ...] = ()


@dataclass
class _Raw:
    """Rows as read from a file, before the header is chosen."""

    rows: list[tuple[int, list[str]]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    merges: tuple[tuple[int, int, int, int], ...] = ()  # min_row, min_col, max_row, max_col


def read_table(
    path: Path,
    *,
    header_hint: Callable[[Sequence[str]], bool] | None = None,
    sheet: str | None = None,
    search_rows: int = HEADER_SEARCH_ROWS,
) -> Table:
    """Read a CSV/TSV or XLSX file into a :class:`Table`, whatever its extension says.

    ``header_hint`` picks the header among the first ``search_rows`` non-blank rows (lists often
    carry a title row above it); without it the first non-blank row is the header. ``sheet``
    names a worksheet of an XLSX file (default: the first); it is ignored for text files.
    Fully blank rows are skipped but keep their place in the numbering.
    """
    path = Path(path)
    data = _read_bytes(path)
    is_zip = data.startswith(_ZIP_MAGIC)
    raw = _read_xlsx(path, data, sheet) if is_zip else _read_text(path, data)
    return _assemble(path, raw, header_hint, search_rows)


def read_text(path: Path) -> str:
    """A table file as plain text, for lists that are not tables (one item a line): a text file
    decoded as :func:`read_table` decodes it, the first sheet of an XLSX as tab-separated rows.
    Raises TableError with the same bilingual reasons as :func:`read_table`."""
    path = Path(path)
    data = _read_bytes(path)
    if data.startswith(_ZIP_MAGIC):
        return "\n".join("\t".join(cells) for _, cells in _read_xlsx(path, data, None).rows)
    return _decode(path, data)[0]


def column_letter(index: int) -> str:
    """The spreadsheet column name of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _error(path: Path, zh: str, en: str) -> TableError:
    return TableError(f"{zh} / {en}: {path.name}")


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise _error(path, "这是文件夹，不是文件", "this is a folder, not a file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _error(path, "文件太大，不像是表格", "the file is too large to be a spreadsheet")
        data = path.read_bytes()
    except FileNotFoundError:
        raise _error(path, "文件不存在", "file not found") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _error(path, f"无法读取文件（{reason}）", f"cannot read the file ({reason})") from exc
    if not data.strip():
        raise _error(path, "文件为空", "the file is empty")
    if data.startswith(_OLE2):
        if _ENCRYPTED in data:
            raise _error(
                path,
                "文件设有密码，请取消密码后另存为 .xlsx",
                "the file is password-protected: remove the password and save as .xlsx",
            )
        raise _error(
            path,
            "这是旧版 Excel/WPS 表格（.xls/.et），请另存为 .xlsx",
            "old Excel/WPS format (.xls/.et): save as .xlsx",
        )
    for magic, zh, en in _FOREIGN_MAGIC:
        if data.startswith(magic):
            raise _error(path, f"不是表格文件（是{zh}）", f"not a spreadsheet ({en})")
    return data


# --- text files ------------------------------------------------------------------------------


def _read_text(path: Path, data: bytes) -> _Raw:
    text, encoding = _decode(path, data)
    _reject_markup(path, text)
    if "\x00" in text or _control_share(text) > 0.01:
        raise _error(path, "不是表格文件（含二进制数据）", "not a spreadsheet (binary data)")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        # Each record is one row in Excel/WPS, even when a quoted cell spans several lines.
        for number, record in enumerate(reader, start=1):
            rows.append((number, [cell.strip() for cell in record]))
    except csv.Error as exc:
        raise _error(
            path,
            f"CSV 格式错误，第{reader.line_num}行附近引号不配对",
            f"malformed CSV near line {reader.line_num} (unbalanced quotes: {exc})",
        ) from exc
    return _Raw(rows, encoding=encoding, delimiter=delimiter)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Sniff the encoding: BOM, else UTF-8 if valid, else GB18030 (GB2312/GBK are subsets).

    The result is ``(text, encoding)`` with encoding one of "utf-16", "utf-8-sig", "utf-8",
    "gb18030".
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _bad_bytes(path, data, exc, "UTF-16") from exc
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _bad_bytes(path, data, exc, "UTF-8") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        return _prefer_chinese(data, text)
    if _mostly_utf8(data):
        # GB18030 would decode this too, as mojibake; a damaged UTF-8 file must not load silently.
        raise _bad_bytes(path, data, utf8_error, "UTF-8")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _error(
            path,
            f"无法识别文字编码（不是 UTF-8 或 GB18030），第{line}行",
            f"unknown text encoding (neither UTF-8 nor GB18030), line {line}",
        ) from exc


def _prefer_chinese(data: bytes, text: str) -> tuple[str, str]:
    """Valid UTF-8 that reads as Greek or Hebrew but as Chinese in GB18030 is GB18030.

    Short GBK files can be valid UTF-8 by accident ("位" is CE BB, UTF-8 for "λ"); a Chinese
    register never consists of such letters alone, while its GB18030 reading is plain Chinese.
    """
    if _implausible(text):
        try:
            chinese = data.decode("gb18030")
        except UnicodeDecodeError:
            return text, "utf-8"
        if not _implausible(chinese):
            return chinese, "gb18030"
    return text, "utf-8"


def _implausible(text: str) -> bool:
    # C1 controls and U+0100..U+1FFF (Latin Extended, Greek, Cyrillic, Hebrew, Arabic, ...):
    # what GBK byte pairs turn into when misread as UTF-8, and rare in a Chinese register.
    return any("\x80" <= ch <= "\x9f" or "\u0100" <= ch <= "\u1fff" for ch in text)


def _bad_bytes(path: Path, data: bytes, exc: UnicodeDecodeError, name: str) -> TableError:
    line = data.count(b"\n", 0, exc.start) + 1
    return _error(
        path,
        f"文件是 {name} 编码，但第{line}行有无效字节（编码混用或文件已损坏）",
        f"the file is {name} but line {line} has invalid bytes (mixed encodings or damage)",
    )


def _mostly_utf8(data: bytes) -> bool:
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    sequences = _UTF8_SEQUENCE.findall(data)
    valid = sum(len(seq) for seq in sequences)
    return len(sequences) >= 4 and valid >= 0.9 * non_ascii


def _control_share(text: str) -> float:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return controls / max(len(sample), 1)


def _reject_markup(path: Path, text: str) -> None:
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<meta", "<head")):
        raise _error(
            path,
            "这是网页文件（HTML），不是真正的表格；请用 Excel/WPS 打开后另存为 .xlsx",
            "an HTML page, not a real spreadsheet: open it in Excel/WPS and save as .xlsx",
        )
    if head.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:8192]:
            raise _error(
                path,
                "这是 Excel 2003 XML 表格，请另存为 .xlsx",
                "an Excel 2003 XML spreadsheet: save as .xlsx",
            )
        raise _error(path, "不是表格文件（是 XML 文件）", "not a spreadsheet (an XML file)")


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines most consistently into the most cells.

    Title lines ("2025年第二季度抽查名单") split into one cell with any delimiter and are ignored;
    a full-width comma (，) is text, never a delimiter.
    """
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        widths = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1)
        # Many lines of one width win, and wide rows count more: a header and its data rows
        # agree on many cells, while a stray separator inside cells only makes two or three.
        score = max((count * (width - 1) for width, count in widths.items()), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- workbooks -------------------------------------------------------------------------------


def _read_xlsx(path: Path, data: bytes, sheet: str | None) -> _Raw:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _error(path, "文件不完整或已损坏", "the file is truncated or corrupt") from exc
    _check_package(path, types, mimetype)
    try:
        return _read_workbook(path, data, sheet)
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files; the user needs one
        raise _error(path, "文件不完整或已损坏", "the file is truncated or corrupt") from exc


def _check_package(path: Path, types: bytes, mimetype: bytes) -> None:
    if b"opendocument.spreadsheet" in mimetype:
        raise _error(
            path,
            "这是 OpenDocument 表格（.ods），请另存为 .xlsx",
            "an OpenDocument spreadsheet (.ods): save as .xlsx",
        )
    if b"sheet.binary" in types:
        raise _error(
            path,
            "这是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx",
            "an .xlsb workbook: save as .xlsx",
        )
    if b"spreadsheetml" in types or b"ms-excel.sheet" in types:
        return
    if b"wordprocessingml" in types:
        raise _error(path, "不是表格文件（是 Word 文档）", "not a spreadsheet (a Word document)")
    if b"presentationml" in types:
        raise _error(path, "不是表格文件（是 PPT 演示文稿）", "not a spreadsheet (a presentation)")
    raise _error(path, "不是表格文件（是压缩包）", "not a spreadsheet (a zip archive)")


def _read_workbook(path: Path, data: bytes, sheet: str | None) -> _Raw:
    with warnings.catch_warnings():
        # Files from WPS and other tools trigger harmless "no default style" style warnings.
        warnings.simplefilter("ignore")
        import openpyxl  # imported on use: it costs a quarter second of the app's start-up

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            worksheets = list(book.worksheets)
            titles = tuple(ws.title for ws in worksheets)
            if not worksheets:
                raise _error(path, "工作簿里没有工作表", "the workbook has no worksheet")
            ws = worksheets[0] if sheet is None else _pick_sheet(path, worksheets, titles, sheet)
            ws.reset_dimensions()  # some writers record a wrong size, which would cut rows off
            rows = [
                (number, [_cell_text(cell) for cell in cells])
                for number, cells in enumerate(ws.iter_rows(), start=1)
            ]
            sheet_path = getattr(ws, "_worksheet_path", None)
        finally:
            book.close()
    merges = _merged_ranges(data, sheet_path) if isinstance(sheet_path, str) else ()
    if not any(any(cells) for _, cells in rows):
        others = "、".join(t for t in titles if t != ws.title)
        hint = f"（其他工作表：{others}）" if others else ""
        raise _error(path, f"工作表「{ws.title}」是空的{hint}", f"sheet {ws.title!r} is empty")
    return _Raw(rows, sheet=ws.title, sheets=titles, merges=merges)


def _pick_sheet(path: Path, worksheets: list[Any], titles: tuple[str, ...], sheet: str) -> Any:
    for ws in worksheets:
        if ws.title == sheet:
            return ws
    for ws in worksheets:
        if ws.title.strip().casefold() == sheet.strip().casefold():
            return ws
    raise _error(
        path,
        f"找不到工作表「{sheet}」，现有：{'、'.join(titles)}",
        f"no sheet {sheet!r} (sheets: {', '.join(titles)})",
    )


def _cell_text(cell: Any) -> str:
    """The text a person sees in a cell: no spurious ``.0``, dates as YYYY-MM-DD."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number_text(value, str(getattr(cell, "number_format", "General") or "General"))
    return str(value).strip()


def _number_text(value: float, number_format: str) -> str:
    percent = _PERCENT.fullmatch(number_format)
    if percent:
        decimals = len(percent.group(1) or "")
        return f"{value * 100:.{decimals}f}%"
    if float(value).is_integer() and abs(value) < 1e15:
        text = str(int(value))
        if _ZERO_PADDED.fullmatch(number_format) and value >= 0:
            text = text.zfill(len(number_format))  # codes kept with a "000000" format
        return text
    # Excel shows 15 significant digits; the file may store 0.30000000000000004.
    return format(value, ".15g")


def _merged_ranges(data: bytes, sheet_path: str) -> tuple[tuple[int, int, int, int], ...]:
    """Merged ranges of one sheet; openpyxl's read-only mode does not report them."""
    from openpyxl.utils.cell import range_boundaries

    ranges: list[tuple[int, int, int, int]] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(sheet_path) as source:
            for _event, element in etree.iterparse(source, tag="{*}mergeCell"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                if min_col and min_row and max_col and max_row:
                    ranges.append((min_row, min_col, max_row, max_col))
                element.clear()
    except (KeyError, ValueError, TypeError, etree.LxmlError, zipfile.BadZipFile):
        return ()  # merges only fill in values; the rows themselves were read fine
    return tuple(ranges)


# --- both ------------------------------------------------------------------------------------


def _assemble(
    path: Path,
    raw: _Raw,
    header_hint: Callable[[Sequence[str]], bool] | None,
    search_rows: int,
) -> Table:
    filled = [(number, cells) for number, cells in raw.rows if any(cells)]
    if not filled:
        raise _error(path, "文件没有内容", "the file has no content")
    index = 0
    if header_hint is not None:
        window = filled[:search_rows]
        found = next((i for i, (_, cells) in enumerate(window) if header_hint(cells)), None)
        if found is None:
            raise HeaderNotFound(
                f"在前{len(window)}行中找不到表头 / no header row among the first "
                f"{len(window)} rows: {path.name}",
                [(number, tuple(c for c in cells if c)) for number, cells in window],
            )
        index = found
    header_number, header_cells = filled[index]
    data = filled[index + 1 :]
    if raw.merges:
        data = _fill_merges(data, raw.merges, header_number)
    columns = _columns(path, header_cells, data)
    rows = tuple(
        Row(number, {name: cells[col] if col < len(cells) else "" for name, col in columns})
        for number, cells in data
    )
    return Table(
        path=path,
        headers=tuple(name for name, _ in columns),
        rows=rows,
        encoding=raw.encoding,
        sheet=raw.sheet,
        delimiter=raw.delimiter,
        header_row=header_number,
        preamble=tuple(tuple(c for c in cells if c) for _, cells in filled[:index]),
        sheets=raw.sheets,
    )


def _columns(
    path: Path, header_cells: Sequence[str], data: Iterable[tuple[int, list[str]]]
) -> list[tuple[str, int]]:
    data = list(data)
    width = max([len(header_cells), *(len(cells) for _, cells in data)])
    columns: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for col in range(width):
        name = " ".join(header_cells[col].split()) if col < len(header_cells) else ""
        if not name:
            for number, cells in data:
                if col < len(cells) and cells[col]:
                    letter = column_letter(col)
                    raise _error(
                        path,
                        f"第{letter}列没有表头，但第{number}行在该列有内容「{cells[col][:30]}」",
                        f"column {letter} has no header but row {number} has a value in it",
                    )
            continue  # an empty column without a header is just formatting
        if name in seen:
            first, again = column_letter(seen[name]), column_letter(col)
            raise _error(
                path,
                f"表头重复：「{name}」出现在第{first}列和第{again}列",
                f"duplicate header {name!r} in columns {first} and {again}",
            )
        seen[name] = col
        columns.append((name, col))
    return columns


def _fill_merges(
    data: list[tuple[int, list[str]]],
    merges: Sequence[tuple[int, int, int, int]],
    header_number: int,
) -> list[tuple[int, list[str]]]:
    """Give every cell of a merged range below the header the value a person sees in it.

    Registers often merge 地区 or 主办单位 down over several rows; only the top cell stores it.
    """
    by_number = {number: list(cells) for number, cells in data}
    for min_row, min_col, max_row, max_col in merges:
        top = by_number.get(min_row)
        if min_row <= header_number or top is None or len(top) < min_col:
            continue
        value = top[min_col - 1]
        for number in range(min_row, max_row + 1):
            cells = by_number.get(number)
            if cells is None:
                continue
            if len(cells) < max_col:
                cells.extend([""] * (max_col - len(cells)))
            for col in range(min_col - 1, max_col):
                cells[col] = cells[col] or value
    return [(number, by_number[number]) for number, _ in data]
