"""``inspector assign``: share a sample among inspectors, one pre-filled findings file each.

Fair shares matter to the people doing the work, and an owner's website and its accounts are
best checked by one person (the same department, the same contact, one phone call to clarify).
So the split keeps each owner's targets together wherever the balance allows and is otherwise
exact: for websites and for accounts separately, any two inspectors' counts differ by at most
one. It is deterministic: the same sample and names always give the same split.

How: owners' groups, largest first, go whole to the inspector with the most room left, where a
group still fits within that inspector's share; the groups that fit nowhere whole are then split
in as few pieces as the remaining room allows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from inspector.samples import write_sample
from inspector.sampling import SAMPLE_FACTS
from inspector.store import FindingsError, FindingsFile
from inspector.targets import Kind, Target

__all__ = ["AssignError", "Assignment", "assign", "parse_inspectors", "write_assignment"]

_KINDS = (Kind.WEBSITE, Kind.NEW_MEDIA)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


class AssignError(ValueError):
    """The split cannot be made or written as asked; the message is bilingual."""


@dataclass(frozen=True)
class Assignment:
    """Each inspector's targets, in sample-list order, and how many owners had to be split."""

    shares: Mapping[str, tuple[Target, ...]]
    split_owners: tuple[str, ...]


def parse_inspectors(text: str) -> list[str]:
    """``张三,李四`` (also with Chinese commas or 、) → names, refusing blanks and duplicates."""
    names = [n.strip() for n in re.split(r"[,，、;；]", text)]
    if not names or any(not n for n in names):
        raise AssignError(f"检查员名单中有空名字 / empty name in the inspectors list: {text!r}")
    if len(set(names)) != len(names):
        raise AssignError(f"检查员名单有重名 / a name appears twice: {text!r}")
    return names


def _group_key(target: Target) -> str:
    # Without an owner a target is its own group: nothing says it belongs with another.
    return f"owner:{target.owner}" if target.owner.strip() else f"target:{target.key}"


def _shares(total: int, people: int) -> tuple[int, int]:
    """(floor share, how many inspectors get one more)."""
    return total // people, total % people


def assign(targets: Sequence[Target], inspectors: Sequence[str]) -> Assignment:
    """Split ``targets`` among ``inspectors`` (see the module docstring for the rules)."""
    if not inspectors:
        raise AssignError("至少需要一名检查员 / at least one inspector is needed")
    if len(set(inspectors)) != len(inspectors):
        raise AssignError("检查员名单有重名 / a name appears twice")
    people = len(inspectors)
    groups: dict[str, list[Target]] = {}
    for target in targets:
        groups.setdefault(_group_key(target), []).append(target)

    floor: dict[Kind, int] = {}
    extra: dict[Kind, int] = {}
    for kind in _KINDS:
        floor[kind], extra[kind] = _shares(sum(t.kind is kind for t in targets), people)
    load = {name: dict.fromkeys(_KINDS, 0) for name in inspectors}
    taken: dict[str, list[Target]] = {name: [] for name in inspectors}

    def above_floor(kind: Kind) -> int:
        return sum(load[n][kind] > floor[kind] for n in inspectors)

    def fits(name: str, need: Mapping[Kind, int]) -> bool:
        for kind in _KINDS:
            after = load[name][kind] + need[kind]
            if after <= floor[kind]:
                continue
            # One over the floor is allowed for as many inspectors as the remainder allows.
            already = load[name][kind] > floor[kind]
            if after > floor[kind] + 1 or (not already and above_floor(kind) >= extra[kind]):
                return False
        return True

    def room(name: str) -> tuple[float, int]:
        free = 0.0
        for kind in _KINDS:
            share = floor[kind] + (1 if extra[kind] else 0)
            if share:
                free += (share - load[name][kind]) / share
        return (free, -inspectors.index(name))

    def counts(members: Sequence[Target]) -> dict[Kind, int]:
        return {kind: sum(t.kind is kind for t in members) for kind in _KINDS}

    order = sorted(groups, key=lambda g: (-len(groups[g]), -counts(groups[g])[Kind.WEBSITE], g))
    leftovers: list[str] = []
    for g in order:
        need = counts(groups[g])
        candidates = [n for n in inspectors if fits(n, need)]
        if not candidates:
            leftovers.append(g)
            continue
        best = max(candidates, key=room)
        taken[best].extend(groups[g])
        for kind in _KINDS:
            load[best][kind] += need[kind]

    # What is left fits exactly into the remaining room: give each inspector a final capacity
    # (the floor, or one more while the remainder lasts, to those with least so far) and fill it
    # with the leftover groups in as few pieces as possible.
    capacity: dict[str, dict[Kind, int]] = {}
    for kind in _KINDS:
        spare = extra[kind] - above_floor(kind)
        for name in sorted(inspectors, key=lambda n: (load[n][kind], inspectors.index(n))):
            top = floor[kind] + (1 if load[name][kind] > floor[kind] else 0)
            if load[name][kind] <= floor[kind] and spare > 0:
                top, spare = floor[kind] + 1, spare - 1
            capacity.setdefault(name, {})[kind] = top
    split: list[str] = []
    for g in leftovers:
        pending = {kind: [t for t in groups[g] if t.kind is kind] for kind in _KINDS}
        pieces = 0
        while any(pending.values()):
            free = {n: {k: capacity[n][k] - load[n][k] for k in _KINDS} for n in inspectors}
            best = max(
                inspectors,
                key=lambda n: (
                    sum(min(free[n][k], len(pending[k])) for k in _KINDS),
                    -inspectors.index(n),
                ),
            )
            moved = 0
            for kind in _KINDS:
                count = min(free[best][kind], len(pending[kind]))
                taken[best].extend(pending[kind][:count])
                pending[kind] = pending[kind][count:]
                load[best][kind] += count
                moved += count
            if moved == 0:  # cannot happen: the capacities add up to the sample exactly
                raise AssertionError("assignment capacities do not cover the sample")
            pieces += 1
        if pieces > 1:
            split.append(g.removeprefix("owner:"))

    position = {t.key: i for i, t in enumerate(targets)}
    shares = {
        name: tuple(sorted(taken[name], key=lambda t: position[t.key])) for name in inspectors
    }
    return Assignment(shares, tuple(split))


def safe_file_name(name: str) -> str:
    """An inspector's name as a file name on Windows and Linux alike."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned or "_"


def write_assignment(
    assignment: Assignment,
    out_dir: Path,
    *,
    quarter: str,
    profile_id: str,
    sample_meta: Mapping[str, str],
    sample_name: str,
) -> list[tuple[str, Path, Path]]:
    """One findings file (``2025Q2-张三.sqlite``) and one XLSX list per inspector.

    Every path is checked before anything is written, so an existing file refuses the whole
    assignment rather than leaving half of it. Returns (inspector, findings, list) per inspector.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    facts = {k: v for k, v in sample_meta.items() if k in SAMPLE_FACTS and v}
    planned: list[tuple[str, Path, Path]] = []
    stems: set[str] = set()
    for name in assignment.shares:
        stem = f"{quarter}-{safe_file_name(name)}"
        if stem.casefold() in stems:
            raise AssignError(
                f"两名检查员的文件名相同 / two inspectors map to one file name: {stem}"
            )
        stems.add(stem.casefold())
        planned.append((name, out_dir / f"{stem}.sqlite", out_dir / f"{stem}.xlsx"))
    clash = [str(p) for _, db, xlsx in planned for p in (db, xlsx) if p.exists()]
    if clash:
        raise AssignError(
            "以下文件已存在，未分配 / these files already exist, nothing was assigned:\n  "
            + "\n  ".join(clash)
        )
    written: list[Path] = []
    try:
        for name, db, xlsx in planned:
            share = assignment.shares[name]
            info = {
                **facts,
                "sample_file": sample_name,
                "assigned_websites": str(sum(t.kind is Kind.WEBSITE for t in share)),
                "assigned_accounts": str(sum(t.kind is Kind.NEW_MEDIA for t in share)),
            }
            with FindingsFile.create(
                db, quarter=quarter, inspector=name, profile_id=profile_id, info=info
            ) as findings:
                written.append(db)
                findings.add_targets(share, who=name)
            write_sample(xlsx, share, meta={**info, "quarter": quarter, "inspector": name})
            written.append(xlsx)
    except (FindingsError, OSError, ValueError):
        for path in written:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    return planned
