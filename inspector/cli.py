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
@click.argument("sample", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    "as_of_text",
    required=True,
    metavar="YYYY-MM-DD",
    help="监测时间点，更新期限由此倒推 / the monitoring point; windows count back from it",
)
@click.option(
    "--json",
    "json_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="扫描结果 JSON / where to write the scan output",
)
@click.option(
    "--findings",
    "findings_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="把提示写入此检查结果文件 / also store the hints in this findings file",
)
@click.option(
    "--profile",
    "profile_id",
    default=None,
    help="指标体系（默认取结果文件的）/ indicator profile (default: the findings file's)",
)
@click.option(
    "--per-host",
    type=click.IntRange(1, 16),
    default=4,
    show_default=True,
    help="每个网站同时请求数上限 / most requests in flight per host",
)
def scan(
    sample: Path,
    as_of_text: str,
    json_path: Path,
    findings_path: Path | None,
    profile_id: str | None,
    per_host: int,
) -> None:
    """扫描样本中的网站并生成提示 / Scan a sample's websites and write hints.

    Fetches every website's homepage, its columns and their page 2, and checks their links,
    politely (at most --per-host requests in flight per host). Writes the JSON of product.md to
    --json and, with --findings, stores the hints in that file (its profile is used). Exits 0
    when the scan ran, even if sites are broken; 1 for unusable input.
    """
    import asyncio
    from collections import Counter
    from collections.abc import Callable
    from datetime import date

    from inspector.profiles import DEFAULT_PROFILE, ProfileError, load_profile
    from inspector.samples import SampleError, read_sample
    from inspector.scan import (
        Fetcher,
        FetchLimits,
        ScanEvent,
        TargetScan,
        make_client,
        scan_targets,
        store_scans,
        write_json,
    )
    from inspector.store import FindingsError, FindingsFile
    from inspector.tables import TableError

    try:
        as_of = date.fromisoformat(as_of_text.strip())
    except ValueError:
        fail(
            f"日期无效「{as_of_text}」，应为 YYYY-MM-DD / invalid date {as_of_text!r} (YYYY-MM-DD)"
        )
    if not sample.is_file():
        fail(f"找不到名单文件 / sample list not found: {sample}")
    if not json_path.parent.resolve().is_dir():
        fail(f"输出目录不存在 / output folder does not exist: {json_path.parent}")
    try:
        if findings_path is not None:
            if not findings_path.is_file():
                fail(f"找不到检查结果文件 / findings file not found: {findings_path}")
            with FindingsFile.open(findings_path) as findings:
                file_profile = findings.profile_id
            if profile_id is not None and profile_id != file_profile:
                fail(
                    f"结果文件使用指标体系 {file_profile}，与 --profile {profile_id} 不一致 / "
                    f"the findings file uses profile {file_profile}, not {profile_id}"
                )
            profile_id = file_profile
        profile = load_profile(profile_id or DEFAULT_PROFILE)
        sample_list = read_sample(sample)
    except (ProfileError, SampleError, TableError, FindingsError) as exc:
        fail(str(exc))
    for problem in sample_list.problems:
        click.echo(problem.message, err=True)
    targets = sample_list.targets
    if not targets:
        fail(f"名单中没有可扫描的对象 / no targets to scan in {sample}")

    async def run(on_event: Callable[[ScanEvent], None]) -> list[TargetScan]:
        # The CLI is where the clients are made; the scan itself only receives a Fetcher.
        limits = FetchLimits(per_host=per_host)
        fetcher = Fetcher(
            make_client(limits=limits),
            limits,
            insecure_client=make_client(verify=False, limits=limits),
        )
        try:
            return await scan_targets(
                targets, fetcher, profile=profile, as_of=as_of, on_event=on_event
            )
        finally:
            await fetcher.aclose()

    with click.progressbar(
        length=len(targets), label="扫描 / scanning", file=sys.stderr, show_pos=True
    ) as bar:

        def on_event(event: ScanEvent) -> None:
            if event.kind == "progress" and event.done > bar.pos:
                bar.update(event.done - bar.pos)

        try:
            scans = asyncio.run(run(on_event))
        except KeyboardInterrupt:
            fail("\n扫描已中断，未写入结果 / scan interrupted, nothing written", 130)
    try:
        write_json(json_path, as_of, scans)
    except OSError as exc:
        fail(f"无法写入 / cannot write {json_path}: {exc}")
    stored = 0
    if findings_path is not None:
        try:
            with FindingsFile.open(findings_path) as findings:
                stored = store_scans(findings, scans, source=f"scan {as_of}", as_of=as_of)
        except FindingsError as exc:
            fail(str(exc))
    kinds = Counter(h.kind for s in scans for h in s.hints)
    reachable = sum(1 for s in scans if s.reachable)
    click.echo(
        f"已扫描 {len(scans)} 个对象（{reachable} 个可访问），{sum(kinds.values())} 条提示"
        f"，已写入 {json_path} / scanned {len(scans)} targets ({reachable} reachable), "
        f"{sum(kinds.values())} hints, written to {json_path}"
    )
    for kind, count in sorted(kinds.items()):
        click.echo(f"  {kind}: {count}")
    if findings_path is not None:
        click.echo(f"提示已存入 / hints stored in {findings_path}: {stored}")


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


@main.command()
@click.argument("sample", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--findings",
    "findings_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="检查结果文件，不存在则新建 / findings file (created when missing)",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="两次访问间隔（秒），默认 24 小时 ÷ 每天次数 / seconds between visits "
    "(default: 24 h / the profile's visits_per_day)",
)
@click.option(
    "--until",
    "until_time",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M"]),
    default=None,
    help="监测到此本地时间 / probe until this local time (YYYY-MM-DDTHH:MM)",
)
@click.option(
    "--days",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="从现在起监测的天数 / probe for N days from now",
)
@click.option(
    "--once", is_flag=True, help="每站访问一次后退出（供定时任务）/ one visit per site, then exit"
)
@click.option(
    "--inspector", "who", default="probe", help="新建文件时的检查员 / inspector, for a new file"
)
@click.option("--quarter", default=None, help="新建文件时的季度 / quarter, for a new file")
@click.option(
    "--profile", "profile_id", default=None, help="指标体系 / indicator profile id or file"
)
def probe(
    sample: Path,
    findings_path: Path,
    interval: float | None,
    until_time: object,  # a datetime from click.DateTime (kept import-free at module level)
    days: float | None,
    once: bool,
    who: str,
    quarter: str | None,
    profile_id: str | None,
) -> None:
    """监测网站可访问性（W-V2）/ Probe websites' reachability for W-V2, resumably.

    Visits every website of SAMPLE on a schedule (default: the profile's visits a day, spread
    across the sites) and stores each visit in the findings file. Without --until/--days it runs
    until every site's series is complete (the profile's monitor_days). Restarting continues the
    schedule; Ctrl+C stops after keeping every finished visit (exit 130). Ends with a table per
    site: visits, failures, ratio, coverage and the W-V2 verdict.
    """
    import asyncio
    import contextlib
    import signal
    from datetime import datetime, timedelta

    from inspector.profiles import DEFAULT_PROFILE, ProfileError, load_profile
    from inspector.samples import SampleError, read_sample
    from inspector.scan.probe import (
        ProbeRules,
        probe_fetcher,
        probe_targets,
        render_table,
        run_probes,
        summarise,
    )
    from inspector.store import FindingsError, FindingsFile, Probe
    from inspector.tables import TableError
    from inspector.targets import Target

    if not isinstance(until_time, datetime | None):
        raise click.BadParameter(f"not a time: {until_time!r}", param_hint="--until")
    if until_time is not None and days is not None:
        raise click.UsageError("--until 与 --days 只能选一个 / give --until or --days, not both")
    started = datetime.now().astimezone()
    try:
        sample_list = read_sample(sample)
        targets = probe_targets(sample_list.targets)
        if not targets:
            fail(f"名单中没有带网址的网站 / no website with an address in {sample}")
        if findings_path.exists():
            findings = FindingsFile.open(findings_path)
        else:
            created_for = load_profile(profile_id or DEFAULT_PROFILE)
            findings = FindingsFile.create(
                findings_path,
                quarter=quarter or f"{started.year}Q{(started.month - 1) // 3 + 1}",
                inspector=who,
                profile_id=created_for.id,
            )
    except (ProfileError, SampleError, TableError, FindingsError) as exc:
        fail(str(exc))
    try:
        profile = load_profile(profile_id or findings.profile_id)
        rules = ProbeRules.of(profile)
    except (ProfileError, ValueError) as exc:
        findings.close()
        fail(str(exc))
    step = interval if interval is not None else rules.nominal_interval
    if step < 2 * float(rules.timeout_seconds):
        findings.close()
        fail(f"间隔过短 / --interval must be at least twice the {rules.timeout_seconds} s timeout")
    if step > rules.nominal_interval:
        click.echo(
            f"注意：每天不足 {rules.visits_per_day} 次，序列不会完整 / warning: fewer than "
            f"{rules.visits_per_day} visits a day, the series will never be complete",
            err=True,
        )
    until = (
        until_time.astimezone()
        if until_time is not None
        else started + timedelta(days=days)
        if days is not None
        else None
    )
    names = {t.key: t.name for t in targets}
    keys = set(names)
    stored = sum(1 for p in findings.probes() if p.target_key in keys)
    click.echo(
        f"监测 {len(targets)} 个网站，每 {step / 60:g} 分钟一次 / probing {len(targets)} sites "
        f"every {step / 60:g} min ({profile.id}: {rules.monitor_days} days × "
        f"{rules.visits_per_day}/day, {rules.timeout_seconds} s rule); "
        f"已有 {stored} 次 / {stored} visits stored; Ctrl+C 停止 / stops, visits are kept"
    )
    tally = {"visits": 0, "failures": 0}

    def on_visit(target: Target, visit: Probe) -> None:
        tally["visits"] += 1
        tally["failures"] += 0 if visit.ok else 1
        state = "ok  " if visit.ok else "FAIL"
        detail = f" {visit.error}" if visit.error else ""
        click.echo(
            f"{visit.probed_at}  {state} {visit.outcome:<14} {visit.elapsed_ms or 0:>6} ms  "
            f"{target.name}{detail}"
        )
        if tally["visits"] % len(targets) == 0:
            click.echo(
                f"-- 本次 {tally['visits']} 次访问，失败 {tally['failures']} 次 / this run: "
                f"{tally['visits']} visits, {tally['failures']} failed"
            )

    async def go() -> None:
        # A service manager stops with SIGTERM: stop as cleanly as on Ctrl+C (not on Windows).
        main_task = asyncio.current_task()
        if main_task is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
        async with probe_fetcher(rules.timeout_seconds) as fetcher:
            await run_probes(
                targets,
                findings,
                fetcher,
                profile=profile,
                interval=step,
                until=until,
                on_visit=on_visit,
                once=once,
            )

    interrupted = False
    try:
        asyncio.run(go())
    except (KeyboardInterrupt, asyncio.CancelledError):
        interrupted = True
        click.echo("已停止，已完成的访问均已保存 / stopped; every finished visit is saved")
    except FindingsError as exc:
        findings.close()
        fail(str(exc))
    if once and tally["visits"] == 0 and not interrupted:
        click.echo("本时段每站都已访问过 / every site was already visited in this interval")
    probes = [p for p in findings.probes() if p.target_key in keys]
    findings.close()
    now = datetime.now().astimezone()
    summaries = summarise(probes, profile=profile, now=now, keys=names)
    click.echo(render_table(summaries, names, profile=profile))
    if interrupted:
        sys.exit(130)


@main.command("sample")
@click.argument("registry", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--websites",
    default="all",
    show_default=True,
    help="网站抽取数量：all、N 或 P% / websites to draw: all, a count or a percentage",
)
@click.option(
    "--accounts",
    default="all",
    show_default=True,
    help="新媒体抽取数量：all、N 或 P% / accounts to draw: all, a count or a percentage",
)
@click.option(
    "--seed", required=True, help="随机种子（记录在样本中）/ seed, recorded in the sample"
)
@click.option(
    "--stratify",
    default=None,
    help="按此列分层抽样，如 地区、平台 / stratify by this column, e.g. region, platform",
)
@click.option(
    "--include-from",
    "include_from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="必查：上季度文件中的不合格对象，或清单中的全部对象 / must include: the unqualified "
    "targets of a quarter file, or every target of a list",
)
@click.option("--include-portals", is_flag=True, help="门户网站全部入选 / every portal must be in")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="样本清单 .csv 或 .xlsx / the sample list (.csv or .xlsx)",
)
def sample_command(
    registry: Path,
    websites: str,
    accounts: str,
    seed: str,
    stratify: str | None,
    include_from: Path | None,
    include_portals: bool,
    output: Path,
) -> None:
    """从名录中抽取可复现的随机样本 / Draw a reproducible random sample from a registry.

    Websites and accounts are drawn separately; the same registry and seed give the same sample
    on any machine. The list records the seed, the rules and the registry size per kind.
    """
    from inspector.profiles import ProfileError
    from inspector.samples import SampleError, read_sample, write_sample
    from inspector.sampling import SamplingError, draw_sample, must_include_from, parse_quota
    from inspector.store import FindingsError
    from inspector.tables import TableError

    try:
        listed = read_sample(registry)
        must = must_include_from(include_from) if include_from else {}
        draw = draw_sample(
            listed.targets,
            seed=seed,
            websites=parse_quota(websites),
            accounts=parse_quota(accounts),
            stratify=stratify,
            must_include=must,
            include_portals=include_portals,
            registry_name=registry.name,
            include_from_name=include_from.name if include_from else "",
        )
        meta = dict(draw.meta)
        if listed.problems:
            meta["registry_refused_rows"] = str(len(listed.problems))
        write_sample(output, draw.targets, meta=meta)
    except (SamplingError, SampleError, TableError, FindingsError, ProfileError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"无法写入 / cannot write {output}: {exc}")
    for problem in listed.problems:
        click.echo(problem.message, err=True)
    if listed.problems:
        click.echo(
            f"名录中 {len(listed.problems)} 行有误，未参与抽样 / {len(listed.problems)} registry "
            "rows were refused and not drawn from",
            err=True,
        )
    for key in draw.not_in_registry:
        click.echo(f"必查对象不在名录中 / must-include target not in the registry: {key}", err=True)
    for kind, strata in draw.strata.items():
        for stratum, (size, drawn) in strata.items():
            click.echo(f"  {kind} {stratum or '（空）'}: {drawn}/{size}")
    click.echo(
        f"已抽取 {output}：网站 {meta['sample_websites']}/{meta['registry_websites']}，"
        f"新媒体 {meta['sample_accounts']}/{meta['registry_accounts']}（种子 {seed}）/ "
        f"drew websites {meta['sample_websites']} of {meta['registry_websites']}, accounts "
        f"{meta['sample_accounts']} of {meta['registry_accounts']} (seed {seed})"
    )


@main.command("assign")
@click.argument(
    "sample_path", metavar="SAMPLE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--inspectors", required=True, help="检查员，逗号分隔 / names, comma-separated")
@click.option("--quarter", required=True, help="季度，如 2025Q2 / quarter, e.g. 2025Q2")
@click.option(
    "--out-dir",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出目录 / where the files go",
)
@click.option(
    "--profile", "profile_id", default=None, help="指标体系 / indicator profile id or file"
)
def assign_command(
    sample_path: Path, inspectors: str, quarter: str, out_dir: Path, profile_id: str | None
) -> None:
    """把样本分给检查员 / Split a sample among inspectors: a findings file and an XLSX each.

    Balanced by kind (any two inspectors' website counts, and account counts, differ by at most
    one); an owner's site and accounts stay with one inspector where the balance allows.
    """
    from inspector.assign import AssignError, assign, parse_inspectors, write_assignment
    from inspector.profiles import DEFAULT_PROFILE, ProfileError, load_profile
    from inspector.samples import SampleError, read_sample
    from inspector.store import FindingsError
    from inspector.tables import TableError
    from inspector.targets import Kind

    try:
        names = parse_inspectors(inspectors)
        profile = load_profile(profile_id or DEFAULT_PROFILE)
        listed = read_sample(sample_path, strict=True)
        split = assign(listed.targets, names)
        written = write_assignment(
            split,
            out_dir,
            quarter=quarter,
            profile_id=profile.id,
            sample_meta=listed.meta,
            sample_name=sample_path.name,
        )
    except (AssignError, ProfileError, SampleError, TableError, FindingsError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"无法写入 / cannot write to {out_dir}: {exc}")
    for name, findings_path, list_path in written:
        share = split.shares[name]
        sites = sum(t.kind is Kind.WEBSITE for t in share)
        click.echo(
            f"{name}: 网站 {sites}，新媒体 {len(share) - sites} / websites {sites}, accounts "
            f"{len(share) - sites} → {findings_path.name}, {list_path.name}"
        )
    if split.split_owners:
        click.echo(
            f"为保持均衡，{len(split.split_owners)} 个单位的对象分给了多人 / "
            f"{len(split.split_owners)} owner(s) split to keep the balance: "
            + "、".join(split.split_owners)
        )


@main.command("merge")
@click.argument(
    "inputs", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="季度文件；已存在则追加 / the quarter file (added to when it exists)",
)
@click.option(
    "--coordinator",
    default="coordinator",
    show_default=True,
    help="合并人，记入审计日志 / who merges, kept in the audit log",
)
def merge_command(inputs: tuple[Path, ...], output: Path, coordinator: str) -> None:
    """合并各检查员的结果文件 / Merge inspectors' findings files into the quarter file.

    Safe to repeat and indifferent to order; disagreements between inspectors are recorded as
    conflicts and listed. Any unusable input refuses the whole merge and nothing is written.
    """
    from inspector.merge import conflict_lines, describe, merge_files
    from inspector.store import FindingsError, FindingsFile

    try:
        report = merge_files(list(inputs), output, coordinator=coordinator)
    except FindingsError as exc:
        fail(str(exc))
    for line in describe(report):
        click.echo(line)
    if report.open_conflicts:
        with FindingsFile.open(output) as merged:
            names = {t.key: t.name for t in merged.targets()}
        click.echo(
            f"待协调的分歧 {len(report.open_conflicts)} 项 / {len(report.open_conflicts)} open "
            "conflict(s) to resolve:"
        )
        for line in conflict_lines(report.open_conflicts, names):
            click.echo(line)
    verb = "新建" if report.created else "更新"
    click.echo(
        f"已{verb} {output}：{len(report.sources)} 个文件 / "
        f"{'created' if report.created else 'updated'} {output} from {len(report.sources)} file(s)"
        + ("" if report.changed else "（无新内容 / nothing new）")
    )


@main.command("report")
@click.argument(
    "quarter_path", metavar="QUARTER", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="上季度的季度文件 / last quarter's quarter file",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "xlsx", "docx", "html"]),
    default=None,
    help="输出格式（默认按扩展名）/ output format (default: from the extension)",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report_command(
    quarter_path: Path, previous: Path | None, fmt: str | None, output: Path
) -> None:
    """生成季度通报的数据与附件 / Build the quarter report: rates, breakdowns, attachments."""
    from inspector.profiles import ProfileError
    from inspector.report import FORMATS, build_report, write_report
    from inspector.store import FindingsError

    chosen = fmt or output.suffix.lower().lstrip(".")
    if chosen not in FORMATS:
        fail(
            f"请用 --format 指定格式（{'、'.join(FORMATS)}）/ give --format "
            f"({', '.join(FORMATS)}): cannot tell from {output.name}",
            2,
        )
    try:
        built = build_report(quarter_path, previous)
        write_report(built, output, chosen)
    except (FindingsError, ProfileError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"无法写入 / cannot write {output}: {exc}")
    w, m = built.websites, built.new_media
    click.echo(
        f"{built.quarter}：网站 {w.inspected} 个，不合格 {w.unqualified}，合格率 "
        f"{w.qualified_rate or '—'}%；新媒体抽查 {built.sampled}/{built.in_operation or '—'}，"
        f"不合格 {m.unqualified}，合格率 {m.qualified_rate or '—'}% → {output}"
    )
    if built.open_conflicts:
        click.echo(
            f"注意：{built.open_conflicts} 项分歧尚未协调 / warning: {built.open_conflicts} open "
            "conflict(s)",
            err=True,
        )
