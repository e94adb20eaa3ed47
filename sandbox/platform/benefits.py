"""免申即享 (task 7): policies as criteria over the firm registry, matching, confirmation, payment,
and 快申快享 where the data are insufficient.

Shape as the hall: a frozen, validated :class:`BenefitsScenario` → :func:`simulate_benefits` (seeded)
→ immutable :class:`BenefitsRun` → metrics as plain functions (:func:`benefits_summary`,
:func:`benefits_paid`). Policies are data (``sandbox/data/platform/benefits_policies.toml``); a
trainee changes the matching rules with :func:`with_criteria` / :meth:`BenefitsScenario.evolve` and
sees the payments; the grader scores them against who is really eligible (benefits_truth.py).

Flow per policy (DOMAIN §6: six steps → three): on ``match_date`` (and the same day of every other
year in the span) the registry is matched.
*Matched* firms get a push and confirm (an honest firm that is not eligible declines; some confirm
anyway) → payment a few working days later. *Data insufficient* (a criterion's field missing) →
``on_missing``: 快申快享 invites a short application, checked against the firm's real situation and
paid within ``kuaishen_limit_days`` (60) working days of the application; ``reject`` drops them;
``assume_pass`` treats them as matched. Days are working days of the sandbox calendar.
Random draws are made per policy and firm before any rule is applied, so changing a rule changes
only what the rule changes (a fair comparison of rules on one seed).
"""
from __future__ import annotations

import dataclasses
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import numpy as np

from ..base.ids import SYNTHETIC_MARK, mask_uscc
from ..base.population import build_population
from ..base.scenario import ScenarioError
from ..base.calendar import default_calendar
from .benefits_registry import FIELD_GROUPS, FIELD_LABELS, REGISTRY_FIELDS, RegistryRecord, draw_world

__all__ = ["OPS", "ON_MISSING", "ROUTES", "Criterion", "Policy", "BenefitsScenario", "BenefitCase", "BenefitsRun",
           "load_policies", "default_policies", "match", "match_sets", "explain", "rounds", "with_criteria", "build_registry",
           "simulate_benefits", "scenario_from_dict", "benefits_summary", "benefits_paid", "benefits_paid_for", "case_rows",
           "POLICY_FILE", "ScenarioError"]

POLICY_FILE = Path(__file__).resolve().parents[1] / "data" / "platform" / "benefits_policies.toml"
OPS = (">=", "<=", ">", "<", "==", "!=", "in", "not_in")
ON_MISSING = ("快申快享", "reject", "assume_pass")
ROUTES = ("免申即享", "快申快享")
MATCH, NO, INSUFFICIENT = "符合", "不符合", "数据不全"


@dataclass(frozen=True)
class Criterion:
    field: str
    op: str
    value: Any

    def holds(self, x: Any) -> bool:
        v, op = self.value, self.op
        if op == "in":
            return x in v
        if op == "not_in":
            return x not in v
        return {">=": x >= v, "<=": x <= v, ">": x > v, "<": x < v, "==": x == v, "!=": x != v}[op]


@dataclass(frozen=True)
class Policy:
    code: str
    name: str
    department: str
    match_date: date
    criteria: tuple[Criterion, ...]
    on_missing: str = "快申快享"
    amount_field: str = ""
    amount_rate: float = 0.0
    amount_fixed: float = 0.0
    amount_cap: float = 0.0

    def amount(self, values: Mapping[str, Any]) -> float:
        base = self.amount_fixed
        if self.amount_field:
            base += float(values.get(self.amount_field) or 0) * self.amount_rate
        return round(min(base, self.amount_cap) if self.amount_cap > 0 else base, 2)


# ---- policy loading and validation ---------------------------------------------------------------
def _criterion(raw: Any, where: str) -> Criterion:
    if not isinstance(raw, Mapping) or set(raw) != {"field", "op", "value"}:
        raise ScenarioError(where, "条件应写成 {field, op, value} 三项")
    fld, op, value = raw["field"], raw["op"], raw["value"]
    if fld not in REGISTRY_FIELDS:
        raise ScenarioError(f"{where}.field", f"登记库没有字段 {fld!r}；可选：{'、'.join(REGISTRY_FIELDS)}")
    if op not in OPS:
        raise ScenarioError(f"{where}.op", f"比较符 {op!r} 无效；可选：{' '.join(OPS)}")
    if op in ("in", "not_in"):
        if not isinstance(value, (list, tuple)) or not value:
            raise ScenarioError(f"{where}.value", "in / not_in 的取值应为非空列表")
        value = tuple(value)
    elif op in (">=", "<=", ">", "<") and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ScenarioError(f"{where}.value", f"比较符 {op} 需要数值，而不是 {value!r}")
    return Criterion(fld, op, value)


def _date(raw: Any, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ScenarioError(where, f"日期应写成 YYYY-MM-DD，而不是 {raw!r}") from None


def _num(raw: Mapping, key: str, where: str, default: float = 0.0) -> float:
    v = raw.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        raise ScenarioError(f"{where}.{key}", f"应为非负数，而不是 {v!r}")
    return float(v)


def _policy(raw: Any, where: str) -> Policy:
    allowed = {"code", "name", "department", "match_date", "criteria", "on_missing", "amount_field",
               "amount_rate", "amount_fixed", "amount_cap"}
    if not isinstance(raw, Mapping):
        raise ScenarioError(where, "政策应为一张表")
    unknown = set(raw) - allowed
    if unknown:
        raise ScenarioError(f"{where}.{sorted(unknown)[0]}", "未知字段")
    for key in ("code", "name", "department"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ScenarioError(f"{where}.{key}", "不能为空")
    crits = raw.get("criteria")
    if not isinstance(crits, (list, tuple)) or not crits:
        raise ScenarioError(f"{where}.criteria", "至少要有一个条件")
    on_missing = raw.get("on_missing", "快申快享")
    if on_missing not in ON_MISSING:
        raise ScenarioError(f"{where}.on_missing", f"应为 {'、'.join(ON_MISSING)} 之一")
    amount_field = raw.get("amount_field", "")
    if amount_field and amount_field not in REGISTRY_FIELDS:
        raise ScenarioError(f"{where}.amount_field", f"登记库没有字段 {amount_field!r}")
    return Policy(raw["code"], raw["name"], raw["department"], _date(raw.get("match_date"), f"{where}.match_date"),
                  tuple(_criterion(c, f"{where}.criteria[{j}]") for j, c in enumerate(crits)), on_missing,
                  amount_field, _num(raw, "amount_rate", where), _num(raw, "amount_fixed", where),
                  _num(raw, "amount_cap", where))


def load_policies(source: str | Path | Mapping) -> tuple[Policy, ...]:
    """Policies from a TOML file, TOML text or a dict with a ``policies`` list (validated)."""
    if isinstance(source, Mapping):
        data = source
    else:
        text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ScenarioError("policies", f"TOML 格式错误：{e}") from None
    raw = data.get("policies")
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ScenarioError("policies", "至少要有一项政策")
    out = tuple(_policy(p, f"policies[{i}]") for i, p in enumerate(raw))
    codes = [p.code for p in out]
    if len(set(codes)) != len(codes):
        raise ScenarioError("policies", "政策编码重复")
    return out


@lru_cache(maxsize=1)
def default_policies() -> tuple[Policy, ...]:
    """The shipped policies (read once; the files are package data, not run-time I/O of the engine)."""
    return load_policies(POLICY_FILE)


# ---- scenario ------------------------------------------------------------------------------------
def _frozen(d: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class BenefitsScenario:
    start: date = date(2024, 1, 1)
    days: int = 366
    population_seed: int = 42
    citizens: int = 20_000
    firms: int = 3_000
    policies: tuple[Policy, ...] = field(default_factory=default_policies)
    # Per department: share of firms whose data never arrived / share of values that are wrong.
    p_missing: Mapping[str, float] = field(default_factory=lambda: _frozen(
        {"市场监管": 0.0, "人社": 0.08, "税务": 0.1, "金融": 0.15, "信用": 0.02}))
    p_error: Mapping[str, float] = field(default_factory=lambda: _frozen(
        {"市场监管": 0.0, "人社": 0.06, "税务": 0.05, "金融": 0.04, "信用": 0.03}))
    p_confirm: float = 0.93  # an eligible firm confirms the push
    p_false_confirm: float = 0.3  # a firm that is not eligible confirms anyway (did not read the terms)
    confirm_days: tuple[int, int] = (1, 10)  # working days from push to confirmation
    pay_days: tuple[int, int] = (2, 8)  # working days from confirmation (or approval) to payment
    p_apply: float = 0.75  # 快申快享: an eligible firm invited to apply does so
    p_apply_ineligible: float = 0.15
    apply_days: tuple[int, int] = (3, 25)  # working days from invitation to application
    review_days: tuple[int, int] = (5, 30)  # working days from application to approval
    kuaishen_limit_days: int = 60  # 快申快享: paid within this many working days of the application

    def __post_init__(self) -> None:
        _validate(self)

    def evolve(self, **changes: Any) -> "BenefitsScenario":
        """A new validated scenario with the changes (the lever a trainee pulls)."""
        for k in ("p_missing", "p_error"):
            if k in changes:
                changes[k] = _frozen({**getattr(self, k), **changes[k]})
        try:
            return dataclasses.replace(self, **changes)
        except TypeError as e:
            raise ScenarioError("benefits", f"未知参数：{e}") from None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)


def _check_range(name: str, value: Any, lo: float, hi: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ScenarioError(f"benefits.{name}", f"应在 {lo} 到 {hi} 之间，而不是 {value!r}")


def _validate(s: BenefitsScenario) -> None:
    if not isinstance(s.start, date):
        raise ScenarioError("benefits.start", "应为日期")
    _check_range("days", s.days, 1, 3660)
    _check_range("citizens", s.citizens, 1, 2_000_000)
    _check_range("firms", s.firms, 1, 500_000)
    for name in ("p_confirm", "p_false_confirm", "p_apply", "p_apply_ineligible"):
        _check_range(name, getattr(s, name), 0.0, 1.0)
    for name in ("p_missing", "p_error"):
        for group, p in getattr(s, name).items():
            if group not in FIELD_GROUPS:
                raise ScenarioError(f"benefits.{name}.{group}", f"没有这个数据来源；可选：{'、'.join(FIELD_GROUPS)}")
            _check_range(f"{name}.{group}", p, 0.0, 1.0)
    for name in ("confirm_days", "pay_days", "apply_days", "review_days"):
        lo_hi = getattr(s, name)
        if len(lo_hi) != 2 or not all(isinstance(x, int) and x >= 0 for x in lo_hi) or lo_hi[0] > lo_hi[1]:
            raise ScenarioError(f"benefits.{name}", f"应为 [下限, 上限] 两个非负整数，而不是 {lo_hi!r}")
    _check_range("kuaishen_limit_days", s.kuaishen_limit_days, 1, 60)
    if s.review_days[1] + s.pay_days[1] > s.kuaishen_limit_days:
        raise ScenarioError("benefits.review_days",
                            f"审核上限 {s.review_days[1]} + 发放上限 {s.pay_days[1]} 个工作日超过快申快享时限 "
                            f"{s.kuaishen_limit_days} 个工作日")
    if not s.policies or not all(isinstance(p, Policy) for p in s.policies):
        raise ScenarioError("benefits.policies", "至少要有一项政策")


def scenario_from_dict(d: Mapping[str, Any]) -> BenefitsScenario:
    """A validated scenario from plain data (a TOML ``[benefits]`` section); errors name the field."""
    if not isinstance(d, Mapping):
        raise ScenarioError("benefits", "应为一张表")
    names = {f.name for f in dataclasses.fields(BenefitsScenario)}
    kw: dict[str, Any] = {}
    for k, v in d.items():
        if k not in names:
            raise ScenarioError(f"benefits.{k}", f"未知参数；可选：{'、'.join(sorted(names))}")
        if k == "start":
            v = _date(v, "benefits.start")
        elif k == "policies":
            v = load_policies({"policies": v})
        elif k in ("p_missing", "p_error"):
            if not isinstance(v, Mapping):
                raise ScenarioError(f"benefits.{k}", "应为 数据来源 → 比例 的表")
            v = _frozen({**getattr(BenefitsScenario(), k), **v})  # named sources change, the rest keep defaults
        elif isinstance(v, list):
            v = tuple(v)
        kw[k] = v
    return BenefitsScenario(**kw)


def with_criteria(scenario: BenefitsScenario, code: str, criteria: Iterable[Criterion | Mapping],
                  **policy_changes: Any) -> BenefitsScenario:
    """The scenario with one policy's matching rule replaced (criteria as Criterion or dicts)."""
    crits = tuple(c if isinstance(c, Criterion) else _criterion(c, f"{code}.criteria[{j}]")
                  for j, c in enumerate(criteria))
    if not crits:
        raise ScenarioError(f"{code}.criteria", "至少要有一个条件")
    if code not in {p.code for p in scenario.policies}:
        raise ScenarioError("policies", f"没有政策 {code!r}")
    if policy_changes.get("on_missing", "快申快享") not in ON_MISSING:
        raise ScenarioError(f"{code}.on_missing", f"应为 {'、'.join(ON_MISSING)} 之一")
    new = tuple(dataclasses.replace(p, criteria=crits, **policy_changes) if p.code == code else p
                for p in scenario.policies)
    return scenario.evolve(policies=new)


# ---- matching ------------------------------------------------------------------------------------
def match(policy: Policy, values: Mapping[str, Any]) -> str:
    """符合 / 不符合 / 数据不全: a known failing criterion wins over a missing one."""
    unknown = False
    for c in policy.criteria:
        x = values.get(c.field)
        if x is None:
            unknown = True
        elif not c.holds(x):
            return NO
    return INSUFFICIENT if unknown else MATCH


_OP_WORDS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "==": "等于", "!=": "不等于", "in": "属于",
             "not_in": "不属于"}


def explain(policy: Policy, record: RegistryRecord) -> list[dict[str, Any]]:
    """Why a firm matched or not, criterion by criterion (for the officer who answers the firm's call)."""
    def show(v: Any) -> str:
        if isinstance(v, bool):
            return "是" if v else "否"
        return "、".join(map(str, v)) if isinstance(v, tuple) else str(v)

    rows = []
    for c in policy.criteria:
        x = record.values.get(c.field)
        verdict = "数据缺失" if x is None else ("满足" if c.holds(x) else "不满足")
        rows.append({"数据标识": SYNTHETIC_MARK, "条件": f"{FIELD_LABELS[c.field]}{_OP_WORDS[c.op]}{show(c.value)}",
                     "登记库数值": "未共享" if x is None else show(x), "判断": verdict})
    return rows


def match_sets(policy: Policy, records: Iterable[RegistryRecord]) -> dict[str, frozenset[int]]:
    """Firm ids per verdict (符合, 不符合, 数据不全) for one policy over the registry."""
    out: dict[str, set[int]] = {MATCH: set(), NO: set(), INSUFFICIENT: set()}
    for r in records:
        out[match(policy, r.values)].add(r.fid)
    return {k: frozenset(v) for k, v in out.items()}


def _world(scenario: BenefitsScenario, seed: int):
    pop = build_population(scenario.population_seed, scenario.citizens, scenario.firms)
    return draw_world(pop.firms, seed, scenario.p_missing, scenario.p_error)


def build_registry(scenario: BenefitsScenario, seed: int) -> tuple[RegistryRecord, ...]:
    """The trainee-facing registry (no ground truth in it)."""
    return _world(scenario, seed)[1]


# ---- simulation ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BenefitCase:
    """One firm contacted for one policy. Dates are None where the step did not happen."""
    policy: str
    fid: int
    name: str
    uscc: str
    route: str  # 免申即享 (matched and pushed) / 快申快享 (invited to apply)
    missing: tuple[str, ...]  # registry fields that were missing (快申快享)
    notified: date
    confirmed: date | None
    applied: date | None
    paid: date | None
    amount: float  # yuan paid, 0 when not paid


@dataclass(frozen=True)
class BenefitsRun:
    scenario: BenefitsScenario
    seed: int
    cases: tuple[BenefitCase, ...]
    firms: int

    def __len__(self) -> int:
        return len(self.cases)


def _uniform_days(u: float, lo_hi: tuple[int, int]) -> int:
    lo, hi = lo_hi
    return lo + min(int(u * (hi - lo + 1)), hi - lo)


def _policy_draws(seed: int, code: str, year: int, n: int) -> np.ndarray:
    """Six uniforms per firm for one policy round, drawn before any rule is applied."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xB3E, zlib.crc32(code.encode()), year]))
    return rng.random((n, 6))


def rounds(policy: Policy, start: date, end: date) -> list[date]:
    """The policy's match days in [start, end]: its ``match_date`` and the same day of later or
    earlier years (a policy is matched once a year; 29 February falls back to the 28th)."""
    out = []
    for year in range(start.year, end.year + 1):
        try:
            d = policy.match_date.replace(year=year)
        except ValueError:
            d = date(year, 2, 28)
        if start <= d <= end:
            out.append(d)
    return out


def _case(s: BenefitsScenario, p: Policy, day0: date, rec: RegistryRecord, truth: Mapping[str, Any], verdict: str,
          u: np.ndarray) -> BenefitCase | None:
    cal = default_calendar(True)
    eligible = match(p, truth) == MATCH
    if verdict == MATCH or (verdict == INSUFFICIENT and p.on_missing == "assume_pass"):
        confirmed = paid = None
        if u[0] < (s.p_confirm if eligible else s.p_false_confirm):
            confirmed = cal.add_working_days(day0, _uniform_days(u[1], s.confirm_days))
            paid = cal.add_working_days(confirmed, _uniform_days(u[2], s.pay_days))
        amount = p.amount(rec.values) if paid else 0.0
        return BenefitCase(p.code, rec.fid, rec.name, rec.uscc, "免申即享", rec.missing(), day0, confirmed, None,
                           paid, amount)
    if verdict == INSUFFICIENT and p.on_missing == "快申快享":
        applied = paid = None
        if u[3] < (s.p_apply if eligible else s.p_apply_ineligible):
            applied = cal.add_working_days(day0, _uniform_days(u[4], s.apply_days))
            if eligible:  # the review checks the firm's real figures (supplied with the application)
                approved = cal.add_working_days(applied, _uniform_days(u[5], s.review_days))
                paid = cal.add_working_days(approved, _uniform_days(u[2], s.pay_days))
        amount = p.amount(truth) if paid else 0.0
        return BenefitCase(p.code, rec.fid, rec.name, rec.uscc, "快申快享", rec.missing(), day0, None, applied,
                           paid, amount)
    return None


def simulate_benefits(scenario: BenefitsScenario, seed: int) -> BenefitsRun:
    """Every policy round in the span (:func:`rounds`): match, push, confirm, pay; 快申快享 where needed.

    The firms' figures are those of the population's reference date in every round (a simplification:
    firms do not age between rounds)."""
    facts, records = _world(scenario, seed)
    cal = default_calendar(True)
    cases: list[BenefitCase] = []
    for p in scenario.policies:
        for day in rounds(p, scenario.start, scenario.end):
            draws = _policy_draws(seed, p.code, day.year, len(records))
            day0 = cal.next_working_day(day)
            for i, (rec, fact) in enumerate(zip(records, facts)):
                c = _case(scenario, p, day0, rec, fact.values, match(p, rec.values), draws[i])
                if c is not None:
                    cases.append(c)
    return BenefitsRun(scenario, seed, tuple(cases), len(records))


# ---- metrics (plain functions) -------------------------------------------------------------------
def _paid_in_span(run: BenefitsRun) -> list[BenefitCase]:
    return [c for c in run.cases if c.paid is not None and c.paid <= run.scenario.end]


def benefits_paid(run: BenefitsRun) -> int:
    """Payments made within the run's span: the platform summary's ``benefits_paid``."""
    return len(_paid_in_span(run))


def benefits_paid_for(seed: int, start: date, days: int, scenario: BenefitsScenario | None = None) -> int:
    """``benefits_paid`` of a fresh run over [start, start + days): one call for the platform CLI."""
    s = (scenario or BenefitsScenario()).evolve(start=start, days=days)
    return benefits_paid(simulate_benefits(s, seed))


def benefits_summary(run: BenefitsRun) -> dict[str, Any]:
    """Figures a platform operator sees (no ground truth): pushes, confirmations, payments, days."""
    cal = default_calendar(True)
    paid = _paid_in_span(run)
    pushed = [c for c in run.cases if c.route == "免申即享"]
    quick = [c for c in run.cases if c.route == "快申快享"]
    days = [cal.working_days_between(c.notified, c.paid) for c in paid]
    return {
        "data_mark": SYNTHETIC_MARK,
        "firms": run.firms,
        "pushed": len(pushed),
        "confirmed": sum(c.confirmed is not None for c in pushed),
        "kuaishen_invited": len(quick),
        "kuaishen_applied": sum(c.applied is not None for c in quick),
        "benefits_paid": len(paid),
        "benefits_paid_yuan": round(sum(c.amount for c in paid), 2),
        "no_application_share": round(sum(c.route == "免申即享" for c in paid) / len(paid), 4) if paid else 0.0,
        "mean_days_to_benefit": round(float(np.mean(days)), 2) if days else 0.0,
    }


def case_rows(run: BenefitsRun, limit: int | None = None) -> list[dict[str, Any]]:
    """Display rows with masked credit codes and the 合成数据 mark."""
    names = {p.code: p.name for p in run.scenario.policies}
    return [{"数据标识": SYNTHETIC_MARK, "政策": names[c.policy], "企业名称": c.name, "统一社会信用代码": mask_uscc(c.uscc),
             "方式": c.route, "推送/告知": c.notified.isoformat(),
             "确认": c.confirmed.isoformat() if c.confirmed else "", "申报": c.applied.isoformat() if c.applied else "",
             "兑付": c.paid.isoformat() if c.paid else "", "金额（元）": c.amount}
            for c in run.cases[:limit]]
