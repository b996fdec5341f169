"""``inspector merge``: every inspector's findings file into one quarter file, atomically.

The coordinator gathers files from laptops at quarter end, often more than once (an inspector
sends a later copy; a file is sent twice by mistake), so merging must be safe to repeat and must
not care in which order files arrive. The rules that guarantee it live in
:mod:`inspector.store.merging`; this module decides which inputs may be merged at all, and makes
the output appear all at once:

* every input is checked read-only (foreign, damaged, newer, another quarter or profile, drawn
  from another sample, a quarter file instead of an inspector's): one refused input refuses the
  merge, with a line for each refused file, and nothing is written to the output. SQLite's
  page-by-page and foreign-key checks of the inputs (the slow part) run on another core while
  the scratch file is built, and the scratch file is only renamed into place once every input
  has passed them;
* the quarter file is built in a scratch file beside the output (a copy of it, when it exists, so
  the merge adds to it), then moved over it with ``os.replace``: a crash at any point leaves the
  old output as it was;
* inputs are imported in a fixed order (inspector, creation time, name), never the order given.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from inspector.sampling import SAMPLE_FACTS
from inspector.store import (
    SCHEMA_VERSION,
    Conflict,
    FindingsError,
    FindingsFile,
    QuarterBuilder,
    SourceFacts,
    SourceStats,
    iso_seconds,
    read_source_facts,
    source_uri,
)
from inspector.store.merging import QUARTER_ROLE, ROLE_KEY, check_source_pages

__all__ = ["MergeError", "MergeReport", "merge_files"]

DEFAULT_COORDINATOR = "coordinator"

Clock = Callable[[], datetime]


class MergeError(FindingsError):
    """The merge was refused; ``problems`` has one bilingual line per refused input."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class MergeReport:
    """What a merge did: one entry per input imported, and the conflicts left open."""

    output: Path
    created: bool
    sources: tuple[SourceStats, ...]
    open_conflicts: tuple[Conflict, ...]

    @property
    def changed(self) -> bool:
        return any(s.added_anything for s in self.sources)


def _local_now() -> datetime:
    return datetime.now().astimezone()


def merge_files(
    inputs: Sequence[Path],
    output: Path,
    *,
    coordinator: str = DEFAULT_COORDINATOR,
    clock: Clock | None = None,
    before_replace: Callable[[Path], None] | None = None,
) -> MergeReport:
    """Merge ``inputs`` into the quarter file ``output`` (created, or added to if it exists).

    Raises MergeError, naming every refused input, with nothing written to ``output`` (a
    damaged input is refused once its page check, run beside the build, has failed: the
    scratch file is then thrown away); FindingsError for a failure while building (the old
    output is untouched either way). ``before_replace`` is called with the finished scratch file
    just before it replaces the output (tests use it to simulate a crash at the last moment).
    """
    now = clock or _local_now
    output = Path(output)
    if not coordinator.strip():
        raise MergeError("合并人不能为空 / the coordinator's name must not be empty")
    # SQLite's page-by-page check of every input runs on another core while the quarter file is
    # built; the scratch file is thrown away unless every input passed it, so a damaged input
    # still refuses the merge with nothing written (only the refusal comes later).
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quick-check")
    try:
        facts, checks = _check_inputs(inputs, output, pool)
        try:
            existing = _check_output(output) if output.exists() else None
            if existing is not None:
                checks.append(pool.submit(_check_or_problem, output, _OUTPUT_UNUSABLE))
            quarter, profile_id, sampling = _agree(facts, existing)
        except MergeError as exc:
            raise _with_damage(checks, exc) from None
        return _build(
            facts, checks, output, existing, quarter, profile_id, sampling,
            coordinator=coordinator, now=now, before_replace=before_replace,
        )  # fmt: skip
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure, checks not yet begun are dropped


def _build(
    facts: Sequence[SourceFacts],
    checks: Sequence[Future[str | None]],
    output: Path,
    existing: SourceFacts | None,
    quarter: str,
    profile_id: str,
    sampling: Mapping[str, str],
    *,
    coordinator: str,
    now: Clock,
    before_replace: Callable[[Path], None] | None,
) -> MergeReport:
    scratch = output.parent / f".{output.name}.merge-{uuid.uuid4().hex[:12]}.tmp"
    builder: QuarterBuilder | None = None
    try:
        if existing is not None:
            _copy_database(output, scratch)
            if existing.schema_version < SCHEMA_VERSION:
                FindingsFile.open(scratch, clock=now).close()  # migrates the copy, audited
        else:
            FindingsFile.create(
                scratch,
                quarter=quarter,
                inspector=coordinator,
                profile_id=profile_id,
                info={ROLE_KEY: QUARTER_ROLE},
                clock=now,
            ).close()
        builder = QuarterBuilder(
            scratch, who=coordinator, now=lambda: iso_seconds(now()), new=existing is None
        )
        builder.set_info(sampling)
        try:
            stats = [builder.import_source(f) for f in facts]
        except FindingsError as exc:
            # A damaged input may fail its import before its check has finished: name every
            # damaged input, as a refusal, rather than the first import that tripped on one.
            damage = _damage(checks)
            if damage:
                raise _refused(damage) from exc
            raise
        damage = _damage(checks)
        if damage:
            raise _refused(damage)
        open_conflicts = tuple(builder.open_conflicts())
        builder.finish()
        builder = None
        if before_replace is not None:
            before_replace(scratch)
        if existing is not None:
            _release(output)
        os.replace(scratch, output)
        _sync_directory(output.parent)
    except BaseException:
        if builder is not None:
            builder.close()
        for leftover in (scratch, *_sidecars(scratch)):
            leftover.unlink(missing_ok=True)
        raise
    return MergeReport(output, existing is None, tuple(stats), open_conflicts)


def _sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))


def _check_inputs(
    inputs: Sequence[Path], output: Path, pool: ThreadPoolExecutor
) -> tuple[list[SourceFacts], list[Future[str | None]]]:
    """Every input's facts in merge order, with the page checks started for them (in ``pool``),
    or MergeError listing every refused input."""
    if not inputs:
        raise MergeError("没有要合并的文件 / no files to merge")
    problems: list[str] = []
    unique: list[Path] = []
    seen: set[Path] = set()
    target = output.resolve()
    for path in map(Path, inputs):
        resolved = path.resolve()
        if resolved in seen:
            continue  # the same file named twice merges once
        seen.add(resolved)
        if resolved == target:
            problems.append(
                f"输入与输出是同一文件 / an input is the output itself: {path} "
                "(已有的季度文件会自动保留 / the existing quarter file is kept and added to)"
            )
            continue
        unique.append(path)
    facts: list[SourceFacts] = []
    checks: list[Future[str | None]] = []
    found: list[tuple[int, str]] = []
    for index, path in enumerate(unique):
        outcome = _facts_or_problem(path)
        if isinstance(outcome, str):
            found.append((index, outcome))
        elif outcome.is_quarter_file:
            found.append(
                (
                    index,
                    f"这是已合并的季度文件，请合并各检查员的原始文件，或用 -o 指定它以向其追加 / "
                    f"{path} is a merged quarter file: merge the inspectors' own files, or name "
                    "it with -o to add to it",
                )
            )
        else:
            facts.append(outcome)
            checks.append(pool.submit(_check_or_problem, path))
            found.append((index, ""))
    if problems or any(text for _, text in found):
        # Name every refused input in the order given, the damaged ones included.
        damage = iter(_damage_each(checks))
        listed = [text or next(damage) for _, text in found]
        raise _refused(problems + [text for text in listed if text])
    order = sorted(
        range(len(facts)),
        key=lambda i: (facts[i].inspector, facts[i].created_at, facts[i].path.name,
                       str(facts[i].path)),
    )  # fmt: skip
    return [facts[i] for i in order], [checks[i] for i in order]


_OUTPUT_UNUSABLE = "输出文件不可用 / the output cannot be used: "


def _check_or_problem(path: Path, prefix: str = "") -> str | None:
    try:
        check_source_pages(path)
    except FindingsError as exc:
        return f"{prefix}{exc}"
    return None


def _damage_each(checks: Sequence[Future[str | None]]) -> list[str]:
    """Each check's problem ('' when it passed), waiting for the checks still running."""
    return [check.result() or "" for check in checks]


def _damage(checks: Sequence[Future[str | None]]) -> list[str]:
    return [text for text in _damage_each(checks) if text]


def _with_damage(checks: Sequence[Future[str | None]], refusal: MergeError) -> MergeError:
    damage = _damage(checks)
    return _refused([*damage, *refusal.problems]) if damage else refusal


def _facts_or_problem(path: Path) -> SourceFacts | str:
    try:
        return read_source_facts(path, check_pages=False)
    except FindingsError as exc:
        return str(exc)


def _refused(problems: Sequence[str]) -> MergeError:
    listing = "\n".join(f"  {p}" for p in problems)
    return MergeError(
        f"合并被拒绝，未写入任何内容 / merge refused, nothing was written "
        f"({len(problems)} problem(s)):\n{listing}",
        problems,
    )


def _check_output(output: Path) -> SourceFacts:
    """An existing output must be a quarter file that nobody has open for writing."""
    try:
        fact = read_source_facts(output, check_pages=False)  # checked beside the build
    except FindingsError as exc:
        raise _refused([f"{_OUTPUT_UNUSABLE}{exc}"]) from exc
    if fact.info.get(ROLE_KEY) != QUARTER_ROLE:
        raise _refused(
            [
                f"输出文件是检查员的结果文件而不是季度文件，不会覆盖 / the output {output} is an "
                "inspector's findings file, not a quarter file: it is not overwritten; "
                "choose another -o"
            ]
        )
    return fact


def _agree(
    facts: Sequence[SourceFacts], existing: SourceFacts | None
) -> tuple[str, str, dict[str, str]]:
    """The quarter, profile and sampling facts every input must share (with the output too)."""
    problems: list[str] = []
    reference = existing or facts[0]
    where = f"季度文件 / the quarter file {reference.path.name}" if existing else None
    everyone = ([existing] if existing else []) + list(facts)
    for name, zh, info_key in (
        ("quarter", "季度", "quarter"),
        ("profile", "指标体系", "profile_id"),
    ):
        values: dict[str, list[str]] = {}
        for fact in everyone:
            values.setdefault(fact.info.get(info_key, ""), []).append(fact.path.name)
        if len(values) > 1:
            listed = "; ".join(f"{value}: {', '.join(files)}" for value, files in values.items())
            wanted = reference.info.get(info_key, "")
            expected = f"（应为 / expected {wanted}，{where}）" if where else ""
            problems.append(f"{zh}不一致 / files of different {name}s{expected}: {listed}")
    sampling: dict[str, str] = {}
    origin: dict[str, str] = {}
    for fact in everyone:
        for key in SAMPLE_FACTS:
            value = fact.info.get(key)
            if value is None:
                continue
            if key in sampling and sampling[key] != value:
                problems.append(
                    f"抽样信息不一致，可能来自另一次抽样 / drawn from another sample: {key} is "
                    f"{value!r} in {fact.path.name} but {sampling[key]!r} in {origin[key]}"
                )
                continue
            sampling.setdefault(key, value)
            origin.setdefault(key, fact.path.name)
    if problems:
        raise _refused(problems)
    return reference.quarter, reference.profile_id, sampling


def _copy_database(source: Path, destination: Path) -> None:
    """Copy the existing quarter file to build on. Closed cleanly (no WAL beside it) the file is
    complete and a byte copy is the fastest; otherwise SQLite's backup API copies it, including
    the committed changes still in its WAL, which a byte copy of the main file would miss."""
    if not Path(f"{source}-wal").exists():
        try:
            shutil.copyfile(source, destination)
        except OSError as exc:
            raise FindingsError(
                f"无法复制季度文件 / cannot copy the quarter file {source}: {exc}"
            ) from exc
        return
    src = sqlite3.connect(source_uri(source), uri=True, isolation_level=None)
    dst = sqlite3.connect(destination, isolation_level=None)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        raise FindingsError(
            f"无法复制季度文件 / cannot copy the quarter file {source}: {exc}"
        ) from exc
    finally:
        dst.close()
        src.close()


def _release(output: Path) -> None:
    """Fold the output's WAL into it, and refuse while another program has it open.

    Renaming a new file over one whose WAL is still in use would let SQLite replay the old WAL
    onto the new file; when nobody has it open, closing the last connection removes the WAL.
    """
    conn = sqlite3.connect(output, isolation_level=None, timeout=5)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.Error:
        busy = 1
    finally:
        conn.close()
    # The last connection to close deletes the WAL and its index: if they are still there,
    # another program holds the file.
    if busy or any(sidecar.exists() for sidecar in _sidecars(output)[:2]):
        raise FindingsError(
            f"季度文件正被其他程序打开，请关闭后重试 / the quarter file is open in another "
            f"program; close it and merge again: {output}"
        )


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe(report: MergeReport) -> list[str]:
    """The summary lines the CLI prints (and the app can show)."""
    lines = []
    for s in report.sources:
        lines.append(
            f"{s.file_name}（{s.inspector}）：新增对象 {s.targets}，结论 {s.judgements}，"
            f"证据 {s.evidence}，提示 {s.hints}，探测 {s.probes} / targets {s.targets}, "
            f"judgements {s.judgements}, evidence {s.evidence} "
            f"({s.evidence_bytes} bytes), hints {s.hints}, probes {s.probes}"
        )
        for key in s.targets_differing:
            lines.append(f"  对象信息与已有不同 / target listed differently by another file: {key}")
    return lines


def conflict_lines(conflicts: Sequence[Conflict], names: Mapping[str, str]) -> list[str]:
    """One line per open conflict: which target and indicator, and who said what."""
    lines = []
    for c in conflicts:
        said = "；".join(
            f"{cand.get('inspector')}: {cand.get('state')}"
            + (f"（{cand.get('note')}）" if cand.get("note") else "")
            for cand in c.candidates
        )
        lines.append(
            f"  {names.get(c.target_key, c.target_key)} [{c.target_key}] {c.indicator_id}: {said}"
        )
    return lines
