"""Bulk entry of results judged outside the app (a colleague's spreadsheet, a phone checklist).

Each row names a target (key, site code, URL or name), an indicator, a state and an optional note.
Rows are all resolved before anything is written, so a strict import refuses the whole file and a
lenient one writes every good row; each write goes through `FindingsFile.set_result`, so it is
audited exactly like a tick in the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from inspector.profiles import Profile
from inspector.samples import RowProblem
from inspector.store import FindingsFile
from inspector.tables import Table
from inspector.targets import State, Target
from inspector.urls import InvalidURL, url_key

#: Column aliases, compared case- and space-insensitively.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "target": (
        "目标",
        "检查对象",
        "名称",
        "网站名称",
        "账号名称",
        "网址",
        "网站标识码",
        "标识码",
        "target",
        "name",
        "url",
        "key",
        "site_code",
    ),
    "indicator": ("指标", "指标编号", "指标id", "indicator", "indicator_id"),
    "state": ("结果", "状态", "判定", "state", "result"),
    "note": ("备注", "说明", "问题描述", "note", "notes"),
    "deduction": ("扣分", "deduction"),
    "count": ("次数", "数量", "count"),
}

#: Accepted spellings of each state.
STATES: Mapping[str, State] = {
    "problem": State.PROBLEM,
    "问题": State.PROBLEM,
    "有问题": State.PROBLEM,
    "不合格": State.PROBLEM,
    "存在问题": State.PROBLEM,
    "x": State.PROBLEM,
    "×": State.PROBLEM,
    "ok": State.OK,
    "正常": State.OK,
    "合格": State.OK,
    "无问题": State.OK,
    "√": State.OK,
    "na": State.NA,
    "n/a": State.NA,
    "不适用": State.NA,
    "无此项": State.NA,
}


class RecordError(ValueError):
    """The results file cannot be used at all (no target/indicator/state columns, strict failures)."""


@dataclass(frozen=True)
class Entry:
    """One resolved row, ready to write."""

    row: int
    target_key: str
    indicator_id: str
    state: State
    note: str | None
    deduction: Decimal | None
    count: int | None


@dataclass(frozen=True)
class RecordReport:
    """What an import did: rows written, rows that changed nothing, rows refused and why."""

    recorded: int
    unchanged: int
    problems: tuple[RowProblem, ...]


def _fold(text: str) -> str:
    return "".join(text.split()).lower()


def column_map(headers: Sequence[str]) -> dict[str, str]:
    """Map our field names to the file's headers; raise when a required column is missing."""
    folded = {_fold(h): h for h in headers}
    found: dict[str, str] = {}
    for field, aliases in COLUMNS.items():
        for alias in aliases:
            if _fold(alias) in folded:
                found[field] = folded[_fold(alias)]
                break
    missing = [f for f in ("target", "indicator", "state") if f not in found]
    if missing:
        wanted = "; ".join(f"{f}: {'/'.join(COLUMNS[f][:3])}…" for f in missing)
        raise RecordError(
            f"结果文件缺少必需的列 / the results file lacks required columns ({wanted}); "
            f"找到的列 / columns found: {', '.join(headers) or '(none)'}"
        )
    return found


class TargetIndex:
    """Finds a target by whatever a person typed: key, site code, URL, or an unambiguous name."""

    def __init__(self, targets: Sequence[Target]) -> None:
        self._by: dict[str, list[Target]] = {}
        for target in targets:
            names = {target.key, target.name, target.site_code or "", target.account_id or ""}
            if target.url:
                names.add(url_key(target.url))
            for name in names - {""}:
                self._by.setdefault(_fold(name), []).append(target)

    def find(self, text: str) -> Target | list[Target] | None:
        """The one target meant, the candidates when ambiguous, or None."""
        candidates = self._by.get(_fold(text))
        if candidates is None and "." in text:
            try:
                candidates = self._by.get(_fold(url_key(text)))
            except InvalidURL:
                candidates = None
        if not candidates:
            return None
        unique = {t.key: t for t in candidates}
        return next(iter(unique.values())) if len(unique) == 1 else list(unique.values())


class _Refused(Exception):
    """Why one row cannot be used, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _resolve_row(
    cell: Mapping[str, str], index: TargetIndex, profile: Profile
) -> tuple[Target, str, State, Decimal | None, int | None]:
    found = index.find(cell["target"]) if cell["target"] else None
    if found is None:
        raise _Refused(f"找不到检查对象“{cell['target']}”", f"no target matches {cell['target']!r}")
    if isinstance(found, list):
        keys = ", ".join(t.key for t in found)
        raise _Refused(
            f"“{cell['target']}”对应多个对象（{keys}），请填写网址或标识码",
            f"{cell['target']!r} matches several targets ({keys})",
        )
    try:
        indicator = profile.indicator(cell["indicator"].strip().upper())
    except KeyError:
        raise _Refused(
            f"未知指标“{cell['indicator']}”（指标体系 {profile.id}）",
            f"unknown indicator {cell['indicator']!r} in profile {profile.id}",
        ) from None
    if not indicator.applies(found):
        raise _Refused(
            f"指标 {indicator.id} 不适用于“{found.name}”",
            f"indicator {indicator.id} does not apply to {found.name!r}",
        )
    state = STATES.get(_fold(cell["state"]))
    if state is None:
        raise _Refused(
            f"结果“{cell['state']}”无法识别（应为 问题/正常/不适用）",
            f"state {cell['state']!r} is not problem, ok or na",
        )
    try:
        deduction = Decimal(cell["deduction"]) if cell.get("deduction") else None
        count = int(cell["count"]) if cell.get("count") else None
    except (InvalidOperation, ValueError):
        raise _Refused("扣分或次数不是数字", "deduction or count is not a number") from None
    return found, indicator.id, state, deduction, count


def resolve(
    table: Table, findings: FindingsFile, profile: Profile
) -> tuple[list[Entry], list[RowProblem]]:
    """Turn a results table into entries, and the rows that cannot be used into problems."""
    columns = column_map(table.headers)
    index = TargetIndex(findings.targets())
    entries: list[Entry] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        cell = {field: row.values.get(header, "").strip() for field, header in columns.items()}
        if not any(cell.values()):
            continue
        try:
            target, indicator_id, state, deduction, count = _resolve_row(cell, index, profile)
            first = seen.setdefault((target.key, indicator_id), row.number)
            if first != row.number:
                raise _Refused(
                    f"与第{first}行重复（{target.name} {indicator_id}）",
                    f"duplicates row {first} ({target.key} {indicator_id})",
                )
        except _Refused as refused:
            message = f"第{row.number}行：{refused.zh} / row {row.number}: {refused.en}"
            problems.append(RowProblem(row.number, message))
            continue
        note = cell.get("note") or None
        entries.append(Entry(row.number, target.key, indicator_id, state, note, deduction, count))
    return entries, problems


def record_results(
    findings: FindingsFile,
    table: Table,
    profile: Profile,
    *,
    who: str,
    strict: bool = False,
    reason: str = "",
) -> RecordReport:
    """Write every usable row of `table` into `findings` as audited results.

    With `strict`, any bad row refuses the whole file and nothing is written.
    """
    entries, problems = resolve(table, findings, profile)
    if strict and problems:
        listed = "\n".join(p.message for p in problems)
        raise RecordError(
            f"严格模式：有 {len(problems)} 行无法导入，未写入任何结果 / strict mode: "
            f"{len(problems)} bad rows, nothing written\n{listed}"
        )
    before = len(findings.audit_log())
    for entry in entries:
        findings.set_result(
            entry.target_key,
            entry.indicator_id,
            entry.state,
            who=who,
            note=entry.note,
            reason=reason or f"批量导入 / bulk import: {table.path.name} row {entry.row}",
            deduction=entry.deduction,
            count=entry.count,
        )
    recorded = len(findings.audit_log()) - before
    return RecordReport(recorded, len(entries) - recorded, tuple(problems))
