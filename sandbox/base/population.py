"""The synthetic population of Haidong: citizens and firms, built once per seed and reused.

Every identifier is derived from one source of truth per person (county → region code, birth date,
gender → 身份证号), unlike Faker's ``profile()`` whose fields are independent. Names draw on Faker's
zh_CN surname weights plus the surnames and given names common among Haidong's Hui, Tu, Salar and
Tibetan residents, so a roster looks like Haidong rather than like a generic Chinese city.

Everything here is synthetic (合成数据); nothing refers to a real person or firm.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from faker.providers.person.zh_CN import Provider as _FakerPerson

from .geography import (COUNTIES, LANGUAGE_BY_ETHNICITY, STREETS, VILLAGE_STEMS, WORK_PROVINCES,
                        County)
from .ids import SYNTHETIC_MARK, issued_code, make_id_number, make_uscc

__all__ = ["Citizen", "Firm", "Population", "build_population", "SYNTHETIC_MARK"]


@dataclass(frozen=True, slots=True)
class Citizen:
    pid: int
    name: str
    id_number: str
    gender: str  # 男 / 女
    birth_date: date
    age: int  # at the population's reference date (0 for a child born that year); at a case date use :meth:`age_on`
    county: str
    ethnicity: str
    language: str  # home language besides Mandarin
    speaks_mandarin: bool  # False → needs the dialect desk / a helper
    elderly: bool  # 60 and over
    disabled: bool
    mobile: str  # a child's is the guardian's contact number, as the household register keeps it
    address: str
    works_elsewhere: str | None  # province where they work (跨省通办), or None

    def age_on(self, day: date) -> int:
        """Full years on ``day`` (a case date), not frozen at the reference date."""
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


@dataclass(frozen=True, slots=True)
class Firm:
    fid: int
    name: str
    uscc: str
    kind: str  # 企业 / 个体工商户 / 农民专业合作社
    industry: str
    county: str
    legal_rep_pid: int
    address: str


@dataclass(frozen=True)
class Population:
    seed: int
    reference_date: date
    citizens: tuple[Citizen, ...]  # adults first (pids 0..n_adults-1), then the minors
    firms: tuple[Firm, ...]
    # Columnar views for fast sampling inside simulations.
    county_index: np.ndarray  # int, index into COUNTIES per citizen
    elderly: np.ndarray  # bool, at the reference date only: at a case date use :meth:`ages_on`
    disabled: np.ndarray  # bool
    speaks_mandarin: np.ndarray  # bool
    works_elsewhere: np.ndarray  # bool
    birth_year: np.ndarray  # int16
    birth_md: np.ndarray  # int16: month * 100 + day
    n_adults: int = -1  # citizens 18 and over at the reference date (they come first); -1: all

    @property
    def adults(self) -> int:
        """How many citizens were adults at the reference date: pids below this are adults."""
        return len(self.citizens) if self.n_adults < 0 else self.n_adults

    def ages_on(self, person: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        """Full years of ``person`` (indices) on ``day`` (date ordinals, one per person, or one for all)."""
        d = np.asarray(day, dtype=np.int64)
        if d.ndim == 0:
            x = date.fromordinal(int(d))
            y, md = np.int64(x.year), np.int64(x.month * 100 + x.day)
        else:
            y, md = _year_md(d)
        return (y - self.birth_year[person] - (md < self.birth_md[person])).astype(np.int64)

    def citizens_of(self, county_name: str) -> np.ndarray:
        """Indices of the citizens living in a county."""
        idx = [i for i, c in enumerate(COUNTIES) if c.name == county_name]
        if not idx:
            raise KeyError(county_name)
        return np.flatnonzero(self.county_index == idx[0])

    def adults_of(self, county_name: str) -> np.ndarray:
        """Indices of the citizens of a county who were adults at the reference date (callers, filers
        of ordinary matters); children apply only for what their eligibility profile allows."""
        pids = self.citizens_of(county_name)
        return pids[pids < self.adults]


def _year_md(ordinals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar year and month*100+day of date ordinals, vectorised through numpy datetime64."""
    d = (ordinals - date(1970, 1, 1).toordinal()).astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return y.astype(np.int64) + 1970, month * 100 + day


# ---- name stock -----------------------------------------------------------------------------------
_HAN_SURNAMES = tuple(_FakerPerson.last_names.keys())
_HAN_WEIGHTS = np.array(list(_FakerPerson.last_names.values()), dtype=float)
_HAN_WEIGHTS /= _HAN_WEIGHTS.sum()
_SURNAMES = {
    "回族": (("马", 0.45), ("韩", 0.12), ("冶", 0.08), ("何", 0.06), ("喇", 0.05), ("撒", 0.04), ("苏", 0.05),
             ("白", 0.05), ("杨", 0.05), ("沙", 0.05)),
    "撒拉族": (("韩", 0.55), ("马", 0.3), ("沈", 0.08), ("陕", 0.07)),
    "土族": (("李", 0.25), ("祁", 0.2), ("鲁", 0.12), ("吕", 0.1), ("董", 0.1), ("星", 0.08), ("胡", 0.08),
             ("张", 0.07)),
}
_GIVEN_MALE = tuple(_FakerPerson.first_names_male) + (
    "国栋", "建华", "永福", "有德", "成林", "海龙", "志强", "文斌", "发明", "学军", "占福", "万福", "玉林", "生元")
_GIVEN_FEMALE = tuple(_FakerPerson.first_names_female) + (
    "玉兰", "春梅", "桂英", "海燕", "秀梅", "晓燕", "金花", "小花", "梅花", "兰英", "占英", "玉梅")
_HUI_GIVEN_MALE = ("伊布拉", "穆萨", "尔萨", "优素福", "哈三", "忠", "福", "成", "学文", "有福", "德明")
_HUI_GIVEN_FEMALE = ("阿依舍", "法图麦", "麦燕", "索菲", "玉梅", "秀兰", "海燕")
_TIBETAN_MALE = ("才让", "多杰", "扎西", "更登", "仁青", "拉加", "尖措", "索南", "公保", "桑杰", "才旦", "角巴")
_TIBETAN_FEMALE = ("卓玛", "拉毛", "措吉", "才让草", "旦正吉", "娘吉", "央金", "德吉", "吉毛", "拉姆")

_MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "150", "151", "152", "157", "158", "159", "182", "183",
                    "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181",
                    "189", "177", "199", "178")

_FIRM_TRADE = ("河湟", "湟水", "青海湖", "祥瑞", "兴旺", "金源", "鑫盛", "丰泰", "瑞丰", "昆仑", "天佑", "高原",
               "雪域", "安达", "隆盛", "和顺", "永昌", "恒通", "宏远", "聚福")
_FIRM_INDUSTRIES = (
    ("餐饮", "餐饮管理有限公司", 0.16), ("拉面", "拉面馆", 0.12), ("商贸", "商贸有限公司", 0.16),
    ("运输", "运输有限公司", 0.08), ("建筑", "建筑工程有限公司", 0.08), ("农牧", "农牧专业合作社", 0.1),
    ("劳务", "劳务服务有限公司", 0.06), ("旅游", "文化旅游有限公司", 0.05), ("物业", "物业服务有限公司", 0.04),
    ("农产品", "农产品加工有限公司", 0.08), ("汽修", "汽车维修部", 0.04), ("超市", "便民超市", 0.03),
)


def _pick(rng: np.random.Generator, options: tuple, weights: np.ndarray | None = None):
    # searchsorted on the cumulative weights: ~10x faster than Generator.choice for single draws.
    if weights is None:
        return options[int(rng.integers(0, len(options)))]
    i = int(np.searchsorted(np.cumsum(weights), rng.random() * weights.sum(), side="right"))
    return options[min(i, len(options) - 1)]


def _weighted(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], np.ndarray]:
    names = tuple(n for n, _ in pairs)
    w = np.array([p for _, p in pairs], dtype=float)
    return names, w / w.sum()


def _name(rng: np.random.Generator, ethnicity: str, male: bool) -> str:
    if ethnicity == "藏族":
        return _pick(rng, _TIBETAN_MALE if male else _TIBETAN_FEMALE)
    if ethnicity in _SURNAMES:
        surnames, w = _weighted(_SURNAMES[ethnicity])
        surname = _pick(rng, surnames, w)
    else:
        surname = _pick(rng, _HAN_SURNAMES, _HAN_WEIGHTS)
    if ethnicity in ("回族", "撒拉族") and rng.random() < 0.25:
        given = _pick(rng, _HUI_GIVEN_MALE if male else _HUI_GIVEN_FEMALE)
    else:
        stock = _GIVEN_MALE if male else _GIVEN_FEMALE
        given = _pick(rng, stock)
        if len(given) == 1 and rng.random() < 0.55:
            given += _pick(rng, stock)[0]
    return surname + given


def _address(rng: np.random.Generator, county: County) -> str:
    town = _pick(rng, county.townships)
    if town.endswith("镇") and rng.random() < 0.4:
        return f"海东市{county.name}{town}{_pick(rng, STREETS)}{int(rng.integers(1, 300))}号"
    return f"海东市{county.name}{town}{_pick(rng, VILLAGE_STEMS)}村{int(rng.integers(1, 120))}号"


def _age(rng: np.random.Generator) -> int:
    # Adults who come to a service hall: 18–90, with about a fifth 60 and over.
    if rng.random() < 0.21:
        return int(rng.integers(60, 91))
    return int(rng.integers(18, 60))


# Children per adult of the pool (unconfirmed: Qinghai's 2020 census has 20.8% aged 0–14, so 0–17 are
# about a quarter of all residents; 0.3 children per adult gives 23%).
MINORS_PER_ADULT = 0.3


def _citizen(rng: np.random.Generator, pid: int, ref: date, county_weights: np.ndarray,
             minor: bool = False) -> tuple[Citizen, int]:
    ci = int(np.searchsorted(np.cumsum(county_weights), rng.random(), side="right"))
    ci = min(ci, len(COUNTIES) - 1)
    county = COUNTIES[ci]
    if rng.random() < county.minority_share:
        names, w = _weighted(county.minority_mix)
        ethnicity = _pick(rng, names, w)
    else:
        ethnicity = "汉族"
    male = bool(rng.random() < 0.51)
    age = int(rng.integers(0, 18)) if minor else _age(rng)
    birth_year = ref.year - age - 1
    birth = date(birth_year, 1, 1).fromordinal(
        date(birth_year, 1, 1).toordinal() + int(rng.integers(0, 365)))
    if (ref.month, ref.day) >= (birth.month, birth.day):
        age = ref.year - birth.year
    else:
        age = ref.year - birth.year - 1
    elderly = age >= 60
    # Older people in minority communities are likelier to need a dialect or language helper; children
    # learn Mandarin at school (the youngest of minority families may not speak it yet).
    minority = ethnicity in ("藏族", "撒拉族", "土族")
    if minor:
        p_no_mandarin = 0.01 + (0.2 if minority and age < 7 else 0.0)
    else:
        p_no_mandarin = 0.02 + (0.25 if elderly else 0.0) + (0.15 if minority else 0.0)
    mobile = _pick(rng, _MOBILE_PREFIXES) + f"{int(rng.integers(0, 10**8)):08d}"
    works = None
    if 20 <= age <= 55 and rng.random() < county.out_of_province_share:
        works = _pick(rng, WORK_PROVINCES)
    c = Citizen(
        pid=pid,
        name=_name(rng, ethnicity, male),
        # First issued at birth registration, with the county's code of that time (6321xx before 2013).
        id_number=make_id_number(issued_code(county.code, birth), birth, int(rng.integers(0, 1000)), male),
        gender="男" if male else "女",
        birth_date=birth,
        age=age,
        county=county.name,
        ethnicity=ethnicity,
        language=LANGUAGE_BY_ETHNICITY[ethnicity],
        speaks_mandarin=bool(rng.random() >= p_no_mandarin),
        elderly=elderly,
        disabled=bool(rng.random() < (0.09 if elderly else 0.01 if minor else 0.03)),
        mobile=mobile,
        address=_address(rng, county),
        works_elsewhere=works,
    )
    return c, ci


_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _firm(rng: np.random.Generator, fid: int, citizens: tuple[Citizen, ...]) -> Firm:
    rep = citizens[int(rng.integers(0, len(citizens)))]
    for _ in range(20):  # a legal representative of working age (22–70), not an 84-year-old
        if 22 <= rep.age <= 70:
            break
        rep = citizens[int(rng.integers(0, len(citizens)))]
    county = next(c for c in COUNTIES if c.name == rep.county)
    labels = tuple(x[0] for x in _FIRM_INDUSTRIES)
    w = np.array([x[2] for x in _FIRM_INDUSTRIES])
    i = labels.index(_pick(rng, labels, w / w.sum()))
    industry, suffix, _ = _FIRM_INDUSTRIES[i]
    trade = _pick(rng, _FIRM_TRADE) + _pick(rng, _FIRM_TRADE)[0]
    if suffix.endswith("合作社"):
        kind, kind_code = "农民专业合作社", "3"
        name = f"{county.short}县{trade}{suffix}" if "县" in county.name else f"{county.short}区{trade}{suffix}"
        authority = "9"
    elif suffix.endswith(("馆", "部", "超市")):
        kind, kind_code = "个体工商户", "2"
        name = f"{county.short}{trade}{suffix}"
        authority = "9"
    else:
        kind, kind_code = "企业", "1"
        name = f"海东市{trade}{suffix}"
        authority = "9"
    org = "".join(_ORG_CHARS[int(k)] for k in rng.integers(0, 31, size=8))
    return Firm(
        fid=fid,
        name=name,
        uscc=make_uscc(county.code, org, authority=authority, kind=kind_code),
        kind=kind,
        industry=industry,
        county=county.name,
        legal_rep_pid=rep.pid,
        address=_address(rng, county),
    )


@lru_cache(maxsize=8)
def build_population(seed: int = 42, n_citizens: int = 20_000, n_firms: int = 3_000,
                     reference_date: date = date(2024, 1, 1), n_minors: int | None = None) -> Population:
    """Build (once per argument set, then cached) a synthetic population.

    ``n_citizens`` adults (18–90 at ``reference_date``, pids 0..n_citizens-1) and then ``n_minors``
    children aged 0–17 (default ``MINORS_PER_ADULT`` per adult) from their own random stream, so the
    adults are the same with or without children. Counties are weighted by their 2020 census
    population. Same seed → the same people.
    """
    if n_minors is None:
        n_minors = round(n_citizens * MINORS_PER_ADULT)
    if n_citizens < 1 or n_firms < 0 or n_minors < 0:
        raise ValueError("n_citizens must be >= 1, n_firms and n_minors >= 0")
    weights = np.array([c.population for c in COUNTIES], dtype=float)
    weights /= weights.sum()
    total = n_citizens + n_minors
    citizens = []
    county_idx = np.empty(total, dtype=np.int16)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xC171]))
    kid_rng = np.random.default_rng(np.random.SeedSequence([seed, 0xC4D5]))
    for pid in range(total):
        minor = pid >= n_citizens
        c, ci = _citizen(kid_rng if minor else rng, pid, reference_date, weights, minor)
        citizens.append(c)
        county_idx[pid] = ci
    citizens_t = tuple(citizens)
    firm_rng = np.random.default_rng(np.random.SeedSequence([seed, 0xF1A3]))
    firms = tuple(_firm(firm_rng, fid, citizens_t[:n_citizens]) for fid in range(n_firms))
    return Population(
        seed=seed,
        reference_date=reference_date,
        citizens=citizens_t,
        firms=firms,
        n_adults=n_citizens,
        county_index=county_idx,
        elderly=np.fromiter((c.elderly for c in citizens_t), dtype=bool, count=total),
        disabled=np.fromiter((c.disabled for c in citizens_t), dtype=bool, count=total),
        speaks_mandarin=np.fromiter((c.speaks_mandarin for c in citizens_t), dtype=bool, count=total),
        works_elsewhere=np.fromiter((c.works_elsewhere is not None for c in citizens_t), dtype=bool,
                                    count=total),
        birth_year=np.fromiter((c.birth_date.year for c in citizens_t), dtype=np.int16, count=total),
        birth_md=np.fromiter((c.birth_date.month * 100 + c.birth_date.day for c in citizens_t), dtype=np.int16,
                             count=total),
    )
