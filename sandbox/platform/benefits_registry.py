"""The firm registry behind 免申即享: what the departments' shared data say about each firm.

Every firm of the synthetic population (sandbox.base.population) gets *facts* — employees, insured staff,
unemployment-insurance months, lay-offs, new hires, revenue, a start-up guaranteed loan, credit —
drawn from one seeded generator, and a *registry record*: the same fields as the departments' data
exchange delivers them, with realistic gaps (a department's data for that firm never arrived:
个体工商户 are often absent from the 人社 data, the loan data come late) and errors (stale head counts,
a credit flag not yet cleared, a loan marked overdue after repayment). Matching runs on the registry;
the facts stay on the grader's side (benefits_truth.py). Everything is synthetic (合成数据).
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from ..base.ids import SYNTHETIC_MARK, mask_uscc
from ..base.population import Firm

__all__ = ["FIELD_GROUPS", "REGISTRY_FIELDS", "FIELD_LABELS", "FirmFacts", "RegistryRecord", "draw_world",
           "registry_rows"]

# Which department delivers each field; a gap removes a whole group for one firm.
FIELD_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "市场监管": ("kind", "industry", "county", "firm_age_years"),
    "人社": ("employees", "insured", "ui_months", "layoffs", "layoff_rate", "ui_paid_yuan", "new_hires"),
    "税务": ("revenue_wan",),
    "金融": ("startup_loan_yuan", "loan_overdue"),
    "信用": ("bad_credit",),
})
REGISTRY_FIELDS: tuple[str, ...] = tuple(f for fs in FIELD_GROUPS.values() for f in fs)
FIELD_LABELS: Mapping[str, str] = MappingProxyType({
    "kind": "市场主体类型", "industry": "行业", "county": "所在县区", "firm_age_years": "成立年限（年）",
    "employees": "从业人数", "insured": "参保人数", "ui_months": "连续缴纳失业保险（月）", "layoffs": "上年裁员人数",
    "layoff_rate": "上年裁员率", "ui_paid_yuan": "上年缴纳失业保险费（元）", "new_hires": "本年吸纳高校毕业生/登记失业人员",
    "revenue_wan": "上年营业收入（万元）", "startup_loan_yuan": "创业担保贷款余额（元）", "loan_overdue": "贷款是否逾期",
    "bad_credit": "是否列入严重失信名单",
})
_NUMERIC = ("firm_age_years", "employees", "insured", "ui_months", "layoffs", "ui_paid_yuan", "new_hires",
            "revenue_wan", "startup_loan_yuan")
_BOOLS = ("loan_overdue", "bad_credit")


@dataclass(frozen=True, slots=True)
class FirmFacts:
    """The truth about one firm (grader side only)."""
    fid: int
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RegistryRecord:
    """What the shared data say about one firm; ``None`` where a value never arrived."""
    fid: int
    name: str
    uscc: str
    values: Mapping[str, Any]

    def get(self, field: str) -> Any:
        return self.values.get(field)

    def missing(self) -> tuple[str, ...]:
        return tuple(f for f in REGISTRY_FIELDS if self.values.get(f) is None)


def _layoff_rate(layoffs: int, employees: int) -> float:
    return round(layoffs / max(employees + layoffs, 1), 4)


def _fact_columns(rng: np.random.Generator, firms: tuple[Firm, ...]) -> dict[str, np.ndarray]:
    """Plausible firm figures by kind, drawn in bulk (one generator, fixed draw order)."""
    n = len(firms)
    kind = np.array([f.kind for f in firms], dtype=object)
    solo, coop = kind == "个体工商户", kind == "农民专业合作社"
    age = np.minimum(rng.exponential(6.0, n), 30.0)
    emp = np.where(solo, rng.geometric(0.55, n) - 1,
                   np.where(coop, rng.integers(5, 41, n), np.clip(np.round(rng.lognormal(2.2, 0.9, n)), 1, 500)))
    emp = emp.astype(int)
    insured_share = np.where(solo, (rng.random(n) < 0.3) * rng.uniform(0.3, 1.0, n), rng.uniform(0.55, 1.0, n))
    insured = np.floor(emp * insured_share + 0.5).astype(int)
    ui_months = np.where(insured > 0, np.minimum(rng.integers(0, 121, n), np.floor(age * 12)), 0).astype(int)
    hit = rng.random(n) < 0.08  # a bad year: a few firms shed many staff
    layoffs = np.where(hit, rng.binomial(np.maximum(emp, 1), 0.2), rng.binomial(np.maximum(emp, 1), 0.01)).astype(int)
    wage = rng.uniform(3200, 5200, n)
    # 失业保险费率 1% (单位 0.5% + 个人 0.5%); 稳岗返还 returns a share of both (企业及其职工缴纳).
    ui_paid = np.round(insured * wage * 0.01 * 12, 0)
    new_hires = np.where(solo, 0, rng.poisson(0.05 * emp)).astype(int)
    revenue = np.where(solo, rng.uniform(5, 120, n), np.round(rng.lognormal(5.0, 1.2, n), 1))
    young = age <= 3
    has_loan = young & (rng.random(n) < 0.3)
    loan = np.where(has_loan, np.where(solo, rng.integers(5, 31, n) * 10_000, rng.integers(10, 201, n) * 10_000), 0)
    overdue = has_loan & (rng.random(n) < 0.06)
    bad_credit = rng.random(n) < 0.03
    return {"firm_age_years": np.round(age, 1), "employees": emp, "insured": insured, "ui_months": ui_months,
            "layoffs": layoffs, "ui_paid_yuan": ui_paid, "new_hires": new_hires, "revenue_wan": np.round(revenue, 1),
            "startup_loan_yuan": loan, "loan_overdue": overdue, "bad_credit": bad_credit}


def _facts(firms: tuple[Firm, ...], cols: Mapping[str, np.ndarray]) -> tuple[FirmFacts, ...]:
    out = []
    for i, f in enumerate(firms):
        v: dict[str, Any] = {"kind": f.kind, "industry": f.industry, "county": f.county}
        for k in _NUMERIC:
            v[k] = float(cols[k][i]) if k in ("firm_age_years", "revenue_wan") else int(cols[k][i])
        for k in _BOOLS:
            v[k] = bool(cols[k][i])
        v["layoff_rate"] = _layoff_rate(v["layoffs"], v["employees"])
        out.append(FirmFacts(f.fid, MappingProxyType(v)))
    return tuple(out)


def _garble(rng: np.random.Generator, v: dict[str, Any], field: str) -> None:
    """One realistic error: a stale count, a flag not yet updated."""
    if field in _BOOLS:
        v[field] = not v[field]
    elif field in ("firm_age_years", "revenue_wan", "ui_paid_yuan", "startup_loan_yuan"):
        v[field] = round(v[field] * float(rng.uniform(0.6, 1.4)), 1)
    elif field in ("kind", "industry", "county"):
        return  # registration data are authoritative
    else:  # counts: last year's figure
        v[field] = max(0, int(round(v[field] * float(rng.uniform(0.5, 1.5)) + rng.integers(-2, 3))))


def _record(rng: np.random.Generator, firm: Firm, facts: FirmFacts, p_missing: Mapping[str, float],
            p_error: Mapping[str, float]) -> RegistryRecord:
    v = dict(facts.values)
    solo = firm.kind == "个体工商户"
    for group, fields in FIELD_GROUPS.items():
        u_gap, u_err = rng.random(), rng.random(len(fields))
        # 个体工商户 are twice as often absent from the 人社 data (no employer account).
        gap = p_missing.get(group, 0.0) * (2.0 if (solo and group == "人社") else 1.0)
        if u_gap < min(gap, 1.0):
            for fld in fields:
                v[fld] = None
            continue
        for fld, u in zip(fields, u_err):
            if fld != "layoff_rate" and u < p_error.get(group, 0.0):
                _garble(rng, v, fld)
    if v["layoffs"] is not None and v["employees"] is not None:
        v["layoff_rate"] = _layoff_rate(v["layoffs"], v["employees"])
    return RegistryRecord(firm.fid, firm.name, firm.uscc, MappingProxyType(v))


def draw_world(firms: tuple[Firm, ...], seed: int, p_missing: Mapping[str, float],
               p_error: Mapping[str, float]) -> tuple[tuple[FirmFacts, ...], tuple[RegistryRecord, ...]]:
    """Facts and registry records of the firms, one generator each so gaps never move the facts."""
    fact_rng = np.random.default_rng(np.random.SeedSequence([seed, 0xFAC7]))
    facts = _facts(firms, _fact_columns(fact_rng, firms))
    reg_rng = np.random.default_rng(np.random.SeedSequence([seed, 0x4E61]))
    records = tuple(_record(reg_rng, f, x, p_missing, p_error) for f, x in zip(firms, facts))
    return facts, records


def registry_rows(records: tuple[RegistryRecord, ...], limit: int | None = None) -> list[dict[str, Any]]:
    """Display rows (Chinese labels, masked credit code, 合成数据 mark); ``未共享`` where data are missing."""
    rows = []
    for r in records[:limit]:
        row: dict[str, Any] = {"数据标识": SYNTHETIC_MARK, "企业名称": r.name, "统一社会信用代码": mask_uscc(r.uscc)}
        for f in REGISTRY_FIELDS:
            val = r.values.get(f)
            row[FIELD_LABELS[f]] = "未共享" if val is None else ({True: "是", False: "否"}.get(val, val)
                                                               if isinstance(val, bool) else val)
        rows.append(row)
    return rows
