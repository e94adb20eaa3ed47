"""The calendar past the last announced year (issue 13 §4): the package first, then the documented
arrangements file, then statutory holidays with a warning; dates before the first year refused; halls
and hotline on the same calendar and the same range rules."""
from __future__ import annotations

import warnings
from datetime import date

import pytest

import sandbox as sb
from sandbox.base import calendar as C
from sandbox.hotline import HotlineScenario, simulate as simulate_hotline

LIB = C.library_last_year()
Y = LIB + 4  # a year nobody knows yet
EXAMPLE = f"""
# {Y}: a made-up arrangement in the documented format
{Y}-01-01  休  元旦
{Y}-10-01  休  国庆节
{Y}-10-04  休  国庆节（调休）      # a weekday off
{Y}-09-26  班  国庆节调休上班
"""


def _sunday_in(year: int, month: int) -> date:
    d = date(year, month, 1)
    return d.replace(day=1 + (6 - d.weekday()) % 7)


def test_documented_example_is_valid_and_used():
    work_day = _sunday_in(Y, 9)
    text = EXAMPLE.replace(f"{Y}-09-26", work_day.isoformat()).replace(f"{Y}-10-04", f"{Y}-10-0{_weekday_in(Y)}")
    arr = C.parse_arrangements(text, "example.txt")
    cal = C.WorkCalendar(arrangements=arr, last_year=Y)
    assert cal.is_working_day(work_day) and work_day.weekday() == 6  # 调休 Sunday
    assert not cal.is_working_day(date(Y, 10, int(_weekday_in(Y))))  # the listed weekday off
    assert cal.holiday_name(date(Y, 1, 1)) == "元旦"
    assert C.last_known_year(arr) == Y


def _weekday_in(year: int) -> str:
    return next(str(d) for d in range(2, 8) if date(year, 10, d).weekday() < 5)


@pytest.mark.parametrize("line,expect", [
    (f"{Y}-02-30  休  春节", f"第 2 行：日期 {Y}-02-30 无效"),
    (f"{Y}-01-01  放  元旦", "类型应为"),
    (f"{Y}-01-01  休", f"{Y}-01-01 缺少名称"),
    (f"{LIB}-01-01  休  元旦", f"{LIB} 年的安排 holidays 库已经提供"),
    ("not a line", "第 2 行"),
])
def test_a_wrong_line_names_its_line_and_date(line, expect):
    with pytest.raises(C.CalendarDataError, match=expect):
        C.parse_arrangements(f"# header\n{line}\n", "arrangements.txt")


def test_a_working_weekday_and_a_duplicate_are_refused():
    monday = date(Y, 3, 1 + (7 - date(Y, 3, 1).weekday()) % 7)
    with pytest.raises(C.CalendarDataError, match=f"第 1 行：{monday} 是周一至周五"):
        C.parse_arrangements(f"{monday}  班  调休\n")
    with pytest.raises(C.CalendarDataError, match="第 3 行.*已在第 2 行出现"):
        C.parse_arrangements(f"\n{Y}-01-01 休 元旦\n{Y}-01-01 休 元旦\n")


def test_the_shipped_file_loads_and_documents_the_format():
    text = C.ARRANGEMENTS_FILE.read_text(encoding="utf-8")
    assert "YYYY-MM-DD  休|班  名称" in text
    C.parse_arrangements(text)  # no error: comments only, or valid years


def test_year_with_neither_runs_on_statutory_holidays_with_a_warning():
    year = C.last_known_year() + 1
    cal = C.calendar_until(year)
    assert cal.holiday_name(date(year, 10, 1)) is not None and not cal.is_working_day(date(year, 10, 1))
    note = C.span_warning(date(year, 1, 4), date(year, 1, 10))
    assert note and "调休上班的周末未知" in note
    s = sb.default_scenario().only_hall("海东市政务服务中心")
    with pytest.warns(C.CalendarWarning, match="尚未公布"):
        rec = sb.simulate(s, 2, 1, start=date(year, 1, 4), online=False)
    assert len(rec) > 100
    with pytest.warns(C.CalendarWarning, match="尚未公布"):
        tickets = simulate_hotline(HotlineScenario(start=date(year, 1, 1), months=1, monthly_volume=200), 1)
    assert len(tickets) > 100
    with warnings.catch_warnings():
        warnings.simplefilter("error", C.CalendarWarning)  # a known year: no warning
        sb.simulate(s, 1, 1, start=date(2024, 3, 4), online=False)


def test_dates_before_the_first_year_are_refused_by_halls_and_hotline():
    s = sb.default_scenario().only_hall("海东市政务服务中心")
    with pytest.raises(C.CalendarRangeError, match=str(C.FIRST_YEAR)):
        sb.simulate(s, 2, 1, start=date(C.FIRST_YEAR - 1, 12, 30), online=False)
    with pytest.raises(C.CalendarRangeError, match=str(C.FIRST_YEAR)):
        simulate_hotline(HotlineScenario(start=date(1990, 1, 1), months=1, monthly_volume=200), 1)


def test_halls_and_hotline_share_one_calendar():
    from sandbox.hall.context import WorkIndex
    from sandbox.hotline.engine import _VCal

    year = C.last_known_year() + 1
    hall = WorkIndex(date(year, 1, 4), 30).calendar
    hotline = _VCal(year + 2).cal
    assert hall is hotline is C.calendar_until(year + 2)
