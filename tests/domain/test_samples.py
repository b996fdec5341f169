"""Sample lists: what an inspector's register looks like in practice, and what they are told.

Every fixture is a real file written at test time (GB18030 bytes, openpyxl workbooks with merged
title rows and number cells). Assertions are on counts, keys, row numbers and messages.
"""

from __future__ import annotations

import csv
import io
import string
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.samples import (
    HEADER_ALIASES,
    PLATFORMS,
    WECHAT_TYPE,
    RowProblem,
    SampleError,
    SampleList,
    read_sample,
    write_sample,
)
from inspector.targets import Kind, Target, account_key, website_key
from inspector.urls import normalise_url, url_key

REGISTER_HEADER = [
    "序号",
    "类别",
    "名称",
    "网址",
    "网站标识码",
    "主办单位",
    "地区",
    "层级",
    "类型",
    "平台",
    "账号",
    "备注",
]


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig", delimiter: str = ","
) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "名单") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def sites_csv(path: Path, rows: Sequence[Sequence[object]], **kwargs: str) -> Path:
    return write_csv(path, [["名称", "网址", "网站标识码"], *rows], **kwargs)


def messages(sample: SampleList) -> list[str]:
    return [p.message for p in sample.problems]


def only_problem(sample: SampleList) -> RowProblem:
    assert len(sample.problems) == 1, messages(sample)
    return sample.problems[0]


# --- a realistic register --------------------------------------------------------------------


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A province's mixed register as an office keeps it: title row merged over the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "2025Q2"
    sheet.append(["海南省2025年第二季度政府网站与政务新媒体抽查名单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(REGISTER_HEADER))
    sheet.append(REGISTER_HEADER)
    rows = [
        [1, "门户网站", "海南省人民政府", "www.hainan.gov.cn", 4600000001, "海南省人民政府办公厅",
         "海南省", "省级", "政府门户网站", "", "", ""],
        [2, "网站", "海南省教育厅", "http://edu.hainan.gov.cn/", "4600000012", "海南省教育厅",
         "海南省", "省级", "部门网站", "", "", "重点"],
        [3, "政务新媒体", "海南发布", "", "", "海南省新闻办", "海南省", "省级", "", "微信公众号",
         "hainanfabu", ""],
        [4, "新媒体", "海南发布", "https://weibo.com/hainanfabu", "", "海南省新闻办", "海南省",
         "省级", "", "新浪微博", "", ""],
        [5, "", "海口发布", "", "", "海口市委宣传部", "海口市", "市级", "", "抖音", "", ""],
        [6, "", "三亚市人民政府", "ｗｗｗ．ｓａｎｙａ．ｇｏｖ．ｃｎ", "４６０２０００００１", "",
         "三亚市", "市级", "门户", "", "", ""],
        [7, "网站", "", "www.nameless.gov.cn", "", "", "", "", "", "", "", ""],
        [8, "网站", "坏网址", "htp:/x", "46000", "", "", "", "", "", "", ""],
        [9, "网站", "海南省人民政府（重复）", "www.other.gov.cn", "4600000001", "", "", "", "",
         "", "", ""],
        [10, "新媒体", "儋州发布", "", "", "", "儋州市", "市级", "", "脸书", "", ""],
        [11, "报纸", "海南日报", "www.hndaily.cn", "", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    path = tmp_path / "海南省抽查名单.xlsx"
    book.save(path)
    return path


def test_register_loads_good_rows_and_reports_bad_ones(register: Path) -> None:
    sample = read_sample(register)
    assert [t.name for t in sample.targets] == [
        "海南省人民政府",
        "海南省教育厅",
        "海南发布",
        "海南发布",
        "海口发布",
        "三亚市人民政府",
    ]
    assert len(sample.websites) == 3 and len(sample.accounts) == 3
    assert sample.meta == {"title": "海南省2025年第二季度政府网站与政务新媒体抽查名单"}
    assert sample.unknown_columns == ("序号", "备注")
    assert messages(sample) == [
        "第9行：缺少名称 / row 9: missing name",
        "第10行：网址无效「htp:/x」（不支持的网址协议） / row 10: invalid URL 'htp:/x' "
        "(unsupported URL scheme)",
        "第10行：网站标识码无效「46000」（应为10位数字，或 bm 加8位数字） / row 10: "
        "invalid site code '46000' (10 digits, or 'bm' and 8 digits)",
        "第11行：与第3行重复（site:4600000001） / row 11: duplicates row 3 (site:4600000001)",
        "第12行：平台「脸书」无法识别（可用：微信公众号、微博、抖音、今日头条、快手、哔哩哔哩、"
        "微信视频号、小红书、小程序、移动客户端、其他） / row 12: unknown platform '脸书' (known: "
        "wechat, weibo, douyin, toutiao, kuaishou, bilibili, wechat_channels, xiaohongshu, "
        "mini_program, app, other)",
        "第13行：类别「报纸」无法识别（应为 网站 或 新媒体） / row 13: unknown kind '报纸' "
        "(expected website or new media)",
    ]
    assert [p.field for p in sample.problems] == [
        "name",
        "url",
        "site_code",
        None,
        "platform",
        "kind",
    ]


def test_register_targets_are_normalised(register: Path) -> None:
    by_name = {(t.name, t.platform): t for t in read_sample(register).targets}

    portal = by_name["海南省人民政府", None]
    assert portal.key == "site:4600000001"  # a number cell, no ".0"
    assert portal.kind is Kind.WEBSITE and portal.is_portal
    assert portal.url == "http://www.hainan.gov.cn/"
    assert (portal.owner, portal.region, portal.level) == ("海南省人民政府办公厅", "海南省", "省级")
    assert portal.extra == {"序号": "1"}

    edu = by_name["海南省教育厅", None]
    assert not edu.is_portal and edu.category == "部门网站"
    assert edu.extra == {"序号": "2", "备注": "重点"}

    wechat = by_name["海南发布", "wechat"]
    assert wechat.kind is Kind.NEW_MEDIA
    assert wechat.key == "account:wechat:hainanfabu" and wechat.url is None

    weibo = by_name["海南发布", "weibo"]
    assert weibo.key == "account:weibo:海南发布"  # no id: the name stands in
    assert weibo.url == "https://weibo.com/hainanfabu"

    douyin = by_name["海口发布", "douyin"]
    assert douyin.kind is Kind.NEW_MEDIA  # inferred from the platform column

    sanya = by_name["三亚市人民政府", None]
    assert sanya.kind is Kind.WEBSITE  # inferred: nothing says account
    assert sanya.site_code == "4602000001"  # full-width digits
    assert sanya.url == "http://www.sanya.gov.cn/"  # full-width letters and dots
    assert sanya.is_portal  # category 门户


def test_strict_mode_refuses_and_lists_every_problem(register: Path) -> None:
    with pytest.raises(SampleError) as info:
        read_sample(register, strict=True)
    text = str(info.value)
    assert "清单有6处问题，未导入" in text and "海南省抽查名单.xlsx" in text
    for number in (9, 10, 11, 12, 13):
        assert f"第{number}行" in text
    assert len(info.value.problems) == 6


def test_strict_mode_accepts_a_clean_list(tmp_path: Path) -> None:
    path = sites_csv(tmp_path / "ok.csv", [["海口市人民政府", "www.haikou.gov.cn", "4601000001"]])
    assert len(read_sample(path, strict=True).targets) == 1


# --- headers ---------------------------------------------------------------------------------


def test_english_headers_any_case_and_spacing(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "en.csv",
        [
            ["Name", " URL ", "SITE ID", "Owner", "Platform", "Account_ID", "Kind"],
            ["Haikou", "www.haikou.gov.cn", "4601000001", "Haikou Gov", "", "", "website"],
            ["Haikou Release", "", "", "Haikou", "WeChat", "gh_0123", "new_media"],
        ],
    )
    sample = read_sample(path)
    assert [t.key for t in sample.targets] == ["site:4601000001", "account:wechat:gh_0123"]
    assert sample.targets[0].owner == "Haikou Gov"


def test_header_spellings_from_templates(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "template.xlsx",
        [
            ["网站名称*", "首页地址（必填）", "网站\n标识码", "ＵＲＬ备用"],
            ["海口市人民政府", "www.haikou.gov.cn", "4601000001", "x"],
        ],
    )
    sample = read_sample(path)
    assert sample.targets[0].key == "site:4601000001"
    assert sample.unknown_columns == ("ＵＲＬ备用",)
    assert sample.targets[0].extra == {"ＵＲＬ备用": "x"}


def test_gbk_csv_with_title_line(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "名单.csv",
        [
            ["2025年第二季度抽查名单"],
            ["网站名称", "网站地址", "标识码", "开办主体", "市州"],
            ["海口市人民政府", "www.haikou.gov.cn", "4601000001", "海口市政府办", "海口市"],
            ["㙟镇人民政府", "www.x.gov.cn", "", "𠀀办", "三亚市"],
        ],
        encoding="gb18030",
    )
    sample = read_sample(path)
    assert sample.meta["title"] == "2025年第二季度抽查名单"
    assert [t.name for t in sample.targets] == ["海口市人民政府", "㙟镇人民政府"]
    assert sample.targets[1].owner == "𠀀办"
    assert sample.targets[1].key == "url:www.x.gov.cn/"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_other_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = sites_csv(
        tmp_path / "d.csv",
        [["海口市人民政府", "www.haikou.gov.cn", "4601000001"]],
        delimiter=delimiter,
    )
    assert read_sample(path).targets[0].key == "site:4601000001"


def test_no_recognisable_header_names_found_and_expected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "foo.csv", [["单位", "电话"], ["海口市", "0898-1234"]])
    with pytest.raises(SampleError) as info:
        read_sample(path)
    text = str(info.value)
    assert "找不到可识别的表头" in text and "foo.csv" in text
    assert "'单位', '电话'" in text  # what was found
    assert "名称、网址、网站标识码、平台" in text  # what was expected


def test_no_name_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["网址", "标识码"], ["www.a.gov.cn", "4600000001"]])
    with pytest.raises(SampleError) as info:
        read_sample(path)
    assert "缺少名称列" in str(info.value)
    assert "'网址', '标识码'" in str(info.value)
    assert "网站名称" in str(info.value)


def test_no_identifying_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["名称", "主办单位"], ["海口", "海口市政府"]])
    with pytest.raises(SampleError, match="缺少网址、标识码或平台列"):
        read_sample(path)


def test_two_columns_for_one_field_first_filled_wins_conflicts_reported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "two-names.csv",
        [
            ["网站名称", "账号名称", "网址", "平台"],
            ["海口市人民政府", "", "www.haikou.gov.cn", ""],
            ["", "海口发布", "", "微博"],
            ["甲", "乙", "www.a.gov.cn", ""],
        ],
    )
    sample = read_sample(path)
    assert [t.name for t in sample.targets] == ["海口市人民政府", "海口发布"]
    assert "第4行：多列的值互相矛盾：网站名称='甲'、账号名称='乙'" in only_problem(sample).message


# --- kinds, platforms, portals ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected", "portal"),
    [
        ("网站", Kind.WEBSITE, False),
        ("政府网站", Kind.WEBSITE, False),
        ("门户网站", Kind.WEBSITE, True),
        ("Website", Kind.WEBSITE, False),
        ("新媒体", Kind.NEW_MEDIA, False),
        ("政务新媒体", Kind.NEW_MEDIA, False),
        ("new_media", Kind.NEW_MEDIA, False),
        ("New Media", Kind.NEW_MEDIA, False),
        ("account", Kind.NEW_MEDIA, False),
    ],
)
def test_kind_column(tmp_path: Path, kind: str, expected: Kind, portal: bool) -> None:
    platform = "微博" if expected is Kind.NEW_MEDIA else ""
    path = write_csv(
        tmp_path / "k.csv",
        [["类别", "名称", "网址", "平台"], [kind, "海口", "www.haikou.gov.cn", platform]],
    )
    target = read_sample(path, strict=True).targets[0]
    assert target.kind is expected
    assert target.is_portal is portal


def test_platform_in_kind_column_means_account(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", [["类别", "名称", "网址"], ["抖音", "海口发布", ""]])
    target = read_sample(path, strict=True).targets[0]
    assert (target.kind, target.platform, target.key) == (
        Kind.NEW_MEDIA,
        "douyin",
        "account:douyin:海口发布",
    )


def test_account_id_alone_means_account_but_needs_a_platform(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", [["名称", "网址", "微信号"], ["海口发布", "", "hkfb"]])
    assert only_problem(read_sample(path)).message == (
        "第2行：新媒体账号缺少平台 / row 2: new-media account without a platform"
    )


def test_website_with_platform_is_contradictory(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "k.csv",
        [["类别", "名称", "网址", "平台"], ["网站", "海口", "www.h.gov.cn", "微博"]],
    )
    assert "类别为网站，却填写了平台或账号" in only_problem(read_sample(path)).message


@pytest.mark.parametrize(
    ("value", "platform"),
    [(alias, pid) for pid, aliases in PLATFORMS.items() for alias in aliases]
    + [("Ｂ站", "bilibili"), ("App", "app"), ("微信 公众号", "wechat"), ("WeChat", "wechat")],
)
def test_every_platform_alias(tmp_path: Path, value: str, platform: str) -> None:
    path = write_csv(tmp_path / "p.csv", [["名称", "平台"], ["某某发布", value]])
    target = read_sample(path, strict=True).targets[0]
    assert target.platform == platform
    assert target.key == f"account:{platform}:某某发布"


@pytest.mark.parametrize(
    ("value", "wechat_type"),
    [
        ("订阅号", "订阅号"),
        ("服务号", "服务号"),
        ("微信（服务号）", "服务号"),
        ("微信公众号", None),
    ],
)
def test_wechat_subscription_and_service_accounts_stay_distinct(
    tmp_path: Path, value: str, wechat_type: str | None
) -> None:
    path = write_csv(tmp_path / "w.csv", [["名称", "平台", "账号"], ["海口发布", value, "hkfb"]])
    target = read_sample(path, strict=True).targets[0]
    assert target.platform == "wechat" and target.key == "account:wechat:hkfb"
    assert target.extra.get(WECHAT_TYPE) == wechat_type


@pytest.mark.parametrize(
    ("flag", "category", "expected"),
    [
        ("是", "", True),
        ("1", "", True),
        ("TRUE", "", True),
        ("yes", "", True),
        ("否", "", False),
        ("", "", False),
        ("", "政府门户网站", True),
        ("否", "门户", True),  # any of the signs makes it a portal
    ],
)
def test_portal_flag(tmp_path: Path, flag: str, category: str, expected: bool) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [["名称", "网址", "是否门户", "类型"], ["海口", "www.haikou.gov.cn", flag, category]],
    )
    assert read_sample(path, strict=True).targets[0].is_portal is expected


def test_unreadable_flag_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [["名称", "网址", "是否门户", "无公共服务"], ["海口", "www.h.gov.cn", "也许", "是"]],
    )
    sample = read_sample(path)
    assert sample.targets == ()
    assert only_problem(sample).message.startswith("第2行：「是否门户」的值「也许」无法识别")


def test_no_public_services_flag(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv", [["名称", "网址", "无公共服务"], ["甲", "www.a.gov.cn", "√"]]
    )
    assert read_sample(path, strict=True).targets[0].no_public_services


# --- site codes and URLs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("4600000001", "4600000001"),
        ("4600000001.0", "4600000001"),
        ("４６０００００００１", "4600000001"),
        (" 46000 00001 ", "4600000001"),
        ("bm12000001", "bm12000001"),
        ("BM12000001", "bm12000001"),
    ],
)
def test_valid_site_codes(tmp_path: Path, raw: str, code: str) -> None:
    path = sites_csv(tmp_path / "c.csv", [["海口", "www.haikou.gov.cn", raw]])
    target = read_sample(path, strict=True).targets[0]
    assert target.site_code == code
    assert target.key == f"site:{code}"


@pytest.mark.parametrize("raw", ["460000001", "46000000012", "bm1200001", "4600-00000", "abc"])
def test_invalid_site_codes_are_reported_not_dropped(tmp_path: Path, raw: str) -> None:
    path = sites_csv(tmp_path / "c.csv", [["海口", "www.haikou.gov.cn", raw]])
    sample = read_sample(path)
    assert sample.targets == ()
    assert only_problem(sample).message.startswith(f"第2行：网站标识码无效「{raw}」")


def test_site_code_in_scientific_notation_explains_the_fix(tmp_path: Path) -> None:
    path = sites_csv(tmp_path / "c.csv", [["海口", "www.haikou.gov.cn", "4.6E+09"]])
    assert "科学计数法" in only_problem(read_sample(path)).message


def test_invalid_url_message_format(tmp_path: Path) -> None:
    rows = [[f"站{i}", f"www.s{i}.gov.cn", ""] for i in range(3)] + [["坏", "htp:/x", ""]]
    problem = only_problem(read_sample(sites_csv(tmp_path / "u.csv", rows)))
    assert problem.row == 5
    assert problem.message.startswith("第5行：网址无效「htp:/x」")
    assert "row 5: invalid URL 'htp:/x'" in problem.message


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("www.haikou.gov.cn", "http://www.haikou.gov.cn/"),
        ("HTTPS://WWW.HAIKOU.GOV.CN:443/index.html", "https://www.haikou.gov.cn/index.html"),
        ("ｈｔｔｐ：／／ｗｗｗ．ｈａｉｋｏｕ．ｇｏｖ．ｃｎ／", "http://www.haikou.gov.cn/"),
        ("\u3000www.haikou.gov.cn\u3000", "http://www.haikou.gov.cn/"),
        # Regression: a bare address whose query holds "://" was taken for an unknown scheme.
        ("www.haikou.gov.cn/jump.jsp?to=http://x.cn", "http://www.haikou.gov.cn/jump.jsp?to=http://x.cn"),
    ],
)  # fmt: skip
def test_urls_are_normalised(tmp_path: Path, raw: str, url: str) -> None:
    path = sites_csv(tmp_path / "u.csv", [["海口", raw, ""]])
    assert read_sample(path, strict=True).targets[0].url == url


def test_website_needs_a_url_account_does_not(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "u.csv",
        [
            ["名称", "网址", "平台"],
            ["海口", "", ""],
            ["海口发布", "", "微博"],
            ["三亚发布", "x y", "微博"],
        ],
    )
    sample = read_sample(path)
    assert [t.name for t in sample.targets] == ["海口发布"]
    assert messages(sample)[0] == "第2行：缺少网址 / row 2: missing URL"
    assert messages(sample)[1].startswith("第4行：网址无效「x y」（网址含空白字符）")


def test_website_with_site_code_but_no_url_is_reported_once_per_reason(tmp_path: Path) -> None:
    path = sites_csv(
        tmp_path / "u.csv",
        [["海口", "www.haikou.gov.cn", "4601000001"], ["海口", "", "4601000001"]],
    )
    assert messages(read_sample(path)) == [
        "第3行：缺少网址 / row 3: missing URL",
        "第3行：与第2行重复（site:4601000001） / row 3: duplicates row 2 (site:4601000001)",
    ]


# --- duplicates ------------------------------------------------------------------------------


def test_duplicate_site_code_names_both_rows(tmp_path: Path) -> None:
    rows = [[f"站{i}", f"www.s{i}.gov.cn", f"46000000{i:02d}"] for i in range(1, 8)]
    rows.append(["重复站", "www.dup.gov.cn", "4600000001"])
    problem = only_problem(read_sample(sites_csv(tmp_path / "d.csv", rows)))
    assert problem.row == 9
    assert problem.message == (
        "第9行：与第2行重复（site:4600000001） / row 9: duplicates row 2 (site:4600000001)"
    )


def test_duplicate_url_spelled_differently(tmp_path: Path) -> None:
    rows = [["海口", "www.haikou.gov.cn", ""], ["海口2", "https://WWW.HAIKOU.GOV.CN", ""]]
    sample = read_sample(sites_csv(tmp_path / "d.csv", rows))
    assert "与第2行重复（url:www.haikou.gov.cn/）" in only_problem(sample).message


def test_same_url_once_with_and_once_without_site_code(tmp_path: Path) -> None:
    rows = [["海口", "www.haikou.gov.cn", "4601000001"], ["海口", "www.haikou.gov.cn/", ""]]
    sample = read_sample(sites_csv(tmp_path / "d.csv", rows))
    assert len(sample.targets) == 1
    assert "第3行：与第2行网址相同" in only_problem(sample).message


def test_duplicate_accounts_but_same_name_on_two_platforms_is_fine(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "a.csv",
        [
            ["名称", "平台", "账号"],
            ["海南发布", "微信", "hnfb"],
            ["海南发布", "微博", ""],
            ["海南发布（旧）", "公众号", "HNFB"],
        ],
    )
    sample = read_sample(path)
    assert [t.key for t in sample.targets] == ["account:wechat:hnfb", "account:weibo:海南发布"]
    assert "第4行：与第2行重复（account:wechat:hnfb）" in only_problem(sample).message


# --- unknown columns, names, merged cells, sheets --------------------------------------------


def test_unknown_columns_are_kept_in_extra(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["名称", "网址", "联系人", "电话"],
            ["海口", "www.h.gov.cn", "张三", ""],
            ["三亚", "www.s.gov.cn", "", "1"],
        ],
    )
    sample = read_sample(path)
    assert sample.unknown_columns == ("联系人", "电话")
    assert [dict(t.extra) for t in sample.targets] == [{"联系人": "张三"}, {"电话": "1"}]


def test_names_keep_their_full_width_characters(tmp_path: Path) -> None:
    name = "海口市ＡＢＣ　政务服务中心"
    path = sites_csv(tmp_path / "n.csv", [[name, "www.h.gov.cn", ""]])
    assert read_sample(path).targets[0].name == name


def test_vertically_merged_region_reaches_every_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["地区", "名称", "网址"])
    sheet.append(["海口市", "海口市人民政府", "www.haikou.gov.cn"])
    sheet.append([None, "美兰区人民政府", "www.meilan.gov.cn"])
    sheet.append(["三亚市", "三亚市人民政府", "www.sanya.gov.cn"])
    sheet.merge_cells("A2:A3")
    path = tmp_path / "m.xlsx"
    book.save(path)
    assert [t.region for t in read_sample(path).targets] == ["海口市", "海口市", "三亚市"]


def test_list_on_a_later_sheet_is_found(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "填报说明"
    notes.append(["1. 请勿修改表头"])
    notes.append(["2. 网址请填写首页地址"])
    data = book.create_sheet("名单")
    data.append(["名称", "网址"])
    data.append(["海口市人民政府", "www.haikou.gov.cn"])
    path = tmp_path / "s.xlsx"
    book.save(path)
    assert read_sample(path).targets[0].name == "海口市人民政府"
    with pytest.raises(SampleError, match="找不到可识别的表头"):
        read_sample(path, sheet="填报说明")


# --- unusable files --------------------------------------------------------------------------


def test_truncated_xlsx(tmp_path: Path, register: Path) -> None:
    whole = register.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(
        SampleError, match=r"文件不完整或已损坏 / the file is truncated or corrupt: cut\.xlsx"
    ):
        read_sample(path)


def test_sqlite_file_renamed_to_csv(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "findings.csv"
    db = sqlite3.connect(path)
    db.execute("create table t (x)")
    db.commit()
    db.close()
    with pytest.raises(SampleError, match=r"不是表格文件.*SQLite"):
        read_sample(path)


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SampleError, match=r"文件为空 / the file is empty: empty\.csv"):
        read_sample(empty)
    header = write_csv(tmp_path / "header.csv", [["名称", "网址"]])
    with pytest.raises(SampleError, match="只有表头"):
        read_sample(header)


def test_sample_error_is_a_value_error() -> None:
    assert issubclass(SampleError, ValueError)


# --- writing and round trips -----------------------------------------------------------------


def _website(name: str, url: str, code: str | None = None, **kw: Any) -> Target:
    url = normalise_url(url)
    key = website_key(code, url)
    return Target(key=key, kind=Kind.WEBSITE, name=name, url=url, site_code=code, **kw)


def _account(name: str, platform: str, account_id: str | None = None, **kw: Any) -> Target:
    key = account_key(platform, account_id, name)
    return Target(
        key=key, kind=Kind.NEW_MEDIA, name=name, platform=platform, account_id=account_id, **kw
    )


EXAMPLES = [
    _website("海南省人民政府", "www.hainan.gov.cn", "4600000001", owner="海南省人民政府办公厅",
             region="海南省", level="省级", category="政府门户网站", is_portal=True),
    _website("海南省教育厅", "https://edu.hainan.gov.cn/index.jsp?a=1", "bm46000001",
             no_public_services=True, extra={"备注": "重点, \"抽查\"\n第二行"}),
    _website("㙟镇人民政府", "www.x.gov.cn", extra={"序号": "3"}),
    _account("海南发布", "wechat", "hainanfabu", extra={WECHAT_TYPE: "服务号"}),
    _account("海南发布", "weibo", url="https://weibo.com/hainanfabu"),
    _account("=HYPERLINK(\"x\")", "douyin", "0012", owner="+86 海口"),
    _account("海口发布", "wechat", extra={WECHAT_TYPE: "其他类型"}),
]  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_examples(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sample{suffix}"
    meta = {"seed": "20250614", "registry_websites": "122", "title": "2025年第二季度抽查名单"}
    write_sample(path, EXAMPLES, meta)
    sample = read_sample(path, strict=True)
    assert sample.targets == tuple(EXAMPLES)
    assert sample.meta == meta


def test_written_csv_opens_in_excel_and_wps(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    write_sample(path, EXAMPLES[:1], {"seed": "7"})
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "#seed,7"
    assert lines[1].split(",")[:4] == ["类别", "名称", "网址", "网站标识码"]
    assert lines[2].startswith("网站,海南省人民政府,http://www.hainan.gov.cn/,4600000001")
    assert "服务号" not in lines[1]


def test_written_xlsx_keeps_codes_and_formulas_as_text(tmp_path: Path) -> None:
    path = tmp_path / "sample.xlsx"
    write_sample(path, EXAMPLES)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row if cell.value}
    assert cells["4600000001"] == "s" and cells["0012"] == "s"
    assert cells['=HYPERLINK("x")'] == "s"


def test_write_replaces_an_existing_list_without_leftovers(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    path.write_text("old", "utf-8")
    write_sample(path, EXAMPLES)
    assert [p.name for p in tmp_path.iterdir()] == ["sample.csv"]
    assert len(read_sample(path).targets) == len(EXAMPLES)


def test_write_refuses_what_would_not_read_back(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    with pytest.raises(ValueError, match="duplicate"):
        write_sample(path, [EXAMPLES[0], EXAMPLES[0]])
    clash = _website("甲", "www.a.gov.cn", extra={"网址": "x"})
    with pytest.raises(ValueError, match="extra column"):
        write_sample(path, [clash])
    with pytest.raises(ValueError, match="meta"):
        write_sample(path, EXAMPLES, {" seed": "1"})
    assert not path.exists()


def test_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for field, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            key = unicodedata.normalize("NFKC", alias).casefold().replace(" ", "").replace("_", "")
            assert seen.setdefault(key, field) == field, alias
    seen = {}
    for platform, aliases in PLATFORMS.items():
        for alias in aliases:
            key = alias.casefold()
            assert seen.setdefault(key, platform) == platform, alias


# Text a register could hold: CJK, full-width forms, punctuation, quotes and commas.
_chars = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp")) | st.sampled_from(
    [*'海口市人民政府，。、；：（）“”",;', "㙟", "𠀀"]
)
_text = st.text(_chars, max_size=10).map(str.strip)
_name = _text.filter(bool)
_host = st.lists(
    st.text(st.sampled_from(string.ascii_lowercase + string.digits), min_size=1, max_size=8),
    min_size=1,
    max_size=3,
).map(lambda labels: ".".join([*labels, "gov", "cn"]))
_url = st.tuples(st.sampled_from(["http", "https"]), _host, st.sampled_from(["", "/", "/a/b.html"]))
_code = st.one_of(
    st.none(),
    st.integers(1_000_000_000, 9_999_999_999).map(str),
    st.integers(0, 99_999_999).map(lambda n: f"bm{n:08d}"),
)
_account_id = st.one_of(
    st.none(), st.text(st.sampled_from(string.ascii_letters + string.digits + "_-"), min_size=1)
)
_extra = st.dictionaries(
    st.sampled_from(["备注", "联系人", "序号", "Note", "负责人 电话"]), _name, max_size=3
)


@st.composite
def targets(draw: st.DrawFn) -> Target:
    category = draw(_text)
    common: dict[str, Any] = {
        "name": draw(_name),
        "owner": draw(_text),
        "region": draw(_text),
        "level": draw(_text),
        "category": category,
        # Canonical: a category naming a portal makes it one (as reading does).
        "is_portal": draw(st.booleans()) or "门户" in category,
        "no_public_services": draw(st.booleans()),
    }
    extra = draw(_extra)
    if draw(st.booleans()):
        scheme, host, path = draw(_url)
        return _website(url=f"{scheme}://{host}{path}", code=draw(_code), extra=extra, **common)
    platform = draw(st.sampled_from(sorted(PLATFORMS)))
    if platform == "wechat" and draw(st.booleans()):
        extra[WECHAT_TYPE] = draw(st.sampled_from(["订阅号", "服务号"]))
    url = draw(st.one_of(st.none(), _url.map(lambda u: normalise_url(f"{u[0]}://{u[1]}{u[2]}"))))
    account_id = draw(_account_id)
    return _account(platform=platform, account_id=account_id, url=url, extra=extra, **common)


def _unique(items: list[Target]) -> list[Target]:
    """Drop what a list may not hold twice: a key, or a website's address."""
    seen: set[str] = set()
    kept = []
    for item in items:
        site = url_key(item.url) if item.kind is Kind.WEBSITE and item.url else None
        if item.key in seen or (site and site in seen):
            continue
        seen.update(filter(None, (item.key, site)))
        kept.append(item)
    return kept


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=st.lists(targets(), min_size=1, max_size=8).map(_unique),
    meta=st.dictionaries(
        st.text(string.ascii_letters + "_", min_size=1, max_size=8), _text, max_size=3
    ),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
def test_round_trip_property(
    tmp_path: Path, items: list[Target], meta: dict[str, str], suffix: str
) -> None:
    path = tmp_path / f"rt{suffix}"
    write_sample(path, items, meta)
    sample = read_sample(path, strict=True)
    assert sample.targets == tuple(items)
    assert sample.meta == meta
