"""Menu items of accounts: lists as inspectors paste or send them, and the hints a status proves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from inspector import paths
from inspector.menus import (
    MENU_STATUSES,
    PROBLEM_STATUSES,
    STATUS_LABELS,
    MenuListError,
    menu_hint,
    menu_hint_source,
    parse_menu_list,
    parse_menu_text,
    read_menu_file,
    status_for_marker,
)
from inspector.profiles import DEFAULT_PROFILE, Profile, load_profile
from inspector.scan.accounts import FUNCTION_MARKERS
from inspector.store import FindingsFile, MenuItem
from inspector.targets import Kind, Target

ACCOUNT = Target(
    key="account:wechat:gh_0001",
    kind=Kind.NEW_MEDIA,
    name="海南发布",
    platform="微信",
    account_id="gh_0001",
)
AS_OF = date(2025, 6, 14)


@pytest.fixture(scope="module")
def national() -> Profile:
    return load_profile(DEFAULT_PROFILE)


def without(text: str, *idents: str) -> str:
    """The profile text with the [[indicators]] blocks of ``idents`` cut out."""
    for ident in idents:
        start = text.index(f'[[indicators]]\nid = "{ident}"\n')
        end = text.find("[[indicators]]", start + 1)
        text = text[:start] + (text[end:] if end >= 0 else "")
    return text


@pytest.fixture(scope="module")
def no_menu_profile(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    national_text = (paths.PROFILES / "national-2019.toml").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("profiles") / "no-menus.toml"
    path.write_text(without(national_text, "M-D2", "M-D3"), encoding="utf-8")
    return load_profile(path)


# --- pasted and imported lists -----------------------------------------------------------------


def test_a_realistic_paste_gives_names_and_urls_in_order() -> None:
    pasted = (
        "\ufeff菜单名称\t链接\n"
        "首页\thttps://mp.weixin.qq.com/s/home\n"
        "办事服务 > 社保查询  https://mp.example.cn/sb?from=menu&id=3\n"
        "办事服务/公积金\u3000\u3000https://mp.example.cn/gjj\n"
        "\n"
        "   \n"
        "1. 联系我们 https://mp.example.cn/lx。\n"
        "2、政务公开\n"
        "--------------------\n"
        "https://mp.example.cn/zhibo/index.html\n"
        "首页\thttps://mp.weixin.qq.com/s/home\n"
        "12345热线\n"
        "| 互动留言 | https://mp.example.cn/hd |\n"
    )
    listed = parse_menu_text(pasted)
    assert listed.items == [
        ("首页", "https://mp.weixin.qq.com/s/home"),
        ("办事服务 > 社保查询", "https://mp.example.cn/sb?from=menu&id=3"),
        ("办事服务/公积金", "https://mp.example.cn/gjj"),
        ("联系我们", "https://mp.example.cn/lx"),
        ("政务公开", ""),
        ("https://mp.example.cn/zhibo/index.html", "https://mp.example.cn/zhibo/index.html"),
        ("12345热线", ""),
        ("互动留言", "https://mp.example.cn/hd"),
    ]
    # the header, the separator line and the repeated 首页 were skipped; blank lines are not counted
    assert listed.skipped == 3
    assert parse_menu_list(pasted) == listed.items


def test_csv_with_a_header_quotes_and_a_number_column() -> None:
    text = (
        "序号,名称,链接,备注\r\n"
        '1,"办事服务, 社保",https://x.gov.cn/sb,\r\n'
        "2,办事服务,社保查询,\r\n"  # no URL: the second cell is not one, the name is 办事服务
        "3,政务公开,https://x.gov.cn/gk,二级菜单\r\n"
        "3,政务公开,https://x.gov.cn/gk,二级菜单\r\n"
    )
    assert parse_menu_list(text) == [
        ("办事服务, 社保", "https://x.gov.cn/sb"),
        ("办事服务", ""),
        ("政务公开", "https://x.gov.cn/gk"),
    ]


def test_commas_in_a_name_without_a_url_or_header_stay_in_the_name() -> None:
    assert parse_menu_list("服务大厅，办事指南\n我要咨询,我要投诉\n") == [
        ("服务大厅，办事指南", ""),
        ("我要咨询,我要投诉", ""),
    ]


def test_nothing_but_blanks_and_headers_gives_nothing() -> None:
    assert parse_menu_text("name,url\n\n\u3000\n").items == []
    assert parse_menu_text("").items == []


def test_a_gbk_csv_file_reads_like_the_paste(tmp_path: Path) -> None:
    path = tmp_path / "菜单.csv"
    path.write_bytes(
        "名称,链接\r\n办事服务 > 社保查询,https://x.gov.cn/sb\r\n政务公开,\r\n".encode("gbk")
    )
    assert read_menu_file(path) == [
        ("办事服务 > 社保查询", "https://x.gov.cn/sb"),
        ("政务公开", ""),
    ]


def test_an_xlsx_file_reads_its_first_sheet(tmp_path: Path) -> None:
    path = tmp_path / "菜单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "菜单"
    for row in (
        ["菜单名称", "链接"],
        ["首页", "https://mp.weixin.qq.com/s/home"],
        ["办事服务 > 社保查询", "https://x.gov.cn/sb"],
        [None, None],
        ["政务公开", None],
        ["首页", "https://mp.weixin.qq.com/s/home"],
    ):
        sheet.append(row)
    other = book.create_sheet("说明")
    other.append(["这一页不是菜单", "https://x.gov.cn/readme"])
    book.save(path)
    assert read_menu_file(path) == [
        ("首页", "https://mp.weixin.qq.com/s/home"),
        ("办事服务 > 社保查询", "https://x.gov.cn/sb"),
        ("政务公开", ""),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "文件为空 / the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel/WPS"),
        (b"PK\x03\x04 not really a workbook", "文件不完整或已损坏 / the file is truncated"),
    ],
)
def test_unreadable_files_are_refused_in_both_languages(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "menu.xlsx"
    path.write_bytes(content)
    with pytest.raises(MenuListError, match=reason):
        read_menu_file(path)
    with pytest.raises(MenuListError, match="文件不存在 / file not found"):
        read_menu_file(tmp_path / "missing.csv")


# --- statuses and hints ------------------------------------------------------------------------


def test_every_status_has_both_labels_and_the_problems_are_the_findings() -> None:
    assert tuple(STATUS_LABELS) == MENU_STATUSES
    assert STATUS_LABELS["under_development"] == ("建设中", "under development")
    assert STATUS_LABELS["dead_link"] == ("链接失效", "dead link")
    assert set(MENU_STATUSES) - {"unchecked", "works"} == PROBLEM_STATUSES


def test_each_built_in_marker_implies_its_status() -> None:
    implied = {marker: status_for_marker(marker) for marker in FUNCTION_MARKERS}
    assert implied == {
        "该功能正在开发中": "under_development",
        "功能正在开发中": "under_development",
        "正在开发中": "under_development",
        "Under Development": "under_development",
        "Under Construction": "under_development",
        "小程序已过期": "expired",
        "该小程序已暂停服务": "expired",
        "已停止服务": "expired",
        "暂停服务": "expired",
        "系统升级维护中": "maintenance",
        "系统升级": "maintenance",
        "升级维护": "maintenance",
        "系统维护": "maintenance",
        "维护中": "maintenance",
        "建设中": "under_development",
        "已过期": "expired",
        "Coming soon": "under_development",
    }
    assert status_for_marker("该服务已下线") == "expired"
    assert status_for_marker("Service EXPIRED") == "expired"
    assert status_for_marker("Down for maintenance") == "maintenance"


@pytest.fixture
def items(tmp_path: Path) -> Iterator[dict[str, MenuItem]]:
    """One stored item per status, as the UI would have set them."""
    with FindingsFile.create(
        tmp_path / "f.sqlite", quarter="2025Q2", inspector="张三", profile_id=DEFAULT_PROFILE
    ) as f:
        f.add_targets([ACCOUNT], who="张三")
        added = f.add_menu_items(
            ACCOUNT.key,
            [(f"办事服务 > {s}", f"https://mp.example.cn/{s}") for s in MENU_STATUSES],
            who="张三",
        )
        markers = {"under_development": "该功能正在开发中", "expired": "小程序已过期"}
        yield {
            item.name.split(" > ")[1]: f.set_menu_item(
                item.id,
                who="张三",
                status=item.name.split(" > ")[1],
                marker=markers.get(item.name.split(" > ")[1], ""),
            )
            for item in added
        }


def test_menu_hints_per_status_name_the_account_item_status_and_marker(
    items: dict[str, MenuItem], national: Profile
) -> None:
    hints = {s: menu_hint(ACCOUNT, items[s], profile=national, as_of=AS_OF) for s in items}
    assert hints["unchecked"] is None and hints["works"] is None
    kinds = {s: (h.kind, h.indicator) for s, h in hints.items() if h is not None}
    assert kinds == {
        "under_development": ("function_unusable", "M-D2"),
        "expired": ("function_unusable", "M-D2"),
        "maintenance": ("function_unusable", "M-D2"),
        "dead_link": ("broken_link", "M-D3"),
    }
    expired = hints["expired"]
    assert expired is not None
    assert (expired.url, expired.found_on, expired.as_of) == (
        "https://mp.example.cn/expired",
        "https://mp.example.cn/expired",
        "2025-06-14",
    )
    assert expired.detail == (
        "“海南发布”的菜单“办事服务 > expired”已过期，页面显示“小程序已过期” / "
        "menu item “办事服务 > expired” is expired, the page shows “小程序已过期” — 海南发布"
    )
    dead = hints["dead_link"]
    assert dead is not None and "链接失效" in dead.detail and "dead link" in dead.detail
    assert "页面显示" not in dead.detail  # no marker, no quote


def test_a_profile_without_menu_items_still_gets_hints_without_an_indicator(
    items: dict[str, MenuItem], no_menu_profile: Profile
) -> None:
    for status in PROBLEM_STATUSES:
        hint = menu_hint(ACCOUNT, items[status], profile=no_menu_profile, as_of=AS_OF)
        assert hint is not None and hint.indicator is None
    assert menu_hint(ACCOUNT, items["works"], profile=no_menu_profile, as_of=AS_OF) is None


def test_an_items_hint_is_stored_under_its_own_source_and_found_again(
    tmp_path: Path, national: Profile
) -> None:
    with FindingsFile.create(
        tmp_path / "f.sqlite", quarter="2025Q2", inspector="张三", profile_id=DEFAULT_PROFILE
    ) as f:
        f.add_targets([ACCOUNT], who="张三")
        (item,) = f.add_menu_items(ACCOUNT.key, [("社保查询", "https://x.cn/sb")], who="张三")
        item = f.set_menu_item(item.id, who="张三", status="maintenance", marker="系统维护")
        hint = menu_hint(ACCOUNT, item, profile=national, as_of=AS_OF)
        assert hint is not None
        source = menu_hint_source(item.id)
        assert source == f"menu:{item.id}"
        (hint_id,) = f.add_hints(ACCOUNT.key, [hint], source=source)
        assert [h.id for h in f.hints(ACCOUNT.key) if h.source == source] == [hint_id]
