"""The store's half of ``inspector merge``: bring one inspector's file into a quarter file.

It lives beside the schema because it is written in the schema's terms: whole tables are copied
with ``INSERT … SELECT`` from the source file attached read-only, so evidence blobs travel from
file to file inside SQLite, one row at a time, never all in memory, and each blob copied is
re-hashed, on another core while SQLite copies it, before the file's import commits (a blob whose
SHA-256 or size does not match refuses the whole file: nothing is dropped, nothing unverified is
carried).

What makes merging safe to repeat and indifferent to order:

* Every judgement is kept as its inspector made it in ``result_sources`` (deduplicated), and the
  result of an indicator is a function of that set alone (:func:`decide`): per inspector the
  latest judgement counts; when the inspectors who judged it agree the latest wins; when they
  disagree a conflict is recorded and, until the coordinator resolves it, the latest stands.
* Targets, hints, probes and evidence are deduplicated by content; ``provenance`` records which
  file brought each, and ``source_audit`` keeps each file's own audit trail.
* Nothing is written, and no audit row added, when a file brings nothing new.

The output is built in a scratch file (no journal on disk, no fsync on the build's path, larger
pages when it is new, foreign keys checked per input and over the finished file rather than row
by row): the caller moves it into place only when it is complete and synced, which is what makes
the merge atomic.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from inspector.store.records import (
    _TARGET_COLUMNS,
    Conflict,
    _row_conflict,
    _row_target_values,
    _target_params,
)
from inspector.store.schema import (
    REQUIRED_INFO,
    DamagedFileError,
    FindingsError,
    NotFindingsFileError,
    check_header,
    damaged_message,
    not_findings_message,
    recognise,
)

__all__ = [
    "QuarterBuilder",
    "SourceFacts",
    "SourceStats",
    "check_source_pages",
    "decide",
    "read_source_facts",
]

#: file_info key marking a merged quarter file (value ``quarter``).
ROLE_KEY = "role"
QUARTER_ROLE = "quarter"

_RESULT_COLUMNS = ("state", "note", "inspector", "updated_at", "from_hint", "deduction", "count")
_HINT_RANK = "CASE {0} WHEN 'confirmed' THEN 2 WHEN 'dismissed' THEN 1 ELSE 0 END"
_HINT_ACTIONS = {"confirmed": "confirm_hint", "dismissed": "dismiss_hint"}
_BATCH = 2000
#: Page size of a quarter file the merge creates. SQLite moves evidence page by page: 32 KiB
#: pages are an eighth as many pages to write as the default 4 KiB (bench/merge: 4 KiB pages
#: cost the copy a third more; 8, 16 and 64 KiB measured between the two or no better).
_PAGE_SIZE = 32768
#: How much of an input SQLite maps into memory rather than reading page by page with a system
#: call each (a third less CPU for the evidence copy). Mapped pages are the OS's file cache, but
#: they count in the process's resident size, hence a cap.
_SOURCE_MMAP = 128 << 20


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- reading a source without touching it -----------------------------------------------------


@dataclass(frozen=True)
class SourceFacts:
    """What a merge needs to know about an input before it imports anything."""

    path: Path
    schema_version: int
    info: Mapping[str, str]
    merged_sources: int

    @property
    def inspector(self) -> str:
        return self.info.get("inspector", "")

    @property
    def created_at(self) -> str:
        return self.info.get("created_at", "")

    @property
    def quarter(self) -> str:
        return self.info.get("quarter", "")

    @property
    def profile_id(self) -> str:
        return self.info.get("profile_id", "")

    @property
    def is_quarter_file(self) -> bool:
        """A merged quarter file, rather than one inspector's."""
        return self.info.get(ROLE_KEY) == QUARTER_ROLE or self.merged_sources > 0


def _read_only_uri(path: Path, *, immutable: bool = False) -> str:
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def source_uri(path: Path) -> str:
    """A read-only URI for ``path``.

    Without a WAL beside it nobody is writing the file, so it is read as immutable: SQLite then
    creates no ``-wal``/``-shm`` files next to an inspector's file (nor fails on read-only
    media). With a WAL (the app was killed, or is running) the file is read normally, so the
    changes still in the WAL are merged too.
    """
    return _read_only_uri(path, immutable=_settled(path))


def _settled(path: Path) -> bool:
    """No WAL beside the file: nobody is writing it."""
    return not Path(f"{path}-wal").exists()


def read_source_facts(path: Path, *, check_pages: bool = True) -> SourceFacts:
    """Recognise ``path`` as a findings file this program can merge, without writing to it.

    Raises FindingsError (or a subclass) for a missing, foreign, damaged or newer file, and for
    a file missing its quarter, inspector, profile or creation time. ``check_pages=False`` leaves
    out the page-by-page and reference checks (:func:`check_source_pages`), for a caller that
    runs them apart.
    """
    check_header(path)
    try:
        conn = sqlite3.connect(source_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise FindingsError(f"无法打开文件 / cannot open file: {path} ({exc})") from exc
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        version = recognise(conn, path)
        if check_pages:
            _quick_check(conn, path)
            _check_references(conn, path)
        info = dict(conn.execute("SELECT key, value FROM file_info").fetchall())
        merged = 0
        if version >= 3:
            merged = int(conn.execute("SELECT count(*) FROM sources").fetchone()[0])
    except sqlite3.OperationalError as exc:
        raise FindingsError(f"无法读取文件 / cannot read file: {path} ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(damaged_message(path, str(exc))) from exc
    finally:
        conn.close()
    missing = [key for key in REQUIRED_INFO if not info.get(key)]
    if missing:
        raise NotFindingsFileError(
            not_findings_message(path, f"文件信息缺少 / file_info lacks {', '.join(missing)}")
        )
    return SourceFacts(path=path, schema_version=version, info=info, merged_sources=merged)


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    # quick_check rather than integrity_check: it still reads every page of the file (b-tree
    # structure, free list, the overflow chains holding the evidence blobs, record formats, NOT
    # NULL and CHECK constraints) but skips verifying that each index matches its table and that
    # UNIQUE constraints hold, which costs a lookup per row per index. The trade-off is safe
    # here: the merge reads the tables (an index out of step can at worst make a lookup miss,
    # and the quarter file's own constraints refuse duplicates), and every blob is re-hashed on
    # its way in.
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise DamagedFileError(damaged_message(path, "; ".join(problems)))


def _check_references(conn: sqlite3.Connection, path: Path) -> None:
    # The quarter file is built without SQLite enforcing foreign keys row by row (the lookups
    # would be on the build's critical path): instead every input is checked here, beside the
    # build, so a file whose rows point at nothing is refused by name, and the finished quarter
    # file is checked as a whole (QuarterBuilder.finish).
    broken = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
    if broken:
        listed = "; ".join(f"{table} #{rowid} → {parent}" for table, rowid, parent, _ in broken)
        raise DamagedFileError(damaged_message(path, f"引用断裂 / broken references: {listed}"))


def check_source_pages(path: Path) -> None:
    """SQLite's quick_check and foreign-key check of an input, read-only; DamagedFileError
    names what is wrong."""
    try:
        conn = sqlite3.connect(source_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise FindingsError(f"无法打开文件 / cannot open file: {path} ({exc})") from exc
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        _quick_check(conn, path)
        _check_references(conn, path)
    except sqlite3.OperationalError as exc:
        raise FindingsError(f"无法读取文件 / cannot read file: {path} ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(damaged_message(path, str(exc))) from exc
    finally:
        conn.close()


# --- deciding a result from its judgements ----------------------------------------------------


@dataclass(frozen=True)
class Judged:
    """One row of ``result_sources``: a judgement as its inspector made it."""

    inspector: str
    updated_at: str
    state: str
    note: str
    deduction: str | None
    count: int | None
    from_hint: int | None = None

    @property
    def verdict(self) -> tuple[str, str | None, int | None]:
        """What must agree between inspectors: the state and the points it carries."""
        return (self.state, self.deduction, self.count)

    def candidate(self) -> dict[str, Any]:
        return {
            "inspector": self.inspector,
            "updated_at": self.updated_at,
            "state": self.state,
            "note": self.note,
            "deduction": self.deduction,
            "count": self.count,
        }

    def result(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "note": self.note,
            "inspector": self.inspector,
            "updated_at": self.updated_at,
            "from_hint": self.from_hint,
            "deduction": self.deduction,
            "count": self.count,
        }


def _moment(text: str) -> float:
    """Seconds since the epoch; times from laptops in other offsets compare correctly."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return float("-inf")
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.timestamp()


def _order(j: Judged) -> tuple[Any, ...]:
    # A total order, so the choice never depends on which file was merged first.
    return (
        _moment(j.updated_at),
        j.updated_at,
        j.inspector,
        j.state,
        j.note,
        j.deduction or "",
        -1 if j.count is None else j.count,
        -1 if j.from_hint is None else j.from_hint,
    )


@dataclass(frozen=True)
class Decision:
    """The result an indicator should hold, and the disagreeing candidates if any."""

    result: Mapping[str, Any]
    candidates: tuple[Mapping[str, Any], ...] | None


def candidates_text(candidates: Iterable[Mapping[str, Any]]) -> str:
    """The canonical JSON of a candidate set, so equal sets compare equal as text."""
    ordered = sorted(candidates, key=lambda c: json.dumps(c, sort_keys=True, ensure_ascii=False))
    return json.dumps(ordered, ensure_ascii=False, sort_keys=True)


def decide(judgements: Sequence[Judged], resolution: Mapping[str, Any] | None = None) -> Decision:
    """The result of one indicator from every judgement merged for it.

    Per inspector only the latest judgement counts (a later copy of their file supersedes the
    earlier). If those agree on state, points and occurrences, the latest of them is the result.
    If not, it is a conflict: ``resolution`` (the coordinator's choice for exactly this set of
    candidates) is the result when given, else the latest candidate.
    """
    if not judgements:
        raise ValueError("no judgements to decide from")
    latest: dict[str, list[Judged]] = {}
    for j in judgements:
        mine = latest.setdefault(j.inspector, [])
        if not mine or _moment(j.updated_at) > _moment(mine[0].updated_at):
            latest[j.inspector] = [j]
        elif _moment(j.updated_at) == _moment(mine[0].updated_at):
            mine.append(j)
    current = [j for group in latest.values() for j in group]
    winner = max(current, key=_order)
    if len({j.verdict for j in current}) == 1:
        return Decision(winner.result(), None)
    candidates = tuple(
        json.loads(candidates_text([j.candidate() for j in current]))  # canonical order
    )
    return Decision(dict(resolution) if resolution else winner.result(), candidates)


# --- building the quarter file ----------------------------------------------------------------


@dataclass
class SourceStats:
    """What one input brought to the quarter file."""

    file_name: str
    inspector: str
    targets: int = 0
    targets_differing: list[str] = field(default_factory=list)
    hints: int = 0
    probes: int = 0
    evidence: int = 0
    evidence_bytes: int = 0
    judgements: int = 0
    results_changed: int = 0
    conflicts_opened: int = 0
    audit_rows: int = 0

    @property
    def added_anything(self) -> bool:
        return any(
            (
                self.targets,
                self.hints,
                self.probes,
                self.evidence,
                self.judgements,
                self.results_changed,
                self.audit_rows,
            )
        )


class EvidenceMismatch(FindingsError):
    """An evidence blob in an input does not match its stored SHA-256 or size."""


def _large_pages(conn: sqlite3.Connection) -> None:
    """Give a quarter file just created (schema only, so VACUUM is instant) larger pages.

    Any SQLite reads any page size; a file the app created keeps the default.
    """
    conn.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
    conn.execute("VACUUM")


@lru_cache(maxsize=256)  # most targets carry the same few ``extra`` values, often just {}
def _canonical_json(text: str | None) -> str | None:
    """A target's ``extra`` as the app writes it, so a copied target is stored as an added one."""
    return _json(json.loads(text or "{}"))


def _target_json_sql(alias: str) -> str:
    """SQL building a target's JSON for the audit log: the keys and values :func:`_json` writes."""
    parts = []
    for column in sorted(_TARGET_COLUMNS):
        value = f"{alias}.{column}"
        if column in ("is_portal", "no_public_services"):
            value = f"json(CASE WHEN {value} THEN 'true' ELSE 'false' END)"
        elif column == "extra":
            value = f"json(inspector_json({value}))"
        parts.append(f"'{column}', {value}")
    return f"json_object({', '.join(parts)})"


_TARGET_JSON = _target_json_sql("s")


def _mismatch_message(evidence_id: int, digest: str, size: int) -> str:
    return (
        f"证据 #{evidence_id} 的哈希或大小不符 / evidence #{evidence_id} does not match "
        f"its SHA-256 or size (stored {size} bytes, {digest[:16]}…)"
    )


def _first_mismatch(path: Path, ids: Sequence[int]) -> str | None:
    """Re-hash the evidence ``ids`` of the input at ``path`` on a connection of its own: the
    first blob that does not match its SHA-256 or size, or is missing, in id order.

    Runs on another core while the builder's connection copies the same rows (ids are never
    reused, and a capture is never rewritten in place, so both read the same bytes); hashlib
    and SQLite both let go of the GIL, so the check costs the copy nothing.
    """
    conn = sqlite3.connect(source_uri(path), uri=True, isolation_level=None)
    try:
        rows = conn.execute(
            "SELECT id, content, sha256, size FROM evidence"
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(list(ids)),),
        )
        found = 0
        for evidence_id, content, digest, size in rows:
            found += 1
            if (
                not isinstance(content, bytes)
                or len(content) != size
                or hashlib.sha256(content).hexdigest() != digest
            ):
                return _mismatch_message(evidence_id, digest, size)
    finally:
        conn.close()
    if found != len(ids):
        return "证据在合并期间被删除 / evidence was removed from the file during the merge"
    return None


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows flushes only a handle open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class QuarterBuilder:
    """A scratch copy of the quarter file being built, open for bulk imports.

    The connection runs with the journal in memory and without fsync: the file is not the real
    output until :meth:`finish` has made it durable and the caller has renamed it into place.
    """

    def __init__(self, path: Path, *, who: str, now: Callable[[], str], new: bool = False) -> None:
        self.path = path
        self.who = who
        self._now = now
        # Re-hashes each input's new evidence on another core while the copy runs.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-sha256")
        self._checking: Future[str | None] | None = None
        self._syncs: list[Future[None]] = []
        conn = sqlite3.connect(path.resolve().as_uri(), uri=True, isolation_level=None)
        conn.row_factory = sqlite3.Row
        # Foreign keys are checked per input beside the build (check_source_pages) and over the
        # whole file in finish(), not row by row here.
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # a scratch file: nobody else reads it
        conn.execute("PRAGMA temp_store = MEMORY")
        if new:
            _large_pages(conn)
        # 32 MiB, set once the page size is final (SQLite turns it into a count of pages):
        # room for the index pages being written; blob pages pass through (64 and 128 MiB
        # measured slower on bench/merge).
        conn.execute("PRAGMA cache_size = -32768")
        conn.create_function("inspector_json", 1, _canonical_json, deterministic=True)
        self._conn: sqlite3.Connection | None = conn

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise FindingsError(f"合并已结束 / the merge is closed: {self.path}")
        return self._conn

    # --- file_info ---------------------------------------------------------------------------

    def info(self) -> dict[str, str]:
        return dict(self._live().execute("SELECT key, value FROM file_info").fetchall())

    def set_info(self, values: Mapping[str, str]) -> None:
        """Add file_info keys the quarter file lacks (sampling facts), audited."""
        conn = self._live()
        have = self.info()
        new = {k: v for k, v in values.items() if k not in have}
        if not new:
            return
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO file_info (key, value) VALUES (?, ?)", new.items())
        self._audit(conn, action="set_info", new=new)
        conn.execute("COMMIT")

    # --- one source --------------------------------------------------------------------------

    def import_source(self, facts: SourceFacts) -> SourceStats:
        """Merge one inspector's file; all of it or, on any error, none of it."""
        conn = self._live()
        stats = SourceStats(facts.path.name, facts.inspector)
        conn.execute("ATTACH DATABASE ? AS src", (source_uri(facts.path),))
        if _settled(facts.path):  # a file being written could shrink under the mapping
            conn.execute(f"PRAGMA src.mmap_size = {_SOURCE_MMAP}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._import(conn, facts, stats)
                problem = self._checking.result() if self._checking is not None else None
                if problem is not None:
                    raise EvidenceMismatch(
                        f"{facts.path}: {problem}; 该文件未合并 / the file was not merged"
                    )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            # The file's pages go to disk in the background while the next file is merged, so
            # the one fsync that makes the quarter file durable (finish) has little left to do.
            self._syncs.append(self._pool.submit(_sync_file, self.path))
        except sqlite3.Error as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise FindingsError(f"合并失败 / merge failed on {facts.path}: {exc}") from exc
            raise DamagedFileError(damaged_message(facts.path, str(exc))) from exc
        finally:
            if self._checking is not None:
                self._checking.cancel()
                self._checking = None
            conn.execute("DETACH DATABASE src")
        return stats

    def _import(self, conn: sqlite3.Connection, facts: SourceFacts, stats: SourceStats) -> None:
        at = self._now()
        source_id, existed = self._source(conn, facts, at)
        reason = f"合并自 / merged from {facts.path.name}"
        self._targets(conn, source_id, stats, reason)
        self._hints(conn, source_id, stats, reason)
        self._probes(conn, source_id, stats)
        self._menu_items(conn, facts)  # before evidence, which may point at them
        self._evidence(conn, facts, source_id, stats)
        self._source_audit(conn, source_id, stats)
        self._judgements(conn, facts, source_id, at, stats, reason)
        self._account_facts(conn, facts)
        if not stats.added_anything:
            if not existed:  # a file with nothing in it: still worth naming as merged
                self._audit(conn, action="merge_file", new=self._summary(facts, stats))
            return
        conn.execute(
            "UPDATE sources SET file_name = ?, last_merged_at = ?, merged_by = ? WHERE id = ?",
            (facts.path.name, at, self.who, source_id),
        )
        self._audit(conn, action="merge_file", new=self._summary(facts, stats))

    @staticmethod
    def _account_facts(conn: sqlite3.Connection, facts: SourceFacts) -> None:
        """Accounts' latest post and interaction (schema 4): the latest record of each wins.

        Ties on the time go to the greater inspector name, so any order of inputs gives the same
        file. Files from before schema 4 have none. The change itself is in the inspector's own
        audit trail, kept in ``source_audit``.
        """
        if facts.schema_version < 4:
            return
        conn.execute(
            "INSERT INTO main.account_facts (target_key, latest_post, latest_post_source,"
            " interaction, inspector, updated_at) SELECT target_key, latest_post,"
            " latest_post_source, interaction, inspector, updated_at FROM src.account_facts"
            " WHERE true ORDER BY target_key, updated_at, inspector"
            " ON CONFLICT (target_key) DO UPDATE SET latest_post = excluded.latest_post,"
            " latest_post_source = excluded.latest_post_source,"
            " interaction = excluded.interaction, inspector = excluded.inspector,"
            " updated_at = excluded.updated_at"
            " WHERE (excluded.updated_at, excluded.inspector)"
            " > (account_facts.updated_at, account_facts.inspector)"
        )

    @staticmethod
    def _menu_items(conn: sqlite3.Connection, facts: SourceFacts) -> None:
        """Accounts' menu items (schema 5), by id: the latest record of each wins, a removal
        included, so an item edited in two files ends as last edited; ties on the time go to the
        greater inspector name, so any order of inputs gives the same file. The ids are random,
        so items two inspectors each typed stay two items."""
        if facts.schema_version < 5:
            return
        columns = (
            "id, target_key, position, name, url, status, marker, note, removed, inspector,"
            " updated_at"
        )
        changed = ", ".join(f"{c} = excluded.{c}" for c in columns.split(", ")[1:])
        conn.execute(
            f"INSERT INTO main.menu_items ({columns}) SELECT {columns} FROM src.menu_items"
            " WHERE true ORDER BY id, updated_at, inspector"
            f" ON CONFLICT (id) DO UPDATE SET {changed}"
            " WHERE (excluded.updated_at, excluded.inspector)"
            " > (menu_items.updated_at, menu_items.inspector)"
        )

    @staticmethod
    def _summary(facts: SourceFacts, stats: SourceStats) -> dict[str, Any]:
        return {
            "file": facts.path.name,
            "inspector": facts.inspector,
            "created_at": facts.created_at,
            "targets": stats.targets,
            "hints": stats.hints,
            "probes": stats.probes,
            "evidence": stats.evidence,
            "judgements": stats.judgements,
            "results_changed": stats.results_changed,
            "conflicts_opened": stats.conflicts_opened,
        }

    def _source(self, conn: sqlite3.Connection, facts: SourceFacts, at: str) -> tuple[int, bool]:
        row = conn.execute(
            "SELECT id FROM sources WHERE inspector = ? AND created_at = ?",
            (facts.inspector, facts.created_at),
        ).fetchone()
        if row is not None:
            return int(row["id"]), True
        cursor = conn.execute(
            "INSERT INTO sources (inspector, created_at, file_name, quarter, profile_id,"
            " first_merged_at, last_merged_at, merged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                facts.inspector,
                facts.created_at,
                facts.path.name,
                facts.quarter,
                facts.profile_id,
                at,
                at,
                self.who,
            ),
        )
        return int(cursor.lastrowid or 0), False

    def _targets(
        self, conn: sqlite3.Connection, source_id: int, stats: SourceStats, reason: str
    ) -> None:
        # Targets both files list: compared in Python, one version kept by an order-free rule.
        have_columns = ", ".join(f"m.{c} AS have_{c}" for c in _TARGET_COLUMNS)
        rows = conn.execute(
            f"SELECT s.*, {have_columns} FROM src.targets AS s"
            " JOIN main.targets AS m ON m.key = s.key ORDER BY s.rowid"
        )
        for row in rows.fetchall():
            values = _row_target_values(row)
            old = {c: row[f"have_{c}"] for c in _TARGET_COLUMNS}
            old["is_portal"] = bool(old["is_portal"])
            old["no_public_services"] = bool(old["no_public_services"])
            old["extra"] = json.loads(old["extra"] or "{}")  # as _row_target_values reads it
            if old != values:
                stats.targets_differing.append(values["key"])
                # Two files list the target differently: keep one version by a rule that
                # does not depend on merge order (the larger canonical JSON).
                if (_json(values) or "") > (_json(old) or ""):
                    assignments = ", ".join(f"{c} = ?" for c in _TARGET_COLUMNS[1:])
                    conn.execute(
                        f"UPDATE main.targets SET {assignments} WHERE key = ?",
                        (*_target_params(values)[1:], values["key"]),
                    )
                    self._audit(
                        conn,
                        action="update_target",
                        target_key=values["key"],
                        old=old,
                        new=values,
                        reason=reason,
                    )
                    stats.targets += 1
        # Targets new to the quarter file (the usual case): copied in SQL with their audit rows.
        new = (
            " FROM src.targets AS s WHERE NOT EXISTS (SELECT 1 FROM main.targets AS m"
            " WHERE m.key = s.key) ORDER BY s.rowid"
        )
        conn.execute(
            "INSERT INTO main.audit_log (at, who, action, target_key, new_value, reason)"
            f" SELECT ?, ?, 'add_target', s.key, {_TARGET_JSON}, ?" + new,
            (self._now(), self.who, reason),
        )
        copied = ", ".join(
            "inspector_json(s.extra)" if c == "extra" else f"s.{c}" for c in _TARGET_COLUMNS
        )
        cursor = conn.execute(
            f"INSERT INTO main.targets ({', '.join(_TARGET_COLUMNS)}) SELECT {copied}" + new
        )
        stats.targets += max(cursor.rowcount, 0)
        conn.execute(
            "INSERT OR IGNORE INTO main.provenance (table_name, row_key, source_id, source_row)"
            " SELECT 'targets', key, ?, key FROM src.targets",
            (source_id,),
        )

    def _hints(
        self, conn: sqlite3.Connection, source_id: int, stats: SourceStats, reason: str
    ) -> None:
        same = (
            "h.target_key = s.target_key AND h.kind = s.kind AND h.indicator IS s.indicator"
            " AND h.url = s.url AND h.found_on = s.found_on AND h.detail = s.detail"
            " AND h.as_of IS s.as_of"
        )
        cursor = conn.execute(
            "INSERT INTO main.hints (target_key, kind, indicator, url, found_on, detail, as_of,"
            " found_at, status, source) SELECT s.target_key, s.kind, s.indicator, s.url,"
            " s.found_on, s.detail, s.as_of, s.found_at, s.status, s.source FROM src.hints AS s"
            f" WHERE NOT EXISTS (SELECT 1 FROM main.hints AS h WHERE {same}) ORDER BY s.id"
        )
        stats.hints = max(cursor.rowcount, 0)
        conn.execute("DROP TABLE IF EXISTS temp.hint_map")
        conn.execute("CREATE TEMP TABLE hint_map (src_id INTEGER PRIMARY KEY, main_id INTEGER)")
        conn.execute(
            "INSERT INTO temp.hint_map SELECT s.id,"
            f" (SELECT min(h.id) FROM main.hints AS h WHERE {same}) FROM src.hints AS s"
        )
        conn.execute(
            "INSERT OR IGNORE INTO main.provenance (table_name, row_key, source_id, source_row)"
            " SELECT 'hints', CAST(main_id AS TEXT), ?, CAST(src_id AS TEXT) FROM temp.hint_map",
            (source_id,),
        )
        # A hint confirmed in one file and dismissed in another: the more decided status wins,
        # confirmed over dismissed over open, whatever the order of merging.
        raised = conn.execute(
            "SELECT h.id, h.target_key, h.indicator, h.status AS old, s.status AS new"
            " FROM temp.hint_map AS m CROSS JOIN src.hints AS s ON s.id = m.src_id"
            " CROSS JOIN main.hints AS h ON h.id = m.main_id"
            f" WHERE {_HINT_RANK.format('s.status')} > {_HINT_RANK.format('h.status')}"
        ).fetchall()
        for row in raised:
            conn.execute("UPDATE main.hints SET status = ? WHERE id = ?", (row["new"], row["id"]))
            self._audit(
                conn,
                action=_HINT_ACTIONS[row["new"]],
                target_key=row["target_key"],
                indicator_id=row["indicator"],
                old={"hint": row["id"], "status": row["old"]},
                new={"hint": row["id"], "status": row["new"]},
                reason=reason,
            )
            stats.hints += 1

    def _probes(self, conn: sqlite3.Connection, source_id: int, stats: SourceStats) -> None:
        cursor = conn.execute(
            "INSERT OR IGNORE INTO main.probes (target_key, url, probed_at, ok, outcome,"
            " status_code, elapsed_ms, error) SELECT target_key, url, probed_at, ok, outcome,"
            " status_code, elapsed_ms, error FROM src.probes ORDER BY id"
        )
        stats.probes = max(cursor.rowcount, 0)
        conn.execute(
            "INSERT OR IGNORE INTO main.provenance (table_name, row_key, source_id, source_row)"
            " SELECT 'probes', CAST(p.id AS TEXT), ?, CAST(s.id AS TEXT) FROM src.probes AS s"
            " CROSS JOIN main.probes AS p ON p.target_key = s.target_key AND p.url = s.url"
            " AND p.probed_at = s.probed_at",
            (source_id,),
        )

    def _evidence(
        self, conn: sqlite3.Connection, facts: SourceFacts, source_id: int, stats: SourceStats
    ) -> None:
        path = facts.path
        tied = facts.schema_version >= 5  # evidence may show one menu item (schema 5)
        same = (
            "e.target_key = s.target_key AND e.sha256 = s.sha256 AND e.kind = s.kind"
            " AND e.indicator_id IS s.indicator_id"
            + (" AND e.menu_item IS s.menu_item" if tied else " AND e.menu_item IS NULL")
        )
        conn.execute("DROP TABLE IF EXISTS temp.new_evidence")
        conn.execute("CREATE TEMP TABLE new_evidence (src_id INTEGER PRIMARY KEY)")
        # Decided first, from metadata only: an INSERT whose SELECT also read main.evidence
        # would make SQLite stage every blob in a temporary table.
        conn.execute(
            "INSERT INTO temp.new_evidence SELECT s.id FROM src.evidence AS s"
            f" WHERE NOT EXISTS (SELECT 1 FROM main.evidence AS e WHERE {same})"
        )
        ids = [row[0] for row in conn.execute("SELECT src_id FROM temp.new_evidence")]
        self._checking = self._pool.submit(_first_mismatch, path, ids)  # waited for at COMMIT
        columns = (
            "target_key, indicator_id, kind, mime, filename, url, captured_at, inspector,"
            " sha256, size, note, " + ("menu_item, " if tied else "") + "content"
        )
        cursor = conn.execute(
            f"INSERT INTO main.evidence ({columns}) SELECT {columns} FROM src.evidence"
            " WHERE id IN (SELECT src_id FROM temp.new_evidence) ORDER BY id"
        )
        stats.evidence = max(cursor.rowcount, 0)
        stats.evidence_bytes = int(
            conn.execute(
                "SELECT ifnull(sum(size), 0) FROM src.evidence"
                " WHERE id IN (SELECT src_id FROM temp.new_evidence)"
            ).fetchone()[0]
        )
        conn.execute(
            "INSERT OR IGNORE INTO main.provenance (table_name, row_key, source_id, source_row)"
            " SELECT 'evidence', CAST(e.id AS TEXT), ?, CAST(s.id AS TEXT)"
            f" FROM src.evidence AS s CROSS JOIN main.evidence AS e ON {same}",
            (source_id,),
        )

    def _source_audit(self, conn: sqlite3.Connection, source_id: int, stats: SourceStats) -> None:
        cursor = conn.execute(
            "INSERT OR IGNORE INTO main.source_audit (source_id, source_row, at, who, action,"
            " target_key, indicator_id, old_value, new_value, reason, undoes)"
            " SELECT ?, id, at, who, action, target_key, indicator_id, old_value, new_value,"
            " reason, undoes FROM src.audit_log ORDER BY id",
            (source_id,),
        )
        stats.audit_rows = max(cursor.rowcount, 0)

    def _judgements(
        self,
        conn: sqlite3.Connection,
        facts: SourceFacts,
        source_id: int,
        at: str,
        stats: SourceStats,
        reason: str,
    ) -> None:
        # Schema-1 files have no points or occurrences on their results.
        deduction, count = (
            ("s.deduction", "s.count") if facts.schema_version >= 2 else ("NULL", "NULL")
        )
        hint = "(SELECT m.main_id FROM temp.hint_map AS m WHERE m.src_id = s.from_hint)"
        # Indicators nobody had judged before (the usual case: each target has one inspector):
        # the file's result is the result, copied with its audit row straight from the file.
        conn.execute("DROP TABLE IF EXISTS temp.fresh")
        conn.execute(
            "CREATE TEMP TABLE fresh (target_key TEXT NOT NULL, indicator_id TEXT NOT NULL,"
            " PRIMARY KEY (target_key, indicator_id)) WITHOUT ROWID"
        )
        conn.execute(
            "INSERT INTO temp.fresh SELECT s.target_key, s.indicator_id FROM src.results AS s"
            " WHERE NOT EXISTS (SELECT 1 FROM main.result_sources AS r"
            " WHERE r.target_key = s.target_key AND r.indicator_id = s.indicator_id)"
            " AND NOT EXISTS (SELECT 1 FROM main.results AS c"
            " WHERE c.target_key = s.target_key AND c.indicator_id = s.indicator_id)"
        )
        # Read in the order of fresh's key (WITHOUT ROWID): no sort of the rows being written.
        fresh = (
            " FROM temp.fresh AS f CROSS JOIN src.results AS s ON s.target_key = f.target_key"
            " AND s.indicator_id = f.indicator_id ORDER BY f.target_key, f.indicator_id"
        )
        conn.execute(
            "INSERT INTO main.audit_log (at, who, action, target_key, indicator_id, new_value,"
            " reason) SELECT ?, ?, 'merge_result', s.target_key, s.indicator_id,"
            f" json_object('count', {count}, 'deduction', {deduction}, 'from_hint', {hint},"
            " 'inspector', s.inspector, 'note', s.note, 'state', s.state,"
            " 'updated_at', s.updated_at), ?" + fresh,
            (self._now(), self.who, reason),
        )
        cursor = conn.execute(
            "INSERT INTO main.results (target_key, indicator_id, state, note, inspector,"
            " updated_at, from_hint, deduction, count) SELECT s.target_key, s.indicator_id,"
            f" s.state, s.note, s.inspector, s.updated_at, {hint}, {deduction}, {count}" + fresh
        )
        copied = max(cursor.rowcount, 0)
        before = int(
            conn.execute("SELECT ifnull(max(id), 0) FROM main.result_sources").fetchone()[0]
        )
        cursor = conn.execute(
            "INSERT OR IGNORE INTO main.result_sources (target_key, indicator_id, state, note,"
            " inspector, updated_at, from_hint, deduction, count, source_id, merged_at)"
            " SELECT s.target_key, s.indicator_id, s.state, s.note, s.inspector, s.updated_at,"
            f" {hint}, {deduction}, {count},"
            " ?, ? FROM src.results AS s ORDER BY s.target_key, s.indicator_id",
            (source_id, at),
        )
        stats.judgements = max(cursor.rowcount, 0)
        # Each fresh indicator gained exactly one judgement, already decided above: only the
        # judgements beyond those can change a result.
        if stats.judgements > copied:
            self._recompute(conn, before, stats, reason)
        stats.results_changed += copied
        conn.execute("DROP TABLE temp.fresh")

    def _recompute(
        self, conn: sqlite3.Connection, after_id: int, stats: SourceStats, reason: str
    ) -> None:
        """Re-decide every indicator that gained a judgement (ids above ``after_id``), except
        the fresh ones already copied."""
        conn.execute("DROP TABLE IF EXISTS temp.touched")
        conn.execute(
            "CREATE TEMP TABLE touched (target_key TEXT NOT NULL, indicator_id TEXT NOT NULL,"
            " PRIMARY KEY (target_key, indicator_id))"
        )
        conn.execute(
            "INSERT OR IGNORE INTO temp.touched SELECT r.target_key, r.indicator_id"
            " FROM main.result_sources AS r WHERE r.id > ? AND NOT EXISTS (SELECT 1"
            " FROM temp.fresh AS f WHERE f.target_key = r.target_key"
            " AND f.indicator_id = r.indicator_id)",
            (after_id,),
        )
        changed = self._recompute_simple(conn, reason)
        current = {
            (r["target_key"], r["indicator_id"]): {c: r[c] for c in _RESULT_COLUMNS}
            for r in conn.execute(
                "SELECT r.* FROM temp.touched AS t CROSS JOIN main.results AS r"
                " ON r.target_key = t.target_key AND r.indicator_id = t.indicator_id"
            )
        }
        conflicts = {
            (r["target_key"], r["indicator_id"]): r
            for r in conn.execute(
                "SELECT c.* FROM temp.touched AS t CROSS JOIN main.conflicts AS c"
                " ON c.target_key = t.target_key AND c.indicator_id = t.indicator_id"
            )
        }
        rows = conn.execute(
            "SELECT r.target_key, r.indicator_id, r.inspector, r.updated_at, r.state, r.note,"
            " r.deduction, r.count, r.from_hint FROM temp.touched AS t"
            " CROSS JOIN main.result_sources AS r ON r.target_key = t.target_key"
            " AND r.indicator_id = t.indicator_id ORDER BY r.target_key, r.indicator_id"
        )
        now = self._now()
        results: list[tuple[Any, ...]] = []
        audits: list[tuple[Any, ...]] = []
        for pair, group in groupby(rows, key=lambda r: (r[0], r[1])):
            judged = [Judged(*r[2:]) for r in group]
            conflict = conflicts.get(pair)
            resolution = self._resolution(conflict, judged)
            decision = decide(judged, resolution)
            self._conflict(conn, pair, conflict, decision, stats)
            old = current.get(pair)
            new = dict(decision.result)
            if old == new:
                continue
            results.append((*pair, *(new[c] for c in _RESULT_COLUMNS)))
            audits.append((now, self.who, "merge_result", *pair, _json(old), _json(new), reason))
            if len(results) >= _BATCH:
                changed += self._flush(conn, results, audits)
        changed += self._flush(conn, results, audits)
        stats.results_changed = changed

    def _recompute_simple(self, conn: sqlite3.Connection, reason: str) -> int:
        """Decide, in SQL, the indicators only one inspector judged and whose latest judgement
        is unique: the usual case, since each target is assigned to one inspector. For them
        :func:`decide` returns that judgement; doing it set-wise keeps a merge of hundreds of
        thousands of results near the cost of copying the files. Returns the results changed;
        the indicators decided are removed from ``temp.touched``.
        """
        moment = "julianday({0}.updated_at)"
        # CROSS JOIN keeps SQLite from scanning every judgement ever merged: it has no statistics
        # on the small temporary tables and would otherwise drive the join from the big one.
        conn.execute("DROP TABLE IF EXISTS temp.simple")
        conn.execute(
            "CREATE TEMP TABLE simple (target_key TEXT NOT NULL, indicator_id TEXT NOT NULL,"
            " state TEXT, note TEXT, inspector TEXT, updated_at TEXT, from_hint INTEGER,"
            " deduction TEXT, count INTEGER, PRIMARY KEY (target_key, indicator_id))"
        )
        conn.execute(
            "INSERT INTO temp.simple SELECT r.target_key, r.indicator_id, r.state, r.note,"
            " r.inspector, r.updated_at, r.from_hint, r.deduction, r.count"
            " FROM temp.touched AS t CROSS JOIN main.result_sources AS r"
            " ON r.target_key = t.target_key AND r.indicator_id = t.indicator_id"
            f" WHERE {moment.format('r')} IS NOT NULL AND NOT EXISTS (SELECT 1"
            " FROM main.result_sources AS o WHERE o.target_key = r.target_key"
            " AND o.indicator_id = r.indicator_id AND (o.inspector != r.inspector"
            f" OR (o.id != r.id AND ({moment.format('o')} IS NULL"
            f" OR {moment.format('o')} >= {moment.format('r')}))))"
        )
        differs = (
            "c.target_key IS NULL OR c.state != w.state OR c.note != w.note"
            " OR c.inspector != w.inspector OR c.updated_at != w.updated_at"
            " OR c.from_hint IS NOT w.from_hint OR c.deduction IS NOT w.deduction"
            " OR c.count IS NOT w.count"
        )
        as_json = (
            "json_object('count', {0}.count, 'deduction', {0}.deduction, 'from_hint',"
            " {0}.from_hint, 'inspector', {0}.inspector, 'note', {0}.note, 'state', {0}.state,"
            " 'updated_at', {0}.updated_at)"
        )
        joined = (
            " FROM temp.simple AS w LEFT JOIN main.results AS c"
            " ON c.target_key = w.target_key AND c.indicator_id = w.indicator_id"
            f" WHERE {differs} ORDER BY w.target_key, w.indicator_id"
        )
        conn.execute(
            "INSERT INTO main.audit_log (at, who, action, target_key, indicator_id, old_value,"
            " new_value, reason) SELECT ?, ?, 'merge_result', w.target_key, w.indicator_id,"
            f" CASE WHEN c.target_key IS NULL THEN NULL ELSE {as_json.format('c')} END,"
            f" {as_json.format('w')}, ?" + joined,
            (self._now(), self.who, reason),
        )
        cursor = conn.execute(
            "INSERT OR REPLACE INTO main.results (target_key, indicator_id, state, note,"
            " inspector, updated_at, from_hint, deduction, count) SELECT w.target_key,"
            " w.indicator_id, w.state, w.note, w.inspector, w.updated_at, w.from_hint,"
            " w.deduction, w.count" + joined
        )
        changed = max(cursor.rowcount, 0)
        conn.execute(
            "DELETE FROM temp.touched WHERE EXISTS (SELECT 1 FROM temp.simple AS w"
            " WHERE w.target_key = touched.target_key AND w.indicator_id = touched.indicator_id)"
        )
        conn.execute("DROP TABLE temp.simple")
        return changed

    @staticmethod
    def _flush(
        conn: sqlite3.Connection,
        results: list[tuple[Any, ...]],
        audits: list[tuple[Any, ...]],
    ) -> int:
        """Write a batch of changed results with their audit rows; returns how many."""
        if not results:
            return 0
        # The cursor over result_sources is still open: these writes touch other tables only.
        conn.executemany(
            "INSERT INTO main.audit_log (at, who, action, target_key, indicator_id, old_value,"
            " new_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            audits,
        )
        conn.executemany(
            f"INSERT OR REPLACE INTO main.results (target_key, indicator_id,"
            f" {', '.join(_RESULT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            results,
        )
        count = len(results)
        results.clear()
        audits.clear()
        return count

    @staticmethod
    def _resolution(
        conflict: sqlite3.Row | None, judged: Sequence[Judged]
    ) -> dict[str, Any] | None:
        """The coordinator's decision, while it was made on exactly the current candidates."""
        if conflict is None or conflict["status"] != "resolved" or not conflict["resolution"]:
            return None
        decision = decide(judged)
        if decision.candidates is None:
            return None
        if candidates_text(decision.candidates) != candidates_text(
            json.loads(conflict["candidates"])
        ):
            return None
        value: dict[str, Any] = json.loads(conflict["resolution"])
        return value

    def _conflict(
        self,
        conn: sqlite3.Connection,
        pair: tuple[str, str],
        conflict: sqlite3.Row | None,
        decision: Decision,
        stats: SourceStats,
    ) -> None:
        key, indicator = pair
        if decision.candidates is None:
            if conflict is not None:
                # The inspectors now agree. The row goes (the audit log keeps its story), so the
                # table holds exactly today's disagreements whatever order files came in.
                agreed = "检查员结论已一致 / the inspectors now agree"
                conn.execute("DELETE FROM main.conflicts WHERE id = ?", (conflict["id"],))
                self._audit(
                    conn,
                    action="close_conflict",
                    target_key=key,
                    indicator_id=indicator,
                    old={
                        "conflict": conflict["id"],
                        "status": conflict["status"],
                        "candidates": json.loads(conflict["candidates"]),
                        "resolution": json.loads(conflict["resolution"] or "null"),
                    },
                    reason=agreed,
                )
            return
        text = candidates_text(decision.candidates)
        if conflict is None:
            cursor = conn.execute(
                "INSERT INTO main.conflicts (target_key, indicator_id, status, candidates,"
                " detected_at) VALUES (?, ?, 'open', ?, ?)",
                (key, indicator, text, self._now()),
            )
            self._audit(
                conn,
                action="open_conflict",
                target_key=key,
                indicator_id=indicator,
                new={"conflict": cursor.lastrowid, "candidates": list(decision.candidates)},
            )
            stats.conflicts_opened += 1
            return
        if candidates_text(json.loads(conflict["candidates"])) == text:
            return
        # New judgements since the conflict was seen (or settled): it is open again.
        conn.execute(
            "UPDATE main.conflicts SET status = 'open', candidates = ?, resolved_at = NULL,"
            " resolved_by = NULL, resolution = NULL, reason = '' WHERE id = ?",
            (text, conflict["id"]),
        )
        self._audit(
            conn,
            action="reopen_conflict",
            target_key=key,
            indicator_id=indicator,
            old={
                "conflict": conflict["id"],
                "status": conflict["status"],
                "candidates": json.loads(conflict["candidates"]),
                "resolution": json.loads(conflict["resolution"] or "null"),
            },
            new={"conflict": conflict["id"], "candidates": list(decision.candidates)},
        )
        stats.conflicts_opened += 1

    def _audit(
        self,
        conn: sqlite3.Connection,
        *,
        action: str,
        target_key: str | None = None,
        indicator_id: str | None = None,
        old: Any = None,
        new: Any = None,
        reason: str = "",
    ) -> None:
        conn.execute(
            "INSERT INTO main.audit_log (at, who, action, target_key, indicator_id, old_value,"
            " new_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._now(),
                self.who,
                action,
                target_key,
                indicator_id,
                _json(old),
                _json(new),
                reason,
            ),
        )

    def open_conflicts(self) -> list[Conflict]:
        """The conflicts still open in the quarter file being built."""
        rows = self._live().execute(
            "SELECT * FROM main.conflicts WHERE status = 'open' ORDER BY target_key, indicator_id"
        )
        return [_row_conflict(r) for r in rows]

    # --- finishing -----------------------------------------------------------------------------

    def finish(self) -> None:
        """Make the scratch file a normal findings file on disk: WAL mode, synced, closed."""
        conn = self._live()
        problems = [row[0] for row in conn.execute("PRAGMA foreign_key_check").fetchall()[:5]]
        if problems:
            raise FindingsError(
                f"合并结果引用断裂 / the merged file has broken references: {problems}"
            )
        for table in ("hint_map", "new_evidence", "touched"):
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise FindingsError(f"无法切换到 WAL 日志 / cannot switch {self.path} to WAL ({mode})")
        conn.close()
        self._conn = None
        self._pool.shutdown()
        for synced in self._syncs:
            synced.result()  # a write error seen by an earlier sync is not reported again
        _sync_file(self.path)

    def close(self) -> None:
        """Close without finishing (after a failure); safe to call twice."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        self._pool.shutdown(cancel_futures=True)
