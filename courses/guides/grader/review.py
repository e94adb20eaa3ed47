"""Grader-only checker of 作业：指南挑错与受理审查 (course guides, assignment review); grading.checks.

Never copied into a release: trainees see only ``cases(seed)`` (through ``coursekit.answers.my_cases``).
Every trainee gets their own guides and applications from the grader's seed; every answer is judged
by the sandbox's own rules (``sandbox.guides.grade_defects``, ``sandbox.acceptance.decide``) with
partial credit and Chinese reasons. Reasons name the exact materials or defects only when the cases
are never given again (``ctx.reuse_cases`` False); otherwise they say how many were right.
"""
from __future__ import annotations

# Results are grading.checks.Item objects made by coursekit.cases.item_for from the Context the grader
# passes in: courses import the sandbox only (layers), never grading.

import functools
import random
from dataclasses import dataclass
from typing import Any

from coursekit import cases as K
from coursekit.cases import item_for as _mk

COMPETENCE = "业务办理"
POINTS = {"g1": 2, "g2": 2, "g3": 2, "kind": 2, "d1": 2, "d2": 2, "d3": 2, "o1": 2, "o2": 2, "letter": 5}
CELLS = {q: f"{q}-check" for q in POINTS} | {"letter": "letter"}
TITLES = {"g1": "第一题之1：第1份指南挑错", "g2": "第一题之2：第2份指南挑错", "g3": "第一题之3：第3份指南挑错",
          "kind": "第二题：即办件还是承诺件", "d1": "第三题之1：第1位申请人的受理决定",
          "d2": "第三题之2：第2位申请人的受理决定", "d3": "第三题之3：第3位申请人的受理决定",
          "o1": "第四题之1：第4位申请人的一次性告知清单", "o2": "第四题之2：第5位申请人的一次性告知清单",
          "letter": "第五题：一次性告知单（培训老师评分）"}
SCHEMA = {"g1": "list", "g2": "list", "g3": "list", "kind": "dict", "d1": "dict", "d2": "dict", "d3": "dict",
          "o1": "dict", "o2": "dict", "letter": "str"}
ACCEPT_NOW = {"受理": "能", "告知承诺": "能", "容缺受理": "能（容缺受理）", "补正": "不能，补齐后再来",
              "不予受理": "不能，不予受理"}
# One application teaches a rule trainees get wrong most (issue 17): bad credit is no ground for
# 不予受理; a correctable flaw is corrected on the spot; 不予受理 only for a plainly wrong applicant.
D3_TARGETS = ("补正-失信", "当场更正", "不予受理")
# Decision targets of 第三题, dealt to d1..d3 in a per-seed order so no answer sits at a fixed place.
DECISION_QIDS = ("d1", "d2", "d3")
_MAX_TRIES = 4000


# ---- building the cases from the seed ---------------------------------------------------------------
def _acc():
    from sandbox import acceptance
    return acceptance


def _guides():
    from sandbox import guides
    return guides


def _hall_items() -> list:
    return sorted((it for it in K.catalog().items.values() if it.at_hall), key=lambda it: it.code)


def _wants(target: str, app, d) -> bool:
    dishonest = app.serious_bad_credit or app.false_pledge_before
    if target == "补正":
        return d.kind == "补正" and len(d.one_time_list) >= 2
    if target == "补正+更正":
        return d.kind == "补正" and len(d.one_time_list) >= 2 and bool(d.corrected)
    if target == "补正-失信":
        return d.kind == "补正" and dishonest and app.pledge_signed and not app.unmet_conditions
    if target == "当场更正":
        return d.kind == "受理" and bool(d.corrected) and len(d.corrected) >= 1
    if target == "容缺受理":
        return d.kind == "容缺受理" and not d.corrected
    return d.kind == target


def _application(seed: int, tag: int, target: str):
    """The first generated application (from the seed) whose decision is ``target``, made plausible."""
    items = _hall_items()
    if target == "容缺受理":
        items = [it for it in items if it.rongque_allowed]
    elif target in ("告知承诺", "补正-失信"):
        items = [it for it in items if it.pledge_allowed]
    elif target == "不予受理":
        items = [it for it in items if K.standing_condition(it)]
    for k in range(_MAX_TRIES):
        r = random.Random(f"{seed}:{tag}:{k}")
        item = r.choice(items)
        app = _acc().make_application(item, r, K.population(), "hard")
        if target == "不予受理":  # the only ground taught: plainly not of this jurisdiction (K.STANDING)
            app = K.lacking_standing(app)
        elif app.unmet_conditions:  # substantive conditions are judged after acceptance, never here
            continue
        if _wants(target, app, _acc().decide(app)):
            return K.make_plausible(app, r)
    raise RuntimeError(f"no {target} application for seed {seed}")


@dataclass(frozen=True)
class Built:
    guides: dict[str, tuple[Any, Any]]   # qid -> (item, defective guide)
    kind_items: tuple[Any, ...]
    apps: dict[str, Any]                 # qid -> Application


@functools.lru_cache(maxsize=32)
def build(seed: int) -> Built:
    r = random.Random(f"{seed}:guides")
    items = _hall_items()
    guides = {}
    for n, q in enumerate(("g1", "g2", "g3"), 1):
        item = r.choice(items)
        guide, _ = _guides().make_defective_guide(item, r, n=1 if n == 1 else 2)
        guides[q] = (item, guide)
    instant = [it for it in items if it.instant]
    promised = [it for it in items if not it.instant]
    kind = r.sample(instant, 2) + r.sample(promised, 2)
    r.shuffle(kind)
    decisions = ["容缺受理", "告知承诺", D3_TARGETS[seed % len(D3_TARGETS)]]
    r.shuffle(decisions)  # graded by the decision itself, so its position may change per seed
    targets = dict(zip(DECISION_QIDS, decisions)) | {"o1": "补正", "o2": "补正+更正"}
    apps = {q: _application(seed, i, t) for i, (q, t) in enumerate(targets.items())}
    return Built(guides, tuple(kind), apps)


def _application_case(app, title: str) -> dict[str, Any]:
    g = _guides()
    return {"title": title, "item": app.item.name, "guide_html": g.guide_html(g.render_guide(app.item)),
            "text": app.describe(), "materials": [m.name for m in app.item.materials]}


def cases(seed: int) -> dict[str, Any]:
    """The trainee's public material: guides as shown, items without their give-aways, applications."""
    b = build(seed)
    g = _guides()
    out: dict[str, Any] = {}
    for n, (q, (_item, guide)) in enumerate(b.guides.items(), 1):
        out[q] = {"title": f"第{n}份指南：{guide.name}", "html": g.guide_html(guide)}
    out["kind"] = {"items": [{"name": it.name, "rows": [list(r) for r in K.kind_rows(it)]} for it in b.kind_items]}
    for n, q in enumerate(("d1", "d2", "d3", "o1", "o2"), 1):
        out[q] = _application_case(b.apps[q], f"第{n}位申请人")
    return out


# ---- answer checking -----------------------------------------------------------------------------------
def _strs(value: Any) -> list[str] | None:
    if not isinstance(value, list) or len(value) > 60 or not all(isinstance(x, str) and len(x) < 200 for x in value):
        return None
    return list(dict.fromkeys(value))


def _item(q: str, share: float, reasons: list[str], expected: str | None, ctx: "Context", answer: Any = None) -> "Item":
    mx = POINTS[q]
    return _mk(ctx, cell=CELLS[q], title=TITLES[q], points=round(max(0.0, min(1.0, share)) * mx, 2), max_points=mx,
               reasons=tuple(reasons), expected=None if ctx.reuse_cases else expected,
               answer=None if answer is None else str(answer)[:500])


def _not_saved(q: str, ctx: "Context") -> "Item":
    return _item(q, 0, ["没有保存答案（或格式不对）：请在表单中作答并点“保存答案”。"], None, ctx)


def check_guide(q: str, answer: Any, b: Built, ctx: "Context") -> "Item":
    labels = _strs(answer)
    if labels is None:
        return _not_saved(q, ctx)
    item, guide = b.guides[q]
    codes = [K.DEFECT_CODE.get(x, x) for x in labels]
    grade = _guides().grade_defects(guide, codes, item=item)
    if ctx.reuse_cases:
        reasons = [f"找对 {len(grade.found)} 处，漏掉 {len(grade.missed)} 处，误判 {len(grade.false_alarms)} 处"]
    else:
        reasons = grade.feedback.splitlines()
    truth = [K.DEFECT_SHORT[c] for c in grade.found + grade.missed]
    return _item(q, grade.score, reasons, "；".join(truth), ctx, "；".join(labels))


def check_kind(answer: Any, b: Built, ctx: "Context") -> "Item":
    if not isinstance(answer, dict):
        return _not_saved("kind", ctx)
    right, reasons = 0, []
    for it in b.kind_items:
        mine = answer.get(it.name)
        ok = mine == it.kind_label
        right += ok
        if not ctx.reuse_cases:
            why = "窗口核对后当场办结，没有后台审查、核查、制证" if it.instant else "要经过后台审查、核查或制证，承诺若干个工作日办结"
            reasons.append(f"{'✔' if ok else '✘'} {it.name}：应为{it.kind_label}（{why}）")
    if ctx.reuse_cases:
        reasons.append(f"{len(b.kind_items)} 个事项判断对了 {right} 个")
    expected = "；".join(f"{it.name}：{it.kind_label}" for it in b.kind_items)
    return _item("kind", right / len(b.kind_items), reasons, expected, ctx, answer)


def _counts(label: str, truth: list[str], named: list[str]) -> tuple[float, list[str], list[str]]:
    share, right, omitted, extra = K.score_list(truth, named)
    detail = ([f"✘ {label}漏列：" + "、".join(omitted)] if omitted else []) + \
             ([f"✘ {label}不该列：" + "、".join(extra)] if extra else [])
    return share, detail, [f"{label}：列对 {len(right)} 项，漏列 {len(omitted)} 项，多列 {len(extra)} 项"]


corrected_names = K.corrected_names


def check_decision(q: str, answer: Any, b: Built, ctx: "Context") -> "Item":
    """决定 40%, the notice's materials 40%, the flaws corrected on the spot 20%."""
    if not isinstance(answer, dict) or not isinstance(answer.get("决定"), str):
        return _not_saved(q, ctx)
    listed, fixed = _strs(answer.get("告知材料", [])), _strs(answer.get("当场更正", []))
    if listed is None or fixed is None:
        return _not_saved(q, ctx)
    app = b.apps[q]
    d = _acc().decide(app)
    kind_ok = answer["决定"] == d.kind
    s_list, d_list, c_list = _counts("告知材料", list(d.outstanding), listed)
    s_fix, d_fix, c_fix = _counts("当场更正", corrected_names(d), fixed)
    reasons = [("✔ 决定正确" if kind_ok else "✘ 决定不对")]
    if not ctx.reuse_cases:
        reasons[0] += f"：应作出“{d.kind}”。依据：" + "；".join(d.reasons)
    reasons += (d_list + d_fix) if not ctx.reuse_cases else (c_list + c_fix)
    expected = f"决定：{d.kind}；告知材料：{'、'.join(d.outstanding) or '无'}；当场更正：{'、'.join(corrected_names(d)) or '无'}"
    w = K.DECISION_WEIGHTS
    return _item(q, w["决定"] * kind_ok + w["告知材料"] * s_list + w["当场更正"] * s_fix, reasons, expected, ctx, answer)


def check_notice(q: str, answer: Any, b: Built, ctx: "Context") -> "Item":
    """The one-time list 50%, what was corrected on the spot 25%, whether it is accepted now 25%."""
    if not isinstance(answer, dict):
        return _not_saved(q, ctx)
    listed, fixed = _strs(answer.get("告知材料", [])), _strs(answer.get("当场更正", []))
    if listed is None or fixed is None:
        return _not_saved(q, ctx)
    d = _acc().decide(b.apps[q])
    now_ok = answer.get("能否先受理") == ACCEPT_NOW[d.kind]
    s_list, d_list, c_list = _counts("告知材料", list(d.outstanding), listed)
    s_fix, d_fix, c_fix = _counts("当场更正", corrected_names(d), fixed)
    reasons = (d_list + d_fix) if not ctx.reuse_cases else (c_list + c_fix)
    reasons.append("✔ 能否先受理判断正确" if now_ok else "✘ 能否先受理判断不对")
    expected = f"告知材料：{'、'.join(d.outstanding)}；当场更正：{'、'.join(corrected_names(d)) or '无'}；{ACCEPT_NOW[d.kind]}"
    return _item(q, 0.5 * s_list + 0.25 * s_fix + 0.25 * now_ok, reasons, expected, ctx, answer)


def check_letter(answer: Any, b: Built, ctx: "Context") -> "Item":
    """Hand-graded (rubric): 0 provisional points, the rubric's mechanical hints for the trainer."""
    if not isinstance(answer, str) or not answer.strip():
        return _mk(ctx, cell=CELLS["letter"], title=TITLES["letter"], points=0, max_points=POINTS["letter"], needs_manual=True,
                   reasons=("没有保存一次性告知单。",))
    app = b.apps["o1"]
    hits = K.letter_hits(answer[:5000], app, _acc().decide(app))
    reasons = tuple(f"{'✔' if ok else '✘'} {crit}" + (f"：{why}" if why else "") for crit, ok, why in hits)
    return _mk(ctx, cell=CELLS["letter"], title=TITLES["letter"], points=0, max_points=POINTS["letter"], needs_manual=True,
               reasons=("（机器初查，供培训老师参考）",) + reasons, answer=answer[:5000])


def check(answers: dict, ctx: "Context") -> "list[Item]":
    b = build(ctx.seed)
    out = [check_guide(q, answers.get(q), b, ctx) for q in ("g1", "g2", "g3")]
    out.append(check_kind(answers.get("kind"), b, ctx))
    out += [check_decision(q, answers.get(q), b, ctx) for q in ("d1", "d2", "d3")]
    out += [check_notice(q, answers.get(q), b, ctx) for q in ("o1", "o2")]
    out.append(check_letter(answers.get("letter"), b, ctx))
    return out


# ---- the worked solution (released after the last 补考 window; the tests grade it) -------------------
def model_letter(app, decision) -> str:
    """A 一次性告知单 as a window would hand it over: passes its own rubric (tests/courses)."""
    from sandbox.base.calendar import default_calendar
    from sandbox.ids import mask_name
    who = mask_name(app.applicant.name) if app.applicant is not None else "申请人"
    if app.firm is not None:
        who = f"{app.firm.name}（法定代表人 {who}）"
    by = default_calendar().add_working_days(app.applied_on, K.SUPPLY_DAYS)
    lines = [f"补正材料一次性告知书（合成数据）", f"{who}：",
             f"您好！您于{app.applied_on:%Y年%m月%d日}来市政务服务中心申请办理“{app.item.name}”。"
             "经审查，申请材料还不齐全，现将需要补正的全部材料一次性告知如下："]
    for i, e in enumerate(decision.one_time_list, 1):
        m = app.item.material(e.material)
        need = "、".join(x for x in (f"原件{m.originals}份" if m.originals else "", f"复印件{m.copies}份" if m.copies else "") if x)
        form = {"纸质": "纸质件", "电子": "电子件"}.get(m.form, "纸质件或电子件均可")
        lines.append(f"{i}. {e.material}：{e.problem}。请提交{('，'.join(x for x in (need, form) if x))}。")
    fixed = corrected_names(decision)
    if fixed:
        lines.append("您材料里可以当场改正的问题（" + "、".join(fixed) + "），我们已经和您一起当场改好，不用再补。")
    lines.append(f"请在{by:%Y年%m月%d日}前（{K.SUPPLY_DAYS}个工作日内），把上面的材料交到市政务服务中心综合窗口，"
                 "也可以在青海政务服务网（海东站）或“青松办”App上传电子版；已有电子证照的，不用再交纸质件。")
    lines.append("行动不便或者不会在网上操作的，可以找大厅帮办代办窗口，工作人员帮您办。"
                 + ("本事项可以容缺受理：主要材料齐全时，次要材料可以先签承诺书后补。" if app.item.rongque_allowed else ""))
    lines.append("材料补齐后，我们当场为您受理。")
    lines.append(f"咨询电话：{K.WINDOW_PHONE}（综合窗口），也可以拨打12345政务服务便民热线。")
    lines.append("经办窗口：市政务服务中心综合窗口")
    return "\n".join(lines)


def solution(seed: int) -> dict[str, Any]:
    """Answers that earn every automatic point, and the model letter."""
    b = build(seed)
    out: dict[str, Any] = {}
    for q, (item, guide) in b.guides.items():
        out[q] = [K.DEFECT_SHORT[d.code] for d in _guides().check_guide(guide, item=item)]
    out["kind"] = {it.name: it.kind_label for it in b.kind_items}
    for q in ("d1", "d2", "d3"):
        d = _acc().decide(b.apps[q])
        out[q] = {"决定": d.kind, "告知材料": sorted(d.outstanding), "当场更正": sorted(corrected_names(d))}
    for q in ("o1", "o2"):
        d = _acc().decide(b.apps[q])
        out[q] = {"告知材料": sorted(d.outstanding), "当场更正": sorted(corrected_names(d)), "能否先受理": ACCEPT_NOW[d.kind]}
    app = b.apps["o1"]
    out["letter"] = model_letter(app, _acc().decide(app))
    return out
