"""``inspector assign`` (issue #5): balanced by kind, owners kept together, one file each."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.assign import AssignError, assign, parse_inspectors, safe_file_name, write_assignment
from inspector.cli import main
from inspector.samples import read_sample, write_sample
from inspector.store import FindingsFile
from inspector.targets import Kind, Target
from tests.domain.quarterkit import account, site


def loads(shares: dict[str, tuple[Target, ...]], kind: Kind) -> list[int]:
    return [sum(t.kind is kind for t in share) for share in shares.values()]


def owners_of(shares: dict[str, tuple[Target, ...]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, share in shares.items():
        for t in share:
            found.setdefault(t.owner, set()).add(name)
    return found


def test_owners_stay_together_when_the_shares_allow() -> None:
    # six departments, each one site and two accounts; three inspectors: two departments each
    targets = [
        t
        for n in range(6)
        for t in (
            site(n, owner=f"局{n}"),
            account(2 * n, owner=f"局{n}"),
            account(2 * n + 1, owner=f"局{n}"),
        )
    ]
    split = assign(targets, ["张三", "李四", "王五"])
    assert loads(dict(split.shares), Kind.WEBSITE) == [2, 2, 2]
    assert loads(dict(split.shares), Kind.NEW_MEDIA) == [4, 4, 4]
    assert all(len(names) == 1 for names in owners_of(dict(split.shares)).values())
    assert split.split_owners == ()
    # each share keeps the sample list's order
    for share in split.shares.values():
        assert list(share) == [t for t in targets if t in share]


def test_a_department_too_big_for_one_share_is_split_and_named() -> None:
    targets = [account(n, owner="宣传部") for n in range(10)] + [site(n) for n in range(4)]
    split = assign(targets, ["张三", "李四"])
    assert loads(dict(split.shares), Kind.NEW_MEDIA) == [5, 5]
    assert loads(dict(split.shares), Kind.WEBSITE) == [2, 2]
    assert split.split_owners == ("宣传部",)


def test_the_split_is_deterministic_and_ignores_nothing() -> None:
    targets = [site(n, owner=f"局{n % 5}") for n in range(23)] + [
        account(n, owner=f"局{n % 7}") for n in range(61)
    ]
    first = assign(targets, ["甲", "乙", "丙", "丁"])
    again = assign(targets, ["甲", "乙", "丙", "丁"])
    assert first == again


@settings(max_examples=300, deadline=None)
@given(
    plan=st.lists(st.tuples(st.booleans(), st.integers(0, 12)), min_size=0, max_size=80),
    people=st.integers(1, 6),
)
def test_any_two_inspectors_differ_by_at_most_one_per_kind(
    plan: list[tuple[bool, int]], people: int
) -> None:
    targets = [
        site(n, owner=f"局{o}" if o else "") if is_site else account(n, owner=f"局{o}" if o else "")
        for n, (is_site, o) in enumerate(plan)
    ]
    names = [f"检查员{i}" for i in range(people)]
    split = assign(targets, names)
    shares = dict(split.shares)
    for kind in Kind:
        counts = loads(shares, kind)
        assert max(counts) - min(counts) <= 1
    assigned = [t.key for share in shares.values() for t in share]
    assert sorted(assigned) == sorted(t.key for t in targets)  # each exactly once
    owners = owners_of(shares)
    assert set(split.split_owners) == {o for o, names_ in owners.items() if len(names_) > 1 and o}


def test_names_are_parsed_and_checked() -> None:
    assert parse_inspectors("张三, 李四，王五、赵六") == ["张三", "李四", "王五", "赵六"]
    with pytest.raises(AssignError, match="appears twice"):
        parse_inspectors("张三,张三")
    with pytest.raises(AssignError, match="empty name"):
        parse_inspectors("张三,,李四")
    assert safe_file_name('a/b:c*?"<>|') == "a_b_c______"


def test_each_inspector_gets_a_prefilled_findings_file_and_a_list(tmp_path: Path) -> None:
    targets = [site(n, owner=f"局{n}") for n in range(5)] + [
        account(n, owner=f"局{n}") for n in range(9)
    ]
    meta = {
        "sample_seed": "7",
        "registry_accounts": "969",
        "registry_websites": "122",
        "sample_accounts": "9",
        "other": "x",
    }
    split = assign(targets, ["张三", "李四"])
    written = write_assignment(
        split,
        tmp_path / "out",
        quarter="2025Q2",
        profile_id="national-2019",
        sample_meta=meta,
        sample_name="样本.xlsx",
    )
    assert [(n, db.name, x.name) for n, db, x in written] == [
        ("张三", "2025Q2-张三.sqlite", "2025Q2-张三.xlsx"),
        ("李四", "2025Q2-李四.sqlite", "2025Q2-李四.xlsx"),
    ]
    for name, db, xlsx in written:
        with FindingsFile.open(db) as f:
            assert (f.quarter, f.inspector, f.profile_id) == ("2025Q2", name, "national-2019")
            info = f.info
            assert info["sample_seed"] == "7" and info["registry_accounts"] == "969"
            assert "other" not in info and info["sample_file"] == "样本.xlsx"
            assert [t.key for t in f.targets()] == [t.key for t in split.shares[name]]
            assert info["assigned_websites"] == str(
                sum(t.kind is Kind.WEBSITE for t in split.shares[name])
            )
        listed = read_sample(xlsx)
        assert [t.key for t in listed.targets] == [t.key for t in split.shares[name]]
        assert listed.meta["inspector"] == name and listed.meta["sample_seed"] == "7"


def test_existing_files_refuse_the_whole_assignment(tmp_path: Path) -> None:
    split = assign([site(1), site(2)], ["张三", "李四"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "2025Q2-李四.xlsx").write_bytes(b"keep me")
    with pytest.raises(AssignError, match="already exist"):
        write_assignment(
            split, out, quarter="2025Q2", profile_id="p", sample_meta={}, sample_name="s"
        )
    assert sorted(p.name for p in out.iterdir()) == ["2025Q2-李四.xlsx"]


def test_the_assign_command(tmp_path: Path) -> None:
    sample = tmp_path / "样本.csv"
    targets = [site(n, owner=f"局{n % 3}") for n in range(7)] + [
        account(n, owner=f"局{n % 3}") for n in range(20)
    ]
    write_sample(sample, targets, meta={"sample_seed": "42", "registry_accounts": "200"})
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "assign",
            str(sample),
            "--inspectors",
            "张三,李四,王五",
            "--quarter",
            "2025Q2",
            "--out-dir",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "张三: 网站" in result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == 6
    with FindingsFile.open(tmp_path / "out" / "2025Q2-王五.sqlite") as f:
        assert f.info["sample_seed"] == "42" and f.info["registry_accounts"] == "200"
    again = runner.invoke(
        main,
        [
            "assign",
            str(sample),
            "--inspectors",
            "张三",
            "--quarter",
            "2025Q2",
            "--out-dir",
            str(tmp_path / "out"),
        ],
    )
    assert again.exit_code == 1 and "already exist" in again.output
    bad = runner.invoke(
        main,
        [
            "assign",
            str(sample),
            "--inspectors",
            "张三",
            "--quarter",
            "2025-2",
            "--out-dir",
            str(tmp_path / "o2"),
        ],
    )
    assert bad.exit_code == 1 and "quarter must look like 2025Q2" in bad.output
    assert not list((tmp_path / "o2").glob("*"))
