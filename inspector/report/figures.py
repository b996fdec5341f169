"""The quarter's figures, computed once from a quarter file for every report format.

Every number the notice publishes is derived here and nowhere else, so the JSON, the workbook,
the Word tables and the web page cannot disagree. Verdicts come from
:func:`inspector.verdict.judge` under the file's own profile, so a province's pass line applies;
"has problems" and "unqualified" are kept apart (a deduction lowers the score but only a veto or
a score under the pass line makes a target unqualified, spec/indicators.md §1).

Definitions:

* inspected: a target of the quarter file with at least one recorded result; a sampled target
  with none is counted as ``not_inspected`` and left out of the rates (it was not checked);
* unqualified: inspected and the verdict is not qualified (a verdict still missing indicators is
  counted as it stands and reported as ``incomplete``);
* new media ``in_operation``: the registry size recorded when sampling; ``sampled``: the sample
  size recorded then (else the accounts in the file); the rate's denominator is ``inspected``;
* not rectified: targets unqualified last quarter (``--previous``, matched by key) and
  unqualified again; those not inspected again are listed as ``not_rechecked``. The previous
  file must be an earlier quarter under the same profile, else the comparison means nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from inspector.profiles import Profile, ProfileError, load_profile
from inspector.rates import qualified_rate, sampling_ratio
from inspector.samples import PLATFORM_LABELS
from inspector.store import FindingsError, FindingsFile, Result
from inspector.targets import Kind, State, Target
from inspector.verdict import Judgement, Verdict, judge

__all__ = [
    "DIMENSIONS",
    "Counts",
    "Entry",
    "Group",
    "Outcome",
    "PreviousQuarterError",
    "QuarterReport",
    "build_report",
    "outcomes",
    "unqualified_keys",
]

UNFILLED = "未填写"

#: Breakdown dimensions: JSON key, Chinese label, and how to read the value off a target.
DIMENSIONS: tuple[tuple[str, str, Callable[[Target], str]], ...] = (
    ("region", "地区", lambda t: t.region),
    ("level", "层级", lambda t: t.level),
    ("type", "类型", lambda t: t.category),
    ("platform", "平台", lambda t: platform_label(t.platform) if t.platform else ""),
)


def platform_label(platform: str | None) -> str:
    """The Chinese name of a platform id (``wechat`` → 微信公众号); unknown ids as they are."""
    if not platform:
        return ""
    return PLATFORM_LABELS.get(platform, platform)


# --- per target -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One target of the quarter: inspected or not, its verdict and its problems in words."""

    target: Target
    inspected: bool
    verdict: Verdict | None
    problems: tuple[str, ...]

    @property
    def unqualified(self) -> bool:
        return self.inspected and self.verdict is not None and not self.verdict.qualified

    @property
    def incomplete(self) -> bool:
        return self.inspected and self.verdict is not None and not self.verdict.complete


def _judgements(results: Iterable[Result]) -> dict[str, Judgement]:
    return {
        r.indicator_id: Judgement(state=r.state, deduction=r.deduction, count=r.count)
        for r in results
    }


def _problems(profile: Profile, results: Sequence[Result], verdict: Verdict) -> tuple[str, ...]:
    """The problems as a notice words them: the indicator's name, then the inspector's note."""
    lines = [r.text_zh for r in verdict.reasons if not r.indicator_id]  # e.g. under the pass line
    notes = {r.indicator_id: r.note.strip() for r in results if r.state == State.PROBLEM}
    known = {i.id for i in profile.indicators}
    for indicator in profile.indicators:
        if indicator.id not in notes:
            continue
        name = indicator.name_zh + ("（单项否决）" if indicator.group == "veto" else "")
        note = notes[indicator.id]
        lines.append(f"{name}：{note}" if note else name)
    for indicator_id in sorted(set(notes) - known):
        note = notes[indicator_id]
        lines.append(f"{indicator_id}：{note}" if note else indicator_id)
    return tuple(lines)


def outcomes(findings: FindingsFile, profile: Profile) -> list[Outcome]:
    """Every target of the file with its verdict, in the file's order."""
    by_target: dict[str, list[Result]] = {}
    for result in findings.results():
        by_target.setdefault(result.target_key, []).append(result)
    found: list[Outcome] = []
    for target in findings.targets():
        results = by_target.get(target.key, [])
        if not results:
            found.append(Outcome(target, False, None, ()))
            continue
        verdict = judge(profile, target, _judgements(results))
        found.append(Outcome(target, True, verdict, _problems(profile, results, verdict)))
    return found


def unqualified_keys(path: Path) -> list[str]:
    """Keys of the targets a (quarter) findings file judges unqualified: re-review candidates."""
    with FindingsFile.open(path) as findings:
        profile = load_profile(findings.profile_id)
        return [o.target.key for o in outcomes(findings, profile) if o.unqualified]


# --- counting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """One line of figures for a set of targets."""

    inspected: int
    unqualified: int
    with_problems: int
    incomplete: int
    not_inspected: int

    @property
    def qualified_rate(self) -> str | None:
        return qualified_rate(self.inspected, self.unqualified)

    def as_json(self) -> dict[str, Any]:
        return {
            "inspected": self.inspected,
            "unqualified": self.unqualified,
            "qualified_rate": self.qualified_rate,
            "with_problems": self.with_problems,
            "incomplete": self.incomplete,
            "not_inspected": self.not_inspected,
        }


def count(items: Iterable[Outcome]) -> Counts:
    listed = list(items)
    inspected = [o for o in listed if o.inspected]
    return Counts(
        inspected=len(inspected),
        unqualified=sum(o.unqualified for o in inspected),
        with_problems=sum(bool(o.problems) for o in inspected),
        incomplete=sum(o.incomplete for o in inspected),
        not_inspected=len(listed) - len(inspected),
    )


@dataclass(frozen=True)
class Group:
    """The figures of one value of a breakdown (one region, one platform…)."""

    value: str
    websites: Counts | None
    new_media: Counts | None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        if self.websites is not None:
            out["websites"] = self.websites.as_json()
        if self.new_media is not None:
            out["new_media"] = self.new_media.as_json()
        return out


@dataclass(frozen=True)
class Entry:
    """One line of an attachment list."""

    key: str
    kind: Kind
    name: str
    url: str
    platform: str
    account_id: str
    owner: str
    region: str
    qualified: bool
    score: str | None
    problems: tuple[str, ...]

    @classmethod
    def of(cls, outcome: Outcome) -> Entry:
        t, v = outcome.target, outcome.verdict
        return cls(
            key=t.key,
            kind=t.kind,
            name=t.name,
            url=t.url or "",
            platform=platform_label(t.platform),
            account_id=t.account_id or "",
            owner=t.owner,
            region=t.region,
            qualified=not outcome.unqualified,
            score=None if v is None or v.score is None else str(v.score),
            problems=outcome.problems,
        )

    def as_json(self) -> dict[str, Any]:
        common = {
            "name": self.name,
            "owner": self.owner,
            "region": self.region,
            "qualified": self.qualified,
            "problems": list(self.problems),
            "key": self.key,
        }
        if self.kind is Kind.WEBSITE:
            return {**common, "kind": "website", "url": self.url, "score": self.score}
        return {
            **common,
            "kind": "new_media",
            "platform": self.platform,
            "account_id": self.account_id,
        }


def _sorted_entries(items: Iterable[Outcome]) -> tuple[Entry, ...]:
    # Unqualified first, then by region and name, as notices list them.
    entries = [Entry.of(o) for o in items]
    return tuple(sorted(entries, key=lambda e: (e.qualified, e.region, e.name, e.key)))


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """This quarter's rates against the previous quarter's, in percentage points."""

    previous_quarter: str
    websites_previous: str | None
    websites_change: str | None
    new_media_previous: str | None
    new_media_change: str | None

    def as_json(self, report: QuarterReport) -> dict[str, Any]:
        return {
            "previous_quarter": self.previous_quarter,
            "websites": {
                "previous_rate": self.websites_previous,
                "qualified_rate": report.websites.qualified_rate,
                "change": self.websites_change,
            },
            "new_media": {
                "previous_rate": self.new_media_previous,
                "qualified_rate": report.new_media.qualified_rate,
                "change": self.new_media_change,
            },
        }


def _difference(now: str | None, before: str | None) -> str | None:
    if now is None or before is None:
        return None
    delta = Decimal(now) - Decimal(before)
    return f"{delta:+.2f}"


@dataclass(frozen=True)
class QuarterReport:
    """Everything a quarter's notice states, ready for any format."""

    quarter: str
    profile_id: str
    profile_name: str
    source: str
    websites: Counts
    new_media: Counts
    in_operation: int | None
    sampled: int
    breakdowns: Mapping[str, tuple[Group, ...]]
    problem_websites: tuple[Entry, ...]
    problem_accounts: tuple[Entry, ...]
    not_rectified: tuple[Entry, ...]
    not_rechecked: tuple[Entry, ...]
    not_inspected: tuple[Entry, ...]
    change: Change | None
    open_conflicts: int
    sampling: Mapping[str, str]

    @property
    def sampling_ratio(self) -> str | None:
        if self.in_operation is None or self.sampled > self.in_operation:
            return None
        return sampling_ratio(self.sampled, self.in_operation)

    def as_json(self) -> dict[str, Any]:
        """The product.md report shape (and a few more keys)."""
        return {
            "quarter": self.quarter,
            "profile": {"id": self.profile_id, "name": self.profile_name},
            "source": self.source,
            "websites": self.websites.as_json(),
            "new_media": {
                "in_operation": self.in_operation,
                "sampled": self.sampled,
                "sampling_ratio": self.sampling_ratio,
                **self.new_media.as_json(),
            },
            "breakdowns": {
                name: [g.as_json() for g in groups] for name, groups in self.breakdowns.items()
            },
            "attachments": {
                "problem_websites": [e.as_json() for e in self.problem_websites],
                "problem_accounts": [e.as_json() for e in self.problem_accounts],
                "not_rectified": [e.as_json() for e in self.not_rectified],
                "not_rechecked": [e.as_json() for e in self.not_rechecked],
            },
            "not_inspected": [e.as_json() for e in self.not_inspected],
            "change": None if self.change is None else self.change.as_json(self),
            "open_conflicts": self.open_conflicts,
            "sampling": dict(self.sampling),
        }


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _breakdowns(items: Sequence[Outcome]) -> dict[str, tuple[Group, ...]]:
    out: dict[str, tuple[Group, ...]] = {}
    for name, _, read in DIMENSIONS:
        values: dict[str, list[Outcome]] = {}
        for o in items:
            if name == "platform" and o.target.kind is not Kind.NEW_MEDIA:
                continue
            values.setdefault(read(o.target) or UNFILLED, []).append(o)
        groups = []
        for value in sorted(values):
            members = values[value]
            sites = [o for o in members if o.target.kind is Kind.WEBSITE]
            accounts = [o for o in members if o.target.kind is Kind.NEW_MEDIA]
            groups.append(
                Group(value, count(sites) if sites else None, count(accounts) if accounts else None)
            )
        out[name] = tuple(groups)
    return out


def _read(path: Path) -> tuple[FindingsFile, Profile, list[Outcome]]:
    findings = FindingsFile.open(path)
    try:
        profile = load_profile(findings.profile_id)
        return findings, profile, outcomes(findings, profile)
    except BaseException:
        findings.close()
        raise


class PreviousQuarterError(FindingsError):
    """The file given as last quarter's cannot be compared with this quarter's.

    Kept apart from this quarter's own errors so a caller can say which file is wrong and keep
    the report it already has.
    """


def _read_previous(path: Path, quarter: str, profile_id: str) -> tuple[str, list[Outcome]]:
    """Last quarter's name and outcomes; refused unless it is an earlier quarter, same profile."""
    try:
        before, before_profile, items = _read(path)
    except (FindingsError, ProfileError) as exc:
        raise PreviousQuarterError(
            f"上季度文件无法使用 / cannot use the previous quarter's file: {exc}"
        ) from exc
    try:
        before_quarter = before.quarter
    finally:
        before.close()
    if before_profile.id != profile_id:
        raise PreviousQuarterError(
            f"上季度文件的指标体系不同 / the previous quarter's file uses another profile: "
            f"{path.name} 为 / is {before_profile.id}，本季度为 / this quarter is {profile_id}"
        )
    if before_quarter >= quarter:
        raise PreviousQuarterError(
            f"上季度文件不是更早的季度 / the previous quarter's file is not an earlier quarter: "
            f"{path.name} 为 / is {before_quarter}，本季度为 / this quarter is {quarter}"
        )
    return before_quarter, items


def build_report(path: Path, previous: Path | None = None) -> QuarterReport:
    """The report of the quarter file at ``path``, compared with ``previous`` when given.

    Raises FindingsError for an unusable file (PreviousQuarterError when it is ``previous``)
    and ProfileError when the quarter file's profile cannot be loaded.
    """
    findings, profile, items = _read(Path(path))
    try:
        info = findings.info
        open_conflicts = len(findings.conflicts("open"))
    finally:
        findings.close()
    quarter = info.get("quarter", "")
    sites = [o for o in items if o.target.kind is Kind.WEBSITE]
    accounts = [o for o in items if o.target.kind is Kind.NEW_MEDIA]
    sampled = _int(info.get("sample_accounts"))
    change: Change | None = None
    not_rectified: tuple[Entry, ...] = ()
    not_rechecked: tuple[Entry, ...] = ()
    websites, new_media = count(sites), count(accounts)
    if previous is not None:
        before_quarter, before_items = _read_previous(Path(previous), quarter, profile.id)
        now = {o.target.key: o for o in items}
        was_bad = [o for o in before_items if o.unqualified]
        not_rectified = _sorted_entries(
            now[o.target.key]
            for o in was_bad
            if o.target.key in now and now[o.target.key].unqualified
        )
        not_rechecked = _sorted_entries(
            o for o in was_bad if o.target.key not in now or not now[o.target.key].inspected
        )
        old_sites = count(o for o in before_items if o.target.kind is Kind.WEBSITE)
        old_accounts = count(o for o in before_items if o.target.kind is Kind.NEW_MEDIA)
        change = Change(
            previous_quarter=before_quarter,
            websites_previous=old_sites.qualified_rate,
            websites_change=_difference(websites.qualified_rate, old_sites.qualified_rate),
            new_media_previous=old_accounts.qualified_rate,
            new_media_change=_difference(new_media.qualified_rate, old_accounts.qualified_rate),
        )
    return QuarterReport(
        quarter=quarter,
        profile_id=profile.id,
        profile_name=profile.name_zh,
        source=Path(path).name,
        websites=websites,
        new_media=new_media,
        in_operation=_int(info.get("registry_accounts")),
        sampled=sampled if sampled is not None else len(accounts),
        breakdowns=_breakdowns(items),
        problem_websites=_sorted_entries(o for o in sites if o.inspected and o.problems),
        problem_accounts=_sorted_entries(o for o in accounts if o.inspected and o.problems),
        not_rectified=not_rectified,
        not_rechecked=not_rechecked,
        not_inspected=_sorted_entries(o for o in items if not o.inspected),
        change=change,
        open_conflicts=open_conflicts,
        sampling={
            k: info[k]
            for k in ("sample_seed", "sample_rules", "registry_websites", "registry_accounts")
            if k in info
        },
    )
