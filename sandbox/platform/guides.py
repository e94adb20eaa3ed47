"""线上线下同源 (task 5): the online guide and the hall guide of an item come from one source — the
catalogue item through :func:`sandbox.practice.guides.render_guide` — unless a scenario injects drift: a field
changed in one place only, for trainees to find.

Which items drifted, where and how is the ground truth (:func:`draw_drifts`, called by the grader and
by :class:`GuideSource` when it renders); a :class:`GuideSource` shows only the resulting guides.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sandbox.practice.guides import Guide, render_guide

from .scenario import PlatformScenario

__all__ = ["Drift", "draw_drifts", "apply_drift", "GuideSource", "FIELD_LABELS", "differing_fields"]

FIELD_LABELS = {"materials": "申请材料", "promised_days": "承诺办结时限", "fee_yuan": "收费标准", "visits": "到现场次数",
                "conditions": "申请条件"}
SIDES = ("网上", "大厅")


@dataclass(frozen=True)
class Drift:
    item: str  # item code
    field: str  # one of FIELD_LABELS
    side: str  # 网上 / 大厅: the guide that was changed
    detail: str  # what changed, in Chinese


def _applicable(item, field: str) -> bool:
    if field == "materials":
        return sum(m.required for m in item.materials) >= 2
    if field == "conditions":
        return len(item.conditions) >= 2
    return True


def draw_drifts(scenario: PlatformScenario, items, seed: int) -> tuple[Drift, ...]:
    """The drifts of a run (seeded; ``guides.drift_items`` items, one field each)."""
    n = min(scenario.guides.drift_items, len(items))
    if n == 0:
        return ()
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x6D1])))
    out = []
    for i in rng.permutation(len(items)).tolist():
        if len(out) == n:
            break
        it = items[i]
        fields = [f for f in scenario.guides.drift_fields if _applicable(it, f)]
        if not fields:
            continue
        f = fields[int(rng.integers(0, len(fields)))]
        side = SIDES[int(rng.integers(0, 2))]
        out.append(Drift(it.code, f, side, _detail(it, f, int(rng.integers(1, 4)))))
    return tuple(sorted(out, key=lambda d: d.item))


def _detail(item, field: str, k: int) -> str:
    if field == "materials":
        req = [m.name for m in item.materials if m.required]
        return f"漏列“{req[k % len(req)]}”"
    if field == "promised_days":
        return f"承诺时限写成{max(item.promised_days + k, 1)}个工作日"
    if field == "fee_yuan":
        return f"收费写成{item.fee_yuan + 10 * k:g}元"
    if field == "visits":
        return f"到现场次数写成{item.visits + k}次"
    return f"漏列第{k % len(item.conditions) + 1}项申请条件"


def apply_drift(guide: Guide, item, drift: Drift) -> Guide:
    """The guide with the drift's change (k is recovered from the detail text's numbers)."""
    f = drift.field
    if f == "materials":
        name = drift.detail.split("“")[1].split("”")[0]
        return replace(guide, materials=tuple(m for m in guide.materials if m.name != name))
    if f == "promised_days":
        days = int("".join(ch for ch in drift.detail if ch.isdigit()))
        return replace(guide, promised_days=days, kind="承诺件")
    if f == "fee_yuan":
        return replace(guide, fee_yuan=float(drift.detail.removeprefix("收费写成").removesuffix("元")))
    if f == "visits":
        return replace(guide, visits=int("".join(ch for ch in drift.detail if ch.isdigit())))
    k = int("".join(ch for ch in drift.detail if ch.isdigit())) - 1
    return replace(guide, conditions=tuple(c for j, c in enumerate(guide.conditions) if j != k))


class GuideSource:
    """Both guides of every item, rendered from the one catalogue source (with a run's drifts applied)."""

    def __init__(self, items, drifts: tuple[Drift, ...] = ()) -> None:
        self._items = {it.code: it for it in items}
        # Only the published (changed) guides are kept, not the drift records: which field changed and
        # how stays with the grader.
        self._published = {(d.item, d.side): apply_drift(render_guide(self._items[d.item]), self._items[d.item], d)
                           for d in drifts}

    def codes(self) -> tuple[str, ...]:
        return tuple(self._items)

    def pair(self, code: str) -> tuple[Guide, Guide]:
        """(网上指南, 大厅指南) of an item."""
        try:
            item = self._items[code]
        except KeyError:
            raise KeyError(f"事项目录中没有编码 {code!r}") from None
        base = render_guide(item)
        online, hall = (self._published.get((code, side), base) for side in SIDES)
        return online, hall


def differing_fields(a: Guide, b: Guide) -> tuple[str, ...]:
    """Fields (FIELD_LABELS keys) on which two guides of the same item disagree."""
    return tuple(f for f in FIELD_LABELS if getattr(a, f) != getattr(b, f))
