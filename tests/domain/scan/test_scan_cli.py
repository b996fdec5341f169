"""`inspector scan` end to end: a CSV sample of farm sites in, the JSON and the findings file out.

Bad input (a missing list, a bad date, a corrupt or missing findings file, a list with no
targets) gets a clear message and a non-zero exit, never a traceback; broken *sites* are what the
scan is for, so they never make it fail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from inspector.cli import main
from inspector.profiles import DEFAULT_PROFILE
from inspector.store import FindingsFile
from tests.fixtures.farm import Farm

AS_OF = "2025-06-14"


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    # the first eight roles: clean, stale, blank, broken … sites; none hangs, so defaults are fine
    with Farm(8, seed=3) as running:
        yield running


@pytest.fixture
def sample(farm: Farm, tmp_path: Path) -> Path:
    path = farm.write_sample(tmp_path / "名单.csv")
    with path.open("a", encoding="utf-8-sig") as handle:
        handle.write("坏行,not a url at all,,,,,,,,,,,\n")  # one bad row: reported, not scanned
    return path


@pytest.fixture
def findings(farm: Farm, tmp_path: Path) -> Path:
    path = tmp_path / "f.sqlite"
    with FindingsFile.create(path, quarter="2025Q2", inspector="张三", profile_id=DEFAULT_PROFILE):
        pass
    return path


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_scan_writes_the_json_and_stores_hints(
    farm: Farm, sample: Path, findings: Path, tmp_path: Path
) -> None:
    out = tmp_path / "scan.json"
    result = invoke("scan", sample, "--as-of", AS_OF, "--json", out, "--findings", findings)
    assert result.exit_code == 0, result.output
    assert "第" in result.stderr or "row" in result.stderr  # the bad row is reported
    assert "scanned 8 targets" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_of"] == AS_OF
    assert [t["url"] for t in data["targets"]] == farm.urls
    expected = farm.expected_hints()
    reported = {
        (t["url"], h["kind"], h["url"], h["indicator"]) for t in data["targets"] for h in t["hints"]
    }
    assert len(expected & reported) >= len(expected) // 2  # quality is test_farm's business
    with FindingsFile.open(findings) as f:
        stored = f.hints()
        assert len(stored) == len(reported) > 10
        assert {t.key for t in f.targets()} == {t.key for t in farm.targets()}
        assert {h.source for h in stored} == {f"scan {AS_OF}"}
    # a second run stores nothing twice
    again = invoke("scan", sample, "--as-of", AS_OF, "--json", out, "--findings", findings)
    assert again.exit_code == 0, again.output
    with FindingsFile.open(findings) as f:
        assert len(f.hints()) == len(stored)


def test_scan_without_findings_and_with_options(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "scan.json"
    result = invoke(
        "scan",
        sample,
        "--as-of",
        AS_OF,
        "--json",
        out,
        "--per-host",
        2,
        "--profile",
        DEFAULT_PROFILE,
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["targets"]) == 8


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sample": "missing.csv"}, "not found"),
        ({"as_of": "2025-13-40"}, "invalid date"),
        ({"as_of": "14/06/2025"}, "invalid date"),
        ({"findings": "missing.sqlite"}, "findings file not found"),
        ({"findings": "corrupt"}, ""),
        ({"json": "no/such/dir/out.json"}, "output folder does not exist"),
        ({"sample": "empty"}, ""),
        ({"profile": "no-such-profile"}, ""),
    ],
)
def test_unusable_input_gets_a_clear_message(
    sample: Path, findings: Path, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    args = {"sample": str(sample), "as_of": AS_OF, "json": str(tmp_path / "out.json")}
    args.update(change)
    if change.get("findings") == "corrupt":
        bad = tmp_path / "corrupt.sqlite"
        bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 500)
        args["findings"] = str(bad)
    elif "findings" in change:
        args["findings"] = str(tmp_path / change["findings"])
    if change.get("sample") == "empty":
        empty = tmp_path / "empty.csv"
        empty.write_text("名称,网址\n", encoding="utf-8")
        args["sample"] = str(empty)
    elif "sample" in change:
        args["sample"] = str(tmp_path / change["sample"])
    argv = ["scan", args["sample"], "--as-of", args["as_of"], "--json", args["json"]]
    if "findings" in args:
        argv += ["--findings", args["findings"]]
    if "profile" in args:
        argv += ["--profile", args["profile"]]
    result = invoke(*argv)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.strip(), "no message"
    assert message in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_profile_that_contradicts_the_findings_file_is_refused(
    sample: Path, findings: Path, tmp_path: Path
) -> None:
    result = invoke(
        "scan",
        sample,
        "--as-of",
        AS_OF,
        "--json",
        tmp_path / "out.json",
        "--findings",
        findings,
        "--profile",
        "example-province-80",
    )
    assert result.exit_code == 1
    assert "national-2019" in result.stderr


def test_scan_is_no_longer_planned() -> None:
    result = invoke("scan", "--help")
    assert result.exit_code == 0
    assert "not built yet" not in result.output and "--per-host" in result.output
