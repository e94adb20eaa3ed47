"""Haidong's 12345 hotline: tickets and their state machine, routing, deadlines, simulation, bulletin.

The public API trainees and the simulated staff share::

    from sandbox.hotline import Hotline, classify, route, sign, handle, reply, close, follow_up
    desk = Hotline()
    t = desk.receive(at, channel="电话", caller_name=…, caller_mobile=…, county="乐都区", text="…")
    classify(desk, t, at, ticket_type="投诉", level2="物业服务质量")
    route(desk, t, at)            # by the 派单目录
    sign(desk, t, at); handle(desk, t, at); reply(desk, t, at, text="…"); close(desk, t, at)
    follow_up(desk, t, at, solved=True, rating="满意")

Also: refuse, close_direct, merge (并单), return_ticket (退单) then route again (改派), extend (延期),
escalate (督办), rate, reopen (重办); simulate (→ frozen TicketRecords) / replay / HotlineScenario /
hot_issue for bulk runs; bulletin.build for the monthly report (files: sandbox.hotline.report.write).
The part's shape is the hall's: scenario, engine, records, metrics. Everything is synthetic data (合成数据).
"""
from .deadlines import DEFAULT_POLICY, URGENCIES, DeadlinePolicy
from .routing import HOTLINE_CENTRE, Route, build_units, route_for
from .engine import simulate
from .records import TicketRecords
from .replay import replay
from .scenario import HotIssue, HotlineScenario, ScenarioError, hot_issue
from .taxonomy import CATEGORIES, LEVEL1, TICKET_TYPES, tree
from .tickets import (ALLOWED, CHANNELS, NOT_ACCEPTED, RATINGS, Event, Hotline, State, Ticket, TransitionError,
                      check_invariants, classify, close, close_direct, escalate, extend, follow_up, handle, merge,
                      rate, refuse, reopen, reply, return_ticket, route, sign)

__all__ = [
    "ALLOWED", "CATEGORIES", "CHANNELS", "DEFAULT_POLICY", "DeadlinePolicy", "Event", "HOTLINE_CENTRE", "HotIssue",
    "Hotline", "HotlineScenario", "LEVEL1", "NOT_ACCEPTED", "RATINGS", "Route", "State", "TICKET_TYPES", "Ticket",
    "TransitionError", "URGENCIES", "build_units", "check_invariants", "classify", "close", "close_direct",
    "escalate", "extend", "follow_up", "handle", "hot_issue", "merge", "ScenarioError", "TicketRecords", "rate", "refuse", "reopen", "replay",
    "reply", "return_ticket", "route", "route_for", "sign", "simulate", "tree",
]
