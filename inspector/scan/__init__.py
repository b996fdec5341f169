"""The scanner: a polite async crawl of a sample's websites that turns what pages show into hints.

Callers (the CLI, the desktop app, bench scripts) use only the names below; the modules behind
them (``fetch``, ``decode``, ``dates``, ``pages``, ``detectors``, ``crawl``, ``output``) are free
to change. The caller builds the HTTP clients and hands a :class:`Fetcher` in, so tests and the
app decide transport, limits and TLS policy::

    fetcher = Fetcher(make_client(), FetchLimits(per_host=4), insecure_client=make_client(verify=False))
    scans = await scan_targets(targets, fetcher, profile=profile, as_of=as_of, on_event=print)
    write_json("scan.json", as_of, scans)
"""

from inspector.scan.crawl import (
    EVENT_KINDS,
    MAX_COLUMNS,
    MAX_LINKS,
    ScanEvent,
    scan_target,
    scan_targets,
)
from inspector.scan.decode import Decoded, decode_html
from inspector.scan.fetch import Fetcher, FetchLimits, FetchStats, make_client
from inspector.scan.model import (
    ColumnRef,
    ColumnReport,
    ColumnState,
    FetchError,
    FetchResult,
    HomePage,
    Link,
    ListItem,
    ListPage,
    TargetScan,
)
from inspector.scan.output import hint_json, store_scans, target_json, to_json, write_json

__all__ = [
    "EVENT_KINDS",
    "MAX_COLUMNS",
    "MAX_LINKS",
    "ColumnRef",
    "ColumnReport",
    "ColumnState",
    "Decoded",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "FetchStats",
    "Fetcher",
    "HomePage",
    "Link",
    "ListItem",
    "ListPage",
    "ScanEvent",
    "TargetScan",
    "decode_html",
    "hint_json",
    "make_client",
    "scan_target",
    "scan_targets",
    "store_scans",
    "target_json",
    "to_json",
    "write_json",
]
