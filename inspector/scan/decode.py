"""Bytes to text for Chinese government pages, without mojibake.

Declarations on these sites are often wrong: servers announce UTF-8 for GBK pages, templates say
gb2312 for pages saved as UTF-8, and pages assembled from fragments mix both. So a declaration is
a hint that is checked, not obeyed: every candidate is validated with a strict decode, GB2312 and
GBK are read as their superset GB18030, valid UTF-8 with CJK wins over a legacy declaration, and a
page that no single encoding decodes is decoded piece by piece so both halves stay readable.
Detection (charset_normalizer, when installed) is only the last guess before replacement.
"""

from __future__ import annotations

import codecs
import importlib
import re
from dataclasses import dataclass

__all__ = ["Decoded", "decode_html", "normalize_encoding"]

_SNIFF_BYTES = 4096

# BOMs, longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_ALIASES = {
    **dict.fromkeys(
        (
            "gb2312",
            "gbk",
            "x-gbk",
            "cp936",
            "ms936",
            "windows-936",
            "gb_2312",
            "gb_2312-80",
            "csgb2312",
            "euc-cn",
            "x-euc-cn",
            "chinese",
            "iso-ir-58",
            "gb18030",
        ),
        "gb18030",
    ),
    **dict.fromkeys(
        ("big5", "big5-hkscs", "big5hkscs", "x-x-big5", "cn-big5", "csbig5", "cp950"), "big5hkscs"
    ),
    **dict.fromkeys(("utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"), "utf-8"),
    # WHATWG: these labels mean windows-1252; a Chinese page declaring them is misconfigured.
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252"),
        "cp1252",
    ),
    "windows-1252": "cp1252",
    # A UTF-16 declaration on a page without a BOM is wrong in practice (WHATWG reads it as UTF-8).
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be"), "utf-8"),
}
_SINGLE_BYTE_LATIN = {"cp1252", "latin_1", "iso8859-1", "ascii"}

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""", re.I)
_SEGMENT_SPLIT = re.compile(rb"([\n<>])")  # bytes that are never a trail byte in CJK encodings
_UTF8_THREE_BYTE = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")
_MIXED_MIN_CJK = 4  # UTF-8 CJK characters it takes to call a legacy page mixed
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_PUA_WINDOW = 65536  # characters looked at: a misread Big5 page shows private-use ones early
_CJK = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Decoded:
    """A page's text and how its encoding was decided.

    `source` is one of "bom", "header", "meta" (the declaration was followed and validated),
    "utf-8" / "gb18030" (the bytes were valid in that encoding; any declaration was absent or
    wrong), "mixed" (decoded piece by piece: parts in UTF-8, parts in a legacy encoding),
    "detected" (a guess: Big5 by elimination, or charset_normalizer's) or "replace" (nothing
    fitted; bad bytes became U+FFFD).
    """

    text: str
    encoding: str
    source: str


def normalize_encoding(label: str | None) -> str | None:
    """A Python codec name for a charset label, with WHATWG-style aliases; None when unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def decode_html(
    body: bytes, content_type: str | None = None, *, truncated: bool = False
) -> Decoded:
    """Decode a page's bytes; never raises. `content_type` is the raw Content-Type header.

    `truncated` (FetchResult.truncated) says the body was cut at a byte count, so an incomplete
    character at its very end is expected and dropped instead of counting against the encoding.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, "replace"), codec, "bom")

    declared = _declarations(body, content_type)
    if body.isascii():
        for codec, source in declared:
            if _ascii_compatible(codec):
                return Decoded(body.decode("ascii"), codec, source)
        return Decoded(body.decode("ascii"), "utf-8", "utf-8")

    utf8 = _strict(body, "utf-8", truncated)
    legacy: tuple[str, str] | None = None
    for codec, source in declared:
        if codec == "utf-8":
            if utf8 is not None:
                return Decoded(utf8, "utf-8", source)
            continue
        if codec in _SINGLE_BYTE_LATIN:
            continue  # checked only after UTF-8 and GB18030 have had their chance
        if utf8 is not None and _UTF8_THREE_BYTE.search(body):
            return Decoded(utf8, "utf-8", "utf-8")
        text = _strict(body, codec, truncated)
        if text is not None:
            return Decoded(text, codec, source)
        legacy = legacy or (codec, source)
    if utf8 is not None:
        return Decoded(utf8, "utf-8", "utf-8")

    fallback, fallback_source = legacy or ("gb18030", "gb18030")
    mixed = _decode_mixed(body, fallback, fallback_source)
    if mixed is not None:
        return mixed
    if legacy is None:
        text = _strict(body, "gb18030", truncated)
        if text is not None and _PRIVATE_USE.search(text, 0, _PUA_WINDOW):
            # Private-use characters mean these were not GB18030 bytes: Big5 is the usual culprit.
            big5 = _strict(body, "big5hkscs", truncated)
            if big5 is not None and not _PRIVATE_USE.search(big5, 0, _PUA_WINDOW):
                return Decoded(big5, "big5hkscs", "detected")
        if text is not None:
            return Decoded(text, "gb18030", "gb18030")
        for codec, source in declared:
            if codec in _SINGLE_BYTE_LATIN:
                text = _strict(body, codec, truncated)
                if text is not None:
                    return Decoded(text, codec, source)
    detected = _detect(body)
    if detected is not None:
        return detected
    return _decode_pieces(body, fallback, fallback_source)


def _declarations(body: bytes, content_type: str | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        codec = normalize_encoding(match.group(1)) if match else None
        if codec:
            found.append((codec, "header"))
    head = body[:_SNIFF_BYTES]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        meta = pattern.search(head)
        codec = normalize_encoding(meta.group(1).decode("ascii")) if meta else None
        if codec and all(codec != known for known, _ in found):
            found.append((codec, "meta"))
            break
    return found


def _ascii_compatible(codec: str) -> bool:
    try:
        return "<meta>".encode(codec) == b"<meta>"
    except (LookupError, UnicodeError):
        return False


def _strict(body: bytes, codec: str, tail: bool = False) -> str | None:
    """Strict decode; with `tail`, one incomplete character at the very end is dropped."""
    try:
        if not tail:
            return body.decode(codec)
        return codecs.getincrementaldecoder(codec)("strict").decode(body, final=False)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_mixed(body: bytes, legacy: str, legacy_source: str) -> Decoded | None:
    """Piece-by-piece decoding when enough of the page is valid UTF-8 CJK next to legacy bytes."""
    # Cheap first look: UTF-8 CJK by accident is well under 2 % of a legacy page's characters.
    probe = body.decode("utf-8", "replace")
    accidental = len(_CJK.findall(probe))
    if accidental < _MIXED_MIN_CJK or accidental < 0.02 * (accidental + probe.count("\ufffd")):
        return None
    cjk = 0
    for segment in _SEGMENT_SPLIT.split(body):
        if segment.isascii() or not _UTF8_THREE_BYTE.search(segment):
            continue
        if _strict(segment, "utf-8") is not None:
            cjk += len(_UTF8_THREE_BYTE.findall(segment))
            if cjk >= _MIXED_MIN_CJK:
                return _decode_pieces(body, legacy, legacy_source)
    return None


def _decode_pieces(body: bytes, legacy: str, legacy_source: str) -> Decoded:
    """Each text run between tags and line breaks in the encoding that fits it best."""
    parts: list[str] = []
    used: set[str] = set()
    segments = _SEGMENT_SPLIT.split(body)
    for index, segment in enumerate(segments):
        if segment.isascii():
            parts.append(segment.decode("ascii"))
            continue
        last = index == len(segments) - 1  # may end inside a character when the body was cut
        utf8 = _strict(segment, "utf-8", last)
        if utf8 is not None and _UTF8_THREE_BYTE.search(segment):
            parts.append(utf8)
            used.add("utf-8")
            continue
        text = _strict(segment, legacy, last)
        if text is not None:
            used.add(legacy)
        elif utf8 is not None:
            text = utf8
            used.add("utf-8")
        else:
            used.add("replace")
            text = min(
                (segment.decode(c, "replace") for c in ("utf-8", legacy)),
                key=lambda t: t.count("\ufffd"),
            )
        parts.append(text)
    text = "".join(parts)
    if "replace" in used:
        return Decoded(text, legacy, "replace")
    if used == {legacy}:  # one encoding after all: only the cut end had stopped it
        return Decoded(text, legacy, legacy_source)
    if used == {"utf-8"}:
        return Decoded(text, "utf-8", "utf-8")
    return Decoded(text, f"utf-8+{legacy}", "mixed")


def _detect(body: bytes) -> Decoded | None:
    try:
        detector = importlib.import_module("charset_normalizer")
    except ImportError:
        return None
    try:
        best = detector.from_bytes(body).best()
    except Exception:  # an optional helper must never break decoding
        return None
    if best is None:
        return None
    codec = normalize_encoding(str(best.encoding)) or str(best.encoding)
    text = _strict(body, codec)
    return None if text is None else Decoded(text, codec, "detected")
