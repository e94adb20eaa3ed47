"""The hotline's scenario: frozen and validated like the hall's (a wrong value raises a field-naming
:class:`~sandbox.base.scenario.ScenarioError`), with the hot issues a trainer injects."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

import numpy as np

from ..base.geography import COUNTIES
from ..base.scenario import FrozenMap, ScenarioError
from .deadlines import DEFAULT_POLICY, DeadlinePolicy
from .taxonomy import CATEGORIES

__all__ = ["HotlineScenario", "HotIssue", "hot_issue", "to_dict", "ScenarioError", "DEFAULT_COUNTY_RATES",
           "MAX_MONTHS", "MAX_MONTHLY_VOLUME", "MAX_TICKETS"]

# Limits stated up front (the CLI's help repeats them): ten years, about five times Haidong's volume,
# and a run's expected tickets bounded so that one run fits in the memory of a trainee's server.
MAX_MONTHS = 120
MAX_MONTHLY_VOLUME = 100_000.0
MAX_TICKETS = 2_400_000

# Relative tickets per resident by county: the urban districts call more.
DEFAULT_COUNTY_RATES = {"乐都区": 1.35, "平安区": 1.45, "民和回族土族自治县": 0.9, "互助土族自治县": 1.0,
                        "化隆回族自治县": 0.8, "循化撒拉族自治县": 0.8}
URBAN = frozenset({"乐都区", "平安区"})
CHANNEL_P = {"电话": 0.64, "微信": 0.13, "网站": 0.08, "APP": 0.14, "信件": 0.01}
DIRECT_P = {"咨询": 0.72, "求助": 0.06, "投诉": 0.02, "举报": 0.0, "建议": 0.05, "表扬": 0.4, "其他": 0.35}
HANDLING_DAYS = {"咨询": 1.0, "求助": 2.0, "投诉": 4.5, "举报": 6.0, "建议": 3.5, "表扬": 1.5, "其他": 2.0}
# Hour-of-day profile of calls (7×24 line; busiest mid-morning and afternoon, some evening calls).
HOUR_W = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.6, 1.6, 4.2, 7.2, 7.8, 7.0, 4.6, 4.0, 6.2, 7.0, 6.6, 5.4,
                   3.6, 3.2, 3.0, 2.2, 1.3, 0.6])
HOT_KINDS = {"停水": "停水", "water": "停水", "物业撤场": "物业撤场", "property": "物业撤场"}


@dataclass(frozen=True)
class HotIssue:
    """An emerging hot issue injected into a scenario: many calls about one matter in one county."""
    level2: str  # e.g. 停水 (a water outage) or 物业撤场 (a property company's collapse)
    county: str
    start: date
    days: int = 6
    tickets: int = 420  # at the default volume of 18,000 a month; scaled with the scenario's volume
    town: str | None = None
    estate: str | None = None
    street: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if self.level2 not in {c.level2 for c in CATEGORIES}:
            raise ScenarioError("hot_issue.level2", f"分类目录中没有 {self.level2!r}")
        if self.county not in {c.name for c in COUNTIES}:
            raise ScenarioError("hot_issue.county", f"没有县区 {self.county!r}")
        if self.days < 1 or self.tickets < 1:
            raise ScenarioError("hot_issue.days" if self.days < 1 else "hot_issue.tickets", "须为正")


@dataclass(frozen=True)
class HotlineScenario:
    """A hotline run's levers: frozen, validated on construction (:class:`ScenarioError` names the field).

    ``county_rates`` may be given as any mapping; it is kept as a read-only :class:`FrozenMap`.
    """
    start: date = date(2024, 1, 1)
    months: int = 1
    monthly_volume: float = 18_000.0
    county_rates: Mapping[str, float] = field(default_factory=lambda: FrozenMap(DEFAULT_COUNTY_RATES))
    refuse_share: float = 0.012
    return_share: float = 0.03
    merge_share: float = 0.015  # of tickets with a same-matter ticket in the last 24 h
    extension_share: float = 0.4  # of late tickets whose unit asks for 延期 in time
    escalation_share: float = 0.85  # of overdue tickets that get a 督办
    followup_share: float = 0.6
    direct_followup_share: float = 0.3
    reopen_share: float = 0.5  # of bad follow-ups that reopen the ticket
    frequent_callers: int = 12
    n_citizens: int = 20_000
    satisfaction_shift: float = 0.0  # added to every latent rating: +2.5 gives Haixi's 98.7% skew, <0 more 差评
    population_seed: int | None = None  # None: the run's seed; fix it to reuse one population across runs
    policy: DeadlinePolicy = DEFAULT_POLICY
    hot_issues: tuple[HotIssue, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.county_rates, FrozenMap):  # a caller's dict must not stay changeable inside
            object.__setattr__(self, "county_rates", FrozenMap(self.county_rates))
        if not isinstance(self.start, date) or self.start.day != 1:
            raise ScenarioError("start", "须为某月1日")
        if not isinstance(self.months, int) or not 1 <= self.months <= MAX_MONTHS:
            raise ScenarioError("months", f"须在 1 到 {MAX_MONTHS} 个月之间，收到 {self.months}")
        if not 0 < self.monthly_volume <= MAX_MONTHLY_VOLUME:
            raise ScenarioError("monthly_volume", f"须在 0 到 {MAX_MONTHLY_VOLUME:,.0f} 件/月之间，收到 {self.monthly_volume:g}")
        if self.months * self.monthly_volume > MAX_TICKETS:
            raise ScenarioError("monthly_volume", f"月数 × 月均工单量不超过 {MAX_TICKETS:,} 件（一次运行的内存上限），"
                                f"收到 {self.months} × {self.monthly_volume:,.0f}")
        for name in ("refuse_share", "return_share", "merge_share", "extension_share", "escalation_share",
                     "followup_share", "direct_followup_share", "reopen_share"):
            v = getattr(self, name)
            if not 0 <= v <= 1:
                raise ScenarioError(name, f"须在 0 到 1 之间，收到 {v}")
        unknown = set(self.county_rates) - {c.name for c in COUNTIES}
        if unknown or len(self.county_rates) != len(COUNTIES):
            raise ScenarioError("county_rates", f"须给出全部六个县区，未知 {sorted(unknown)}")

    def month_starts(self) -> list[date]:
        out, y, m = [], self.start.year, self.start.month
        for _ in range(self.months):
            out.append(date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def end(self) -> date:
        last = self.month_starts()[-1]
        return (date(last.year + 1, 1, 1) if last.month == 12 else date(last.year, last.month + 1, 1))


def hot_issue(kind: str, county: str, start: date, **kw) -> HotIssue:
    """Shorthand: hot_issue('water', '民和回族土族自治县', date(2024, 6, 10))."""
    return HotIssue(HOT_KINDS.get(kind, kind), county, start, **kw)


def to_dict(sc: HotlineScenario) -> dict[str, Any]:
    """Plain data (dicts, lists, ISO dates as they are) for storing a run's scenario as JSON."""
    out = dataclasses.asdict(sc)
    out["county_rates"] = dict(sc.county_rates)
    out["policy"]["days_by_type"] = dict(sc.policy.days_by_type)
    return out
