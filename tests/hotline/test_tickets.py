"""The ticket state machine: the paths of the lifecycle, its errors, and properties under any call sequence."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.hotline import tickets as api
from sandbox.hotline.tickets import Hotline, State, TransitionError, check_invariants

T0 = datetime(2024, 9, 27, 10, 0)


def _new(desk: Hotline, text: str = "楼道灯坏了一直没人修", county: str = "乐都区", at: datetime = T0):
    t = desk.receive(at, channel="电话", caller_name="张建华", caller_mobile="13812345678", county=county, text=text)
    return api.classify(desk, t, at, ticket_type="投诉", level2="物业服务质量")


def test_full_lifecycle_and_history():
    desk = Hotline()
    t = _new(desk)
    api.route(desk, t, T0 + timedelta(minutes=5))
    assert t.lead_unit == "乐都区住建局" and t.state is State.DISPATCHED
    api.sign(desk, t, T0 + timedelta(hours=1))
    api.handle(desk, t, T0 + timedelta(hours=2))
    api.reply(desk, t, T0 + timedelta(days=2), text="已督促物业修复")
    api.close(desk, t, T0 + timedelta(days=2, hours=1))
    api.follow_up(desk, t, T0 + timedelta(days=3), solved=True, rating="满意")
    assert t.state is State.RATED
    assert [e.action for e in t.history] == ["受理", "分类", "派单", "签收", "办理", "回复", "办结", "回访", "评价"]
    assert check_invariants(t) == []
    shown = t.summary()
    assert shown["来电人"] == "张*华 138****5678" and shown["数据性质"] == "合成数据"


def test_invalid_transition_names_ticket_state_and_action():
    desk = Hotline()
    t = _new(desk)
    with pytest.raises(TransitionError) as e:
        api.close(desk, t, T0)
    msg = str(e.value)
    assert t.number in msg and "已受理" in msg and "办结" in msg


def test_refusal_only_for_matters_not_accepted():
    desk = Hotline()
    t = _new(desk)
    with pytest.raises(ValueError, match="不予受理的理由"):
        api.refuse(desk, t, T0, reason="不想办")
    api.refuse(desk, t, T0, reason="涉诉")
    assert t.state is State.REFUSED
    with pytest.raises(TransitionError):
        api.route(desk, t, T0)


def test_return_then_reassign_to_another_unit():
    desk = Hotline()
    t = _new(desk)
    api.route(desk, t, T0)
    api.return_ticket(desk, t, T0 + timedelta(hours=1), reason="非本单位职责")
    assert t.state is State.ACCEPTED
    api.route(desk, t, T0 + timedelta(hours=2))  # 改派: the catalogue's alternative
    assert t.lead_unit == "乐都区综合行政执法局"
    assert t.history[-1].action == "改派"


def test_extension_before_cutoff_only_and_escalation_only_when_overdue():
    desk = Hotline()
    t = _new(desk)
    api.route(desk, t, T0)
    api.sign(desk, t, T0 + timedelta(hours=1))
    due = t.deadline
    with pytest.raises(TransitionError, match="未超期"):
        api.escalate(desk, t, T0 + timedelta(hours=2))
    late = due.replace(hour=17, minute=30)
    with pytest.raises(TransitionError, match="延期须在"):
        api.extend(desk, t, late, reason="需要现场勘查")
    api.extend(desk, t, due.replace(hour=16), reason="需要现场勘查")
    assert t.deadline > due
    with pytest.raises(TransitionError, match="上限"):
        api.extend(desk, t, due.replace(hour=16, minute=5), reason="再延")
    api.escalate(desk, t, t.deadline + timedelta(minutes=1))
    assert t.escalated and check_invariants(t) == []


def test_merge_and_reopen():
    desk = Hotline()
    a = _new(desk)
    b = _new(desk, text="同一小区楼道灯也坏了", at=T0 + timedelta(minutes=10))
    api.merge(desk, b, T0 + timedelta(minutes=20), into=a.number)
    assert b.state is State.MERGED and b.merged_into == a.number
    with pytest.raises(TransitionError, match="不能并入自身"):
        api.merge(desk, a, T0 + timedelta(minutes=30), into=a.number)
    api.route(desk, a, T0 + timedelta(hours=1))
    api.sign(desk, a, T0 + timedelta(hours=2))
    api.handle(desk, a, T0 + timedelta(hours=2))
    api.reply(desk, a, T0 + timedelta(days=1), text="已处理")
    api.close(desk, a, T0 + timedelta(days=1, hours=1))
    api.follow_up(desk, a, T0 + timedelta(days=2), solved=False, rating="不满意")
    api.reopen(desk, a, T0 + timedelta(days=2, hours=1), note="回访不满意")
    assert a.state is State.HANDLING and a.rating is None and a.reopens == 1
    api.reply(desk, a, T0 + timedelta(days=4), text="重新处理")
    api.close(desk, a, T0 + timedelta(days=4, hours=1))
    api.follow_up(desk, a, T0 + timedelta(days=5), solved=False, rating="不满意")
    with pytest.raises(TransitionError, match="上限"):
        api.reopen(desk, a, T0 + timedelta(days=5, hours=1))
    assert check_invariants(a) == [] and check_invariants(b) == []


def test_time_cannot_go_back():
    desk = Hotline()
    t = _new(desk)
    api.route(desk, t, T0 + timedelta(hours=1))
    with pytest.raises(ValueError, match="早于上一步"):
        api.sign(desk, t, T0)


def test_direct_closure_and_bad_input():
    desk = Hotline()
    t = desk.receive(T0, channel="方言专席", caller_name="才让", caller_mobile="13900001111", county="化隆回族自治县",
                     text="想问一下社保卡在哪里补办")
    with pytest.raises(ValueError, match="二级分类"):
        api.classify(desk, t, T0, ticket_type="咨询", level2="没有这个")
    api.classify(desk, t, T0, ticket_type="咨询", level2="社保卡")
    api.close_direct(desk, t, T0 + timedelta(minutes=6), answer="已告知补办地点")
    api.follow_up(desk, t, T0 + timedelta(days=1), solved=True, rating="非常满意")
    assert t.direct and check_invariants(t) == []
    with pytest.raises(TransitionError, match="直接办结"):
        api.reopen(desk, t, T0 + timedelta(days=1, hours=1))
    with pytest.raises(ValueError, match="渠道"):
        desk.receive(T0, channel="传真", caller_name="x", caller_mobile="1", county="乐都区", text="x")


# ---- property-based: any sequence of API calls ------------------------------------------------------
ACTIONS = ["refuse", "close_direct", "merge", "route", "sign", "return_ticket", "handle", "extend", "escalate",
           "reply", "close", "follow_up", "rate", "reopen"]


def _call(desk, t, other, action, at, draw_bool, rating):
    kw = {
        "refuse": dict(reason="仲裁"), "close_direct": dict(answer="已解答"), "merge": dict(into=other.number),
        "route": {}, "sign": {}, "return_ticket": dict(reason="非本单位职责"), "handle": {},
        "extend": dict(reason="复杂"), "escalate": {}, "reply": dict(text="已处理"), "close": {},
        "follow_up": dict(solved=draw_bool, rating=rating if draw_bool else None), "rate": dict(rating=rating),
        "reopen": {},
    }[action]
    fn = getattr(api, action)
    fn(desk, t, at, **kw)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 72 * 60), st.booleans(),
                                st.sampled_from(api.RATINGS)), max_size=30),
       level2=st.sampled_from(["物业服务质量", "停水", "电梯故障", "养老保险"]),
       ttype=st.sampled_from(api.TICKET_TYPES), urgency=st.sampled_from(["一般", "紧急", "特急"]))
def test_no_call_sequence_leaves_an_impossible_state(steps, level2, ttype, urgency):
    desk = Hotline()
    other = _new(desk)
    t = desk.receive(T0, channel="微信", caller_name="李海燕", caller_mobile="15000001234", county="民和回族土族自治县",
                     text="测试")
    api.classify(desk, t, T0, ticket_type=ttype, level2=level2, urgency=urgency)
    now = T0
    for action, minutes, flag, rating in steps:
        now = now + timedelta(minutes=minutes)
        before = (t.state, len(t.history))
        try:
            _call(desk, t, other, action, now, flag, rating)
        except (TransitionError, ValueError):
            # a refused action changes nothing
            assert (t.state, len(t.history)) == before
        assert check_invariants(t) == [], (action, t.state, check_invariants(t))
        assert t.state in api.State
    if t.closed_at is not None:
        times = [e.at for e in t.history]
        assert times == sorted(times)
        assert t.received_at <= t.closed_at
        if not t.direct:
            assert t.dispatched_at <= t.signed_at <= t.replied_at <= t.closed_at
