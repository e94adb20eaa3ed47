"""电子证照: the licence library (发证清单 and 用证清单 by department), licences held per person and firm
with validity and status, and 免证办 — a material the applicant holds as a valid e-licence is not asked
for on paper (国办发〔2022〕3号; DOMAIN §6).

The library is built from the catalogue: every material marked ``elicence`` (an e-licence can replace
it) is a licence type; its issuing department comes from :data:`ISSUERS` (keyword → department), its
users are the departments of the items that list it. Holdings are drawn once per (population, seed).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from sandbox.base.ids import mask_id, mask_uscc

from .scenario import PlatformScenario

__all__ = ["ISSUERS", "STATUS", "LicenceLibrary", "build_library", "Holdings", "build_holdings", "available",
           "LicenceView", "lookup"]

# Keyword in the material name → issuing department (发证部门). First match wins.
ISSUERS = (("居民身份证", "公安局"), ("身份证", "公安局"), ("户口", "公安局"), ("合法稳定住所", "公安局"),
           ("驾驶人身体条件", "卫生健康委员会"), ("驾驶证", "公安局交通警察支队"), ("行驶证", "公安局交通警察支队"),
           ("营业执照", "市场监督管理局"), ("变更登记", "市场监督管理局"), ("执业药师", "药品监督管理局"),
           ("结婚证", "民政局"), ("离婚证", "民政局"), ("婚姻状况", "民政局"), ("出生医学证明", "卫生健康委员会"),
           ("死亡医学证明", "卫生健康委员会"), ("医务人员执业", "卫生健康委员会"), ("网签", "住房和城乡建设局"),
           ("购房合同", "住房和城乡建设局"), ("消防", "住房和城乡建设局"), ("不动产", "自然资源和规划局"),
           ("土地", "自然资源和规划局"), ("用地", "自然资源和规划局"), ("规划", "自然资源和规划局"),
           ("林木", "林业和草原局"), ("项目代码", "发展和改革委员会"), ("从业资格", "交通运输局"),
           ("社会保障卡", "人力资源和社会保障局"), ("退休", "人力资源和社会保障局"), ("劳动关系", "人力资源和社会保障局"),
           ("参保", "人力资源和社会保障局"), ("残疾人证", "残疾人联合会"), ("毕业证", "教育局"), ("学历", "教育局"),
           ("医保", "医疗保障局"), ("公积金", "住房公积金管理中心"), ("征信", "中国人民银行海东市分行"),
           ("发票", "税务局"), ("税", "税务局"), ("强制保险", "保险机构（金融监管）"), ("借款合同", "贷款银行"),
           ("行政处罚", "作出处罚决定的行政机关"), ("许可证", "行政审批局"), ("资质", "住房和城乡建设局"))
FIRM_WORDS = ("营业执照", "许可证", "资质", "章程", "登记证", "开户")
STATUS = ("未持有", "有效", "已过期", "已注销")


@dataclass(frozen=True, eq=False)
class LicenceLibrary:
    names: tuple[str, ...]  # licence types (material names)
    issuer: tuple[str, ...]  # issuing department per type
    firm: np.ndarray  # bool per type: held by a firm, not a person
    issue_list: dict[str, tuple[str, ...]]  # 发证清单: department -> types it issues
    use_list: dict[str, tuple[str, ...]]  # 用证清单: department -> types its items accept
    slot_type: np.ndarray  # (items, K) licence type of the item's k-th licence material, -1 none
    slot_bit: np.ndarray  # (items, K) int64 material bit of that slot
    slot_required: np.ndarray  # (items, K) bool: a required material

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"证照库中没有“{name}”") from None


def _issuer(name: str) -> str:
    return next((dept for word, dept in ISSUERS if word in name), "政府部门（发证单位待核定）")


def build_library(items) -> LicenceLibrary:
    """The library of an ordered sequence of catalogue items (the order of the hall's item table)."""
    return _library(tuple(items))


@lru_cache(maxsize=4)
def _library(items: tuple) -> LicenceLibrary:
    names: list[str] = []
    users: dict[str, set[str]] = {}
    slots: list[list[tuple[int, int, bool]]] = []
    firm_use: dict[str, bool] = {}
    for it in items:
        row = []
        for j, m in enumerate(it.materials[:62]):
            if not m.elicence:
                continue
            if m.name not in names:
                names.append(m.name)
            users.setdefault(it.department, set()).add(m.name)
            firm_use[m.name] = firm_use.get(m.name, False) or any(w in m.name for w in FIRM_WORDS)
            row.append((names.index(m.name), j, m.required))
        slots.append(row)
    k = max((len(r) for r in slots), default=0) or 1
    st = np.full((len(slots), k), -1, np.int32)
    sb = np.zeros((len(slots), k), np.int64)
    sr = np.zeros((len(slots), k), bool)
    for i, row in enumerate(slots):
        for c, (ti, j, req) in enumerate(row):
            st[i, c], sb[i, c], sr[i, c] = ti, np.int64(1) << j, req
    issuer = tuple(_issuer(n) for n in names)
    issue_list: dict[str, list[str]] = {}
    for n, d in zip(names, issuer):
        issue_list.setdefault(d, []).append(n)
    return LicenceLibrary(
        names=tuple(names), issuer=issuer, firm=np.array([firm_use[n] for n in names], bool),
        issue_list={d: tuple(v) for d, v in sorted(issue_list.items())},
        use_list={d: tuple(sorted(v, key=names.index)) for d, v in sorted(users.items())},
        slot_type=st, slot_bit=sb, slot_required=sr)


@dataclass(frozen=True, eq=False)
class Holdings:
    person_status: np.ndarray  # (citizens, types) int8 index into STATUS
    firm_status: np.ndarray  # (firms, types)
    person_elsewhere: np.ndarray  # (citizens, types) bool: issued in another province
    person_issued: np.ndarray  # (citizens, types) int32 date ordinal of issue (0: none)
    firm_issued: np.ndarray
    valid_years: int = 10


def _status(rng: np.random.Generator, shape: tuple[int, int], lic) -> np.ndarray:
    u = rng.random(shape)
    held = rng.random(shape) < lic.holding_share
    st = np.where(held, 1, 0).astype(np.int8)
    st[held & (u < lic.p_expired)] = 2
    st[held & (u >= lic.p_expired) & (u < lic.p_expired + lic.p_revoked)] = 3
    return st


_HOLDINGS: dict[tuple, tuple[object, Holdings]] = {}


def build_holdings(library: LicenceLibrary, population, scenario: PlatformScenario) -> Holdings:
    """Who holds which licence electronically, its status and issue date.

    A fact of the city, not of a run: drawn from the population's seed and the licence parameters,
    and cached, so every run and exercise on the same city sees the same licences.
    """
    key = (id(population), id(library), scenario.licences, scenario.start_date)
    hit = _HOLDINGS.get(key)
    if hit is not None and hit[0][0] is population and hit[0][1] is library:
        return hit[1]
    if len(_HOLDINGS) >= 4:
        _HOLDINGS.pop(next(iter(_HOLDINGS)))
    h = _draw_holdings(library, population, scenario)
    _HOLDINGS[key] = ((population, library), h)
    return h


def _draw_holdings(library: LicenceLibrary, population, scenario: PlatformScenario) -> Holdings:
    lic = scenario.licences
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(population.seed), 0x11C])))
    nt = len(library.names)
    n_p, n_f = population.adults, len(population.firms)
    ps = _status(rng, (n_p, nt), lic)
    ps[:, library.firm] = 0
    fs = _status(rng, (n_f, nt), lic)
    fs[:, ~library.firm] = 0
    away = population.works_elsewhere[:n_p, None] & (rng.random((n_p, nt)) < lic.p_issued_elsewhere) & (ps > 0)
    start = scenario.start_date.toordinal()
    span = 365 * 10
    # Expired holdings were issued more than ten years ago; valid ones within the last ten.
    pi = np.where(ps == 2, start - span - rng.integers(1, 900, (n_p, nt)), start - rng.integers(1, span, (n_p, nt)))
    fi = np.where(fs == 2, start - span - rng.integers(1, 900, (n_f, nt)), start - rng.integers(1, span, (n_f, nt)))
    # Children (pids after the adults) hold no e-licence in this model: their guardians apply for them.
    kids = len(population.citizens) - n_p
    ps, away, pi = (np.r_[x, np.zeros((kids, nt), x.dtype)] for x in (ps, away, pi))
    return Holdings(ps, fs, away, np.where(ps > 0, pi, 0).astype(np.int32), np.where(fs > 0, fi, 0).astype(np.int32))


def available(library: LicenceLibrary, holdings: Holdings, cross_region: bool, ltype: np.ndarray,
              person: np.ndarray, firm: np.ndarray) -> np.ndarray:
    """Vectorised: may this licence be pulled electronically instead of asking for paper?

    Valid status, the right holder (the firm for firm licences), and — for licences issued in another
    province — only where cross-region recognition is on. ``ltype`` −1 gives False.
    """
    ok = ltype >= 0
    t = np.where(ok, ltype, 0)
    is_firm = library.firm[t]
    f = np.where(firm >= 0, firm, 0)
    st = np.where(is_firm, np.where(firm >= 0, holdings.firm_status[f, t], 0), holdings.person_status[person, t])
    away = np.where(is_firm, False, holdings.person_elsewhere[person, t])
    return ok & (st == 1) & (cross_region | ~away)


@dataclass(frozen=True)
class LicenceView:
    """What the back office sees when it looks a licence up (masked; 合成数据)."""
    licence: str
    holder: str  # masked ID number or credit code
    issuer: str
    status: str
    issued: date | None
    valid_until: date | None
    issued_elsewhere: bool
    recognised: bool  # usable here (valid and, if issued elsewhere, recognised)
    data_mark: str = "合成数据"


def lookup(library: LicenceLibrary, holdings: Holdings, population, cross_region: bool, licence: str,
           *, person: int | None = None, firm: int | None = None) -> LicenceView:
    t = library.index(licence)
    if bool(library.firm[t]):
        if firm is None:
            raise ValueError(f"“{licence}”是企业证照，请按统一社会信用代码查询")
        st, iss, away, holder = (int(holdings.firm_status[firm, t]), int(holdings.firm_issued[firm, t]), False,
                                 mask_uscc(population.firms[firm].uscc))
    else:
        if person is None:
            raise ValueError(f"“{licence}”是个人证照，请按身份证号查询")
        st, iss, away = (int(holdings.person_status[person, t]), int(holdings.person_issued[person, t]),
                         bool(holdings.person_elsewhere[person, t]))
        holder = mask_id(population.citizens[person].id_number)
    issued = date.fromordinal(iss) if iss else None
    until = issued + timedelta(days=365 * holdings.valid_years) if issued else None
    return LicenceView(licence, holder, library.issuer[t], STATUS[st], issued, until, away,
                       st == 1 and (cross_region or not away))
