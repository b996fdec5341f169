"""From what pages show to hints: pure functions that judge one column, homepage or link each.

Every hint names its indicator and carries its proof in ``detail`` (the item, its date, the
window; the status and redirect chain), because an inspector confirms or dismisses each one and a
department may dispute it. The rules lean towards silence when the page does not prove a problem:
two false alarms and the inspector stops trusting all hints.

Rules for the ambiguous cases:

- A list whose items show no date at all is ``unknown``, not ``stale``. The 2015 rule counts an
  item without a visible date as not updated, but "no date found" may just as well be a template
  this reader does not know; the inspector sees the list in the browser and applies the rule.
- An empty page is ``blank`` only when nothing suggests the list lives elsewhere: a list filled by
  script, a frame, a client-side redirect or a content page (a single-article column) is
  ``unknown``.
- A blank column whose page says it is under construction (栏目建设中) gives one
  ``under_construction`` hint, not a second ``column_blank`` for the same column; its state is
  still ``blank`` so it counts toward W-V4 (c).
- Pinned (置顶) items never decide freshness unless every dated item is pinned; then the newest
  pinned one is still a real publish date.
- A homepage that is a challenge, a soft 404 or under construction gets that one hint: the other
  checks would only report the stand-in page's own shortcomings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

from inspector.profiles import ColumnKind, Profile
from inspector.scan.model import (
    ColumnRef,
    ColumnReport,
    ColumnState,
    FetchError,
    FetchResult,
    HomePage,
    Link,
    ListItem,
    ListPage,
)
from inspector.scan.pages import looks_blocked, looks_soft_404
from inspector.store import Hint

__all__ = [
    "HINT_INDICATORS",
    "column_hints",
    "column_report",
    "home_hints",
    "indicator_for",
    "link_hints",
    "unreachable_hint",
]

# Hint kinds the profile maps nowhere: the indicator each one is evidence for. Column freshness
# comes from the profile's column kinds instead (``ColumnKind.indicator``).
HINT_INDICATORS: dict[str, str] = {
    "unreachable": "W-V2",  # one failed visit: a hint toward the probe series
    "blocked": "W-V2",
    "soft_404": "W-V2",  # the homepage answers with an error page
    "under_construction@home": "W-V2",  # the whole site shows a maintenance page
    "under_construction": "W-V4",  # 栏目建设中 is a blank column, W-V4 (c)
    "column_blank": "W-V4",
    "broken_link@home": "W-D15",
    "broken_image@home": "W-D15",
    "broken_link": "W-D16",
    "broken_image": "W-D16",
    "missing_site_code": "W-D18",
    "missing_icp": "W-D18",
    "missing_police_record": "W-D18",
}

_BROKEN_DEFINITE = frozenset({404, 410})
_DEFINITE_ERRORS = frozenset(
    {FetchError.DNS, FetchError.CONNECT, FetchError.REDIRECT_LOOP, FetchError.TOO_MANY_REDIRECTS}
)
_TRANSIENT_ERRORS = frozenset({FetchError.TIMEOUT, FetchError.PROTOCOL})
_UNREACHABLE_ERRORS = frozenset(
    {
        FetchError.DNS,
        FetchError.CONNECT,
        FetchError.TLS,
        FetchError.TIMEOUT,
        FetchError.PROTOCOL,
        FetchError.REDIRECT_LOOP,
        FetchError.TOO_MANY_REDIRECTS,
    }
)


def indicator_for(profile: Profile, kind: str, *, on_home: bool = False) -> str | None:
    """The indicator a hint kind is evidence for in this profile (None if the profile lacks it)."""
    ident = HINT_INDICATORS.get(f"{kind}@home") if on_home else None
    ident = ident or HINT_INDICATORS.get(kind)
    if ident is None:
        return None
    try:
        profile.indicator(ident)
    except KeyError:
        return None
    return ident


def _newest(items: Sequence[ListItem]) -> ListItem | None:
    dated = [i for i in items if i.date is not None and not i.pinned]
    if not dated:
        dated = [i for i in items if i.date is not None]
    return max(dated, key=lambda i: i.date or date.min, default=None)


def bilingual(zh: str, en: str) -> str:
    """Details are read by Chinese inspectors first and kept in English for everyone else."""
    return f"{zh} / {en}"


def _window_zh(kind: ColumnKind) -> str:
    if kind.window_months is not None:
        return f"{kind.window_months}个月"
    if kind.window_days is not None:
        return f"{kind.window_days}天"
    return "无时限"


def _window(kind: ColumnKind) -> str:
    if kind.window_months is not None:
        return f"{kind.window_months} months"
    if kind.window_days is not None:
        return f"{kind.window_days} days"
    return "no window"


def column_report(
    ref: ColumnRef, page: ListPage | None, *, profile: Profile, as_of: date
) -> ColumnReport:
    """One column's line in the scan: its kind (from its name), state, newest item and count.

    ``page`` is None when the column page could not be fetched: the state is then ``unknown``.
    """
    kind = profile.column_kind_for(ref.name)

    def report(state: ColumnState, newest: ListItem | None = None, items: int = 0) -> ColumnReport:
        return ColumnReport(
            name=ref.name,
            url=ref.url,
            kind=kind.name,
            state=state,
            latest=newest.date if newest else None,
            items=items,
            latest_title=newest.title if newest else "",
            latest_url=newest.url if newest else None,
            found_on=ref.found_on,
        )

    if page is None:
        return report(ColumnState.UNKNOWN)
    if not page.items:
        if page.js_rendered or page.client_redirect or page.content_page:
            return report(ColumnState.UNKNOWN)
        return report(ColumnState.BLANK)
    newest = _newest(page.items)
    if newest is None or newest.date is None:
        return report(ColumnState.UNKNOWN, items=len(page.items))
    cutoff = kind.cutoff(as_of)
    stale = cutoff is not None and newest.date < cutoff
    return report(ColumnState.STALE if stale else ColumnState.FRESH, newest, len(page.items))


def _item_proof(item_title: str, item_url: str | None) -> str:
    title = f"《{item_title}》" if item_title else "(untitled)"
    return f"{title} {item_url}" if item_url else title


def column_hints(
    report: ColumnReport,
    page: ListPage | None,
    page2: ListPage | None,
    *,
    profile: Profile,
    as_of: date,
    page2_status: int | None = None,
) -> list[Hint]:
    """Hints for one column: stale, blank or under construction, and pagination out of step.

    ``page2`` is the column's page 2 as read (None when not fetched or not readable);
    ``page2_status`` the HTTP status of that fetch, so a linked page 2 that is 404/410 counts as
    missing. Timeouts and 5xx on page 2 prove nothing and give no hint.
    """
    kind = profile.columns.get(report.kind) or profile.column_kind_for(report.name)
    stamp = as_of.isoformat()
    found_on = report.found_on or report.url
    hints: list[Hint] = []
    if report.state == ColumnState.STALE and report.latest is not None:
        days = (as_of - report.latest).days
        hints.append(
            Hint(
                kind="column_stale",
                indicator=kind.indicator,
                url=report.url,
                found_on=found_on,
                detail=bilingual(
                    f"栏目“{report.name}”最新一条发布于 {report.latest.isoformat()}，"
                    f"距检查日已 {days} 天（时限 {_window_zh(kind)}）",
                    f"latest item {report.latest.isoformat()}, {days} days before {stamp}"
                    f" (window {_window(kind)}, {kind.name}):"
                    f" {_item_proof(report.latest_title, report.latest_url)}",
                ),
                as_of=stamp,
            )
        )
    elif report.state == ColumnState.BLANK and page is not None:
        if page.under_construction:
            hints.append(
                Hint(
                    kind="under_construction",
                    indicator=indicator_for(profile, "under_construction"),
                    url=report.url,
                    found_on=found_on,
                    detail=bilingual(
                        f"栏目页显示“{page.under_construction}”，没有内容",
                        f"the column page shows “{page.under_construction}” and no items",
                    ),
                    as_of=stamp,
                )
            )
        else:
            shows = f"shows “{page.placeholder}”" if page.placeholder else "shows an empty list"
            shows_zh = f"显示“{page.placeholder}”" if page.placeholder else "列表为空"
            hints.append(
                Hint(
                    kind="column_blank",
                    indicator=indicator_for(profile, "column_blank"),
                    url=report.url,
                    found_on=found_on,
                    detail=bilingual(
                        f"栏目“{report.name}”{shows_zh}，没有内容",
                        f"the column page {shows} and no items",
                    ),
                    as_of=stamp,
                )
            )
    if page is not None and page.next_page:
        desync = _desync(page, page2, page2_status)
        if desync is not None:
            hints.append(
                Hint(
                    kind="pagination_desync",
                    indicator=kind.indicator,
                    url=page.next_page,
                    found_on=report.url,
                    detail=desync,
                    as_of=stamp,
                )
            )
    return hints


def _desync(page: ListPage, page2: ListPage | None, page2_status: int | None) -> str | None:
    if page2_status in _BROKEN_DEFINITE:
        return bilingual(
            f"第1页链接的第2页返回 HTTP {page2_status}",
            f"page 2 is linked from page 1 but answers HTTP {page2_status}",
        )
    if page2 is None:
        return None
    first, second = _newest(page.items), _newest(page2.items)
    if first is None or second is None or first.date is None or second.date is None:
        return None
    if second.date <= first.date:
        return None
    return bilingual(
        f"第2页有 {second.date.isoformat()} 的信息，比第1页最新的 {first.date.isoformat()} 还新",
        f"page 2 has an item dated {second.date.isoformat()}, newer than page 1's newest"
        f" {first.date.isoformat()}: {_item_proof(second.title, second.url)}",
    )


def home_hints(home: HomePage, *, profile: Profile, as_of: date) -> list[Hint]:
    """Hints for the homepage: its state, its freshness (W-V3) and its identity items.

    A navigation-only homepage gets no freshness hint: W-V3 then judges its sections, which the
    crawler reports as columns. A homepage whose boxes are filled by script gets none either.
    """
    stamp = as_of.isoformat()

    def hint(kind: str, detail: str, indicator: str | None) -> Hint:
        return Hint(kind, indicator, home.url, home.url, detail, stamp)

    if home.blocked:
        return [
            hint(
                "blocked",
                bilingual(
                    f"首页返回人机验证或防护页面（{home.blocked}），请在浏览器中核实",
                    f"the homepage answered with a challenge page ({home.blocked}):"
                    " check it in the browser",
                ),
                indicator_for(profile, "blocked"),
            )
        ]
    if home.soft_404:
        return [
            hint(
                "soft_404",
                bilingual(
                    f"首页显示错误页面（“{home.soft_404}”）",
                    f"the homepage answers with an error page (“{home.soft_404}”)",
                ),
                indicator_for(profile, "soft_404", on_home=True),
            )
        ]
    if home.under_construction:
        return [
            hint(
                "under_construction",
                bilingual(
                    f"首页显示“{home.under_construction}”",
                    f"the homepage shows “{home.under_construction}”",
                ),
                indicator_for(profile, "under_construction", on_home=True),
            )
        ]
    hints: list[Hint] = []
    window = profile.columns.get("homepage")
    newest = _newest(home.items)
    if window is not None and not home.navigation_only and newest is not None and newest.date:
        cutoff = window.cutoff(as_of)
        if cutoff is not None and newest.date < cutoff:
            days = (as_of - newest.date).days
            hints.append(
                hint(
                    "homepage_stale",
                    bilingual(
                        f"首页最新信息发布于 {newest.date.isoformat()}，距检查日已 {days} 天"
                        f"（时限 {_window_zh(window)}）",
                        f"newest homepage item {newest.date.isoformat()}, {days} days before"
                        f" {stamp} (window {_window(window)}):"
                        f" {_item_proof(newest.title, newest.url)}",
                    ),
                    window.indicator,
                )
            )
    identity = home.identity
    shell = home.js_rendered and not (
        identity.site_code or identity.icp or identity.police_record or identity.gov_identifier
    )
    if not shell:  # a script shell shows no footer at all: its absence proves nothing
        for kind, present, what in (
            ("missing_site_code", identity.site_code, "网站标识码 (footer or SiteIDCode tag)"),
            ("missing_icp", identity.icp, "ICP备案编号"),
            ("missing_police_record", identity.police_record, "公安机关备案号 (公网安备)"),
        ):
            if not present:
                hints.append(
                    hint(
                        kind,
                        bilingual(
                            f"首页未找到{what.split(' ')[0]}", f"no {what} found on the homepage"
                        ),
                        indicator_for(profile, kind),
                    )
                )
    return hints


def _chain(result: FetchResult) -> str:
    if not result.redirects:
        return ""
    hops = " → ".join(f"{hop.url} ({hop.status})" for hop in result.redirects)
    return f"; redirects: {hops} → {result.final_url}"


def _sniff_text(result: FetchResult) -> str:
    """Enough of a body to look for markers; proper decoding is the decoder's job."""
    body = result.body[:200_000]
    if not body:
        return ""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace")


def _is_home(found_on: str, home_url: str | None) -> bool:
    if home_url is not None:
        return found_on.rstrip("/") == home_url.rstrip("/")
    path = urlsplit(found_on).path
    return path in ("", "/") or path.lower() in ("/index.html", "/index.htm", "/index.shtml")


def link_hints(
    checked: Sequence[tuple[Link, str, FetchResult]],
    *,
    profile: Profile,
    home_url: str | None = None,
) -> list[Hint]:
    """``broken_link`` / ``broken_image`` hints from checked links: ``(link, found_on, result)``.

    Broken: 404 and 410; DNS and connection failures; redirect loops; a 200 that is an error page
    (soft 404). Timeouts, 5xx and malformed answers only when a retry confirmed them
    (``attempts > 1``). Never broken: TLS-only failures (a browser opens the page after a
    warning), 401/403 (access control, anti-hotlinking), HEAD refused (the crawler asks again
    with GET), bodies over the size cap. Homepage links (``found_on`` equal to ``home_url``, or the
    site root when no ``home_url`` is given) map to W-D15, other pages to W-D16. One hint per
    target and page.
    """
    hints: list[Hint] = []
    seen: set[tuple[str, str, str]] = set()
    for link, found_on, result in checked:
        reason = _broken(result, profile)
        if reason is None:
            continue
        kind = "broken_image" if link.area == "image" else "broken_link"
        key = (kind, link.url, found_on)
        if key in seen:
            continue
        seen.add(key)
        label = f" “{link.text}”" if link.text else ""
        hints.append(
            Hint(
                kind=kind,
                indicator=indicator_for(profile, kind, on_home=_is_home(found_on, home_url)),
                url=link.url,
                found_on=found_on,
                detail=bilingual(
                    f"{'图片' if link.area == 'image' else '链接'}{label}无法打开",
                    f"{link.area} link{label}: {reason}{_chain(result)}",
                ),
            )
        )
    return hints


def _broken(result: FetchResult, profile: Profile) -> str | None:
    tries = f"{result.attempts} attempt{'s' if result.attempts != 1 else ''}"
    if result.error is not None:
        what = f"{result.error.value} error" + (
            f" ({result.error_detail})" if result.error_detail else ""
        )
        if result.error in _DEFINITE_ERRORS:
            return f"{what}, {tries}"
        if result.error in _TRANSIENT_ERRORS and result.attempts > 1:
            return f"{what}, confirmed by {tries}"
        return None
    status = result.status
    if status is None:
        return None
    if status in _BROKEN_DEFINITE:
        return f"HTTP {status} ({result.method}, {tries})"
    if 500 <= status < 600:
        if result.attempts > 1:
            return f"HTTP {status} ({result.method}), confirmed by {tries}"
        return None
    if 200 <= status < 300 and result.method == "GET" and "html" in result.content_type:
        marker = looks_soft_404(_sniff_text(result), status, profile)
        if marker is not None:
            return f"HTTP {status} but the page says “{marker}” (soft 404)"
    return None


def unreachable_hint(url: str, result: FetchResult, *, profile: Profile) -> Hint | None:
    """A hint from one visit to a site's homepage: ``blocked`` or ``unreachable``, or None.

    ``blocked`` (a challenge, WAF or CAPTCHA answer, 403 or 429) asks for a check in the browser.
    ``unreachable`` is a W-V2 hint, never a verdict: the indicator needs a week of probes.
    """
    status = result.status
    if result.error is None and status is not None:
        marker = looks_blocked(status, result.headers, _sniff_text(result))
        if marker is None and status in (403, 429):
            marker = f"HTTP {status}"
        if marker is not None:
            return Hint(
                kind="blocked",
                indicator=indicator_for(profile, "blocked"),
                url=url,
                found_on=url,
                detail=bilingual(
                    f"网站对扫描返回验证或拒绝页面（{marker}），请在浏览器中核实",
                    f"the site answered the scanner with a challenge or refusal ({marker},"
                    f" HTTP {status}): check in the browser{_chain(result)}",
                ),
            )
        if status < 400:
            return None
        what = f"HTTP {status}"
    elif result.error in _UNREACHABLE_ERRORS:
        what = f"{result.error.value} error" + (
            f" ({result.error_detail})" if result.error_detail else ""
        )
        if result.error == FetchError.TIMEOUT:
            try:
                seconds = profile.threshold("W-V2", "timeout_seconds")
                what = f"no answer within {seconds} s"
            except KeyError:
                pass
    else:
        return None
    tries = "one visit" if result.attempts == 1 else f"one visit, {result.attempts} tries"
    return Hint(
        kind="unreachable",
        indicator=indicator_for(profile, "unreachable"),
        url=url,
        found_on=url,
        detail=bilingual(
            "本次访问无法打开网站；单次访问不能判定 W-V2，需一周的监测序列",
            f"{what} after {result.elapsed_ms} ms ({tries}){_chain(result)}; one visit cannot"
            " decide W-V2, which needs a week of probes",
        ),
    )
