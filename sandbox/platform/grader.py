"""Grader-side ground truth of the platform's exercises — never imported by trainee-facing code.

:func:`ground_truth` regenerates, from the scenario and a seed the trainee is not given, who is who in
the legacy records, which guides drifted, and the right 预审 decision for each application of an
exercise queue; the ``score_*`` functions compare a trainee's answers with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np

from .api import Decision, QueueApplication, World, build_world, exercise_queue, usable, BackOffice
from .guides import Drift, draw_drifts
from .identity import LegacyRecord, MigrationScore, score_migration
from .legacy import make_legacy, make_registrations
from .scenario import PlatformScenario

__all__ = ["GroundTruth", "ground_truth", "legacy_records", "score_migration", "score_drift", "score_prereview",
           "score_registrations", "right_decision"]


@dataclass(frozen=True)
class GroundTruth:
    legacy_person: dict[str, str | None]  # record_no -> registry ID (None: nobody)
    legacy_faults: dict[str, tuple[str, ...]]  # record_no -> faults injected
    drifts: tuple[Drift, ...]
    queue: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]  # app_no -> (decision, ask_for, pullable)
    registrations: tuple[tuple[str, bool], ...]  # per form of api.registration_queue: (case, approve?)


def _adults(world: World) -> np.ndarray:
    return np.array([c.pid for c in world.population.citizens if c.age >= 18], np.int64)


def legacy_records(scenario: PlatformScenario, seed: int) -> tuple[LegacyRecord, ...]:
    """The legacy records only (what the trainee's exercise hands out)."""
    w = build_world(scenario, seed)
    return make_legacy(scenario, w.registry, _adults(w), seed)[0]


def right_decision(world: World, app: QueueApplication) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(decision, materials to ask for, e-licences to pull) with full knowledge of the holdings."""
    office = BackOffice(world)
    item = world.item(app.item_code)
    ask, pull = [], []
    for m in item.required_materials:
        if m.name in app.submitted:
            continue
        (pull if m.elicence and usable(office, app, m.name) else ask).append(m.name)
    return ("退回补正" if ask else "预审通过"), tuple(ask), tuple(pull)


def ground_truth(scenario: PlatformScenario, seed: int, queue_size: int = 50,
                 registrations: int = 30) -> GroundTruth:
    w = build_world(scenario, seed)
    _, person, faults = make_legacy(scenario, w.registry, _adults(w), seed)
    _, queue = exercise_queue(scenario, seed, queue_size)
    return GroundTruth(person, faults, draw_drifts(scenario, w.items, seed),
                       {a.app_no: right_decision(w, a) for a in queue},
                       make_registrations(w.registry, seed, registrations)[1])


def score_registrations(approved: Iterable[bool], truth: GroundTruth) -> dict[str, float | int]:
    """``approved``: the trainee's verdict per form of api.registration_queue, in order."""
    got = list(approved)
    real = [ok for _, ok in truth.registrations]
    if len(got) != len(real):
        raise ValueError(f"应对 {len(real)} 份注册申请逐一作出结论，而不是 {len(got)} 份")
    wrongly_approved = sum(g and not r for g, r in zip(got, real))
    wrongly_refused = sum(r and not g for g, r in zip(got, real))
    return {"forms": len(real), "right": len(real) - wrongly_approved - wrongly_refused,
            "wrongly_approved": wrongly_approved, "wrongly_refused": wrongly_refused}


def score_drift(found: Iterable[tuple[str, str]], truth: tuple[Drift, ...]) -> dict[str, float | int]:
    """``found``: (item code, field) pairs the trainee reported as inconsistent between the two guides."""
    named = set(found)
    real = {(d.item, d.field) for d in truth}
    hit = len(named & real)
    return {"found": hit, "missed": len(real - named), "false_alarms": len(named - real),
            "precision": hit / len(named) if named else 1.0, "recall": hit / len(real) if real else 1.0}


def score_prereview(decisions: Mapping[str, Decision], truth: GroundTruth) -> dict[str, float | int]:
    """Right decisions, paper asked needlessly (held electronically), materials missed from the list."""
    right = needless = missed = 0
    for app_no, (dec, ask, pull) in truth.queue.items():
        d = decisions.get(app_no)
        if d is None:
            missed += len(ask)
            continue
        right += d.decision == dec
        needless += len(set(d.ask_for) & set(pull))
        missed += len(set(ask) - set(d.ask_for))
    n = len(truth.queue)
    return {"applications": n, "right_decisions": right, "accuracy": right / n if n else 1.0,
            "paper_needless": needless, "materials_missed": missed}


__all__ += ["MigrationScore"]
