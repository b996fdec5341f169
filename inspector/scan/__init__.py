"""The scanner: a polite async crawl of a sample's websites that turns what pages show into hints.

Callers (the CLI, the desktop app, bench scripts) use only the names below; the modules behind
them (``fetch``, ``decode``, ``dates``, ``pages``, ``accounts``, ``detectors``, ``crawl``,
``output``) are free to change. The caller builds the HTTP clients and hands a
:class:`Fetcher` in, so tests and the app decide transport, limits and TLS policy::

    fetcher = Fetcher(make_client(), FetchLimits(per_host=4), insecure_client=make_client(verify=False))
    scans = await scan_targets(targets, fetcher, profile=profile, as_of=as_of, on_event=print)
    write_json("scan.json", as_of, scans)
"""

from inspector.scan.accounts import (
    PostDate,
    account_hints,
    function_markers,
    function_markers_of,
    latest_post,
    resolve_time,
)
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
    "PostDate",
    "ScanEvent",
    "TargetScan",
    "account_hints",
    "decode_html",
    "function_markers",
    "function_markers_of",
    "hint_json",
    "latest_post",
    "make_client",
    "resolve_time",
    "scan_target",
    "scan_targets",
    "store_scans",
    "target_json",
    "to_json",
    "write_json",
]
