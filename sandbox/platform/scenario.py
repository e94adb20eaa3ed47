"""The frozen, validated description of the province's integrated online platform (省一体化政务服务平台).

Same shape as the hall's :mod:`sandbox.hall.scenario`: a :class:`PlatformScenario` is built by
:func:`from_dict` (defaults filled, types and ranges checked), immutable afterwards, and every lever
goes through :meth:`PlatformScenario.evolve`. Errors are :class:`ScenarioError` (a subclass of the
hall's, so the CLI and notebooks handle both alike) and name the field, e.g. ``migration.p_duplicate``.

The platform lives on the same city as the halls: ``hall_scenario`` names the hall scenario whose
population, catalogue, calendar and online demand it shares (the hall's online cases *are* the
platform's 全程网办 applications — see sandbox/platform/README.md, reconciliation).
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from sandbox.base.scenario import ScenarioError as HallScenarioError
from sandbox.base.scenario import build_dataclass
from sandbox.hall.scenario import load_scenario as load_hall_scenario

__all__ = ["ScenarioError", "PlatformScenario", "Identity", "Migration", "Applications", "Licences", "Guides",
           "from_dict", "to_dict", "load_platform_scenario", "default_platform_scenario", "platform_scenario_names",
           "PLATFORM_SCENARIO_DIR", "LEVELS", "LEGACY_SYSTEMS", "DRIFT_FIELDS"]

PLATFORM_SCENARIO_DIR = Path(__file__).resolve().parent.parent / "data" / "platform"
LEVELS = ("一级（注册）", "二级（实名核验）", "三级（人脸或窗口核验）")
# Departments whose own systems hold user accounts to migrate (task 10).
LEGACY_SYSTEMS = ("公安", "人社", "医保", "住房公积金", "市场监管", "税务")
# Guide fields a drift may change in one place only (线上线下同源, task 5).
DRIFT_FIELDS = ("materials", "promised_days", "fee_yuan", "visits", "conditions")


class ScenarioError(HallScenarioError):
    """A platform scenario value is missing, of the wrong type or out of range; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.args = (f"平台场景参数 {field}: {message}",)

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Identity:
    registered_share: float = 0.55  # share of citizens holding an account at the start
    daily_registrations: float = 0.0004  # new accounts a day, as a share of citizens without one
    level_shares: tuple[float, float, float] = (0.15, 0.6, 0.25)  # 一级/二级/三级 among accounts
    agents_per_firm: tuple[int, int] = (0, 2)  # authorised agents (经办人) besides the legal representative
    p_firm_account: float = 0.7  # share of firms with a legal-person account
    p_active_day: float = 0.01  # a registered user logs in on a given day without filing anything


@dataclass(frozen=True)
class Migration:
    systems: tuple[str, ...] = LEGACY_SYSTEMS
    people_per_system: int = 400  # people each legacy system holds (they overlap across systems)
    p_duplicate: float = 0.08  # a second record of the same person in the same system
    p_name_typo: float = 0.05  # one character of the name mistyped (形近字/同音字)
    p_bad_check: float = 0.03  # last character of the ID number wrong
    p_stale_mobile: float = 0.15  # mobile no longer the person's
    p_region_rewrite: float = 0.04  # legacy system rewrote the ID with the new region code
    p_nobody: float = 0.01  # test or junk records that are no person at all


@dataclass(frozen=True)
class Applications:
    prefile_share: float = 0.2  # of hall demand for items not fully online: filed online first (网上申报)
    prereview_hours: tuple[float, float] = (0.5, 16.0)  # 预审 within (working hours, drawn uniformly)
    correction_days: int = 20  # 补正 not answered within this many working days closes as 不予受理
    p_not_eligible: float = 0.01  # 预审 finds the conditions not met: 不予受理 (final)
    p_rate: float = 0.45  # share of completed applications rated online (一事一评)
    p_staff_ask_paper: float = 0.12  # staff ask for paper although the licence is held electronically


@dataclass(frozen=True)
class Licences:
    holding_share: float = 0.6  # share of a licence type's eligible people who hold it electronically
    p_expired: float = 0.05  # held but past validity
    p_revoked: float = 0.01  # held but 注销/吊销
    cross_region: bool = True  # licences issued in another province are recognised (全国互认)
    p_issued_elsewhere: float = 0.08  # of holdings by people working in another province


@dataclass(frozen=True)
class Guides:
    drift_items: int = 0  # items whose online and hall guides disagree (a field changed in one place)
    drift_fields: tuple[str, ...] = DRIFT_FIELDS


@dataclass(frozen=True)
class PlatformScenario:
    name: str = "platform_baseline"
    title: str = "省一体化平台（基线）"
    description: str = ""
    start_date: date = date(2024, 1, 1)
    hall_scenario: str = "baseline"  # the hall scenario whose city and online demand this platform shares
    identity: Identity = Identity()
    migration: Migration = Migration()
    applications: Applications = Applications()
    licences: Licences = Licences()
    guides: Guides = Guides()

    def evolve(self, changes: Mapping[str, Any] | None = None, **top: Any) -> "PlatformScenario":
        """A new validated scenario; keys are dotted paths (``"licences.cross_region"``) or top-level names."""
        data = to_dict(self)
        for key, value in {**(changes or {}), **top}.items():
            parts = key.split(".")
            cur = data
            for p in parts[:-1]:
                if not isinstance(cur.get(p), dict):
                    raise ScenarioError(key, "没有这个参数")
                cur = cur[p]
            if parts[-1] not in cur:
                raise ScenarioError(key, "没有这个参数")
            cur[parts[-1]] = value
        return from_dict(data)

    def hall(self):
        """The hall scenario this platform shares its city with."""
        return load_hall_scenario(self.hall_scenario)


# ---- dict <-> dataclass ----------------------------------------------------------------------------
def to_dict(s: Any) -> dict:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(s):
        v = getattr(s, f.name)
        out[f.name] = to_dict(v) if dataclasses.is_dataclass(v) else (list(v) if isinstance(v, tuple) else v)
    return out


def _share(where: str, v: float) -> None:
    if not 0.0 <= v <= 1.0:
        raise ScenarioError(where, f"应在 0 到 1 之间，而不是 {v}")


def _validate(s: PlatformScenario) -> None:
    for part in ("identity", "migration", "applications", "licences"):
        obj = getattr(s, part)
        for f in dataclasses.fields(obj):
            if f.name.startswith("p_") or f.name.endswith("_share"):
                _share(f"{part}.{f.name}", getattr(obj, f.name))
    i = s.identity
    if abs(sum(i.level_shares) - 1.0) > 1e-6 or min(i.level_shares) < 0:
        raise ScenarioError("identity.level_shares", f"三个级别的占比应非负且合计为 1，而不是 {list(i.level_shares)}")
    if not 0 <= i.agents_per_firm[0] <= i.agents_per_firm[1] <= 10:
        raise ScenarioError("identity.agents_per_firm", "应为 [下限, 上限]，0 ≤ 下限 ≤ 上限 ≤ 10")
    _share("identity.daily_registrations", i.daily_registrations)
    m = s.migration
    unknown = [x for x in m.systems if x not in LEGACY_SYSTEMS]
    if unknown or not m.systems or len(set(m.systems)) != len(m.systems):
        raise ScenarioError("migration.systems", f"应为不重复的部门系统，取自 {'、'.join(LEGACY_SYSTEMS)}")
    if not 1 <= m.people_per_system <= 200_000:
        raise ScenarioError("migration.people_per_system", f"应在 1 到 200000 之间，而不是 {m.people_per_system}")
    lo, hi = s.applications.prereview_hours
    if not 0 <= lo <= hi <= 24 * 20:
        raise ScenarioError("applications.prereview_hours", "应为 [下限, 上限] 小时，0 ≤ 下限 ≤ 上限 ≤ 480")
    if not 1 <= s.applications.correction_days <= 60:
        raise ScenarioError("applications.correction_days", "应在 1 到 60 个工作日之间")
    if s.guides.drift_items < 0:
        raise ScenarioError("guides.drift_items", "不能为负数")
    bad = [x for x in s.guides.drift_fields if x not in DRIFT_FIELDS]
    if bad or not s.guides.drift_fields:
        raise ScenarioError("guides.drift_fields", f"可选字段：{'、'.join(DRIFT_FIELDS)}，而不是 {bad}")
    try:
        s.hall()
    except HallScenarioError as e:
        raise ScenarioError("hall_scenario", f"找不到大厅场景 {s.hall_scenario!r}（{e}）") from None


def from_dict(data: Mapping[str, Any]) -> PlatformScenario:
    """Build and validate a platform scenario from plain data (as read from TOML)."""
    s = build_dataclass(PlatformScenario, dict(data), "", ScenarioError)
    _validate(s)
    return s


# ---- loading ---------------------------------------------------------------------------------------
def platform_scenario_names() -> list[str]:
    return sorted(p.stem for p in PLATFORM_SCENARIO_DIR.glob("*.toml"))


def load_platform_scenario(source: str | Path | Mapping[str, Any]) -> PlatformScenario:
    """A platform scenario from a TOML path, a shipped name (``baseline``, ``drift``) or a dict.

    A file may ``extends = "baseline"`` and list dotted overrides under ``[changes]``.
    """
    if isinstance(source, Mapping):
        return from_dict(source)
    path = Path(source)
    if not path.suffix and not path.exists():
        path = PLATFORM_SCENARIO_DIR / f"{source}.toml"
        if not path.exists():
            raise ScenarioError("scenario", f"没有名为 {source!r} 的平台场景；可用：{'、'.join(platform_scenario_names())}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ScenarioError("scenario", f"无法读取平台场景文件 {path}: {e.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ScenarioError("scenario", f"{path.name} 不是有效的 TOML: {e}") from None
    base = data.pop("extends", None)
    if base is None:
        return from_dict(data)
    changes = data.pop("changes", {})
    if not isinstance(changes, Mapping):
        raise ScenarioError("changes", "应为表（键 = 值）")
    top = {k: v for k, v in data.items() if not isinstance(v, Mapping)}
    return load_platform_scenario(base).evolve(dict(changes), **top)


def default_platform_scenario() -> PlatformScenario:
    return load_platform_scenario("baseline")
