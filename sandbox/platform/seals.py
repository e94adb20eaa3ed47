"""Electronic seals (电子印章): a seal registry per unit, sealed documents and their verification.

In the spirit of the 电子签名法 (a reliable electronic signature: the signing key is the signer's
alone, and any change to the signature or to the document after signing can be detected) and
GB/T 38540-2020 (安全电子签章密码技术规范: the seal maker (制章者) signs the seal data that bind a unit
to a key; signing covers a digest of the document; a verifier checks the maker's signature on the
seal, the document's digest and signature, and the seal's status at signing time).

Cryptography: GB/T 38540 names SM2 signatures over SM3 digests. The kept ``cryptography`` library
offers SM3 (``hashes.SM3``) but no SM2 signatures, and the only Python SM2 packages are small
pure-Python projects without constant-time guarantees, so a seal signs the **SM3 digest** of the
document's canonical bytes with **Ed25519** (deterministic signatures: same seed, same bytes). Swap
in SM2 by replacing :func:`_keypair` / :func:`sign_digest` / :func:`verify_digest` only.

Pure core: no I/O. Keys are derived from a seed; private keys live in :class:`SealKeys`, apart from
the public :class:`SealRegistry`. Everything is synthetic (合成数据).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Mapping

import numpy as np
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sandbox.base.ids import SYNTHETIC_MARK, mask_id

__all__ = [
    "PILOT_UNITS", "SEAL_KINDS", "REASONS", "SealScenarioError", "SealError", "SealScenario", "Seal",
    "SealRegistry", "SealKeys", "SignedDocument", "Verification", "seal_scenario", "build_registry",
    "sign_document", "to_bytes", "from_bytes", "verify", "verify_bytes", "render_document",
    "SealExercise", "seal_exercise", "seal_truth", "verification_counts", "sm3_hex", "sign_digest", "verify_digest",
]

# Haidong's e-seal pilot: 8 units (DOMAIN §6; which 8 is unconfirmed — a scenario parameter).
PILOT_UNITS = ("海东市政务服务监督管理局", "海东市市场监督管理局", "海东市人力资源和社会保障局", "海东市医疗保障局",
               "海东市住房公积金管理中心", "海东市自然资源和规划局", "海东市公安局", "海东市民政局")
SEAL_KINDS = ("单位公章", "行政审批专用章", "业务专用章")
FORMAT = "HD-ESEAL-1"
# Reason codes → what the verifier shows (Chinese, for the window and the trainee).
REASONS: dict[str, str] = {
    "malformed": "文件格式损坏或编码不规范，无法验证",
    "unknown_seal": "印章未在电子印章登记册中登记",
    "uncertified": "印章数据未经制章者（制章机构）签名或已被改动，不是依法制发的电子印章",
    "wrong_unit": "印章不属于文件署名单位",
    "revoked": "签章时印章已注销",
    "not_valid_yet": "签章时印章尚未生效",
    "expired": "签章时印章已过有效期",
    "tampered": "文件内容与签章时不一致（原文 SM3 杂凑值不符），文件已被篡改",
    "bad_signature": "签名值无效，不是该印章签署的",
}


class SealScenarioError(ValueError):
    """A seal scenario value is missing, of the wrong type or out of range; ``field`` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(f"场景参数 seals.{field_name}: {message}")


class SealError(ValueError):
    """An operation on seals that the registry refuses (unknown seal, signing with a revoked seal)."""


@dataclass(frozen=True)
class SealScenario:
    """What a seal exercise contains. Shares are of the generated documents."""
    units: tuple[str, ...] = PILOT_UNITS
    kinds: tuple[str, ...] = ("单位公章", "行政审批专用章")  # seals made per unit
    valid_from: date = date(2024, 1, 1)
    validity_years: int = 5
    documents: int = 40
    p_tampered: float = 0.10
    p_revoked: float = 0.05
    p_wrong_unit: float = 0.05
    first_day: date = date(2024, 3, 1)  # documents are signed on working days from here …
    span_days: int = 180  # … within this many calendar days


def _check_share(name: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:
        raise SealScenarioError(name, f"应为 0 到 1 之间的数，而不是 {v!r}")
    return float(v)


def _check_int(name: str, v: Any, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise SealScenarioError(name, f"应为 {lo} 到 {hi} 之间的整数，而不是 {v!r}")
    return v


def _check_names(name: str, v: Any, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    if isinstance(v, str) or not isinstance(v, (list, tuple)) or not v:
        raise SealScenarioError(name, "应为非空的名称列表")
    for i, x in enumerate(v):
        if not isinstance(x, str) or not x.strip():
            raise SealScenarioError(f"{name}[{i}]", f"应为非空字符串，而不是 {x!r}")
        if allowed is not None and x not in allowed:
            raise SealScenarioError(f"{name}[{i}]", f"{x!r} 不是印章类型之一（{'、'.join(allowed)}）")
    if len(set(v)) != len(v):
        raise SealScenarioError(name, "名称重复")
    return tuple(v)


def _check_date(name: str, v: Any) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(v)
    except (TypeError, ValueError):
        raise SealScenarioError(name, f"日期应写成 YYYY-MM-DD，而不是 {v!r}") from None


def seal_scenario(values: Mapping[str, Any] | None = None) -> SealScenario:
    """Fill defaults, check types and ranges; unknown keys are errors (a typo must not pass)."""
    values = dict(values or {})
    known = {f for f in SealScenario.__dataclass_fields__}
    for k in values:
        if k not in known:
            raise SealScenarioError(k, "未知参数")
    d = {**{f: getattr(SealScenario(), f) for f in known}, **values}
    sc = SealScenario(
        units=_check_names("units", d["units"]), kinds=_check_names("kinds", d["kinds"], SEAL_KINDS),
        valid_from=_check_date("valid_from", d["valid_from"]),
        validity_years=_check_int("validity_years", d["validity_years"], 1, 30),
        documents=_check_int("documents", d["documents"], 1, 100_000),
        p_tampered=_check_share("p_tampered", d["p_tampered"]),
        p_revoked=_check_share("p_revoked", d["p_revoked"]),
        p_wrong_unit=_check_share("p_wrong_unit", d["p_wrong_unit"]),
        first_day=_check_date("first_day", d["first_day"]),
        span_days=_check_int("span_days", d["span_days"], 1, 3660))
    if sc.p_tampered + sc.p_revoked + sc.p_wrong_unit > 1.0:
        raise SealScenarioError("p_tampered", "篡改、注销、错单位三者之和不能超过 1")
    if len(sc.units) < 2 and sc.p_wrong_unit > 0:
        raise SealScenarioError("units", "生成错单位文件至少需要两个单位")
    return sc


# ---- crypto primitives (the only place to change for SM2) -----------------------------------------
def sm3_hex(data: bytes) -> str:
    """SM3 digest (GB/T 32905) through the ``cryptography`` library."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def _keypair(seed_bytes: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed_bytes)


def sign_digest(key: Ed25519PrivateKey, digest_hex: str) -> bytes:
    return key.sign(bytes.fromhex(digest_hex))


def verify_digest(public_raw: bytes, digest_hex: str, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, bytes.fromhex(digest_hex))
    except (InvalidSignature, ValueError):
        return False
    return True


# ---- registry -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seal:
    seal_id: str  # 印章编码: city region code + 7-digit serial
    unit: str
    kind: str
    name: str  # the text on the seal
    public_key: bytes  # raw Ed25519 public key (32 bytes)
    valid_from: date
    valid_to: date
    revoked_on: date | None = None
    revoke_reason: str = ""
    maker_signature: bytes = b""  # 制章者签名 over :meth:`seal_data` (GB/T 38540's 电子印章数据)

    @property
    def status(self) -> str:
        return "已注销" if self.revoked_on is not None else "有效"

    def seal_data(self) -> bytes:
        """What the seal maker signs: identity, unit, key and validity — not the status, which changes."""
        return _canonical({"format": FORMAT, "seal_id": self.seal_id, "unit": self.unit, "kind": self.kind,
                           "name": self.name, "public_key": self.public_key.hex(),
                           "valid_from": self.valid_from.isoformat(), "valid_to": self.valid_to.isoformat()})


@dataclass(frozen=True)
class SealRegistry:
    """The public registry (电子印章登记册): seals, their status and the seal maker's public key.

    The maker (制章机构, here the platform's 电子印章系统) signs each seal's data when it is made, so a
    seal slipped into a copy of the registry without the maker's key does not verify.
    """
    seals: tuple[Seal, ...]
    maker_key: bytes = b""  # raw Ed25519 public key of the seal maker
    maker: str = "海东市政务服务监督管理局（电子印章制章机构）"

    def get(self, seal_id: str) -> Seal:
        for s in self.seals:
            if s.seal_id == seal_id:
                return s
        raise SealError(f"电子印章登记册中没有印章 {seal_id!r}")

    def of_unit(self, unit: str) -> tuple[Seal, ...]:
        return tuple(s for s in self.seals if s.unit == unit)

    def revoke(self, seal_id: str, on: date, reason: str = "单位申请注销") -> "SealRegistry":
        """A new registry with the seal revoked from ``on``; revoking twice is an error."""
        s = self.get(seal_id)
        if s.revoked_on is not None:
            raise SealError(f"印章 {seal_id} 已于 {s.revoked_on.isoformat()} 注销，不能重复注销")
        new = replace(s, revoked_on=on, revoke_reason=reason)
        return replace(self, seals=tuple(new if x.seal_id == seal_id else x for x in self.seals))

    def certified(self, seal: Seal) -> bool:
        """The seal's data carry the maker's valid signature."""
        return bool(self.maker_key) and _certified(self.maker_key, seal)


@lru_cache(maxsize=4096)
def _certified(maker_key: bytes, seal: Seal) -> bool:
    # Seals are immutable and few: a window verifying thousands of files checks each seal once.
    return verify_digest(maker_key, sm3_hex(seal.seal_data()), seal.maker_signature)


@dataclass(frozen=True)
class SealKeys:
    """Private keys by seal id: held by the sealing units' signing devices, never by a verifier."""
    keys: Mapping[str, Ed25519PrivateKey] = field(repr=False)


def build_registry(scenario: SealScenario, seed: int) -> tuple[SealRegistry, SealKeys]:
    """One seal per unit and kind, keys derived from the seed (same seed → same keys and bytes)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5EA1]))
    maker = _keypair(np.random.default_rng(np.random.SeedSequence([seed, 0x3A4E])).bytes(32))
    seals, keys = [], {}
    valid_to = scenario.valid_from.replace(year=scenario.valid_from.year + scenario.validity_years)
    serial = 1
    for unit in scenario.units:
        for kind in scenario.kinds:
            key = _keypair(rng.bytes(32))
            sid = f"630200{serial:07d}"
            serial += 1
            name = unit if kind == "单位公章" else f"{unit}{kind}"
            pub = key.public_key().public_bytes_raw()
            seal = Seal(sid, unit, kind, name, pub, scenario.valid_from, valid_to)
            seals.append(replace(seal, maker_signature=sign_digest(maker, sm3_hex(seal.seal_data()))))
            keys[sid] = key
    return SealRegistry(tuple(seals), maker.public_key().public_bytes_raw()), SealKeys(keys)


# ---- documents ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignedDocument:
    doc_no: str  # 文号
    title: str
    unit: str  # the unit the document is issued in the name of (署名单位)
    subject_id: str  # 当事人身份证号 / 统一社会信用代码 (masked on display)
    body: str
    signed_on: date
    seal_id: str
    sm3: str  # digest of the content at signing time
    signature: bytes

    def content(self) -> dict[str, str]:
        return {"format": FORMAT, "mark": SYNTHETIC_MARK, "doc_no": self.doc_no, "title": self.title,
                "unit": self.unit, "subject_id": self.subject_id, "body": self.body,
                "signed_on": self.signed_on.isoformat(), "seal_id": self.seal_id}


def _canonical(obj: Mapping[str, str]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _sign(key: Ed25519PrivateKey, **content: Any) -> SignedDocument:
    draft = SignedDocument(sm3="", signature=b"", **content)
    digest = sm3_hex(_canonical(draft.content()))
    return replace(draft, sm3=digest, signature=sign_digest(key, digest))


def sign_document(keys: SealKeys, registry: SealRegistry, seal_id: str, *, doc_no: str, title: str,
                  subject_id: str, body: str, signed_on: date) -> SignedDocument:
    """Seal a document in the seal's own unit's name; a revoked or out-of-date seal cannot sign."""
    seal = registry.get(seal_id)
    if seal.revoked_on is not None and seal.revoked_on <= signed_on:
        raise SealError(f"印章 {seal_id} 已于 {seal.revoked_on.isoformat()} 注销，不能签章")
    if not seal.valid_from <= signed_on <= seal.valid_to:
        raise SealError(f"印章 {seal_id} 在 {signed_on.isoformat()} 不在有效期内，不能签章")
    if seal_id not in keys.keys:
        raise SealError(f"没有印章 {seal_id} 的签章密钥")
    return _sign(keys.keys[seal_id], doc_no=doc_no, title=title, unit=seal.unit, subject_id=subject_id,
                 body=body, signed_on=signed_on, seal_id=seal_id)


def to_bytes(doc: SignedDocument) -> bytes:
    """The one canonical encoding (sorted keys, no spaces, lowercase hex): what is sent and stored."""
    return _canonical({**doc.content(), "sm3": doc.sm3, "signature": doc.signature.hex()})


def from_bytes(blob: bytes) -> SignedDocument:
    """Parse and insist on the canonical encoding, so no byte of a sealed file is without meaning."""
    try:
        d = json.loads(blob.decode("utf-8"))
        if not isinstance(d, dict) or d.get("format") != FORMAT or d.get("mark") != SYNTHETIC_MARK:
            raise ValueError("format")
        doc = SignedDocument(doc_no=d["doc_no"], title=d["title"], unit=d["unit"], subject_id=d["subject_id"],
                             body=d["body"], signed_on=date.fromisoformat(d["signed_on"]),
                             seal_id=d["seal_id"], sm3=d["sm3"], signature=bytes.fromhex(d["signature"]))
        if set(d) != set(doc.content()) | {"sm3", "signature"} or to_bytes(doc) != blob:
            raise ValueError("not canonical")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise SealError(REASONS["malformed"]) from None
    return doc


# ---- verification ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    doc_no: str
    reasons: tuple[str, ...]  # reason codes (keys of REASONS); empty = valid

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(REASONS[r] for r in self.reasons)

    def describe(self) -> str:
        head = f"【{SYNTHETIC_MARK}】文件 {self.doc_no or '（无法读取）'} 验章"
        return head + ("通过：印章有效，文件未被篡改" if self.ok else "不通过：" + "；".join(self.messages))


def _seal_reasons(doc: SignedDocument, seal: Seal, expected_unit: str | None) -> list[str]:
    out = []
    if seal.unit != doc.unit or (expected_unit is not None and seal.unit != expected_unit):
        out.append("wrong_unit")
    if seal.revoked_on is not None and seal.revoked_on <= doc.signed_on:
        out.append("revoked")
    if doc.signed_on < seal.valid_from:
        out.append("not_valid_yet")
    elif doc.signed_on > seal.valid_to:
        out.append("expired")
    return out


def verify(doc: SignedDocument, registry: SealRegistry, *, expected_unit: str | None = None) -> Verification:
    """All the reasons a sealed document fails, in a fixed order; none → valid.

    Order: the seal is registered, made by the seal maker, of the right unit, not revoked and within
    its validity on the signing day; then the document's SM3 digest and the seal's signature.

    ``expected_unit`` is the unit the window expects the document from (e.g. the licence issuer);
    the seal must belong to it as well as to the unit named in the document. A seal revoked after
    the signing day does not invalidate what it signed before (the status at signing time counts).
    """
    try:
        seal = registry.get(doc.seal_id)
    except SealError:
        return Verification(doc.doc_no, ("unknown_seal",))
    reasons = [] if registry.certified(seal) else ["uncertified"]
    reasons += _seal_reasons(doc, seal, expected_unit)
    digest = sm3_hex(_canonical(doc.content()))
    if digest != doc.sm3:
        reasons.append("tampered")
    if not verify_digest(seal.public_key, doc.sm3, doc.signature):
        reasons.append("bad_signature")
    return Verification(doc.doc_no, tuple(reasons))


def verify_bytes(blob: bytes, registry: SealRegistry, *, expected_unit: str | None = None) -> Verification:
    """Verify a received file: a file that does not parse canonically fails as ``malformed``."""
    try:
        doc = from_bytes(blob)
    except SealError:
        return Verification("", ("malformed",))
    return verify(doc, registry, expected_unit=expected_unit)


def render_document(doc: SignedDocument, registry: SealRegistry | None = None) -> str:
    """What a window shows: identifiers masked, the synthetic mark on top."""
    seal_name = doc.seal_id
    if registry is not None:
        try:
            seal_name = f"{registry.get(doc.seal_id).name}（{doc.seal_id}）"
        except SealError:
            seal_name = f"{doc.seal_id}（未登记）"
    return "\n".join([f"【{SYNTHETIC_MARK}】{doc.title}", f"文号：{doc.doc_no}", f"署名单位：{doc.unit}",
                      f"当事人证件号：{mask_id(doc.subject_id)}", f"签章日期：{doc.signed_on.isoformat()}",
                      f"电子印章：{seal_name}", f"SM3 摘要：{doc.sm3[:16]}…"])


# ---- exercise: a batch of received documents, ground truth kept apart -----------------------------
# What each pilot unit issues: (title, body with one figure {n}, scale: n = amount // scale, at least 1).
# A document matches its 署名单位 (a 公安局 does not issue 公积金 proofs); the figure is what a
# tamperer inflates tenfold. Units outside this table issue the generic proof.
_UNIT_DOCS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "海东市政务服务监督管理局": (("政务服务事项办结告知书", "当事人申请的政务服务事项已办结，实际办理用时 {n} 个工作日。", 700),),
    "海东市市场监督管理局": (("准予变更登记通知书", "经审查，当事人提交的变更登记申请材料齐全、符合法定形式，准予变更登记，"
                                              "变更后注册资本 {n} 万元。", 10),),
    "海东市人力资源和社会保障局": (("社会保险参保缴费证明", "经核验，当事人参加企业职工基本养老保险，累计缴费 {n} 个月。", 100),),
    "海东市医疗保障局": (("医疗保障待遇核定通知书", "经核定，当事人本次住院费用基本医疗保险统筹基金支付 {n} 元。", 1),),
    "海东市住房公积金管理中心": (("住房公积金缴存证明", "经核验，当事人住房公积金账户正常缴存，月缴存额 {n} 元。", 10),),
    "海东市自然资源和规划局": (("不动产登记受理凭证", "当事人申请的不动产登记已受理，不动产单元建筑面积 {n} 平方米。", 50),),
    "海东市公安局": (("户籍证明", "兹证明当事人户籍登记在本辖区，同户人口 {n} 人。", 1500),),
    "海东市民政局": (("婚姻登记记录证明", "经查询婚姻登记档案，当事人共有婚姻登记记录 {n} 条。", 2500),),
}
_GENERIC_DOCS = (("办理结果证明", "兹证明当事人申请事项已办结，实际办理用时 {n} 个工作日。", 700),)


@dataclass(frozen=True)
class SealExercise:
    """What the trainee gets: the public registry and the received files (bytes)."""
    registry: SealRegistry
    files: tuple[bytes, ...]
    expected_units: tuple[str, ...]  # the unit each file should come from


def _draw_kind(rng: np.random.Generator, sc: SealScenario) -> str:
    u = rng.random()
    if u < sc.p_tampered:
        return "tampered"
    if u < sc.p_tampered + sc.p_revoked:
        return "revoked"
    if u < sc.p_tampered + sc.p_revoked + sc.p_wrong_unit:
        return "wrong_unit"
    return "valid"


@dataclass(frozen=True)
class _Plan:
    kind: str
    unit: str
    seal_unit: str  # whose seal signs (another unit's for wrong_unit)
    day: date
    subject: str
    amount: int  # 100 … 9,800: the document's figure is derived from it (see _UNIT_DOCS)
    title: str
    body: str


def _plan(rng: np.random.Generator, sc: SealScenario, subjects: tuple[str, ...]) -> _Plan:
    kind = _draw_kind(rng, sc)
    unit = sc.units[int(rng.integers(0, len(sc.units)))]
    seal_unit = unit
    if kind == "wrong_unit":  # signed with another unit's seal but issued in this unit's name
        seal_unit = [u for u in sc.units if u != unit][int(rng.integers(0, len(sc.units) - 1))]
    day = sc.first_day + timedelta(days=int(rng.integers(0, sc.span_days)))
    subject = subjects[int(rng.integers(0, len(subjects)))]
    amount = int(rng.integers(1, 99)) * 100
    docs = _UNIT_DOCS.get(unit, _GENERIC_DOCS)
    title, body, scale = docs[int(rng.integers(0, len(docs)))]
    return _Plan(kind, unit, seal_unit, day, subject, amount, title, body.format(n=max(1, amount // scale)))


def _revocations(rng: np.random.Generator, reg: SealRegistry, plans: list[_Plan]) -> SealRegistry:
    """First pass: revoke one seal of the unit of each 'revoked' file shortly before its day."""
    for p in plans:
        if p.kind != "revoked":
            continue
        seals = reg.of_unit(p.seal_unit)
        seal = seals[int(rng.integers(0, len(seals)))]
        if seal.revoked_on is None or seal.revoked_on > p.day:
            on = p.day - timedelta(days=int(rng.integers(1, 30)))
            reg = replace(reg, seals=tuple(replace(x, revoked_on=on, revoke_reason="印章遗失") if x is seal else x
                                           for x in reg.seals))
    return reg


def _pick_seal(rng: np.random.Generator, reg: SealRegistry, p: _Plan) -> Seal:
    seals = reg.of_unit(p.seal_unit)
    live = [s for s in seals if s.revoked_on is None or s.revoked_on > p.day]
    dead = [s for s in seals if s not in live]
    pool = dead if p.kind == "revoked" and dead else (live or seals)
    return pool[int(rng.integers(0, len(pool)))]


def _truth(p: _Plan, seal: Seal) -> tuple[str, ...]:
    # Written from the plan, not by calling verify(): the grader must not trust the code it grades.
    out = []
    if p.seal_unit != p.unit:
        out.append("wrong_unit")
    if seal.revoked_on is not None and seal.revoked_on <= p.day:
        out.append("revoked")
    if p.kind == "tampered":
        out.append("tampered")
    return tuple(out)


def _one_file(keys: SealKeys, seal: Seal, p: _Plan, i: int) -> bytes:
    body = f"{p.body}（{SYNTHETIC_MARK}）"
    doc = _sign(keys.keys[seal.seal_id], doc_no=f"海东电签〔{p.day.year}〕{i + 1:04d}号", title=p.title,
                unit=p.unit, subject_id=p.subject, body=body, signed_on=p.day, seal_id=seal.seal_id)
    if p.kind == "tampered":  # the figure inflated tenfold after signing: digest and signature kept
        n = next(w for w in p.body.split() if w.isdigit())
        doc = replace(doc, body=body.replace(f" {n} ", f" {int(n) * 10} ", 1))
    return to_bytes(doc)


def _generate(sc: SealScenario, seed: int, subjects: tuple[str, ...]) -> tuple[SealExercise, tuple[tuple[str, ...], ...]]:
    reg, keys = build_registry(sc, seed)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xD0C5]))
    plans = [_plan(rng, sc, subjects) for _ in range(sc.documents)]
    reg = _revocations(rng, reg, plans)
    files, truth = [], []
    for i, p in enumerate(plans):
        seal = _pick_seal(rng, reg, p)
        files.append(_one_file(keys, seal, p, i))
        truth.append(_truth(p, seal))
    return SealExercise(reg, tuple(files), tuple(p.unit for p in plans)), tuple(truth)


def seal_exercise(sc: SealScenario, seed: int, subjects: tuple[str, ...]) -> SealExercise:
    """A batch of received sealed files for a trainee to verify (no answers inside).

    ``subjects`` are the ID numbers / credit codes the documents are about (from the population).
    """
    if not subjects:
        raise SealError("至少需要一个当事人证件号")
    return _generate(sc, seed, subjects)[0]


def seal_truth(sc: SealScenario, seed: int, subjects: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Grader side: the reason codes each file must fail with (empty = a valid file)."""
    return _generate(sc, seed, subjects)[1]


def verification_counts(results: tuple[Verification, ...] | list[Verification]) -> dict[str, int]:
    """Files checked, passed, and failures per reason code (one file may fail for several)."""
    out = {"checked": len(results), "passed": sum(r.ok for r in results)}
    for code in REASONS:
        out[code] = sum(code in r.reasons for r in results)
    return out
