"""Case material without widgets (the grader-side checkers import it too): believable applicants,
guides' steps with the give-aways removed, and the mechanical part of the 一次性告知单 rubric.

Applicants are drawn from the sandbox's eligibility profiles.

Widget-free (the grader-side checkers import it too). ``sandbox.acceptance.make_application`` draws
the materials; this module then puts the right person in front of the window, by construction:

- citizen items: age at the application date inside the item's profile (``data/eligibility.toml``),
  the profile's sex, and for retirement items a person whose statutory retirement date
  (``sandbox.base.retirement``) has just passed — the application date follows from it;
- firm items: a firm of the profile's industries whose legal representative is of working age;
- an applicant never "holds as an e-licence" a paper that is not a licence (a bank account).

Nothing here decides an answer: the checkers and the lesson widgets ask ``sandbox.acceptance``.
"""
from __future__ import annotations

import dataclasses
import functools
import random
import re
from datetime import date, timedelta
from typing import Sequence

__all__ = ["catalog", "population", "plausible_application", "standing_condition", "lacking_standing", "STANDING", "make_plausible", "DEFECT_SHORT", "pick_citizen", "is_plausible", "NOT_LICENCES",
           "REP_AGE", "DEFAULT_AGE", "neutral_steps", "kind_rows", "letter_hits", "LETTER_RUBRIC",
           "WINDOW_PHONE", "SUPPLY_DAYS", "my_cases", "CASES_FILE", "score_list",
           "corrected_names", "DECISION_WEIGHTS", "item_for"]

CASES_FILE = "cases.json"  # until coursekit.answers.my_cases lands: the trainee's cases beside the notebook
NOT_LICENCES = ("银行账户",)  # papers that are no 电子证照, whatever a catalogue row says
REP_AGE = (22, 65)            # a firm's legal representative who comes to the window
DEFAULT_AGE = (18, 75)        # items without an age profile
_RETIRE_CATEGORY = {"男": ("男职工",), "女": ("女职工", "女干部")}

# Short labels trainees tick, one per defect kind of sandbox.guides.DEFECT_KINDS.
DEFECT_SHORT = {
    "MISSING_MATERIAL": "漏列必要材料（或把必要材料写成非必要）",
    "PROMISED_OVER_LEGAL": "承诺办结时限超过法定办结时限",
    "MISSING_LEGAL_LIMIT": "没写法定办结时限",
    "MISSING_PROMISED_LIMIT": "没写承诺办结时限",
    "INSTANT_WITH_DAYS": "标为即办件却写了工作日",
    "COMMITMENT_WITHOUT_DAYS": "标为承诺件却写当场办结",
    "WRONG_ITEM_TYPE": "事项类型写错",
    "MISSING_FEE_BASIS": "收费没写依据",
    "VISITS_ONLINE_MISMATCH": "到现场次数与是否网办矛盾",
    "MISSING_CONSULT": "没写咨询方式",
    "MISSING_COMPLAINT": "没写监督投诉方式",
    "MISSING_BASIS": "没写设定和实施依据",
    "MISSING_CONDITIONS": "没写申请条件",
    "CORE_MATERIAL_RONGQUE": "把核心材料标成可容缺",
}
DEFECT_CODE = {v: k for k, v in DEFECT_SHORT.items()}


@functools.lru_cache(maxsize=1)
def catalog():
    from sandbox.catalog import load_catalog
    return load_catalog()


@functools.lru_cache(maxsize=1)
def population():
    from sandbox.population import build_population
    return build_population(seed=42, n_citizens=3000, n_firms=400)


def my_cases() -> dict:
    """The trainee's own cases of this assignment, made by the grader from its secret seed
    (``coursekit.answers.my_cases``: ``cases.json`` beside the notebook). {} with a Chinese note when
    they are not there yet, so that 运行全部 does not stop (every question then says so too)."""
    from . import answers
    try:
        return dict(answers.my_cases())
    except answers.NoCases as exc:
        from IPython.display import HTML, display
        display(HTML(f'<div style="background:#fffaf0;color:#c05621;padding:6px 10px;">{exc}</div>'))
        return {}


def item_for(ctx, **fields):
    """A ``grading.checks.Item`` for a checker's result without importing grading (courses sit beside
    grading, on the sandbox only): the class is taken from the module of the ``Context`` the grader
    passed in, so the checker returns exactly the contract's type."""
    import sys
    cls = getattr(sys.modules.get(type(ctx).__module__), "Item", None)
    if cls is None:
        raise TypeError(f"checker context of unknown type {type(ctx).__module__}.{type(ctx).__name__}")
    return cls(**fields)


def _profile(item):
    from sandbox.base.eligibility import load_profiles
    return load_profiles().get(item.code)


def _calendar():
    from sandbox.base.calendar import default_calendar
    return default_calendar()


def _fits_age(person, day: date, lo: int, hi: int) -> bool:
    return lo <= person.age_on(day) <= hi


def pick_citizen(r: random.Random, item, day: date, *, county: str | None = None,
                 speaks_mandarin: bool | None = None, min_age: int | None = None):
    """A citizen who may apply for ``item`` on ``day`` (profile age and sex), or None."""
    prof = _profile(item)
    lo, hi = (prof.min_age, prof.max_age) if prof and (prof.min_age > 18 or prof.max_age < 120) else DEFAULT_AGE
    lo = max(lo, min_age or 0)
    people = [c for c in population().citizens
              if _fits_age(c, day, lo, hi) and (not prof or not prof.sex or c.gender == prof.sex)
              and (county is None or c.county == county)
              and (speaks_mandarin is None or c.speaks_mandarin == speaks_mandarin)]
    return people[r.randrange(len(people))] if people else None


def _retiree(r: random.Random, earliest: date, latest: date):
    """(person, application date): someone whose statutory retirement date falls in the window."""
    from sandbox.base.retirement import retirement_date
    cal = _calendar()
    fits = []
    for c in population().citizens:
        for category in _RETIRE_CATEGORY[c.gender]:
            when = retirement_date(category, c.birth_date)
            if earliest <= when <= latest:
                fits.append((c, when))
                break
    person, when = fits[r.randrange(len(fits))]
    return person, cal.next_working_day(when + timedelta(days=r.randrange(0, 20)))


def firm_industries(item) -> tuple[str, ...]:
    """Industries of the firms that apply: the eligibility profile, else the sandbox's name hints
    (建设工程 → 建筑 …); () when any firm may apply."""
    prof = _profile(item)
    if prof is not None and prof.industries:
        return tuple(prof.industries)
    from sandbox import acceptance
    for words, industries in getattr(acceptance, "_INDUSTRY_HINTS", ()):
        if any(w in item.name for w in words):
            return tuple(industries)
    return ()


def _firm_for(r: random.Random, item, day: date):
    pop = population()
    fits = firm_industries(item)
    firms = [f for f in pop.firms if (not fits or f.industry in fits)
             and _fits_age(pop.citizens[f.legal_rep_pid], day, *REP_AGE)]
    return firms[r.randrange(len(firms))] if firms else None


# 行政许可法 第三十二条 allows 不予受理 only outside competence or for a matter needing no licence; a window
# refuses an applicant who plainly lacks standing (not of this jurisdiction) under local acceptance rules.
# Substantive conditions are judged after acceptance (不予许可, 第三十八条), so the courses build a
# 不予受理 case only from a jurisdiction (户籍) condition. Conditions that allow applying elsewhere (异地)
# or count residence (居住) are no such ground.
STANDING = re.compile(r"海东市(户籍|常住户口)|在海东市有户籍")
NOT_STANDING = ("异地", "居住")
NO_STANDING_FINDING = "（核查：申请人户口登记在外省，不在本辖区）"


def standing_condition(item) -> str | None:
    """The item's jurisdiction condition an applicant can plainly fail (a 不予受理 ground), if any."""
    for c in item.conditions:
        if STANDING.search(c) and not any(w in c for w in NOT_STANDING):
            return c
    return None


def lacking_standing(app):
    """The application of someone plainly not of this jurisdiction (the item must have such a condition)."""
    return dataclasses.replace(app, unmet_conditions=(standing_condition(app.item) + NO_STANDING_FINDING,))


def plausible_application(item, r: random.Random, difficulty: str = "medium", *,
                          applied_on: date | None = None):
    """``make_application`` with a believable applicant (see the module docstring). A drawn unmet
    condition becomes a plain lack of standing where the item has one, and is dropped otherwise:
    substantive conditions are no acceptance matter (see STANDING)."""
    from sandbox.acceptance import make_application
    app = make_application(item, r, population(), difficulty, applied_on=applied_on)
    if app.unmet_conditions:
        app = lacking_standing(app) if standing_condition(item) else dataclasses.replace(app, unmet_conditions=())
    return make_plausible(app, r)


def make_plausible(app, r: random.Random):
    """The same materials and credit record, in the hands of someone who would really apply.
    (``decide`` never looks at who the person is, so the decision stays what it was.)"""
    item, day = app.item, app.applied_on
    prof = _profile(item)
    changes: dict = {"elicences": frozenset(n for n in app.elicences if not any(x in n for x in NOT_LICENCES))}
    if app.firm is not None:
        firm = _firm_for(r, item, day)
        if firm is not None:
            changes.update(firm=firm, applicant=population().citizens[firm.legal_rep_pid])
    elif prof is not None and prof.retirement:
        person, day = _retiree(r, date(2024, 3, 1), date(2025, 10, 1))
        changes.update(applicant=person, applied_on=day)
    else:
        person = pick_citizen(r, item, day)
        if person is not None:
            changes["applicant"] = person
    return dataclasses.replace(app, **changes)


def applicant_age(app) -> int:
    return app.applicant.age_on(app.applied_on)


def is_plausible(app) -> bool:
    """The construction rules above, as a check (tests use it on every generated case)."""
    prof = _profile(app.item)
    a = app.applicant
    if a is None:
        return False
    age = applicant_age(app)
    if any(x in n for n in app.elicences for x in NOT_LICENCES):
        return False
    if app.firm is not None:
        fits = firm_industries(app.item)
        return REP_AGE[0] <= age <= REP_AGE[1] and (not fits or app.firm.industry in fits)
    if prof is not None and prof.retirement:
        from sandbox.base.retirement import retirement_date
        whens = [retirement_date(c, a.birth_date) for c in _RETIRE_CATEGORY[a.gender]]
        return any(w <= app.applied_on <= w + timedelta(days=60) for w in whens)
    lo, hi = (prof.min_age, prof.max_age) if prof and (prof.min_age > 18 or prof.max_age < 120) else DEFAULT_AGE
    return lo <= age <= hi and (not prof or not prof.sex or a.gender == prof.sex)


def items_named(names: Sequence[str]) -> list:
    return [catalog().by_name(n) for n in names]


# ---- scoring a list answer (the checkers and the lessons' feedback use the same rule) ------------------
DECISION_WEIGHTS = {"决定": 0.4, "告知材料": 0.4, "当场更正": 0.2}  # course 1, 受理决定


def score_list(truth: Sequence[str], named: Sequence[str]) -> tuple[float, list[str], list[str], list[str]]:
    """(share, right, omitted, extra): each wrong or missing entry costs as much as a right one earns."""
    named = list(dict.fromkeys(named))
    right = [x for x in truth if x in named]
    omitted = [x for x in truth if x not in named]
    extra = [x for x in named if x not in truth]
    denom = len(truth) + len(extra)
    return (1.0 if denom == 0 else len(right) / denom), right, omitted, extra


def corrected_names(decision) -> list[str]:
    """Materials whose flaws were corrected on the spot (当场更正), without the flaw. The engine writes
    "name（flaw）" and names may hold brackets themselves (本人银行账户（社会保障卡金融账户）), so only
    the last bracket is the flaw."""
    return [c.rsplit("（", 1)[0] for c in decision.corrected]


# ---- 即办件/承诺件 without the give-aways ---------------------------------------------------------
# The catalogue's steps say "当场作出决定" or "在承诺时限内作出决定" and the legal limit is 1 day for
# every 即办件: shown as is, the answer is read off, not reasoned. What stays is the work itself
# (审查、现场核查、采集、制证、公示、送达), which is what lesson 1 teaches to look for.
_GIVEAWAYS = ("，符合要求的当场受理", "当场", "在承诺时限内", "并出具受理通知书")


_TIME_HINTS = (r"自收到申请之日起\d+个工作日内", r"（[^）]*时限[^）]*）", r"\d+个工作日内?")


def neutral_steps(item) -> list[str]:
    import re
    out = []
    for step in item.steps:
        for word in _GIVEAWAYS:
            step = step.replace(word, "")
        for pattern in _TIME_HINTS:
            step = re.sub(pattern, "", step)
        out.append(step)
    return out


def kind_rows(item) -> list[tuple[str, str]]:
    """What the 即办件/承诺件 question shows of an item (no time limits, no decision wording)."""
    return [("事项类型", item.item_type), ("主管部门", item.department),
            ("申请材料", "、".join(m.name for m in item.materials if m.required)),
            ("办理流程", " → ".join(neutral_steps(item)))]


# ---- the 一次性告知单 rubric, mechanical part ---------------------------------------------------------
# A trainer grades the letter (nbgrader task cell); these checks are the part a machine can see, shown
# to the trainer as hints and used by the tests to make sure the model letter passes its own rubric.
WINDOW_PHONE = "0972-8612345"  # synthetic number of the city centre's 综合窗口 (0972: Haidong)
SUPPLY_DAYS = 10                # working days the model letter gives for 补交
LETTER_RUBRIC = (
    ("写明事项名称和申请人（姓名遮挡）", 1),
    ("一次列全需要补正的材料，每份写明要求", 2),
    ("写明补交地点或网上入口、补交期限和窗口联系电话", 1),
    ("语言通俗友善，主动提出本事项可用的便民办法（不许诺本事项没有的容缺受理）", 1),
)
_INTERNAL = ("即为受理", "最迟告知期限", "视为受理")


def letter_hits(text: str, app, decision) -> list[tuple[str, bool, str]]:
    """(criterion, met, why) per rubric line, for the letter to ``app`` whose decision is ``decision``."""
    import re
    from sandbox.ids import mask_name
    text = text or ""
    masked = mask_name(app.applicant.name) if app.applicant is not None else ""
    firm = app.firm.name if app.firm is not None else ""
    who_ok = app.item.name in text and ((masked and masked in text) or (firm and firm in text))
    leak = app.applicant is not None and app.applicant.name in text and app.applicant.name != masked
    needed = list(decision.outstanding)
    missing = [m for m in needed if m not in text]
    how = bool(re.search(r"原件|复印件|\d+\s*份|电子版|纸质", text))
    where = any(w in text for w in ("窗口", "政务服务网", "青松办", "政务服务中心"))
    when = bool(re.search(r"\d{4}年\d{1,2}月\d{1,2}日前|\d+\s*个工作日内", text))
    phone = bool(re.search(r"0972-?\d{7}|12345", text))
    helps = any(w in text for w in ("帮办代办", "电子证照", "网上", "上传", "邮寄"))
    false_rq = "容缺" in text and not app.item.rongque_allowed
    internal = [w for w in _INTERNAL if w in text]
    return [
        (LETTER_RUBRIC[0][0], bool(who_ok) and not leak,
         "姓名没有遮挡" if leak else ("" if who_ok else "没写清事项名称或申请人")),
        (LETTER_RUBRIC[1][0], not missing and how,
         ("漏写：" + "、".join(missing)) if missing else ("" if how else "没写每份材料的要求（原件、复印件份数、纸质或电子）")),
        (LETTER_RUBRIC[2][0], where and when and phone,
         "、".join(x for x, ok in (("补交地点或网上入口", where), ("补交期限", when), ("联系电话", phone)) if not ok)
         and "缺少：" + "、".join(x for x, ok in (("补交地点或网上入口", where), ("补交期限", when), ("联系电话", phone)) if not ok)),
        (LETTER_RUBRIC[3][0], helps and not false_rq and not internal,
         "本事项不实行容缺受理，不能向群众许诺" if false_rq else
         ("把内部用语写给了群众：" + "、".join(internal)) if internal else ("" if helps else "没有提便民办法")),
    ]
