"""12345 tickets and their lifecycle as an explicit state machine.

    受理 ─┬─ 不予受理 (matters the hotline does not accept)
         ├─ 直接办结 ───────────────────────────────┐
         ├─ 并单 (duplicate merged into a master)   │
         └─ 派单 ─ 签收 ─ 办理 ─ 回复 ─ 办结 ───────┴─ 回访 ─ 评价
               │ 退单/改派 ↺            ↑                  │
               │ 延期, 督办 (overdue)    └── 重办 (reopen after an unsatisfied follow-up)

Every action is a function taking the ticket and the moment it happens (``at``). An action that
the ticket's state does not allow raises :class:`TransitionError`, naming the ticket, its state
and the action; moments must not go back in time. The same functions serve trainees (through the
courses) and the simulated staff (:func:`sandbox.hotline.simulate.replay`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import Enum
from typing import Iterable

from ..base.ids import mask_name, mask_phone
from ..base.calendar import WorkCalendar, default_calendar
from .deadlines import DEFAULT_POLICY, URGENCIES, DeadlinePolicy
from .routing import HOTLINE_CENTRE, route_for
from .taxonomy import BY_LEVEL2, TICKET_TYPES

CHANNELS: tuple[str, ...] = ("电话", "方言专席", "微信", "网站", "APP", "信件")
RATINGS: tuple[str, ...] = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
BAD_RATINGS = frozenset({"不满意", "非常不满意"})
# Matters the hotline does not accept (国办发〔2020〕53号).
# The labels a 不予受理 names (国办发〔2020〕53号: matters for 诉讼、仲裁、纪检监察、行政复议、政府信息公开 *等* 程序
# or already in them, 信访, 国家秘密/商业秘密, 个人隐私, 违反社会公序良俗). Emergencies are not refused: they are
# transferred to 110/119/120/122 (转接) and registered.
NOT_ACCEPTED: tuple[str, ...] = ("涉诉", "仲裁", "纪检监察", "行政复议", "政府信息公开", "信访事项办理中",
                                 "涉密（国家秘密、商业秘密）", "涉及他人隐私", "违反公序良俗")


class State(str, Enum):
    ACCEPTED = "已受理"
    REFUSED = "不予受理"
    MERGED = "已并单"
    DISPATCHED = "已派单"
    SIGNED = "已签收"
    HANDLING = "办理中"
    REPLIED = "已回复"
    CLOSED = "已办结"
    FOLLOWED_UP = "已回访"
    RATED = "已评价"

    def __str__(self) -> str:
        return self.value


S = State
# action -> states it may be taken from. The target state is fixed by the action (see each function).
ALLOWED: dict[str, frozenset[State]] = {
    "classify": frozenset({S.ACCEPTED}),
    "refuse": frozenset({S.ACCEPTED}),
    "close_direct": frozenset({S.ACCEPTED}),
    "merge": frozenset({S.ACCEPTED, S.DISPATCHED}),
    "route": frozenset({S.ACCEPTED}),
    "sign": frozenset({S.DISPATCHED}),
    "return_ticket": frozenset({S.DISPATCHED, S.SIGNED}),
    "handle": frozenset({S.SIGNED}),
    "extend": frozenset({S.DISPATCHED, S.SIGNED, S.HANDLING}),
    "escalate": frozenset({S.DISPATCHED, S.SIGNED, S.HANDLING}),
    "reply": frozenset({S.HANDLING}),
    "close": frozenset({S.REPLIED}),
    "follow_up": frozenset({S.CLOSED}),
    "rate": frozenset({S.FOLLOWED_UP}),
    "reopen": frozenset({S.FOLLOWED_UP, S.RATED}),
}
TERMINAL = frozenset({S.REFUSED, S.MERGED, S.RATED})
ACTION_NAMES = {
    "classify": "分类", "refuse": "不予受理", "close_direct": "直接办结", "merge": "并单", "route": "派单",
    "sign": "签收", "return_ticket": "退单", "handle": "办理", "extend": "延期", "escalate": "督办",
    "reply": "回复", "close": "办结", "follow_up": "回访", "rate": "评价", "reopen": "重办",
}


class TransitionError(RuntimeError):
    """An action the ticket's current state does not allow."""

    def __init__(self, ticket: "Ticket", action: str, why: str = "") -> None:
        self.number, self.state, self.action = ticket.number, ticket.state, action
        text = f"工单 {ticket.number} 当前状态为「{ticket.state.value}」，不能执行「{ACTION_NAMES.get(action, action)}」"
        super().__init__(text + (f"：{why}" if why else ""))


@dataclass(frozen=True)
class Event:
    at: datetime
    action: str  # Chinese action name
    state: str  # state after the action
    actor: str
    note: str = ""


@dataclass
class Ticket:
    number: str
    received_at: datetime
    channel: str
    caller_name: str
    caller_mobile: str
    county: str
    text: str
    ticket_type: str = "其他"
    level1: str = "其他"
    level2: str = "其他事项"
    urgency: str = "一般"
    caller_pid: int | None = None
    state: State = S.ACCEPTED
    lead_unit: str | None = None
    assist_units: tuple[str, ...] = ()
    deadline: datetime | None = None
    sign_deadline: datetime | None = None
    dispatched_at: datetime | None = None
    signed_at: datetime | None = None
    replied_at: datetime | None = None
    closed_at: datetime | None = None
    followed_up_at: datetime | None = None
    direct: bool = False
    refused_reason: str | None = None
    merged_into: str | None = None
    returns: int = 0
    extensions: int = 0
    reopens: int = 0
    escalated: bool = False
    solved: bool | None = None
    rating: str | None = None
    reply_text: str = ""
    history: list[Event] = field(default_factory=list)

    # -- display -------------------------------------------------------------------------------
    @property
    def caller_display(self) -> str:
        return f"{mask_name(self.caller_name)} {mask_phone(self.caller_mobile)}"

    @property
    def last_at(self) -> datetime:
        return self.history[-1].at if self.history else self.received_at

    def overdue(self, at: datetime) -> bool:
        return self.deadline is not None and self.state in ALLOWED["escalate"] and at > self.deadline

    def summary(self) -> dict:
        """A masked, display-ready view (合成数据)."""
        return {
            "工单编号": self.number, "受理时间": f"{self.received_at:%Y-%m-%d %H:%M}", "渠道": self.channel,
            "来电人": self.caller_display, "县区": self.county, "类型": self.ticket_type,
            "分类": f"{self.level1}/{self.level2}", "紧急程度": self.urgency, "状态": self.state.value,
            "主办单位": self.lead_unit or "", "协办单位": "、".join(self.assist_units),
            "办理时限": f"{self.deadline:%Y-%m-%d %H:%M}" if self.deadline else "", "诉求内容": self.text,
            "数据性质": "合成数据",
        }


# ---- the desk: numbering, policy, calendar and a registry for merges --------------------------
class Hotline:
    """A 12345 desk: receives tickets, numbers them, and holds the policy and calendar they use."""

    def __init__(self, policy: DeadlinePolicy = DEFAULT_POLICY, calendar: WorkCalendar | None = None) -> None:
        self.policy = policy
        self.calendar = calendar or default_calendar(True)
        self.tickets: dict[str, Ticket] = {}
        self._seq: dict[str, int] = {}

    def receive(self, at: datetime, *, channel: str, caller_name: str, caller_mobile: str, county: str,
                text: str, caller_pid: int | None = None, number: str | None = None,
                actor: str = HOTLINE_CENTRE) -> Ticket:
        """受理: a new ticket in state 已受理 (classify it next)."""
        if channel not in CHANNELS:
            raise ValueError(f"未知渠道 {channel!r}，应为 {CHANNELS}")
        if not text.strip():
            raise ValueError("诉求内容不能为空")
        if number is None:
            key = f"{at:%Y%m}"
            self._seq[key] = self._seq.get(key, 0) + 1
            number = f"HD{key}-{self._seq[key]:06d}"
        if number in self.tickets:
            raise ValueError(f"工单编号重复: {number}")
        t = Ticket(number=number, received_at=at, channel=channel, caller_name=caller_name,
                   caller_mobile=caller_mobile, county=county, text=text, caller_pid=caller_pid)
        t.history.append(Event(at, "受理", S.ACCEPTED.value, actor, channel))
        self.tickets[number] = t
        return t

    def get(self, number: str) -> Ticket:
        try:
            return self.tickets[number]
        except KeyError:
            raise KeyError(f"没有工单 {number}") from None

    def _deadline(self, t: Ticket) -> datetime:
        return self.policy.due(t.received_at, t.ticket_type, t.urgency, t.level2 in _UTILITY, self.calendar)


_UTILITY = frozenset(k for k, c in BY_LEVEL2.items() if c.utility)


def _step(t: Ticket, action: str, at: datetime, state: State | None, actor: str, note: str = "",
          why: str | None = None) -> None:
    if t.state not in ALLOWED[action]:
        raise TransitionError(t, action)
    if why:
        raise TransitionError(t, action, why)
    if at < t.last_at:
        raise ValueError(f"工单 {t.number}: 「{ACTION_NAMES[action]}」的时间 {at:%Y-%m-%d %H:%M} 早于上一步 {t.last_at:%Y-%m-%d %H:%M}")
    if state is not None:
        t.state = state
    t.history.append(Event(at, ACTION_NAMES[action], t.state.value, actor, note))


# ---- the public API -----------------------------------------------------------------------------
def classify(desk: Hotline, t: Ticket, at: datetime, *, ticket_type: str, level2: str,
             urgency: str = "一般", actor: str = HOTLINE_CENTRE) -> Ticket:
    """分类: set type, category and urgency; the deadline follows from them."""
    if ticket_type not in TICKET_TYPES:
        raise ValueError(f"未知的诉求类型 {ticket_type!r}，应为 {TICKET_TYPES}")
    if level2 not in BY_LEVEL2:
        raise ValueError(f"分类目录中没有二级分类 {level2!r}")
    if urgency not in URGENCIES:
        raise ValueError(f"未知的紧急程度 {urgency!r}，应为 {URGENCIES}")
    _step(t, "classify", at, None, actor, f"{ticket_type}/{BY_LEVEL2[level2].level1}/{level2}/{urgency}")
    t.ticket_type, t.level1, t.level2, t.urgency = ticket_type, BY_LEVEL2[level2].level1, level2, urgency
    t.deadline = desk._deadline(t)
    return t


def _choose(t: Ticket, action: str, at: datetime, state: S, actor: str, attr: str, value: str,
            allowed: tuple[str, ...], what: str) -> Ticket:
    """A step that records one value out of a fixed list (a refusal's reason, a rating)."""
    if value not in allowed:
        raise ValueError(f"{what}须为 {allowed} 之一，收到 {value!r}")
    _step(t, action, at, state, actor, value)
    setattr(t, attr, value)
    return t


def refuse(desk: Hotline, t: Ticket, at: datetime, *, reason: str, actor: str = HOTLINE_CENTRE) -> Ticket:
    """不予受理: only for the matters the hotline does not accept (NOT_ACCEPTED)."""
    return _choose(t, "refuse", at, S.REFUSED, actor, "refused_reason", reason, NOT_ACCEPTED, "不予受理的理由")


def close_direct(desk: Hotline, t: Ticket, at: datetime, *, answer: str = "",
                 actor: str = HOTLINE_CENTRE) -> Ticket:
    """直接办结: answered during the call (mostly 咨询)."""
    _step(t, "close_direct", at, S.CLOSED, actor, answer)
    t.direct, t.closed_at, t.replied_at, t.reply_text = True, at, at, answer
    return t


def merge(desk: Hotline, t: Ticket, at: datetime, *, into: str, actor: str = HOTLINE_CENTRE) -> Ticket:
    """并单: a duplicate is merged into an open master ticket about the same matter."""
    master = desk.get(into)
    why = None
    if master is t:
        why = "不能并入自身"
    elif master.state in (S.REFUSED, S.MERGED):
        why = f"主工单 {into} 状态为「{master.state.value}」"
    _step(t, "merge", at, S.MERGED, actor, f"并入 {into}", why)
    t.merged_into = into
    master.history.append(Event(max(at, master.last_at), "并单", master.state.value, actor, f"并入 {t.number}"))
    return t


def route(desk: Hotline, t: Ticket, at: datetime, *, lead: str | None = None,
          assist: Iterable[str] | None = None, actor: str = HOTLINE_CENTRE, reject_return: bool = False) -> Ticket:
    """派单 (or 改派 after a 退单): by the 派单目录 unless a lead unit is given. ``reject_return``: 驳回退单 —
    the centre finds the 退单 unfounded and sends the ticket back to the unit that returned it."""
    if t.deadline is None:
        raise TransitionError(t, "route", "请先分类")
    entry = route_for(t.level2, t.county)
    if reject_return:
        if not t.returns or t.lead_unit is None:
            raise TransitionError(t, "route", "没有待审核的退单，不能驳回")
        lead = t.lead_unit
    if lead is None:
        lead = entry.alternative if t.returns else entry.lead
    if lead == t.lead_unit and t.returns and not reject_return:
        raise TransitionError(t, "route", f"改派须换一个单位（{lead} 已退单）")
    assist_t = tuple(entry.assist if assist is None else assist)
    _step(t, "route", at, S.DISPATCHED, actor, ("改派 " if t.returns else "") + lead)
    if t.returns:
        t.history[-1] = Event(at, "驳回退单" if reject_return else "改派", S.DISPATCHED.value, actor, lead)
    t.lead_unit, t.assist_units, t.dispatched_at = lead, assist_t, at
    t.sign_deadline = desk.policy.sign_due(at, t.deadline, desk.calendar)
    return t


def sign(desk: Hotline, t: Ticket, at: datetime, *, actor: str | None = None) -> Ticket:
    """签收 by the lead unit."""
    _step(t, "sign", at, S.SIGNED, actor or t.lead_unit or "")
    t.signed_at = at
    return t


def return_ticket(desk: Hotline, t: Ticket, at: datetime, *, reason: str, actor: str | None = None) -> Ticket:
    """退单 (派单异议): the unit says the matter is not theirs; back to the centre for 改派."""
    if not reason.strip():
        raise ValueError("退单须说明理由")
    _step(t, "return_ticket", at, S.ACCEPTED, actor or t.lead_unit or "", reason)
    t.returns += 1
    t.signed_at = None
    return t


def handle(desk: Hotline, t: Ticket, at: datetime, *, note: str = "", actor: str | None = None) -> Ticket:
    """办理: the unit starts work on the matter."""
    _step(t, "handle", at, S.HANDLING, actor or t.lead_unit or "", note)
    return t


def extend(desk: Hotline, t: Ticket, at: datetime, *, reason: str, days: int | None = None,
           actor: str | None = None) -> Ticket:
    """延期: asked for before 17:00 of the due day; grants ``extension_days`` more working days."""
    why = None
    if t.extensions >= desk.policy.max_extensions:
        why = f"已延期 {t.extensions} 次，达到上限"
    elif t.deadline is not None and at >= desk.policy.extension_cutoff(t.deadline):
        why = f"延期须在 {desk.policy.extension_cutoff(t.deadline):%Y-%m-%d %H:%M} 之前申请"
    _step(t, "extend", at, None, actor or t.lead_unit or "", reason, why)
    assert t.deadline is not None
    t.deadline = desk.policy.extended(t.deadline, desk.calendar, days)
    t.history[-1] = Event(at, "延期", t.state.value, t.history[-1].actor, f"{reason}；新时限 {t.deadline:%Y-%m-%d %H:%M}")
    t.extensions += 1
    return t


def escalate(desk: Hotline, t: Ticket, at: datetime, *, note: str = "", actor: str = HOTLINE_CENTRE) -> Ticket:
    """督办: only when the ticket is overdue."""
    why = None if t.overdue(at) else "工单未超期，无需督办"
    _step(t, "escalate", at, None, actor, note, why if t.state in ALLOWED["escalate"] else None)
    t.escalated = True
    return t


def reply(desk: Hotline, t: Ticket, at: datetime, *, text: str, actor: str | None = None) -> Ticket:
    """回复: the unit reports what it did."""
    if not text.strip():
        raise ValueError("回复内容不能为空")
    _step(t, "reply", at, S.REPLIED, actor or t.lead_unit or "", text)
    t.replied_at, t.reply_text = at, text
    return t


def close(desk: Hotline, t: Ticket, at: datetime, *, actor: str = HOTLINE_CENTRE) -> Ticket:
    """办结: the centre reviews the reply and closes the ticket."""
    _step(t, "close", at, S.CLOSED, actor)
    t.closed_at = at
    return t


def follow_up(desk: Hotline, t: Ticket, at: datetime, *, solved: bool, rating: str | None = None,
              actor: str = HOTLINE_CENTRE) -> Ticket:
    """回访: the caller says whether the matter is solved; with ``rating`` also records 评价."""
    _step(t, "follow_up", at, S.FOLLOWED_UP, actor, "已解决" if solved else "未解决")
    t.followed_up_at, t.solved = at, bool(solved)
    if rating is not None:
        rate(desk, t, at, rating=rating, actor=actor)
    return t


def rate(desk: Hotline, t: Ticket, at: datetime, *, rating: str, actor: str = HOTLINE_CENTRE) -> Ticket:
    """评价 on the five levels of 好差评."""
    return _choose(t, "rate", at, S.RATED, actor, "rating", rating, RATINGS, "评价")


def reopen(desk: Hotline, t: Ticket, at: datetime, *, note: str = "", actor: str = HOTLINE_CENTRE) -> Ticket:
    """重办: after an unsatisfied or unsolved follow-up, back to the lead unit with a new deadline."""
    why = None
    if t.direct or t.lead_unit is None:
        why = "直接办结的工单须重新受理，不能重办"
    elif t.reopens >= desk.policy.max_reopens:
        why = f"已重办 {t.reopens} 次，达到上限"
    elif t.solved and t.rating not in BAD_RATINGS:
        why = "来电人已确认解决且评价非不满意"
    _step(t, "reopen", at, S.HANDLING, actor, note, why)
    t.reopens += 1
    t.deadline = desk.policy.working_day_end(at.date(), desk.policy.reopen_working_days, desk.calendar)
    t.rating, t.solved, t.replied_at, t.closed_at, t.followed_up_at = None, None, None, None, None
    return t


# ---- invariants ---------------------------------------------------------------------------------
def check_invariants(t: Ticket) -> list[str]:
    """Everything that must hold for a ticket in its state; an empty list means consistent."""
    bad: list[str] = []
    times = [e.at for e in t.history]
    if any(b < a for a, b in zip(times, times[1:])):
        bad.append("history not in time order")
    if not t.history or t.history[0].action != "受理":
        bad.append("history must start with 受理")
    if t.history and t.history[-1].state != t.state.value:
        bad.append("last event's state differs from the ticket's")
    st = t.state
    if st == S.REFUSED and t.refused_reason not in NOT_ACCEPTED:
        bad.append("refused without a valid reason")
    if st == S.MERGED and not t.merged_into:
        bad.append("merged without a master")
    if st in (S.DISPATCHED, S.SIGNED, S.HANDLING, S.REPLIED) and not t.lead_unit:
        bad.append("in the units' hands without a lead unit")
    if st in (S.DISPATCHED, S.SIGNED, S.HANDLING, S.REPLIED) and t.deadline is None:
        bad.append("dispatched without a deadline")
    if st in (S.SIGNED, S.HANDLING, S.REPLIED) and t.signed_at is None:
        bad.append("handling without 签收")
    if st in (S.CLOSED, S.FOLLOWED_UP, S.RATED):
        if t.closed_at is None:
            bad.append("closed without closed_at")
        if not t.direct and (t.replied_at is None or t.signed_at is None or t.dispatched_at is None):
            bad.append("closed without dispatch, sign and reply")
        ordered = [x for x in (t.received_at, t.dispatched_at, t.signed_at, t.replied_at, t.closed_at,
                               t.followed_up_at) if x is not None]
        if t.direct:
            ordered = [t.received_at, t.closed_at] + ([t.followed_up_at] if t.followed_up_at else [])
        if any(b < a for a, b in zip(ordered, ordered[1:])):
            bad.append("closed ticket with timestamps out of order")
    if (st == S.RATED) != (t.rating is not None):
        bad.append("rating present iff state is 已评价")
    if st in (S.FOLLOWED_UP, S.RATED) and t.solved is None:
        bad.append("followed up without the solved answer")
    if t.extensions > DEFAULT_POLICY.max_extensions and False:  # policy-specific; checked by the desk
        bad.append("too many extensions")
    if t.escalated and not any(e.action == "督办" for e in t.history):
        bad.append("escalated flag without a 督办 event")
    return bad


def advance_to(at: datetime, t: Ticket) -> datetime:
    """A moment not before the ticket's last event (helper for scripted sequences)."""
    return max(at, t.last_at + timedelta(seconds=1))


# Office hours of units and of the centre's back office (Beijing time, working days); the desk takes
# calls round the clock, and units keep an on-duty rota for urgent and 水电气暖 matters.
OFFICE_HOURS: tuple[tuple[time, time], ...] = ((time(8, 30), time(12, 0)), (time(14, 30), time(18, 0)))


def office_time(at: datetime, cal: WorkCalendar) -> datetime:
    """``at`` when it falls in office hours, else the next moment that does."""
    day = at.date()
    while True:
        if cal.is_working_day(day):
            for start, end in OFFICE_HOURS:
                if at < datetime.combine(day, end, tzinfo=at.tzinfo):
                    return max(at, datetime.combine(day, start, tzinfo=at.tzinfo))
        day += timedelta(days=1)
        at = datetime.combine(day, time(), tzinfo=at.tzinfo)


def acting_time(desk: Hotline, t: Ticket, at: datetime) -> datetime:
    """When a unit (or the centre's back office: 改派, 办结, 回访) acts on ``t`` at the earliest ``at``:
    after the ticket's last event and in office hours — except urgent and 水电气暖 tickets (on duty)."""
    at = advance_to(at, t)
    if t.urgency != URGENCIES[0] or t.level2 in _UTILITY:
        return at
    return office_time(at, desk.calendar)
