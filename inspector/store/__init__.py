"""Findings files: the SQLite file each inspector fills in during a quarter, and the merged one.

Callers use only the names below; the modules behind them (``schema``, ``findings``, ``verify``)
are free to change. The file format itself is a public contract, described in ``schema``.
"""

from inspector.store.findings import (
    EVIDENCE_KINDS,
    HINT_STATUSES,
    AccountFacts,
    AuditEntry,
    Conflict,
    EvidenceInfo,
    FindingsFile,
    Hint,
    MenuItem,
    Probe,
    Result,
    SourcedResult,
    SourceFile,
    StoredHint,
    iso_seconds,
)
from inspector.store.merging import (
    QuarterBuilder,
    SourceFacts,
    SourceStats,
    read_source_facts,
    source_uri,
)
from inspector.store.schema import (
    APPLICATION_ID,
    MENU_STATUSES,
    SCHEMA_VERSION,
    DamagedFileError,
    FindingsError,
    NewerSchemaError,
    NotFindingsFileError,
)
from inspector.store.verify import VerifyReport, verify_file

__all__ = [
    "APPLICATION_ID",
    "EVIDENCE_KINDS",
    "HINT_STATUSES",
    "MENU_STATUSES",
    "SCHEMA_VERSION",
    "AccountFacts",
    "AuditEntry",
    "Conflict",
    "DamagedFileError",
    "EvidenceInfo",
    "FindingsError",
    "FindingsFile",
    "Hint",
    "MenuItem",
    "NewerSchemaError",
    "NotFindingsFileError",
    "Probe",
    "QuarterBuilder",
    "Result",
    "SourceFacts",
    "SourceFile",
    "SourceStats",
    "SourcedResult",
    "StoredHint",
    "VerifyReport",
    "iso_seconds",
    "read_source_facts",
    "source_uri",
    "verify_file",
]
