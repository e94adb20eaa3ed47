"""Working days of the Chinese calendar: statutory holidays and adjusted working weekends (调休).

Three sources, in this order, one per year:
1. the maintained ``holidays`` package (``holidays.China``) for the years whose State Council
   arrangement it knows (:func:`library_last_year`);
2. ``sandbox/data/calendar/arrangements.txt`` for published arrangements the package does not know
   yet — an administrator adds a year in minutes (format in the file; validated on load, errors name
   the line and the date, :class:`CalendarDataError`);
3. any later year runs on the statutory holidays alone (the package computes them, including the
   补休 of a holiday that falls on a weekend), with a warning that the adjusted working weekends are
   unknown (:func:`span_warning`, :class:`CalendarWarning`).

Dates before :data:`FIRST_YEAR` are refused (:class:`CalendarRangeError`; the CLIs exit 2); so are
years after :data:`LAST_YEAR` (the lunar holidays are computed no further). Halls and hotline use
the same rules (:func:`check_span`, :func:`calendar_until`).

Look-ups are vectorised over an array of working-day ordinals, so adding N working days is a
binary search rather than a day-by-day walk (the simulation calls this millions of times).
Dates are Beijing calendar dates; nothing here reads the machine's clock or time zone except
:func:`today_beijing`.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping
from zoneinfo import ZoneInfo

import holidays
import numpy as np

FIRST_YEAR = 2004
LAST_YEAR = 2099
BEIJING = ZoneInfo("Asia/Shanghai")
ARRANGEMENTS_FILE = Path(__file__).resolve().parents[1] / "data" / "calendar" / "arrangements.txt"
OFF, WORK = "休", "班"


class CalendarRangeError(ValueError):
    """A date outside the calendar (before FIRST_YEAR or after LAST_YEAR / the calendar built)."""


class CalendarDataError(ValueError):
    """A line of the arrangements file that cannot be right; the message names the line and the date."""


class CalendarWarning(UserWarning):
    """A simulated span reaches years whose adjusted working weekends are not known."""


def today_beijing() -> date:
    """Today in Beijing, whatever the machine's time zone (TZ=UTC on servers)."""
    return datetime.now(BEIJING).date()


def now_beijing() -> datetime:
    """Beijing wall-clock time now, naive (the convention of every time the sandbox stores or shows)."""
    return datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Arrangement:
    """One year's published arrangement: every day off (holidays and 调休 days) and every 调休 working weekend."""
    year: int
    off: Mapping[date, str]
    work: Mapping[date, str]


_LINE = re.compile(r"^(\S+)\s+(\S+)(?:\s+(.+?))?\s*$")


def parse_arrangements(text: str, source: str = "arrangements.txt", *,
                       library_last: int | None = None) -> dict[int, Arrangement]:
    """Parse the arrangements file (see its header). Raises :class:`CalendarDataError` naming the line."""
    library_last = library_last_year() if library_last is None else library_last
    off: dict[int, dict[date, str]] = {}
    work: dict[int, dict[date, str]] = {}
    seen: dict[date, int] = {}
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = _LINE.match(line)
        where = f"{source} 第 {no} 行"
        if not m:
            raise CalendarDataError(f"{where}：应为“日期 休|班 名称”，而不是 {line!r}")
        text_d, kind, name = m.group(1), m.group(2), (m.group(3) or "").strip()
        try:
            d = date.fromisoformat(text_d)
        except ValueError:
            raise CalendarDataError(f"{where}：日期 {text_d} 无效（应为存在的日期 YYYY-MM-DD）") from None
        if kind not in (OFF, WORK):
            raise CalendarDataError(f"{where}：{d} 的类型应为“{OFF}”（放假）或“{WORK}”（调休上班），而不是 {kind!r}")
        if not name:
            raise CalendarDataError(f"{where}：{d} 缺少名称（如 春节、国庆节调休）")
        if d in seen:
            raise CalendarDataError(f"{where}：{d} 已在第 {seen[d]} 行出现")
        if d.year <= library_last:
            raise CalendarDataError(f"{where}：{d.year} 年的安排 holidays 库已经提供（至 {library_last} 年），"
                                    "此文件只收录库中还没有的年份")
        if d.year > LAST_YEAR:
            raise CalendarDataError(f"{where}：{d} 超出日历范围（至 {LAST_YEAR} 年）")
        if kind == WORK and d.weekday() < 5:
            raise CalendarDataError(f"{where}：{d} 是周一至周五，本来就上班，不能标为调休上班")
        seen[d] = no
        (off if kind == OFF else work).setdefault(d.year, {})[d] = name
    years = sorted(set(off) | set(work))
    for y in years:
        if not off.get(y):
            raise CalendarDataError(f"{source}：{y} 年只有调休上班日，没有放假日期（请列出全部放假日期）")
    return {y: Arrangement(y, MappingProxyType(off[y]), MappingProxyType(work.get(y, {}))) for y in years}


@lru_cache(maxsize=4)
def load_arrangements(path: Path = ARRANGEMENTS_FILE) -> Mapping[int, Arrangement]:
    """The published arrangements the library lacks (empty when the file is absent)."""
    if not path.exists():
        return MappingProxyType({})
    return MappingProxyType(parse_arrangements(path.read_text(encoding="utf-8"), path.name))


@lru_cache(maxsize=1)
def _china() -> holidays.HolidayBase:
    return holidays.China(years=range(FIRST_YEAR, today_beijing().year + 3))


@lru_cache(maxsize=1)
def library_last_year() -> int:
    """The last year whose adjusted working weekends the ``holidays`` package knows."""
    return max(d.year for d in _china().weekend_workdays)


def last_known_year(arrangements: Mapping[int, Arrangement] | None = None) -> int:
    """The last year with a known arrangement (the package's, or the arrangements file's)."""
    arr = load_arrangements() if arrangements is None else arrangements
    return max([library_last_year(), *arr])


def check_span(start: date, end: date) -> None:
    """Refuse a simulated span [start, end] the calendar cannot cover (before FIRST_YEAR, after LAST_YEAR)."""
    if start.year < FIRST_YEAR:
        raise CalendarRangeError(f"开始日期 {start.isoformat()} 早于工作日历的起始年份 {FIRST_YEAR} 年")
    if end.year > LAST_YEAR:
        raise CalendarRangeError(f"结束日期 {end.isoformat()} 晚于工作日历的最后年份 {LAST_YEAR} 年")


def span_warning(start: date, end: date) -> str | None:
    """The warning for a span reaching years without a known arrangement (None when all are known)."""
    known = last_known_year()
    if end.year <= known:
        return None
    years = f"{max(start.year, known + 1)}" + (f"–{end.year}" if end.year > max(start.year, known + 1) else "")
    return (f"{years} 年的放假调休安排尚未公布（已知至 {known} 年）：按法定节假日计算，"
            "调休上班的周末未知；公布后可写入 sandbox/data/calendar/arrangements.txt")


class WorkCalendar:
    """Working days between ``FIRST_YEAR`` and ``last_year`` (default: two years past the last known one).

    Years up to :func:`library_last_year` come from the package, then the arrangements file, then
    statutory holidays alone. ``fallback`` is kept for callers of the old API: every calendar now
    covers the years after the last announced one (on statutory holidays), it only made that optional.
    """

    def __init__(self, *, fallback: bool = True, last_year: int | None = None,
                 arrangements: Mapping[int, Arrangement] | None = None) -> None:
        self.fallback = fallback
        arr = load_arrangements() if arrangements is None else arrangements
        self.known_last_year = last_known_year(arr)
        self.last_year = last_year if last_year is not None else self.known_last_year + 2
        if not FIRST_YEAR <= self.last_year <= LAST_YEAR:
            raise CalendarRangeError(f"工作日历可到 {FIRST_YEAR}–{LAST_YEAR} 年，而不是 {self.last_year} 年")
        cn = holidays.China(years=range(FIRST_YEAR, self.last_year + 1))
        lib_last = library_last_year()
        off = {d: name for d, name in cn.items() if d.year <= lib_last or d.year not in arr}
        extra = {d for d in cn.weekend_workdays if d.year <= lib_last}
        for y, a in arr.items():
            if y <= self.last_year:
                off.update(a.off)
                extra.update(a.work)
        first = date(FIRST_YEAR, 1, 1).toordinal()
        last = date(self.last_year, 12, 31).toordinal()
        days = np.arange(first, last + 1)
        weekday = (days + 6) % 7  # date.fromordinal(1) is a Monday -> (1+6)%7 == 0
        working = weekday < 5
        off_o = {d.toordinal() for d in off}
        extra_o = {d.toordinal() for d in extra}
        for i, o in enumerate(days.tolist()):
            if o in off_o:
                working[i] = False
            elif o in extra_o:
                working[i] = True
        self._first = first
        self._last = last
        self._working_mask = working
        self._ordinals: list[int] = days[working].tolist()
        self._names = off

    # -- checks --------------------------------------------------------------------------------
    def _check(self, d: date) -> int:
        o = d.toordinal()
        if not (self._first <= o <= self._last):
            raise CalendarRangeError(
                f"日期 {d.isoformat()} 超出工作日历范围 {FIRST_YEAR}-01-01 至 {self.last_year}-12-31"
                + ("" if o >= self._first else f"（工作日历从 {FIRST_YEAR} 年开始）")
            )
        return o

    def is_working_day(self, d: date) -> bool:
        return bool(self._working_mask[self._check(d) - self._first])

    def holiday_name(self, d: date) -> str | None:
        return self._names.get(d)

    # -- arithmetic ------------------------------------------------------------------------------
    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (n >= 0; n == 0 gives d itself if working, else the next)."""
        o = self._check(d)
        if n < 0:
            raise ValueError("n must be >= 0")
        i = bisect_right(self._ordinals, o) if n > 0 else bisect_left(self._ordinals, o)
        j = i + max(n - 1, 0)
        if j >= len(self._ordinals):
            raise CalendarRangeError(f"{d.isoformat()} 之后第 {n} 个工作日超出工作日历范围")
        return date.fromordinal(self._ordinals[j])

    def next_working_day(self, d: date) -> date:
        """d itself when it is a working day, otherwise the next one."""
        return self.add_working_days(d, 0)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when done the same day, 1 on the next working day."""
        a, b = self._check(start), self._check(end)
        if b < a:
            return -self.working_days_between(end, start)
        return bisect_right(self._ordinals, b) - bisect_right(self._ordinals, a)

    def working_days(self, start: date, end: date) -> list[date]:
        """All working days in [start, end]."""
        a, b = self._check(start), self._check(end)
        lo, hi = bisect_left(self._ordinals, a), bisect_right(self._ordinals, b)
        return [date.fromordinal(o) for o in self._ordinals[lo:hi]]

    def days(self, start: date, end: date) -> list[date]:
        """Every calendar day in [start, end] (checked against the range)."""
        a, b = self._check(start), self._check(end)
        return [date.fromordinal(o) for o in range(a, b + 1)]

    def working_mask(self, start: date, n_days: int) -> np.ndarray:
        """Boolean array: is each of the n days from start a working day."""
        a = self._check(start)
        self._check(start + timedelta(days=n_days - 1))
        return self._working_mask[a - self._first : a - self._first + n_days].copy()

    def add_working_hours(self, t: datetime, hours: float, *, day_start: int = 9, day_end: int = 17) -> datetime:
        """Deadline ``hours`` working hours after t, counting only day_start..day_end on working days."""
        remaining = timedelta(hours=hours)
        cur = t
        while True:
            d = cur.date()
            if not self.is_working_day(d):
                cur = datetime.combine(self.add_working_days(d, 1), datetime.min.time()).replace(hour=day_start)
                continue
            open_t = cur.replace(hour=day_start, minute=0, second=0, microsecond=0)
            close_t = cur.replace(hour=day_end, minute=0, second=0, microsecond=0)
            if cur < open_t:
                cur = open_t
            if cur >= close_t:
                cur = datetime.combine(self.add_working_days(d, 1), datetime.min.time()).replace(hour=day_start)
                continue
            if cur + remaining <= close_t:
                return cur + remaining
            remaining -= close_t - cur
            cur = datetime.combine(self.add_working_days(d, 1), datetime.min.time()).replace(hour=day_start)


@lru_cache(maxsize=4)
def default_calendar(fallback: bool = True) -> WorkCalendar:
    """Shared calendar to two years past the last known arrangement (building one takes ~50 ms)."""
    return WorkCalendar(fallback=fallback)


@lru_cache(maxsize=8)
def calendar_until(year: int) -> WorkCalendar:
    """A shared calendar reaching at least ``year`` (a long simulation needs its back-office days covered)."""
    default = default_calendar()
    return default if year <= default.last_year else WorkCalendar(last_year=min(year, LAST_YEAR))
