"""Grader-only checker of 月度通报与预警 / month (grading.checks contract; never released).

cases(seed): the trainee's own month (and the month before) as export tables, and the 苗头 to judge.
check(answers, ctx): figures and hot topics against the bulletin's own figures of that month
(sandbox.hotline.bulletin.month_figures, the tickets-only part of bulletin.build; within rounding); the chosen definitions replayed on a month the trainee never saw; the warning rule
replayed on unseen months with a planted hot issue (days before its peak) and on a clean month
(false alarms); the 苗头 ticked against the bulletin's own spike warnings.
"""
from __future__ import annotations

import math
from datetime import date

from sandbox.hotline import bulletin, drill

from typing import Any

# Results are mappings with grading's Item fields (coursekit.checking): no import of grading.
from coursekit.checking import CheckContext as _Ctx  # noqa: E402
from coursekit.checking import result as _item  # noqa: E402


SCHEMA = {"defs": "dict", "figures": "dict", "hot": "dict", "rule": "dict", "flags": "list", "brief": "str"}
REFERENCE_RULE = {"窗口天数": "7", "倍数": "4", "最少件数": "6"}
TOL = 0.11  # percentage points: figures are asked to one decimal


def _unseen(seed: int, k: int) -> int:
    """Months the trainee never sees, derived from the secret seed."""
    return (int(seed) * 7919 + 104729 * (k + 1)) % (2**31 - 1)


def _own(seed: int):
    cur, prev, month, _ = drill.month_frames(seed)
    return month, cur, prev


def _candidates(cur, prev) -> list[dict]:
    return drill.candidates(cur, prev)


def cases(seed: int) -> dict:
    month, cur, prev = _own(seed)
    return {"月份": month, "本月": drill.public_rows(cur), "上月": drill.public_rows(prev),
            "苗头": _candidates(cur, prev), "数据性质": "合成数据"}


# The bulletin's own wording of its definitions (bulletin.build's 口径).
DEFINITION_TEXT = {"按期办结率": "按时限办结 / 派单", "响应率": "按时签收 / 派单",
                   "满意率": "(满意 + 0.6 × 基本满意) / 回访量；满意 = 非常满意 + 满意"}


def _truth(seed: int):
    """The month and the bulletin's figures of it: bulletin.month_figures, the part of bulletin.build
    that depends on the month's tickets (the same functions; tests/hotline check they agree), without
    the database, the forecast and the unit ranking that would cost seconds per submission."""
    month, cur, prev = _own(seed)
    f = bulletin.month_figures(cur, prev)
    r = f["rates"]
    b = {"基本情况": {"受理量": r["受理量"]}, "办理情况": {"按期办结率": r["按期办结率"], "响应率": r["响应率"]},
         "回访评价": {"满意率": r["满意率"]}, "口径": DEFINITION_TEXT, "热点分析": {"二级分类前列": f["热点"]},
         "预警": {"突增": f["突增"]}}
    return month, cur, prev, b


def reference(case: dict, seed: int) -> dict:
    _, cur, prev, b = _truth(seed)
    hot = {}
    for i, h in enumerate(b["热点分析"]["二级分类前列"][:5], 1):
        hot[f"第{i}名"], hot[f"第{i}名环比"] = h["分类"], _pct(h["环比"])
    spikes = {(w["县区"], w["分类"]) for w in b["预警"]["突增"]}
    return {"defs": dict(drill.BULLETIN_DEFINITIONS),
            "figures": {"受理量": str(b["基本情况"]["受理量"]), "按期办结率": _pct(b["办理情况"]["按期办结率"]),
                        "满意率": _pct(b["回访评价"]["满意率"]), "响应率": _pct(b["办理情况"]["响应率"])},
            "hot": hot, "rule": dict(REFERENCE_RULE),
            "flags": [f"{c['县区']}·{c['分类']}" for c in case["苗头"] if (c["县区"], c["分类"]) in spikes],
            "brief": "（见评分要点）"}


def _pts(max_points: float, share: float) -> float:
    return max(0.0, min(max_points, math.floor(max_points * share * 10 + 1e-9) / 10))


def _num(v) -> float | None:
    try:
        return float(str(v).strip().rstrip("%").replace("，", "").replace(",", ""))
    except ValueError:
        return None


def _missing(v) -> bool:
    """A figure with no denominator (no 回访 this month, no tickets of a category last month)."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def _pct(v) -> str:
    """A rate as the trainee is asked to write it: percent to one decimal, 「—」 when it does not exist."""
    return "—" if _missing(v) else f"{v * 100:.1f}"


def _dash(v) -> bool:
    return str(v).strip() in ("—", "-", "——")


def _d(answers: dict, key: str) -> dict:
    v = answers.get(key)
    return v if isinstance(v, dict) and len(v) <= 50 else {}


def check(answers: dict, ctx: _Ctx) -> list[dict[str, Any]]:
    _, cur, prev, b = _truth(ctx.seed)
    items = [*_figure_items(_d(answers, "figures"), b), _hot_item(_d(answers, "hot"), b),
             _defs_item(_d(answers, "defs"), ctx.seed), _rule_item(_d(answers, "rule"), ctx.seed),
             _flag_item(answers.get("flags"), cur, prev, b)]
    text = answers.get("brief")
    items.append(_item("brief-task", 0.0, 5, ("由培训老师按评分要点评分",), needs_manual=True,
                      answer=text if isinstance(text, str) else ""))
    return items


def _figure_items(fig: dict, b: dict) -> list[dict[str, Any]]:
    want_n = b["基本情况"]["受理量"]
    got_n = _num(fig.get("受理量", ""))
    vol = _item("volume-check", 1.0 if got_n == want_n else 0.0, 1,
               ("受理量正确",) if got_n == want_n else (f"受理量：你填 {fig.get('受理量', '（空）')}，本月受理量（来件总量）{want_n} 件，含不予受理、并单、直接办结",))
    want = {"按期办结率": b["办理情况"]["按期办结率"], "满意率": b["回访评价"]["满意率"], "响应率": b["办理情况"]["响应率"]}
    right, why = 0, []
    for k, w in want.items():
        g = _num(fig.get(k, ""))
        if (_missing(w) and _dash(fig.get(k, ""))) or (not _missing(w) and g is not None and abs(g - w * 100) <= TOL):
            right += 1
        else:
            shown = "「—」（本月没有可计算的数）" if _missing(w) else f"{_pct(w)}%"
            why.append(f"{k}：你填 {fig.get(k, '（空）')}，通报为 {shown}（{b['口径'][k]}）")
    return [vol, _item("rates-check", _pts(3, right / 3), 3, tuple(why) or ("三个率都正确",))]


def _hot_item(hot: dict, b: dict) -> dict[str, Any]:
    top = b["热点分析"]["二级分类前列"][:5]
    right, why = 0.0, []
    for i, h in enumerate(top, 1):
        said = hot.get(f"第{i}名环比", "")
        cat, mom = hot.get(f"第{i}名", ""), _num(said)
        want_mom = None if _missing(h["环比"]) else h["环比"] * 100
        if cat == h["分类"]:
            right += 0.5
            if (want_mom is None and _dash(said)) or (want_mom is not None and mom is not None and abs(mom - want_mom) <= TOL):
                right += 0.5
            else:
                shown = "「—」（上月没有这类工单，环比不计算）" if want_mom is None else f"{want_mom:.1f}%（与上月比）"
                why.append(f"第{i}名「{cat}」环比：你填 {said or '（空）'}，应为 {shown}")
        else:
            why.append(f"第{i}名应为「{h['分类']}」（{h['本月']} 件），你填「{cat or '未选'}」")
    return _item("hot-check", _pts(2, right / len(top)), 2, tuple(why) or ("前五名和环比都正确",))


def _defs_item(defs: dict, seed: int) -> dict[str, Any]:
    """The trainee's definitions on a month they never saw, against the bulletin's own figures."""
    cur, prev, month, _ = drill.month_frames(_unseen(seed, 0), planted=False)
    want = drill.figures(cur, prev, drill.BULLETIN_DEFINITIONS)
    got = drill.figures(cur, prev, {k: v for k, v in defs.items() if isinstance(v, str)})
    parts = {"按期办结率": got["按期办结率"] == want["按期办结率"], "满意率": got["满意率"] == want["满意率"],
             "响应率": got["响应率"] == want["响应率"], "环比": [h["环比"] for h in got["热点"]] == [h["环比"] for h in want["热点"]]}
    why = [f"用你的口径算另一个月（{month}）的{k}：{got[k] if k != '环比' else [h['环比'] for h in got['热点']][:2]}，"
           f"通报为 {want[k] if k != '环比' else [h['环比'] for h in want['热点']][:2]}" for k, ok in parts.items() if not ok]
    return _item("defs-check", _pts(3, sum(parts.values()) / len(parts)), 3, tuple(why) or ("口径与通报一致",))


def _rule_item(rule_answer: dict, seed: int) -> dict[str, Any]:
    rule = drill.Rule.from_answer(rule_answer)
    if rule is None:
        return _item("rule-check", 0.0, 4, ("预警规则没有保存或不是有效的数（窗口 1–31 天，倍数大于 0）",))
    # the clean months: the one the definitions were replayed on, and one more
    res = drill.replay_rule(rule, (_unseen(seed, 1), _unseen(seed, 2)), (_unseen(seed, 0), _unseen(seed, 3)))
    credit = {0: 1.0, -1: 0.5, -2: 0.25}
    got = [0.0 if lead is None else (1.0 if lead > 0 else credit.get(lead, 0.0)) for lead in res["提前天数"]]
    # one stray alert per clean month is tolerated (an ordinary busy day in a big district looks like that)
    share = sum(got) / len(got) - 0.15 * max(0, res["误报"] - 2)
    why = [("未能发现" if lead is None else f"在高峰前 {lead} 天发现" if lead >= 0 else f"在高峰后 {-lead} 天才发现")
           + f"第{i}个没见过的月份里的集中诉求" for i, lead in enumerate(res["提前天数"], 1)]
    if res["误报"]:
        why.append(f"在两个没有苗头的月份里误报 {res['误报']} 处（两处以内不扣分，其后每处扣 0.6 分）")
    return _item("rule-check", _pts(4, share), 4, tuple(why))


def _flag_item(flags, cur, prev, b) -> dict[str, Any]:
    cands = {f"{c['县区']}·{c['分类']}" for c in _candidates(cur, prev)}
    want = {f"{w['县区']}·{w['分类']}" for w in b["预警"]["突增"]} & cands
    if not isinstance(flags, list):
        return _item("flag-check", 0.0, 2, ("没有保存答案",))
    got = {f for f in flags if isinstance(f, str)} & cands
    # no real spike among the 苗头: ticking none is the right answer (each false alarm costs half the points)
    share = (len(got & want) - len(got - want)) / len(want) if want else 1.0 - 0.5 * len(got)
    why = tuple(f"{x}：按其他县区同类变化看明显异常，应预警" for x in want - got) + \
        tuple(f"{x}：和其他县区同步的季节性增长或正常波动，不必单独预警" for x in got - want)
    return _item("flag-check", _pts(2, share), 2, why or ("判断正确",))
