"""Grader-only checker of 作业：走流程、找梗阻、提改进 (course walkthrough, assignment walk); grading.checks.

Every trainee gets their own cases from the grader's seed; checks ask for understanding, not labels:
- 梗阻: the farmer was sent home twice with a *partial* 一次性告知 — how many trips, what the first
  notice should have listed (``sandbox.acceptance.decide``), and why;
- 迟滞: a firm's path from the simulation with clock times and promised/actual working days only;
- 跨省通办: three items described by what they need, never by their mode;
- 一件事: papers counted as papers (one ID card under three names; nothing the bundle produces);
- roles: which role's eyes find a problem first (the citizen finds an unreadable guide);
- proposal: behaviour-graded on days drawn from the trainee's seed, never the practice days.
Partial credit everywhere, with Chinese reasons; exact answers only when cases are never reused.
"""
from __future__ import annotations

# Results are grading.checks.Item objects made by coursekit.cases.item_for from the Context the grader
# passes in: courses import the sandbox only (layers), never grading.

import functools
import math
import random
from typing import Any

from coursekit import stories as S  # stories re-exports cases.score_list
from coursekit.cases import item_for as _mk

COMPETENCE = "服务意识与流程优化"
POINTS = {"blockage": 2, "delay": 2, "xsheng": 2, "bundle": 2, "roles": 2, "proposal": 6, "improve": 6}
CELLS = {q: f"{q}-check" for q in POINTS} | {"improve": "improve"}
TITLES = {"blockage": "第一题：化隆老人的办事路（梗阻和根子）", "delay": "第二题：企业的办事路（迟滞）",
          "xsheng": "第三题：跨省通办的方式", "bundle": "第四题：一件事少交几份材料",
          "roles": "第五题：问题由哪种角色最先发现", "proposal": "第六题：周一高峰改进方案",
          "improve": "第七题：改进建议书（培训老师评分）"}
SCHEMA = {"blockage": "dict", "delay": "list", "xsheng": "dict", "bundle": "dict", "roles": "dict",
          "proposal": "dict", "improve": "str"}
CAUSES = ("窗口前两次都没有把缺的材料一次讲全", "老人没有按指南准备材料", "排队时间太长，老人没等到",
          "材料要在部门之间转来转去")
RIGHT_CAUSE = CAUSES[0]
# 一件事 for the assignment (the lesson practises on 新生儿出生一件事) and what each produces itself:
# papers the applicant no longer hands in when the matter is done as one bundle.
BUNDLES = {"残疾人服务一件事": ("中华人民共和国残疾人证",),
           "退休一件事": ("退休证明或解除劳动关系证明",)}
# A problem met on a walkthrough -> the role whose eyes find it first (lesson 1's table of roles).
ROLE_BANK = {
    "指南上的材料名称看不懂，不知道该带什么": "企业群众",
    "同一本户口簿在三个窗口各交了一次": "企业群众",
    "网上办事入口找了半天也找不到": "企业群众",
    "一位只会说方言的老人在取号机前不会操作": "帮办人员",
    "坐轮椅的群众上不了二楼窗口，没有人引导": "帮办人员",
    "外地务工人员不知道能跨省通办，专门请假回来": "帮办人员",
    "审批系统要把同一份材料重复录入两遍": "经办人员",
    "材料在两个部门之间转来转去，交接没有记录": "经办人员",
    "收件时没有一次讲清缺哪些材料": "经办人员",
    "一条差评过了整改期限还没有回访": "监督人员",
    "一件承诺件超过承诺时限还没办结，没有人预警": "监督人员",
    "评价器上的差评没有核实就被撤销了": "监督人员",
}
MAX_ADDED_WINDOWS = 2
# 延时 alone shortens the p90 wait by 26–33% in this engine, the reference combination by 40–43%:
# 35% needs a combination (issue 17: "it really needs a combination").
TARGET_REDUCTION = 0.35
GRADING_DAYS = 3  # simulated weeks the proposal is judged on


def _jr():
    from coursekit import journeys
    return journeys


# ---- cases --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=32)
def build(seed: int) -> dict[str, Any]:
    r = random.Random(f"{seed}:walk")
    farmer = S.farmer_story(seed)
    firm_who, firm_rows = _jr().firm_path(seed)
    pools = S.cross_items()
    cross: list = []
    while len(cross) < 3:  # each mode drawn independently: knowing two does not give the third
        it = r.choice(pools[r.choice(list(S.CROSS_FACTS))])
        if it not in cross:
            cross.append(it)
    cross_cases = [S.cross_case(it, r) for it in cross]
    bundle = sorted(BUNDLES)[seed % len(BUNDLES)]
    roles = r.sample(sorted(ROLE_BANK), 4)
    return {"farmer": farmer, "firm": (firm_who, firm_rows), "cross": cross, "cross_cases": cross_cases,
            "bundle": bundle, "roles": roles}


def grading_seeds(seed: int) -> tuple[int, ...]:
    """Simulated days the proposal is judged on: from the trainee's secret seed, never practice days."""
    practice = set(_jr().PRACTICE_SEEDS) | {_jr().EXERCISE["seed"]}
    r = random.Random(f"{seed}:proposal")
    out: list[int] = []
    while len(out) < GRADING_DAYS:
        s = 10_000 + r.randrange(90_000)
        if s not in practice and s not in out:
            out.append(s)
    return tuple(out)


def cases(seed: int) -> dict[str, Any]:
    b = build(seed)
    f = b["farmer"]
    who, rows = b["firm"]
    return {
        "blockage": {k: v for k, v in f.items() if not k.startswith("_")},
        "delay": {"who": who, "steps": [[x["day"], x["start_min"], x["minutes"], x["kind"], x["label"]] for x in rows],
                  "labels": [x["label"] for x in rows]},
        "xsheng": {"items": b["cross_cases"]},
        "bundle": {"name": b["bundle"], "rows": [list(x) for x in S.bundle_rows(b["bundle"])],
                   "description": _bundle_description(b["bundle"])},
        "roles": {"problems": b["roles"]},
    }


def _bundle_description(name: str) -> str:
    return S.catalog().bundle(name).description


# ---- checks ----------------------------------------------------------------------------------------------
def _item(q: str, share: float, reasons: list[str], expected: str | None, ctx: "Context", answer: Any = None) -> "Item":
    mx = POINTS[q]
    return _mk(ctx, cell=CELLS[q], title=TITLES[q], points=round(max(0.0, min(1.0, share)) * mx, 2), max_points=mx,
               reasons=tuple(reasons), expected=None if ctx.reuse_cases else expected,
               answer=None if answer is None else str(answer)[:500])


def _not_saved(q: str, ctx: "Context") -> "Item":
    return _item(q, 0, ["没有保存答案（或格式不对）：请在表单中作答并点“保存答案”。"], None, ctx)


def _strs(value: Any) -> list[str] | None:
    if not isinstance(value, list) or len(value) > 60 or not all(isinstance(x, str) and len(x) < 300 for x in value):
        return None
    return list(dict.fromkeys(value))


def _share(truth: list[str], named: list[str]) -> tuple[float, list[str], list[str]]:
    share, _right, omitted, extra = S.score_list(truth, named)
    return share, omitted, extra


def check_blockage(answer: Any, b: dict, ctx: "Context") -> "Item":
    """趟数 25%, what the first notice should have listed 50%, the cause 25%."""
    if not isinstance(answer, dict):
        return _not_saved("blockage", ctx)
    listed = _strs(answer.get("应一次告知的材料", []))
    if listed is None:
        return _not_saved("blockage", ctx)
    f = b["farmer"]
    truth = list(f["_decision"].outstanding)
    trips_ok = answer.get("跑了几趟") == f["_trips"]
    s_list, omitted, extra = _share(truth, listed)
    cause_ok = answer.get("根子") == RIGHT_CAUSE
    reasons = ["✔ 趟数对了" if trips_ok else "✘ 趟数不对：数一数他到窗口的次数"]
    if ctx.reuse_cases:
        reasons.append(f"应一次告知的材料：列对 {len(truth) - len(omitted)} 项，漏列 {len(omitted)} 项，多列 {len(extra)} 项")
    else:
        reasons += ([f"✘ 第一次就该告知、却漏了：{'、'.join(omitted)}"] if omitted else []) + \
                   ([f"✘ 不用补的：{'、'.join(extra)}"] if extra else [])
    reasons.append("✔ 根子找对了：一次性告知不完整，群众才多跑" if cause_ok else "✘ 根子没找对")
    expected = f"跑了 {f['_trips']} 趟；第一次就该告知：{'、'.join(truth)}；根子：{RIGHT_CAUSE}"
    return _item("blockage", 0.25 * trips_ok + 0.5 * s_list + 0.25 * cause_ok, reasons, expected, ctx, answer)


def check_delay(answer: Any, b: dict, ctx: "Context") -> "Item":
    named = _strs(answer)
    if named is None:
        return _not_saved("delay", ctx)
    truth = [x["label"] for x in b["firm"][1] if S.is_delay_row(x)]
    share, omitted, extra = _share(truth, named)
    if ctx.reuse_cases:
        reasons = [f"迟滞环节：找对 {len(truth) - len(omitted)} 处，漏掉 {len(omitted)} 处，误判 {len(extra)} 处"]
    else:
        reasons = [f"✘ 漏掉：{x}" for x in omitted] + [f"✘ 不算迟滞：{x}" for x in extra] or ["✔ 迟滞环节全部找对"]
    return _item("delay", share, reasons, "；".join(truth), ctx, answer)


def check_xsheng(answer: Any, b: dict, ctx: "Context") -> "Item":
    if not isinstance(answer, dict):
        return _not_saved("xsheng", ctx)
    right = 0
    reasons = []
    for it in b["cross"]:
        ok = answer.get(it.name) == it.cross_province
        right += ok
        if not ctx.reuse_cases:
            reasons.append(f"{'✔' if ok else '✘'} {it.name}：{it.cross_province}")
    if ctx.reuse_cases:
        reasons.append(f"三个事项判断对了 {right} 个")
    expected = "；".join(f"{it.name}：{it.cross_province}" for it in b["cross"])
    return _item("xsheng", right / len(b["cross"]), reasons, expected, ctx, answer)


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else (int(v) if isinstance(v, float) and v.is_integer() else None)


def check_bundle(answer: Any, b: dict, ctx: "Context") -> "Item":
    """分开办交几份 50%, 打包后交几份 50%."""
    if not isinstance(answer, dict):
        return _not_saved("bundle", ctx)
    separately, together = S.paper_count(b["bundle"], BUNDLES[b["bundle"]])
    a_sep, a_tog = _int(answer.get("分开办")), _int(answer.get("打包办"))
    ok_sep, ok_tog = a_sep == separately, a_tog == together
    reasons = ["✔ 分开办的份数对了" if ok_sep else "✘ 分开办的份数不对：每个事项各交一遍",
               "✔ 打包后的份数对了" if ok_tog else
               "✘ 打包后的份数不对：同一个人的身份证件不管叫什么只算一份；一件事里自己办出来的证件不用群众再交"]
    expected = f"分开办 {separately} 份，打包后 {together} 份（少交 {separately - together} 份）"
    return _item("bundle", 0.5 * ok_sep + 0.5 * ok_tog, reasons, expected, ctx, answer)


def check_roles(answer: Any, b: dict, ctx: "Context") -> "Item":
    if not isinstance(answer, dict):
        return _not_saved("roles", ctx)
    right = 0
    reasons = []
    for p in b["roles"]:
        ok = answer.get(p) == ROLE_BANK[p]
        right += ok
        if not ctx.reuse_cases:
            reasons.append(f"{'✔' if ok else '✘'} {p}：{ROLE_BANK[p]}")
    if ctx.reuse_cases:
        reasons.append(f"四个问题判断对了 {right} 个")
    expected = "；".join(f"{p}：{ROLE_BANK[p]}" for p in b["roles"])
    return _item("roles", right / len(b["roles"]), reasons, expected, ctx, answer)


def check_proposal(answer: Any, ctx: "Context") -> "Item":
    """Full marks at a 35% shorter p90 wait on the trainee's own grading days; pro rata below
    (in half points, rounded down)."""
    jr = _jr()
    try:
        levers = jr.proposal_levers(answer)
    except (ValueError, TypeError, AttributeError):
        return _not_saved("proposal", ctx)
    if jr.windows_added(levers) > MAX_ADDED_WINDOWS:
        return _item("proposal", 0, [f"新增窗口 {jr.windows_added(levers)} 个，超过了两个的上限"], None, ctx, answer)
    r = jr.compare_levers(levers, grading_seeds(ctx.seed))
    share = r["reduction"] / TARGET_REDUCTION if r["reduction"] > 0 else 0.0
    reasons = [f"在检验用的日子里，90%群众的等候从 {r['before_p90']:.1f} 分钟变为 {r['after_p90']:.1f} 分钟，"
               f"缩短 {r['reduction']:.0%}（目标：三成五以上）"]
    steps = POINTS["proposal"] * 2
    return _item("proposal", math.floor(min(1.0, share) * steps) / steps, reasons, None, ctx, answer)


def check_improve(answer: Any, ctx: "Context") -> "Item":
    if not isinstance(answer, str) or not answer.strip():
        return _mk(ctx, cell=CELLS["improve"], title=TITLES["improve"], points=0, max_points=POINTS["improve"], needs_manual=True,
                   reasons=("没有保存改进建议书。",))
    text = answer[:8000]
    hints = tuple(f"{'✔' if ok else '✘'} {crit}" for crit, ok in S.improve_hits(text))
    return _mk(ctx, cell=CELLS["improve"], title=TITLES["improve"], points=0, max_points=POINTS["improve"], needs_manual=True,
               reasons=("（机器初查，供培训老师参考）",) + hints, answer=text)


def check(answers: dict, ctx: "Context") -> "list[Item]":
    b = build(ctx.seed)
    return [check_blockage(answers.get("blockage"), b, ctx), check_delay(answers.get("delay"), b, ctx),
            check_xsheng(answers.get("xsheng"), b, ctx), check_bundle(answers.get("bundle"), b, ctx),
            check_roles(answers.get("roles"), b, ctx), check_proposal(answers.get("proposal"), ctx),
            check_improve(answers.get("improve"), ctx)]


# ---- the worked solution -------------------------------------------------------------------------------
def reference_proposal() -> dict[str, Any]:
    """One more window at each of the two most congested window kinds (on a practice day), 延时 to 19:00,
    40% appointments: about 40% shorter p90 waits; no lever alone reaches 30% (issue 17's figures)."""
    jr = _jr()
    rec = jr.simulate(jr.proposal_scenario(), seed=jr.PRACTICE_SEEDS[0], days=jr.PROPOSAL_DAYS)
    top = sorted(jr.pool_p90(rec).items(), key=lambda kv: -kv[1])[:2]
    return {"增加窗口": {k: 1 for k, _ in top}, "延时服务": "延时到19:00", "预约比例（%）": 40, "绿色通道": True}


def proposal_for(seed: int) -> dict[str, Any]:
    """The worked answer for one trainee: the reference combination, or — on the few sets of grading
    days where it falls just short of the target (2 of 30 seeds: 33–34%) — the same combination with
    a lower appointment share, which there reaches 43–44%. The first that reaches the target wins;
    if none did, the reference stays and the course's tests report it."""
    jr = _jr()
    ref = reference_proposal()
    for appointments in (ref["预约比例（%）"], 20, 30):
        candidate = {**ref, "预约比例（%）": appointments}
        if jr.compare_levers(jr.proposal_levers(candidate), grading_seeds(seed))["reduction"] >= TARGET_REDUCTION:
            return candidate
    return ref


def model_improvement(seed: int) -> str:
    """The model 改进建议书, with the figures the simulation really shows (never typed by hand)."""
    jr = _jr()
    b = build(seed)
    f = b["farmer"]
    ref = reference_proposal()
    r = jr.compare_levers(jr.proposal_levers(ref), jr.PRACTICE_SEEDS)
    kinds = "、".join(ref["增加窗口"])
    first, second = (n.count("\n") - 2 for n in f["notices"])
    return (f"我以一把手进大厅的身份，按普通群众的方式取号排队，陪一位化隆来的老人办理“{f['item']}”。"
            f"路线图显示：老人第一次来，窗口只告知了 {first} 项材料；回家补齐再来，又被告知还缺 {second} 项，"
            "一共跑了三趟——这是梗阻，根子是没有一次性告知。周一高峰市政务服务中心排队最长的是"
            f"{kinds}窗口，这是迟滞。改进措施：一、综合窗口负责人一周内修订这个事项的指南和告知单模板，"
            "收件时对照材料清单一次列全，出具一次性告知单，能当场更正的当场更正；"
            f"二、办公室两周内调整排班：{kinds}窗口各增开一个，延时到19:00，预约比例提高到40%；"
            "三、帮办代办员在取号机旁值守，为老年人和说方言的群众帮办。"
            f"模拟显示，90%群众的等候从约 {r['before_p90']:.0f} 分钟降到约 {r['after_p90']:.0f} 分钟，缩短约 {r['reduction']:.0%}；"
            "代价是要增加人手、延时要轮休，防止窗口人员疲劳；延时后一部分群众会改到傍晚来办。"
            "整改后一个月内对差评逐一回访，整改结果在大厅公开。")


def solution(seed: int) -> dict[str, Any]:
    b = build(seed)
    f = b["farmer"]
    separately, together = S.paper_count(b["bundle"], BUNDLES[b["bundle"]])
    return {
        "blockage": {"跑了几趟": f["_trips"], "应一次告知的材料": sorted(f["_decision"].outstanding), "根子": RIGHT_CAUSE},
        "delay": [x["label"] for x in b["firm"][1] if S.is_delay_row(x)],
        "xsheng": {it.name: it.cross_province for it in b["cross"]},
        "bundle": {"分开办": separately, "打包办": together},
        "roles": {p: ROLE_BANK[p] for p in b["roles"]},
        "proposal": proposal_for(seed),
        "improve": model_improvement(seed),
    }
