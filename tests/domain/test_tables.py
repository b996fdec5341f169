"""Reading spreadsheet-like files: encodings, delimiters, workbooks, and the files that are not.

Fixtures are real files built at test time (GBK bytes, openpyxl workbooks, a real SQLite database,
a real PNG) and the assertions are on what an inspector notices: row numbers, cell text, messages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.tables import HeaderNotFound, Row, Table, TableError, column_letter, read_table

HEADER = ["网站名称", "网址", "网站标识码", "主办单位"]
SITES = [
    ["海口市人民政府", "www.haikou.gov.cn", "4601000001", "海口市人民政府办公室"],
    ["三亚市人民政府", "http://www.sanya.gov.cn/", "4602000001", "三亚市人民政府办公室"],
]


def write_csv(
    path: Path, rows: Sequence[Sequence[str]], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def is_header(cells: Sequence[str]) -> bool:
    return "网址" in cells


def values(table: Table) -> list[list[str]]:
    return [list(row.values.values()) for row in table.rows]


# --- encodings -------------------------------------------------------------------------------


def test_gbk_csv_is_read_as_gb18030(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "名单.csv", [HEADER, *SITES], encoding="gbk")
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert table.headers == tuple(HEADER)
    assert [r.number for r in table.rows] == [2, 3]
    assert table.rows[0].values["网站名称"] == "海口市人民政府"
    assert table.rows[1].values["主办单位"] == "三亚市人民政府办公室"


def test_gb18030_csv_keeps_rare_characters(tmp_path: Path) -> None:
    rare = ["㙟", "𠀀", "䶮"]  # CJK Ext. A and B: outside GBK, four bytes in GB18030
    for char in rare:
        with pytest.raises(UnicodeEncodeError):
            char.encode("gbk")
    rows = [HEADER, [f"{rare[0]}镇人民政府", "www.x.gov.cn", "", f"{rare[1]}{rare[2]}办"]]
    table = read_table(write_csv(tmp_path / "rare.csv", rows, encoding="gb18030"))
    assert table.encoding == "gb18030"
    assert table.rows[0].values["网站名称"] == "㙟镇人民政府"
    assert table.rows[0].values["主办单位"] == "𠀀䶮办"


def test_utf8_with_bom(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "bom.csv", [HEADER, *SITES], encoding="utf-8-sig"))
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "网站名称"  # no stray BOM in the first header


def test_plain_utf8(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "plain.csv", [HEADER, *SITES]))
    assert table.encoding == "utf-8"
    assert table.delimiter == ","
    assert values(table) == SITES


def test_excel_unicode_text_export_utf16_tabs(tmp_path: Path) -> None:
    # Excel's "Unicode 文本 (*.txt)": UTF-16LE with a BOM, tab-separated.
    path = write_csv(tmp_path / "导出.txt", [HEADER, *SITES], encoding="utf-16", delimiter="\t")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    table = read_table(path)
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert values(table) == SITES


def test_mostly_utf8_file_with_a_gbk_line_is_refused_not_mangled(tmp_path: Path) -> None:
    good = "网站名称,网址\r\n" + "".join(f"海口市第{i}网站,www.h{i}.gov.cn\r\n" for i in range(6))
    bad_line = "三亚市人民政府,www.sanya.gov.cn\r\n".encode("gbk")
    path = tmp_path / "mixed.csv"
    path.write_bytes(good.encode("utf-8") + bad_line)
    with pytest.raises(TableError) as info:
        read_table(path)
    message = str(info.value)
    assert "第8行" in message and "line 8" in message
    assert "UTF-8" in message and "mixed.csv" in message


def test_short_gbk_file_that_is_also_valid_utf8(tmp_path: Path) -> None:
    # Found by the property test below: "位" in GBK is CE BB, which is UTF-8 for "λ".
    path = tmp_path / "short.csv"
    data = "id,位\r\n1,址\r\n".encode("gbk")
    assert data.decode("utf-8") == "id,λ\r\n1,ַ\r\n"  # valid UTF-8, and nonsense
    path.write_bytes(data)
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert table.headers == ("id", "位")
    assert table.rows[0].values["位"] == "址"


def test_utf8_latin_letters_stay_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_text("name,city\r\nCafé Zoë,Köln\r\n", "utf-8")
    table = read_table(path)
    assert table.encoding == "utf-8"
    assert table.rows[0].values == {"name": "Café Zoë", "city": "Köln"}


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name,url\r\nCaf\xe9 \xff,www.x.gov.cn\r\n".encode("latin-1"))
    with pytest.raises(TableError, match=r"无法识别文字编码.*line 2"):
        read_table(path)


# --- delimiters and CSV shape ----------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), (",", "comma")])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str, name: str) -> None:
    rows = [HEADER, ["海口，三亚联合网站", "www.hs.gov.cn", "", "海南省, 办公厅"], *SITES]
    table = read_table(write_csv(tmp_path / f"{name}.csv", rows, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert table.headers == tuple(HEADER)
    assert values(table) == rows[1:]


def test_full_width_comma_is_text_not_a_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "one-column.csv"
    path.write_text("网站名称\n海口，三亚\n儋州，琼海\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ("网站名称",)
    assert [r.values["网站名称"] for r in table.rows] == ["海口，三亚", "儋州，琼海"]


def test_semicolon_file_with_commas_inside_cells(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text(
        "名称;网址;地址\n甲;www.a.gov.cn;海口市,美兰区,1号\n乙;www.b.gov.cn;三亚市,吉阳区,2号\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.delimiter == ";"
    assert table.rows[0].values["地址"] == "海口市,美兰区,1号"


def test_cells_are_stripped_including_full_width_spaces(tmp_path: Path) -> None:
    path = tmp_path / "spaces.csv"
    path.write_text("  名称 ,网址\n\u3000海口市人民政府\u3000, www.haikou.gov.cn \n", "utf-8")
    table = read_table(path)
    assert table.headers == ("名称", "网址")
    assert table.rows[0].values == {"名称": "海口市人民政府", "网址": "www.haikou.gov.cn"}


def test_row_numbers_follow_excel_with_blank_lines_and_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('名称,备注\n\n甲,"第一行\n第二行"\n\n\n乙,好\n,\n丙,\n', encoding="utf-8")
    table = read_table(path)
    # Excel shows: 1 header, 2 blank, 3 甲 (two-line cell), 4-5 blank, 6 乙, 7 blank-ish, 8 丙
    assert [(r.number, r.values["名称"]) for r in table.rows] == [(3, "甲"), (6, "乙"), (8, "丙")]
    assert table.rows[0].values["备注"] == "第一行\n第二行"


def test_title_line_above_header_with_hint(tmp_path: Path) -> None:
    rows = [["2025年第二季度抽查名单"], [], HEADER, *SITES]
    table = read_table(
        write_csv(tmp_path / "title.csv", rows, encoding="gbk"), header_hint=is_header
    )
    assert table.header_row == 3
    assert table.preamble == (("2025年第二季度抽查名单",),)
    assert [r.number for r in table.rows] == [4, 5]
    assert values(table) == SITES


def test_title_line_without_hint_gives_a_clear_error(tmp_path: Path) -> None:
    rows = [["2025年第二季度抽查名单", "", "", ""], HEADER, *SITES]
    with pytest.raises(TableError) as info:
        read_table(write_csv(tmp_path / "title.csv", rows))
    assert "第B列没有表头" in str(info.value)
    assert "row 2" in str(info.value)


def test_hint_that_matches_nothing_reports_the_rows_it_saw(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "other.csv", [["foo", "bar"], ["1", "2"]])
    with pytest.raises(HeaderNotFound) as info:
        read_table(path, header_hint=is_header)
    assert info.value.candidates == ((1, ("foo", "bar")), (2, ("1", "2")))
    assert "other.csv" in str(info.value)


def test_header_beyond_the_search_window_is_not_found(tmp_path: Path) -> None:
    rows = [[f"说明{i}"] for i in range(12)] + [HEADER, *SITES]
    path = write_csv(tmp_path / "notes.csv", rows)
    with pytest.raises(HeaderNotFound):
        read_table(path, header_hint=is_header)
    assert read_table(path, header_hint=is_header, search_rows=20).header_row == 13


def test_unbalanced_quote_is_reported_not_swallowing_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        '名称,网址\n"海口市人民政府,www.haikou.gov.cn\n三亚,www.sanya.gov.cn\n', "utf-8"
    )
    with pytest.raises(TableError, match="引号不配对"):
        read_table(path)


def test_header_only(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "header.csv", [HEADER]))
    assert table.headers == tuple(HEADER)
    assert table.rows == ()


def test_duplicate_header_names_both_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dup.csv", [["名称", "网址", "备注", "名称"], ["a", "b", "c", "d"]])
    with pytest.raises(TableError) as info:
        read_table(path)
    assert "「名称」出现在第A列和第D列" in str(info.value)
    assert "dup.csv" in str(info.value)


def test_blank_header_over_data_names_column_and_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "blank.csv", [["名称", "", "网址"], ["a", "", "b"], ["c", "x", "d"]]
    )
    with pytest.raises(TableError) as info:
        read_table(path)
    assert "第B列没有表头，但第3行在该列有内容「x」" in str(info.value)


def test_unquoted_comma_in_a_row_is_an_error_not_data_loss(tmp_path: Path) -> None:
    path = tmp_path / "extra-comma.csv"
    path.write_text("名称,网址\n甲,www.a.gov.cn\n海口市,美兰区政府,www.ml.gov.cn\n", "utf-8")
    with pytest.raises(TableError, match=r"column C has no header but row 3"):
        read_table(path)


def test_empty_columns_without_header_are_ignored(tmp_path: Path) -> None:
    table = read_table(
        write_csv(tmp_path / "t.csv", [["名称", "", "网址", ""], ["a", "", "b", ""]])
    )
    assert table.headers == ("名称", "网址")


def test_header_whitespace_is_collapsed(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "wrap.xlsx", [["网站\n标识码", "Site   Code"], ["1", "2"]])
    assert read_table(path).headers == ("网站 标识码", "Site Code")


# --- workbooks -------------------------------------------------------------------------------


def test_xlsx_with_merged_title_row_and_chinese_headers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "抽查名单"
    sheet.append(["海南省2025年第二季度政府网站抽查名单"])
    sheet.merge_cells("A1:D1")
    sheet.append(HEADER)
    for row in SITES:
        sheet.append(row)
    path = tmp_path / "名单.xlsx"
    book.save(path)

    table = read_table(path, header_hint=is_header)
    assert table.sheet == "抽查名单"
    assert table.encoding is None
    assert table.header_row == 2
    assert table.preamble == (("海南省2025年第二季度政府网站抽查名单",),)
    assert [r.number for r in table.rows] == [3, 4]
    assert values(table) == SITES


def test_xlsx_numbers_and_dates_read_as_a_person_sees_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["标识码", "整数浮点", "小数", "日期", "时刻", "纯日期", "布尔", "比例", "邮编"])
    sheet.append(
        [
            4600000001,
            4600000002.0,
            0.1 + 0.2,
            dt.datetime(2025, 6, 14),
            dt.datetime(2025, 6, 14, 9, 30, 5),
            dt.date(2025, 1, 2),
            True,
            0.875,
            570203,
        ]
    )
    sheet["H2"].number_format = "0.0%"
    sheet["I2"].value = 70203
    sheet["I2"].number_format = "000000"
    path = tmp_path / "numbers.xlsx"
    book.save(path)

    row = read_table(path).rows[0].values
    assert row["标识码"] == "4600000001"
    assert row["整数浮点"] == "4600000002"  # no spurious ".0"
    assert row["小数"] == "0.3"
    assert row["日期"] == "2025-06-14"
    assert row["时刻"] == "2025-06-14 09:30:05"
    assert row["纯日期"] == "2025-01-02"
    assert row["布尔"] == "TRUE"
    assert row["比例"] == "87.5%"
    assert row["邮编"] == "070203"


def test_xlsx_blank_rows_keep_their_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["B3"] = "名称"
    sheet["C3"] = "网址"
    sheet["B5"] = "甲"
    sheet["C5"] = "www.a.gov.cn"
    sheet["B9"] = "乙"
    sheet["C9"] = "   "  # whitespace only counts as blank
    sheet["D12"] = None
    path = tmp_path / "gaps.xlsx"
    book.save(path)

    table = read_table(path)
    assert table.header_row == 3
    assert table.headers == ("名称", "网址")  # empty column A is not a column
    assert [(r.number, r.values["名称"], r.values["网址"]) for r in table.rows] == [
        (5, "甲", "www.a.gov.cn"),
        (9, "乙", ""),
    ]


def test_xlsx_vertically_merged_cells_fill_every_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["地区", "名称", "网址"])
    sheet.append(["海口市", "海口市人民政府", "www.haikou.gov.cn"])
    sheet.append([None, "美兰区人民政府", "www.meilan.gov.cn"])
    sheet.append([None, "龙华区人民政府", "www.longhua.gov.cn"])
    sheet.append(["三亚市", "三亚市人民政府", "www.sanya.gov.cn"])
    sheet.merge_cells("A2:A4")
    path = tmp_path / "merged.xlsx"
    book.save(path)

    regions = [r.values["地区"] for r in read_table(path).rows]
    assert regions == ["海口市", "海口市", "海口市", "三亚市"]


def test_xlsx_with_a_wrong_recorded_size_is_read_whole(tmp_path: Path) -> None:
    # Some writers record <dimension ref="A1"/>; openpyxl would then stop after row 1.
    source = write_xlsx(tmp_path / "src.xlsx", [HEADER, *SITES])
    path = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                start = text.index("<dimension")
                end = text.index("/>", start) + 2
                data = (text[:start] + '<dimension ref="A1"/>' + text[end:]).encode("utf-8")
            new.writestr(item, data)
    assert values(read_table(path)) == SITES


def test_xlsx_sheet_by_name_and_unknown_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "填报说明"
    first.append(["请按模板填写"])
    second = book.create_sheet("名单")
    second.append(HEADER)
    second.append(SITES[0])
    path = tmp_path / "two.xlsx"
    book.save(path)

    assert read_table(path).headers == ("请按模板填写",)  # the first sheet by default
    table = read_table(path, sheet="名单")
    assert table.sheet == "名单"
    assert table.sheets == ("填报说明", "名单")
    assert values(table) == [SITES[0]]
    with pytest.raises(TableError) as info:
        read_table(path, sheet="Sheet9")
    assert "找不到工作表「Sheet9」" in str(info.value) and "名单" in str(info.value)


def test_empty_first_sheet_names_the_others(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.create_sheet("名单").append(HEADER)
    path = tmp_path / "empty-first.xlsx"
    book.save(path)
    with pytest.raises(TableError, match=r"工作表「Sheet」是空的（其他工作表：名单）"):
        read_table(path)


def test_type_is_recognised_by_content_not_extension(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "real.xlsx", [HEADER, *SITES])
    disguised = tmp_path / "looks-like.csv"
    disguised.write_bytes(workbook.read_bytes())
    assert values(read_table(disguised)) == SITES

    text = write_csv(tmp_path / "real.csv", [HEADER, *SITES], encoding="gbk")
    renamed = tmp_path / "looks-like.xlsx"
    renamed.write_bytes(text.read_bytes())
    assert read_table(renamed).encoding == "gb18030"


def test_text_starting_with_pk_is_not_taken_for_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "pk.csv"
    path.write_text("PKU,网址\n北京大学,www.pku.edu.cn\n", "utf-8")
    assert read_table(path).headers == ("PKU", "网址")


# --- files that are not tables ---------------------------------------------------------------


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [HEADER, *SITES] * 50).read_bytes()
    path = tmp_path / "x.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(TableError) as info:
        read_table(path)
    assert str(info.value) == "文件不完整或已损坏 / the file is truncated or corrupt: x.xlsx"


def test_xlsx_with_a_damaged_sheet(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "src.xlsx", [HEADER, *SITES])
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut XML inside an intact zip
            new.writestr(item, data)
    with pytest.raises(TableError, match=r"文件不完整或已损坏.*damaged\.xlsx"):
        read_table(path)


@pytest.mark.parametrize("name", ["photo.csv", "photo.xlsx"])
def test_png_renamed(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(png_bytes())
    with pytest.raises(TableError) as info:
        read_table(path)
    assert (
        str(info.value) == f"不是表格文件（是PNG 图片） / not a spreadsheet (a PNG image): {name}"
    )


@pytest.mark.parametrize("name", ["findings.csv", "findings.xlsx"])
def test_sqlite_file_renamed(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with sqlite3.connect(path) as db:
        db.execute("create table targets (key text primary key, name text)")
        db.execute("insert into targets values ('site:4600000001', '海口')")
    db.close()
    with pytest.raises(TableError, match=r"不是表格文件（是SQLite 数据库）.*an SQLite database"):
        read_table(path)


def test_pdf_renamed(tmp_path: Path) -> None:
    path = tmp_path / "通知.csv"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(TableError, match="PDF"):
        read_table(path)


def test_old_xls_asks_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Workbook".ljust(64))
    with pytest.raises(TableError) as info:
        read_table(path)
    assert "请另存为 .xlsx" in str(info.value) and "save as .xlsx" in str(info.value)


def test_password_protected_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"
    marker = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + marker + b"\x00" * 64)
    with pytest.raises(TableError, match="密码"):
        read_table(path)


def test_html_saved_as_xls(tmp_path: Path) -> None:
    # Many back-office systems "export to Excel" as an HTML table named .xls.
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>名称</td></tr></table></body></html>", "gbk")
    with pytest.raises(TableError, match=r"网页文件（HTML）.*save as \.xlsx"):
        read_table(path)


@pytest.mark.parametrize(
    ("member", "content", "expected"),
    [
        ("[Content_Types].xml", b"<Types>wordprocessingml.document.main</Types>", "Word"),
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", ".ods"),
        ("readme.txt", b"hello", "压缩包"),
    ],
)
def test_other_zip_files(tmp_path: Path, member: str, content: bytes, expected: str) -> None:
    path = tmp_path / "thing.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, content)
    with pytest.raises(TableError, match=expected):
        read_table(path)


def test_random_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.csv"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(TableError, match=r"不是表格文件|无法识别文字编码"):
        read_table(path)


def test_binary_that_decodes_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"name,url\x00\x00\x00\x01\x02\x03\n" * 10)
    with pytest.raises(TableError, match=r"二进制|binary"):
        read_table(path)


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(TableError, match=r"文件为空|没有内容"):
        read_table(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(TableError, match=r"文件不存在 / file not found: nope\.csv"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(TableError, match="文件夹"):
        read_table(tmp_path)


def test_errors_are_value_errors_with_one_readable_line(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(ValueError) as info:
        read_table(path)
    assert "Traceback" not in str(info.value)
    assert str(info.value).count("\n") == 0


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_rows_are_plain_values() -> None:
    row = Row(7, {"名称": "甲"})
    assert row.number == 7 and row.values["名称"] == "甲"


# --- properties ------------------------------------------------------------------------------

# Cells a person could type: any printable text (CJK, full-width punctuation, quotes, line breaks
# inside a cell) except the three delimiters, which would make the file ambiguous on its own.
_cell_chars = st.characters(
    blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), blacklist_characters=",;\t"
) | st.sampled_from(["\n", '"', "，", "　", "㙟", "𠀀"])
_cells = st.text(_cell_chars, max_size=12).map(str.strip)
_headers = st.lists(
    st.text(st.sampled_from("名称网址单位地区ABCxyz"), min_size=1, max_size=5),
    min_size=1,
    max_size=6,
    unique=True,
)


@st.composite
def grids(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    # Real lists always hold some Chinese; without any, a few bytes can be both GBK and UTF-8.
    headers = ["名称", *(h for h in draw(_headers) if h != "名称")]
    rows = draw(
        st.lists(st.lists(_cells, min_size=len(headers), max_size=len(headers)), max_size=8)
    )
    return headers, [row for row in rows if any(row)]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=grids(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_any_csv_reads_back_cell_for_cell(
    tmp_path: Path, grid: tuple[list[str], list[list[str]]], encoding: str
) -> None:
    headers, rows = grid
    path = write_csv(tmp_path / "p.csv", [headers, *rows], encoding=encoding)
    table = read_table(path)
    assert table.headers == tuple(headers)
    assert values(table) == rows


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=grids())
def test_any_xlsx_reads_back_cell_for_cell(
    tmp_path: Path, grid: tuple[list[str], list[list[str]]]
) -> None:
    headers, rows = grid
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate([headers, *rows], start=1):
        for c, text in enumerate(row, start=1):
            if text:
                sheet.cell(row=r, column=c, value=text).data_type = "s"
    path = tmp_path / "p.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.headers == tuple(headers)
    assert values(table) == rows
