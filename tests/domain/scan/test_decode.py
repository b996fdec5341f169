"""Decoding Chinese pages without mojibake (issue #3, deliverable 2).

The cases are the ones real government sites produce: a server header that says UTF-8 over a
GBK page, a gb2312 meta over a UTF-8 page, Big5 pages, bodies cut in the middle of a character,
and pages stitched together from fragments in two encodings.
"""

from __future__ import annotations

import codecs
import sys
import time
import types

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from inspector.scan.decode import Decoded, decode_html, normalize_encoding

ZH = "政府信息公开 通知公告 关于开展2025年第二季度政府网站检查工作的通知"
TW = "政府資訊公開 通知公告 關於辦理網站檢查的通知"


def html(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Home</title></head><body><p>{body}</p></body></html>"


# -- what a declaration says, and when it is believed -------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_a_bom_wins_over_any_declaration(bom: bytes, codec: str) -> None:
    body = bom + html(ZH, '<meta charset="gbk">').encode(codec)
    decoded = decode_html(body, "text/html; charset=gb2312")
    assert decoded == Decoded(html(ZH, '<meta charset="gbk">'), codec, "bom")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=gbk",
        "text/html; charset=GB2312",
        'text/html;charset="x-gbk"',
        "text/html; charset=cp936",
        "text/html; charset=GB18030",
    ],
)
def test_gbk_family_from_the_header_is_read_as_gb18030(content_type: str) -> None:
    decoded = decode_html(html(ZH).encode("gbk"), content_type)
    assert decoded == Decoded(html(ZH), "gb18030", "header")


def test_gb18030_reads_characters_gbk_lacks() -> None:
    rare = ZH + "㐀䶵€"  # CJK Extension A and the euro sign are GB18030-only
    decoded = decode_html(rare.encode("gb18030"), "text/html; charset=gb2312")
    assert decoded.text == rare and decoded.encoding == "gb18030"


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="gb2312">',
        "<meta charset=GBK>",
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=GBK'>",
    ],
)
def test_gbk_family_from_a_meta_is_read_as_gb18030(meta: str) -> None:
    body = html(ZH, meta).encode("gbk")
    assert decode_html(body) == Decoded(html(ZH, meta), "gb18030", "meta")
    assert decode_html(body, "text/html") == Decoded(html(ZH, meta), "gb18030", "meta")


def test_an_xml_declaration_counts_as_a_meta() -> None:
    body = f'<?xml version="1.0" encoding="gb2312"?><root>{ZH}</root>'.encode("gbk")
    assert decode_html(body).source == "meta"


def test_a_meta_past_the_sniffing_window_is_not_seen() -> None:
    text = "<!--" + "x" * 5000 + "-->" + html(ZH, '<meta charset="gbk">')
    decoded = decode_html(text.encode("gbk"))
    assert decoded.text == text and decoded.source == "gb18030"  # found by validation instead


def test_the_header_comes_before_the_meta() -> None:
    body = html(TW, '<meta charset="gbk">').encode("big5")
    decoded = decode_html(body, "text/html; charset=big5")
    assert decoded.text == html(TW, '<meta charset="gbk">') and decoded.source == "header"


def test_big5_is_respected() -> None:
    decoded = decode_html(html(TW).encode("big5"), "text/html; charset=big5")
    assert decoded == Decoded(html(TW), "big5hkscs", "header")
    meta = '<meta charset="big5">'
    assert decode_html(html(TW, meta).encode("big5")).source == "meta"


def test_undeclared_big5_is_not_read_as_gb18030() -> None:
    decoded = decode_html(html(TW).encode("big5"))
    assert decoded.text == html(TW) and decoded.source == "detected"


def test_a_utf8_header_over_a_gbk_page_does_not_make_mojibake() -> None:
    decoded = decode_html(html(ZH).encode("gbk"), "text/html; charset=utf-8")
    assert decoded == Decoded(html(ZH), "gb18030", "gb18030")


def test_a_gbk_meta_over_a_utf8_page_does_not_make_mojibake() -> None:
    meta = '<meta charset="gb2312">'
    decoded = decode_html(html(ZH, meta).encode("utf-8"))
    assert decoded == Decoded(html(ZH, meta), "utf-8", "utf-8")


def test_a_latin1_declaration_over_a_chinese_page_is_not_believed() -> None:
    for codec in ("gbk", "utf-8"):
        decoded = decode_html(html(ZH).encode(codec), "text/html; charset=ISO-8859-1")
        assert decoded.text == html(ZH), codec


def test_a_real_latin1_page_stays_latin1() -> None:
    text = html("Le café est déjà prêt à côté, garçon !")
    decoded = decode_html(text.encode("cp1252"), "text/html; charset=iso-8859-1")
    assert decoded == Decoded(text, "cp1252", "header")


def test_unknown_charset_names_are_ignored() -> None:
    assert decode_html(html(ZH).encode("gbk"), "text/html; charset=klingon").text == html(ZH)
    assert decode_html(html(ZH).encode(), "text/html; charset=").source == "utf-8"


def test_ascii_pages_follow_the_declaration() -> None:
    assert decode_html(b"<p>hi</p>", "text/html; charset=gbk") == Decoded(
        "<p>hi</p>", "gb18030", "header"
    )
    assert decode_html(b"<p>hi</p>") == Decoded("<p>hi</p>", "utf-8", "utf-8")


# -- no declaration ------------------------------------------------------------------------------


def test_undeclared_utf8_and_gbk() -> None:
    assert decode_html(html(ZH).encode()) == Decoded(html(ZH), "utf-8", "utf-8")
    assert decode_html(html(ZH).encode("gbk")) == Decoded(html(ZH), "gb18030", "gb18030")


def test_a_body_cut_inside_a_character_is_not_mojibake() -> None:
    """Bodies over the cap are cut at a byte count, often inside a character."""
    for codec, name in (("utf-8", "utf-8"), ("gbk", "gb18030")):
        whole = html(ZH * 50).encode(codec)
        for cut in range(1, len(ZH[-1].encode(codec))):
            body = whole[: whole.rindex(ZH[-1].encode(codec)) + cut]
            decoded = decode_html(body, truncated=True)
            assert decoded.source == name and decoded.text.endswith(ZH[:-1]), (codec, cut)
            assert ZH * 49 in decoded.text and "\ufffd" not in decoded.text
            # Without the hint the page still reads the same, piece by piece.
            for content_type in (None, f"text/html; charset={codec}"):
                unhinted = decode_html(body, content_type)
                assert unhinted.text == decoded.text, (codec, cut, content_type)
                assert unhinted.encoding == name


def test_an_incomplete_tail_is_no_evidence_without_the_hint() -> None:
    """'一' is D2 BB in GBK (valid UTF-8 'һ'); F3 80 looks like the start of a UTF-8 character."""
    body = "一髝".encode("gbk")
    assert decode_html(body).text == "一髝"


# -- mixed and broken pages ------------------------------------------------------------------------


def mixed_page(utf8_items: int, gbk_items: int) -> tuple[bytes, str, str]:
    utf8_text, gbk_text = "关于开展政府网站季度检查工作的通知", "政务公开栏目更新情况统计表"
    body = (
        b"<html><head><meta charset='utf-8'></head><body><ul>\n"
        + "".join(f"<li>{utf8_text}{i}</li>\n" for i in range(utf8_items)).encode()
        + "".join(f"<li>{gbk_text}{i}</li>\n" for i in range(gbk_items)).encode("gbk")
        + b"</ul></body></html>"
    )
    return body, utf8_text, gbk_text


@pytest.mark.parametrize(("utf8_items", "gbk_items"), [(30, 20), (20, 30), (1, 40), (40, 1)])
def test_a_page_in_two_encodings_keeps_both_readable(utf8_items: int, gbk_items: int) -> None:
    body, utf8_text, gbk_text = mixed_page(utf8_items, gbk_items)
    for content_type in ("text/html; charset=utf-8", "text/html; charset=gbk", None):
        decoded = decode_html(body, content_type)
        assert decoded.text.count(utf8_text) == utf8_items, content_type
        assert decoded.text.count(gbk_text) == gbk_items, content_type
        assert "\ufffd" not in decoded.text
        assert decoded.source == "mixed" and decoded.encoding.startswith("utf-8+")


def test_garbage_is_replaced_not_raised() -> None:
    decoded = decode_html(b"<p>\x80\x81\xff\xfe\x00abc</p>")
    assert decoded.source == "replace" and "\ufffd" in decoded.text and "abc" in decoded.text


def test_detection_is_only_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    class Best:
        encoding = "shift_jis"

    class Matches:
        def best(self) -> Best:
            return Best()

    calls: list[bytes] = []

    def from_bytes(body: bytes) -> Matches:
        calls.append(body)
        return Matches()

    fake = types.ModuleType("charset_normalizer")
    fake.from_bytes = from_bytes  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "charset_normalizer", fake)
    assert decode_html(html(ZH).encode("gbk")).source == "gb18030"
    assert decode_html(html(ZH).encode()).source == "utf-8"
    assert calls == []
    japanese = html("ｶﾀｶﾅ半角").encode("shift_jis")  # the declared EUC-KR does not fit
    assert decode_html(japanese, "text/html; charset=euc-kr") == Decoded(
        html("ｶﾀｶﾅ半角"), "shift_jis", "detected"
    )
    assert calls


def test_twenty_thousand_links_decode_fast() -> None:
    body = "".join(
        f'<li><a href="/art/{i}.html">第{i}篇 政务动态</a></li>\n' for i in range(20_000)
    )
    for codec in ("utf-8", "gbk"):
        data = body.encode(codec)
        started = time.perf_counter()
        decoded = decode_html(data, "text/html")
        assert decoded.text == body
        assert time.perf_counter() - started < 1.0
    data = body.encode("gbk")[: len(body) // 2] + body.encode()[len(body) // 2 :]
    started = time.perf_counter()
    assert "第19999篇" in decode_html(data).text
    assert time.perf_counter() - started < 3.0


def test_normalize_encoding() -> None:
    assert normalize_encoding("GB2312") == "gb18030"
    assert normalize_encoding(" 'gbk' ") == "gb18030"
    assert normalize_encoding("UTF8") == "utf-8"
    assert normalize_encoding("Big5") == "big5hkscs"
    assert normalize_encoding("iso-8859-1") == "cp1252"
    assert normalize_encoding("shift_jis") == "shift_jis"
    assert normalize_encoding("no-such-thing") is None
    assert normalize_encoding(None) is None


# -- properties -----------------------------------------------------------------------------------

COMMON_HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(
    lambda ch: _gbk_encodable(ch)
)


def _gbk_encodable(ch: str) -> bool:
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.one_of(st.none(), st.text(max_size=60)))
def test_any_bytes_decode_without_raising(body: bytes, content_type: str | None) -> None:
    decoded = decode_html(body, content_type)
    assert isinstance(decoded.text, str) and decoded.source


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_utf8_text_round_trips(text: str) -> None:
    assume(not text.startswith("\ufeff"))
    assert decode_html(text.encode()).text == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(COMMON_HANZI, st.sampled_from(list(" <>/p\n0123abc"))), max_size=200))
def test_any_declared_gbk_text_round_trips(chars: list[str]) -> None:
    text = "".join(chars)
    body = text.encode("gbk")
    try:
        body.decode("utf-8")
        assume(False)  # bytes that are also valid UTF-8 are ambiguous by nature
    except UnicodeDecodeError:
        pass
    assert decode_html(body, "text/html; charset=gb2312").text == text
    assert decode_html(body).text == text
