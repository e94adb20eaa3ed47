"""省一体化政务服务平台 — the sandbox's third part, on the same city as the halls (合成数据).

    from sandbox import platform as pf
    ps = pf.default_platform_scenario()                  # or pf.load_platform_scenario("drift")
    rec = pf.simulate_platform(ps, days=30, seed=7)      # immutable PlatformRecords
    pf.summary(rec); pf.daily(rec); pf.monthly(rec)      # operations figures (README.md)
    pf.reconcile(hall_records, rec)                      # hall + platform totals, case by case
    office = pf.BackOffice.for_scenario(ps)              # trainee-facing back office
    pf.save_platform_run("runs.sqlite", rec)

Ground truth for graded exercises: :mod:`sandbox.platform.grader` only (never imported here).
"""
from __future__ import annotations

from .applications import MODES, STATES, InvalidTransition, transition
from .city import city_summary
from .engine import simulate_platform
from .metrics import daily, monthly, reconcile, summary
from .records import PlatformRecords, application_journey
from .scenario import (PlatformScenario, ScenarioError, default_platform_scenario, load_platform_scenario,
                       platform_scenario_names)

__all__ = ["PlatformScenario", "ScenarioError", "default_platform_scenario", "load_platform_scenario",
           "platform_scenario_names", "simulate_platform", "PlatformRecords", "application_journey", "summary", "city_summary",
           "daily", "monthly", "reconcile", "MODES", "STATES", "transition", "InvalidTransition"]
