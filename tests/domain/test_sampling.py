"""``inspector sample`` (issue #5): reproducible, proportional, must-includes honoured, recorded."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.cli import main
from inspector.samples import read_sample, write_sample
from inspector.sampling import (
    BY_PORTAL,
    BY_PREVIOUS,
    BY_RANDOM,
    INCLUDED_BY,
    Quota,
    SamplingError,
    allocate,
    draw_sample,
    must_include_from,
    parse_quota,
    rank,
)
from inspector.targets import Kind, State, Target
from tests.domain.quarterkit import account, inspector_file, site

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ("海口市", "三亚市", "儋州市", "五指山市")


def registry(websites: int = 40, accounts: int = 300) -> list[Target]:
    sites = [
        site(n, region=REGIONS[n % 4] if n % 10 else "五指山市", portal=n < 3)
        for n in range(websites)
    ]
    # uneven strata: 海口市 has most accounts, 五指山市 only a handful
    accts = [
        account(n, region=REGIONS[min(n % 7, 3)] if n % 50 else "五指山市") for n in range(accounts)
    ]
    return sites + accts


def keys(targets: tuple[Target, ...] | list[Target], kind: Kind | None = None) -> list[str]:
    return [t.key for t in targets if kind is None or t.kind is kind]


# --- quotas -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pool", "size"),
    [
        ("all", 969, 969),
        ("全部", 5, 5),
        ("266", 969, 266),
        ("27.45%", 969, 266),  # 265.99… rounds to the published 266
        ("50%", 3, 2),  # 1.5 rounds half up
        ("0%", 10, 0),
        ("１００％", 7, 7),  # full-width digits as typed in Chinese input methods
    ],
)
def test_a_quota_is_all_a_count_or_a_percentage(text: str, pool: int, size: int) -> None:
    assert parse_quota(text).size(pool, "accounts") == size


@pytest.mark.parametrize("text", ["", "abc", "-3", "120%", "2.5", "NaN%", "1e3"])
def test_a_bad_quota_is_refused_in_plain_words(text: str) -> None:
    with pytest.raises(SamplingError, match="quota is all, a count or a percentage"):
        parse_quota(text)


def test_a_count_larger_than_the_registry_is_refused() -> None:
    with pytest.raises(SamplingError, match="asked for 300 accounts, the registry has 269"):
        Quota("count", Decimal(300)).size(269, "accounts")


# --- ranking: the same everywhere -------------------------------------------------------------


def test_the_rank_is_sha256_of_seed_and_key_and_never_changes() -> None:
    # Pinned: changing the rule would change every past sample, so it must fail a test.
    expected = hashlib.sha256(b"2025Q2\x1fsite:4600000001").hexdigest()
    assert rank("2025Q2", "site:4600000001") == expected
    draw = draw_sample(
        registry(10, 40), seed="2025Q2", websites=parse_quota("3"), accounts=parse_quota("4")
    )
    pinned = [
        "site:4600000003",
        "site:4600000005",
        "site:4600000006",
        "account:wechat:gh_00004",
        "account:wechat:gh_00018",
        "account:wechat:gh_00019",
        "account:wechat:gh_00030",
    ]
    assert keys(draw.targets) == pinned
    # and it is simply the lowest hashes, which anyone can recompute with any SHA-256 tool
    for kind, n in ((Kind.WEBSITE, 3), (Kind.NEW_MEDIA, 4)):
        pool = [t.key for t in registry(10, 40) if t.kind is kind]
        lowest = sorted(pool, key=lambda k: hashlib.sha256(f"2025Q2\x1f{k}".encode()).hexdigest())
        assert set(lowest[:n]) == set(keys(draw.targets, kind))


def test_the_same_registry_and_seed_give_the_same_sample_in_any_process() -> None:
    code = (
        "from inspector.sampling import draw_sample, parse_quota\n"
        "from tests.domain.test_sampling import registry\n"
        "d = draw_sample(registry(), seed='s', websites=parse_quota('10'),"
        " accounts=parse_quota('27.45%'), stratify='region')\n"
        "print(','.join(t.key for t in d.targets))\n"
    )
    outputs = set()
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    here = draw_sample(
        registry(),
        seed="s",
        websites=parse_quota("10"),
        accounts=parse_quota("27.45%"),
        stratify="region",
    )
    assert outputs == {",".join(keys(here.targets)) + "\n"}


def test_another_seed_gives_another_sample_and_a_larger_one_contains_the_smaller() -> None:
    reg = registry()
    small = draw_sample(reg, seed="a", websites=parse_quota("0"), accounts=parse_quota("20"))
    large = draw_sample(reg, seed="a", websites=parse_quota("0"), accounts=parse_quota("60"))
    other = draw_sample(reg, seed="b", websites=parse_quota("0"), accounts=parse_quota("20"))
    assert set(keys(small.targets)) < set(keys(large.targets))
    assert set(keys(small.targets)) != set(keys(other.targets))


def test_the_draw_does_not_depend_on_the_registry_order() -> None:
    reg = registry()
    forward = draw_sample(reg, seed="x", websites=parse_quota("5"), accounts=parse_quota("50"))
    backward = draw_sample(
        reg[::-1], seed="x", websites=parse_quota("5"), accounts=parse_quota("50")
    )
    assert set(keys(forward.targets)) == set(keys(backward.targets))
    # the list keeps the registry's order
    assert keys(forward.targets) == [t.key for t in reg if t.key in set(keys(forward.targets))]


# --- allocation -------------------------------------------------------------------------------


def test_allocation_is_proportional_by_largest_remainders() -> None:
    # exact shares 26.60, 13.30, 6.65, 3.32, 0.13 (sum 50)
    sizes = {"a": 400, "b": 200, "c": 100, "d": 50, "e": 2}
    alloc = allocate(sizes, 50, seed="s", need_one=[])
    assert alloc == {"a": 27, "b": 13, "c": 7, "d": 3, "e": 0}
    # at least one per stratum: the one comes from the stratum given most above its share
    # (a: 27 against 26.6)
    alloc = allocate(sizes, 50, seed="s")
    assert alloc == {"a": 26, "b": 13, "c": 7, "d": 3, "e": 1}


def test_allocation_edges() -> None:
    assert allocate({"a": 3, "b": 2}, 10, seed="s") == {"a": 3, "b": 2}
    assert allocate({"a": 3, "b": 2}, 0, seed="s") == {"a": 0, "b": 0}
    # fewer draws than strata: as many strata as draws get one, the biggest first
    assert sorted(allocate({"a": 5, "b": 4, "c": 3}, 2, seed="s").values()) == [0, 1, 1]


@settings(max_examples=400, deadline=None)
@given(
    sizes=st.dictionaries(
        st.text("abcdef", min_size=1, max_size=2), st.integers(0, 60), min_size=1, max_size=8
    ),
    fraction=st.floats(0, 1),
    seed=st.text(max_size=4),
)
def test_allocation_properties(sizes: dict[str, int], fraction: float, seed: str) -> None:
    total = sum(sizes.values())
    n = round(total * fraction)
    alloc = allocate(sizes, n, seed=seed)
    assert sum(alloc.values()) == min(n, total)
    assert all(0 <= alloc[h] <= sizes[h] for h in sizes)
    filled = [h for h in sizes if sizes[h]]
    if n >= len(filled):
        assert all(alloc[h] >= 1 for h in filled)
    if n and total:
        # never further than one draw from the exact share, except where a one was moved
        exact = {h: Fraction(n * s, total) for h, s in sizes.items()}
        moved = sum(1 for h in filled if alloc[h] == 1 and exact[h] < 1)
        assert sum(abs(alloc[h] - exact[h]) >= 1 for h in sizes) <= 2 * moved
    assert allocate(dict(reversed(list(sizes.items()))), n, seed=seed) == alloc


def test_stratified_draw_follows_the_strata_and_reports_them() -> None:
    reg = registry()
    draw = draw_sample(
        reg, seed="q", websites=parse_quota("all"), accounts=parse_quota("30"), stratify="地区"
    )
    strata = draw.strata["accounts"]
    assert sum(drawn for _, drawn in strata.values()) == 30
    assert sum(size for size, _ in strata.values()) == 300
    assert all(drawn >= 1 for _, drawn in strata.values())
    sizes = {h: size for h, (size, _) in strata.items()}
    assert {h: drawn for h, (_, drawn) in strata.items()} == allocate(sizes, 30, seed="q")
    assert draw.strata["websites"] == {h: (s, s) for h, (s, _) in draw.strata["websites"].items()}


def test_stratifying_by_an_unknown_column_is_refused() -> None:
    with pytest.raises(SamplingError, match="no column '颜色' to stratify by"):
        draw_sample(
            registry(),
            seed="q",
            websites=parse_quota("all"),
            accounts=parse_quota("3"),
            stratify="颜色",
        )


def test_stratify_by_an_extra_column_of_the_registry() -> None:
    reg = [
        Target(**{**t.__dict__, "extra": {"片区": "东" if i % 3 else "西"}})
        for i, t in enumerate(registry(0, 30))
    ]
    draw = draw_sample(
        reg, seed="q", websites=parse_quota("all"), accounts=parse_quota("9"), stratify="片区"
    )
    assert draw.strata["accounts"] == {"东": (20, 6), "西": (10, 3)}


# --- must-include rules -----------------------------------------------------------------------


def test_portals_and_last_quarters_unqualified_are_always_in() -> None:
    reg = registry()
    must = {
        account(5).key: BY_PREVIOUS,
        account(6).key: BY_PREVIOUS,
        "account:wechat:gone": BY_PREVIOUS,
    }
    draw = draw_sample(
        reg,
        seed="q",
        websites=parse_quota("10%"),
        accounts=parse_quota("10"),
        include_portals=True,
        must_include=must,
        stratify="region",
    )
    why = {t.key: t.extra[INCLUDED_BY] for t in draw.targets}
    assert [why[site(n).key] for n in range(3)] == [BY_PORTAL] * 3
    assert why[account(5).key] == why[account(6).key] == BY_PREVIOUS
    # they count towards the quota
    assert len(keys(draw.targets, Kind.NEW_MEDIA)) == 10
    assert len(keys(draw.targets, Kind.WEBSITE)) == 4
    assert list(why.values()).count(BY_RANDOM) == 1 + 8
    assert draw.not_in_registry == ("account:wechat:gone",)


def test_must_includes_beyond_the_quota_enlarge_the_sample() -> None:
    must = {account(n).key: BY_PREVIOUS for n in range(8)}
    draw = draw_sample(
        registry(),
        seed="q",
        websites=parse_quota("0"),
        accounts=parse_quota("5"),
        must_include=must,
    )
    assert len(draw.targets) == 8 and draw.meta["sample_accounts"] == "8"


def test_must_include_from_a_quarter_file_takes_its_unqualified_targets(tmp_path: Path) -> None:
    prev = tmp_path / "2025Q1.sqlite"
    with inspector_file(
        prev, "张三", [site(1), site(2), account(1), account(2)], quarter="2025Q1"
    ) as f:
        f.set_result(site(1).key, "W-V3", State.PROBLEM, who="张三")  # veto: unqualified
        f.set_result(site(2).key, "W-D19", State.PROBLEM, who="张三")  # a deduction only
        f.set_result(account(1).key, "M-V2", State.PROBLEM, who="张三")
        f.set_result(account(2).key, "M-D1", State.PROBLEM, who="张三")
    assert must_include_from(prev) == {site(1).key: BY_PREVIOUS, account(1).key: BY_PREVIOUS}
    listed = tmp_path / "复查名单.csv"
    write_sample(listed, [site(7), account(9)])
    assert set(must_include_from(listed)) == {site(7).key, account(9).key}


# --- the output -------------------------------------------------------------------------------


def test_meta_records_seed_rules_and_registry_size_per_kind() -> None:
    draw = draw_sample(
        registry(),
        seed="2025Q2",
        websites=parse_quota("all"),
        accounts=parse_quota("27.45%"),
        stratify="region",
        registry_name="名录.xlsx",
    )
    meta = draw.meta
    assert meta["sample_seed"] == "2025Q2"
    assert (meta["registry_websites"], meta["registry_accounts"]) == ("40", "300")
    assert (meta["sample_websites"], meta["sample_accounts"]) == ("40", "82")  # 82.35 → 82
    assert meta["sample_registry"] == "名录.xlsx"
    assert "accounts=27.45%" in meta["sample_rules"] and "stratify=region" in meta["sample_rules"]
    assert "method=sha256-rank-v1" in meta["sample_rules"]


def test_the_sample_command_writes_a_list_that_reads_back(tmp_path: Path) -> None:
    reg_path = tmp_path / "名录.xlsx"
    write_sample(reg_path, registry())
    runner = CliRunner()
    for out in ("s1.csv", "s2.csv", "s.xlsx"):
        result = runner.invoke(
            main,
            [
                "sample",
                str(reg_path),
                "--accounts",
                "27.45%",
                "--seed",
                "2025Q2",
                "--stratify",
                "region",
                "--include-portals",
                "-o",
                str(tmp_path / out),
            ],
        )
        assert result.exit_code == 0, result.output
    assert "drew websites 40 of 40, accounts 82 of 300 (seed 2025Q2)" in result.output
    # byte for byte the same list from the same registry and seed
    assert (tmp_path / "s1.csv").read_bytes() == (tmp_path / "s2.csv").read_bytes()
    back = read_sample(tmp_path / "s.xlsx")
    assert back.problems == ()
    assert back.meta["registry_accounts"] == "300" and back.meta["sample_seed"] == "2025Q2"
    assert len(back.accounts) == 82 and len(back.websites) == 40
    assert {t.extra[INCLUDED_BY] for t in back.websites} == {"全部检查", BY_PORTAL}


def test_the_sample_command_reports_bad_input_clearly(tmp_path: Path) -> None:
    reg_path = tmp_path / "名录.csv"
    write_sample(reg_path, registry(2, 5))
    runner = CliRunner()
    bad = runner.invoke(
        main,
        ["sample", str(reg_path), "--accounts", "9", "--seed", "1", "-o", str(tmp_path / "o.csv")],
    )
    assert bad.exit_code == 1 and "asked for 9 accounts, the registry has 5" in bad.output
    assert "Traceback" not in bad.output and not (tmp_path / "o.csv").exists()
    png = tmp_path / "名录2.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(40))
    bad = runner.invoke(main, ["sample", str(png), "--seed", "1", "-o", str(tmp_path / "o.csv")])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    # a registry with a bad row: drawn from the good rows, the bad one named
    reg_path.write_text(
        reg_path.read_text(encoding="utf-8-sig") + "网站,坏行,,,,,,,,,否,否\n", encoding="utf-8-sig"
    )
    ok = runner.invoke(
        main, ["sample", str(reg_path), "--seed", "1", "-o", str(tmp_path / "o.csv")]
    )
    assert ok.exit_code == 0, ok.output
    assert "1 registry rows were refused" in ok.output
    assert read_sample(tmp_path / "o.csv").meta["registry_refused_rows"] == "1"
