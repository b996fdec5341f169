"""The report's wording and table layouts, shared by the workbook, the Word file and the page.

Kept in one place so the three formats say the same thing in the same words: the sentences of
the notice's summary and the columns of each attachment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from inspector.report.figures import Counts, Entry, QuarterReport
from inspector.targets import Kind

__all__ = ["ATTACHMENTS", "Attachment", "headline", "rate_text", "summary_rows"]

NONE = "—"


def rate_text(rate: str | None) -> str:
    """``92.62%``, or a dash when there is nothing to rate."""
    return f"{rate}%" if rate is not None else NONE


def _trend(change: str | None) -> str:
    if change is None:
        return "无法比较"
    if change.startswith("-"):
        return f"下降{change[1:]}个百分点"
    if change.lstrip("+") == "0.00":
        return "持平"
    return f"上升{change.lstrip('+')}个百分点"


def headline(report: QuarterReport) -> list[str]:
    """The summary paragraph of the notice, sentence by sentence."""
    w, m = report.websites, report.new_media
    lines = [
        f"{report.quarter}共检查政府网站{w.inspected}个，其中不合格{w.unqualified}个，"
        f"合格率{rate_text(w.qualified_rate)}。"
    ]
    operation = f"在运行政务新媒体{report.in_operation}个，" if report.in_operation else ""
    ratio = f"，抽查比例{rate_text(report.sampling_ratio)}" if report.sampling_ratio else ""
    lines.append(
        f"{operation}抽查{report.sampled}个{ratio}；检查{m.inspected}个，其中不合格{m.unqualified}个，"
        f"合格率{rate_text(m.qualified_rate)}。"
    )
    if report.change is not None:
        c = report.change
        lines.append(
            f"与上季度（{c.previous_quarter}）相比，政府网站合格率{_trend(c.websites_change)}，"
            f"政务新媒体合格率{_trend(c.new_media_change)}。"
        )
        lines.append(f"上季度不合格、本季度仍不合格的{len(report.not_rectified)}个。")
    if report.open_conflicts:
        lines.append(f"注意：尚有{report.open_conflicts}项检查结论存在分歧，未经协调确认。")
    if report.not_inspected:
        lines.append(f"注意：样本中有{len(report.not_inspected)}个对象尚无检查结果，未计入合格率。")
    return lines


def summary_rows(report: QuarterReport) -> list[tuple[str, str, str]]:
    """(figure, websites, new media) rows of the summary table."""

    def both(get: Callable[[Counts], object]) -> tuple[str, str]:
        return str(get(report.websites)), str(get(report.new_media))

    rows = [
        ("在运行数量", NONE, str(report.in_operation) if report.in_operation else NONE),
        (
            "抽查数量",
            str(report.websites.inspected + report.websites.not_inspected),
            str(report.sampled),
        ),
        ("抽查比例", NONE, rate_text(report.sampling_ratio)),
        ("检查数量", *both(lambda c: c.inspected)),
        ("不合格数量", *both(lambda c: c.unqualified)),
        (
            "合格率",
            rate_text(report.websites.qualified_rate),
            rate_text(report.new_media.qualified_rate),
        ),
        ("存在问题数量", *both(lambda c: c.with_problems)),
    ]
    if report.change is not None:
        c = report.change
        rows.append(
            (
                f"上季度合格率（{c.previous_quarter}）",
                rate_text(c.websites_previous),
                rate_text(c.new_media_previous),
            )
        )
        rows.append(("变化（百分点）", c.websites_change or NONE, c.new_media_change or NONE))
    return rows


def _verdict(entry: Entry) -> str:
    return "合格" if entry.qualified else "不合格"


def _kind(entry: Entry) -> str:
    return "网站" if entry.kind is Kind.WEBSITE else "新媒体"


def _where(entry: Entry) -> str:
    if entry.kind is Kind.WEBSITE:
        return entry.url
    return f"{entry.platform} {entry.account_id}".strip()


def problems_text(entry: Entry) -> str:
    """Numbered problems, one per line, as they go into a table cell."""
    if len(entry.problems) == 1:
        return entry.problems[0]
    return "\n".join(f"{i}. {p}" for i, p in enumerate(entry.problems, start=1))


@dataclass(frozen=True)
class Attachment:
    """One attachment list: its title, columns, relative widths, and how to fill a row."""

    number: int
    title: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    cells: Callable[[Entry], tuple[str, ...]]
    entries: Callable[[QuarterReport], Sequence[Entry]]
    needs_previous: bool = False

    def empty_text(self, report: QuarterReport) -> str:
        """What an empty list says: "无", or, for a list that compares with last quarter when no
        last quarter was given, that nothing was compared (an empty list would read as "none")."""
        if self.needs_previous and report.change is None:
            return "未提供上季度检查结果，未作对比"
        return "无"


ATTACHMENTS: tuple[Attachment, ...] = (
    Attachment(
        1,
        "存在问题的政府网站",
        ("序号", "地区", "网站名称", "网址", "主办单位", "检查结论", "存在问题"),
        (6, 9, 18, 22, 16, 9, 40),
        lambda e: (e.region, e.name, e.url, e.owner, _verdict(e), problems_text(e)),
        lambda r: r.problem_websites,
    ),
    Attachment(
        2,
        "存在问题的政务新媒体",
        ("序号", "地区", "账号名称", "平台", "账号", "开办主体", "检查结论", "存在问题"),
        (6, 9, 18, 10, 14, 16, 9, 38),
        lambda e: (
            e.region,
            e.name,
            e.platform,
            e.account_id,
            e.owner,
            _verdict(e),
            problems_text(e),
        ),
        lambda r: r.problem_accounts,
    ),
    Attachment(
        3,
        "上季度不合格本季度仍未整改",
        ("序号", "地区", "名称", "类别", "网址或账号", "主办单位", "存在问题"),
        (6, 9, 18, 8, 22, 16, 40),
        lambda e: (e.region, e.name, _kind(e), _where(e), e.owner, problems_text(e)),
        lambda r: r.not_rectified,
        needs_previous=True,
    ),
)
