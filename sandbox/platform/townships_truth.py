"""Grader side of the townships: the resident truth behind the registered figures, and the score of
a trainee's plan (levers) on it.

A plan is judged on the residents who are really there (after out-migration) and the real share who
need language help, not on the 户籍 figures and the survey the trainee planned with; the gap between
the two is itself something an exercise can ask about.
"""
from __future__ import annotations

from typing import Any

from ..base.ids import SYNTHETIC_MARK
from ..base.scenario import ScenarioError
from .townships import Levers, Township, TownshipScenario, _generate, figures

__all__ = ["township_truth", "score_plan"]


def township_truth(scenario: TownshipScenario, seed: int) -> tuple[Township, ...]:
    """Resident population and true shares per township (same seed → the trainee's world)."""
    return _generate(scenario, seed)[1]


def score_plan(scenario: TownshipScenario, seed: int, levers: Levers, *, budget_wan: float | None = None,
               baseline: Levers | None = None) -> dict[str, Any]:
    """Figures of the plan on the truth, their gain over ``baseline`` (default levers), and whether the
    plan keeps to the budget (万元 a year); ``planned`` holds what the trainee's own view promised."""
    if budget_wan is not None and (isinstance(budget_wan, bool) or not isinstance(budget_wan, (int, float))
                                   or budget_wan < 0):
        raise ScenarioError("townships.budget_wan", f"预算应为非负数，而不是 {budget_wan!r}")
    observed, truth = _generate(scenario, seed)
    real = figures(truth, levers, scenario)
    base = figures(truth, baseline or Levers(), scenario)
    planned = figures(observed, levers, scenario)
    keys = ("within_15min", "one_visit_elderly", "one_visit_language")
    return {
        "data_mark": SYNTHETIC_MARK,
        "real": real,
        "planned": planned,
        "gain": {k: round(real[k] - base[k], 4) for k in keys},
        "within_budget": budget_wan is None or real["cost_wan"] <= budget_wan,
        "overstated": {k: round(planned[k] - real[k], 4) for k in keys},
    }
