"""The catalog as columns: one numpy array per item attribute, so a day's cases are drawn in bulk.

Materials become bit masks (bit j = the item's j-th material), which turns "which materials are
missing, and may all of them be 容缺 / replaced by a pledge?" into a few integer operations per case.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .scenario import BLOCKS, WINDOW_KINDS

CROSS_MODES = ("", "全程网办", "异地代收代办", "多地联办")
SERVICE_CLASSES = ("quick", "typical", "complex")
ENTERPRISE_BLOCKS = ("市场主体登记", "企业开办", "工程建设项目审批")
MAX_MATERIALS = 62


@dataclass(frozen=True, eq=False)
class ItemTable:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    block: np.ndarray  # int8 index into BLOCKS
    kind: np.ndarray  # int8 index into WINDOW_KINDS (the specialist window kind)
    cls: np.ndarray  # int8 index into SERVICE_CLASSES
    instant: np.ndarray  # bool
    promised: np.ndarray  # int16 working days (0 for 即办件)
    legal: np.ndarray  # int16
    online: np.ndarray  # bool
    online_share: np.ndarray  # float
    weight: np.ndarray  # float
    cross: np.ndarray  # int8 index into CROSS_MODES
    pledge_ok: np.ndarray  # bool
    rongque_ok: np.ndarray  # bool
    enterprise: np.ndarray  # bool
    benefit: np.ndarray  # bool: 行政给付 (candidates for 免申即享)
    n_materials: np.ndarray  # int8
    required: np.ndarray  # int64 bit masks
    elicence: np.ndarray
    rongque: np.ndarray
    pledge: np.ndarray
    core: np.ndarray
    material_names: tuple[tuple[str, ...], ...]
    # bundles
    bundle_codes: tuple[str, ...]
    bundle_names: tuple[str, ...]
    bundle_items: tuple[np.ndarray, ...]  # item indices per bundle
    bundle_promised: np.ndarray  # int16
    bundle_materials: np.ndarray  # int16: distinct required materials of the bundle, counted by meaning
    bundle_core: np.ndarray  # int64 bit mask over those: core materials (never 容缺)
    bundle_material_names: tuple[tuple[str, ...], ...]
    bundle_materials_separate: np.ndarray  # int16: summed required materials of its items

    def __len__(self) -> int:
        return len(self.codes)

    def index(self, code: str) -> int:
        return self.codes.index(code)

    def missing_names(self, item: int, mask: int) -> list[str]:
        names = self.material_names[item]
        return [names[j] for j in range(len(names)) if mask >> j & 1]


# One identity document is one document, whichever role a bundle's items list it under (申请人, 监护人,
# 法定代表人 …): in a 一件事 the same person presents it once.
IDENTITY = "居民身份证（身份证件）"
# Results of items whose names do not start with the document they produce.
_PRODUCES = {"个体工商户设立登记": "营业执照"}


def material_meaning(name: str) -> str:
    """What a listed material *is*, for counting a bundle's materials once."""
    if ("身份证" in name) and not any(w in name for w in ("及", "或", "委托")):
        return IDENTITY
    return name.removeprefix("中华人民共和国")


def bundle_materials(items: list, linked: list) -> list[tuple[str, bool]]:
    """(meaning, core) of the materials a bundle asks of the applicant, each once (国发〔2024〕3号).

    A document the bundle itself produces — by a linked institution (出生医学证明 from the birth
    hospital) or by another item of the bundle (营业执照 before the 食品经营许可, 社会保障卡 before its
    activation) — is passed on inside the bundle, not asked of the applicant.
    """
    def products(it) -> set[str]:
        out = {v for k, v in _PRODUCES.items() if it.name.startswith(k)}
        return out | {it.name}

    out: dict[str, bool] = {}
    for it in items:
        made = set().union(*(products(x) for x in list(items) + list(linked) if x is not it))
        for m in it.materials:
            if not m.required:
                continue
            key = material_meaning(m.name)
            if any(p == key or p.startswith(key) for p in made):
                continue
            out[key] = out.get(key, False) or m.core
    return list(out.items())[:MAX_MATERIALS]


def _bits(flags: list[bool]) -> int:
    return sum(1 << j for j, f in enumerate(flags[:MAX_MATERIALS]) if f)


@lru_cache(maxsize=4)
def item_table(catalog=None) -> ItemTable:
    """Columns of the catalog (the default catalog when None); cached per catalog object."""
    if catalog is None:
        from ..base.catalog import load_catalog
        catalog = load_catalog()
    items = list(catalog.items.values())
    if not items:
        raise ValueError("事项目录为空")
    n = len(items)
    req, el, rq, pl, co, names = [], [], [], [], [], []
    for it in items:
        mats = list(it.materials)[:MAX_MATERIALS]
        req.append(_bits([m.required for m in mats]))
        el.append(_bits([m.required and m.elicence for m in mats]))
        rq.append(_bits([m.required and m.rongque and not m.core for m in mats]))
        pl.append(_bits([m.required and m.pledge for m in mats]))  # as acceptance.decide
        co.append(_bits([m.core for m in mats]))
        names.append(tuple(m.name for m in mats))
    codes = tuple(it.code for it in items)
    pos = {c: i for i, c in enumerate(codes)}

    def kind_of(it) -> int:
        k = getattr(it, "window_kind", None) or it.block
        return WINDOW_KINDS.index(k) if k in WINDOW_KINDS else WINDOW_KINDS.index(it.block)

    b_codes, b_names, b_items, b_prom, b_mat, b_sep, b_core, b_mnames = [], [], [], [], [], [], [], []
    for b in catalog.bundles.values():
        idx = [pos[c] for c in b.items if c in pos]
        if not idx:
            continue
        b_codes.append(b.code)
        b_names.append(b.name)
        b_items.append(np.array(idx, dtype=np.int16))
        b_prom.append(b.promised_days)
        distinct = bundle_materials([items[i] for i in idx],
                                    [catalog.items[c] for c in b.linked if c in catalog.items])
        b_mat.append(len(distinct))
        b_core.append(_bits([core for _, core in distinct]))
        b_mnames.append(tuple(name for name, _ in distinct))
        b_sep.append(sum(sum(1 for m in items[i].materials if m.required) for i in idx))
    return ItemTable(
        codes=codes,
        names=tuple(it.name for it in items),
        block=np.array([BLOCKS.index(it.block) for it in items], dtype=np.int8),
        kind=np.array([kind_of(it) for it in items], dtype=np.int8),
        cls=np.array([SERVICE_CLASSES.index(it.service_class) for it in items], dtype=np.int8),
        instant=np.array([bool(it.instant) for it in items]),
        promised=np.array([int(it.promised_days) for it in items], dtype=np.int16),
        legal=np.array([int(it.legal_days) for it in items], dtype=np.int16),
        online=np.array([bool(it.online) for it in items]),
        online_share=np.array([float(it.online_share) if it.online else 0.0 for it in items]),
        weight=np.array([float(it.weight) for it in items]),
        cross=np.array([CROSS_MODES.index(it.cross_province or "") for it in items], dtype=np.int8),
        pledge_ok=np.array([bool(it.pledge_allowed) for it in items]),
        rongque_ok=np.array([bool(it.rongque_allowed) for it in items]),
        enterprise=np.array([it.block in ENTERPRISE_BLOCKS for it in items]),
        benefit=np.array([it.item_type == "行政给付" for it in items]),
        n_materials=np.array([min(len(it.materials), MAX_MATERIALS) for it in items], dtype=np.int8),
        required=np.array(req, dtype=np.int64),
        elicence=np.array(el, dtype=np.int64),
        rongque=np.array(rq, dtype=np.int64),
        pledge=np.array(pl, dtype=np.int64),
        core=np.array(co, dtype=np.int64),
        material_names=tuple(names),
        bundle_codes=tuple(b_codes),
        bundle_names=tuple(b_names),
        bundle_items=tuple(b_items),
        bundle_promised=np.array(b_prom, dtype=np.int16),
        bundle_materials=np.array(b_mat, dtype=np.int16),
        bundle_core=np.array(b_core, dtype=np.int64),
        bundle_material_names=tuple(b_mnames),
        bundle_materials_separate=np.array(b_sep, dtype=np.int16),
    )


def popcount(x: np.ndarray) -> np.ndarray:
    """Set bits per int64 (materials in a mask)."""
    return np.bitwise_count(x.astype(np.uint64)).astype(np.int16)
