"""Issue 6 item 5: a folder of phone screenshots matched to accounts by file name, and the EXIF
time a phone wrote into a JPEG, read without an imaging library."""

from __future__ import annotations

import struct
from datetime import datetime
from pathlib import Path

import pytest

from inspector.phone import exif_taken_at, image_files, match_files
from inspector.targets import Kind, Target

ACCOUNTS = [
    Target(
        key="account:wechat:jiangyujiaoyu",
        kind=Kind.NEW_MEDIA,
        name="江屿教育",
        platform="wechat",
        account_id="jiangyujiaoyu",
    ),
    Target(
        key="account:wechat:jiangyufabu",
        kind=Kind.NEW_MEDIA,
        name="江屿发布",
        platform="wechat",
        account_id="jiangyufabu",
    ),
    Target(
        key="account:weibo:7012345678",
        kind=Kind.NEW_MEDIA,
        name="江屿商务",
        platform="weibo",
        account_id="7012345678",
    ),
    Target(key="site:1", kind=Kind.WEBSITE, name="江屿教育厅网站"),
]


def tiff(order: str, entries0: list[tuple[int, int, int, int]], extra: bytes) -> bytes:
    mark = b"II" if order == "<" else b"MM"
    head = mark + struct.pack(order + "HI", 42, 8)
    ifd = struct.pack(order + "H", len(entries0))
    for entry in entries0:
        ifd += struct.pack(order + "HHII", *entry)
    return head + ifd + struct.pack(order + "I", 0) + extra


def jpeg_with_exif(taken: str, *, order: str = "<", original: bool = True) -> bytes:
    """A minimal JPEG: SOI, an APP1 Exif segment with IFD0 (and an Exif IFD), EOI."""
    value = taken.encode("ascii") + b"\x00"
    if original:
        ifd0_size = 2 + 12 + 4
        exif_ifd_at = 8 + ifd0_size
        text_at = exif_ifd_at + 2 + 12 + 4
        exif_ifd = (
            struct.pack(order + "H", 1)
            + struct.pack(order + "HHII", 0x9003, 2, len(value), text_at)
            + struct.pack(order + "I", 0)
        )
        body = tiff(order, [(0x8769, 4, 1, exif_ifd_at)], exif_ifd + value)
    else:
        text_at = 8 + 2 + 12 + 4
        body = tiff(order, [(0x0132, 2, len(value), text_at)], value)
    segment = b"Exif\x00\x00" + body
    return b"\xff\xd8" + b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment + b"\xff\xd9"


@pytest.mark.parametrize("order", ["<", ">"])
def test_exif_date_time_original_is_read_in_either_byte_order(order: str) -> None:
    data = jpeg_with_exif("2025:06:14 09:30:05", order=order)
    assert exif_taken_at(data) == datetime(2025, 6, 14, 9, 30, 5)


def test_exif_falls_back_to_date_time_and_refuses_what_it_cannot_read() -> None:
    assert exif_taken_at(jpeg_with_exif("2025:06:01 08:00:00", original=False)) == datetime(
        2025, 6, 1, 8
    )
    assert exif_taken_at(b"\x89PNG\r\n\x1a\n") is None
    assert exif_taken_at(b"\xff\xd8\xff\xd9") is None
    assert exif_taken_at(jpeg_with_exif("not a date at all!!")) is None
    assert exif_taken_at(jpeg_with_exif("2025:06:14 09:30:05")[:30]) is None


def test_files_are_matched_by_account_id_or_name_and_the_rest_left_for_choosing(
    tmp_path: Path,
) -> None:
    names = [
        "江屿教育-主页.png",
        "Screenshot_jiangyufabu_menu.jpg",
        "weibo_7012345678.webp",
        "IMG_0001.jpg",
        "江屿-首页.png",  # too short a name to say which account
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    files = image_files(tmp_path)
    assert [p.name for p in files] == sorted(n for n in names if not n.endswith(".txt"))
    plan = match_files(files, ACCOUNTS)
    assert {k: [p.name for p in v] for k, v in plan.matched.items()} == {
        "account:wechat:jiangyujiaoyu": ["江屿教育-主页.png"],
        "account:wechat:jiangyufabu": ["Screenshot_jiangyufabu_menu.jpg"],
        "account:weibo:7012345678": ["weibo_7012345678.webp"],
    }
    assert sorted(p.name for p in plan.unmatched) == ["IMG_0001.jpg", "江屿-首页.png"]


def test_a_name_shared_by_two_accounts_is_left_for_the_inspector() -> None:
    twins = [
        Target(key="account:wechat:a", kind=Kind.NEW_MEDIA, name="江屿教育", account_id="aaa1"),
        Target(key="account:weibo:b", kind=Kind.NEW_MEDIA, name="江屿教育", account_id="bbb2"),
    ]
    plan = match_files([Path("江屿教育.png"), Path("江屿教育_bbb2.png")], twins)
    assert plan.unmatched == [Path("江屿教育.png")]
    assert plan.matched == {"account:weibo:b": [Path("江屿教育_bbb2.png")]}
