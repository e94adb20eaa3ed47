"""Children in the synthetic population, applicants who fit their item in the practice cases, and the
catalogue rows a bureau trainer corrected (issue 14, left-overs of points 8–11). Each test fails on
the old behaviour: an adults-only population, practice applicants drawn by a name hint, a passport
marked 多地联办, a bank account counted as an 电子证照."""
from __future__ import annotations

import random
from datetime import date

import numpy as np

import sandbox as sb
from sandbox.base.geography import COUNTIES
from sandbox.base.ids import county_code_of, id_birth_date, id_is_male, is_valid_id_number
from sandbox.base.population import build_population
from sandbox.practice.acceptance import make_application

from hall_runs import CITY


def test_population_has_children_with_valid_ids_of_their_time():
    pop = build_population(7, n_citizens=3000, n_firms=50)
    kids = pop.citizens[pop.adults:]
    assert pop.adults == 3000 and len(kids) >= 600  # about a quarter of all residents are under 18
    assert all(c.age < 18 for c in kids) and all(c.age >= 18 for c in pop.citizens[:pop.adults])
    codes = {c.name: c.code for c in COUNTIES}
    for c in kids:
        assert is_valid_id_number(c.id_number)
        assert county_code_of(c.id_number) == codes[c.county]
        assert id_birth_date(c.id_number) == c.birth_date and id_is_male(c.id_number) == (c.gender == "男")
        # the code in force at birth registration: 6321xx before 2013, 630221 for 平安 in 2013–2014
        if c.birth_date.year < 2013:
            assert c.id_number.startswith("6321")
        elif c.county == "平安区" and c.birth_date.year < 2015:
            assert c.id_number.startswith("630221")
        else:
            assert c.id_number.startswith("6302")
    prefixes = {c.id_number[:4] for c in kids}
    assert prefixes == {"6321", "6302"}  # the realistic mix: born before and after 撤地设市
    # ages at the case date: a child of 17 at the reference date is an adult two years on
    idx = np.arange(pop.adults, len(pop.citizens))
    assert (pop.ages_on(idx, date(2026, 1, 1).toordinal()) >= 18).sum() > 0


def test_children_do_not_change_the_adults():
    with_kids = build_population(7, n_citizens=500, n_firms=20)
    without = build_population(7, n_citizens=500, n_firms=20, n_minors=0)
    assert with_kids.citizens[:500] == without.citizens and with_kids.firms == without.firms
    assert len(without.citizens) == 500 and len(with_kids.citizens) > 500


def test_hall_children_apply_only_where_the_profile_admits_them():
    s = sb.default_scenario().only_hall(CITY)
    rec = sb.simulate(s, 20, 5, start=date(2025, 3, 3), online=False)
    pop = sb.get_population(s.population.seed)
    c = rec.cases
    code = {x: i for i, x in enumerate(rec.item_codes)}
    age = pop.ages_on(c["person"], c["t_arrive"] // 86400 + 719163)
    idc = (c["item"] == code["630200-QR-01001"]) & (c["visit_no"] == 1)
    assert idc.sum() > 10
    # a first 居民身份证 at 16 (or earlier, with a guardian): no longer a stand-in adult of 18–25
    assert (age[idc] >= 10).all() and (age[idc] <= 17).all() and (age[idc] >= 16).any()
    others = ~np.isin(c["item"], [code["630200-QR-01001"]])
    assert (age[others] >= 18).all()  # every other matter is filed by an adult


def test_hotline_callers_are_adults():
    from sandbox.hotline.engine import simulate
    from sandbox.hotline.scenario import HotlineScenario
    rec = simulate(HotlineScenario(start=date(2024, 3, 1), months=1, monthly_volume=800,
                                   population_seed=3, n_citizens=1500), seed=3)
    pop = build_population(3, n_citizens=1500)
    assert len(pop.citizens) > pop.adults
    assert (rec["caller_pid"] < pop.adults).all()  # children call through their parents


def _apps(code: str, n: int = 12):
    pop = build_population(42, n_citizens=3000, n_firms=400)
    item = sb.get_catalog().item(code)
    return [make_application(item, random.Random(s), pop, "medium") for s in range(n)]


def test_practice_applicants_fit_the_item():
    for a in _apps("630200-GF-09004"):  # retirement: the statutory (or early) age in force, never 80
        age = a.applicant.age_on(a.applied_on)
        assert (45 <= age <= 63) if a.applicant.gender == "女" else (50 <= age <= 63)
    assert all(a.applicant.age_on(a.applied_on) >= 80 for a in _apps("630200-GF-08010"))
    assert all(a.applicant.gender == "女" for a in _apps("630200-GF-09102"))
    assert all(10 <= a.applicant.age_on(a.applied_on) <= 17 for a in _apps("630200-QR-01001"))


def test_practice_guardian_applies_for_a_school_child():
    apps = _apps("630200-GG-08019", 6)
    assert all(a.subject is not None and 6 <= a.subject.age_on(a.applied_on) <= 7 for a in apps)
    text = apps[0].describe()
    assert "（监护人）" in text and "办理对象" in text and "未成年人" in text


def test_catalogue_rows_a_trainer_corrected():
    cat = sb.get_catalog()
    passport = cat.item("630200-XK-01008")
    assert passport.cross_province is None and "全国通办" in passport.basis
    for it in cat.items.values():
        for m in it.materials:
            if "银行账户" in m.name:
                assert not m.elicence, it.name
    idcard = cat.item("630200-QR-01001")
    names = [m.name for m in idcard.materials]
    assert not any("授权委托书" in n for n in names)  # in person: photo and fingerprints at the window
    assert any("监护人" in n and not m.required for n, m in zip(names, idcard.materials))


def test_birth_window_never_a_day_short_of_the_minimum_age():
    """A 9-year-old applied for a first ID card (profile: 10–17) when the window rounded 10 years down
    to 3,652 days; every birth inside the window is of age on every day of a year."""
    from types import SimpleNamespace
    from sandbox.hall.context import _birth_window
    el = SimpleNamespace(sex=np.zeros(1, np.int8), min_age=np.array([10]), max_age=np.array([17]),
                         retire=np.zeros(1, bool), retire_tables={})
    days = np.arange(date(2025, 1, 1).toordinal(), date(2026, 1, 1).toordinal())
    _, lo, hi = _birth_window(SimpleNamespace(eligible=el), np.random.default_rng(0), np.zeros(len(days), np.int64), days)
    for d, a, b in zip(days.tolist(), lo.tolist(), hi.tolist()):
        day = date.fromordinal(d)
        for born in (date.fromordinal(a), date.fromordinal(b)):
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
            assert 10 <= age <= 17, (day, born, age)


def test_nobody_fits_then_the_nearest_in_age_not_anyone():
    """With a small synthetic pool an age window is often empty: the applicant is then the person
    nearest in birth date, not a random adult (a 19-year-old claimed a pension that way)."""
    s = sb.default_scenario().only_hall(CITY).evolve({"population.citizens": 300})
    rec = sb.simulate(s, 10, 4, start=date(2025, 6, 2), online=False)
    pop = build_population(s.population.seed, s.population.citizens, s.population.firms)
    c = rec.cases
    code = {x: i for i, x in enumerate(rec.item_codes)}
    age = pop.ages_on(c["person"], c["t_arrive"] // 86400 + 719163)
    ret = (c["item"] == code["630200-GF-09004"]) & (c["visit_no"] == 1) & (c["bundle"] < 0)
    old = (c["item"] == code["630200-GF-08010"]) & (c["visit_no"] == 1)
    assert ret.sum() > 20 and old.sum() > 3
    assert (age[ret] >= 40).all() and (age[ret] <= 70).all()
    assert (age[old] >= 70).all()  # the oldest people of the county when nobody is 80 yet
