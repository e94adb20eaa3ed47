"""The engine's bulk decisions agree with the window rules of sandbox.practice.acceptance.decide."""
from __future__ import annotations

import numpy as np
import pytest

import sandbox as sb
from sandbox.practice.acceptance import Application, decide
from sandbox.hall.context import build_context
from sandbox.hall.outcomes import O_ACCEPT, O_CORRECT, O_INSTANT, O_PLEDGE, O_RONGQUE, decide as bulk_decide

KIND = {"受理": (O_ACCEPT, O_INSTANT), "告知承诺": (O_PLEDGE,), "容缺受理": (O_RONGQUE,), "补正": (O_CORRECT,)}


@pytest.mark.parametrize("uptake", [0.0, 1.0])
def test_bulk_decisions_match_acceptance_rules(uptake):
    s = sb.default_scenario().evolve({"behaviour.pledge_uptake": uptake})
    ctx = build_context(s, 1, s.start_date, 3)
    cat = sb.get_catalog()
    t = ctx.items
    rng = np.random.default_rng(5)
    checked = {k: 0 for k in KIND}
    for i, code in enumerate(t.codes):
        item = cat.items[code]
        req = [j for j, m in enumerate(item.materials) if m.required][:12]
        if not req:
            continue
        for _ in range(12):
            missing = [j for j in req if rng.random() < 0.35]
            mask = sum(1 << j for j in missing)
            states = {m.name: ("missing" if j in missing else "present")
                      for j, m in enumerate(item.materials) if m.required}
            app = Application.from_states(item, states, pledge_signed=uptake == 1.0)
            expected = decide(app).kind
            got = bulk_decide(ctx, rng, np.array([i]), np.array([-1]), np.array([mask], np.int64))[0]
            assert got in KIND[expected], (code, [item.materials[j].name for j in missing], expected, got)
            checked[expected] += 1
    assert checked["受理"] and checked["补正"] and checked["容缺受理"]
    if uptake:
        assert checked["告知承诺"]
