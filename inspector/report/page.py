"""The report as one self-contained HTML page: figures, charts of rates by region, attachments.

It is opened from a mail attachment or a USB stick on office machines without network access, so
it carries its own CSS and draws its charts as inline SVG: no script, no font or library from the
net. Names, URLs and notes come from the sites and the inspectors and may contain anything (a
hostile page title such as ``<script>…``), so every such string is escaped where it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from inspector.report.figures import DIMENSIONS, Counts, Group, QuarterReport
from inspector.report.words import ATTACHMENTS, headline, rate_text, summary_rows

__all__ = ["render_page"]

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;
max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em;text-align:center}h2{border-bottom:2px solid #2d5f8b;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.92em}
th,td{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#dde6f0}td.n{text-align:right;white-space:nowrap}
.bad{color:#b00020;font-weight:bold}.note{color:#8a5a00}
ol{margin:0;padding-left:1.4em}svg{max-width:100%;height:auto}
.legend span{display:inline-block;width:1em;height:.8em;margin:0 .3em 0 1em}
"""

_WEB_COLOUR = "#2d5f8b"
_MEDIA_COLOUR = "#d9822b"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _rate(c: Counts | None) -> float | None:
    if c is None or c.qualified_rate is None:
        return None
    return float(c.qualified_rate)


def chart(groups: Sequence[Group], title: str) -> str:
    """A horizontal bar chart (inline SVG) of qualified rates per group, websites and new media."""
    bar, gap, label_w, plot_w = 12, 10, 160, 560
    height = 40 + len(groups) * (2 * bar + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + plot_w + 70} {height}"'
        f' role="img" aria-label="{_e(title)}">',
        f"<title>{_e(title)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 10}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="14" font-size="10" text-anchor="middle">{tick}%</text>'
        )
    y = 26
    for group in groups:
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar + 4}" font-size="12" text-anchor="end">'
            f"{_e(group.value)}</text>"
        )
        for counts, colour in ((group.websites, _WEB_COLOUR), (group.new_media, _MEDIA_COLOUR)):
            rate = _rate(counts)
            if rate is not None:
                width = plot_w * rate / 100
                parts.append(
                    f'<rect x="{label_w}" y="{y}" width="{width:.1f}" height="{bar}" fill="{colour}">'
                    f"<title>{_e(group.value)}: {rate:.2f}%</title></rect>"
                    f'<text x="{label_w + width + 4:.1f}" y="{y + bar - 2}" font-size="10">'
                    f"{rate:.2f}%</text>"
                )
            y += bar
        y += gap
    parts.append("</svg>")
    return "".join(parts)


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            css = ' class="n"' if i in numeric else ""
            cells.append(f"<td{css}>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _problems(items: Sequence[str]) -> str:
    if not items:
        return ""
    return "<ol>" + "".join(f"<li>{_e(p)}</li>" for p in items) + "</ol>"


def _counts_cells(c: Counts | None) -> list[str]:
    if c is None:
        return ["", "", "", ""]
    bad = f'<span class="bad">{c.unqualified}</span>' if c.unqualified else "0"
    return [str(c.inspected), bad, _e(rate_text(c.qualified_rate)), str(c.with_problems)]


def render_page(report: QuarterReport) -> str:
    """The whole page as one string."""
    title = f"{report.quarter} 政府网站与政务新媒体检查情况"
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
    ]
    out += [f"<p>{_e(line)}</p>" for line in headline(report)]
    out.append(
        _table(
            ("项目", "政府网站", "政务新媒体"),
            [[_e(c) for c in row] for row in summary_rows(report)],
            (1, 2),
        )
    )
    regions = report.breakdowns.get("region", ())
    if regions:
        out.append("<h2>分地区合格率</h2>")
        out.append(
            f'<p class="legend"><span style="background:{_WEB_COLOUR}"></span>政府网站'
            f'<span style="background:{_MEDIA_COLOUR}"></span>政务新媒体</p>'
        )
        out.append(chart(regions, "分地区合格率"))
    for name, label, _ in DIMENSIONS:
        groups = report.breakdowns.get(name, ())
        if not groups:
            continue
        out.append(f"<h2>按{_e(label)}统计</h2>")
        rows = [
            [_e(g.value), *_counts_cells(g.websites), *_counts_cells(g.new_media)] for g in groups
        ]
        out.append(
            _table(
                (
                    label,
                    "网站检查",
                    "网站不合格",
                    "网站合格率",
                    "网站存在问题",
                    "新媒体检查",
                    "新媒体不合格",
                    "新媒体合格率",
                    "新媒体存在问题",
                ),
                rows,
                range(1, 9),
            )
        )
    for attachment in ATTACHMENTS:
        entries = attachment.entries(report)
        out.append(f"<h2>附件{attachment.number}：{_e(attachment.title)}（{len(entries)}）</h2>")
        if not entries:
            out.append(f"<p>{_e(attachment.empty_text(report))}</p>")
            continue
        rows = []
        for i, entry in enumerate(entries, start=1):
            cells = [_e(c) for c in attachment.cells(entry)[:-1]]
            rows.append([str(i), *cells, _problems(entry.problems)])
        out.append(_table(attachment.headers, rows, (0,)))
    if report.not_rechecked:
        out.append(f"<h2>上季度不合格、本季度未复查（{len(report.not_rechecked)}）</h2>")
        out.append(
            _table(
                ("序号", "地区", "名称", "主办单位"),
                [
                    [str(i), _e(e.region), _e(e.name), _e(e.owner)]
                    for i, e in enumerate(report.not_rechecked, 1)
                ],
                (0,),
            )
        )
    seed = report.sampling.get("sample_seed")
    if seed:
        rules = report.sampling.get("sample_rules", "")
        out.append(f'<p class="note">抽样种子 / seed {_e(seed)}；{_e(rules)}</p>')
    out.append(
        f'<p class="note">数据来源 / source: {_e(report.source)}（{_e(report.profile_name)}）</p>'
    )
    out.append("</body></html>")
    return "\n".join(out) + "\n"
