"""The 政务服务码 (service code) and 亮码可办: one code per person, scanned at any window.

A person's code links their 社会保障卡, 医保电子凭证, 住房公积金 account and their e-licences
(扫码核验关联电子证照). The code's payload is signed by the platform (Ed25519 over an SM3 digest, as
in :mod:`sandbox.platform.seals`) and time-limited (a phone refreshes it every ``ttl_s`` seconds), and
it carries the synthetic mark itself. It is rendered as a real QR image by **segno** (pure Python,
no dependencies, kept) and read back by the window's scanner with **zxing-cpp** (the maintained
ZXing C++ decoder, shipped as a self-contained wheel: no system library to install, unlike pyzbar,
which needs libzbar0 from apt and was last released in 2022).

The three practices of task 4 replicated in Haidong — 社保卡居民服务"一卡通", 医保电子凭证全流程应用,
公积金个人证明事项"亮码可办" — are flows (data/platform/servicecode_practices.toml) with before/after
figures; :func:`simulate_practices` turns them into immutable records and :func:`before_after` into
visits, minutes and papers saved. Time is passed in (integer seconds), never read from a clock.
"""
from __future__ import annotations

import base64
import io
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import segno
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from sandbox.base.ids import SYNTHETIC_MARK, mask_id, mask_name
from sandbox.platform.seals import sign_digest, sm3_hex, verify_digest
from sandbox.base.population import Population
from sandbox.base.calendar import WorkCalendar, default_calendar

__all__ = [
    "PREFIX", "REFUSALS", "ServiceCodeScenarioError", "ServiceCodeScenario", "servicecode_scenario",
    "ServiceAccount", "link_accounts", "render_account", "CodeIssuer", "CodeVerifier", "build_issuer",
    "ServiceCode", "ScanResult", "check_payload", "render_png", "read_qr", "scan", "PracticeFlow", "practice_flows",
    "PracticeRecords", "simulate_practices", "before_after", "ScanExercise", "scan_exercise", "scan_truth",
]

PREFIX = "HDZWM1"  # 海东政务码, payload format 1
PRACTICES_FILE = Path(__file__).resolve().parent.parent / "data" / "platform" / "servicecode_practices.toml"
_PAYLOAD_RE = re.compile(r"^HDZWM1\|合成数据\|(\d{10})\|(\d{1,12})\|(\d{1,12})\|([0-9a-f]{16})\|([A-Za-z0-9_-]{86})$")
REFUSALS: dict[str, str] = {
    "unreadable": "未识别到二维码，请重新出示",
    "foreign": "不是海东政务服务码，请出示政务服务码",
    "forged": "二维码签名无效，疑似伪造或被改动，拒绝办理",
    "expired": "二维码已过期，请在手机上刷新后重新出示",
    "future": "二维码签发时间晚于核验时间，请核对设备时间",
    "unknown_account": "码内账户不存在或已注销",
}
ELICENCES = (("居民身份证", 1.0), ("居民户口簿", 0.85), ("结婚证", 0.5), ("机动车驾驶证", 0.4),
             ("不动产权证书", 0.35), ("残疾人证", 0.0))  # 残疾人证 follows the citizen's flag


class ServiceCodeScenarioError(ValueError):
    """A service-code scenario value is wrong; ``field`` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(f"场景参数 servicecode.{field_name}: {message}")


@dataclass(frozen=True)
class ServiceCodeScenario:
    ttl_s: int = 120  # a code is valid this long after issue (the app refreshes it)
    skew_s: int = 30  # clock difference tolerated between phone and scanner
    uptake: float = 0.6  # share of practice matters where the applicant shows the code
    fund_share: float = 0.45  # share of adults with a 住房公积金 account
    cases_per_day: float = 400.0  # practice matters citywide per working day
    minutes_sigma: float = 0.35  # lognormal spread of an applicant's minutes around the flow's mean
    qr_error: str = "M"  # QR error-correction level
    qr_scale: int = 4  # pixels per module
    # Exercise mix (shares of the scanned codes).
    p_expired: float = 0.15
    p_forged: float = 0.1
    p_tampered: float = 0.1
    p_foreign: float = 0.05


def _num(name: str, v: Any, lo: float, hi: float, integer: bool = False) -> Any:
    ok_type = isinstance(v, int) if integer else isinstance(v, (int, float))
    if isinstance(v, bool) or not ok_type or not lo <= v <= hi:
        kind = "整数" if integer else "数"
        raise ServiceCodeScenarioError(name, f"应为 {lo} 到 {hi} 之间的{kind}，而不是 {v!r}")
    return v if integer else float(v)


_LIMITS = {"ttl_s": (10, 86_400, True), "skew_s": (0, 600, True), "uptake": (0, 1, False),
           "fund_share": (0, 1, False), "cases_per_day": (0, 1e6, False), "minutes_sigma": (0, 2, False),
           "qr_scale": (1, 20, True), "p_expired": (0, 1, False), "p_forged": (0, 1, False),
           "p_tampered": (0, 1, False), "p_foreign": (0, 1, False)}


def servicecode_scenario(values: Mapping[str, Any] | None = None) -> ServiceCodeScenario:
    """Fill defaults, check types and ranges; unknown keys are errors."""
    values = dict(values or {})
    for k in values:
        if k not in ServiceCodeScenario.__dataclass_fields__:
            raise ServiceCodeScenarioError(k, "未知参数")
    out = {k: _num(k, v, *_LIMITS[k]) for k, v in values.items() if k in _LIMITS}
    if "qr_error" in values:
        if values["qr_error"] not in ("L", "M", "Q", "H"):
            raise ServiceCodeScenarioError("qr_error", f"纠错等级应为 L/M/Q/H，而不是 {values['qr_error']!r}")
        out["qr_error"] = values["qr_error"]
    sc = ServiceCodeScenario(**out)
    if sc.p_expired + sc.p_forged + sc.p_tampered + sc.p_foreign > 1:
        raise ServiceCodeScenarioError("p_expired", "过期、伪造、篡改、非本码四者之和不能超过 1")
    if sc.skew_s >= sc.ttl_s:
        raise ServiceCodeScenarioError("skew_s", "容许时差应小于有效期 ttl_s")
    return sc


# ---- accounts -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceAccount:
    account: str  # 10-digit code account (what the QR carries instead of the ID number)
    pid: int
    name: str
    id_number: str  # also the 社会保障号码
    ss_card: str  # 社会保障卡卡号 (format unconfirmed)
    medical_code: str  # 医保电子凭证 个人医保编码 (format unconfirmed)
    fund_account: str  # 住房公积金个人账号, "" if none
    elicences: tuple[str, ...]


def _account(rng: np.random.Generator, c: Any, sc: ServiceCodeScenario) -> ServiceAccount:
    lic = [n for n, p in ELICENCES if rng.random() < p]
    if c.disabled:
        lic.append("残疾人证")
    fund = f"6302{int(rng.integers(0, 10**8)):08d}" if rng.random() < sc.fund_share else ""
    return ServiceAccount(account=f"{c.pid + 1:010d}", pid=c.pid, name=c.name, id_number=c.id_number,
                          ss_card=f"Q{int(rng.integers(0, 10**8)):08d}",
                          medical_code=f"6302{int(rng.integers(0, 10**16)):016d}", fund_account=fund,
                          elicences=tuple(lic))


def link_accounts(population: Population, sc: ServiceCodeScenario, seed: int) -> tuple[ServiceAccount, ...]:
    """Every citizen's service-code account with what it links; same seed → same accounts."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xC0DE]))
    return tuple(_account(rng, c, sc) for c in population.citizens)


def render_account(a: ServiceAccount) -> str:
    """What the window sees after a scan: masked, marked synthetic."""
    fund = f"已关联（{a.fund_account[:4]}****{a.fund_account[-2:]}）" if a.fund_account else "未开户"
    return "\n".join([f"【{SYNTHETIC_MARK}】政务服务码核验通过", f"姓名：{mask_name(a.name)}",
                      f"社会保障号码：{mask_id(a.id_number)}", f"社会保障卡：已关联（{a.ss_card[:2]}******）",
                      f"医保电子凭证：已激活（{a.medical_code[:4]}************{a.medical_code[-4:]}）",
                      f"住房公积金：{fund}", f"关联电子证照：{'、'.join(a.elicences) or '无'}"])


# ---- issuing and checking -------------------------------------------------------------------------
def _b64(sig: bytes) -> str:
    # base64url without padding keeps the QR small (version 9 at level M instead of 10 with hex).
    return base64.urlsafe_b64encode(sig).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes | None:
    """Decode, refusing non-canonical spellings (spare low bits set), so no character is meaningless."""
    raw = base64.urlsafe_b64decode(text + "==")
    return raw if _b64(raw) == text else None


@dataclass(frozen=True)
class ServiceCode:
    payload: str  # the exact text inside the QR

    @property
    def account(self) -> str:
        return self.payload.split("|")[2]


@dataclass(frozen=True)
class CodeIssuer:
    """The platform's signing side (held by the province's platform, not by windows)."""
    key: Ed25519PrivateKey
    sc: ServiceCodeScenario

    def issue(self, account: ServiceAccount, now: int, nonce: int) -> ServiceCode:
        body = f"{PREFIX}|{SYNTHETIC_MARK}|{account.account}|{now}|{now + self.sc.ttl_s}|{nonce % 2**64:016x}"
        return ServiceCode(f"{body}|{_b64(sign_digest(self.key, sm3_hex(body.encode())))}")


@dataclass(frozen=True)
class CodeVerifier:
    """The window's side: the platform's public key and the account look-up."""
    public_key: bytes
    accounts: Mapping[str, ServiceAccount]
    sc: ServiceCodeScenario


def build_issuer(sc: ServiceCodeScenario, accounts: tuple[ServiceAccount, ...], seed: int
                 ) -> tuple[CodeIssuer, CodeVerifier]:
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x155E]))
    key = Ed25519PrivateKey.from_private_bytes(rng.bytes(32))
    table = {a.account: a for a in accounts}
    return CodeIssuer(key, sc), CodeVerifier(key.public_key().public_bytes_raw(), table, sc)


@dataclass(frozen=True)
class ScanResult:
    ok: bool
    reason: str  # code in REFUSALS, "" when ok
    account: ServiceAccount | None = None

    @property
    def message(self) -> str:
        if self.ok and self.account is not None:
            return render_account(self.account)
        return f"【{SYNTHETIC_MARK}】核验不通过：{REFUSALS[self.reason]}"


def check_payload(text: str, verifier: CodeVerifier, now: int) -> ScanResult:
    """Signature first (a forged time must not pass as 'expired'), then time, then the account."""
    if not text.startswith(PREFIX + "|"):
        return ScanResult(False, "foreign")
    m = _PAYLOAD_RE.match(text)
    if m is None:
        return ScanResult(False, "forged")
    body, sig_text = text.rsplit("|", 1)
    sig = _unb64(sig_text)
    if sig is None or not verify_digest(verifier.public_key, sm3_hex(body.encode()), sig):
        return ScanResult(False, "forged")
    iat, exp = int(m.group(2)), int(m.group(3))
    if iat > now + verifier.sc.skew_s:
        return ScanResult(False, "future")
    if now > exp + verifier.sc.skew_s:
        return ScanResult(False, "expired")
    acct = verifier.accounts.get(m.group(1))
    if acct is None:
        return ScanResult(False, "unknown_account")
    return ScanResult(True, "", acct)


def render_png(code: ServiceCode | str, sc: ServiceCodeScenario) -> bytes:
    """A real QR image (PNG bytes) of the payload, byte mode UTF-8 so 合成数据 survives."""
    text = code.payload if isinstance(code, ServiceCode) else code
    buf = io.BytesIO()
    segno.make(text, error=sc.qr_error.lower(), micro=False, encoding="utf-8").save(
        buf, kind="png", scale=sc.qr_scale, border=4)
    return buf.getvalue()


def read_qr(png: bytes) -> str | None:
    """The scanner: decode the first QR code in an image; None if there is none."""
    try:
        img = Image.open(io.BytesIO(png))
        img.load()
    except (OSError, ValueError):
        return None
    found = zxingcpp.read_barcodes(img.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return found[0].text if found else None


def scan(png: bytes, verifier: CodeVerifier, now: int) -> ScanResult:
    """What a window's scanner does: read the image, then check the payload."""
    text = read_qr(png)
    if text is None:
        return ScanResult(False, "unreadable")
    return check_payload(text, verifier, now)


# ---- practices as flows ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PracticeFlow:
    key: str
    name: str
    department: str
    credential: str
    scenes: tuple[str, ...]
    steps_before: tuple[str, ...]
    steps_after: tuple[str, ...]
    before: tuple[int, float, int]  # visits, minutes, papers per matter the old way
    after: tuple[int, float, int]  # the same with the code
    weight: float  # share of practice matters


def _figures(d: Any, where: str) -> tuple[int, float, int]:
    try:
        v, m, p = int(d["visits"]), float(d["minutes"]), int(d["papers"])
    except (KeyError, TypeError, ValueError):
        raise ServiceCodeScenarioError(where, "应有 visits、minutes、papers 三个数") from None
    if v < 0 or m < 0 or p < 0:
        raise ServiceCodeScenarioError(where, "次数、分钟、材料数不能为负")
    return v, m, p


@lru_cache(maxsize=4)
def practice_flows(path: Path | str = PRACTICES_FILE) -> tuple[PracticeFlow, ...]:
    """The three practices, read once from the data file (a trainer may point to another)."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    flows = []
    for i, p in enumerate(raw.get("practice", [])):
        where = f"practice[{i}]"
        try:
            flows.append(PracticeFlow(p["key"], p["name"], p["department"], p["credential"], tuple(p["scenes"]),
                                      tuple(p["steps_before"]), tuple(p["steps_after"]),
                                      _figures(p["before"], where + ".before"), _figures(p["after"], where + ".after"),
                                      float(p["weight"])))
        except KeyError as e:
            raise ServiceCodeScenarioError(f"{where}.{e.args[0]}", "缺少此项") from None
    if not flows:
        raise ServiceCodeScenarioError("practice", "没有任何做法")
    return tuple(flows)


@dataclass(frozen=True)
class PracticeRecords:
    """One row per practice matter; read-only numpy columns. ``base_*`` is the same matter the old way."""
    day: np.ndarray  # date ordinal
    practice: np.ndarray  # index into the flows
    person: np.ndarray  # pid
    used_code: np.ndarray  # bool
    visits: np.ndarray
    minutes: np.ndarray
    papers: np.ndarray
    base_visits: np.ndarray
    base_minutes: np.ndarray
    base_papers: np.ndarray

    def __post_init__(self) -> None:
        for v in self.__dict__.values():
            v.flags.writeable = False

    def __len__(self) -> int:
        return len(self.day)


def _people(rng: np.random.Generator, k: np.ndarray, n_people: int,
            eligible: tuple[np.ndarray | None, ...] | None) -> np.ndarray:
    """Who comes: anyone, or — when accounts are given — only holders of the practice's credential."""
    person = rng.integers(0, n_people, size=len(k)).astype(np.int32)
    if eligible is None:
        return person
    for i, pool in enumerate(eligible):
        m = k == i
        if pool is not None and m.any():
            person[m] = pool[rng.integers(0, len(pool), size=int(m.sum()))]
    return person


def _eligible(flows: tuple[PracticeFlow, ...], accounts: tuple[ServiceAccount, ...]) -> tuple[np.ndarray | None, ...]:
    # Only the housing-fund practice needs an account few people hold; the cards cover everyone.
    fund = np.array([a.pid for a in accounts if a.fund_account], dtype=np.int32)
    return tuple(fund if f.credential == "住房公积金账户" and len(fund) else None for f in flows)


def _day_rows(rng: np.random.Generator, sc: ServiceCodeScenario, flows: tuple[PracticeFlow, ...],
              n_people: int, ordinal: int, eligible: tuple[np.ndarray | None, ...] | None
              ) -> dict[str, np.ndarray]:
    n = int(rng.poisson(sc.cases_per_day))
    w = np.array([f.weight for f in flows])
    k = rng.choice(len(flows), size=n, p=w / w.sum())
    use = rng.random(n) < sc.uptake
    noise = rng.lognormal(0.0, sc.minutes_sigma, size=n) * np.exp(-sc.minutes_sigma**2 / 2)  # mean 1
    before = np.array([f.before for f in flows], dtype=float)[k]
    after = np.array([f.after for f in flows], dtype=float)[k]
    now = np.where(use[:, None], after, before)
    return {"day": np.full(n, ordinal, np.int32), "practice": k.astype(np.int8),
            "person": _people(rng, k, n_people, eligible), "used_code": use,
            "visits": now[:, 0].astype(np.int8), "minutes": (now[:, 1] * noise).astype(np.float32),
            "papers": now[:, 2].astype(np.int8), "base_visits": before[:, 0].astype(np.int8),
            "base_minutes": (before[:, 1] * noise).astype(np.float32), "base_papers": before[:, 2].astype(np.int8)}


def simulate_practices(sc: ServiceCodeScenario, seed: int, start: date, days: int, n_people: int,
                       calendar: WorkCalendar | None = None, flows: tuple[PracticeFlow, ...] | None = None,
                       accounts: tuple[ServiceAccount, ...] | None = None) -> PracticeRecords:
    """Practice matters over ``days`` calendar days (working days only); same seed → same records.

    With ``accounts`` (from :func:`link_accounts`), 公积金 matters come only from fund account holders.
    """
    if days < 0 or n_people < 1:
        raise ServiceCodeScenarioError("days", "天数不能为负，人口至少 1 人")
    cal = calendar or default_calendar(fallback=True)
    flows = flows or practice_flows()
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xF10E]))
    eligible = _eligible(flows, accounts) if accounts is not None else None
    parts = [_day_rows(rng, sc, flows, n_people, d.toordinal(), eligible)
             for d in cal.days(start, date.fromordinal(start.toordinal() + days - 1)) if cal.is_working_day(d)
             ] if days else []
    cols = PracticeRecords.__dataclass_fields__
    if not parts:
        return PracticeRecords(**{c: np.zeros(0) for c in cols})
    return PracticeRecords(**{c: np.concatenate([p[c] for p in parts]) for c in cols})


def before_after(records: PracticeRecords, flows: tuple[PracticeFlow, ...] | None = None) -> dict[str, dict]:
    """Per practice: matters, code uptake, and visits/minutes/papers before (all the old way) and after."""
    flows = flows or practice_flows()
    out: dict[str, dict] = {}
    for i, f in enumerate(flows):
        m = records.practice == i
        before = {"visits": int(records.base_visits[m].sum()), "minutes": round(float(records.base_minutes[m].sum()), 1),
                  "papers": int(records.base_papers[m].sum())}
        after = {"visits": int(records.visits[m].sum()), "minutes": round(float(records.minutes[m].sum()), 1),
                 "papers": int(records.papers[m].sum())}
        out[f.name] = {"matters": int(m.sum()), "used_code": int(records.used_code[m].sum()),
                       "before": before, "after": after,
                       "saved": {k: round(before[k] - after[k], 1) for k in before}, "mark": SYNTHETIC_MARK}
    return out


# ---- exercise: codes shown at a window, ground truth kept apart -----------------------------------
@dataclass(frozen=True)
class ScanExercise:
    verifier: CodeVerifier
    images: tuple[bytes, ...]  # PNGs as the window's scanner sees them
    now: int  # scanning time, integer seconds


def _exercise_payload(rng: np.random.Generator, sc: ServiceCodeScenario, issuer: CodeIssuer,
                      forger: CodeIssuer, accounts: tuple[ServiceAccount, ...], now: int) -> tuple[str, str]:
    a = accounts[int(rng.integers(0, len(accounts)))]
    u, nonce = rng.random(), int(rng.integers(0, 2**63))
    if u < sc.p_expired:
        return issuer.issue(a, now - sc.ttl_s - sc.skew_s - int(rng.integers(1, 3600)), nonce).payload, "expired"
    u -= sc.p_expired
    if u < sc.p_forged:
        return forger.issue(a, now - int(rng.integers(0, sc.ttl_s // 2)), nonce).payload, "forged"
    u -= sc.p_forged
    if u < sc.p_tampered:  # someone else's account written into a genuine code
        other = accounts[(a.pid + 1) % len(accounts)].account
        p = issuer.issue(a, now - int(rng.integers(0, sc.ttl_s // 2)), nonce).payload.split("|")
        return "|".join(p[:2] + [other] + p[3:]), "forged"
    u -= sc.p_tampered
    if u < sc.p_foreign:
        return f"https://pay.example.invalid/{nonce:x}?{SYNTHETIC_MARK}", "foreign"
    return issuer.issue(a, now - int(rng.integers(0, sc.ttl_s // 2)), nonce).payload, ""


def _scan_generate(sc: ServiceCodeScenario, seed: int, accounts: tuple[ServiceAccount, ...], n: int, now: int
                   ) -> tuple[ScanExercise, tuple[str, ...]]:
    issuer, verifier = build_issuer(sc, accounts, seed)
    forger, _ = build_issuer(sc, accounts, seed + 1)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5CA4]))
    pairs = [_exercise_payload(rng, sc, issuer, forger, accounts, now) for _ in range(n)]
    return ScanExercise(verifier, tuple(render_png(p, sc) for p, _ in pairs), now), tuple(t for _, t in pairs)


def scan_exercise(sc: ServiceCodeScenario, seed: int, accounts: tuple[ServiceAccount, ...], n: int, now: int
                  ) -> ScanExercise:
    """``n`` codes shown at a window at time ``now`` — some expired, forged or not a service code."""
    if n < 1 or not accounts:
        raise ServiceCodeScenarioError("n", "至少一个二维码和一个账户")
    return _scan_generate(sc, seed, accounts, n, now)[0]


def scan_truth(sc: ServiceCodeScenario, seed: int, accounts: tuple[ServiceAccount, ...], n: int, now: int
               ) -> tuple[str, ...]:
    """Grader side: the refusal code each image must get ("" = accept)."""
    return _scan_generate(sc, seed, accounts, n, now)[1]
