"""A simulated ticket's full history, rebuilt by driving the public API (sandbox.hotline.tickets) with
its record's timestamps: how a trainee opens a simulated ticket, and how the tests prove that the
bulk records are legal paths through the state machine."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from .tickets import (Hotline, Ticket, classify, close, close_direct, escalate, extend, follow_up, handle, merge,
                      refuse, reopen, reply, return_ticket, route, sign)

__all__ = ["replay"]


def _dt(v) -> datetime | None:
    if v is None or pd.isna(v):
        return None
    return pd.Timestamp(v).to_pydatetime()


def _s(v):
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else v


def replay(rows: pd.DataFrame, desk: Hotline | None = None) -> list[Ticket]:
    """Drive the state-machine API with stored records; returns the tickets with their full history.

    Merge masters missing from ``rows`` are created as stubs so that 并单 can name them.
    """
    desk = desk or Hotline()
    out = []
    for r in rows.sort_values("received_at").itertuples(index=False):
        t = desk.receive(_dt(r.received_at), channel=r.channel, caller_name=r.caller_name,
                         caller_mobile=r.caller_mobile, county=r.county, text=r.text,
                         caller_pid=int(r.caller_pid), number=r.number)
        at = t.received_at
        classify(desk, t, at, ticket_type=r.ticket_type, level2=r.level2, urgency=r.urgency)
        if r.status == "不予受理":
            refuse(desk, t, at, reason=r.refused_reason)
        elif r.status == "已并单":
            if r.merged_into not in desk.tickets:
                desk.receive(at, channel="电话", caller_name="-", caller_mobile="-", county=r.county,
                             text="（主工单）", number=r.merged_into)
            merge(desk, t, _dt(r.merged_at), into=r.merged_into)
        elif r.direct:
            close_direct(desk, t, _dt(r.closed_at), answer="已当场解答")
        else:
            if _s(r.first_unit) is not None:
                route(desk, t, _dt(r.dispatched_at), lead=r.first_unit)
                return_ticket(desk, t, _dt(r.returned_at), reason="非本单位职责")
                route(desk, t, _dt(r.reassigned_at), lead=r.lead_unit)
            else:
                route(desk, t, _dt(r.dispatched_at), lead=r.lead_unit)
            steps = [(_dt(r.signed_at), 0, "sign"), (_dt(r.handled_at), 1, "handle")]
            if _dt(r.extended_at):
                steps.append((_dt(r.extended_at), 2, "extend"))
            if _dt(r.escalated_at):
                steps.append((_dt(r.escalated_at), 3, "escalate"))
            for when, _, action in sorted(steps, key=lambda s: (s[0], s[1])):
                if action == "sign":
                    sign(desk, t, when)
                elif action == "handle":
                    handle(desk, t, when)
                elif action == "extend":
                    extend(desk, t, when, reason="情况复杂，需协调多个部门")
                else:
                    escalate(desk, t, when, note="超期督办")
            reply(desk, t, _dt(r.replied_at), text="已联系来电人并处理")
            close(desk, t, _dt(r.closed_at))
        if _dt(r.followed_up_at):
            follow_up(desk, t, _dt(r.followed_up_at), solved=bool(r.solved), rating=r.rating)
        if _dt(r.reopened_at):
            reopen(desk, t, _dt(r.reopened_at), note="回访不满意，重新办理")
            reply(desk, t, _dt(r.replied2_at), text="重新办理后已答复")
            close(desk, t, _dt(r.closed2_at))
            if _dt(r.followed_up2_at):
                follow_up(desk, t, _dt(r.followed_up2_at), solved=bool(r.solved2), rating=r.rating2)
        out.append(t)
    return out
