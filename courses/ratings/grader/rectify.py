"""Grader-only checker of 差评整改与评估考核 / rectify (grading.checks contract; never released).

cases(seed): the trainee's batch of 差评 (public view) and a quarter of ratings with the loop's
outcome per rating. check(answers, ctx): the batch decisions are driven through the rectification
loop (sandbox.practice.rating_batch.apply); 回访率, 按期整改率 and appeals are what that achieved; the
evaluation figures are compared with sandbox.practice.rectification.metrics on the same quarter.
"""
from __future__ import annotations

import math

from sandbox.practice import rating_batch as rb
from sandbox.practice.rectification import metrics

from typing import Any

# Results are mappings with grading's Item fields (coursekit.checking): no import of grading.
from coursekit.checking import CheckContext as _Ctx  # noqa: E402
from coursekit.checking import result as _item  # noqa: E402


SCHEMA = {"batch": "dict", "eval": "dict", "floor": "list", "report": "str"}
POINTS = {"callback-check": 2, "handling-check": 2, "appeal-check": 3, "ontime-check": 3, "eval-check": 4,
          "floor-check": 2}
MEASURES = ("差评率", "回访率", "整改率", "按期整改率")
FLOOR = rb.FLOOR


def _quarter_rows(seed: int):
    return rb.quarter_table(seed)


def eval_units(table) -> list[str]:
    return rb.eval_units(table)


def cases(seed: int) -> dict:
    return rb.exercise_cases(seed)


def reference(case: dict, seed: int) -> dict:
    _, table = _quarter_rows(seed)
    ev = {}
    for u in eval_units(table):
        row = table[table["unit"] == u].iloc[0]
        for m in MEASURES:
            ev[f"{u}·{m}"] = "—" if _undefined(row[m]) else f"{row[m] * 100:.1f}"
    floor = [u for u, v in zip(table["unit"], table["按期整改率"]) if u != "合计" and v is not None and v < FLOOR]
    return {"batch": rb.reference_decisions(rb.make_batch(seed)), "eval": ev, "floor": floor, "report": "（见评分要点）"}


def _pts(max_points: float, share: float) -> float:
    return max(0.0, min(max_points, math.floor(max_points * share * 10 + 1e-9) / 10))


def check(answers: dict, ctx: _Ctx) -> list[dict[str, Any]]:
    batch = rb.make_batch(ctx.seed)
    dec = answers.get("batch") if isinstance(answers.get("batch"), dict) and len(answers["batch"]) <= 200 else {}
    cases_, why = rb.apply(batch, dec)
    total = metrics([b.rating for b in batch], cases_, by="source").iloc[-1]
    lines = {rid: [f"{rid}：{w}" for w in ws] for rid, ws in why.items()}
    kinds = {b.rating.rating_id: b.kind for b in batch}
    acts = {rid: (d or {}).get("处理") if isinstance(d, dict) else None for rid, d in dec.items()}
    planted = [rid for rid, k in kinds.items() if k == "appeal"]
    appealed = [rid for rid, a in acts.items() if a == "申诉" and rid in kinds]
    wrong_appeals = [rid for rid in appealed if kinds[rid] != "appeal"]
    right_handling = [rid for rid, k in kinds.items() if k != "appeal" and acts.get(rid) == {"rectify": "整改", "explain": "解释说明"}[k]]
    pick = lambda words: tuple(l for ls in lines.values() for l in ls if any(w in l for w in words))[:12]  # noqa: E731
    items = [
        _item("callback-check", _pts(2, total["回访率"] or 0), 2,
             (f"回访率 {(total['回访率'] or 0):.0%}",) + pick(("没有回访核实",))),
        _item("handling-check", _pts(2, len(right_handling) / max(1, len(kinds) - len(planted))), 2,
             tuple(f"{rid}：回访核实后应{ {'rectify': '整改', 'explain': '解释说明'}[k]}" for rid, k in kinds.items()
                   if k != "appeal" and rid not in right_handling) or ("全部正确",)),
        _item("appeal-check", _pts(3, (len(set(appealed) & set(planted)) - len(wrong_appeals)) / len(planted)), 3,
             tuple(f"申诉不成立：{rid} 不是误评或恶意差评" for rid in wrong_appeals)
             + tuple(f"{rid} 是误评或恶意差评，应申诉" for rid in planted if rid not in appealed) or ("全部正确",)),
        _item("ontime-check", _pts(3, 0 if total["需整改"] == 0 else total["按期整改"] / _need(batch)), 3,
             (f"按期整改 {int(total['按期整改'])} 件，应整改 {_need(batch)} 件",) + pick(("超过整改期限", "计划完成日", "整改"))),
    ]
    items += _eval_items(answers, ctx.seed)
    text = answers.get("report")
    items.append(_item("report-task", 0.0, 5, ("由培训老师按评分要点评分",), needs_manual=True,
                      answer=text if isinstance(text, str) else ""))
    return items


def _need(batch) -> int:
    return sum(1 for b in batch if b.kind == "rectify")


def _undefined(v) -> bool:
    """A rate with no denominator (metrics gives NaN or None): answered 「—」."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def _num(v) -> float | None:
    try:
        return float(str(v).strip().rstrip("%"))
    except ValueError:
        return None


def _eval_items(answers: dict, seed: int) -> list[dict[str, Any]]:
    _, table = _quarter_rows(seed)
    ev = answers.get("eval") if isinstance(answers.get("eval"), dict) else {}
    right, why = 0, []
    units = eval_units(table)
    for u in units:
        row = table[table["unit"] == u].iloc[0]
        for m in MEASURES:
            want = None if _undefined(row[m]) else round(float(row[m]) * 100, 1)
            said = ev.get(f"{u}·{m}", "")
            got = _num(said)
            if want is None and str(said).strip() in ("—", "-", "——"):
                right += 1
            elif want is not None and got is not None and abs(got - want) <= 0.11:
                right += 1
            else:
                should = "「—」（没有需整改的差评，整改率不计算）" if want is None else f"{want}%"
                why.append(f"{u}{m}：你填 {said or '（空）'}，按口径应为 {should}")
    floor = answers.get("floor") if isinstance(answers.get("floor"), list) else None
    want_floor = {u for u, v in zip(table["unit"], table["按期整改率"]) if u != "合计" and v is not None and v < FLOOR}
    if floor is None:
        f_share, f_why = 0.0, ("没有保存答案",)
    else:
        got = {x for x in floor if isinstance(x, str)}
        f_share = max(0.0, (len(got & want_floor) - len(got - want_floor)) / max(1, len(want_floor))) if want_floor else float(not got)
        f_why = tuple(f"{u} 按期整改率低于 90%，漏选" for u in want_floor - got) + tuple(f"{u} 没有低于 90%，多选" for u in got - want_floor)
    return [_item("eval-check", _pts(4, right / (4 * len(units))), 4, tuple(why) or ("全部正确",)),
            _item("floor-check", _pts(2, f_share), 2, f_why or ("全部正确",))]
