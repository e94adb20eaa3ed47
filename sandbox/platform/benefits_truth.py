"""Grader side of 免申即享: who is really eligible, and the score of a set of matching rules.

Kept apart from the trainee-facing module: the truth is each firm's real figures (not the registry)
run through the policy as published. ``score_rules`` says how many eligible firms a rule found,
how many payments went to firms that were not eligible, and how many working days it took.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..base.ids import SYNTHETIC_MARK
from ..base.calendar import default_calendar
from .benefits import MATCH, BenefitsRun, BenefitsScenario, Policy, _world, default_policies, match

__all__ = ["ground_truth", "score_rules"]


def ground_truth(scenario: BenefitsScenario, seed: int,
                 policies: tuple[Policy, ...] | None = None) -> dict[str, frozenset[int]]:
    """Firm ids really eligible per policy code, judged on the facts with the published criteria.

    ``policies`` defaults to the shipped ones, so a trainee's edited rules are scored against the
    policy as written, not against themselves.
    """
    facts, _ = _world(scenario, seed)
    pols = policies if policies is not None else default_policies()
    return {p.code: frozenset(f.fid for f in facts if match(p, f.values) == MATCH) for p in pols}


def _score(cases: list, eligible: frozenset[int], cal) -> dict[str, Any]:
    paid = [c for c in cases if c.paid is not None]
    right = [c for c in paid if c.fid in eligible]
    days = [cal.working_days_between(c.notified, c.paid) for c in right]
    days_push = [d for d, c in zip(days, right) if c.route == "免申即享"]
    days_quick = [d for d, c in zip(days, right) if c.route == "快申快享"]
    quick = [cal.working_days_between(c.applied, c.paid) for c in right if c.route == "快申快享"]
    return {
        "eligible": len(eligible),
        "found": len({c.fid for c in right}),
        "found_rate": round(len({c.fid for c in right}) / len(eligible), 4) if eligible else 1.0,
        "found_no_application": sum(c.route == "免申即享" for c in right),
        "wrongly_paid": len(paid) - len(right),
        "wrongly_paid_yuan": round(sum(c.amount for c in paid if c.fid not in eligible), 2),
        "mean_days_to_benefit": round(float(np.mean(days)), 2) if days else 0.0,
        "mean_days_no_application": round(float(np.mean(days_push)), 2) if days_push else 0.0,
        "mean_days_kuaishen": round(float(np.mean(days_quick)), 2) if days_quick else 0.0,
        "max_kuaishen_days": max(quick) if quick else 0,
    }


def score_rules(run: BenefitsRun, truth: Mapping[str, frozenset[int]]) -> dict[str, Any]:
    """Per policy and in total: eligible, found, wrongly paid, days to benefit (working days)."""
    cal = default_calendar(True)
    per: dict[str, Any] = {}
    for p in run.scenario.policies:
        if p.code in truth:
            per[p.code] = _score([c for c in run.cases if c.policy == p.code], truth[p.code], cal)
    eligible = sum(v["eligible"] for v in per.values())
    found = sum(v["found"] for v in per.values())
    days = [(v["mean_days_to_benefit"], v["found"]) for v in per.values() if v["found"]]
    return {
        "data_mark": SYNTHETIC_MARK,
        "policies": per,
        "eligible": eligible,
        "found": found,
        "found_rate": round(found / eligible, 4) if eligible else 1.0,
        "wrongly_paid": sum(v["wrongly_paid"] for v in per.values()),
        "wrongly_paid_yuan": round(sum(v["wrongly_paid_yuan"] for v in per.values()), 2),
        "mean_days_to_benefit": round(sum(d * n for d, n in days) / found, 2) if found else 0.0,
    }
