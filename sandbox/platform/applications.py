"""Online applications: the state machine 网上申报 → 预审 → 受理 → 审批 → 办结 (with 补正 and 不予受理),
the three modes on the same catalogue, and the path of each stored application.

One application row is one submission, as one hall case row is one contact: a 补正 ends the row and
the corrected resubmission is the next row of the same matter (``matter``, ``round``), exactly like
the hall's one-time list and return visit. :func:`transition` is the only place that says which step
may follow which; :func:`path` rebuilds a row's steps from its timestamps and is checked against it.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

__all__ = ["STATES", "STATE", "EVENTS", "TRANSITIONS", "InvalidTransition", "transition", "run_events",
           "MODES", "MODE", "mode_of_item", "item_modes", "APP_CHANNELS", "path", "TERMINAL"]

STATES = ("网上申报", "预审", "补正", "不予受理", "受理", "审批", "办结")
STATE = {s: i for i, s in enumerate(STATES)}
# (state, event) -> next state. 补正 → 网上申报 is the resubmission (a new row of the same matter).
TRANSITIONS: Mapping[tuple[str, str], str] = {
    ("网上申报", "开始预审"): "预审",
    ("预审", "预审通过"): "受理",
    ("预审", "退回补正"): "补正",
    ("预审", "不予受理"): "不予受理",
    ("补正", "重新提交"): "网上申报",
    ("补正", "逾期未补正"): "不予受理",
    ("受理", "提交审批"): "审批",
    ("审批", "办结"): "办结",
}
EVENTS = tuple(dict.fromkeys(e for _, e in TRANSITIONS))
TERMINAL = frozenset({"不予受理", "办结"})

MODES = ("全程网办", "最多跑一次", "必须到现场")
MODE = {m: i for i, m in enumerate(MODES)}
# Where a submission came in: the portal/app, a self-service terminal, or filed online for an item
# that still needs a hall visit (网上申报、窗口核验).
APP_CHANNELS = ("网上办", "自助终端", "网上申报后到现场")


class InvalidTransition(ValueError):
    def __init__(self, state: str, event: str) -> None:
        allowed = [e for (s, e) in TRANSITIONS if s == state]
        super().__init__(f"状态“{state}”不能执行“{event}”；可执行：{'、'.join(allowed) or '（已终结）'}")
        self.state, self.event = state, event


def transition(state: str, event: str) -> str:
    """The next state, or :class:`InvalidTransition` (a back-office action out of order)."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise InvalidTransition(state, event) from None


def run_events(events: list[str] | tuple[str, ...], state: str = "网上申报") -> str:
    for e in events:
        state = transition(state, e)
    return state


def mode_of_item(item) -> str:
    """全程网办 when the guide says so; one visit → 最多跑一次; else 必须到现场 (catalogue ``visits``)."""
    if item.online:
        return "全程网办"
    return "最多跑一次" if item.visits <= 1 else "必须到现场"


def item_modes(items) -> np.ndarray:
    """Mode index per item of an ordered sequence of catalogue items."""
    return np.array([MODE[mode_of_item(it)] for it in items], dtype=np.int8)


def path(row: Mapping[str, int]) -> list[tuple[int, str, str]]:
    """(time, event, state after) of one stored application row, rebuilt from its timestamps."""
    out: list[tuple[int, str, str]] = []
    state = "网上申报"

    def step(t: int, event: str) -> None:
        nonlocal state
        state = transition(state, event)
        out.append((int(t), event, state))

    final = STATES[int(row["state"])]
    if final == "网上申报":
        return out
    step(row["t_prereview"], "开始预审")
    if final == "补正":
        step(row["t_prereview"], "退回补正")
    elif final == "不予受理" and row["t_returned"] >= 0:
        step(row["t_returned"], "退回补正")
        step(row["t_closed"], "逾期未补正")
    elif final == "不予受理":
        step(row["t_closed"], "不予受理")
    elif final != "预审":
        step(row["t_accept"], "预审通过")
        if final in ("审批", "办结"):
            step(row["t_accept"], "提交审批")
        if final == "办结":
            step(row["t_done"], "办结")
    return out
