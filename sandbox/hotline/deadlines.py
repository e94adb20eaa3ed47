"""Deadlines of 12345 tickets: by type and urgency, in working days or clock hours (DOMAIN.md §3).

Deadlines are a local matter, so every figure is a field of :class:`DeadlinePolicy`. Defaults:
sign within 1 working day; 特急 (life or property) 2 hours; utilities (水电气暖) 24 hours;
咨询 3 working days, 求助 5, 建议 7, 投诉/举报 15 (表扬 and 其他 5 — not in the source; our choice).
A working-day deadline ends at ``due_hour`` (18:00) of the n-th working day after receipt; an
extension (延期) must be asked for before ``extension_cutoff_hour`` (17:00) of the due day
(Xining practice) and never after the deadline itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Mapping

from ..base.calendar import WorkCalendar, default_calendar
from ..base.scenario import FrozenMap, ScenarioError

URGENCIES: tuple[str, ...] = ("一般", "紧急", "特急")


def _default_days() -> FrozenMap:
    return FrozenMap({"咨询": 3, "求助": 5, "投诉": 15, "举报": 15, "建议": 7, "表扬": 5, "其他": 5})


@dataclass(frozen=True)
class DeadlinePolicy:
    days_by_type: Mapping[str, int] = field(default_factory=_default_days)  # kept as a read-only FrozenMap
    critical_hours: float = 2.0  # 特急
    utility_hours: float = 24.0  # 紧急: water, power, gas, heating
    sign_working_days: int = 1
    due_hour: int = 18  # a working-day deadline ends at this hour of its last day
    extension_cutoff_hour: int = 17  # 延期 requests before 17:00 of the due day
    extension_days: int = 5  # working days granted per extension
    max_extensions: int = 1
    reopen_working_days: int = 5  # deadline after an unsatisfied follow-up reopens a ticket
    max_reopens: int = 1

    def __post_init__(self) -> None:
        from .taxonomy import TICKET_TYPES

        if not isinstance(self.days_by_type, FrozenMap):
            object.__setattr__(self, "days_by_type", FrozenMap(self.days_by_type))
        missing = [t for t in TICKET_TYPES if t not in self.days_by_type]
        if missing:
            raise ScenarioError("policy.days_by_type", f"缺少类型: {missing}")
        for name in ("critical_hours", "utility_hours"):
            if getattr(self, name) <= 0:
                raise ScenarioError(f"policy.{name}", "必须为正数")
        if any(v < 1 for v in self.days_by_type.values()):
            raise ScenarioError("policy.days_by_type", "每个时限至少 1 个工作日")
        if not (0 <= self.extension_cutoff_hour <= self.due_hour <= 24):
            raise ScenarioError("policy.extension_cutoff_hour", "需满足 0 <= extension_cutoff_hour <= due_hour <= 24")

    # -- scalar rules (the vectorised simulation mirrors these; a test checks they agree) -------
    def working_day_end(self, d: date, n: int, cal: WorkCalendar | None = None) -> datetime:
        cal = cal or default_calendar(True)
        day = cal.add_working_days(d, n)
        return datetime.combine(day, time()) + timedelta(hours=self.due_hour)

    def due(self, received: datetime, ticket_type: str, urgency: str, utility: bool,
            cal: WorkCalendar | None = None) -> datetime:
        """Handling deadline of a ticket received at ``received``."""
        if urgency == "特急":
            return received + timedelta(hours=self.critical_hours)
        if urgency == "紧急" or utility:
            return received + timedelta(hours=self.utility_hours)
        try:
            n = self.days_by_type[ticket_type]
        except KeyError:
            raise ValueError(f"未知的诉求类型 {ticket_type!r}") from None
        return self.working_day_end(received.date(), n, cal)

    def sign_due(self, dispatched: datetime, handling_due: datetime, cal: WorkCalendar | None = None) -> datetime:
        """Sign within one working day, never later than the handling deadline."""
        return min(self.working_day_end(dispatched.date(), self.sign_working_days, cal), handling_due)

    def extension_cutoff(self, deadline: datetime) -> datetime:
        """Last moment an extension may be asked for: 17:00 of the due day, or the deadline if earlier."""
        cutoff = datetime.combine(deadline.date(), time(self.extension_cutoff_hour))
        return min(cutoff, deadline)

    def extended(self, deadline: datetime, cal: WorkCalendar | None = None, days: int | None = None) -> datetime:
        return self.working_day_end(deadline.date(), days or self.extension_days, cal)


DEFAULT_POLICY = DeadlinePolicy()
