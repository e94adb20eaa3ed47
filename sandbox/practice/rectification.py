"""The 好差评 loop: every 差评 is verified by callback (回访核实), rectified within a deadline,
answered, and re-rated; an appeal can void a mistaken or malicious rating (国办发〔2019〕51号).

Ratings come from three sources on the five levels — hall cases (一次一评), online cases (一事一评)
and hotline follow-ups — as :class:`Rating` records (unit, item, level, time). Adapters turn the
hall simulation's case frame and the hotline's stored tickets into ratings, so the loop works on any
iterable of ratings.

    差评 → 待核实 ─ callback(confirmed) ─→ 整改中 ─ rectify → 已整改 ─ reply → 已答复 ─ re_rate → 已复评
                 └ callback(not confirmed) → explain → 已解释        (appeal upheld at 待核实/整改中/已解释 → 已作废)

Metrics, per unit and per item (one meaning each):
- 差评率 = 差评 (not voided) / ratings (not voided)
- 回访率 = 差评 verified by callback / 差评 (voided ones included: the callback comes first)
- 整改率 = 差评 rectified / 差评 needing rectification (confirmed by the callback and not voided)
- 按期整改率 = 差评 rectified by the deadline / 差评 needing rectification
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import Enum
from typing import Iterable

import numpy as np
import pandas as pd

from ..base.calendar import WorkCalendar, default_calendar
from ..base.catalog import load_catalog
from ..base.geography import COUNTIES

LEVELS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
BAD = frozenset({"不满意", "非常不满意"})
SOURCES = ("hall", "online", "hotline")


@dataclass(frozen=True)
class Rating:
    rating_id: str
    source: str  # hall / online / hotline
    unit: str
    item: str
    level: str
    time: datetime
    ref: str = ""  # case id or ticket number

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"评价 {self.rating_id}: 等级须为 {LEVELS} 之一，收到 {self.level!r}")
        if self.source not in SOURCES:
            raise ValueError(f"评价 {self.rating_id}: 来源须为 {SOURCES} 之一，收到 {self.source!r}")

    @property
    def bad(self) -> bool:
        return self.level in BAD


class CaseState(str, Enum):
    OPEN = "待核实"
    RECTIFYING = "整改中"
    RECTIFIED = "已整改"
    REPLIED = "已答复"
    RERATED = "已复评"
    EXPLAINED = "已解释"
    VOID = "已作废"


C = CaseState
_ALLOWED = {
    "callback": {C.OPEN}, "explain": {C.OPEN}, "rectify": {C.RECTIFYING}, "reply": {C.RECTIFIED},
    "re_rate": {C.REPLIED}, "appeal": {C.OPEN, C.RECTIFYING, C.EXPLAINED},
}
_NAMES = {"callback": "回访核实", "explain": "解释说明", "rectify": "整改", "reply": "答复", "re_rate": "复评",
          "appeal": "申诉"}


class RectificationError(RuntimeError):
    def __init__(self, case: "Case", action: str, why: str = "") -> None:
        super().__init__(f"差评 {case.rating.rating_id} 当前状态为「{case.state.value}」，不能执行「{_NAMES[action]}」"
                         + (f"：{why}" if why else ""))


@dataclass(frozen=True)
class RectificationConfig:
    deadline_working_days: int = 5  # local practice: 5, 7 or 15
    due_hour: int = 18

    def __post_init__(self) -> None:
        if self.deadline_working_days < 1:
            raise ValueError("deadline_working_days 至少为 1")


@dataclass
class Case:
    rating: Rating
    deadline: datetime
    state: CaseState = C.OPEN
    confirmed: bool | None = None
    callback_at: datetime | None = None
    rectified_at: datetime | None = None
    replied_at: datetime | None = None
    rerated_at: datetime | None = None
    new_level: str | None = None
    voided: bool = False
    appeals: int = 0
    history: list[tuple[datetime, str, str]] = field(default_factory=list)

    @property
    def on_time(self) -> bool | None:
        return None if self.rectified_at is None else self.rectified_at <= self.deadline

    def _do(self, action: str, at: datetime, state: CaseState | None, note: str = "") -> None:
        if self.state not in _ALLOWED[action]:
            raise RectificationError(self, action)
        last = self.history[-1][0] if self.history else self.rating.time
        if at < last:
            raise ValueError(f"差评 {self.rating.rating_id}: 「{_NAMES[action]}」的时间早于上一步")
        if state is not None:
            self.state = state
        self.history.append((at, _NAMES[action], note))


def open_case(rating: Rating, cfg: RectificationConfig = RectificationConfig(),
              cal: WorkCalendar | None = None) -> Case:
    """A 差评 opens a case whose rectification deadline runs from the rating."""
    if not rating.bad:
        raise ValueError(f"评价 {rating.rating_id} 为「{rating.level}」，不是差评，无需整改")
    cal = cal or default_calendar(True)
    due = datetime.combine(cal.add_working_days(rating.time.date(), cfg.deadline_working_days), time(cfg.due_hour))
    c = Case(rating, due)
    c.history.append((rating.time, "差评", rating.level))
    return c


def callback(case: Case, at: datetime, *, confirmed: bool, note: str = "") -> Case:
    """回访核实: call the rater; confirmed → rectification, else the unit explains."""
    case._do("callback", at, C.RECTIFYING if confirmed else C.OPEN, note or ("情况属实" if confirmed else "经核实不属实"))
    case.confirmed, case.callback_at = confirmed, at
    return case


def explain(case: Case, at: datetime, *, text: str) -> Case:
    if case.confirmed is not False:
        raise RectificationError(case, "explain", "须先回访核实且核实为不属实")
    case._do("explain", at, C.EXPLAINED, text)
    return case


def rectify(case: Case, at: datetime, *, note: str) -> Case:
    case._do("rectify", at, C.RECTIFIED, note)
    case.rectified_at = at
    return case


def reply(case: Case, at: datetime, *, text: str) -> Case:
    case._do("reply", at, C.REPLIED, text)
    case.replied_at = at
    return case


def re_rate(case: Case, at: datetime, *, level: str) -> Case:
    if level not in LEVELS:
        raise ValueError(f"复评等级须为 {LEVELS} 之一")
    case._do("re_rate", at, C.RERATED, level)
    case.rerated_at, case.new_level = at, level
    return case


def appeal(case: Case, at: datetime, *, upheld: bool, reason: str) -> Case:
    """申诉: upheld (误评/恶意差评) voids the rating; rejected leaves the case where it was."""
    case._do("appeal", at, C.VOID if upheld else None, f"{reason}：{'申诉成立' if upheld else '申诉不成立'}")
    case.appeals += 1
    case.voided = case.voided or upheld
    return case


# ---- simulated staff ------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoopBehaviour:
    callback_share: float = 0.97
    confirmed_share: float = 0.8
    appeal_share: float = 0.08
    appeal_upheld_share: float = 0.6
    on_time_share: float = 0.88  # units that finish within the deadline (others overrun)
    rerate_better_share: float = 0.75
    stall_share: float = 0.04  # confirmed but never rectified (the unit stalls)


def run_loop(ratings: Iterable[Rating], seed: int, cfg: RectificationConfig = RectificationConfig(),
             behaviour: LoopBehaviour = LoopBehaviour(), cal: WorkCalendar | None = None) -> list[Case]:
    """Open a case for every 差评 and let the simulated staff work it through the same functions."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5EC7]))
    cal = cal or default_calendar(True)
    cases = []
    for r in ratings:
        if not r.bad:
            continue
        c = open_case(r, cfg, cal)
        t = r.time + timedelta(hours=float(2 + rng.exponential(20)))
        if rng.random() < behaviour.appeal_share:
            appeal(c, t, upheld=bool(rng.random() < behaviour.appeal_upheld_share), reason="单位申诉：误评或恶意差评")
            t += timedelta(hours=1)
            if c.voided:
                cases.append(c)
                continue
        if rng.random() >= behaviour.callback_share:
            cases.append(c)  # never reached: stays 待核实
            continue
        confirmed = bool(rng.random() < behaviour.confirmed_share)
        callback(c, t, confirmed=confirmed)
        if not confirmed:
            explain(c, t + timedelta(hours=float(1 + rng.exponential(8))), text="已向评价人解释说明")
            cases.append(c)
            continue
        if rng.random() < behaviour.stall_share:
            cases.append(c)
            continue
        span = (c.deadline - t).total_seconds()
        frac = rng.uniform(0.1, 0.95) if rng.random() < behaviour.on_time_share else rng.uniform(1.05, 2.5)
        t_fix = t + timedelta(seconds=max(span, 3600) * frac)
        rectify(c, t_fix, note="已整改")
        reply(c, t_fix + timedelta(hours=float(1 + rng.exponential(5))), text="已向评价人反馈整改结果")
        level = ("满意" if rng.random() < 0.6 else "基本满意") if rng.random() < behaviour.rerate_better_share else r.level
        re_rate(c, c.replied_at + timedelta(hours=float(2 + rng.exponential(24))), level=level)
        cases.append(c)
    return cases


def metrics(ratings: Iterable[Rating], cases: Iterable[Case], by: str = "unit") -> pd.DataFrame:
    """差评率, 回访率, 整改率, 按期整改率 per ``by`` (unit, item or source), plus a 合计 row."""
    if by not in ("unit", "item", "source"):
        raise ValueError("by 须为 unit、item 或 source")
    rs = list(ratings)
    voided = {c.rating.rating_id for c in cases if c.voided}
    cs = {c.rating.rating_id: c for c in cases}
    rows = []
    for r in rs:
        c = cs.get(r.rating_id)
        need = bool(c and c.confirmed and not c.voided)
        rows.append({by: getattr(r, by), "valid": r.rating_id not in voided, "bad": r.bad and r.rating_id not in voided,
                     "bad_all": r.bad, "callback": bool(c and c.callback_at is not None), "need": need,
                     "fixed": bool(need and c.rectified_at is not None), "fixed_on_time": bool(need and c.on_time),
                     "void": r.rating_id in voided})
    df = pd.DataFrame(rows, columns=[by, "valid", "bad", "bad_all", "callback", "need", "fixed", "fixed_on_time", "void"])

    def agg(g: pd.DataFrame) -> dict:
        def ratio(a, b):
            return round(a / b, 6) if b else None
        return {"评价数": int(g["valid"].sum()), "差评数": int(g["bad"].sum()), "作废": int(g["void"].sum()),
                "回访核实": int(g["callback"].sum()), "需整改": int(g["need"].sum()), "已整改": int(g["fixed"].sum()),
                "按期整改": int(g["fixed_on_time"].sum()),
                "差评率": ratio(g["bad"].sum(), g["valid"].sum()), "回访率": ratio(g["callback"].sum(), g["bad_all"].sum()),
                "整改率": ratio(g["fixed"].sum(), g["need"].sum()),
                "按期整改率": ratio(g["fixed_on_time"].sum(), g["need"].sum())}
    out = [{by: k, **agg(g)} for k, g in df.groupby(by, sort=True)]
    out.append({by: "合计", **agg(df)})
    return pd.DataFrame(out)


# ---- adapters (frames in, ratings out; reading them from a database is the caller's, e.g.
# ``ratings_from_hall(sandbox.load_cases(db))`` or ``ratings_from_hotline(storage.hotline.load(db, run_id))``)
def ratings_from_hotline(tickets: pd.DataFrame) -> list[Rating]:
    """Hotline follow-up ratings (first follow-up) from stored tickets (sandbox.storage.hotline.load)."""
    d = tickets[tickets["followed_up_at"].notna() & tickets["rating"].notna()]
    return [Rating(f"hotline-{r.number}", "hotline", r.lead_unit, r.level2, r.rating,
                   pd.Timestamp(r.followed_up_at).to_pydatetime(), r.number) for r in d.itertuples()]


ONLINE_PLATFORM = "网上政务服务平台"


def county_department(department: str, county: str | None) -> str:
    """The catalogue department of a 县级 item as the applicant's county has it: 「县（区）公安局」 becomes the
    county's (乐都区公安局, 民和县公安局…); a name without a 县（区） placeholder (a city body) stays as it is.
    Only for 县级 items (_online_unit): a 市级 item is decided by the city department, which answers for it."""
    name = re.sub(r"（[^（）]*）$", "", department)
    c = next((c for c in COUNTIES if c.name == county), None)
    if c is None:
        return name
    prefix = c.name if c.name.endswith("区") and len(c.name) == 3 else c.short + "县"
    for place in ("户籍所在地县（区）", "行为发生地县（区）", "县（区）"):
        if name.startswith(place):
            return prefix + name[len(place):]
    return name


def _online_unit(item_code: str, county: str | None) -> str:
    """An online 一事一评 is about the item's department (who reviews and decides it: whoever handled it
    answers for it): for a 县级 item the department in the applicant's county, for a 市级 item the city
    department itself (no county body decided it); the platform only for an item the catalogue lacks."""
    item = load_catalog().items.get(str(item_code))
    if item is None:
        return ONLINE_PLATFORM
    if item.level == "县级":
        return county_department(item.department, county)
    return re.sub(r"（[^（）]*）$", "", item.department)


def ratings_from_hall(cases: pd.DataFrame) -> list[Rating]:
    """Hall and online ratings from the hall simulation's case frame (sandbox.hall.records.Records.frame()).

    Unit: the hall for window cases, the item's (county) department for online ones (_online_unit), the
    channel (自助终端 …) otherwise; item: the service item's name.
    """
    d = cases[cases["rating"].astype(str) != ""]
    d = d[d["t_rating"].notna()]
    out = []
    for r in d.itertuples():
        online = str(r.channel) == "网上办"
        if online:
            unit = _online_unit(r.item, getattr(r, "county", None))
        elif pd.isna(r.hall) or str(r.hall) in ("", "nan"):
            unit = str(r.channel)  # 自助终端 / 异地代收 outside a hall
        else:
            unit = str(r.hall)
        item = str(getattr(r, "item_name", r.item))
        out.append(Rating(f"hall-{r.case_id}", "online" if online else "hall", unit, item, str(r.rating),
                          pd.Timestamp(r.t_rating).to_pydatetime(), str(r.case_id)))
    return out
