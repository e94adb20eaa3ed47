"""Acceptance review at the window (受理审查): 受理, 容缺受理, 告知承诺, 补正 (一次性告知) or 不予受理.

Rules (DOMAIN §2, §5, §6):

1. An applicant who plainly lacks standing (``unmet_conditions``: not of this jurisdiction, wrong age)
   → 不予受理 under local acceptance rules, with the reasons.
2. Each material the item needs is checked: a material submitted in good order is fine; one the
   applicant already holds as an e-licence is fetched, not asked for (免证办); one that a 告知承诺 can
   replace is covered by the pledge when the item allows 告知承诺, the applicant chose it and is not
   excluded (serious bad credit or an earlier false pledge). An error that can be corrected on the
   spot (unclear copy, missing signature, incomplete form, too few copies: ``CORRECTABLE_FLAWS``) is
   corrected there, not put on a list (行政许可法 第三十二条 (三), 当场更正).
3. Nothing outstanding → 受理 (告知承诺 when a pledge covered something); 即办件 are done on the spot.
4. Something outstanding → 容缺受理 when the item allows it, every outstanding material is a secondary
   material marked 可容缺 (never a core or safety material), the applicant is not dishonest and
   signs the 容缺承诺书; the notice lists each missing item with its deadline, at most the promised
   time limit. Otherwise → 补正: a complete one-time list (一次性告知) of everything missing or flawed
   (第三十二条 (四)). Bad credit excludes only 告知承诺 and 容缺, never a ground for 不予受理.
   The law allows 不予受理 only for a matter that needs no licence (即时告知) or lies outside the
   authority's competence (告知向有关机关申请) (行政许可法 第三十二条 (一)(二)); a plainly wrong
   applicant is refused under local acceptance rules. Unmet *substantive* conditions are judged after
   acceptance and end in 不予行政许可 (第三十八条: reasons, 复议/诉讼 rights), not in 不予受理, so
   callers that teach 不予受理 must build ``unmet_conditions`` from standing conditions only.

The rules themselves — ``decide`` and ``grade_decision`` — live in :mod:`sandbox.practice.keys.decisions`,
which is grader-only in root mode (they decide every graded case). What stays here is public: the case
types, the case generator and :func:`score_decision`, the comparison of an answer with a decision.
``decide`` and ``grade_decision`` are still reachable under this module's name where the keys are
readable (graders, tests); in a trainee's kernel they raise an ImportError that says why.

Pure Python, no I/O.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

from ..base.catalog import ServiceItem
from ..base.ids import SYNTHETIC_MARK, mask_id, mask_name
from ..base.rng import as_random
from ..base.eligibility import Profile, load_profiles
from ..base.population import Citizen, Firm, Population
from ..base.retirement import EARLY, retirement_date
from ..base.calendar import WorkCalendar, default_calendar
from . import forward_keys

__all__ = ["MATERIAL_STATES", "DECISION_KINDS", "ACCEPTED_KINDS", "SubmittedMaterial", "Application",
           "AcceptancePolicy", "DEFAULT_POLICY", "NoticeEntry", "Decision", "make_application",
           "FLAWS", "CORRECTABLE_FLAWS", "DIFFICULTIES", "DecisionGrade", "score_decision",
           "decision_to_dict", "decision_from_dict"]

MaterialState = Literal["present", "missing", "flawed"]
MATERIAL_STATES = ("present", "missing", "flawed")
STATE_LABELS = {"present": "齐全", "missing": "缺少", "flawed": "有瑕疵"}
DECISION_KINDS = ("受理", "容缺受理", "告知承诺", "补正", "不予受理")
ACCEPTED_KINDS = frozenset({"受理", "容缺受理", "告知承诺"})
FLAWS = ("复印件不清晰", "缺少申请人签字", "证件已过有效期", "申请表填写不完整", "姓名与身份证件不一致",
         "未加盖单位公章", "份数不足")
# Errors the window corrects on the spot (行政许可法 第三十二条 (三)): it makes the copy, the applicant
# signs or completes the form there. The others (expired, inconsistent, unsealed) need a 补正.
CORRECTABLE_FLAWS = frozenset({"复印件不清晰", "缺少申请人签字", "申请表填写不完整", "份数不足"})
DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True, slots=True)
class SubmittedMaterial:
    name: str
    state: MaterialState = "present"
    flaw: str = ""  # for flawed materials: what is wrong with it


@dataclass(frozen=True)
class Application:
    """What the applicant brings to the window. Materials not listed count as missing when required;
    optional materials (授权委托书 …) matter only when listed (the applicant's situation needs them)."""

    item: ServiceItem
    applicant: Citizen | None = None
    firm: Firm | None = None
    subject: Citizen | None = None  # the child a guardian applies for (教育入学), else None
    materials: tuple[SubmittedMaterial, ...] = ()
    elicences: frozenset[str] = frozenset()  # material names the applicant holds as e-licences
    pledge_signed: bool = False  # the applicant chooses 告知承诺
    rongque_consent: bool = True  # the applicant will sign a 容缺承诺书 if offered
    unmet_conditions: tuple[str, ...] = ()  # which of item.conditions the applicant fails
    serious_bad_credit: bool = False
    false_pledge_before: bool = False
    applied_on: date = date(2024, 1, 2)

    @classmethod
    def from_states(cls, item: ServiceItem, states: Mapping[str, str | tuple[str, str]], **kwargs) -> Application:
        """Build from {material name: "present" | "missing" | ("flawed", "what is wrong")} (e.g. a form).

        Unknown material names or states are refused with a Chinese message.
        """
        subs = []
        for name, st in states.items():
            item.material(name)  # KeyError naming the item when the material is not one of its own
            state, flaw = (st, "") if isinstance(st, str) else st
            if state not in MATERIAL_STATES:
                raise ValueError(f"材料 {name} 的状态应为 present/missing/flawed，而不是 {state!r}")
            subs.append(SubmittedMaterial(name, state, flaw))
        order = {m.name: i for i, m in enumerate(item.materials)}
        subs.sort(key=lambda s: order[s.name])
        return cls(item=item, materials=tuple(subs), **kwargs)

    def submitted(self, name: str) -> SubmittedMaterial | None:
        for s in self.materials:
            if s.name == name:
                return s
        return None

    @property
    def dishonest(self) -> bool:
        return self.serious_bad_credit or self.false_pledge_before

    def describe(self) -> str:
        """Plain-Chinese summary of the case for a trainee (identifiers masked; 合成数据)."""
        lines = [f"【{SYNTHETIC_MARK}】申请事项：{self.item.name}（{self.item.code}，{self.item.kind_label}）",
                 f"申请日期：{self.applied_on:%Y年%m月%d日}"]
        if self.applicant is not None:
            a = self.applicant
            lines.append(f"申请人：{mask_name(a.name)}，{a.gender}，{a.age_on(self.applied_on)}岁，{a.county}，"
                         f"身份证号 {mask_id(a.id_number)}" + ("（监护人）" if self.subject is not None else ""))
        if self.subject is not None:
            k = self.subject
            lines.append(f"办理对象：{mask_name(k.name)}，{k.gender}，{k.age_on(self.applied_on)}岁（未成年人，由监护人申请），"
                         f"身份证号 {mask_id(k.id_number)}")
        if self.firm is not None:
            lines.append(f"申请单位：{self.firm.name}（{self.firm.kind}）")
        lines.append("提交材料：")
        for m in self.item.materials:
            s = self.submitted(m.name)
            if s is None:
                if not m.required:
                    continue
                text = "未提交"
            else:
                text = STATE_LABELS[s.state] + (f"（{s.flaw}）" if s.flaw else "")
            extra = "；已有电子证照" if m.name in self.elicences else ""
            lines.append(f"  - {m.name}：{text}{extra}")
        lines.append(f"选择告知承诺：{'是' if self.pledge_signed else '否'}；"
                     f"愿意签署容缺承诺书：{'是' if self.rongque_consent else '否'}")
        if self.serious_bad_credit:
            lines.append("信用记录：有严重失信记录")
        if self.false_pledge_before:
            lines.append("信用记录：曾作出虚假承诺")
        if self.unmet_conditions:
            lines.append("核查发现：" + "；".join(f"不符合“{c}”" for c in self.unmet_conditions))
        return "\n".join(lines)


@dataclass(frozen=True)
class AcceptancePolicy:
    """Levers of a hall (scenario switches)."""

    rongque_enabled: bool = True
    pledge_enabled: bool = True
    elicence_enabled: bool = True
    rongque_max_days: int | None = None  # cap on the 容缺 supply deadline; None = the promised limit


DEFAULT_POLICY = AcceptancePolicy()


@dataclass(frozen=True, slots=True)
class NoticeEntry:
    material: str
    problem: str  # 缺少 / 有瑕疵：…
    remedy: str  # what to bring
    deadline: date | None = None  # for 容缺受理: date by which to supply it


@dataclass(frozen=True)
class Decision:
    kind: str  # one of DECISION_KINDS
    reasons: tuple[str, ...]  # plain Chinese
    one_time_list: tuple[NoticeEntry, ...] = ()  # 补正: everything to bring; 容缺受理: what to supply later
    deadlines: tuple[tuple[str, date], ...] = ()
    by_elicence: tuple[str, ...] = ()  # materials fetched as e-licences
    by_pledge: tuple[str, ...] = ()  # materials replaced by the pledge
    on_the_spot: bool = False  # 即办件 done at the window
    corrected: tuple[str, ...] = ()  # flaws corrected on the spot (当场更正), not on any list
    due: date | None = None  # date by which the result is promised (accepted cases)

    @property
    def accepted(self) -> bool:
        return self.kind in ACCEPTED_KINDS

    @property
    def outstanding(self) -> tuple[str, ...]:
        return tuple(e.material for e in self.one_time_list)

    def notice_text(self, application: Application | None = None) -> str:
        """The notice handed to the applicant (受理通知书 / 容缺受理通知书 / 一次性告知书 / 不予受理决定书)."""
        title = {"受理": "受理通知书", "告知承诺": "告知承诺受理通知书", "容缺受理": "容缺受理通知书",
                 "补正": "补正材料一次性告知书", "不予受理": "不予受理通知书"}[self.kind]
        lines = [title, f"（{SYNTHETIC_MARK}）"]
        if application is not None:
            lines.append(f"事项：{application.item.name}（{application.item.code}）")
        lines += [f"理由：{r}" for r in self.reasons]
        if self.one_time_list:
            head = "请在下列期限内补齐以下材料：" if self.kind == "容缺受理" else "请一次性补正以下全部材料："
            lines.append(head)
            for i, e in enumerate(self.one_time_list, 1):
                dl = f"，{e.deadline:%Y年%m月%d日}前" if e.deadline else ""
                lines.append(f"{i}. {e.material}——{e.problem}；{e.remedy}{dl}")
        lines += [f"{label}：{d:%Y年%m月%d日}" for label, d in self.deadlines]
        return "\n".join(lines)


# ---- generating exercise cases ---------------------------------------------------------------

_FIRM_BLOCKS = {"市场主体登记", "企业开办", "工程建设项目审批"}
_FIRM_MATERIALS = {"营业执照", "法定代表人身份证件"}
# difficulty -> (P missing, P flawed, P e-licence held, P unmet condition, P bad credit, P false pledge)
_PROFILE = {
    "easy": (0.0, 0.0, 0.3, 0.0, 0.0, 0.0),
    "medium": (0.12, 0.08, 0.5, 0.05, 0.03, 0.02),
    "hard": (0.22, 0.15, 0.5, 0.1, 0.08, 0.05),
}


# Which firms plausibly apply for an item, by the population's industry labels (first match wins).
_INDUSTRY_HINTS = (
    (("食品", "餐饮", "排水", "公共场所"), ("餐饮", "拉面", "超市", "农产品")),
    (("运输",), ("运输",)),
    (("施工", "建设工程", "建设用地", "消防", "竣工", "预售", "首次登记", "用地预审"), ("建筑",)),
    (("合作社", "林木", "取水"), ("农牧", "农产品")),
    (("药品", "烟草", "出版物"), ("商贸", "超市")),
)


def _pick_firm(r: random.Random, pop: Population, item: ServiceItem) -> Firm:
    for words, industries in _INDUSTRY_HINTS:
        if any(w in item.name for w in words):
            fits = [f for f in pop.firms if f.industry in industries]
            if fits:
                return fits[r.randrange(len(fits))]
            break
    return pop.firms[r.randrange(len(pop.firms))]


def _needs_firm(item: ServiceItem) -> bool:
    if item.name.startswith("个体工商户设立"):
        return False
    return item.block in _FIRM_BLOCKS or any(m.name in _FIRM_MATERIALS for m in item.materials)


# Applicants of items without an eligibility profile: adults at the case date (the hall draws the same).
DEFAULT_AGE = (18, 80)
# New pensioners as the hall engine draws them (hall.context): 55% men, women 30% cadres; early
# retirement 10% special jobs, 3% illness, at the unchanged early ages (base.retirement.EARLY).
_RETIRE_SHARES = (("特殊工种", 0.10), ("病退", 0.03))


def _fits(c: Citizen, day: date, prof: Profile | None) -> bool:
    """Does ``c`` fit the item's eligibility profile on ``day`` (age range and sex)?"""
    if prof is None:
        return DEFAULT_AGE[0] <= c.age_on(day) <= DEFAULT_AGE[1]
    if prof.sex and c.gender != prof.sex:
        return False
    return prof.min_age <= c.age_on(day) <= prof.max_age


def _retiree(r: random.Random, pop: Population, day: date) -> list[Citizen]:
    """People who retire around ``day`` by one drawn route: the statutory age in force (the 2025 rise
    by birth month; pension from the month after, applied for up to two months before or one after)
    or early retirement at exactly the early age."""
    male = r.random() < 0.55
    category = "男职工" if male else ("女干部" if r.random() < 0.3 else "女职工")
    u, cut, route = r.random(), 0.0, ""
    for name, share in _RETIRE_SHARES:
        if cut <= u < cut + share:
            route = name
        cut += share
    sex = "男" if male else "女"
    if route:
        age = EARLY[route][0 if male else 1]
        return [c for c in pop.citizens if c.gender == sex and c.age_on(day) == age]
    return [c for c in pop.citizens if c.gender == sex and 44 <= c.age_on(day) <= 64
            and -60 <= (day - retirement_date(category, c.birth_date)).days <= 30]


def _pick_citizen(r: random.Random, pop: Population, item: ServiceItem, day: date) -> Citizen:
    """An applicant who fits the item on ``day`` by the profiles the hall engine uses
    (``data/eligibility.toml``): a pensioner at the statutory age in force, a 高龄补贴 applicant of 80
    and over, a 16-year-old for a first 居民身份证; adults for items without a profile."""
    prof = load_profiles().get(item.code)
    if prof is not None and prof.retirement:
        fits = _retiree(r, pop, day)
    else:
        fits = [c for c in pop.citizens if _fits(c, day, prof)]
    if not fits:  # a tiny population without anyone fitting: an adult, never a child
        fits = [c for c in pop.citizens[:pop.adults] if c.age_on(day) >= DEFAULT_AGE[0]] or list(pop.citizens)
    return fits[r.randrange(len(fits))]


def _subject(r: random.Random, pop: Population, item: ServiceItem, applicant: Citizen, day: date
             ) -> Citizen | None:
    """The child a guardian applies for (教育入学): a child of the applicant's county of the profile's age."""
    prof = load_profiles().get(item.code)
    if prof is None or not prof.child_age:
        return None
    lo, hi = prof.child_age
    kids = [c for c in pop.citizens[pop.adults:] if c.county == applicant.county and lo <= c.age_on(day) <= hi]
    return kids[r.randrange(len(kids))] if kids else None


def make_application(item: ServiceItem, rng: random.Random | np.random.Generator, population: Population,
                     difficulty: str | int = "medium", *, applied_on: date | None = None,
                     calendar: WorkCalendar | None = None) -> Application:
    """A realistic synthetic case for an exercise; same rng state → same case.

    ``easy``: complete, or one plain missing material; ``medium``: missing and flawed materials,
    e-licences, the odd pledge or unmet condition; ``hard``: more of everything, dishonest
    applicants, and 容缺 items with a core material missing as well as a secondary one.
    """
    if isinstance(difficulty, int):
        if not 1 <= difficulty <= 3:
            raise ValueError("difficulty 应为 1–3 或 easy/medium/hard")
        difficulty = DIFFICULTIES[difficulty - 1]
    if difficulty not in _PROFILE:
        raise ValueError(f"difficulty 应为 {'/'.join(DIFFICULTIES)}，实际是 {difficulty!r}")
    r = as_random(rng)
    cal = calendar if calendar is not None else default_calendar()
    p_miss, p_flaw, p_elic, p_cond, p_credit, p_false = _PROFILE[difficulty]

    if applied_on is None:  # first: who may apply depends on the date (ages, retirement ages)
        applied_on = cal.add_working_days(date(2024, 1, 1), r.randrange(1, 240))
    firm = None
    subject = None
    if _needs_firm(item) and population.firms:
        firm = _pick_firm(r, population, item)
        applicant = population.citizens[firm.legal_rep_pid]
    else:
        applicant = _pick_citizen(r, population, item, applied_on)
        subject = _subject(r, population, item, applicant, applied_on)

    subs: list[SubmittedMaterial] = []
    elicences: set[str] = set()
    required = [m for m in item.materials if m.required]
    easy_gap = r.choice(required).name if difficulty == "easy" and r.random() < 0.5 else None
    for m in item.materials:
        if not m.required and r.random() > 0.2:
            continue  # the applicant's situation does not call for this optional material
        if m.elicence and r.random() < p_elic:
            elicences.add(m.name)
        u = r.random()
        if m.name == easy_gap or (difficulty != "easy" and u < p_miss):
            subs.append(SubmittedMaterial(m.name, "missing"))
        elif difficulty != "easy" and u < p_miss + p_flaw:
            subs.append(SubmittedMaterial(m.name, "flawed", r.choice(FLAWS)))
        else:
            subs.append(SubmittedMaterial(m.name, "present"))
    # Make 容缺 items interesting: the secondary material is often what is missing.
    if item.rongque_allowed and difficulty != "easy" and r.random() < 0.6:
        rq = [m for m in item.materials if m.rongque]
        target = r.choice(rq).name
        subs = [SubmittedMaterial(s.name, "missing") if s.name == target else s for s in subs]
        elicences.discard(target)
    pledge = item.pledge_allowed and r.random() < (0.3 if difficulty == "easy" else 0.5)
    if pledge:
        # Someone who pledges usually leaves the pledge-able papers at home.
        subs = [SubmittedMaterial(s.name, "missing") if item.material(s.name).pledge and r.random() < 0.7 else s
                for s in subs]
    unmet = ()
    if r.random() < p_cond:
        unmet = (r.choice(item.conditions),)
    return Application(
        item=item, applicant=applicant, subject=subject, firm=firm, materials=tuple(subs), elicences=frozenset(elicences),
        pledge_signed=pledge, rongque_consent=r.random() < 0.9, unmet_conditions=unmet,
        serious_bad_credit=r.random() < p_credit, false_pledge_before=r.random() < p_false,
        applied_on=applied_on,
    )


# ---- grading a trainee's decision ----------------------------------------------------------------

@dataclass(frozen=True)
class DecisionGrade:
    kind_correct: bool
    expected_kind: str
    listed_correctly: tuple[str, ...]  # materials on both lists
    omitted: tuple[str, ...]  # on the rule's list, not on the trainee's (breaks 一次性告知)
    extra: tuple[str, ...]  # asked for needlessly (e.g. covered by an e-licence or present)
    score: float  # 0..1: half for the kind, half for the list (1 when no list is due and none given)
    feedback: str  # plain Chinese

    @property
    def perfect(self) -> bool:
        return self.kind_correct and not self.omitted and not self.extra


def score_decision(decision: Decision, kind: str, listed: Sequence[str] = ()) -> DecisionGrade:
    """Compare a trainee's decision (kind + the materials on their notice) with the rule's ``decision``.

    The comparison is public; the rule that makes ``decision`` for a graded case is not (keys.decisions).
    """
    if kind not in DECISION_KINDS:
        raise ValueError(f"决定应为 {'、'.join(DECISION_KINDS)} 之一，而不是 {kind!r}")
    d = decision
    truth = list(d.outstanding)
    named = list(dict.fromkeys(listed))
    ok = tuple(n for n in truth if n in named)
    omitted = tuple(n for n in truth if n not in named)
    extra = tuple(n for n in named if n not in truth)
    kind_ok = kind == d.kind
    denom = len(truth) + len(extra)
    list_score = 1.0 if denom == 0 else len(ok) / denom
    lines = [("✔ " if kind_ok else "✘ ") + f"应作出“{d.kind}”" + ("" if kind_ok else f"，你选择了“{kind}”"),
             "依据：" + "；".join(d.reasons)]
    if omitted:
        lines.append("✘ 一次性告知漏列：" + "、".join(omitted) + "（漏列会让群众多跑一趟）")
    if extra:
        lines.append("✘ 不应要求提交：" + "、".join(extra))
    if truth and not omitted and not extra:
        lines.append("✔ 告知清单完整准确")
    return DecisionGrade(kind_ok, d.kind, ok, omitted, extra, round(0.5 * kind_ok + 0.5 * list_score, 4),
                         "\n".join(lines))


# ---- decisions as data (the practice bank ships them to trainees' kernels) ---------------------

def decision_to_dict(d: Decision) -> dict:
    """A JSON-ready copy of ``d`` (dates as ISO strings)."""
    return {"kind": d.kind, "reasons": list(d.reasons),
            "one_time_list": [[e.material, e.problem, e.remedy, e.deadline and e.deadline.isoformat()]
                              for e in d.one_time_list],
            "deadlines": [[label, day.isoformat()] for label, day in d.deadlines],
            "by_elicence": list(d.by_elicence), "by_pledge": list(d.by_pledge), "on_the_spot": d.on_the_spot,
            "corrected": list(d.corrected), "due": d.due and d.due.isoformat()}


def decision_from_dict(data: Mapping) -> Decision:
    """Inverse of :func:`decision_to_dict`."""
    day = date.fromisoformat
    return Decision(
        kind=data["kind"], reasons=tuple(data["reasons"]),
        one_time_list=tuple(NoticeEntry(m, p, r, day(dl) if dl else None) for m, p, r, dl in data["one_time_list"]),
        deadlines=tuple((label, day(d)) for label, d in data["deadlines"]),
        by_elicence=tuple(data["by_elicence"]), by_pledge=tuple(data["by_pledge"]),
        on_the_spot=bool(data["on_the_spot"]), corrected=tuple(data["corrected"]),
        due=day(data["due"]) if data["due"] else None)


# The grader-only rules under their old names (see the module docstring).
__getattr__ = forward_keys(__name__, "decisions", frozenset({"decide", "grade_decision"}))
