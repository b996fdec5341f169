"""The `inspector` command: the coordinator's and inspector's tools, and the app's launcher.

Every sub-command is a thin shell over the domain modules, so what the CLI does the app does too.
Qt is imported only when the GUI is asked for, so the CLI works on machines without a display.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from inspector import __version__

#: Commands named in the public contract that later work will build; each says so plainly.
PLANNED = {
    "scan": ("扫描样本中的网站并生成提示", "scan a sample's websites and write hints", 3),
    "sample": ("从名录中抽取样本", "draw a reproducible sample from a registry", 5),
    "assign": ("把样本分给检查员", "split a sample among inspectors", 5),
    "probe": ("持续监测网站可访问性", "probe reachability over a week", 3),
    "merge": ("合并各检查员的结果文件", "merge inspectors' findings files", 5),
    "report": ("生成季度通报", "build the quarter report", 5),
}


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a clear message on stderr and exit; never a traceback for bad input."""
    click.echo(message, err=True)
    sys.exit(code)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace",
    type=click.Path(dir_okay=False, path_type=Path),
    help="打开的检查结果文件；不给则打开内置演示 / findings file to open (default: the demo)",
)
@click.option(
    "--screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="打开后截图保存为 PNG 并退出 / save a PNG of the window and quit",
)
@click.version_option(__version__, prog_name="inspector")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None, screenshot: Path | None) -> None:
    """政府网站与政务新媒体检查工作台 / Government website and new-media inspection workbench.

    Without a sub-command, opens the desktop app (on the built-in demo when no workspace is given).
    """
    if ctx.invoked_subcommand is not None:
        return
    from ui.app import run  # Qt only when the GUI is asked for

    sys.exit(run(workspace, screenshot=screenshot))


def _planned(name: str) -> click.Command:
    zh, en, issue = PLANNED[name]

    @click.command(
        name,
        help=f"{zh} / {en} (尚未实现 / not built yet)",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    def command() -> None:
        fail(
            f"inspector {name}: 尚未实现（见 issue #{issue}）/ not built yet (see issue #{issue})",
            2,
        )

    return command


for _name in PLANNED:
    main.add_command(_planned(_name))


@main.command()
@click.argument("sample", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="new findings file (.sqlite)",
)
@click.option("--inspector", "who", required=True, help="检查员姓名 / inspector's name")
@click.option("--quarter", required=True, help="季度，如 2025Q2 / quarter, e.g. 2025Q2")
@click.option(
    "--profile", "profile_id", default=None, help="指标体系 / indicator profile id or file"
)
@click.option(
    "--strict", is_flag=True, help="任何一行有误则整表拒绝 / refuse the list on any bad row"
)
def init(
    sample: Path, output: Path, who: str, quarter: str, profile_id: str | None, strict: bool
) -> None:
    """新建检查结果文件并导入抽查名单 / Create a findings file pre-filled from a sample list."""
    from inspector.profiles import DEFAULT_PROFILE, ProfileError, load_profile
    from inspector.samples import SampleError, read_sample
    from inspector.store import FindingsError, FindingsFile
    from inspector.tables import TableError

    try:
        profile = load_profile(profile_id or DEFAULT_PROFILE)
        sample_list = read_sample(sample, strict=strict)
        with FindingsFile.create(
            output, quarter=quarter, inspector=who, profile_id=profile.id
        ) as findings:
            added = findings.add_targets(sample_list.targets, who=who)
    except (ProfileError, SampleError, TableError, FindingsError) as exc:
        fail(str(exc))
    for problem in sample_list.problems:
        click.echo(problem.message, err=True)
    click.echo(
        f"已创建 {output}：{added} 个检查对象，{len(sample_list.problems)} 行有误 / "
        f"created {output}: {added} targets, {len(sample_list.problems)} bad rows"
    )


@main.command()
@click.argument(
    "findings_path",
    metavar="FINDINGS",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="结果表 CSV/XLSX / results table: target, indicator, state (problem|ok|na), note",
)
@click.option("--inspector", "who", required=True, help="检查员姓名 / inspector's name")
@click.option(
    "--strict", is_flag=True, help="任何一行有误则不写入 / write nothing if any row is bad"
)
@click.option("--reason", default="", help="写入审计日志的原因 / reason kept in the audit log")
def record(findings_path: Path, source: Path, who: str, strict: bool, reason: str) -> None:
    """批量录入线下检查结果 / Bulk-enter results judged outside the app, each audited.

    Exits 0 when every row was recorded, 1 when some rows were refused (the good rows are kept).
    """
    from inspector.profiles import ProfileError, load_profile
    from inspector.record import RecordError, record_results
    from inspector.store import FindingsError, FindingsFile
    from inspector.tables import TableError, read_table

    try:
        table = read_table(source)
        with FindingsFile.open(findings_path) as findings:
            profile = load_profile(findings.profile_id)
            report = record_results(findings, table, profile, who=who, strict=strict, reason=reason)
    except (ProfileError, RecordError, FindingsError, TableError) as exc:
        fail(str(exc))
    for problem in report.problems:
        click.echo(problem.message, err=True)
    click.echo(
        f"已录入 {report.recorded} 条，未变化 {report.unchanged} 条，出错 {len(report.problems)} 行 / "
        f"recorded {report.recorded}, unchanged {report.unchanged}, "
        f"refused {len(report.problems)} rows"
    )
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify(path: Path) -> None:
    """校验文件完整性与证据哈希 / Check a findings file's integrity and every evidence hash."""
    from inspector.store import verify_file

    report = verify_file(path)
    if report.ok:
        click.echo(
            f"通过 / OK: {path} (schema {report.schema_version}, "
            f"{report.checked_evidence} 份证据 / evidence items verified)"
        )
        return
    for problem in report.problems:
        click.echo(problem, err=True)
    fail(f"校验失败 / verification FAILED: {path} ({len(report.problems)} problems)")


@main.command()
@click.argument("profile", required=False)
def profile(profile: str | None) -> None:
    """列出或校验指标体系 / List the shipped indicator profiles, or validate one (id or file)."""
    from inspector.profiles import ProfileError, available_profiles, load_profile

    if profile is None:
        for item in available_profiles():
            click.echo(f"{item.id}\t{item.name_zh} / {item.name_en}\t{len(item.indicators)} 项指标")
        return
    try:
        loaded = load_profile(Path(profile) if Path(profile).exists() else profile)
    except ProfileError as exc:
        fail(str(exc))
    click.echo(f"有效 / valid: {loaded.id} — {loaded.name_zh} / {loaded.name_en}")
    for ind in loaded.indicators:
        mark = " (暂定/provisional)" if ind.provisional else ""
        points = f" {ind.points}分" if ind.points is not None else ""
        click.echo(f"  {ind.id:6} {ind.group:9} {ind.name_zh}{points}{mark}")
