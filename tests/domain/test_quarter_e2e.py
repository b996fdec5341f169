"""A worked quarter end to end (issue #5): registry → sample → assign → findings → merge → report.

It reproduces the figures of a published quarter: 122 websites inspected, 9 unqualified
(92.62 %); 969 accounts in operation, 266 sampled (27.45 %), 7 unqualified (97.37 %). Every
figure asserted below is worked out by hand in the comments beside it. All steps run through the
command line, as a coordinator would run them.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from inspector.cli import main
from inspector.merge import merge_files
from inspector.samples import read_sample, write_sample
from inspector.sampling import BY_PREVIOUS, INCLUDED_BY
from inspector.store import FindingsFile, verify_file
from inspector.targets import Kind, State, Target
from tests.domain.quarterkit import Clock, account, inspector_file, site

LOW_SCORE = ("W-D8", "W-D10", "W-D11", "W-D9", "W-D3", "W-D4")  # 43 points off: 57 < 60
INSPECTORS = ("张三", "李四", "王五", "赵六")

# Websites 0-121: 海口 0-31 (32), 三亚 32-61 (30), 儋州 62-91 (30), 琼海 92-121 (30).
# Accounts 0-968: 海口 0-299 (300), 三亚 300-549 (250), 儋州 550-768 (219), 琼海 769-968 (200).
SITE_REGIONS = ((0, "海口市"), (32, "三亚市"), (62, "儋州市"), (92, "琼海市"))
ACCOUNT_REGIONS = ((0, "海口市"), (300, "三亚市"), (550, "儋州市"), (769, "琼海市"))
PLATFORMS = ("wechat", "weibo", "douyin")


def region_of(n: int, table: tuple[tuple[int, str], ...]) -> str:
    return [name for start, name in table if n >= start][-1]


def build_registry() -> list[Target]:
    sites = []
    for n in range(122):
        region = region_of(n, SITE_REGIONS)
        portal = n in (0, 32, 62, 92)
        sites.append(
            site(
                n,
                region=region,
                portal=portal,
                owner=f"{region}单位{n}",
                level="市级" if portal else "县级",
            )
        )
    accounts = []
    for m in range(969):
        region = region_of(m, ACCOUNT_REGIONS)
        first = next(start for start, name in SITE_REGIONS if name == region)
        owner = (
            f"{region}单位{first + m % 30}"  # the departments that run the sites run accounts too
        )
        accounts.append(
            account(m, region=region, platform=PLATFORMS[m % 3], owner=owner, level="县级")
        )
    return sites + accounts


REGISTRY = build_registry()
ACCTS = [t for t in REGISTRY if t.kind is Kind.NEW_MEDIA]


def previous_quarter(tmp: Path) -> Path:
    """2025Q1: sites 3, 40, 70 and accounts 5, 305 unqualified; site 4 fine."""
    path = tmp / "2025Q1-张三.sqlite"
    registry = {t.key: t for t in REGISTRY}
    chosen = [
        site(3).key,
        site(40).key,
        site(70).key,
        site(4).key,
        ACCTS[5].key,
        ACCTS[305].key,
    ]
    with inspector_file(path, "张三", [registry[k] for k in chosen], quarter="2025Q1") as f:
        for key in chosen[:3]:
            f.set_result(key, "W-V3", State.PROBLEM, who="张三", note="首页长期未更新")
        f.set_result(site(4).key, "W-V3", State.OK, who="张三")
        for key in chosen[4:]:
            f.set_result(key, "M-V2", State.PROBLEM, who="张三", note="僵尸号")
    out = tmp / "2025Q1.sqlite"
    merge_files([path], out)
    return out


def invoke(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_worked_quarter_reproduces_the_published_figures(tmp_path: Path) -> None:
    registry = tmp_path / "名录.xlsx"
    write_sample(registry, REGISTRY)
    prev = previous_quarter(tmp_path)

    # 1. Sample: every website, 27.45 % of the accounts, stratified by region, portals and last
    # quarter's unqualified (accounts 5 and 305) must be in.
    sample = tmp_path / "2025Q2样本.xlsx"
    out = invoke(
        "sample",
        registry,
        "--websites",
        "all",
        "--accounts",
        "27.45%",
        "--seed",
        "2025Q2",
        "--stratify",
        "地区",
        "--include-from",
        prev,
        "--include-portals",
        "-o",
        sample,
    )
    listed = read_sample(sample)
    # 969 × 27.45 % = 265.99 → 266 (half up)
    assert (len(listed.websites), len(listed.accounts)) == (122, 266)
    assert (listed.meta["registry_websites"], listed.meta["registry_accounts"]) == ("122", "969")
    why = {t.key: t.extra[INCLUDED_BY] for t in listed.targets}
    assert why[ACCTS[5].key] == why[ACCTS[305].key] == BY_PREVIOUS
    # Allocation by hand: 266 − 2 must-includes = 264 drawn from 299/249/219/200 (967):
    # exact 81.63, 67.98, 59.79, 54.60 → floors 81+67+59+54 = 261, the 3 left go to the largest
    # remainders (三亚 .98, 儋州 .79, 海口 .63) → 82, 68, 60, 54; plus account 5 (海口) and
    # account 305 (三亚) → 83, 69, 60, 54.
    by_region = {r: sum(t.region == r for t in listed.accounts) for _, r in ACCOUNT_REGIONS}
    assert by_region == {"海口市": 83, "三亚市": 69, "儋州市": 60, "琼海市": 54}
    assert "accounts 海口市: 83/300" in out

    # 2. Assign to four inspectors.
    invoke(
        "assign",
        sample,
        "--inspectors",
        ",".join(INSPECTORS),
        "--quarter",
        "2025Q2",
        "--out-dir",
        tmp_path / "files",
    )
    files = sorted((tmp_path / "files").glob("*.sqlite"))
    assert len(files) == 4

    # 3. Inspect. Websites: 海口 1, 2, 3 and 三亚 33, 34, 40 veto; 海口 4, 5 and 三亚 41 score 57;
    # 儋州 63, 64 a deduction only (qualified with problems); the rest fine.
    # Accounts: 5 (海口) and the first six sampled in 儋州 veto; the first two sampled in 琼海 a
    # deduction only; 305 and the rest fine.
    sampled = sorted(listed.accounts, key=lambda t: t.key)
    danzhou = [t.key for t in sampled if t.region == "儋州市" and t.key != ACCTS[5].key][:6]
    qionghai = [t.key for t in sampled if t.region == "琼海市"][:2]
    vetoed_sites = {site(n).key for n in (1, 2, 3, 33, 34, 40)}
    low_sites = {site(n).key for n in (4, 5, 41)}
    deducted_sites = {site(n).key for n in (63, 64)}
    vetoed_accounts = {ACCTS[5].key, *danzhou}
    for path in files:
        with FindingsFile.open(path, clock=Clock()) as f:
            who = f.inspector
            for t in f.targets():
                if t.key in vetoed_sites:
                    f.set_result(t.key, "W-V3", State.PROBLEM, who=who, note="首页超过两周未更新")
                elif t.key in low_sites:
                    for indicator in LOW_SCORE:
                        f.set_result(t.key, indicator, State.PROBLEM, who=who)
                elif t.key in deducted_sites:
                    f.set_result(
                        t.key, "W-D15", State.PROBLEM, who=who, note="首页链接失效", count=1
                    )
                elif t.kind is Kind.WEBSITE:
                    f.set_result(t.key, "W-V3", State.OK, who=who)
                elif t.key in vetoed_accounts:
                    f.set_result(t.key, "M-V2", State.PROBLEM, who=who, note="两周内无更新")
                elif t.key in qionghai:
                    f.set_result(t.key, "M-D2", State.PROBLEM, who=who, note="菜单“建设中”")
                else:
                    f.set_result(t.key, "M-V2", State.OK, who=who)

    # 4. Merge (twice, in another order: nothing changes).
    quarter = tmp_path / "2025Q2.sqlite"
    invoke("merge", *files, "-o", quarter, "--coordinator", "协调员")
    again = invoke("merge", *reversed(files), "-o", quarter)
    assert "nothing new" in again
    assert verify_file(quarter).ok

    # 5. Report.
    report_path = tmp_path / "2025Q2.json"
    invoke("report", quarter, "--previous", prev, "--format", "json", "-o", report_path)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["quarter"] == "2025Q2"
    # (122 − 9) / 122 = 92.622… → 92.62
    assert report["websites"]["inspected"] == 122
    assert report["websites"]["unqualified"] == 9
    assert report["websites"]["qualified_rate"] == "92.62"
    assert report["websites"]["with_problems"] == 11  # 9 + the two deduction-only sites
    nm = report["new_media"]
    # 266 / 969 = 27.451… → 27.45; (266 − 7) / 266 = 97.368… → 97.37
    assert (nm["in_operation"], nm["sampled"], nm["sampling_ratio"]) == (969, 266, "27.45")
    assert (nm["inspected"], nm["unqualified"], nm["qualified_rate"]) == (266, 7, "97.37")
    assert nm["with_problems"] == 9

    regions = {g["value"]: g for g in report["breakdowns"]["region"]}
    # 海口 websites (32 − 5) / 32 = 84.375 → 84.38 (half up); 三亚 26 / 30 = 86.666… → 86.67
    assert regions["海口市"]["websites"]["qualified_rate"] == "84.38"
    assert regions["三亚市"]["websites"]["qualified_rate"] == "86.67"
    assert regions["儋州市"]["websites"]["qualified_rate"] == "100.00"
    assert regions["儋州市"]["websites"]["with_problems"] == 2
    # accounts: 海口 82 / 83 = 98.795… → 98.80; 儋州 54 / 60 = 90.00; 琼海 and 三亚 all fine
    assert regions["海口市"]["new_media"]["qualified_rate"] == "98.80"
    assert regions["儋州市"]["new_media"]["qualified_rate"] == "90.00"
    assert regions["琼海市"]["new_media"] == {
        "inspected": 54,
        "unqualified": 0,
        "qualified_rate": "100.00",
        "with_problems": 2,
        "incomplete": 54,
        "not_inspected": 0,
    }
    assert regions["三亚市"]["new_media"]["qualified_rate"] == "100.00"
    platforms = {g["value"]: g["new_media"]["inspected"] for g in report["breakdowns"]["platform"]}
    assert sum(platforms.values()) == 266 and set(platforms) == {"微信公众号", "微博", "抖音"}

    attachments = report["attachments"]
    assert len(attachments["problem_websites"]) == 11
    assert [e["qualified"] for e in attachments["problem_websites"]] == [False] * 9 + [True] * 2
    assert len(attachments["problem_accounts"]) == 9
    # last quarter's unqualified still unqualified: sites 3 and 40, account 5 (70 and 305 fixed)
    assert sorted(e["key"] for e in attachments["not_rectified"]) == sorted(
        [site(3).key, site(40).key, ACCTS[5].key]
    )
    assert all(e["problems"] for e in attachments["not_rectified"])
    assert attachments["not_rechecked"] == []
    # last quarter: 4 websites, 3 unqualified → 25.00; 2 accounts, both unqualified → 0.00
    assert report["change"] == {
        "previous_quarter": "2025Q1",
        "websites": {"previous_rate": "25.00", "qualified_rate": "92.62", "change": "+67.62"},
        "new_media": {"previous_rate": "0.00", "qualified_rate": "97.37", "change": "+97.37"},
    }
    assert report["open_conflicts"] == 0 and report["not_inspected"] == []
    assert report["sampling"]["sample_seed"] == "2025Q2"

    # the other formats from the same quarter
    for fmt in ("xlsx", "docx", "html"):
        invoke("report", quarter, "--previous", prev, "-o", tmp_path / f"2025Q2.{fmt}")
    page = (tmp_path / "2025Q2.html").read_text(encoding="utf-8")
    assert "92.62%" in page and "97.37%" in page and "27.45%" in page
