"""The `inspector` command as a user types it: real files in, real findings files out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from inspector.cli import main

SAMPLE = """\
名称,网址,网站标识码,主办单位,地区,类型
海南省人民政府,www.hainan.gov.cn,4600000001,海南省人民政府办公厅,省本级,门户网站
海南省教育厅,http://edu.hainan.gov.cn/,4600000012,海南省教育厅,省本级,部门网站
海口市人民政府,http://www.haikou.gov.cn,4601000001,海口市人民政府办公室,海口市,门户网站
三亚市人民政府,bad url here,,三亚市人民政府,三亚市,门户网站
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def findings(tmp_path: Path) -> Path:
    sample = tmp_path / "抽查名单.csv"
    sample.write_bytes(SAMPLE.encode("gb18030"))
    out = tmp_path / "张三-2025Q2.sqlite"
    result = invoke("init", sample, "-o", out, "--inspector", "张三", "--quarter", "2025Q2")
    assert result.exit_code == 0, result.output
    return out


def test_init_loads_good_rows_and_names_the_bad_one(tmp_path: Path) -> None:
    sample = tmp_path / "list.csv"
    sample.write_bytes(SAMPLE.encode("gb18030"))
    result = invoke(
        "init", sample, "-o", tmp_path / "f.sqlite", "--inspector", "张三", "--quarter", "2025Q2"
    )
    assert result.exit_code == 0
    assert "3 个检查对象" in result.output
    assert "第5行" in result.output  # the header is row 1, so the fourth site is row 5
    with sqlite3.connect(tmp_path / "f.sqlite") as db:
        names = {row[0] for row in db.execute("select name from targets")}
    assert names == {"海南省人民政府", "海南省教育厅", "海口市人民政府"}


def test_init_strict_refuses_the_whole_list(tmp_path: Path) -> None:
    sample = tmp_path / "list.csv"
    sample.write_bytes(SAMPLE.encode("gb18030"))
    out = tmp_path / "f.sqlite"
    result = invoke(
        "init", sample, "-o", out, "--inspector", "张三", "--quarter", "2025Q2", "--strict"
    )
    assert result.exit_code == 1
    assert "第5行" in result.output
    assert not out.exists()


def test_init_refuses_to_overwrite_a_findings_file(findings: Path, tmp_path: Path) -> None:
    sample = tmp_path / "list.csv"
    sample.write_bytes(SAMPLE.encode("gb18030"))
    before = findings.read_bytes()
    result = invoke("init", sample, "-o", findings, "--inspector", "李四", "--quarter", "2025Q2")
    assert result.exit_code == 1
    assert findings.read_bytes() == before


def test_record_writes_audited_results_and_reports_bad_rows(findings: Path, tmp_path: Path) -> None:
    results = tmp_path / "线下结果.csv"
    results.write_text(
        "检查对象,指标,结果,备注\n"
        "海南省人民政府,W-V3,问题,首页两周未更新\n"
        "4600000012,W-V4,正常,\n"
        "http://www.haikou.gov.cn/,W-V1,不适用,\n"
        "不存在的网站,W-V3,问题,\n"
        "海南省教育厅,W-V99,问题,\n"
        "海南省教育厅,W-V3,也许,\n",
        encoding="utf-8-sig",
    )
    result = invoke("record", findings, "--from", results, "--inspector", "张三")
    assert result.exit_code == 1  # some rows refused, the good ones kept
    assert "已录入 3 条" in result.output
    for row in ("第5行", "第6行", "第7行"):
        assert row in result.output
    with sqlite3.connect(findings) as db:
        states = dict(db.execute("select indicator_id, state from results"))
        audited = db.execute(
            "select count(*) from audit_log where action = 'set_result' and who = '张三'"
        ).fetchone()[0]
    assert states == {"W-V3": "problem", "W-V4": "ok", "W-V1": "na"}
    assert audited == 3

    again = invoke("record", findings, "--from", results, "--inspector", "张三")
    assert "已录入 0 条，未变化 3 条" in again.output


def test_record_strict_writes_nothing_on_a_bad_row(findings: Path, tmp_path: Path) -> None:
    results = tmp_path / "r.csv"
    results.write_text("target,indicator,state\n海南省人民政府,W-V3,problem\nnowhere,W-V3,ok\n")
    result = invoke("record", findings, "--from", results, "--inspector", "张三", "--strict")
    assert result.exit_code == 1
    assert "row 3" in result.output
    with sqlite3.connect(findings) as db:
        assert db.execute("select count(*) from results").fetchone()[0] == 0


def test_record_without_required_columns_says_which(findings: Path, tmp_path: Path) -> None:
    results = tmp_path / "r.csv"
    results.write_text("名称,备注\n海南省人民政府,x\n", encoding="utf-8")
    result = invoke("record", findings, "--from", results, "--inspector", "张三")
    assert result.exit_code == 1
    assert "indicator" in result.output and "state" in result.output


def test_verify_passes_then_names_a_tampered_evidence(findings: Path) -> None:
    from inspector.store import FindingsFile

    with FindingsFile.open(findings) as f:
        evidence_id = f.add_evidence(
            "site:4600000001",
            b"\x89PNG fake screenshot bytes" * 50,
            kind="screenshot",
            mime="image/png",
            who="张三",
            url="http://www.hainan.gov.cn/",
        )
    ok = invoke("verify", findings)
    assert ok.exit_code == 0, ok.output
    assert "1 份证据" in ok.output

    with sqlite3.connect(findings) as db:
        blob = bytearray(db.execute("select content from evidence").fetchone()[0])
        blob[10] ^= 0xFF
        db.execute("update evidence set content = ? where id = ?", (bytes(blob), evidence_id))
    bad = invoke("verify", findings)
    assert bad.exit_code == 1
    assert f"#{evidence_id}" in bad.output
    assert "http://www.hainan.gov.cn/" in bad.output


def test_verify_refuses_a_file_that_is_not_a_findings_file(tmp_path: Path) -> None:
    foreign = tmp_path / "photo.sqlite"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    result = invoke("verify", foreign)
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_profile_lists_the_shipped_profiles_and_validates_one(tmp_path: Path) -> None:
    listed = invoke("profile")
    assert "national-2019" in listed.output
    broken = tmp_path / "broken.toml"
    broken.write_text("[profile\nid = 'x'\n", encoding="utf-8")
    result = invoke("profile", broken)
    assert result.exit_code == 1
    assert "broken.toml" in result.output
