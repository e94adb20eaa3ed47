"""A trainee's decisions on a desk queue, applied through the ticket API, and what they achieve.

``decisions`` is plain JSON, one dict per ticket number::

    {"HD20250612-0003": {"处理": "派单", "类型": "投诉", "分类": "物业服务质量", "主办": "乐都区住建局",
                         "协办": [], "理由": "", "并入": "", "知识库": ""}, …}

:func:`apply` drives each ticket through :mod:`sandbox.hotline.tickets` (classify, route, refuse,
merge, close_direct, return_ticket, extend, sign, handle, reply, close, follow_up): the desk acts on
the trainee's decision, the units act by fixed rules (the right unit finishes within the deadline; a
wrong unit returns the ticket after a working day; a unit denied a justified 延期 finishes late).
The result lists, per ticket, what happened, whether it was handled on time, and Chinese reasons
naming the rule broken; :func:`score` turns it into the queue's rates. No I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping

from ..base.calendar import WorkCalendar, default_calendar
from .desk import KNOWLEDGE, Queue, QueueTicket, township_unit
from .routing import TOWNSHIP, route_for, unit_name
from .tickets import NOT_ACCEPTED, Hotline, Ticket, TransitionError, acting_time, classify, close, close_direct
from .tickets import extend, follow_up, handle, merge, refuse, reply, return_ticket, route, sign

RULES = {
    "route": "派单依据《派单目录》：主办单位、协办单位按目录确定（国办函〔2025〕66号）",
    "direct": "知识库有答复口径的咨询当场解答、直接办结；需要查询个人办件情况的咨询派单",
    "refuse": ("依法应当通过诉讼、仲裁、纪检监察、行政复议、政府信息公开等程序解决或已进入上述程序的诉求，已进入信访程序的事项，"
               "以及涉及国家秘密、商业秘密、个人隐私和违反社会公序良俗的诉求，不予受理，告知诉求人依法依规向有关部门反映；"
               "拿不准的先受理、按目录派单（国办发〔2020〕53号）"),
    "merge": "同一事项的重复诉求并入首个工单（并单），不重复派单",
    "return": ("审核退单理由：原承办单位不是《派单目录》的主办单位的，改派给目录中的主办职能部门，属于职能部门职责的事项"
               "不得推给乡镇（街道）；原承办单位就是目录主办单位的，退单理由不成立，驳回退单，由原单位继续办理"),
    "extend": ("延期须在到期日17:00前申请，且理由须是办理本身需要的时间（检测、勘查、多方协调）"
               "（17:00截止、只能申请一次、最多延长5个工作日为本培训口径，各地以本地规定为准）"),
}


@dataclass
class Outcome:
    number: str
    kind: str
    action: str
    handled_on_time: bool | None      # None: not in the on-time count (matters not accepted)
    first_route_right: bool | None = None
    classified_right: bool | None = None   # type and category both right
    category_right: bool | None = None     # the level-two category right (what routing follows)
    decision_right: bool = False
    reasons: list[str] = field(default_factory=list)
    history: list[tuple[str, str, str]] = field(default_factory=list)  # (time, action, note)


def _dec(decisions: Mapping[str, Any], number: str) -> dict:
    d = decisions.get(number) if isinstance(decisions, Mapping) else None
    return d if isinstance(d, dict) else {}


def _s(d: dict, key: str) -> str:
    v = d.get(key)
    return v.strip() if isinstance(v, str) else ""


def _assist(d: dict) -> tuple[str, ...]:
    v = d.get("协办")
    return tuple(sorted(x for x in v if isinstance(x, str) and x)) if isinstance(v, list) else ()


def _unit_works(desk: Hotline, t: Ticket, at: datetime, truth_deadline: datetime, right_lead: str,
                late: bool = False) -> datetime:
    """The lead unit signs and works; a wrong unit returns the ticket and the centre re-routes it."""
    hops = 0
    while t.lead_unit != right_lead and hops < 2:
        at = acting_time(desk, t, at + timedelta(hours=20))
        return_ticket(desk, t, at, reason="不属于本单位职责")
        at = acting_time(desk, t, at + timedelta(hours=1))
        route(desk, t, at, lead=right_lead)
        hops += 1
    sign(desk, t, acting_time(desk, t, at + timedelta(hours=2)))
    handle(desk, t, acting_time(desk, t, at + timedelta(hours=3)))
    span = max(truth_deadline - t.received_at, timedelta(hours=4))
    done = t.dispatched_at + span * 0.5 if not late else truth_deadline + timedelta(days=2)
    reply(desk, t, acting_time(desk, t, done), text="已按诉求办理并电话告知来电人")
    close(desk, t, acting_time(desk, t, t.replied_at + timedelta(hours=1)))
    return t.closed_at


def _finish(desk: Hotline, t: Ticket, solved: bool) -> None:
    follow_up(desk, t, acting_time(desk, t, t.closed_at + timedelta(hours=2)), solved=solved,
              rating="满意" if solved else "不满意")


def _classify(desk: Hotline, t: Ticket, q: QueueTicket, d: dict, out: Outcome) -> None:
    """The trainee's classification; a type or category outside the catalogue falls back to the truth."""
    ttype, level2 = _s(d, "类型"), _s(d, "分类")
    out.category_right = level2 == q.truth.level2
    out.classified_right = out.category_right and ttype == q.truth.ticket_type
    if not out.classified_right and q.truth.kind != "refuse":
        out.reasons.append(f"分类应为「{q.truth.ticket_type}／{q.truth.level2}」，你分为「{ttype or '未选'}／{level2 or '未选'}」")
    try:
        classify(desk, t, t.received_at + timedelta(minutes=5), ticket_type=ttype, level2=level2)
    except ValueError:
        classify(desk, t, t.received_at + timedelta(minutes=5), ticket_type=q.truth.ticket_type,
                 level2=q.truth.level2 if q.truth.level2 else "其他事项")


def _truth_deadline(desk: Hotline, q: QueueTicket) -> datetime:
    from .taxonomy import BY_LEVEL2
    return desk.policy.due(q.received_at, q.truth.ticket_type, "一般", BY_LEVEL2[q.truth.level2].utility, desk.calendar)


def apply(queue: Queue, decisions: Mapping[str, Any], cal: WorkCalendar | None = None) -> list[Outcome]:
    """Apply the trainee's decisions to every ticket of the queue; one outcome per ticket."""
    desk = Hotline(calendar=cal or default_calendar(True))
    results: dict[str, Outcome] = {}
    for q in sorted(queue.tickets, key=lambda x: (x.received_at, x.number)):
        d = _dec(decisions, q.number)
        t = desk.receive(q.received_at, channel=q.channel, caller_name=q.caller_name, caller_mobile=q.caller_mobile,
                         county=q.county, text=q.text, number=q.number)
        out = Outcome(q.number, q.truth.kind, _s(d, "处理") or "未处理", None)
        handler = {"returned": _returned, "extension": _extension}.get(q.truth.kind, _new)
        try:
            handler(desk, t, q, d, out, results)
        except (TransitionError, ValueError) as exc:
            out.reasons.append(f"系统拒绝了这个操作：{exc}")
            out.handled_on_time = False if out.handled_on_time is None and q.truth.kind != "refuse" else out.handled_on_time
        out.history = [(f"{e.at:%m-%d %H:%M}", e.action, e.note) for e in t.history]
        results[q.number] = out
    return [results[q.number] for q in queue.tickets]


def _new(desk: Hotline, t: Ticket, q: QueueTicket, d: dict, out: Outcome, done: dict) -> None:
    act, truth = out.action, q.truth
    at = t.received_at + timedelta(minutes=10)
    if act == "不予受理":
        reason = _s(d, "理由")
        if truth.kind == "refuse":
            refuse(desk, t, at, reason=reason)  # a reason outside the list raises ValueError
            out.decision_right = reason == truth.reason
            if not out.decision_right:
                out.reasons.append(f"不予受理的理由应为「{truth.reason}」，你选了「{reason}」")
        else:
            refuse(desk, t, at, reason=reason if reason in NOT_ACCEPTED else NOT_ACCEPTED[0])
            out.handled_on_time = False
            out.reasons.append("错误地不予受理：这件诉求属于热线受理范围。" + RULES["refuse"])
        return
    if truth.kind == "refuse":
        out.reasons.append(f"这件属于「{truth.reason}」，应当不予受理并告知来电人正确渠道。" + RULES["refuse"])
        return
    _classify(desk, t, q, d, out)
    deadline = _truth_deadline(desk, q)
    if act == "并单":
        _merge(desk, t, q, d, out, done, at)
    elif act == "直接办结":
        _direct(desk, t, q, d, out, at, deadline)
    elif act == "派单":
        _dispatch(desk, t, q, d, out, at, deadline)
    else:
        out.handled_on_time = False
        out.reasons.append("这件工单没有作出处理决定（派单、直接办结、并单或不予受理）。")


def _dispatch(desk: Hotline, t: Ticket, q: QueueTicket, d: dict, out: Outcome, at: datetime,
              deadline: datetime) -> None:
    truth = q.truth
    lead = _s(d, "主办")
    route(desk, t, at, lead=lead or truth.lead, assist=_assist(d))
    out.first_route_right = lead == truth.lead and _assist(d) == tuple(sorted(truth.assist))
    if truth.kind == "direct":
        out.reasons.append("知识库里有这件咨询的答复口径，应当场解答、直接办结，不必派单。" + RULES["direct"])
    elif truth.kind == "duplicate":
        out.reasons.append(f"这是工单 {truth.master} 的重复诉求，应并单，不应重复派单。" + RULES["merge"])
    if lead != truth.lead:
        out.reasons.append(f"主办单位应为「{truth.lead}」，你派给了「{lead or '未选'}」，被退单后才改派。" + RULES["route"])
    elif _assist(d) != tuple(sorted(truth.assist)):
        want = "、".join(truth.assist) or "无"
        out.reasons.append(f"协办单位应为「{want}」，你选了「{'、'.join(_assist(d)) or '无'}」。" + RULES["route"])
    closed = _unit_works(desk, t, at, deadline, truth.lead)
    out.handled_on_time = closed <= deadline
    out.decision_right = truth.kind == "new-dispatch"
    _finish(desk, t, True)


def _direct(desk: Hotline, t: Ticket, q: QueueTicket, d: dict, out: Outcome, at: datetime,
            deadline: datetime) -> None:
    kb = _s(d, "知识库")
    close_direct(desk, t, at, answer=KNOWLEDGE.get(kb, ""))
    right = q.truth.kind == "direct" and kb == q.truth.kb
    out.decision_right = right
    out.handled_on_time = right
    if q.truth.kind != "direct":
        out.reasons.append("这件诉求需要承办单位办理（或查询来电人自己的办件情况），直接办结等于没办，回访时来电人表示未解决；"
                           "直接办结的工单不能重办，只能重新受理。" + RULES["direct"])
    elif not right:
        out.reasons.append(f"答复口径选错了：应选知识库「{q.truth.kb}」，你选了「{kb or '未选'}」。")
    _finish(desk, t, right)


def _merge(desk: Hotline, t: Ticket, q: QueueTicket, d: dict, out: Outcome, done: dict, at: datetime) -> None:
    into = _s(d, "并入")
    if into not in desk.tickets:  # a later (or unknown) ticket: nothing received yet to merge into
        raise ValueError(f"工单 {into or '（未选）'} 不是本工单之前受理的工单，不能并入")
    merge(desk, t, at, into=into)  # a closed-out master raises
    right = q.truth.kind == "duplicate" and into == q.truth.master
    out.decision_right = right
    master = done.get(into)
    out.handled_on_time = bool(right and master is not None and master.handled_on_time)
    if q.truth.kind != "duplicate":
        out.reasons.append(f"这件不是工单 {into} 的重复诉求，并单后来电人的事情没人办。" + RULES["merge"])
    elif not right:
        out.reasons.append(f"应并入工单 {q.truth.master}，你并入了 {into}。" + RULES["merge"])


def _returned(desk: Hotline, t: Ticket, q: QueueTicket, d: dict, out: Outcome, done: dict) -> None:
    """Yesterday's routing, the unit's 退单, then the trainee's review: 改派 or 驳回退单."""
    truth = q.truth
    classify(desk, t, t.received_at + timedelta(minutes=5), ticket_type=truth.ticket_type, level2=truth.level2)
    deadline = t.deadline
    route(desk, t, t.received_at + timedelta(minutes=10), lead=q.first_unit, assist=())
    return_ticket(desk, t, q.request_at, reason=q.note)
    at = q.request_at + timedelta(minutes=10)
    founded = truth.return_ok is not False
    lead = q.first_unit if out.action == "驳回退单" else _s(d, "主办")
    if out.action not in ("改派", "驳回退单") or not lead:
        out.handled_on_time = False
        out.reasons.append("退单工单没有审核（改派或驳回退单）。" + RULES["return"])
        return
    if out.action == "改派" and lead == q.first_unit:
        # the system would refuse it; the trainee is told the rule, not the state machine's message
        out.handled_on_time = False
        out.reasons.append(f"「{lead}」就是派单目录的主办单位，不能改派给它自己：退单理由不成立的应驳回退单。"
                           + RULES["return"])
        return
    at = acting_time(desk, t, at)  # the centre reviews a 退单 in office hours
    if out.action == "驳回退单":
        route(desk, t, at, assist=(), reject_return=True)
    else:
        route(desk, t, at, lead=lead, assist=_assist(d))
    out.first_route_right = lead == truth.lead
    out.decision_right = out.action == ("改派" if founded else "驳回退单") and lead == truth.lead
    if not founded and out.action == "改派":
        out.reasons.append(f"退单理由不成立：「{q.first_unit}」就是派单目录的主办单位，应驳回退单，由原单位继续办理。"
                           + RULES["return"])
    elif founded and out.action == "驳回退单":
        out.reasons.append(f"退单理由成立：「{q.first_unit}」不是派单目录的主办单位，应改派「{truth.lead}」。" + RULES["return"])
    elif lead != truth.lead and (lead == township_unit(q.county, q.town) or lead.endswith("人民政府")) \
            and not truth.lead.endswith("人民政府"):
        out.reasons.append(f"把职能部门的事项推给了乡镇（街道）：应改派「{truth.lead}」。" + RULES["return"])
    elif lead != truth.lead:
        out.reasons.append(f"改派单位应为「{truth.lead}」，你改派给「{lead}」。" + RULES["return"])
    closed = _unit_works(desk, t, at, deadline, truth.lead)
    out.handled_on_time = closed <= deadline
    _finish(desk, t, True)


def _extension(desk: Hotline, t: Ticket, q: QueueTicket, d: dict, out: Outcome, done: dict) -> None:
    """A unit asks for 延期 on the due day; the trainee approves or refuses."""
    truth = q.truth
    classify(desk, t, t.received_at + timedelta(minutes=5), ticket_type=truth.ticket_type, level2=truth.level2)
    route(desk, t, t.received_at + timedelta(minutes=10), lead=truth.lead, assist=truth.assist)
    sign(desk, t, acting_time(desk, t, t.received_at + timedelta(hours=3)))
    handle(desk, t, acting_time(desk, t, t.received_at + timedelta(hours=4)))
    deadline = t.deadline
    approve = out.action == "同意延期"
    if out.action not in ("同意延期", "不同意延期"):
        out.reasons.append("延期申请没有审核（同意或不同意）。" + RULES["extend"])
    out.decision_right = approve == truth.extension_ok and out.action in ("同意延期", "不同意延期")
    needs_time = bool(truth.needs_time)  # the case's own truth, never words of the note
    if approve:
        try:
            extend(desk, t, q.request_at, reason=q.note)
            deadline = t.deadline
        except TransitionError as exc:
            out.reasons.append(f"系统拒绝了延期：{exc}。" + RULES["extend"])
    if approve and not truth.extension_ok and t.extensions:
        out.reasons.append("延期理由不是办理本身需要的时间，不应同意。" + RULES["extend"])
    if not approve and truth.extension_ok:
        out.reasons.append("理由正当且在到期日17:00前申请的延期应当同意；不同意导致工单超期。" + RULES["extend"])
    if not needs_time:
        done_at = max(q.request_at, t.last_at) + timedelta(hours=2) if not t.extensions else deadline - timedelta(days=1)
    else:
        done_at = q.deadline + timedelta(days=3) if t.extensions else q.deadline + timedelta(days=3)
    reply(desk, t, acting_time(desk, t, done_at), text="已办理并告知来电人")
    close(desk, t, acting_time(desk, t, t.replied_at + timedelta(hours=1)))
    out.handled_on_time = t.closed_at <= deadline
    _finish(desk, t, True)


def score(queue: Queue, outcomes: list[Outcome]) -> dict:
    """The rates of a handled queue (shares 0..1; None where nothing counts)."""
    def share(xs: list[bool]) -> float | None:
        return round(sum(xs) / len(xs), 4) if xs else None
    by_kind: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_kind.setdefault(o.kind, []).append(o)
    new = [o for o in outcomes if o.kind in ("new-dispatch", "direct", "duplicate")]
    return {
        "分类准确率": share([bool(o.classified_right) for o in new]),
        "二级分类准确率": share([bool(o.category_right) for o in new]),
        "一次派准率": share([bool(o.first_route_right) for o in by_kind.get("new-dispatch", [])]),
        "直接办结正确率": share([o.decision_right for o in by_kind.get("direct", [])]),
        "误直接办结": sum(1 for o in outcomes if o.action == "直接办结" and o.kind != "direct"),
        "不予受理正确率": share([o.decision_right for o in by_kind.get("refuse", [])]),
        "错误不予受理": sum(1 for o in outcomes if o.action == "不予受理" and o.kind != "refuse"),
        "并单正确率": share([o.decision_right for o in by_kind.get("duplicate", [])]),
        "错误并单": sum(1 for o in outcomes if o.action == "并单" and o.kind != "duplicate"),
        "重复派单": sum(1 for o in outcomes if o.action == "派单" and o.kind == "duplicate"),
        "改派正确率": share([o.decision_right for o in by_kind.get("returned", [])]),
        "延期审核正确率": share([o.decision_right for o in by_kind.get("extension", [])]),
        "按期办结率": share([bool(o.handled_on_time) for o in outcomes if o.kind != "refuse"]),
    }


def reference_decisions(queue: Queue) -> dict[str, dict]:
    """The handling the rules call for (the answer key; grader side and tests only)."""
    out: dict[str, dict] = {}
    for q in queue.tickets:
        tr = q.truth
        base = {"类型": tr.ticket_type, "分类": tr.level2, "主办": "", "协办": [], "理由": "", "并入": "", "知识库": ""}
        if tr.kind == "refuse":
            out[q.number] = {**base, "处理": "不予受理", "类型": "", "分类": "", "理由": tr.reason}
        elif tr.kind == "direct":
            out[q.number] = {**base, "处理": "直接办结", "知识库": tr.kb}
        elif tr.kind == "duplicate":
            out[q.number] = {**base, "处理": "并单", "并入": tr.master}
        elif tr.kind == "returned" and tr.return_ok is False:
            out[q.number] = {**base, "处理": "驳回退单"}
        elif tr.kind == "returned":
            out[q.number] = {**base, "处理": "改派", "主办": tr.lead}
        elif tr.kind == "extension":
            out[q.number] = {**base, "处理": "同意延期" if tr.extension_ok else "不同意延期"}
        else:
            out[q.number] = {**base, "处理": "派单", "主办": tr.lead, "协办": list(tr.assist)}
    return out


def catalogue_entry(level2: str, county: str, town: str = "") -> dict:
    """The 派单目录 entry a trainee looks up (public rule). A returned ticket goes back to the
    catalogue's lead unit; ``Route.alternative`` is the unit tickets are commonly misrouted to (the one
    that returns them), so it is never shown as advice. Without ``town`` a township lead reads as
    「工单所在乡镇人民政府」."""
    r = route_for(level2, county, town=town)

    def shown(unit: str) -> str:
        return unit if town else unit.replace(unit_name(TOWNSHIP, county), unit_name("", county) + "工单所在乡镇人民政府")
    return {"主办": shown(r.lead), "协办": [shown(a) for a in r.assist], "退单后改派": shown(r.lead)}
