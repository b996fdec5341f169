"""``inspector sample``: draw the quarter's sample from the registry, the same way everywhere.

A sample must be fair and must be checkable: a department that was picked may ask why, and the
answer has to be "this seed, this registry, this rule", reproducible by anyone. Python's
``random`` is not a good basis for that (its algorithms and seeding have changed between versions
and differ in other tools), so every target gets a rank from SHA-256 of the seed and its stable
key, and the lowest ranks are taken. The same registry and seed give the same sample on any
machine, OS and Python version, and a larger sample contains the smaller one.

Websites and accounts are drawn separately (the usual quarter takes every website and a share of
the accounts). Optionally the draw is stratified by a column (region, platform, …): the quota is
shared among strata in proportion to their size by largest remainders, with at least one per
stratum where the quota allows. Must-include rules (every portal; the previous quarter's
unqualified targets, for re-review) are taken first and count towards the quota.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Literal

from inspector.samples import HEADER_ALIASES
from inspector.targets import Kind, Target

__all__ = [
    "INCLUDED_BY",
    "SAMPLE_FACTS",
    "Quota",
    "SampleDraw",
    "SamplingError",
    "allocate",
    "draw_sample",
    "must_include_from",
    "parse_quota",
    "rank",
]

#: The facts of a draw that travel from the sample list into every findings file and the quarter
#: file (``file_info``), where the report reads them: the new-media sampling ratio is
#: ``sample_accounts / registry_accounts`` ("in operation").
SAMPLE_FACTS = (
    "sample_seed",
    "sample_rules",
    "sample_registry",
    "registry_websites",
    "registry_accounts",
    "sample_websites",
    "sample_accounts",
)

#: Extra column of the sample list saying why a target is in it.
INCLUDED_BY = "入选方式"
BY_RANDOM = "随机抽取"
BY_ALL = "全部检查"
BY_PORTAL = "门户网站必查"
BY_PREVIOUS = "上季度不合格复查"

#: Version of the ranking rule, recorded with every sample so an old draw can be re-checked.
METHOD = "sha256-rank-v1"

_FIELDS = ("region", "level", "category", "platform", "owner")
_IGNORED = re.compile(r"[\s_\-]+")


class SamplingError(ValueError):
    """A draw that cannot be made as asked; the message says why in Chinese and English."""


def _fold(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


# --- quotas -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    """How many of one kind to draw: every one, a count, or a percentage of the registry."""

    mode: Literal["all", "count", "percent"]
    value: Decimal = Decimal(0)

    def size(self, pool: int, what: str) -> int:
        """The sample size for a registry of ``pool``; a percentage rounds half up."""
        if self.mode == "all":
            return pool
        if self.mode == "count":
            wanted = int(self.value)
            if wanted > pool:
                raise SamplingError(
                    f"要抽取 {wanted} 个{_KIND_ZH[what]}，名录中只有 {pool} 个 / asked for "
                    f"{wanted} {what}, the registry has {pool}"
                )
            return wanted
        exact = self.value * pool / 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def __str__(self) -> str:
        if self.mode == "all":
            return "all"
        if self.mode == "count":
            return str(int(self.value))
        return f"{self.value}%"


_KIND_ZH = {"websites": "网站", "accounts": "新媒体账号"}


def parse_quota(text: str) -> Quota:
    """``all``/``全部``, a count such as ``266``, or a percentage such as ``27.45%``."""
    raw = unicodedata.normalize("NFKC", text).strip().lower()
    if raw in ("all", "全部", "*"):
        return Quota("all")
    bad = SamplingError(
        f"抽样数量应为 all、整数或百分比（如 27.45%）/ a quota is all, a count or a percentage "
        f"such as 27.45%, not {text!r}"
    )
    try:
        if raw.endswith("%"):
            value = Decimal(raw[:-1])
            if not value.is_finite() or not 0 <= value <= 100:
                raise bad
            return Quota("percent", value)
        if not raw.isdigit():
            raise bad
        return Quota("count", Decimal(int(raw)))
    except InvalidOperation:
        raise bad from None


# --- ranking and allocation -------------------------------------------------------------------


def rank(seed: str, key: str) -> str:
    """A target's place in the draw: SHA-256 of seed and key; the lowest ranks are drawn."""
    return hashlib.sha256(f"{seed}\x1f{key}".encode()).hexdigest()


def allocate(
    sizes: Mapping[str, int], n: int, *, seed: str, need_one: Iterable[str] | None = None
) -> dict[str, int]:
    """Share ``n`` draws among strata in proportion to ``sizes``, by largest remainders.

    Strata in ``need_one`` (all of them when not given) get at least one draw where ``n``
    allows, taken from the stratum given most above its exact share. Ties are broken by a
    seeded hash of the stratum name, never by its alphabetical place.
    """
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    if n <= 0:
        return dict.fromkeys(sizes, 0)
    exact = {h: Fraction(n * size, total) for h, size in sizes.items()}
    alloc = {h: math.floor(q) for h, q in exact.items()}
    left = n - sum(alloc.values())
    by_remainder = sorted(sizes, key=lambda h: (-(exact[h] - alloc[h]), rank(seed, f"stratum:{h}")))
    for h in by_remainder[:left]:
        alloc[h] += 1
    needy_set = set(sizes if need_one is None else need_one)
    needy = sorted(
        (h for h in needy_set if h in sizes and sizes[h] > 0 and alloc[h] == 0),
        key=lambda h: (-sizes[h], rank(seed, f"stratum:{h}")),
    )
    for h in needy:
        donors = [d for d in alloc if alloc[d] - 1 >= (1 if d in needy_set else 0) and d != h]
        if not donors:
            break
        donor = max(donors, key=lambda d: (alloc[d] - exact[d], rank(seed, f"stratum:{d}")))
        alloc[donor] -= 1
        alloc[h] = 1
    return alloc


def stratum_column(column: str, targets: Sequence[Target]) -> str:
    """The canonical field (``region``…) or extra column a ``--stratify`` name means."""
    folded = _fold(column)
    for name in _FIELDS:
        if folded == name or any(folded == _fold(a) for a in HEADER_ALIASES[name]):
            return name
    for target in targets:
        for extra in target.extra:
            if _fold(extra) == folded:
                return f"extra:{extra}"
    known = "、".join(HEADER_ALIASES[f][0] for f in _FIELDS)
    raise SamplingError(
        f"名录中没有分层列「{column}」（可用：{known} 或名录中的其他列）/ no column {column!r} "
        f"to stratify by (use {', '.join(_FIELDS)} or another column of the registry)"
    )


def stratum_of(target: Target, column: str) -> str:
    if column.startswith("extra:"):
        return target.extra.get(column[len("extra:") :], "")
    value = getattr(target, column)
    return value or ""


# --- the draw ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleDraw:
    """A drawn sample: the targets (registry order, with why each is in it) and its facts.

    ``strata`` maps kind → stratum → (registry size, drawn). ``not_in_registry`` lists
    must-include keys that the registry no longer has (closed sites, renamed accounts).
    """

    targets: tuple[Target, ...]
    meta: Mapping[str, str]
    strata: Mapping[str, Mapping[str, tuple[int, int]]]
    not_in_registry: tuple[str, ...]


def draw_sample(
    registry: Sequence[Target],
    *,
    seed: str,
    websites: Quota,
    accounts: Quota,
    stratify: str | None = None,
    must_include: Mapping[str, str] | None = None,
    include_portals: bool = False,
    registry_name: str = "",
    include_from_name: str = "",
) -> SampleDraw:
    """Draw websites and accounts from ``registry`` under ``seed``.

    ``must_include`` maps target keys to the reason they must be in (e.g. re-review); they
    and, with ``include_portals``, every portal count towards the quota, which grows when they
    alone exceed it. Raises SamplingError when the quota or the column cannot be honoured.
    """
    seed = seed.strip()
    if not seed:
        raise SamplingError("必须给出随机种子 / a seed is required")
    must = dict(must_include or {})
    column = stratum_column(stratify, registry) if stratify else None
    chosen: dict[str, str] = {}
    strata: dict[str, dict[str, tuple[int, int]]] = {}
    sizes: dict[str, int] = {}
    for kind, quota, what in (
        (Kind.WEBSITE, websites, "websites"),
        (Kind.NEW_MEDIA, accounts, "accounts"),
    ):
        pool = [t for t in registry if t.kind is kind]
        required: dict[str, str] = {}
        for t in pool:
            if t.key in must:
                required[t.key] = must[t.key]
            elif include_portals and t.is_portal:
                required[t.key] = BY_PORTAL
        n = max(quota.size(len(pool), what), len(required))
        sizes[what] = n
        chosen.update(required)
        rest = [t for t in pool if t.key not in required]
        groups: dict[str, list[Target]] = {}
        for t in rest:
            groups.setdefault(stratum_of(t, column) if column else "", []).append(t)
        represented = {stratum_of(t, column) if column else "" for t in pool if t.key in required}
        alloc = allocate(
            {h: len(g) for h, g in groups.items()},
            n - len(required),
            seed=seed,
            need_one=[h for h in groups if h not in represented],
        )
        random_reason = BY_ALL if quota.mode == "all" else BY_RANDOM
        for h, members in groups.items():
            for t in sorted(members, key=lambda t: rank(seed, t.key))[: alloc.get(h, 0)]:
                chosen[t.key] = random_reason
        if column:
            counts: dict[str, tuple[int, int]] = {}
            for t in pool:
                h = stratum_of(t, column)
                size, drawn = counts.get(h, (0, 0))
                counts[h] = (size + 1, drawn + (t.key in chosen))
            strata[what] = dict(sorted(counts.items()))
    targets = tuple(
        replace(t, extra={**t.extra, INCLUDED_BY: chosen[t.key]})
        for t in registry
        if t.key in chosen
    )
    registry_keys = {t.key for t in registry}
    missing = tuple(sorted(k for k in must if k not in registry_keys))
    rules = [
        f"websites={websites}",
        f"accounts={accounts}",
        f"stratify={stratify or '-'}",
        f"include_portals={'yes' if include_portals else 'no'}",
        f"include_from={include_from_name or '-'} ({len(must)})",
        f"method={METHOD}",
    ]
    meta = {
        "sample_seed": seed,
        "sample_rules": "; ".join(rules),
        "sample_registry": registry_name or "-",
        "registry_websites": str(sum(t.kind is Kind.WEBSITE for t in registry)),
        "registry_accounts": str(sum(t.kind is Kind.NEW_MEDIA for t in registry)),
        "sample_websites": str(sum(t.kind is Kind.WEBSITE for t in targets)),
        "sample_accounts": str(sum(t.kind is Kind.NEW_MEDIA for t in targets)),
    }
    return SampleDraw(targets, meta, strata, missing)


def must_include_from(path: Path) -> dict[str, str]:
    """Keys to re-review from ``path``: a quarter findings file (its unqualified targets) or a
    list (every target in it). Raises SamplingError, FindingsError or SampleError."""
    from inspector.samples import read_sample
    from inspector.store.schema import SQLITE_MAGIC

    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        from inspector.report.figures import unqualified_keys

        return dict.fromkeys(unqualified_keys(path), BY_PREVIOUS)
    return {t.key: BY_PREVIOUS for t in read_sample(path).targets}
