"""Grader-only checker of 12345工单办理 / queue (grading.checks contract; never released to trainees).

cases(seed): the trainee's own shift queue (public view only). check(answers, ctx): the saved
decisions are applied through the ticket API (sandbox.hotline.handling.apply) to the queue drawn
from the grader-side seed; each graded cell scores one part of what the handling achieved, with the
sandbox's own per-ticket reasons.
"""
from __future__ import annotations

import math

from sandbox.hotline.desk import make_queue
from sandbox.hotline.handling import apply, reference_decisions, score

from typing import Any

# Results are mappings with grading's Item fields (coursekit.checking): no import of grading.
from coursekit.checking import CheckContext as _Ctx  # noqa: E402
from coursekit.checking import result as _item  # noqa: E402


SCHEMA = {"queue": "dict", "reply": "str"}
POINTS = {"classify-check": 3, "route-check": 4, "direct-check": 2, "refuse-check": 3, "merge-check": 2,
          "return-check": 2, "extend-check": 2, "ontime-check": 4}
MANUAL = {"reply-task": 5}
_LIMIT = 200  # tickets in one answer at most (a queue has about thirty)


def cases(seed: int) -> dict:
    return make_queue(seed).public()


def reference(case: dict, seed: int) -> dict:
    """Answers that earn full marks (tests and validate; needs the seed, so grader side only)."""
    return {"queue": reference_decisions(make_queue(seed)), "reply": "（参考答复见评分要点）"}


def _pts(max_points: float, share: float) -> float:
    """Points for a share, to one decimal, rounded down (anything short of right loses something)."""
    return max(0.0, min(max_points, math.floor(max_points * share * 10 + 1e-9) / 10))


def check(answers: dict, ctx: _Ctx) -> list[dict[str, Any]]:
    queue = make_queue(ctx.seed)
    decisions = answers.get("queue")
    if not isinstance(decisions, dict) or len(decisions) > _LIMIT:
        decisions = {}
    outs = apply(queue, decisions)
    best = score(queue, apply(queue, reference_decisions(queue)))
    got = score(queue, outs)
    z = lambda v: v or 0.0  # noqa: E731
    shares = {
        "classify-check": 0.6 * z(got["二级分类准确率"]) + 0.4 * z(got["分类准确率"]),
        "route-check": z(got["一次派准率"]),
        "direct-check": z(got["直接办结正确率"]) - 0.5 * got["误直接办结"],
        "refuse-check": 0.0 if got["错误不予受理"] else z(got["不予受理正确率"]),
        "merge-check": z(got["并单正确率"]) - 0.5 * (got["错误并单"] + got["重复派单"]),
        "return-check": z(got["改派正确率"]),
        "extend-check": z(got["延期审核正确率"]),
        # a queue left alone still has a few tickets on time: the scale starts at half of them
        "ontime-check": (z(got["按期办结率"]) - 0.5) / max(z(best["按期办结率"]) - 0.5, 1e-9),
    }
    kinds = {"classify-check": ("分类应为",), "route-check": ("主办单位应为", "协办单位应为"),
             "direct-check": ("知识库", "直接办结"), "refuse-check": ("不予受理",), "merge-check": ("并单", "并入"),
             "return-check": ("乡镇（街道）", "改派单位应为", "退单工单没有审核", "退单理由"), "extend-check": ("延期",), "ontime-check": ()}
    items = []
    for cell, max_points in POINTS.items():
        reasons = _why(outs, kinds[cell]) if cell != "ontime-check" else _late(outs, got)
        items.append(_item(cell, _pts(max_points, shares[cell]), max_points, reasons or ("全部正确",)))
    text = answers.get("reply")
    items.append(_item("reply-task", 0.0, MANUAL["reply-task"], ("由培训老师按评分要点评分",), needs_manual=True,
                      answer=text if isinstance(text, str) else ""))
    return items


def _why(outs, words) -> tuple[str, ...]:
    lines = [f"{o.number}：{r}" for o in outs for r in o.reasons if any(w in r for w in words)]
    unhandled = [o.number for o in outs if o.action == "未处理"]
    if unhandled:
        lines.append(f"没有保存处理决定的工单 {len(unhandled)} 件：" + "、".join(unhandled[:8]))
    return tuple(dict.fromkeys(lines))[:15]


def _late(outs, got) -> tuple[str, ...]:
    late = [o.number for o in outs if o.handled_on_time is False]
    rate = got["按期办结率"]
    head = f"你的办理使按期办结率为 {rate:.1%}" if rate is not None else "没有可计算的工单"
    return (head,) + ((f"未按期办结（或未真正办理）的工单：{'、'.join(late[:15])}",) if late else ())
