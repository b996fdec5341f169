"""Dates as list pages show them and as CMSs write them into URLs (issue 3, deliverable 4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.scan.dates import date_from_url, infer_year, infer_years, iter_dates, parse_date

AS_OF = date(2025, 6, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-10", date(2025, 6, 10)),
        ("2025/6/10", date(2025, 6, 10)),
        ("2025.06.10", date(2025, 6, 10)),
        ("2025年6月10日", date(2025, 6, 10)),
        ("2025 年 06 月 10 日", date(2025, 6, 10)),
        ("2025-06-10 14:03", date(2025, 6, 10)),
        ("发布时间：2025-06-10 14:03:22", date(2025, 6, 10)),
        ("[2025-06-10]", date(2025, 6, 10)),
        ("(2025-06-10)", date(2025, 6, 10)),
    ],
)
def test_full_dates_in_every_format(text: str, expected: date) -> None:
    assert parse_date(text, AS_OF) == (expected, "text")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[06-10]", date(2025, 6, 10)),
        ("06-10", date(2025, 6, 10)),
        ("【06-10】", date(2025, 6, 10)),
        ("(6-9)", date(2025, 6, 9)),
        ("6月10日", date(2025, 6, 10)),
        ("06/10", date(2025, 6, 10)),
        ("[06-15]", date(2025, 6, 15)),  # one day after the monitoring point: tolerated
        ("[06-16]", date(2024, 6, 16)),  # two days after: last year's
        ("[12-28]", date(2024, 12, 28)),
    ],
)
def test_year_less_dates_take_the_latest_year_not_after_the_monitoring_point(
    text: str, expected: date
) -> None:
    assert parse_date(text, AS_OF) == (expected, "text-yearless")


def test_year_less_dates_across_a_new_year() -> None:
    as_of = date(2026, 1, 5)
    assert parse_date("[12-28]", as_of) == (date(2025, 12, 28), "text-yearless")
    assert parse_date("[01-03]", as_of) == (date(2026, 1, 3), "text-yearless")


@pytest.mark.parametrize(
    "text",
    [
        "14:03",  # a clock time
        "14:03:22",
        "2025-13-01",  # no 13th month
        "2025-02-30",
        "[02-30]",
        "13-45",
        "1985-06-10",  # before any government website
        "2025-07-01",  # after the monitoring point: a deadline, not a publish date
        "20250610",  # a bare digit run
        "电话：0898-66000000",
        "招聘10-12人",  # a range, not a date
        "第3/4页",
        "v1.2.3",
        "Copyright © 2005-2025",
        "",
    ],
)
def test_things_that_are_not_dates(text: str) -> None:
    assert parse_date(text, AS_OF) is None


def test_a_deadline_in_a_title_does_not_hide_the_publish_date_after_it() -> None:
    text = "关于2025年7月1日起实施交通管制的通告 2025-06-09"
    assert parse_date(text, AS_OF) == (date(2025, 6, 9), "text")


def test_february_29_without_a_year_goes_back_to_a_leap_year() -> None:
    assert parse_date("[02-29]", AS_OF) == (date(2024, 2, 29), "text-yearless")
    assert infer_year(2, 29, date(2027, 3, 1)) == date(2024, 2, 29)


def test_iter_dates_finds_every_date_in_order() -> None:
    found = list(iter_dates("成文日期 2025/05/28 发布日期 2025/06/03 [06-04]", AS_OF))
    assert [f.day for f in found] == [date(2025, 5, 28), date(2025, 6, 3), date(2025, 6, 4)]
    assert [f.source for f in found] == ["text", "text", "text-yearless"]


def test_infer_year_follows_neighbouring_full_dates() -> None:
    # An archive list of 2019 items: the year-less entries stay in 2019.
    context = [date(2019, 12, 30), date(2019, 12, 2)]
    assert infer_year(12, 28, AS_OF, context) == date(2019, 12, 28)
    assert infer_year(1, 3, AS_OF, [date(2020, 1, 5)]) == date(2020, 1, 3)
    # A neighbour never pulls a date past the monitoring point.
    assert infer_year(6, 20, AS_OF, [date(2025, 6, 12)]) == date(2024, 6, 20)
    assert infer_year(13, 1, AS_OF) is None


def test_infer_years_reads_a_year_old_sorted_list_as_a_year_old() -> None:
    # Newest first; two entries "after" today's 06-14 on top: the whole list is from 2024.
    days = infer_years([(6, 20), (6, 18), (6, 10), (5, 2)], AS_OF)
    assert days == [date(2024, 6, 20), date(2024, 6, 18), date(2024, 6, 10), date(2024, 5, 2)]


def test_infer_years_keeps_a_lone_first_entry_from_deciding_the_year() -> None:
    # A single out-of-order entry on top is more often a pinned item than a year boundary.
    days = infer_years([(12, 1), (6, 10), (6, 1)], AS_OF)
    assert days == [date(2024, 12, 1), date(2025, 6, 10), date(2025, 6, 1)]


def test_infer_years_leaves_an_unsorted_list_alone() -> None:
    days = infer_years([(3, 1), (6, 10), (6, 20), (6, 18), (6, 1)], AS_OF)
    assert days == [date(2025, 3, 1), date(2025, 6, 10), date(2024, 6, 20), date(2024, 6, 18),
                    date(2025, 6, 1)]  # fmt: skip


def test_infer_years_across_a_new_year() -> None:
    days = infer_years([(1, 4), (1, 3), (12, 30), (12, 28), (11, 20)], date(2026, 1, 5))
    assert days == [date(2026, 1, 4), date(2026, 1, 3), date(2025, 12, 30), date(2025, 12, 28),
                    date(2025, 11, 20)]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.haiyu.gov.cn/zwgk/tzgg/202506/t20250610_5498.html", date(2025, 6, 10)),
        ("./202506/t20250610_123.shtml", date(2025, 6, 10)),
        ("http://sthjj.haiyu.gov.cn/art/2025/6/10/art_1421_774301.html", date(2025, 6, 10)),
        ("https://www.gov.cn/zhengce/content/2025-06/10/content_7027000.htm", date(2025, 6, 10)),
        ("http://politics.people.com.cn/n1/2025/0610/c1001-40000000.html", date(2025, 6, 10)),
        ("http://www.x.gov.cn/xwzx/content_20250610_1.html", date(2025, 6, 10)),
        ("http://www.x.gov.cn/news/2025/06/10/summer-safety.html", date(2025, 6, 10)),
        ("http://www.x.gov.cn/list.jsp?date=2025-06-10&id=4", date(2025, 6, 10)),
        ("http://www.x.gov.cn/list.jsp?pubdate=20250610", date(2025, 6, 10)),
    ],
)
def test_dates_in_item_urls_of_well_known_cms_shapes(url: str, expected: date) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.gov.cn/zhengce/content_5512345.htm",  # an article id, not a date
        "http://www.x.gov.cn/ShowArticle.asp?ArticleID=20250610",
        "http://www.x.gov.cn/zcjd/4521.jhtml",
        "http://www.x.gov.cn/a/20250610123.html",
        "http://www.x.gov.cn/202506/t20251350_1.html",  # no such day
        "http://www.x.gov.cn/art/2025/13/1/art_1_2.html",
        "http://www.x.gov.cn/col/col1421/index.html",
        "",
    ],
)
def test_urls_without_a_trustworthy_date(url: str) -> None:
    assert date_from_url(url) is None


_FORMATS = (
    ("{y:04d}-{m:02d}-{d:02d}", "text"),
    ("{y:04d}/{m}/{d}", "text"),
    ("{y:04d}.{m:02d}.{d:02d}", "text"),
    ("{y:04d}年{m}月{d}日", "text"),
    ("{y:04d}-{m:02d}-{d:02d} 09:41", "text"),
    ("[{m:02d}-{d:02d}]", "text-yearless"),
    ("{m:02d}-{d:02d}", "text-yearless"),
    ("{m}月{d}日", "text-yearless"),
    ("{m:02d}/{d:02d}", "text-yearless"),
)


@given(
    day=st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)),
    as_of=st.dates(min_value=date(1996, 1, 1), max_value=date(2031, 12, 31)),
    pattern=st.sampled_from(_FORMATS),
    prefix=st.sampled_from(["", "发布时间：", "日期 ", "· "]),
    suffix=st.sampled_from(["", " 来源：本站", "　浏览次数：12"]),
)
def test_round_trip_of_every_format(
    day: date, as_of: date, pattern: tuple[str, str], prefix: str, suffix: str
) -> None:
    template, source = pattern
    text = prefix + template.format(y=day.year, m=day.month, d=day.day) + suffix
    found = parse_date(text, as_of)
    if source == "text":
        expected = day if day <= as_of + timedelta(days=1) else None
        assert found == ((expected, "text") if expected else None)
    else:
        assert found is not None
        inferred, kind = found
        assert kind == "text-yearless"
        assert (inferred.month, inferred.day) == (day.month, day.day)
        assert inferred <= as_of + timedelta(days=1)
        # The latest such day: a year later would be after the monitoring point.
        later = infer_year(day.month, day.day, as_of + timedelta(days=366 * 4 + 1))
        assert later is not None and later >= inferred
        assert (inferred - (as_of + timedelta(days=1))).days > -366 * (
            4 if (day.month, day.day) == (2, 29) else 1
        )
