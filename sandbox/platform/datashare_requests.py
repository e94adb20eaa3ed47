"""Share requests (共享申请) and their state machine, after 《政务数据共享条例》 (in force 2025-08-01).

Rules the machine enforces (the time limits are scenario parameters: DOMAIN.md does not yet carry
the regulation's figures, so the defaults are unconfirmed):

* 无条件共享 data is obtained directly through the platform: a request is opened at once (已开通).
* 有条件共享 data needs a request stating its purpose; the provider replies within ``reply_days``
  working days (同意 or 拒绝 — a refusal must give its reason), and an approved request is opened
  within ``deliver_days`` working days of the approval.
* 不予共享 data is refused on submission, quoting the catalogue's legal basis.
* A refused request may be taken to the 政务数据共享主管部门 for coordination (提请协调), whose decision
  (again within ``reply_days``) is final. A request can be withdrawn while it waits for a reply; an
  opened share can be closed when the need ends.

Requests are immutable: every action returns a new request with the event appended. An action not
allowed in the current state raises :class:`ShareTransitionError` naming ticket, state and action.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sandbox.base.ids import SYNTHETIC_MARK
from sandbox.base.calendar import WorkCalendar

__all__ = ["STATES", "ACTIONS", "TRANSITIONS", "SHARE_TYPES", "ShareRequestError", "ShareTransitionError",
           "ShareRules", "ShareEvent", "ShareRequest", "submit", "act", "is_open", "reply_late",
           "delivery_late", "describe"]

SHARE_TYPES = ("无条件共享", "有条件共享", "不予共享")
STATES = ("已提交", "已同意", "已拒绝", "协调中", "已开通", "已撤回", "协调未通过", "已关闭")
ACTIONS = {"approve": "同意", "refuse": "拒绝", "withdraw": "撤回", "deliver": "开通", "escalate": "提请协调",
           "close": "关闭"}
TRANSITIONS: dict[tuple[str, str], str] = {
    ("已提交", "approve"): "已同意", ("已提交", "refuse"): "已拒绝", ("已提交", "withdraw"): "已撤回",
    ("已同意", "deliver"): "已开通", ("已拒绝", "escalate"): "协调中",
    ("协调中", "approve"): "已同意", ("协调中", "refuse"): "协调未通过", ("已开通", "close"): "已关闭",
}


class ShareRequestError(ValueError):
    """A request that cannot be made or an action with bad arguments (message in Chinese)."""


class ShareTransitionError(ShareRequestError):
    """An action not allowed in the request's current state."""

    def __init__(self, ticket: str, state: str, action: str) -> None:
        self.ticket, self.state, self.action = ticket, state, action
        label = ACTIONS.get(action, action)
        allowed = "、".join(ACTIONS[a] for (s, a) in TRANSITIONS if s == state) or "无（已办结）"
        super().__init__(f"共享申请 {ticket} 当前状态为「{state}」，不能执行「{label}」（{action}）；可执行：{allowed}")


@dataclass(frozen=True)
class ShareRules:
    """Time limits in working days. ASSUMPTIONS, not checked against the text of 国务院令第809号
    (review of 2026-12, docs/reviews/platform-review-2026-12.md): keep them parameters, and confirm
    them before a course quotes them as the regulation's figures."""
    reply_days: int = 10  # provider's reply to a 有条件共享 request (10 as in 国发〔2016〕51号; 条例 unchecked)
    deliver_days: int = 5  # from approval to the share being opened (assumption)
    coordinate_days: int = 10  # 主管部门's decision after 提请协调 (assumption)

    def __post_init__(self) -> None:
        for name in ("reply_days", "deliver_days", "coordinate_days"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 60:
                raise ShareRequestError(f"共享时限 {name} 应为 1 到 60 之间的整数（工作日），而不是 {v!r}")


@dataclass(frozen=True)
class ShareEvent:
    on: date
    action: str  # "submit" or a key of ACTIONS
    state: str  # state after the action
    note: str = ""


@dataclass(frozen=True)
class ShareRequest:
    ticket: str
    requester: str  # 使用部门
    provider: str  # 数源部门
    item: str  # data item code
    share_type: str
    purpose: str  # 使用依据和用途
    submitted: date
    state: str
    reply_due: date | None  # set while a reply is awaited
    deliver_due: date | None  # set once approved
    history: tuple[ShareEvent, ...]
    reason: str = ""  # refusal reason / basis


def _check_submit(ticket: str, requester: str, provider: str, share_type: str, purpose: str) -> None:
    if not ticket.strip():
        raise ShareRequestError("共享申请编号不能为空")
    if share_type not in SHARE_TYPES:
        raise ShareRequestError(f"共享申请 {ticket}: 共享类型应为 {'、'.join(SHARE_TYPES)} 之一，而不是 {share_type!r}")
    if not requester.strip():
        raise ShareRequestError(f"共享申请 {ticket}: 使用部门不能为空")
    if requester == provider:
        raise ShareRequestError(f"共享申请 {ticket}: {requester} 是该数据的数源部门，本部门数据无需申请共享")
    if not purpose.strip():
        raise ShareRequestError(f"共享申请 {ticket}: 须写明使用依据和用途（《政务数据共享条例》）")


def submit(ticket: str, requester: str, provider: str, item: str, share_type: str, purpose: str, on: date,
           rules: ShareRules, calendar: WorkCalendar, basis: str = "") -> ShareRequest:
    """A new request; its first state follows the item's sharing type."""
    _check_submit(ticket, requester, provider, share_type, purpose)
    base = ShareRequest(ticket, requester, provider, item, share_type, purpose, on, "已提交", None, None, ())
    if share_type == "无条件共享":
        return replace(base, state="已开通", history=(ShareEvent(on, "submit", "已开通", "无条件共享，平台直接授权"),))
    if share_type == "不予共享":
        why = f"目录标注为不予共享。依据：{basis or '未注明'}"
        return replace(base, state="已拒绝", reason=why, history=(ShareEvent(on, "submit", "已拒绝", why),))
    due = calendar.add_working_days(on, rules.reply_days)
    return replace(base, reply_due=due, history=(ShareEvent(on, "submit", "已提交"),))


def act(req: ShareRequest, action: str, on: date, rules: ShareRules, calendar: WorkCalendar,
        note: str = "") -> ShareRequest:
    """Apply one action; invalid transitions raise with ticket, state and action named."""
    nxt = TRANSITIONS.get((req.state, action))
    if nxt is None:
        raise ShareTransitionError(req.ticket, req.state, action)
    if on < req.history[-1].on:
        raise ShareRequestError(f"共享申请 {req.ticket}: {ACTIONS[action]}日期 {on} 早于上一步 {req.history[-1].on}")
    if nxt in ("已拒绝", "协调未通过") and not note.strip():
        raise ShareRequestError(f"共享申请 {req.ticket}: 拒绝共享须说明理由（《政务数据共享条例》）")
    changes: dict = {"state": nxt, "history": req.history + (ShareEvent(on, action, nxt, note),)}
    if nxt == "已同意":
        changes.update(reply_due=None, deliver_due=calendar.add_working_days(on, rules.deliver_days))
    elif nxt == "协调中":
        changes.update(reply_due=calendar.add_working_days(on, rules.coordinate_days))
    elif nxt in ("已拒绝", "协调未通过", "已撤回"):
        changes.update(reply_due=None, reason=note)
    elif nxt == "已开通":
        changes.update(deliver_due=None)
    return replace(req, **changes)


def is_open(req: ShareRequest, on: date) -> bool:
    """Whether the share is usable on ``on`` (opened on or before it and not closed by then)."""
    opened = [e.on for e in req.history if e.state == "已开通"]
    closed = [e.on for e in req.history if e.state == "已关闭"]
    return bool(opened) and opened[0] <= on and not (closed and closed[0] <= on)


def _first(req: ShareRequest, states: tuple[str, ...], after_action: str | None = None) -> date | None:
    for e in req.history:
        if e.state in states and (after_action is None or e.action == after_action):
            return e.on
    return None


def reply_late(req: ShareRequest, as_of: date, rules: ShareRules, calendar: WorkCalendar) -> bool:
    """The provider's reply came (or, unanswered, is) later than ``reply_days`` after submission."""
    if req.share_type != "有条件共享":
        return False
    due = calendar.add_working_days(req.submitted, rules.reply_days)
    replied = _first(req, ("已同意", "已拒绝", "已撤回"))
    return (replied or as_of) > due


def delivery_late(req: ShareRequest, as_of: date, rules: ShareRules, calendar: WorkCalendar) -> bool:
    """An approved request opened (or, not yet opened, is) later than ``deliver_days`` after approval."""
    approved = _first(req, ("已同意",))
    if approved is None:
        return False
    opened = _first(req, ("已开通",))
    return (opened or as_of) > calendar.add_working_days(approved, rules.deliver_days)


def describe(req: ShareRequest) -> str:
    """One line for a list a trainee reads."""
    due = f"，答复期限 {req.reply_due}" if req.reply_due else (f"，开通期限 {req.deliver_due}" if req.deliver_due else "")
    why = f"，理由：{req.reason}" if req.reason else ""
    return (f"【{SYNTHETIC_MARK}】{req.ticket} {req.requester} → {req.provider}（{req.item}，{req.share_type}）"
            f"：{req.state}{due}{why}")
