"""The service-guide checker (指南审核): grader-only.

:func:`check_guide` finds every defect of ``DEFECT_KINDS`` in a guide; :func:`make_defective_guide`
injects named defects and reports them as the checker does; :func:`grade_defects` compares a trainee's
findings with the checker. For any item ``check_guide(make_defective_guide(item, rng)[0])`` returns
exactly the injected defects, and a correctly rendered guide has none. These decide every graded
guide, so root mode closes this package to trainees (see :mod:`sandbox.practice.keys`).
"""
from __future__ import annotations

import random
from typing import Sequence

import numpy as np

from ...base.catalog import ITEM_TYPES, TYPE_CODES, Catalog, ServiceItem, load_catalog
from ...base.rng import as_random
from ..guides import (_GROUPS, DEFECT_KINDS, Defect, DefectGrade, Guide, _defect, _inject, applicable_defects,
                      render_guide, score_defects)

__all__ = ["check_guide", "make_defective_guide", "grade_defects"]


def _reference_item(guide: Guide, catalog: Catalog | None, item: ServiceItem | None) -> ServiceItem | None:
    if item is not None:
        return item
    cat = catalog if catalog is not None else load_catalog()
    return cat.items.get(guide.code)


def check_guide(guide: Guide, catalog: Catalog | None = None, *, item: ServiceItem | None = None) -> list[Defect]:
    """Every defect of :data:`DEFECT_KINDS` found in the guide, in DEFECT_KINDS order.

    Rules that need the authoritative item (missing materials, the item type) compare with ``item``
    or, by code, with the catalogue (default: the shipped one).
    """
    ref = _reference_item(guide, catalog, item)
    found: dict[str, Defect] = {}

    def add(code: str, detail: str = "") -> None:
        found.setdefault(code, _defect(code, detail))

    # Materials
    if ref is not None:
        by_name = {m.name: m for m in guide.materials}
        missing = [m.name for m in ref.materials if m.required and m.name not in by_name]
        demoted = [m.name for m in ref.materials if m.required and m.name in by_name and not by_name[m.name].required]
        if missing or demoted:
            parts = []
            if missing:
                parts.append("漏列：" + "、".join(missing))
            if demoted:
                parts.append("误标为非必要：" + "、".join(demoted))
            add("MISSING_MATERIAL", "；".join(parts))
    core_rq = [m.name for m in guide.materials if m.core and m.rongque]
    if core_rq:
        add("CORE_MATERIAL_RONGQUE", "、".join(core_rq))

    # Time limits and kind
    if guide.legal_days is None:
        add("MISSING_LEGAL_LIMIT")
    if guide.promised_days is None:
        add("MISSING_PROMISED_LIMIT")
    if guide.legal_days is not None and guide.promised_days is not None and guide.promised_days > guide.legal_days:
        add("PROMISED_OVER_LEGAL", f"承诺{guide.promised_days}个工作日，法定{guide.legal_days}个工作日")
    if guide.kind == "即办件" and guide.promised_days:
        add("INSTANT_WITH_DAYS", f"即办件写了{guide.promised_days}个工作日")
    if guide.kind == "承诺件" and guide.promised_days == 0:
        add("COMMITMENT_WITHOUT_DAYS")

    # Type
    type_wrong = guide.item_type not in ITEM_TYPES
    if not type_wrong:
        parts = guide.code.split("-")
        if len(parts) == 3 and parts[1] != TYPE_CODES[guide.item_type]:
            type_wrong = True
        if ref is not None and ref.item_type != guide.item_type:
            type_wrong = True
    if type_wrong:
        add("WRONG_ITEM_TYPE", f"写的是“{guide.item_type}”" + (f"，应为“{ref.item_type}”" if ref else ""))

    # Fee, visits, contacts, basis, conditions
    if guide.fee_yuan > 0 and (not guide.fee_basis.strip() or guide.fee_basis.strip() == "不收费"):
        add("MISSING_FEE_BASIS", f"收费{guide.fee_yuan:g}元")
    if guide.online and guide.visits > 0:
        add("VISITS_ONLINE_MISMATCH", f"全程网办却要到现场{guide.visits}次")
    elif not guide.online and guide.visits == 0:
        add("VISITS_ONLINE_MISMATCH", "不能网办却写到现场0次")
    if not guide.consult.strip():
        add("MISSING_CONSULT")
    if not guide.complaint.strip():
        add("MISSING_COMPLAINT")
    if not guide.basis.strip():
        add("MISSING_BASIS")
    if not guide.conditions:
        add("MISSING_CONDITIONS")
    order = list(DEFECT_KINDS)
    return sorted(found.values(), key=lambda d: order.index(d.code))


def make_defective_guide(item: ServiceItem, rng: random.Random | np.random.Generator,
                         kinds: Sequence[str] | None = None, *, n: int | None = None,
                         catalog: Catalog | None = None) -> tuple[Guide, list[Defect]]:
    """A guide of ``item`` with defects injected, and the list of those defects (as check_guide reports them).

    ``kinds`` names the defects (DEFECT_KINDS codes); by default 1–3 applicable kinds are drawn,
    at most one per group of defects that touch the same fields (``n`` fixes how many).
    """
    r = as_random(rng)
    possible = applicable_defects(item)
    if kinds is None:
        count = n if n is not None else r.choice((1, 1, 2, 2, 3))
        chosen: list[str] = []
        pool = list(possible)
        r.shuffle(pool)
        for code in pool:
            if len(chosen) >= count:
                break
            if any(code in grp and any(c in grp for c in chosen) for grp in _GROUPS):
                continue
            chosen.append(code)
    else:
        chosen = list(dict.fromkeys(kinds))
        for code in chosen:
            if code not in DEFECT_KINDS:
                raise ValueError(f"未知的缺陷类型 {code!r}；可选：{'、'.join(DEFECT_KINDS)}")
            if code not in possible:
                raise ValueError(f"缺陷 {code} 不适用于事项 {item.code} {item.name}")
        for grp in _GROUPS:
            if len(grp.intersection(chosen)) > 1:
                raise ValueError(f"缺陷 {'、'.join(sorted(grp.intersection(chosen)))} 涉及同一栏目，不能同时注入")
    guide = render_guide(item)
    # Inject CORE_MATERIAL_RONGQUE before MISSING_MATERIAL so the removal avoids that material.
    for code in sorted(chosen, key=lambda c: (c != "CORE_MATERIAL_RONGQUE", c)):
        guide = _inject(guide, code, r, item)
    # Report the injected defects in check_guide's words (its detail text), in DEFECT_KINDS order.
    found = {d.code: d for d in check_guide(guide, catalog, item=item)}
    order = list(DEFECT_KINDS)
    return guide, [found.get(c) or _defect(c) for c in sorted(chosen, key=order.index)]


def grade_defects(guide: Guide, answered: Sequence[str], catalog: Catalog | None = None, *,
                  item: ServiceItem | None = None) -> DefectGrade:
    """Compare the defect codes a trainee named with what :func:`check_guide` finds (exact codes only)."""
    return score_defects([d.code for d in check_guide(guide, catalog, item=item)], answered)
