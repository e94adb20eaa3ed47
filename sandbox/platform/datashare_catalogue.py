"""The 政务数据目录 with its 共享责任清单, the data-sharing scenario part, and data quality.

Split from :mod:`sandbox.platform.datashare` (which re-exports every name here) to keep modules small.
Operators see *measured* quality (a sample, :func:`measure_quality`); the true rates
(:func:`true_quality`, :func:`quality_truth`) are for the grader only.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from sandbox.base.ids import SYNTHETIC_MARK
from sandbox.platform.datashare_requests import SHARE_TYPES, ShareRules

__all__ = [
    "CYCLES", "OUTCOMES", "CATALOG_FILE", "DataShareScenarioError", "DataItem", "DataCatalogue",
    "parse_data_catalogue", "load_data_catalogue", "responsibility_list", "DataShareScenario", "datashare_scenario",
    "QualityReport", "true_quality", "measure_quality", "can_replace", "quality_truth",
]

CATALOG_FILE = Path(__file__).resolve().parent.parent / "data" / "platform" / "datashare_catalog.toml"
# Update cycle → days a copy may be old and still be current.
CYCLES = {"实时": 0, "每日": 1, "每周": 7, "每月": 31, "每季度": 92, "每年": 366}
# What happened to one government-issued material an application needed.
OUTCOMES = ("共享替代", "本部门数据", "纸质:未申请共享", "纸质:申请未开通", "纸质:不予共享", "纸质:质量不达标")


class DataShareScenarioError(ValueError):
    """A data-sharing scenario or catalogue value is wrong; ``field`` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(f"场景参数 datashare.{field_name}: {message}")


# ---- the catalogue --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataItem:
    code: str
    name: str
    department: str  # 数源部门 (provider)
    share_type: str
    update_cycle: str
    fields: tuple[str, ...]
    replaces: tuple[str, ...]  # catalogue material names
    condition: str = ""  # 有条件共享: the condition of use
    basis: str = ""  # 不予共享: the legal basis


@dataclass(frozen=True)
class DataCatalogue:
    items: tuple[DataItem, ...]

    def item(self, code: str) -> DataItem:
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(f"政务数据目录中没有数据项 {code!r}")

    def for_material(self, material: str) -> DataItem | None:
        for it in self.items:
            if material in it.replaces:
                return it
        return None


def _data_item(raw: Mapping[str, Any], i: int) -> DataItem:
    where = f"item[{i}]"
    for key in ("code", "name", "department", "share_type", "update_cycle", "fields", "replaces"):
        if key not in raw:
            raise DataShareScenarioError(f"{where}.{key}", "缺少此项")
    if raw["share_type"] not in SHARE_TYPES:
        raise DataShareScenarioError(f"{where}.share_type", f"应为 {'、'.join(SHARE_TYPES)} 之一")
    if raw["update_cycle"] not in CYCLES:
        raise DataShareScenarioError(f"{where}.update_cycle", f"应为 {'、'.join(CYCLES)} 之一")
    if raw["share_type"] == "不予共享" and not raw.get("basis"):
        raise DataShareScenarioError(f"{where}.basis", "不予共享的数据项须注明法律依据")
    if raw["share_type"] == "有条件共享" and not raw.get("condition"):
        raise DataShareScenarioError(f"{where}.condition", "有条件共享的数据项须注明共享条件")
    return DataItem(raw["code"], raw["name"], raw["department"], raw["share_type"], raw["update_cycle"],
                    tuple(raw["fields"]), tuple(raw["replaces"]), raw.get("condition", ""), raw.get("basis", ""))


def parse_data_catalogue(text: str) -> DataCatalogue:
    raw = tomllib.loads(text)
    items = tuple(_data_item(r, i) for i, r in enumerate(raw.get("item", [])))
    if not items:
        raise DataShareScenarioError("item", "政务数据目录为空")
    codes = [it.code for it in items]
    if len(set(codes)) != len(codes):
        raise DataShareScenarioError("item", "数据项编码重复")
    seen: dict[str, str] = {}
    for it in items:  # 一数一源: one material, one source
        for m in it.replaces:
            if m in seen:
                raise DataShareScenarioError(f"{it.code}.replaces", f"材料 {m!r} 已由 {seen[m]} 提供（一数一源）")
            seen[m] = it.code
    return DataCatalogue(items)


@lru_cache(maxsize=4)
def load_data_catalogue(path: Path | str = CATALOG_FILE) -> DataCatalogue:
    return parse_data_catalogue(Path(path).read_text(encoding="utf-8"))


def responsibility_list(cat: DataCatalogue) -> tuple[dict[str, str], ...]:
    """共享责任清单: one row per data item, for a table a trainee reads."""
    return tuple({"数据项编码": it.code, "数据项名称": it.name, "数源部门": it.department, "共享类型": it.share_type,
                  "更新周期": it.update_cycle, "共享条件或不予共享依据": it.condition or it.basis or "—",
                  "可替代材料": "、".join(it.replaces) or "—", "标注": SYNTHETIC_MARK} for it in cat.items)


# ---- scenario -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataShareScenario:
    rules: ShareRules = ShareRules()
    daily_applications: float = 3000.0  # applications per working day that need government-issued materials
    p_apply: float = 0.7  # a department applies for a 有条件共享 item its items need …
    apply_window_days: int = 120  # … within this many calendar days of the start
    p_reply_on_time: float = 0.85
    p_approve: float = 0.85
    p_escalate: float = 0.5  # a refused requester takes it to the 主管部门
    p_coordinate_approve: float = 0.7
    p_deliver_on_time: float = 0.9
    min_completeness: float = 0.98  # quality thresholds for replacing a paper material
    max_error_rate: float = 0.01
    grace_days: int = 1  # a copy may be this many days older than its cycle allows
    completeness_range: tuple[float, float] = (0.978, 1.0)  # true quality drawn per item
    error_rate_range: tuple[float, float] = (0.0, 0.0125)
    p_stale: float = 0.1  # an item whose provider has stopped updating it on time
    sample_size: int = 400  # records checked per item when quality is measured


_SHARES = ("p_apply", "p_reply_on_time", "p_approve", "p_escalate", "p_coordinate_approve", "p_deliver_on_time",
           "min_completeness", "max_error_rate", "p_stale")


def _range(name: str, v: Any) -> tuple[float, float]:
    if (not isinstance(v, (list, tuple)) or len(v) != 2 or any(isinstance(x, bool) or not isinstance(x, (int, float))
                                                                  for x in v) or not 0 <= v[0] <= v[1] <= 1):
        raise DataShareScenarioError(name, f"应为 [下限, 上限]，0 ≤ 下限 ≤ 上限 ≤ 1，而不是 {v!r}")
    return float(v[0]), float(v[1])


def _value(name: str, v: Any) -> Any:
    if name in ("completeness_range", "error_rate_range"):
        return _range(name, v)
    integer = name in ("apply_window_days", "grace_days", "sample_size")
    lo, hi = (0, 1) if name in _SHARES else ((1, 100_000) if name in ("apply_window_days", "sample_size")
                                              else (0, 1e7))
    ok = isinstance(v, int) if integer else isinstance(v, (int, float))
    if isinstance(v, bool) or not ok or not lo <= v <= hi:
        raise DataShareScenarioError(name, f"应为 {lo} 到 {hi} 之间的{'整数' if integer else '数'}，而不是 {v!r}")
    return v if integer else float(v)


def datashare_scenario(values: Mapping[str, Any] | None = None) -> DataShareScenario:
    """Fill defaults, check types and ranges; ``rules`` is a table of working-day limits."""
    values = dict(values or {})
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k not in DataShareScenario.__dataclass_fields__:
            raise DataShareScenarioError(k, "未知参数")
        if k == "rules":
            if not isinstance(v, Mapping) or set(v) - set(ShareRules.__dataclass_fields__):
                raise DataShareScenarioError("rules", "应为 reply_days、deliver_days、coordinate_days 的表")
            try:
                out[k] = ShareRules(**v)
            except ValueError as e:
                raise DataShareScenarioError("rules", str(e)) from None
        else:
            out[k] = _value(k, v)
    return DataShareScenario(**out)


# ---- quality --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QualityReport:
    """Measured quality of one data item on a day: what an operator sees."""
    item: str
    on: date
    last_update: date
    checked: int  # records sampled
    incomplete: int  # with a required field empty
    errors: int  # failing a check (check character, date, code list)

    @property
    def lag_days(self) -> int:
        return (self.on - self.last_update).days

    @property
    def completeness(self) -> float:
        return 1.0 - self.incomplete / self.checked if self.checked else 0.0

    @property
    def error_rate(self) -> float:
        return self.errors / self.checked if self.checked else 1.0


@dataclass(frozen=True)
class _TrueQuality:
    completeness: float
    error_rate: float
    lag_days: int


def true_quality(sc: DataShareScenario, cat: DataCatalogue, seed: int) -> dict[str, _TrueQuality]:
    """Grader side: the true rates per item (the operator only ever sees a sample)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xDA7A]))
    out = {}
    for it in cat.items:
        allowed = CYCLES[it.update_cycle] + sc.grace_days
        stale = rng.random() < sc.p_stale
        lag = allowed + int(rng.integers(1, 30)) if stale else int(rng.integers(0, allowed + 1))
        out[it.code] = _TrueQuality(float(rng.uniform(*sc.completeness_range)),
                                    float(rng.uniform(*sc.error_rate_range)), lag)
    return out


def measure_quality(sc: DataShareScenario, cat: DataCatalogue, seed: int, on: date) -> tuple[QualityReport, ...]:
    """What the platform's quality check finds on ``on``: a sample per item drawn from the true rates."""
    truth = true_quality(sc, cat, seed)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5A3F, on.toordinal()]))
    out = []
    for it in cat.items:
        q = truth[it.code]
        n = sc.sample_size
        out.append(QualityReport(it.code, on, on - timedelta(days=q.lag_days), n,
                                 int(rng.binomial(n, 1 - q.completeness)), int(rng.binomial(n, q.error_rate))))
    return tuple(out)


def can_replace(report: QualityReport, item: DataItem, sc: DataShareScenario) -> tuple[bool, tuple[str, ...]]:
    """May this shared item stand in for the paper material? With the reasons (Chinese) when not."""
    why = []
    if report.lag_days > CYCLES[item.update_cycle] + sc.grace_days:
        why.append(f"数据不及时：已 {report.lag_days} 天未更新（更新周期{item.update_cycle}）")
    if report.completeness < sc.min_completeness:
        why.append(f"数据不完整：完整率 {report.completeness:.1%}，低于 {sc.min_completeness:.0%}")
    if report.error_rate > sc.max_error_rate:
        why.append(f"数据差错：差错率 {report.error_rate:.1%}，高于 {sc.max_error_rate:.0%}")
    return not why, tuple(why)


def quality_truth(sc: DataShareScenario, cat: DataCatalogue, seed: int) -> dict[str, bool]:
    """Grader side: whether each item *truly* meets the thresholds (the sample may mislead)."""
    out = {}
    for code, q in true_quality(sc, cat, seed).items():
        allowed = CYCLES[cat.item(code).update_cycle] + sc.grace_days
        out[code] = q.lag_days <= allowed and q.completeness >= sc.min_completeness and q.error_rate <= sc.max_error_rate
    return out
