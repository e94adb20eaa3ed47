"""Working days of the Chinese calendar: statutory holidays and adjusted working weekends (调休).

Built on the maintained ``holidays`` package (``holidays.China``). The package knows adjusted working
weekends only for years the State Council has announced; a date after the last such year raises
:class:`CalendarRangeError` unless the calendar is created with ``fallback=True``, in which case such
years use Monday–Friday minus the statutory holidays (documented in sandbox/README.md).

Look-ups are vectorised over an array of working-day ordinals, so adding N working days is a
binary search rather than a day-by-day walk (the simulation calls this millions of times).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
import numpy as np

FIRST_YEAR = 2004


class CalendarRangeError(ValueError):
    """A date outside the years whose adjusted working weekends are known."""


@lru_cache(maxsize=1)
def _china() -> holidays.HolidayBase:
    return holidays.China(years=range(FIRST_YEAR, date.today().year + 3))


@lru_cache(maxsize=1)
def last_known_year() -> int:
    """The last year for which the library knows adjusted working weekends."""
    return max(d.year for d in _china().weekend_workdays)


class WorkCalendar:
    """Working days between ``FIRST_YEAR`` and ``last_year`` (default: the last announced year)."""

    def __init__(self, *, fallback: bool = False, last_year: int | None = None) -> None:
        self.fallback = fallback
        known = last_known_year()
        self.last_year = last_year if last_year is not None else (known + 2 if fallback else known)
        if not fallback and self.last_year > known:
            raise CalendarRangeError(
                f"工作日历只到 {known} 年（holidays 库已公布的调休安排）；{self.last_year} 年请用 fallback=True"
            )
        cn = holidays.China(years=range(FIRST_YEAR, self.last_year + 1))
        first = date(FIRST_YEAR, 1, 1).toordinal()
        last = date(self.last_year, 12, 31).toordinal()
        days = np.arange(first, last + 1)
        weekday = (days + 6) % 7  # date.fromordinal(1) is a Monday -> (1+6)%7 == 0
        working = weekday < 5
        extra = {d.toordinal() for d in cn.weekend_workdays}
        off = {d.toordinal() for d in cn}
        for i, o in enumerate(days.tolist()):
            if o in off:
                working[i] = False
            elif o in extra:
                working[i] = True
        self._first = first
        self._last = last
        self._working_mask = working
        self._ordinals: list[int] = days[working].tolist()
        self._names = {d: name for d, name in cn.items()}

    # -- checks --------------------------------------------------------------------------------
    def _check(self, d: date) -> int:
        o = d.toordinal()
        if not (self._first <= o <= self._last):
            raise CalendarRangeError(
                f"日期 {d.isoformat()} 超出工作日历范围 {FIRST_YEAR}-01-01 至 {self.last_year}-12-31"
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
def default_calendar(fallback: bool = False) -> WorkCalendar:
    """Shared calendar instance (building one takes ~50 ms)."""
    return WorkCalendar(fallback=fallback)
