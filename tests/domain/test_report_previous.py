"""``inspector report --previous`` refuses a file that cannot stand for last quarter (issue #5).

Comparing with a file of another indicator profile, or with a quarter that is not earlier (often
this quarter's own file picked by mistake), would print a change and an Attachment 3 that mean
nothing; the command says which file is wrong and writes no report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector.cli import main
from inspector.merge import merge_files
from inspector.targets import State
from tests.domain.quarterkit import PROFILE, inspector_file, site


def quarter_file(folder: Path, quarter: str, profile: str = PROFILE) -> Path:
    folder.mkdir(exist_ok=True)
    own = folder / f"{quarter}-{profile}-张三.sqlite"
    with inspector_file(own, "张三", [site(1)], quarter=quarter, profile=profile) as f:
        f.set_result(site(1).key, "W-V3", State.PROBLEM, who="张三")
    out = folder / f"{quarter}-{profile}.sqlite"
    merge_files([own], out)
    return out


@pytest.mark.parametrize(
    ("quarter", "profile", "says"),
    [
        ("2025Q1", "example-province-80", "指标体系不同 / the previous quarter's file uses"),
        ("2025Q2", PROFILE, "不是更早的季度 / the previous quarter's file is not an earlier"),
        ("2025Q3", PROFILE, "2025Q3，本季度为 / this quarter is 2025Q2"),
    ],
    ids=["another-profile", "same-quarter", "later-quarter"],
)
def test_a_previous_file_that_cannot_be_compared_is_refused(
    tmp_path: Path, quarter: str, profile: str, says: str
) -> None:
    this = quarter_file(tmp_path, "2025Q2")
    previous = quarter_file(tmp_path / "上季度", quarter, profile)
    out = tmp_path / "通报.json"
    result = CliRunner().invoke(
        main, ["report", str(this), "--previous", str(previous), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert says in result.output and previous.name in result.output
    assert not out.exists()


def test_an_earlier_quarter_of_the_same_profile_is_compared(tmp_path: Path) -> None:
    this = quarter_file(tmp_path, "2025Q2")
    previous = quarter_file(tmp_path / "上季度", "2024Q4")
    out = tmp_path / "通报.json"
    result = CliRunner().invoke(
        main, ["report", str(this), "--previous", str(previous), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "2024Q4" in out.read_text(encoding="utf-8")
