"""The acceptance rules that decide a case (受理审查): grader-only.

:func:`decide` applies the rules of :mod:`sandbox.practice.acceptance` (its docstring states them, as
the lessons teach them) to one application; :func:`grade_decision` compares a trainee's decision with
it. These are the answer keys of every graded acceptance case, so in root mode this package is readable
only by root and the grader accounts (``academy.runtime.close_answer_keys``); a trainee's kernel gets
lesson feedback from ``coursekit.practice_bank`` instead.

Pure Python, no I/O: the simulation engine may call :func:`decide` for every case.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ...base.calendar import WorkCalendar, default_calendar
from ...base.catalog import Material
from ..acceptance import (CORRECTABLE_FLAWS, DECISION_KINDS, DEFAULT_POLICY, AcceptancePolicy, Application, Decision,
                          DecisionGrade, NoticeEntry, SubmittedMaterial, score_decision)

__all__ = ["decide", "grade_decision"]


def _entry(m: Material, s: SubmittedMaterial | None, deadline: date | None = None) -> NoticeEntry:
    if s is not None and s.state == "flawed":
        return NoticeEntry(m.name, f"有瑕疵：{s.flaw or '不符合法定形式'}",
                           f"请提交符合要求的{m.name}" + ("（原件）" if m.originals else ""), deadline)
    copies = []
    if m.originals:
        copies.append(f"原件{m.originals}份")
    if m.copies:
        copies.append(f"复印件{m.copies}份")
    return NoticeEntry(m.name, "缺少", f"请提交{m.name}" + (f"（{'，'.join(copies)}）" if copies else ""), deadline)


def decide(application: Application, policy: AcceptancePolicy = DEFAULT_POLICY,
           calendar: WorkCalendar | None = None) -> Decision:
    """Apply the acceptance rules to one application (see the module docstring)."""
    app = application
    item = app.item
    cal = calendar if calendar is not None else default_calendar()
    day = app.applied_on

    if app.unmet_conditions:
        reasons = tuple(f"不符合申请条件：{c}" for c in app.unmet_conditions)
        if item.item_type == "行政许可":
            reasons += ("对不予受理决定不服的，可依法申请行政复议或者提起行政诉讼",)
        return Decision("不予受理", reasons, deadlines=(("作出不予受理决定", day),))

    by_elicence, pledge_candidates, outstanding, corrected = _sort_materials(app, policy)
    reasons: list[str] = []
    if corrected:
        reasons.append("当场更正：" + "、".join(corrected) + "（可以当场更正的错误，允许申请人当场更正）")
    if by_elicence:
        reasons.append("已通过电子证照库调取：" + "、".join(by_elicence) + "，无需提交")
    by_pledge = _apply_pledge(app, pledge_candidates, outstanding, reasons)
    if not outstanding:
        kind = "告知承诺" if by_pledge else "受理"
        reasons.insert(0, "申请材料齐全、符合法定形式" if not by_pledge else "申请材料经告知承诺后齐全")
        due = cal.add_working_days(day, item.promised_days) if item.promised_days else cal.next_working_day(day)
        deadlines = (("当场办结", day),) if item.instant else (("承诺办结期限", due),)
        return Decision(kind, tuple(reasons), deadlines=deadlines, by_elicence=tuple(by_elicence),
                        by_pledge=tuple(by_pledge), on_the_spot=item.instant, due=due, corrected=corrected)
    # Something is missing or flawed: 容缺受理 or 补正.
    blockers = _rongque_blockers(app, policy, outstanding)
    if item.rongque_allowed and policy.rongque_enabled and not blockers:
        limit = item.promised_days
        if policy.rongque_max_days is not None:
            limit = min(limit, policy.rongque_max_days)
        deadline = cal.add_working_days(day, max(limit, 1))
        entries = tuple(_entry(m, s, deadline) for m, s in outstanding)
        reasons.insert(0, "基本条件具备、主要材料齐全，仅次要材料欠缺或有瑕疵；申请人已签署容缺承诺书")
        due = cal.add_working_days(day, item.promised_days)
        return Decision("容缺受理", tuple(reasons), one_time_list=entries,
                        deadlines=(("容缺材料补交期限", deadline), ("承诺办结期限", due)),
                        by_elicence=tuple(by_elicence), by_pledge=tuple(by_pledge), due=due, corrected=corrected)
    entries = tuple(_entry(m, s) for m, s in outstanding)
    reasons.insert(0, "申请材料不齐全或不符合法定形式，一次性告知需要补正的全部内容")
    reasons.extend(blockers)
    return Decision("补正", tuple(reasons), one_time_list=entries,
                    deadlines=(("一次性告知（当场出具）", day),
                               # 行政许可法第三十二条: told within 5 working days, else deemed accepted.
                               ("最迟告知期限（逾期未告知的自收到材料之日起即为受理）", cal.add_working_days(day, 5))),
                    by_elicence=tuple(by_elicence),
                    by_pledge=tuple(by_pledge), corrected=corrected)


def _sort_materials(app: Application, policy: AcceptancePolicy) -> tuple[
        list[str], list[Material], list[tuple[Material, SubmittedMaterial | None]], tuple[str, ...]]:
    """Each material the item asks for: present, corrected on the spot, fetched by e-licence, replaceable
    by the pledge, or outstanding."""
    item = app.item
    corrected: list[str] = []
    by_elicence: list[str] = []
    pledge_candidates: list[Material] = []
    outstanding: list[tuple[Material, SubmittedMaterial | None]] = []
    for m in item.materials:
        s = app.submitted(m.name)
        if not m.required and s is None:
            continue  # an optional material the applicant's situation does not need
        if s is not None and s.state == "present":
            continue
        if s is not None and s.state == "flawed" and s.flaw in CORRECTABLE_FLAWS:
            corrected.append(f"{m.name}（{s.flaw}）")
            continue
        if policy.elicence_enabled and m.elicence and m.name in app.elicences:
            by_elicence.append(m.name)
            continue
        if policy.pledge_enabled and item.pledge_allowed and m.pledge and app.pledge_signed:
            pledge_candidates.append(m)
            continue
        outstanding.append((m, s))
    return by_elicence, pledge_candidates, outstanding, tuple(corrected)


def _apply_pledge(app: Application, pledge_candidates: list[Material],
                  outstanding: list[tuple[Material, SubmittedMaterial | None]], reasons: list[str]) -> list[str]:
    """告知承诺: the candidates are replaced by the pledge — unless the applicant is dishonest, when they
    join ``outstanding`` (in the item's order). Appends the explanation to ``reasons``."""
    item = app.item
    by_pledge: list[str] = []
    if pledge_candidates:
        if app.dishonest:
            why = "有严重失信记录" if app.serious_bad_credit else "曾作出虚假承诺"
            reasons.append(f"申请人{why}，不适用告知承诺，须提交：" + "、".join(m.name for m in pledge_candidates))
            outstanding.extend((m, app.submitted(m.name)) for m in pledge_candidates)
            # keep the item's material order in the list
            order = {m.name: i for i, m in enumerate(item.materials)}
            outstanding.sort(key=lambda ms: order[ms[0].name])
        else:
            by_pledge = [m.name for m in pledge_candidates]
            reasons.append("申请人选择告知承诺，以书面承诺代替：" + "、".join(by_pledge)
                           + "；承诺不实的将终止办理、撤销决定并记入信用记录")
    elif app.pledge_signed and not item.pledge_allowed:
        reasons.append("本事项不实行告知承诺制")
    return by_pledge


def _rongque_blockers(app: Application, policy: AcceptancePolicy,
                      outstanding: list[tuple[Material, SubmittedMaterial | None]]) -> list[str]:
    """Why 容缺受理 is not possible here (empty: it is, when the item and the hall allow it)."""
    item = app.item
    blockers: list[str] = []
    if not item.rongque_allowed:
        pass  # most items: no 容缺 at all; no need to explain beyond the list
    elif not policy.rongque_enabled:
        blockers.append("本大厅未开展容缺受理")
    else:
        core = [m.name for m, _ in outstanding if m.core]
        not_rq = [m.name for m, _ in outstanding if not m.core and not m.rongque]
        if core:
            blockers.append("核心材料不能容缺：" + "、".join(core))
        if not_rq:
            blockers.append("不在容缺材料清单内：" + "、".join(not_rq))
        if app.dishonest:
            blockers.append("申请人有失信记录或曾作出虚假承诺，不适用容缺受理")
        if not app.rongque_consent:
            blockers.append("申请人未签署容缺承诺书")
    return blockers


def grade_decision(application: Application, kind: str, listed: Sequence[str] = (),
                   policy: AcceptancePolicy = DEFAULT_POLICY) -> DecisionGrade:
    """Compare a trainee's decision (kind + the materials on their notice) with :func:`decide`."""
    if kind not in DECISION_KINDS:
        raise ValueError(f"决定应为 {'、'.join(DECISION_KINDS)} 之一，而不是 {kind!r}")
    return score_decision(decide(application, policy), kind, listed)
