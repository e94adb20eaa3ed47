"""海东政务服务模拟沙盘 — the Haidong service-hall sandbox (synthetic data, 合成数据).

The one public API for notebooks and courses::

    import sandbox as sb
    s = sb.default_scenario()                       # or sb.stressed_scenario(), sb.load_scenario("x.toml")
    s2 = s.evolve({"halls.海东市政务服务中心.windows.综合窗口": 8, "policy.green_channel": True})
    rec = sb.simulate(s2.only_hall("海东市政务服务中心"), days=30, seed=7)   # one hall, one month
    sb.summary(rec)                                 # DOMAIN §9 figures as a dict
    sb.breakdown(rec, "window_kind")                # per hall / window kind / item / county (pandas)
    sb.case_journey(rec, case_id)                   # a case's path, step by step, Chinese labels
    sb.save_run("runs.sqlite", rec); sb.load_records("runs.sqlite")

Pipeline: scenario (frozen, validated) → simulation → immutable records → metrics (plain functions).
"""
from __future__ import annotations

from .base import catalog, population  # the modules: sb.catalog.load_catalog(), sb.population.build_population()
from .hall import simulate
from .base.ids import SYNTHETIC_MARK
from .hall.metrics import (breakdown, bundle_report, compare, littles_law, queue_length, rating_distribution, summary,
                      utilisation, waits)
from .hall.journeys import case_journey
from .hall.records import CHANNELS, OUTCOMES, RATING_LEVELS, Records
from .hall.scenario import (BLOCKS, WINDOW_KINDS, Scenario, ScenarioError, default_scenario, load_scenario,
                       scenario_names, stressed_scenario)
from .storage.hall import list_runs, load_cases, load_records, save_run
from .hall.validation import erlang_c, mmc_mean_wait, replicate, run_mmc
from .base.calendar import CalendarRangeError, WorkCalendar, default_calendar


def get_population(seed: int = 42, citizens: int = 20_000, firms: int = 3_000):
    """The synthetic population (built once per arguments, then cached)."""
    return population.build_population(seed, citizens, firms)


def get_catalog():
    """The service-item catalog (办事指南 data, loaded once)."""
    return catalog.load_catalog()


__all__ = [
    "SYNTHETIC_MARK", "Scenario", "ScenarioError", "load_scenario", "default_scenario", "stressed_scenario",
    "scenario_names", "BLOCKS", "WINDOW_KINDS", "simulate", "Records", "OUTCOMES", "CHANNELS",
    "RATING_LEVELS", "case_journey", "summary", "breakdown", "utilisation", "queue_length", "littles_law",
    "bundle_report", "rating_distribution", "compare", "waits", "save_run", "load_records", "load_cases",
    "list_runs", "erlang_c", "mmc_mean_wait", "run_mmc", "replicate", "population", "catalog", "get_population",
    "get_catalog",
    "CalendarRangeError", "WorkCalendar", "default_calendar",
]
