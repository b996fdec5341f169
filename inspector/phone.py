"""Phone screenshots brought in as a folder: which account each is of, and when it was taken.

Issue 6 item 5. Inspectors check accounts on a phone and copy the screenshots to the laptop in
one go; the file names usually carry the account's name or id (``江屿教育-菜单.jpg``,
``jiangyujiaoyu_1.png``). :func:`match_files` assigns each file to the account it names, leaving
the rest for the inspector to choose by hand. :func:`exif_taken_at` reads the EXIF
``DateTimeOriginal`` a phone camera or screenshot tool writes into a JPEG, with the standard
library only (no imaging dependency); the file's modification time is recorded beside it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from inspector.targets import Kind, Target

__all__ = ["IMAGE_SUFFIXES", "PhoneMatch", "exif_taken_at", "image_files", "match_files"]

#: The files a folder import looks at (content is checked again when each is read).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})
# Names shorter than this match too much by accident ("江屿" is in every demo account's name).
_MIN_TOKEN = 3
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME = 0x0132


@dataclass(frozen=True)
class PhoneMatch:
    """The import plan: files matched to account keys, and the files left to choose by hand."""

    matched: dict[str, list[Path]]
    unmatched: list[Path]


def image_files(folder: Path) -> list[Path]:
    """The image files directly in a folder, by name."""
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
        key=lambda p: p.name,
    )


def _score(target: Target, stem: str) -> tuple[int, int]:
    """How well a file name names an account: an id beats a name, then the longer one."""
    ident = (target.account_id or "").strip().casefold()
    if len(ident) >= _MIN_TOKEN and ident in stem:
        return (2, len(ident))
    name = target.name.strip().casefold()
    if len(name) >= _MIN_TOKEN and name in stem:
        return (1, len(name))
    return (0, 0)


def match_files(paths: Iterable[Path], targets: Sequence[Target]) -> PhoneMatch:
    """Match each file to the account whose id or name its file name contains.

    An account id (unique on its platform) beats a name, and a longer name a shorter one
    (``江屿教育厅`` over ``江屿教育``); a file whose best match is shared by two accounts, or that
    matches none, is left for the inspector.
    """
    accounts = [t for t in targets if t.kind == Kind.NEW_MEDIA]
    matched: dict[str, list[Path]] = {}
    unmatched: list[Path] = []
    for path in paths:
        stem = path.stem.casefold()
        scores = {t.key: _score(t, stem) for t in accounts}
        top = max(scores.values(), default=(0, 0))
        winners = [key for key, score in scores.items() if score == top]
        if top > (0, 0) and len(winners) == 1:
            matched.setdefault(winners[0], []).append(path)
        else:
            unmatched.append(path)
    return PhoneMatch(matched, unmatched)


def exif_taken_at(data: bytes) -> datetime | None:
    """A JPEG's EXIF ``DateTimeOriginal`` (else ``DateTime``), naive local time as the phone
    wrote it; None for other formats, no EXIF or an unreadable one."""
    try:
        tiff = _exif_block(data)
        if tiff is None:
            return None
        order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
        if order is None:
            return None
        ifd0 = _ifd(tiff, order, struct.unpack_from(order + "I", tiff, 4)[0])
        text = None
        if _EXIF_IFD in ifd0:
            text = _ifd(tiff, order, ifd0[_EXIF_IFD][1]).get(_DATETIME_ORIGINAL)
        text = text or ifd0.get(_DATETIME)
        if text is None:
            return None
        raw = _ascii(tiff, order, text)
        return datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (struct.error, ValueError, IndexError):
        return None


def _exif_block(data: bytes) -> bytes | None:
    """The TIFF structure inside a JPEG's APP1 ``Exif`` segment."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no EXIF before the pixels
            return None
        length = struct.unpack_from(">H", data, at + 2)[0]
        if marker == 0xE1 and data[at + 4 : at + 10] == b"Exif\x00\x00":
            return data[at + 10 : at + 2 + length]
        at += 2 + length
    return None


def _ifd(tiff: bytes, order: str, offset: int) -> dict[int, tuple[int, int]]:
    """An IFD's entries: tag -> (count, value or offset)."""
    count = struct.unpack_from(order + "H", tiff, offset)[0]
    entries = {}
    for i in range(count):
        tag, _kind, number, value = struct.unpack_from(order + "HHII", tiff, offset + 2 + 12 * i)
        entries[tag] = (number, value)
    return entries


def _ascii(tiff: bytes, order: str, entry: tuple[int, int]) -> str:
    number, value = entry
    # Up to four bytes sit in the entry itself; longer values at an offset into the TIFF.
    raw = struct.pack(order + "I", value)[:number] if number <= 4 else tiff[value : value + number]
    return raw.decode("ascii")
