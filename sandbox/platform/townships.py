"""Townships and services close to home (task 8): Haidong's 乡镇 with synthetic populations, travel
times to service points, and the levers of 15分钟便民服务圈 and 帮办代办.

Townships are those listed in sandbox.base.geography (a subset of each county's real townships); their
populations, villages, distances and shares are synthetic (合成数据), drawn from one seeded generator.
Village names are clearly synthetic labels (模拟村01 …).

Two views of one world, as in a real county: what the trainee sees (:func:`build_townships`:
registered 户籍 population and a 200-person survey's shares) and the truth (townships_truth.py:
resident population after out-migration, true shares) against which a plan is scored. Labour
out-migration empties the working ages, so the elderly share of *residents* is higher than the
registered figures suggest; language help is needed by Tibetan, Tu and Salar speakers — above all
the elderly — and not by 回族 residents, who speak Chinese.

Figures (:func:`figures`, expected values, no sampling — a what-if is a few milliseconds):
- ``within_15min``: share of residents whose village is within 15 minutes of a service point
  (the township's 便民服务中心, or a village with a self-service terminal: 村级便民服务点);
- ``one_visit_elderly`` / ``one_visit_language``: share of matters of the elderly / of those who
  need language help completed with one contact (上门办 counts as one, DOMAIN §9's one_visit_rate).
A terminal puts a service point in the village but an old person alone often fails at it: without
帮办代办 staff more terminals can lower the elderly's one-visit rate — a trade-off the exercise shows.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from ..base.geography import COUNTIES
from ..base.ids import SYNTHETIC_MARK
from ..base.scenario import ScenarioError

__all__ = ["Village", "Township", "Lever", "Levers", "TownshipScenario", "build_townships", "figures",
           "township_rows", "what_if", "plan_cost", "LANGUAGE_NEED", "township_names", "scenario_from_dict",
           "levers_from_dict"]

# Share needing help in their own language, (adults, 60 and over), by ethnicity. 回族 and 汉族
# residents speak Chinese (河湟方言), so 0; figures are assumptions (unconfirmed), kept as data.
LANGUAGE_NEED: Mapping[str, tuple[float, float]] = MappingProxyType({
    "汉族": (0.0, 0.0), "回族": (0.0, 0.0), "土族": (0.08, 0.40), "撒拉族": (0.12, 0.50), "藏族": (0.22, 0.65)})


def township_names() -> tuple[str, ...]:
    return tuple(t for c in COUNTIES for t in c.townships)


@dataclass(frozen=True, slots=True)
class Village:
    name: str
    population: int
    minutes: float  # travel time to the township's 便民服务中心


@dataclass(frozen=True, slots=True)
class Township:
    name: str
    county: str
    population: int
    elderly_share: float
    language_share: float  # share of residents who need help in their own language
    language_elderly_share: float  # of those, the share 60 and over
    villages: tuple[Village, ...]


@dataclass(frozen=True)
class Lever:
    terminals: int = 0  # self-service terminals placed in villages (largest villages beyond 15 min first)
    helpers: int = 1  # 帮办代办 staff at the township centre
    dialect_helpers: int = 0  # staff who help in 土族语 / 撒拉语 / 安多藏语 (方言/民族语言 help)
    home_days: int = 2  # 上门办 days a month

    def __post_init__(self) -> None:
        for name, hi in (("terminals", 200), ("helpers", 100), ("dialect_helpers", 100), ("home_days", 23)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= hi:
                raise ScenarioError(f"levers.{name}", f"应为 0 到 {hi} 之间的整数，而不是 {v!r}")


@dataclass(frozen=True)
class Levers:
    """The same lever for every township, with per-township overrides (township name → Lever)."""
    default: Lever = field(default_factory=Lever)
    overrides: Mapping[str, Lever] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        known = set(township_names())
        for name, lever in self.overrides.items():
            if name not in known:
                raise ScenarioError(f"levers.{name}", "海东市没有这个乡镇（见 sandbox.base.geography 的乡镇清单）")
            if not isinstance(lever, Lever):
                raise ScenarioError(f"levers.{name}", "应为 Lever")
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    def of(self, township: str) -> Lever:
        return self.overrides.get(township, self.default)

    def with_township(self, township: str, **changes: int) -> "Levers":
        return Levers(self.default, {**self.overrides, township: dataclasses.replace(self.of(township), **changes)})


@dataclass(frozen=True)
class TownshipScenario:
    villages: tuple[int, int] = (8, 22)  # villages per township
    km: tuple[float, float] = (1.5, 22.0)  # distance of a village from the township seat
    speed_kmh: float = 30.0  # mountain roads
    access_min: float = 5.0  # walking and waiting to set off
    terminal_min: float = 5.0  # to a terminal in one's own village
    matters_elderly: float = 1.5  # matters a year per elderly resident
    matters_language: float = 1.2  # per resident needing language help
    helper_capacity: float = 1500.0  # assisted matters a year per 帮办代办 staff member
    dialect_capacity: float = 1200.0  # per language helper
    home_per_day: float = 8.0  # matters handled on one 上门办 day
    home_eligible: float = 0.5  # share of matters that can be done at home
    terminal_items: float = 0.35  # share of matters a terminal can do
    terminal_success_elderly: float = 0.5  # an old person alone at a terminal
    terminal_success_language: float = 0.3
    p_return: float = 0.2  # at a window, unassisted: comes back (missing material, misunderstanding)
    p_return_language: float = 0.35  # extra, for those needing language help without it
    survey_size: int = 200  # people surveyed per township for the observed shares

    def __post_init__(self) -> None:
        for name in ("terminal_success_elderly", "terminal_success_language", "p_return", "p_return_language",
                     "home_eligible", "terminal_items"):
            _check(name, getattr(self, name), 0.0, 1.0)
        if self.p_return + self.p_return_language > 1.0:
            raise ScenarioError("townships.p_return_language", "p_return + p_return_language 不能超过 1")
        for name in ("speed_kmh", "helper_capacity", "dialect_capacity", "home_per_day", "matters_elderly",
                     "matters_language"):
            _check(name, getattr(self, name), 1e-6, 1e7)
        _check("access_min", self.access_min, 0.0, 120.0)
        _check("terminal_min", self.terminal_min, 0.0, 60.0)
        _check("survey_size", self.survey_size, 1, 100_000)
        lo, hi = self.villages
        if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi <= 200):
            raise ScenarioError("townships.villages", f"应为 [下限, 上限]，1 ≤ 下限 ≤ 上限 ≤ 200，而不是 {self.villages!r}")
        if not 0 <= self.km[0] <= self.km[1] <= 200:
            raise ScenarioError("townships.km", f"应为 [下限, 上限] 公里，而不是 {self.km!r}")

    def evolve(self, **changes: Any) -> "TownshipScenario":
        try:
            return dataclasses.replace(self, **changes)
        except TypeError as e:
            raise ScenarioError("townships", f"未知参数：{e}") from None


def _from_fields(cls: type, d: Any, prefix: str) -> dict[str, Any]:
    if not isinstance(d, Mapping):
        raise ScenarioError(prefix, "应为一张表")
    names = {f.name for f in dataclasses.fields(cls)}
    for k in d:
        if k not in names:
            raise ScenarioError(f"{prefix}.{k}", f"未知参数；可选：{'、'.join(sorted(names))}")
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}


def scenario_from_dict(d: Mapping[str, Any]) -> TownshipScenario:
    """A validated scenario from plain data (a TOML ``[townships]`` section); errors name the field."""
    return TownshipScenario(**_from_fields(TownshipScenario, d, "townships"))


def levers_from_dict(d: Mapping[str, Any]) -> Levers:
    """Levers from plain data: ``{"default": {...}, "overrides": {"积石镇": {...}}}`` (a trainee's form)."""
    kw = _from_fields(Levers, d, "levers")
    default = Lever(**_from_fields(Lever, kw.get("default", {}), "levers.default"))
    over = kw.get("overrides", {})
    if not isinstance(over, Mapping):
        raise ScenarioError("levers.overrides", "应为 乡镇 → 措施 的表")
    return Levers(default, {t: Lever(**_from_fields(Lever, v, f"levers.{t}")) for t, v in over.items()})


def _check(name: str, v: Any, lo: float, hi: float) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
        raise ScenarioError(f"townships.{name}", f"应在 {lo} 到 {hi} 之间，而不是 {v!r}")


# ---- generation ----------------------------------------------------------------------------------
def _ethnic_mix(rng: np.random.Generator, county, town: str) -> dict[str, float]:
    """Shares by ethnicity in one township: the county's mix, varied; a 藏族乡 is mostly Tibetan."""
    minority = float(np.clip(county.minority_share + rng.normal(0, 0.08), 0.0, 1.0))
    if "藏族乡" in town:
        return {"藏族": 0.85, "汉族": 0.1, "回族": 0.05}
    names = [e for e, _ in county.minority_mix]
    w = rng.dirichlet([max(s * 20, 0.5) for _, s in county.minority_mix])
    mix = {e: minority * float(x) for e, x in zip(names, w)}
    mix["汉族"] = 1.0 - minority
    return mix


def _villages(rng: np.random.Generator, s: TownshipScenario, town: str, population: int) -> tuple[Village, ...]:
    n = int(rng.integers(s.villages[0], s.villages[1] + 1))
    w = rng.dirichlet(np.full(n, 2.0))
    w[0] += 0.5  # the seat: the largest settlement, where the 便民服务中心 is
    w /= w.sum()
    km = rng.uniform(s.km[0], s.km[1], n)
    km[0] = 0.0
    minutes = s.access_min + km / s.speed_kmh * 60.0
    pops = np.floor(w * population).astype(int)
    return tuple(Village(f"模拟村{i + 1:02d}" if i else f"{town}驻地", int(pops[i]), round(float(minutes[i]), 1))
                 for i in range(n))


def _language(mix: Mapping[str, float], elderly: float) -> tuple[float, float]:
    adult = sum(share * LANGUAGE_NEED.get(e, (0.0, 0.0))[0] for e, share in mix.items())
    old = sum(share * LANGUAGE_NEED.get(e, (0.0, 0.0))[1] for e, share in mix.items())
    total = (1 - elderly) * adult + elderly * old
    return total, (elderly * old / total if total > 0 else 0.0)


def _generate(scenario: TownshipScenario, seed: int) -> tuple[tuple[Township, ...], tuple[Township, ...]]:
    """(observed, truth) for every township; one generator, a fixed order of draws."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x70A7]))
    observed, truth = [], []
    for county in COUNTIES:
        w = rng.dirichlet(np.full(len(county.townships), 3.0))
        w[0] += 0.15  # the county seat's town is the largest
        w /= w.sum()
        for town, share in zip(county.townships, w):
            registered = int(county.population * share)
            away = float(np.clip(county.out_of_province_share * 1.6 + rng.normal(0, 0.03), 0.0, 0.5))
            resident = int(registered * (1 - away))
            elderly_reg = float(np.clip(0.15 + rng.normal(0, 0.02) - (0.03 if town == county.townships[0] else 0), 0.05, 0.4))
            elderly_true = min(elderly_reg / (1 - away), 0.6)  # the elderly stay, the working ages leave
            lang, lang_old = _language(_ethnic_mix(rng, county, town), elderly_true)
            villages = _villages(rng, scenario, town, resident)
            n = scenario.survey_size
            obs_lang = float(rng.binomial(n, lang) / n)
            truth.append(Township(town, county.name, resident, round(elderly_true, 4), round(lang, 4),
                                  round(lang_old, 4), villages))
            observed.append(Township(town, county.name, registered, round(elderly_reg, 4), obs_lang,
                                     round(lang_old, 4), villages))
    return tuple(observed), tuple(truth)


def build_townships(scenario: TownshipScenario, seed: int) -> tuple[Township, ...]:
    """What a trainee sees: registered population, survey shares (no ground truth)."""
    return _generate(scenario, seed)[0]


# ---- figures -------------------------------------------------------------------------------------
def _points(t: Township, terminals: int, s: TownshipScenario) -> np.ndarray:
    """Minutes from each village to its nearest service point once the terminals are placed."""
    minutes = np.array([v.minutes for v in t.villages])
    pops = np.array([v.population for v in t.villages])
    order = sorted(range(len(minutes)), key=lambda i: (minutes[i] <= 15, -pops[i], i))
    for i in [i for i in order if i != 0][:terminals]:
        minutes[i] = min(minutes[i], s.terminal_min)
    return minutes


def _township_figures(t: Township, lever: Lever, s: TownshipScenario) -> dict[str, float]:
    minutes = _points(t, lever.terminals, s)
    pops = np.array([v.population for v in t.villages], dtype=float)
    # Villages give where people live; the township's own figure (registered or resident) how many.
    pops = pops / pops.sum() * t.population if pops.sum() else pops
    has_terminal = (minutes == s.terminal_min) & (np.arange(len(minutes)) > 0)
    tshare = float(pops[has_terminal].sum() / pops.sum()) if pops.sum() else 0.0
    m_e = t.population * t.elderly_share * s.matters_elderly
    m_l = t.population * t.language_share * s.matters_language
    h = min(1.0, lever.helpers * s.helper_capacity / max(m_e + m_l, 1.0))
    d = min(1.0, lever.dialect_helpers * s.dialect_capacity / max(m_l, 1.0))
    home = min(s.home_eligible, lever.home_days * 12 * s.home_per_day / max(m_e + m_l, 1.0))
    term = s.terminal_items * tshare
    ok_term_e = s.terminal_success_elderly + (1 - s.terminal_success_elderly) * 0.6 * h
    ok_term_l = s.terminal_success_language + (1 - s.terminal_success_language) * 0.6 * d
    ret_e = s.p_return * (1 - 0.6 * h)
    ret_l = ret_e + s.p_return_language * (1 - d)
    one_e = home + (1 - home) * (term * ok_term_e + (1 - term) * (1 - ret_e))
    one_l = home + (1 - home) * (term * ok_term_l + (1 - term) * (1 - ret_l))
    return {"population": float(pops.sum()), "within_15": float(pops[minutes <= 15.0].sum()),
            "m_elderly": m_e, "m_language": m_l, "one_visit_elderly": one_e, "one_visit_language": one_l,
            "helper_cover": h, "dialect_cover": d, "home_share": home}


def figures(towns: tuple[Township, ...], levers: Levers | None = None,
            scenario: TownshipScenario | None = None) -> dict[str, Any]:
    """Citywide figures for a set of levers (matter-weighted one-visit rates, resident-weighted circle)."""
    lv, s = levers or Levers(), scenario or TownshipScenario()
    per = [_township_figures(t, lv.of(t.name), s) for t in towns]
    pop = sum(f["population"] for f in per)
    me, ml = sum(f["m_elderly"] for f in per), sum(f["m_language"] for f in per)
    return {
        "data_mark": SYNTHETIC_MARK,
        "townships": len(towns),
        "population": int(pop),
        "within_15min": round(sum(f["within_15"] for f in per) / pop, 4) if pop else 0.0,
        "one_visit_elderly": round(sum(f["one_visit_elderly"] * f["m_elderly"] for f in per) / me, 4) if me else 1.0,
        "one_visit_language": round(sum(f["one_visit_language"] * f["m_language"] for f in per) / ml, 4) if ml else 1.0,
        "elderly_share": round(sum(t.population * t.elderly_share for t in towns) / pop, 4) if pop else 0.0,
        "language_share": round(sum(t.population * t.language_share for t in towns) / pop, 4) if pop else 0.0,
        "cost_wan": plan_cost(towns, lv),
    }


def plan_cost(towns: tuple[Township, ...], levers: Levers, *, terminal_wan: float = 3.0, staff_wan: float = 6.0,
              home_day_wan: float = 0.05) -> float:
    """Yearly cost in 万元 (a terminal written off over a year; staff; 上门办 days × 12)."""
    total = 0.0
    for t in towns:
        lv = levers.of(t.name)
        total += lv.terminals * terminal_wan + (lv.helpers + lv.dialect_helpers) * staff_wan + lv.home_days * 12 * home_day_wan
    return round(total, 2)


def what_if(towns: tuple[Township, ...], township: str, levers: Levers | None = None,
            scenario: TownshipScenario | None = None, **changes: int) -> dict[str, Any]:
    """One township's levers changed: the citywide figures before and after, and the difference."""
    lv = levers or Levers()
    if township not in {t.name for t in towns}:
        raise ScenarioError(f"levers.{township}", "海东市没有这个乡镇（见 sandbox.base.geography 的乡镇清单）")
    after_lv = lv.with_township(township, **changes)
    before, after = figures(towns, lv, scenario), figures(towns, after_lv, scenario)
    keys = ("within_15min", "one_visit_elderly", "one_visit_language", "cost_wan")
    return {"data_mark": SYNTHETIC_MARK, "township": township, "before": before, "after": after,
            "change": {k: round(after[k] - before[k], 4) for k in keys}}


def township_rows(towns: tuple[Township, ...], levers: Levers | None = None,
                  scenario: TownshipScenario | None = None, *, resident: bool = False) -> list[dict[str, Any]]:
    """One display row per township (Chinese labels, 合成数据 mark).

    The labels say which view a figure comes from — the trainee's (户籍 figures and a survey) or,
    with ``resident``, the grader's truth (常住人口) — so nobody reads one for the other."""
    lv, s = levers or Levers(), scenario or TownshipScenario()
    pop_label = "常住人口" if resident else "户籍人口"
    lang_label = "需民族语言帮助占比" + ("" if resident else f"（{s.survey_size}人抽样调查）")
    rows = []
    for t in towns:
        f = _township_figures(t, lv.of(t.name), s)
        rows.append({"数据标识": SYNTHETIC_MARK, "县区": t.county, "乡镇": t.name, pop_label: t.population,
                     "60岁及以上人口占比": t.elderly_share, lang_label: t.language_share,
                     "15分钟内人口占比": round(f["within_15"] / f["population"], 4) if f["population"] else 0.0,
                     "老年人一次办成率": round(f["one_visit_elderly"], 4),
                     "需语言帮助者一次办成率": round(f["one_visit_language"], 4)})
    return rows
