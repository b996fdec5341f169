"""``inspector report`` (issue #5): the notice's figures, attachments and four formats.

A small quarter built by hand, each verdict chosen to test one rule: a veto, a score under the
pass line, deductions that leave a site qualified ("has problems" is not "unqualified"), an
account veto, an account with a deduction item only, a target never inspected.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from inspector.cli import main
from inspector.merge import merge_files
from inspector.report import build_report, write_report
from inspector.report.page import render_page
from inspector.targets import State
from tests.domain.quarterkit import Clock, account, inspector_file, site

HOSTILE = "<script>alert(1)</script>"
LOW_SCORE = ("W-D8", "W-D10", "W-D11", "W-D9", "W-D3", "W-D4")  # 10+8+8+7+5+5 = 43 points

S_VETO = site(1, region="海口市", name="海口市某局网站")
S_LOW = site(2, region="海口市", name="海口市低分网站")
S_DEDUCT = site(3, region="三亚市", name=f"三亚{HOSTILE}网站")
S_FINE = site(4, region="三亚市", portal=True, name="三亚市人民政府", owner='=HYPERLINK("x")')
S_IDLE = site(5, region="儋州市", name="未检查网站")
A_VETO = account(1, region="海口市", name="海口发布", platform="weibo")
A_DEDUCT = account(2, region="三亚市", name="三亚发布")
A_FINE = account(3, region="三亚市", name="三亚政务")
INFO = {
    "registry_accounts": "30",
    "sample_accounts": "3",
    "sample_seed": "7",
    "registry_websites": "5",
}


def quarter(tmp: Path, name: str = "2025Q2", *, previous: bool = False) -> Path:
    """A merged quarter file; ``previous`` makes the last quarter (other verdicts)."""
    path = tmp / f"{name}-张三.sqlite"
    targets = [S_VETO, S_LOW, S_DEDUCT, S_FINE, S_IDLE, A_VETO, A_DEDUCT, A_FINE]
    with inspector_file(path, "张三", targets, quarter=name, info=INFO, clock=Clock()) as f:
        if previous:
            # last quarter: S_VETO and S_FINE and A_VETO and A_FINE were unqualified
            for t, ind in (
                (S_VETO, "W-V4"),
                (S_FINE, "W-V2"),
                (A_VETO, "M-V3"),
                (A_FINE, "M-V2"),
                (S_IDLE, "W-V1"),
            ):
                f.set_result(t.key, ind, State.PROBLEM, who="张三")
            f.set_result(S_LOW.key, "W-V3", State.OK, who="张三")
        else:
            f.set_result(S_VETO.key, "W-V3", State.PROBLEM, who="张三", note="首页 5 周无更新")
            f.set_result(S_VETO.key, "W-D19", State.PROBLEM, who="张三")
            for ind in LOW_SCORE:
                f.set_result(S_LOW.key, ind, State.PROBLEM, who="张三")
            f.set_result(
                S_DEDUCT.key,
                "W-D15",
                State.PROBLEM,
                who="张三",
                note=f"首页死链 {HOSTILE}",
                count=2,
            )
            f.set_result(S_DEDUCT.key, "W-V3", State.OK, who="张三")
            f.set_result(S_FINE.key, "W-V3", State.OK, who="张三")
            f.set_result(A_VETO.key, "M-V2", State.PROBLEM, who="张三", note="最近一条 2025-04-01")
            f.set_result(A_DEDUCT.key, "M-D2", State.PROBLEM, who="张三", note="菜单显示“建设中”")
            f.set_result(A_DEDUCT.key, "M-V2", State.OK, who="张三")
            f.set_result(A_FINE.key, "M-V2", State.OK, who="张三")
    out = tmp / f"{name}.sqlite"
    merge_files([path], out)
    return out


@pytest.fixture
def q(tmp_path: Path) -> Path:
    return quarter(tmp_path)


@pytest.fixture
def prev(tmp_path: Path) -> Path:
    return quarter(tmp_path, "2025Q1", previous=True)


def test_the_figures_follow_the_verdict_rules(q: Path) -> None:
    report = build_report(q).as_json()
    # 4 websites inspected (S_IDLE was not): S_VETO (veto) and S_LOW (57 < 60) unqualified
    assert report["websites"] == {
        "inspected": 4,
        "unqualified": 2,
        "qualified_rate": "50.00",
        "with_problems": 3,  # S_DEDUCT has problems yet is qualified
        "incomplete": 4,
        "not_inspected": 1,
    }
    nm = report["new_media"]
    assert (nm["in_operation"], nm["sampled"], nm["sampling_ratio"]) == (30, 3, "10.00")
    assert (nm["inspected"], nm["unqualified"], nm["qualified_rate"], nm["with_problems"]) == (
        3,
        1,
        "66.67",
        2,
    )
    assert report["quarter"] == "2025Q2" and report["open_conflicts"] == 0
    assert report["sampling"]["sample_seed"] == "7"
    assert [e["name"] for e in report["not_inspected"]] == ["未检查网站"]


def test_the_attachments_list_problems_in_plain_words(q: Path) -> None:
    attachments = build_report(q).as_json()["attachments"]
    sites = attachments["problem_websites"]
    # unqualified first, then by region and name
    assert [(s["name"], s["qualified"]) for s in sites] == [
        ("海口市低分网站", False),
        ("海口市某局网站", False),
        (S_DEDUCT.name, True),
    ]
    low, veto, deduct = sites
    assert low["problems"][0] == "得分 57.00，低于合格线 60 分"
    assert "办事指南" in low["problems"][1:] and low["score"] == "57.00"
    assert veto["problems"] == ["首页不更新（单项否决）：首页 5 周无更新", "站内搜索"]
    assert veto["score"] is None and veto["url"] == S_VETO.url and veto["owner"] == S_VETO.owner
    assert deduct["problems"] == [f"首页链接可用性：首页死链 {HOSTILE}"]
    accounts = attachments["problem_accounts"]
    assert [(a["name"], a["platform"], a["qualified"]) for a in accounts] == [
        ("海口发布", "微博", False),
        ("三亚发布", "微信公众号", True),
    ]
    assert accounts[0]["problems"] == ["内容不更新（单项否决）：最近一条 2025-04-01"]
    assert accounts[1]["account_id"] == A_DEDUCT.account_id
    assert attachments["not_rectified"] == [] and attachments["not_rechecked"] == []


def test_breakdowns_by_region_level_type_and_platform(q: Path) -> None:
    breakdowns = build_report(q).as_json()["breakdowns"]
    regions = {g["value"]: g for g in breakdowns["region"]}
    assert list(regions) == sorted(regions)
    assert regions["海口市"]["websites"]["qualified_rate"] == "0.00"
    assert regions["海口市"]["new_media"] == {
        "inspected": 1,
        "unqualified": 1,
        "qualified_rate": "0.00",
        "with_problems": 1,
        "incomplete": 1,
        "not_inspected": 0,
    }
    assert regions["三亚市"]["websites"]["qualified_rate"] == "100.00"
    assert regions["三亚市"]["new_media"]["inspected"] == 2
    assert regions["儋州市"]["websites"]["inspected"] == 0
    assert regions["儋州市"]["websites"]["qualified_rate"] is None
    assert "new_media" not in regions["儋州市"]
    platforms = {g["value"]: g["new_media"]["qualified_rate"] for g in breakdowns["platform"]}
    assert platforms == {"微信公众号": "100.00", "微博": "0.00"}
    types = {g["value"] for g in breakdowns["type"]}
    assert types == {"部门", "门户", "政务新媒体"}
    assert [g["value"] for g in breakdowns["level"]] == ["市级"]


def test_last_quarters_unqualified_still_unqualified_are_not_rectified(q: Path, prev: Path) -> None:
    report = build_report(q, prev).as_json()
    not_rectified = report["attachments"]["not_rectified"]
    # S_VETO and A_VETO were unqualified and still are; S_FINE and A_FINE were fixed
    assert [(e["name"], e["kind"]) for e in not_rectified] == [
        ("海口发布", "new_media"),
        ("海口市某局网站", "website"),
    ]
    assert not_rectified[1]["problems"][0].startswith("首页不更新")
    # S_IDLE was unqualified and has not been inspected again
    assert [e["name"] for e in report["attachments"]["not_rechecked"]] == ["未检查网站"]
    change = report["change"]
    # last quarter: websites S_VETO, S_FINE, S_IDLE unqualified and S_LOW fine, S_DEDUCT not
    # inspected → 1 of 4 → 25.00; accounts A_VETO and A_FINE inspected, both unqualified → 0.00
    assert change == {
        "previous_quarter": "2025Q1",
        "websites": {"previous_rate": "25.00", "qualified_rate": "50.00", "change": "+25.00"},
        "new_media": {"previous_rate": "0.00", "qualified_rate": "66.67", "change": "+66.67"},
    }


def test_the_json_has_the_product_shape(q: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["report", str(q), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"quarter", "websites", "new_media", "attachments"} <= set(data)
    assert {"inspected", "unqualified", "qualified_rate"} <= set(data["websites"])
    assert {
        "in_operation",
        "sampled",
        "sampling_ratio",
        "inspected",
        "unqualified",
        "qualified_rate",
    } <= set(data["new_media"])
    assert {"problem_websites", "problem_accounts", "not_rectified"} <= set(data["attachments"])
    assert {"name", "url", "owner", "problems"} <= set(data["attachments"]["problem_websites"][0])
    assert {"name", "platform", "owner", "problems"} <= set(
        data["attachments"]["problem_accounts"][0]
    )
    assert "合格率 50.00%" in result.output


def test_the_html_page_is_self_contained_and_escapes_every_string(q: Path, prev: Path) -> None:
    page = render_page(build_report(q, prev))
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    # self-contained: nothing is loaded from anywhere (no scripts, styles, images or fonts)
    for loader in ("<link", " src=", "@import", "url("):
        assert loader not in page
    assert "<svg" in page and "分地区合格率" in page
    assert "50.00%" in page and "66.67%" in page
    assert "首页死链 &lt;script&gt;" in page  # an inspector's note, escaped too


def test_hostile_region_names_are_escaped_in_the_chart_too(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    evil = site(9, region=f'"><svg onload=alert(1)>{HOSTILE}')
    with inspector_file(path, "张三", [evil]) as f:
        f.set_result(evil.key, "W-V3", State.PROBLEM, who="张三")
    merge_files([path], tmp_path / "q.sqlite")
    page = render_page(build_report(tmp_path / "q.sqlite"))
    assert "<svg onload" not in page and HOSTILE not in page


def test_the_workbook_has_a_sheet_per_attachment_and_keeps_text_as_text(
    q: Path, prev: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.xlsx"
    write_report(build_report(q, prev), out, "xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "汇总",
        "分类统计",
        "附件1 存在问题的政府网站",
        "附件2 存在问题的政务新媒体",
        "附件3 上季度不合格本季度仍未整改",
    ]
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    assert ["合格率", "50.00%", "66.67%"] in summary
    sheet = book["附件1 存在问题的政府网站"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[2] for r in rows] == ["海口市低分网站", "海口市某局网站", S_DEDUCT.name]
    assert rows[0][0] == 1
    third = book["附件3 上季度不合格本季度仍未整改"]
    assert [r[2].value for r in third.iter_rows(min_row=3)] == ["海口发布", "海口市某局网站"]
    # a formula-looking owner stays a string in the file itself
    with zipfile.ZipFile(out) as z:
        assert all(
            "<f>" not in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")
        )


def test_the_word_document_has_the_notice_tables(q: Path, prev: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    write_report(build_report(q, prev), out, "docx")
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2025Q2共检查政府网站4个，其中不合格2个，合格率50.00%。" in text
    assert "在运行政务新媒体30个，抽查3个，抽查比例10.00%" in text
    assert "政府网站合格率上升25.00个百分点" in text
    _summary, first, second, third = document.tables
    assert [c.text for c in first.rows[0].cells] == [
        "序号",
        "地区",
        "网站名称",
        "网址",
        "主办单位",
        "检查结论",
        "存在问题",
    ]
    assert [r.cells[2].text for r in first.rows[1:]] == [
        "海口市低分网站",
        "海口市某局网站",
        S_DEDUCT.name,
    ]
    assert first.rows[2].cells[5].text == "不合格"
    assert [r.cells[2].text for r in third.rows[1:]] == ["海口发布", "海口市某局网站"]
    assert len(second.rows) == 3


def test_unknown_format_and_unusable_files_are_clear(q: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(q), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and "--format" in result.output
    png = tmp_path / "x.sqlite"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = runner.invoke(main, ["report", str(png), "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 1 and "not a findings file" in result.output
    assert not (tmp_path / "r.json").exists()


# --- the documents open in LibreOffice ---------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui libreoffice-calc-nogui)",
)
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_docx_and_xlsx_open_in_libreoffice(
    q: Path, prev: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    write_report(build_report(q, prev), out, fmt)
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(
            [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
            check=True,
            timeout=60,
        )
        pages = sorted(tmp_path.glob("page*.png"))
        assert pages and all(p.stat().st_size > 1000 for p in pages)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "海口市某局网站" in text.replace(" ", "")


def test_without_last_quarter_attachment_3_says_nothing_was_compared(
    q: Path, tmp_path: Path
) -> None:
    """An empty Attachment 3 must not read as "all put right" when no comparison was made."""
    report = build_report(q)
    not_compared = "未提供上季度检查结果，未作对比"
    assert not_compared in render_page(report)
    write_report(report, tmp_path / "r.xlsx", "xlsx")
    third = openpyxl.load_workbook(tmp_path / "r.xlsx")["附件3 上季度不合格本季度仍未整改"]
    assert third.cell(row=3, column=1).value == not_compared
    write_report(report, tmp_path / "r.docx", "docx")
    table = Document(str(tmp_path / "r.docx")).tables[3]
    assert table.rows[1].cells[1].text == not_compared
    assert table.rows[1].cells[-1].text == not_compared  # one cell across the row
    # Attachment 2 (nothing to compare) still says "none" when empty
    assert "附件3：上季度不合格本季度仍未整改（0）" in render_page(report)
