"""A scan's results as the public JSON (product.md, "Scan output") and as findings-file hints.

The JSON is a contract other tools read, so its shape is built in one place, from the scan's
plain types, with dates as ISO strings and states and kinds as their string values. Two keys are
added to each target beyond the documented example, compatibly: ``key`` (the target's stable key,
so the JSON can be joined to a findings file) and ``kind`` (``website`` / ``new_media``).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from inspector.scan.model import ColumnReport, TargetScan
from inspector.store import FindingsFile, Hint
from inspector.targets import Kind, Target

__all__ = ["hint_json", "store_scans", "target_json", "to_json", "write_json"]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def hint_json(hint: Hint) -> dict[str, Any]:
    """One hint: what is at fault (``url``), the page that shows it, why, and its indicator."""
    return {
        "kind": hint.kind,
        "url": hint.url,
        "found_on": hint.found_on,
        "detail": hint.detail,
        "indicator": hint.indicator,
    }


def _column_json(column: ColumnReport) -> dict[str, Any]:
    return {
        "name": column.name,
        "url": column.url,
        "latest": _iso(column.latest),
        "items": column.items,
        "state": str(column.state),
        "kind": column.kind,
    }


def target_json(scan: TargetScan) -> dict[str, Any]:
    """One ``targets[]`` entry: websites carry ``columns``, accounts ``platform`` and
    ``latest_post`` instead."""
    entry: dict[str, Any] = {
        "key": scan.key,
        "kind": scan.kind,
        "name": scan.name,
        "url": scan.url,
        "reachable": scan.reachable,
        "status": scan.status,
        "elapsed_ms": scan.elapsed_ms,
    }
    if scan.kind == Kind.NEW_MEDIA:
        entry["platform"] = scan.platform
        entry["latest_post"] = _iso(scan.latest_post)
    else:
        entry["columns"] = [_column_json(c) for c in scan.columns]
    entry["hints"] = [hint_json(h) for h in scan.hints]
    return entry


def to_json(as_of: date, scans: Sequence[TargetScan]) -> dict[str, Any]:
    """The whole scan output: the monitoring point and one entry per target, in input order."""
    return {"as_of": as_of.isoformat(), "targets": [target_json(s) for s in scans]}


def write_json(path: str | os.PathLike[str], as_of: date, scans: Sequence[TargetScan]) -> Path:
    """Write the scan output as UTF-8 JSON, atomically: a reader never sees half a file, and an
    existing file is only replaced once the new one is complete on disk."""
    target = Path(path)
    text = json.dumps(to_json(as_of, scans), ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _target_of(scan: TargetScan) -> Target:
    kind = Kind.NEW_MEDIA if scan.kind == Kind.NEW_MEDIA else Kind.WEBSITE
    return Target(
        key=scan.key,
        kind=kind,
        name=scan.name,
        url=scan.url or None,
        platform=scan.platform if kind is Kind.NEW_MEDIA else None,
    )


def store_scans(
    findings: FindingsFile,
    scans: Sequence[TargetScan],
    *,
    source: str,
    as_of: date | None = None,
) -> int:
    """Store every target's hints in a findings file; returns how many hints the file now holds
    from this call (hints already stored by an earlier identical scan are not duplicated).

    A target the file does not know yet (a scan of a list the file was not made from) is added
    first, through the file's audited ``add_targets``. ``as_of`` fills hints that carry no date.
    """
    known = {t.key for t in findings.targets()}
    missing = [_target_of(s) for s in scans if s.key not in known]
    if missing:
        findings.add_targets(missing, who=source or "scan")
    stored = 0
    for scan in scans:
        hints = [
            replace(h, as_of=as_of.isoformat()) if h.as_of is None and as_of is not None else h
            for h in scan.hints
        ]
        if hints:
            stored += len(findings.add_hints(scan.key, hints, source=source))
    return stored
