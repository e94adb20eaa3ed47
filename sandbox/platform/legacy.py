"""Departments' legacy user records to migrate (task 10), generated together with who is who.

:func:`make_legacy` draws, per legacy system, the people it holds and the faults such systems have:
duplicates, typos in names, wrong check characters, stale mobiles, IDs rewritten with the new region
code, junk records. It returns the records *and* the truth; trainee-facing code calls
:func:`sandbox.platform.legacy_records` (records only), the grader :func:`sandbox.platform.grader.ground_truth`.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from sandbox.base.ids import id_check_char, make_id_number

from .identity import LegacyRecord, Registry, aliases, county_code_of
from .scenario import LEGACY_SYSTEMS, PlatformScenario

__all__ = ["make_legacy", "SIMILAR_CHARS"]

# Characters legacy typists confuse (形近字/同音字).
SIMILAR_CHARS = {"王": "汪", "张": "章", "李": "季", "刘": "浏", "陈": "阵", "杨": "扬", "马": "玛", "韩": "寒",
                 "明": "名", "华": "花", "英": "瑛", "军": "君", "兰": "蓝", "秀": "绣", "芳": "方", "梅": "海",
                 "德": "得", "强": "墙", "伟": "玮", "丽": "莉", "祁": "祈", "卓": "桌", "才": "材", "玉": "王"}
_FALLBACK = "晓小筱萧肖"


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x1E6A, *keys])))


def _typo(name: str, rng: np.random.Generator) -> str:
    spots = [i for i, ch in enumerate(name) if ch in SIMILAR_CHARS] or [len(name) - 1]
    i = spots[int(rng.integers(0, len(spots)))]
    ch = SIMILAR_CHARS.get(name[i]) or next(c for c in _FALLBACK[int(rng.integers(0, 5)):] + _FALLBACK if c != name[i])
    return name[:i] + ch + name[i + 1:]


def _bad_check(idn: str, rng: np.random.Generator) -> str:
    good = idn[17]
    wrong = [c for c in "0123456789X" if c != good]
    return idn[:17] + wrong[int(rng.integers(0, len(wrong)))]


def _rewrite(idn: str, rng: np.random.Generator) -> str:
    """The legacy system's "upgrade": the newest code of the county, check character recomputed or not."""
    new = county_code_of(idn)
    if new is None or new == idn[:6]:
        return idn
    body = new + idn[6:17]
    return body + (id_check_char(body) if rng.random() < 0.7 else idn[17])


def _one(r: Registry, pid: int, m, rng: np.random.Generator, base: date) -> tuple[str, str, str, date, tuple[str, ...]]:
    """(name, id, mobile, updated, faults) of one legacy record of a person."""
    name, idn, mobile = r.names[pid], r.ids[pid], r.factors["mobile"][pid]
    faults = []
    if rng.random() < m.p_name_typo:
        name, faults = _typo(name, rng), faults + ["姓名错字"]
    if rng.random() < m.p_region_rewrite and aliases(idn) and idn[:6] != county_code_of(idn):
        idn, faults = _rewrite(idn, rng), faults + ["区划代码被改写"]
    if rng.random() < m.p_bad_check:
        idn, faults = _bad_check(idn, rng), faults + ["校验位错误"]
    if rng.random() < m.p_stale_mobile:
        mobile, faults = "13" + f"{int(rng.integers(0, 10**9)):09d}", faults + ["手机号过时"]
    updated = base - timedelta(days=int(rng.integers(30, 3650)))
    return name, idn, mobile, updated, tuple(faults)


def _nobody(r: Registry, rng: np.random.Generator, base: date) -> tuple[str, str]:
    """A test or junk record: a well-formed ID number that is nobody's in the registry."""
    while True:
        birth = date(1950, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 55)))
        idn = make_id_number("630202", birth, int(rng.integers(0, 1000)), bool(rng.random() < 0.5))
        if r.pid_of(idn) is None and all(r.pid_of(a) is None for a in aliases(idn)):
            return ("测试用户" if rng.random() < 0.5 else "张三"), idn


def make_legacy(scenario: PlatformScenario, registry: Registry, adults: np.ndarray,
                seed: int) -> tuple[tuple[LegacyRecord, ...], dict[str, str | None], dict[str, tuple[str, ...]]]:
    """(records in the order the systems export them, record → registry ID or None, record → faults)."""
    m = scenario.migration
    base = scenario.start_date
    records: list[LegacyRecord] = []
    truth: dict[str, str | None] = {}
    faults: dict[str, tuple[str, ...]] = {}
    for s_i, system in enumerate(m.systems):
        rng = _rng(seed, LEGACY_SYSTEMS.index(system))
        people = rng.choice(adults, size=min(m.people_per_system, len(adults)), replace=False)
        rows: list[tuple[int | None, tuple]] = []
        for pid in people:
            copies = 2 if rng.random() < m.p_duplicate else 1
            rows += [(int(pid), _one(registry, int(pid), m, rng, base)) for _ in range(copies)]
        for _ in range(int(rng.binomial(len(people), m.p_nobody))):
            name, idn = _nobody(registry, rng, base)
            rows.append((None, (name, idn, "1" + f"{int(rng.integers(0, 10**10)):010d}", base, ("非真实用户",))))
        order = rng.permutation(len(rows))
        for k, j in enumerate(order):
            pid, (name, idn, mobile, updated, fl) = rows[j]
            rec_no = f"{system}-{k + 1:06d}"
            records.append(LegacyRecord(system, rec_no, name, idn, mobile, updated))
            truth[rec_no] = registry.ids[pid] if pid is not None else None
            faults[rec_no] = fl
    return tuple(records), truth, faults


# ---- registration forms for the 核验注册 exercise ----------------------------------------------------
REG_CASES = ("本人信息一致", "姓名错字", "手机号已停用", "只填一项要素", "冒用他人身份证", "校验位错误", "三级（当面核验）")


def make_registrations(registry: Registry, seed: int, n: int) -> tuple[tuple, tuple[tuple[str, bool], ...]]:
    """(forms, (case, should be approved) per form): online registrations as applicants typed them."""
    from .identity import RegistrationForm

    rng = _rng(seed, 0xE6)
    forms, truth = [], []
    people = [i for i in range(len(registry.ids)) if registry.factors["社保卡"][i]]
    for _ in range(n):
        pid = people[int(rng.integers(0, len(people)))]
        case = REG_CASES[int(rng.choice(len(REG_CASES), p=(0.5, 0.1, 0.1, 0.1, 0.08, 0.07, 0.05)))]
        name, idn = registry.names[pid], registry.ids[pid]
        proofs = [("mobile", registry.factors["mobile"][pid]), ("社保卡", registry.factors["社保卡"][pid])]
        if case == "姓名错字":
            name = _typo(name, rng)
        elif case == "手机号已停用":
            proofs[0] = ("mobile", "13" + f"{int(rng.integers(0, 10**9)):09d}")
        elif case == "只填一项要素":
            proofs = proofs[1:]
        elif case == "冒用他人身份证":
            other = people[int(rng.integers(0, len(people)))]
            idn = registry.ids[other] if other != pid else _bad_check(idn, rng)
        elif case == "校验位错误":
            idn = _bad_check(idn, rng)
        forms.append(RegistrationForm(name, idn, tuple(proofs)))
        truth.append((case, case in ("本人信息一致", "三级（当面核验）")))
    return tuple(forms), tuple(truth)
