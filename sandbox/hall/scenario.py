"""The frozen, validated description of what is simulated: halls, hours, demand, policies, behaviour.

A :class:`Scenario` is built by :func:`from_dict` (fills defaults, checks types and ranges) and is
immutable afterwards; every lever a trainer pulls goes through :meth:`Scenario.evolve`, which builds a
new validated scenario. Defaults come from DOMAIN.md §8 (calibration defaults, unconfirmed — hence all
of them are parameters). Errors are :class:`ScenarioError` and name the offending field, e.g.
``halls[2].windows.税务``. The TOML schema is documented in sandbox/README.md.
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from ..base.geography import COUNTY_BY_NAME
from ..base.scenario import FrozenMap, ScenarioError, build_dataclass

__all__ = [
    "BLOCKS", "WINDOW_KINDS", "SPECIAL_KINDS", "ScenarioError", "Scenario", "Demand", "Hours", "Policy",
    "Behaviour", "ServiceMinutes", "Ratings", "PopulationSpec", "HallSpec", "Validation",
    "from_dict", "to_dict", "load_scenario", "default_scenario", "stressed_scenario", "scenario_names",
    "SCENARIO_DIR",
]

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "data" / "scenarios"

# The nine service blocks of the city centre (same spelling as the catalog's ``block``).
BLOCKS = ("公安与车驾管", "市场主体登记", "税务", "住房公积金", "不动产登记", "企业开办", "工程建设项目审批",
          "综合审批", "社会保障")
# Window kinds beyond the blocks: one-window acceptance, assisted handling, cross-province, complaints.
SPECIAL_KINDS = ("综合窗口", "帮办代办", "跨省通办", "办不成事反映")
# Specialist kinds follow the catalog's window_kind (the blocks plus 医疗保障).
WINDOW_KINDS = BLOCKS + ("医疗保障",) + SPECIAL_KINDS


def _hm(value: str, where: str) -> int:
    """'09:30' → seconds after midnight."""
    try:
        h, m = value.split(":")
        s = int(h) * 3600 + int(m) * 60
    except (ValueError, AttributeError):
        raise ScenarioError(where, f"时间应写成 HH:MM，而不是 {value!r}") from None
    if not 0 <= s <= 24 * 3600:
        raise ScenarioError(where, f"时间 {value!r} 超出一天")
    return s


# ---- parts -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Demand:
    # New matters citywide on an ordinary working day, all channels. With repeat contacts, Monday and
    # month-edge peaks this gives ≈8,700 cases a working day and ≈2.2 M a year (DOMAIN §8).
    daily_cases: float = 7600.0
    online_share: float = 0.66  # share of demand handled online / at terminals / remotely (no queue)
    self_service_share: float = 0.15  # of the no-queue demand, share at self-service terminals
    online_weekend_factor: float = 0.2  # online demand on weekends and holidays, relative to a working day
    weekday_factors: tuple[float, ...] = (1.2, 1.0, 1.0, 1.0, 0.9, 0.45, 0.3)  # Mon..Sun (weekends if open)
    month_edge_days: int = 3  # first and last N calendar days of a month…
    month_edge_factor: float = 1.4  # …multiply demand for these blocks
    month_edge_blocks: tuple[str, ...] = ("社会保障", "住房公积金")
    spring_festival_days: int = 10  # working days before the Spring Festival holiday…
    spring_festival_factor: float = 1.25  # …multiply all demand
    # Relative arrival intensity per half hour starting at the given time (hall arrivals).
    hourly_profile: tuple[tuple[str, float], ...] = (
        ("08:30", 0.3), ("09:00", 0.9), ("09:30", 1.5), ("10:00", 1.6), ("10:30", 1.4), ("11:00", 0.9),
        ("11:30", 0.6), ("12:00", 0.3), ("12:30", 0.3), ("13:00", 0.3), ("13:30", 0.4), ("14:00", 0.9),
        ("14:30", 1.4), ("15:00", 1.5), ("15:30", 1.3), ("16:00", 0.9), ("16:30", 0.7), ("17:00", 0.4),
        ("17:30", 0.35), ("18:00", 0.3), ("18:30", 0.2))


@dataclass(frozen=True)
class Hours:
    weekday: tuple[tuple[str, str], ...] = (("09:00", "12:00"), ("14:00", "17:30"))
    extended_until: str = ""  # 延时: e.g. "19:00" extends the last session on weekdays
    lunch_open_share: float = 0.0  # 错峰: share of windows kept open over the lunch break
    saturday: tuple[tuple[str, str], ...] = ()  # 周末不打烊, e.g. (("09:00", "12:00"),)
    sunday: tuple[tuple[str, str], ...] = ()
    serve_after_close: bool = True  # people holding a number at closing are served (counted as 延时)


@dataclass(frozen=True)
class Policy:
    one_window: bool = True  # 一窗受理: windows of one_window_blocks pooled into 综合窗口
    one_window_blocks: tuple[str, ...] = ("市场主体登记", "企业开办", "综合审批", "工程建设项目审批", "不动产登记")
    green_channel: bool = True  # elderly and disabled called first (non-preemptive priority)
    rongque: bool = True  # 容缺受理
    pledge: bool = True  # 告知承诺
    bundles: bool = True  # 高效办成一件事
    cross_province: bool = True  # 跨省通办
    elicence_coverage: float = 0.3  # share of applicants whose e-licences replace the covered materials
    appointment_share: float = 0.15  # share of hall visits booked ahead (预约)
    appointment_slot_min: int = 30
    bundle_share: float = 0.02  # share of hall demand that is a life event covered by a bundle
    no_application_share: float = 0.0  # 免申即享: share of benefit (行政给付) demand paid after a data match


@dataclass(frozen=True)
class Behaviour:
    patience_min: tuple[float, float] = (30.0, 90.0)  # waiting time after which people leave (uniform)
    appointment_patience_factor: float = 1.5
    p_material_missing: float = 0.04  # per required material, chance it is missing or flawed
    p_missing_on_return: float = 0.005  # the same after a 一次性告知
    # Of those problems at a window, the share corrected on the spot (missing signature, incomplete form,
    # unclear copy, too few copies: 行政许可法 第三十二条 (三)); online they need a 补正.
    correctable_share: float = 0.35
    return_days: tuple[int, int] = (1, 5)  # working days until the applicant comes back
    # 补正 rounds after which a still incomplete application ends in 不予受理 (行政许可法 第三十二条).
    max_corrections: int = 2
    # First contacts outside the hall's competence or not subject to licensing: 不予受理 (第三十二条 (一)(二)).
    p_not_competent: float = 0.003
    p_return_after_abandon: float = 0.8
    pledge_uptake: float = 0.85  # applicants offered 告知承诺 who take it
    # Applicants with serious bad credit or an earlier false pledge: no 告知承诺, no 容缺 (国办发〔2020〕42号).
    p_dishonest: float = 0.01
    p_false_pledge: float = 0.02  # later check finds the pledge false
    pledge_check_days: int = 20
    rongque_supplement_days: int = 5  # deadline to supply what is missing (capped by the promised time)
    p_supplement_late: float = 0.05
    p_overdue: float = 0.02  # back office misses the promised time limit
    assisted_service_factor: float = 1.3  # elderly / no Mandarin: longer at the window
    cross_province_share: float = 0.5  # of demand from people working in another province, share via 跨省通办


@dataclass(frozen=True)
class ServiceMinutes:
    """Lognormal service times; each pair is the 5%–95% range in minutes."""
    quick: tuple[float, float] = (3.0, 8.0)
    typical: tuple[float, float] = (10.0, 20.0)
    complex: tuple[float, float] = (25.0, 45.0)
    bundle_factor: float = 0.6  # bundle at one window: this share of the summed item times


@dataclass(frozen=True)
class Ratings:
    p_rate_hall: float = 0.6  # 一次一评 at the window
    p_rate_online: float = 0.3  # 一事一评 online
    base: tuple[float, float, float, float, float] = (0.955, 0.03, 0.01, 0.004, 0.001)  # 非常满意..非常不满意
    wait_free_min: float = 20.0  # waits up to this are not held against the hall
    per_30min_wait: float = 0.8  # tilt towards worse levels per 30 min over wait_free_min
    repeat_visit: float = 0.7
    refused: float = 1.0
    abandoned: float = 2.5
    overdue: float = 1.2
    scale: float = 1.0  # training lever: multiplies every tilt (raise 差评 on purpose)


@dataclass(frozen=True)
class PopulationSpec:
    seed: int = 42
    citizens: int = 20_000
    firms: int = 3_000


@dataclass(frozen=True)
class HallSpec:
    name: str
    county: str  # where the hall is
    share: float  # share of the city's in-person demand
    local_share: float = 0.9  # share of its applicants living in its own county
    absent_share: float = 0.0  # 缺员: share of staff absent (windows closed)
    windows: Mapping[str, int] = field(default_factory=FrozenMap)  # window kind -> windows
    hours: Hours | None = None  # this hall's own opening hours; None = the scenario's [hours]

    def open_windows(self, kind: str) -> int:
        n = int(self.windows.get(kind, 0))
        if n == 0:
            return 0
        return max(1, int(round(n * (1.0 - self.absent_share))))


@dataclass(frozen=True)
class Validation:
    """M/M/c validation mode: one hall, one pool, no day boundaries, Poisson in, exponential service."""
    servers: int = 5
    load: float = 0.8  # rho = lambda / (c mu)
    service_mean_min: float = 10.0
    horizon_hours: float = 2000.0
    warmup_hours: float = 200.0


@dataclass(frozen=True)
class Scenario:
    name: str = "baseline"
    title: str = "常态（基线）"
    description: str = ""
    start_date: date = date(2024, 1, 1)
    mode: str = "hall"  # "hall" or "mmc" (validation)
    demand: Demand = Demand()
    hours: Hours = Hours()
    policy: Policy = Policy()
    behaviour: Behaviour = Behaviour()
    service_minutes: ServiceMinutes = ServiceMinutes()
    ratings: Ratings = Ratings()
    population: PopulationSpec = PopulationSpec()
    halls: tuple[HallSpec, ...] = ()
    validation: Validation = Validation()

    # -- levers ------------------------------------------------------------------------------------
    def evolve(self, changes: Mapping[str, Any] | None = None, **top: Any) -> "Scenario":
        """A new validated scenario with some values changed.

        Keys are dotted paths: ``"policy.green_channel"``, ``"demand.daily_cases"``,
        ``"halls.海东市政务服务中心.windows.综合窗口"`` (a hall by name or index), or top-level keywords.
        """
        data = to_dict(self)
        for key, value in {**(changes or {}), **top}.items():
            _set_path(data, key, value)
        return from_dict(data)

    def hall(self, name_or_index: str | int) -> HallSpec:
        return self.halls[self.hall_index(name_or_index)]

    def hall_index(self, name_or_index: str | int) -> int:
        if isinstance(name_or_index, int):
            if not 0 <= name_or_index < len(self.halls):
                raise KeyError(name_or_index)
            return name_or_index
        for i, h in enumerate(self.halls):
            if h.name == name_or_index or h.county == name_or_index:
                return i
        raise KeyError(f"场景中没有大厅 {name_or_index!r}")

    def only_hall(self, name_or_index: str | int) -> "Scenario":
        """The same scenario reduced to one hall (its in-person demand kept, online demand scaled)."""
        h = self.hall(name_or_index)
        total = sum(x.share for x in self.halls)
        data = to_dict(self)
        data["halls"] = [_hall_dict(h)]
        # Keep the hall's absolute in-person volume: the city's demand shrinks to this hall's part.
        data["demand"]["daily_cases"] = self.demand.daily_cases * h.share / total
        return from_dict(data)

    # -- derived -----------------------------------------------------------------------------------
    @property
    def total_windows(self) -> int:
        return sum(sum(h.windows.values()) for h in self.halls)


# ---- dict <-> dataclass ----------------------------------------------------------------------------
def _hall_dict(h: HallSpec) -> dict:
    d = {"name": h.name, "county": h.county, "share": h.share, "local_share": h.local_share,
         "absent_share": h.absent_share, "windows": dict(h.windows)}
    if h.hours is not None:
        d["hours"] = {g.name: _plain(getattr(h.hours, g.name)) for g in dataclasses.fields(h.hours)}
    return d


def to_dict(s: Scenario) -> dict:
    """Plain data (TOML-ready) for a scenario."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(s):
        v = getattr(s, f.name)
        if f.name == "halls":
            out["halls"] = [_hall_dict(h) for h in v]
        elif dataclasses.is_dataclass(v):
            out[f.name] = {g.name: _plain(getattr(v, g.name)) for g in dataclasses.fields(v)}
        else:
            out[f.name] = _plain(v)
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, Mapping):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _set_path(data: dict, key: str, value: Any) -> None:
    parts = key.split(".")
    cur: Any = data
    for i, p in enumerate(parts[:-1]):
        if isinstance(cur, list):
            cur = cur[_list_index(cur, p, ".".join(parts[:i + 1]))]
        elif p in cur:
            cur = cur[p]
        elif p == "windows" or (i > 0 and parts[i - 1] == "windows"):
            cur = cur.setdefault(p, {})
        elif p == "hours" and "windows" in cur:  # a hall's own hours start as a copy of the scenario's
            cur = cur.setdefault("hours", {k: v for k, v in data["hours"].items()})
        else:
            raise ScenarioError(key, "没有这个参数")
    last = parts[-1]
    if isinstance(cur, list):
        cur[_list_index(cur, last, key)] = value
    elif last in cur or (len(parts) > 1 and parts[-2] == "windows") or (last == "hours" and "windows" in cur):
        cur[last] = value
    else:
        raise ScenarioError(key, "没有这个参数")


def _list_index(items: list, token: str, where: str) -> int:
    if token.isdigit():
        return int(token)
    for i, x in enumerate(items):
        if isinstance(x, dict) and token in (x.get("name"), x.get("county")):
            return i
    raise ScenarioError(where, f"没有名为 {token!r} 的大厅")


def from_dict(data: Mapping[str, Any]) -> Scenario:
    """Build and validate a scenario from plain data (as read from TOML)."""
    data = dict(data)
    halls = data.pop("halls", None)
    s = build_dataclass(Scenario, data, "")
    if halls is not None:
        if not isinstance(halls, (list, tuple)):
            raise ScenarioError("halls", "应为大厅列表 [[halls]]")
        hs = tuple(build_dataclass(HallSpec, h, f"halls[{i}]") for i, h in enumerate(halls))
        s = dataclasses.replace(s, halls=hs)
    _validate(s)
    return s


# ---- semantic checks -------------------------------------------------------------------------------
def _rng(where: str, v: float, lo: float, hi: float) -> None:
    if not lo <= v <= hi:
        raise ScenarioError(where, f"应在 {lo} 到 {hi} 之间，而不是 {v}")


def _sessions(where: str, sessions: tuple[tuple[str, str], ...]) -> None:
    last = -1
    for i, (a, b) in enumerate(sessions):
        sa, sb = _hm(a, f"{where}[{i}][0]"), _hm(b, f"{where}[{i}][1]")
        if sb <= sa:
            raise ScenarioError(f"{where}[{i}]", f"结束 {b} 应晚于开始 {a}")
        if sa < last:
            raise ScenarioError(f"{where}[{i}]", "时段应按时间先后排列且不重叠")
        last = sb


def _check_hours(where: str, h: Hours) -> None:
    if not h.weekday:
        raise ScenarioError(f"{where}.weekday", "工作日至少要有一个办公时段")
    _sessions(f"{where}.weekday", h.weekday)
    _sessions(f"{where}.saturday", h.saturday)
    _sessions(f"{where}.sunday", h.sunday)
    if h.extended_until:
        end = _hm(h.extended_until, f"{where}.extended_until")
        if end <= _hm(h.weekday[-1][1], f"{where}.weekday"):
            raise ScenarioError(f"{where}.extended_until", "延时应晚于最后一个时段的结束时间")
    _rng(f"{where}.lunch_open_share", h.lunch_open_share, 0, 1)


def _validate(s: Scenario) -> None:
    """Every field in range, section by section (the first wrong one raises, naming the field)."""
    if s.mode not in ("hall", "mmc"):
        raise ScenarioError("mode", f"应为 hall 或 mmc，而不是 {s.mode!r}")
    if not s.name:
        raise ScenarioError("name", "不能为空")
    _check_demand(s.demand)
    _check_hours("hours", s.hours)
    for i, hall in enumerate(s.halls):
        if hall.hours is not None:
            _check_hours(f"halls[{i}].hours", hall.hours)
    _check_policy_behaviour(s)
    _check_service_ratings_validation(s)
    if s.mode == "hall":
        _check_halls(s)


def _check_demand(d: Demand) -> None:
    _rng("demand.daily_cases", d.daily_cases, 0, 1e6)
    _rng("demand.online_share", d.online_share, 0, 1)
    _rng("demand.self_service_share", d.self_service_share, 0, 1)
    _rng("demand.online_weekend_factor", d.online_weekend_factor, 0, 10)
    if len(d.weekday_factors) != 7:
        raise ScenarioError("demand.weekday_factors", "应有 7 个值（周一到周日）")
    for i, f in enumerate(d.weekday_factors):
        _rng(f"demand.weekday_factors[{i}]", f, 0, 10)
    _rng("demand.month_edge_days", d.month_edge_days, 0, 15)
    _rng("demand.month_edge_factor", d.month_edge_factor, 0, 10)
    _rng("demand.spring_festival_days", d.spring_festival_days, 0, 60)
    _rng("demand.spring_festival_factor", d.spring_festival_factor, 0, 10)
    for b in d.month_edge_blocks:
        if b not in BLOCKS:
            raise ScenarioError("demand.month_edge_blocks", f"未知的业务板块 {b!r}")
    prev = -1
    for i, (t, w) in enumerate(d.hourly_profile):
        sec = _hm(t, f"demand.hourly_profile[{i}]")
        if sec % 1800 or sec <= prev:
            raise ScenarioError(f"demand.hourly_profile[{i}]", "应为递增的整点或半点")
        _rng(f"demand.hourly_profile[{i}]", w, 0, 100)
        prev = sec


def _check_policy_behaviour(s: Scenario) -> None:
    p = s.policy
    _rng("policy.elicence_coverage", p.elicence_coverage, 0, 1)
    _rng("policy.appointment_share", p.appointment_share, 0, 1)
    _rng("policy.bundle_share", p.bundle_share, 0, 0.5)
    _rng("policy.no_application_share", p.no_application_share, 0, 1)
    if not 5 <= p.appointment_slot_min <= 240:
        raise ScenarioError("policy.appointment_slot_min", "应在 5 到 240 分钟之间")
    for b in p.one_window_blocks:
        if b not in BLOCKS:
            raise ScenarioError("policy.one_window_blocks", f"未知的业务板块 {b!r}")
    b = s.behaviour
    lo, hi = b.patience_min
    if not 0 < lo <= hi:
        raise ScenarioError("behaviour.patience_min", "应为 [最短, 最长] 分钟，且 0 < 最短 ≤ 最长")
    _rng("behaviour.max_corrections", b.max_corrections, 1, 10)
    for name in ("p_material_missing", "p_missing_on_return", "correctable_share", "p_not_competent", "p_return_after_abandon",
                 "pledge_uptake", "p_dishonest",
                 "p_false_pledge", "p_supplement_late", "p_overdue", "cross_province_share"):
        _rng(f"behaviour.{name}", getattr(b, name), 0, 1)
    _rng("behaviour.appointment_patience_factor", b.appointment_patience_factor, 0.1, 100)
    _rng("behaviour.assisted_service_factor", b.assisted_service_factor, 0.1, 10)
    if not 1 <= b.return_days[0] <= b.return_days[1] <= 60:
        raise ScenarioError("behaviour.return_days", "应为 [最少, 最多] 个工作日，且 1 ≤ 最少 ≤ 最多 ≤ 60")
    _rng("behaviour.pledge_check_days", b.pledge_check_days, 1, 250)
    _rng("behaviour.rongque_supplement_days", b.rongque_supplement_days, 1, 60)


def _check_service_ratings_validation(s: Scenario) -> None:
    sm = s.service_minutes
    for name in ("quick", "typical", "complex"):
        a, z = getattr(sm, name)
        if not 0 < a <= z <= 600:
            raise ScenarioError(f"service_minutes.{name}", "应为 [下限, 上限] 分钟，且 0 < 下限 ≤ 上限 ≤ 600")
    _rng("service_minutes.bundle_factor", sm.bundle_factor, 0.05, 5)
    r = s.ratings
    _rng("ratings.p_rate_hall", r.p_rate_hall, 0, 1)
    _rng("ratings.p_rate_online", r.p_rate_online, 0, 1)
    if any(x < 0 for x in r.base) or sum(r.base) <= 0:
        raise ScenarioError("ratings.base", "五级评价的基础比例应为非负且不全为零")
    for name in ("wait_free_min", "per_30min_wait", "repeat_visit", "refused", "abandoned", "overdue", "scale"):
        _rng(f"ratings.{name}", getattr(r, name), 0, 1000)
    ps = s.population
    _rng("population.citizens", ps.citizens, 100, 2_000_000)
    _rng("population.firms", ps.firms, 10, 500_000)
    v = s.validation
    _rng("validation.servers", v.servers, 1, 1000)
    if not 0 < v.load < 1:
        raise ScenarioError("validation.load", f"负荷应在 0 和 1 之间（不含），而不是 {v.load}")
    _rng("validation.service_mean_min", v.service_mean_min, 0.01, 1000)
    if not 0 <= v.warmup_hours < v.horizon_hours:
        raise ScenarioError("validation.warmup_hours", "预热时间应小于总时长")


def _check_halls(s: Scenario) -> None:
    if not s.halls:
        raise ScenarioError("halls", "至少需要一个大厅")
    seen = set()
    for i, hall in enumerate(s.halls):
        where = f"halls[{i}]"
        if not hall.name:
            raise ScenarioError(f"{where}.name", "不能为空")
        if hall.name in seen:
            raise ScenarioError(f"{where}.name", f"大厅名称重复：{hall.name}")
        seen.add(hall.name)
        if hall.county not in COUNTY_BY_NAME:
            raise ScenarioError(f"{where}.county", f"海东市没有县区 {hall.county!r}")
        _rng(f"{where}.share", hall.share, 0, 1)
        _rng(f"{where}.local_share", hall.local_share, 0, 1)
        _rng(f"{where}.absent_share", hall.absent_share, 0, 0.95)
        for k, n in hall.windows.items():
            if k not in WINDOW_KINDS:
                raise ScenarioError(f"{where}.windows.{k}", f"未知的窗口类型；可用：{'、'.join(WINDOW_KINDS)}")
            if not 0 <= n <= 500:
                raise ScenarioError(f"{where}.windows.{k}", f"窗口数应在 0 到 500 之间，而不是 {n}")
        if sum(hall.windows.values()) == 0:
            raise ScenarioError(f"{where}.windows", "至少需要一个窗口")
    if sum(h.share for h in s.halls) <= 0:
        raise ScenarioError("halls", "各大厅的 share 之和应大于 0")


# ---- loading ---------------------------------------------------------------------------------------
def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


_ALIASES = {"周一高峰": "stressed", "缺员": "stressed", "周一高峰/缺员": "stressed", "基线": "baseline",
            "mmc": "validation_mmc", "validation": "validation_mmc"}


def load_scenario(source: str | Path | Mapping[str, Any]) -> Scenario:
    """A scenario from a TOML file path, a shipped name (``baseline``, ``stressed``…) or a dict."""
    if isinstance(source, Mapping):
        return from_dict(source)
    path = Path(source)
    if not path.suffix and not path.exists():
        name = _ALIASES.get(str(source), str(source))
        path = SCENARIO_DIR / f"{name}.toml"
        if not path.exists():
            raise ScenarioError("scenario", f"没有名为 {source!r} 的场景；可用：{', '.join(scenario_names())}")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioError("scenario", f"无法读取场景文件 {path}: {e.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError("scenario", f"{path.name} 不是有效的 TOML: {e}") from None
    base = data.pop("extends", None)
    if base is not None:
        # A scenario may extend a shipped one and override a few values (dotted keys in [changes]).
        changes = data.pop("changes", {})
        parent = load_scenario(base)
        s = parent.evolve({k: v for k, v in _flatten(data).items()} | _flatten(changes))
        return s
    return from_dict(data)


def _flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def default_scenario() -> Scenario:
    """Shorthand for ``load_scenario("baseline")`` (the one way to get a scenario is :func:`load_scenario`):
    eight halls, an ordinary working pattern (DOMAIN.md §8 defaults)."""
    return load_scenario("baseline")


def stressed_scenario() -> Scenario:
    """Shorthand for ``load_scenario("stressed")`` — 周一高峰/缺员: Monday peak, a fifth of the staff absent — visible queues for what-if exercises."""
    return load_scenario("stressed")
