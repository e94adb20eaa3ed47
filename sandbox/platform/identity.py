"""统一身份认证: the population registry (人口库) as the platform sees it, accounts, registration checks,
and the migration of departments' legacy user records (task 10).

ID numbers never change when region codes do (DOMAIN §7): people first registered before 2013 hold
6321xx numbers; the population issues every number with the code as issued
(:func:`sandbox.base.ids.as_issued`, here also :func:`registry_id`). A legacy system that "rewrote" a
person's number with the new code produced a valid-looking number that is nobody's: :func:`migrate`
repairs it back to the person instead of making a second one.

Trainee-facing here: the registry, :func:`legacy_records`, :func:`migrate` (the baseline rules the
simulated staff apply), :func:`score_migration`. The ground truth lives in
:mod:`sandbox.platform.grader` and is generated from a seed the trainee is not given.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from sandbox.base.ids import (OLD_CODES, as_issued, county_code_of, id_check_char, is_valid_id_number, mask_id,
                              mask_name, mask_phone, same_county_codes, with_region)

__all__ = ["FACTORS", "OLD_CODES", "registry_id", "aliases", "county_code_of", "Registry", "build_registry",
           "RegistrationForm", "Verdict", "Rules", "check_registration", "LegacyRecord", "MigrationResult", "migrate",
           "MigrationScore", "score_migration", "normalise_id", "name_distance"]

# The five proofs besides the ID card; registration needs two of them (DOMAIN §6).
FACTORS = ("mobile", "社保卡", "银行卡", "公积金账号", "驾驶证档案号")
# The rule of region codes as issued lives with the identifiers (sandbox.base.ids, DOMAIN §7); the
# population issues every number that way, and the platform's names for it are kept for the courses.
registry_id = as_issued


def aliases(id_number: str) -> tuple[str, ...]:
    """The same birth date and sequence under the other codes of the same county (check recomputed)."""
    return tuple(with_region(id_number, c) for c in same_county_codes(id_number[:6]) if c != id_number[:6])


def normalise_id(text: str) -> str:
    """Full-width digits, spaces and a lower-case x, as legacy forms hold them."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("-", "").upper()


def name_distance(a: str, b: str) -> int:
    """Characters that differ (names of equal length); a different length counts as far apart."""
    if len(a) != len(b):
        return 99
    return sum(x != y for x, y in zip(a, b))


# ---- the registry (人口库 + the proofs other departments hold) --------------------------------------
@dataclass(frozen=True, eq=False)
class Registry:
    ids: tuple[str, ...]  # registry_id per pid
    names: tuple[str, ...]
    factors: dict[str, tuple[str, ...]]  # factor -> value per pid ("" = the person has none)
    by_id: dict[str, int] = field(repr=False)

    def pid_of(self, id_number: str) -> int | None:
        return self.by_id.get(id_number)

    def masked(self, pid: int) -> dict[str, str]:
        return {"姓名": mask_name(self.names[pid]), "身份证号": mask_id(self.ids[pid]),
                "手机号": mask_phone(self.factors["mobile"][pid]), "数据标识": "合成数据"}


def _luhn(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        v = int(d) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return str((10 - total % 10) % 10)


_REGISTRIES: dict[int, tuple[object, Registry]] = {}


def build_registry(population) -> Registry:
    """The platform's registry for a population (cached per population object)."""
    hit = _REGISTRIES.get(id(population))
    if hit is not None and hit[0] is population:
        return hit[1]
    if len(_REGISTRIES) >= 4:
        _REGISTRIES.pop(next(iter(_REGISTRIES)))
    reg = _make_registry(population)
    _REGISTRIES[id(population)] = (population, reg)
    return reg


def _make_registry(population) -> Registry:
    n, n_a = len(population.citizens), population.adults
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([population.seed, 0x1D])))
    ids = tuple(c.id_number for c in population.citizens)  # issued with the code of their time
    adult = np.array([c.age >= 16 for c in population.citizens])
    # Draws for the adults first, so adding the children (pids after them) changes no adult's factors;
    # children under 16 hold none of these, 16- and 17-year-olds the odd bank or social-security card.
    kid = np.random.Generator(np.random.PCG64(np.random.SeedSequence([population.seed, 0x1D, 1])))

    def draw(p: float) -> np.ndarray:
        return np.r_[rng.random(n_a), kid.random(n - n_a)] < p
    has = {"社保卡": adult & draw(0.92), "银行卡": adult & draw(0.85),
           "公积金账号": adult & draw(0.25), "驾驶证档案号": adult & draw(0.35)}
    digits = np.r_[rng.integers(0, 10, (n_a, 18)), kid.integers(0, 10, (n - n_a, 18))]
    cards = ["".join(map(str, row)) for row in digits]
    factors = {
        "mobile": tuple(c.mobile for c in population.citizens),
        "社保卡": tuple(f"{chr(65 + int(r[0]) % 26)}{s[1:9]}" if h else "" for r, s, h in zip(digits, cards, has["社保卡"])),
        "银行卡": tuple((b := "6217" + s[:14]) + _luhn(b) if h else "" for s, h in zip(cards, has["银行卡"])),
        "公积金账号": tuple("6302" + s[2:10] if h else "" for s, h in zip(cards, has["公积金账号"])),
        "驾驶证档案号": tuple("6302" + s[6:14] if h else "" for s, h in zip(cards, has["驾驶证档案号"])),
    }
    return Registry(ids=ids, names=tuple(c.name for c in population.citizens), factors=factors,
                    by_id={x: i for i, x in enumerate(ids)})


# ---- registration ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegistrationForm:
    name: str
    id_number: str
    proofs: tuple[tuple[str, str], ...]  # (factor, value) as typed by the applicant


@dataclass(frozen=True)
class Verdict:
    ok: bool
    level: int  # 0 refused, 1..3 real-name level reached
    reasons: tuple[str, ...]  # plain Chinese
    pid: int | None = None


def check_registration(form: RegistrationForm, registry: Registry, *, face_verified: bool = False) -> Verdict:
    """ID card plus two matching proofs → level 2 (3 with face or window verification); else refused."""
    reasons: list[str] = []
    idn = normalise_id(form.id_number)
    if not is_valid_id_number(idn):
        return Verdict(False, 0, ("身份证号格式或校验位不正确",))
    pid = registry.pid_of(idn)
    if pid is None:
        return Verdict(False, 0, ("人口库中查无此身份证号",))
    if registry.names[pid] != form.name.strip():
        return Verdict(False, 0, ("姓名与身份证号不一致",))
    matched = set()
    for factor, value in form.proofs:
        if factor not in FACTORS:
            reasons.append(f"不认可的核验要素：{factor}")
        elif value and registry.factors[factor][pid] == value.strip():
            matched.add(factor)
        else:
            reasons.append(f"{factor}与登记信息不符")
    if len(matched) < 2:
        return Verdict(False, 0, tuple(reasons) + (f"需身份证加两项核验要素一致，目前只有{len(matched)}项",), pid)
    return Verdict(True, 3 if face_verified else 2, tuple(reasons), pid)


# ---- legacy migration ------------------------------------------------------------------------------
@dataclass(frozen=True)
class LegacyRecord:
    system: str  # department whose system holds it
    record_no: str  # its key there
    name: str
    id_number: str
    mobile: str
    updated: date  # last change in the legacy system


@dataclass(frozen=True)
class MigrationResult:
    person: dict[str, str | None]  # record_no -> registry ID of the person it was merged into (None: rejected)
    repairs: dict[str, tuple[str, ...]]  # record_no -> what was repaired (Chinese labels)
    rejected: dict[str, str]  # record_no -> reason
    reverify_mobile: tuple[str, ...]  # records whose mobile differs from the registry's (to re-verify)

    @property
    def accounts(self) -> dict[str, tuple[str, ...]]:
        """One account per person: registry ID -> its merged records."""
        out: dict[str, list[str]] = {}
        for rec, pid in self.person.items():
            if pid is not None:
                out.setdefault(pid, []).append(rec)
        return {k: tuple(sorted(v)) for k, v in sorted(out.items())}


@dataclass(frozen=True)
class Rules:
    """Which repairs a migration attempts (levers for the exercise; all on = the baseline rules)."""
    repair_check: bool = True  # recompute a wrong check character
    repair_region: bool = True  # map an ID rewritten with another code of the same county back
    tolerate_typo: bool = True  # accept a name one character off when the ID matches


def _resolve(r: LegacyRecord, registry: Registry, rules: Rules) -> tuple[str | None, tuple[str, ...], str]:
    """(registry ID or None, repairs, rejection reason) for one legacy record."""
    idn = normalise_id(r.id_number)
    if len(idn) != 18 or not idn[:17].isdigit():
        return None, (), "身份证号位数或字符不正确，无法修复"
    repairs: list[str] = []
    candidates = [idn] if is_valid_id_number(idn) else []
    if not candidates and not rules.repair_check:
        return None, (), "身份证号校验位不正确"
    if not candidates:
        fixed = idn[:17] + id_check_char(idn[:17])
        if not is_valid_id_number(fixed):
            return None, (), "出生日期无效，无法修复"
        candidates, repairs = [fixed], ["校验位"]
    found = [c for c in candidates if registry.pid_of(c) is not None]
    if not found and rules.repair_region:
        found = [a for a in aliases(candidates[0]) if registry.pid_of(a) is not None]
        repairs.append("区划代码被改写")
    if len(found) != 1:
        return None, (), "人口库中查无此人" if not found else "可对应多人，需人工核实"
    pid = registry.pid_of(found[0])
    d = name_distance(registry.names[pid], r.name.strip())
    if d == 1 and len(r.name.strip()) >= 2 and rules.tolerate_typo:
        repairs.append("姓名错字")
    elif d != 0:
        return None, (), "姓名与身份证号不一致"
    return found[0], tuple(dict.fromkeys(repairs)), ""


def migrate(records: list[LegacyRecord] | tuple[LegacyRecord, ...], registry: Registry,
            rules: Rules = Rules()) -> MigrationResult:
    """The baseline migration rules: repair what can be repaired against the registry, merge by person.

    Independent of record order: every record is resolved against the registry on its own.
    """
    person: dict[str, str | None] = {}
    repairs: dict[str, tuple[str, ...]] = {}
    rejected: dict[str, str] = {}
    reverify: list[str] = []
    for r in records:
        rid, rep, why = _resolve(r, registry, rules)
        person[r.record_no] = rid
        if rid is None:
            rejected[r.record_no] = why
            continue
        if rep:
            repairs[r.record_no] = rep
        if r.mobile != registry.factors["mobile"][registry.pid_of(rid)]:
            reverify.append(r.record_no)
    return MigrationResult(person, repairs, rejected, tuple(sorted(reverify)))


@dataclass(frozen=True)
class MigrationScore:
    merge_precision: float  # record pairs merged that are the same person / pairs merged
    merge_recall: float  # same-person pairs merged / same-person pairs
    wrongly_rejected: int  # records of a real person left out
    wrongly_accepted: int  # junk records (no person) given an account
    wrong_person: int  # records merged into someone else's account
    records: int


def _pairs(groups: dict) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())


def score_migration(person: dict[str, str | None], truth: dict[str, str | None]) -> MigrationScore:
    """Compare a migration's record → person map with the truth (record → registry ID, None = nobody)."""
    pred: dict[str, int] = {}
    true: dict[str, int] = {}
    both: dict[tuple[str, str], int] = {}
    rejected = accepted = wrong = 0
    for rec, t in truth.items():
        p = person.get(rec)
        if p is not None:
            pred[p] = pred.get(p, 0) + 1
        if t is not None:
            true[t] = true.get(t, 0) + 1
        if t is not None and p is None:
            rejected += 1
        elif t is None and p is not None:
            accepted += 1
        elif t is not None and p != t:
            wrong += 1
        if p is not None and t is not None:
            both[(p, t)] = both.get((p, t), 0) + 1
    hit, n_pred, n_true = _pairs(both), _pairs(pred), _pairs(true)
    return MigrationScore(round(hit / n_pred, 4) if n_pred else 1.0, round(hit / n_true, 4) if n_true else 1.0,
                          rejected, accepted, wrong, len(truth))
