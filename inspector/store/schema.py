"""The findings file's tables, its schema version, and the migrations between versions.

The file is the product's record of evidence, so its layout is written out as plain SQL here:
anyone can read it in DB Browser or Datasette, and a reviewer sees every constraint, index and
trigger in one place. Only features that SQLite 3.24 already understood are used (no STRICT
tables, no JSON functions in constraints), so older SQLite tools on office machines still open
the file.

Versioning: ``PRAGMA user_version`` holds the schema version and ``PRAGMA application_id`` marks
the file as ours, so a foreign SQLite file is recognised before anything is written to it. A
``schema_version`` row in ``file_info`` repeats the version for people browsing the tables.
Older files are migrated step by step, each step in one transaction together with its audit row;
files from a newer program are refused, never downgraded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Marks a findings file in the SQLite header (bytes 68-71): ASCII "GVIN", gov inspector.
APPLICATION_ID = 0x4756494E

#: The schema this program writes. Bump it only together with a new entry in ``MIGRATIONS``.
SCHEMA_VERSION = 5

SQLITE_MAGIC = b"SQLite format 3\x00"


class FindingsError(Exception):
    """A findings file cannot be used as asked; the message says why in Chinese and English.

    Raised for foreign, damaged, newer or missing files, for writes the file must refuse
    (unknown target, overwriting an existing file) and for storage failures such as a full disk,
    so the UI and the CLI need to catch only this one type to show the user something clear.
    """


class NotFindingsFileError(FindingsError):
    """The path is missing, not SQLite, or an SQLite file of another program."""


class DamagedFileError(FindingsError):
    """The file is ours but SQLite cannot read it reliably (truncated, overwritten pages)."""


class NewerSchemaError(FindingsError):
    """The file comes from a newer program; the user must upgrade, the file stays as it is."""


def not_findings_message(path: Path | str, detail: str) -> str:
    """The one wording for "this is not our file", with a short reason appended."""
    return f"不是检查结果文件 / not a findings file: {path} ({detail})"


def damaged_message(path: Path | str, detail: str, *, suggest_verify: bool = True) -> str:
    """The wording for a file that is ours but cannot be read reliably."""
    message = f"检查结果文件已损坏 / findings file is damaged: {path} ({detail})"
    if suggest_verify:
        message += "; 可运行 inspector verify 查看详情 / run `inspector verify` for details"
    return message


def newer_message(path: Path | str, version: int) -> str:
    """The wording for a file written by a newer program: upgrade, do not downgrade."""
    return (
        f"检查结果文件由较新版本的程序写入（结构版本 {version}，本程序最高支持 {SCHEMA_VERSION}），"
        f"请升级程序后再打开 / findings file was written by a newer version of the program "
        f"(schema {version}; this program knows up to {SCHEMA_VERSION}), please upgrade: {path}"
    )


# --- the current schema ------------------------------------------------------------------------
#
# One statement per string: Python's executescript() would commit the surrounding transaction.

_RESULTS_VIEW_V2 = """
CREATE VIEW results_readable AS
SELECT
    t.name AS target_name,
    t.kind AS target_kind,
    coalesce(t.url, '') AS target_url,
    t.platform AS platform,
    t.owner AS owner,
    t.region AS region,
    r.indicator_id AS indicator_id,
    r.state AS state,
    CASE r.state WHEN 'problem' THEN '有问题' WHEN 'ok' THEN '正常' WHEN 'na' THEN '不适用' END
        AS state_zh,
    r.note AS note,
    r.inspector AS inspector,
    r.updated_at AS updated_at,
    r.from_hint AS from_hint,
    r.deduction AS deduction,
    r.count AS count,
    r.target_key AS target_key
FROM results AS r
JOIN targets AS t ON t.key = r.target_key
"""

CURRENT_SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE file_info (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE targets (
        key TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('website', 'new_media')),
        name TEXT NOT NULL,
        url TEXT,
        site_code TEXT,
        owner TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        level TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        is_portal INTEGER NOT NULL DEFAULT 0 CHECK (is_portal IN (0, 1)),
        no_public_services INTEGER NOT NULL DEFAULT 0 CHECK (no_public_services IN (0, 1)),
        platform TEXT,
        account_id TEXT,
        extra TEXT NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX targets_by_kind ON targets (kind, region)",
    """
    CREATE TABLE hints (
        id INTEGER PRIMARY KEY,
        target_key TEXT NOT NULL REFERENCES targets (key),
        kind TEXT NOT NULL,
        indicator TEXT,
        url TEXT NOT NULL,
        found_on TEXT NOT NULL,
        detail TEXT NOT NULL,
        as_of TEXT,
        found_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
        source TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX hints_by_target ON hints (target_key, indicator)",
    # deduction and count came with schema 2 and sit last so that a migrated file and a new one
    # have identical columns; deduction is a decimal string because points must add up exactly.
    """
    CREATE TABLE results (
        target_key TEXT NOT NULL REFERENCES targets (key),
        indicator_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('problem', 'ok', 'na')),
        note TEXT NOT NULL DEFAULT '',
        inspector TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        from_hint INTEGER REFERENCES hints (id),
        deduction TEXT,
        count INTEGER CHECK (count IS NULL OR count >= 0),
        PRIMARY KEY (target_key, indicator_id)
    )
    """,
    "CREATE INDEX results_by_indicator ON results (indicator_id, state)",
    """
    CREATE TABLE probes (
        id INTEGER PRIMARY KEY,
        target_key TEXT NOT NULL REFERENCES targets (key),
        url TEXT NOT NULL,
        probed_at TEXT NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        outcome TEXT NOT NULL,
        status_code INTEGER,
        elapsed_ms INTEGER,
        error TEXT
    )
    """,
    # One probe per target, URL and second: merging the same probe series twice adds nothing.
    "CREATE UNIQUE INDEX probes_once ON probes (target_key, url, probed_at)",
    # AUTOINCREMENT: a removed evidence id is never reused, so "evidence #7" in the audit log
    # always means the same capture.
    """
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target_key TEXT NOT NULL REFERENCES targets (key),
        indicator_id TEXT,
        kind TEXT NOT NULL
            CHECK (kind IN ('screenshot', 'fullpage', 'mhtml', 'phone', 'file')),
        mime TEXT NOT NULL,
        filename TEXT NOT NULL,
        url TEXT,
        captured_at TEXT NOT NULL,
        inspector TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0),
        note TEXT NOT NULL DEFAULT '',
        content BLOB NOT NULL
    )
    """,
    "CREATE INDEX evidence_by_target ON evidence (target_key, indicator_id)",
    "CREATE INDEX evidence_by_sha256 ON evidence (sha256)",
    """
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        target_key TEXT,
        indicator_id TEXT,
        old_value TEXT,
        new_value TEXT,
        reason TEXT NOT NULL DEFAULT '',
        undoes INTEGER REFERENCES audit_log (id)
    )
    """,
    "CREATE INDEX audit_log_by_target ON audit_log (target_key, indicator_id)",
    "CREATE INDEX audit_log_by_who ON audit_log (who, action)",
    "CREATE INDEX audit_log_undone ON audit_log (undoes) WHERE undoes IS NOT NULL",
    # The audit trail is what stands up in a dispute: the file itself refuses to rewrite it.
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN
        SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only');
    END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN
        SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only');
    END
    """,
    _RESULTS_VIEW_V2,
)

# Schema 3: the quarter file's memory of where everything came from. An inspector's file leaves
# these tables empty; ``inspector merge`` fills them. They hold every judgement as its inspector
# made it (``result_sources``), the disagreements between inspectors (``conflicts``), the files
# merged (``sources``), which file brought each target, hint, probe and capture (``provenance``)
# and each merged file's own audit trail (``source_audit``), so a dispute can be traced back to
# the laptop a finding was made on.
MERGE_SCHEMA: tuple[str, ...] = (
    # A file's identity is its inspector and creation time: a later copy of the same file, with
    # more work in it, is the same source merged again.
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        inspector TEXT NOT NULL,
        created_at TEXT NOT NULL,
        file_name TEXT NOT NULL,
        quarter TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        first_merged_at TEXT NOT NULL,
        last_merged_at TEXT NOT NULL,
        merged_by TEXT NOT NULL,
        UNIQUE (inspector, created_at)
    )
    """,
    """
    CREATE TABLE result_sources (
        id INTEGER PRIMARY KEY,
        target_key TEXT NOT NULL REFERENCES targets (key),
        indicator_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('problem', 'ok', 'na')),
        note TEXT NOT NULL DEFAULT '',
        inspector TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        from_hint INTEGER REFERENCES hints (id),
        deduction TEXT,
        count INTEGER CHECK (count IS NULL OR count >= 0),
        source_id INTEGER NOT NULL REFERENCES sources (id),
        merged_at TEXT NOT NULL
    )
    """,
    # The same judgement merged twice (the same file, or a copy of it) is kept once. NULLs are
    # distinct in a UNIQUE constraint, hence the ifnull() expressions.
    """
    CREATE UNIQUE INDEX result_sources_once ON result_sources (
        target_key, indicator_id, inspector, updated_at, state, note,
        ifnull(deduction, ''), ifnull(count, -1)
    )
    """,
    "CREATE INDEX result_sources_by_source ON result_sources (source_id)",
    """
    CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target_key TEXT NOT NULL REFERENCES targets (key),
        indicator_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
        candidates TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT,
        resolution TEXT,
        reason TEXT NOT NULL DEFAULT '',
        UNIQUE (target_key, indicator_id)
    )
    """,
    "CREATE INDEX conflicts_by_status ON conflicts (status)",
    """
    CREATE TABLE provenance (
        table_name TEXT NOT NULL CHECK (table_name IN ('targets', 'hints', 'probes', 'evidence')),
        row_key TEXT NOT NULL,
        source_id INTEGER NOT NULL REFERENCES sources (id),
        source_row TEXT NOT NULL,
        PRIMARY KEY (table_name, row_key, source_id)
    )
    """,
    """
    CREATE TABLE source_audit (
        source_id INTEGER NOT NULL REFERENCES sources (id),
        source_row INTEGER NOT NULL,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        target_key TEXT,
        indicator_id TEXT,
        old_value TEXT,
        new_value TEXT,
        reason TEXT NOT NULL DEFAULT '',
        undoes INTEGER,
        PRIMARY KEY (source_id, source_row)
    )
    """,
    "CREATE INDEX source_audit_by_target ON source_audit (target_key, indicator_id)",
    """
    CREATE TRIGGER source_audit_no_update BEFORE UPDATE ON source_audit
    BEGIN
        SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only');
    END
    """,
    """
    CREATE TRIGGER source_audit_no_delete BEFORE DELETE ON source_audit
    BEGIN
        SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only');
    END
    """,
)

# Schema 4: what the inspector established about a new-media account by hand or from its page
# (issue 6): the latest post date behind M-V2 and whether interaction is offered (M-V3). One row
# per account; every change is audited like a result (action ``set_account_facts``).
ACCOUNT_SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE account_facts (
        target_key TEXT PRIMARY KEY NOT NULL REFERENCES targets (key),
        latest_post TEXT,
        latest_post_source TEXT NOT NULL DEFAULT '',
        interaction INTEGER CHECK (interaction IS NULL OR interaction IN (0, 1)),
        inspector TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
)

# Schema 5: the menu items of a new-media account (issue 6 item 4), typed, pasted or imported by
# the inspector, each with the status found when it was opened and the marker text that proved
# it. Items are never deleted, only marked ``removed``, so evidence taken of an item keeps
# pointing at it; ``id`` is a uuid4 hex so it stays the same across files and merges. Evidence
# gains a ``menu_item`` column (NULL: not tied to an item), added last so that an old file and a
# new one have identical columns and ``INSERT … SELECT`` with column lists keeps working.
MENU_STATUSES: tuple[str, ...] = (
    "unchecked",
    "works",
    "under_development",
    "expired",
    "maintenance",
    "dead_link",
)

MENU_SCHEMA: tuple[str, ...] = (
    f"""
    CREATE TABLE menu_items (
        id TEXT PRIMARY KEY NOT NULL,
        target_key TEXT NOT NULL REFERENCES targets (key),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        url TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'unchecked'
            CHECK (status IN ({", ".join(f"'{s}'" for s in MENU_STATUSES)})),
        marker TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
        inspector TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX menu_items_by_target ON menu_items (target_key, position)",
    "ALTER TABLE evidence ADD COLUMN menu_item TEXT REFERENCES menu_items (id)",
)

#: Keys every file_info carries; ``schema_version`` is managed here, never set by callers.
REQUIRED_INFO = ("quarter", "inspector", "profile_id", "created_at", "app_version")
MANAGED_INFO = ("schema_version",)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the current schema and stamp the header; the caller holds the transaction."""
    for statement in (*CURRENT_SCHEMA, *MERGE_SCHEMA, *ACCOUNT_SCHEMA, *MENU_SCHEMA):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute(
        "INSERT INTO file_info (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
    )


# --- migrations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    """One step from ``from_version`` to ``from_version + 1``; ``apply`` runs inside the step's
    transaction, and must not commit."""

    from_version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]

    @property
    def to_version(self) -> int:
        """Steps are single increments, so a file at any old version walks the same path."""
        return self.from_version + 1


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    # Schema 1 kept only the inspector's state and note. The verdict engine needs the number of
    # occurrences (broken links, late columns) and the points taken off, per result.
    conn.execute("ALTER TABLE results ADD COLUMN deduction TEXT")
    conn.execute("ALTER TABLE results ADD COLUMN count INTEGER CHECK (count IS NULL OR count >= 0)")
    conn.execute("DROP VIEW IF EXISTS results_readable")
    conn.execute(_RESULTS_VIEW_V2)


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    # Merging needs provenance, conflicts and the merged files' trails; an inspector's own file
    # simply carries the empty tables, so every file has one shape.
    for statement in MERGE_SCHEMA:
        conn.execute(statement)


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    # New-media accounts get their own facts (latest post, interaction); old files have none.
    for statement in ACCOUNT_SCHEMA:
        conn.execute(statement)


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    # Menu items of accounts and evidence per item; old files have no items, old evidence none.
    for statement in MENU_SCHEMA:
        conn.execute(statement)


#: Ordered, gap-free: ``MIGRATIONS[i].from_version == i + 1``.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "results gain deduction and count for the verdict engine", _v1_to_v2),
    Migration(2, "merge provenance, conflicts and merged files' audit trails", _v2_to_v3),
    Migration(3, "new-media account facts: latest post date and interaction", _v3_to_v4),
    Migration(4, "menu items of new-media accounts, evidence per item", _v4_to_v5),
)


def migrate(
    conn: sqlite3.Connection,
    *,
    at: Callable[[], str],
    who: str,
    migrations: tuple[Migration, ...] = MIGRATIONS,
    target_version: int = SCHEMA_VERSION,
) -> list[tuple[int, int]]:
    """Bring the file to ``target_version``, one audited transaction per step.

    A crash or an error inside a step leaves the file at the previous version, intact. The
    version is re-read inside each transaction, so two programs opening an old file at once
    migrate it once. Returns the steps applied as ``(from, to)`` pairs.
    """
    applied: list[tuple[int, int]] = []
    for step in migrations:
        if step.to_version > target_version:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version != step.from_version:
                conn.execute("ROLLBACK")
                continue
            step.apply(conn)
            conn.execute(f"PRAGMA user_version = {step.to_version}")
            conn.execute(
                "INSERT OR REPLACE INTO file_info (key, value) VALUES ('schema_version', ?)",
                (str(step.to_version),),
            )
            conn.execute(
                "INSERT INTO audit_log (at, who, action, old_value, new_value, reason)"
                " VALUES (?, ?, 'migrate', ?, ?, ?)",
                (
                    at(),
                    who,
                    json.dumps({"schema_version": step.from_version}),
                    json.dumps({"schema_version": step.to_version}),
                    step.description,
                ),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append((step.from_version, step.to_version))
    return applied


# --- recognising our files ---------------------------------------------------------------------


def check_header(path: Path) -> None:
    """Refuse, before SQLite touches it, a path that is missing, empty or not SQLite at all."""
    if not path.exists():
        raise NotFindingsFileError(f"找不到文件 / file not found: {path}")
    if not path.is_file():
        raise NotFindingsFileError(not_findings_message(path, "不是普通文件 / not a regular file"))
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise NotFindingsFileError(f"无法读取文件 / cannot read file: {path} ({exc})") from exc
    if not head:
        raise NotFindingsFileError(not_findings_message(path, "空文件 / empty file"))
    if head != SQLITE_MAGIC:
        raise FindingsError(
            not_findings_message(path, "不是 SQLite 数据库 / not an SQLite database")
        )


def recognise(conn: sqlite3.Connection, path: Path, *, suggest_verify: bool = True) -> int:
    """Return the schema version of an open file after making sure it is a findings file.

    Reads only the header and the schema table, so it is safe on any SQLite file. Raises
    NotFindingsFileError, DamagedFileError or NewerSchemaError.
    """
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        has_info = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'file_info'"
        ).fetchone()[0]
    except sqlite3.OperationalError:
        raise  # locked, unreadable, I/O: a problem of access, not of the file's content
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(
            damaged_message(path, str(exc), suggest_verify=suggest_verify)
        ) from exc
    if app_id != APPLICATION_ID or not has_info:
        raise NotFindingsFileError(
            not_findings_message(
                path, "其他程序的 SQLite 数据库 / an SQLite database of another program"
            )
        )
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(newer_message(path, version))
    if version < 1:
        raise DamagedFileError(
            damaged_message(path, f"schema version {version}", suggest_verify=suggest_verify)
        )
    return version
