"""Unified identity: the registry's issued numbers, registration checks, legacy migration and its score."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox import platform as pf
from sandbox.base.ids import is_valid_id_number, make_id_number
from sandbox.platform import grader
from sandbox.platform.api import BackOffice, build_world
from sandbox.platform.identity import (LegacyRecord, RegistrationForm, Rules, aliases, county_code_of, migrate,
                                       registry_id, score_migration)
from sandbox.platform.legacy import _bad_check, _rewrite, _typo

import numpy as np


@lru_cache(maxsize=1)
def world():
    return build_world(pf.default_platform_scenario(), 3)


def test_issued_numbers_keep_the_old_codes_and_stay_valid():
    now = make_id_number("630203", date(1980, 5, 1), 12, True)
    old = registry_id(now, date(1980, 5, 1))
    assert old.startswith("632121") and is_valid_id_number(old)
    assert registry_id(make_id_number("630203", date(2014, 5, 1), 12, True), date(2014, 5, 1)).startswith("630221")
    assert registry_id(make_id_number("630224", date(2016, 5, 1), 12, True), date(2016, 5, 1)).startswith("630224")
    for code in ("632121", "630221", "630203"):
        assert county_code_of(code + "19800501123X") == "630203"
    assert set(a[:6] for a in aliases(old)) == {"630221", "630203"}


def test_registration_needs_the_id_and_two_matching_proofs():
    w = world()
    reg = w.registry
    pid = next(i for i in range(len(reg.ids)) if reg.factors["社保卡"][i])
    office = BackOffice(w)
    good = RegistrationForm(reg.names[pid], reg.ids[pid], (("mobile", reg.factors["mobile"][pid]),
                                                            ("社保卡", reg.factors["社保卡"][pid])))
    assert office.verify_registration(good).ok and office.verify_registration(good).level == 2
    assert office.verify_registration(good, face_verified=True).level == 3
    one = RegistrationForm(reg.names[pid], reg.ids[pid], (("mobile", reg.factors["mobile"][pid]), ("社保卡", "X")))
    v = office.verify_registration(one)
    assert not v.ok and any("两项" in r for r in v.reasons)
    wrong_name = RegistrationForm("某某某", reg.ids[pid], good.proofs)
    assert office.verify_registration(wrong_name).reasons == ("姓名与身份证号不一致",)
    bad = RegistrationForm(reg.names[pid], reg.ids[pid][:17] + ("0" if reg.ids[pid][17] != "0" else "1"), good.proofs)
    assert not office.verify_registration(bad).ok


def test_baseline_migration_repairs_every_fault_and_scores_perfectly():
    ps = pf.default_platform_scenario()
    truth = grader.ground_truth(ps, 3)
    records = grader.legacy_records(ps, 3)
    faults = {f for fl in truth.legacy_faults.values() for f in fl}
    assert {"姓名错字", "校验位错误", "区划代码被改写", "手机号过时", "非真实用户"} <= faults
    assert any(sum(1 for v in truth.legacy_person.values() if v == p) > 1 for p in truth.legacy_person.values() if p)
    result = BackOffice(world()).migrate(records)
    score = score_migration(result.person, truth.legacy_person)
    assert (score.merge_precision, score.merge_recall, score.wrongly_rejected, score.wrongly_accepted,
            score.wrong_person) == (1.0, 1.0, 0, 0, 0)
    stale = {r for r, f in truth.legacy_faults.items() if "手机号过时" in f and truth.legacy_person[r]}
    assert stale <= set(result.reverify_mobile)


def test_naive_migration_loses_people_and_the_score_shows_it():
    """The scorer must see what an exact-match migration gets wrong (the test fails on a scorer that can't)."""
    ps = pf.default_platform_scenario()
    truth = grader.ground_truth(ps, 3)
    naive = migrate(grader.legacy_records(ps, 3), world().registry, Rules(False, False, False))
    score = score_migration(naive.person, truth.legacy_person)
    assert score.wrongly_rejected > 50 and score.merge_recall < 1.0
    assert score.merge_precision == 1.0


def test_score_counts_pairs():
    truth = {"a": "X", "b": "X", "c": "Y", "d": None}
    assert score_migration({"a": "X", "b": "X", "c": "Y", "d": None}, truth).merge_recall == 1.0
    s = score_migration({"a": "X", "b": "Z", "c": "Y", "d": "Q"}, truth)
    assert (s.merge_recall, s.wrong_person, s.wrongly_accepted) == (0.0, 1, 1)
    s = score_migration({"a": "X", "b": "X", "c": "X", "d": None}, truth)
    assert s.merge_precision == pytest.approx(1 / 3, abs=1e-4) and s.wrong_person == 1


FAULTS = st.fixed_dictionaries({"typo": st.booleans(), "check": st.booleans(), "region": st.booleans(),
                                "spaces": st.booleans()})


@settings(max_examples=150, deadline=None)
@given(pid=st.integers(0, 19_999), faults=FAULTS, seed=st.integers(0, 2**16))
def test_a_faulty_record_is_repaired_to_its_person_never_to_a_second_one(pid, faults, seed):
    reg = world().registry
    rng = np.random.default_rng(seed)
    name, idn = reg.names[pid], reg.ids[pid]
    if faults["typo"] and len(name) >= 2:
        name = _typo(name, rng)
    if faults["region"]:
        idn = _rewrite(idn, rng)
    if faults["check"]:
        idn = _bad_check(idn, rng)
    if faults["spaces"]:
        idn = " ".join(idn[i:i + 6] for i in range(0, 18, 6)).lower()
    recs = [LegacyRecord("人社", "r1", name, idn, "13800000000", date(2020, 1, 1)),
            LegacyRecord("医保", "r2", reg.names[pid], reg.ids[pid], reg.factors["mobile"][pid], date(2021, 1, 1))]
    res = migrate(recs, reg)
    assert res.person == {"r1": reg.ids[pid], "r2": reg.ids[pid]}
    assert res.accounts == {reg.ids[pid]: ("r1", "r2")}


@lru_cache(maxsize=1)
def some_records():
    return grader.legacy_records(pf.default_platform_scenario(), 3)[:40]


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(list(range(40))))
def test_migration_does_not_depend_on_record_order(order):
    records = some_records()
    a = migrate(records, world().registry)
    b = migrate([records[i] for i in order], world().registry)
    assert a.person == b.person and a.accounts == b.accounts


@settings(max_examples=50, deadline=None)
@given(birth=st.dates(date(1940, 1, 1), date(2010, 12, 31)), seq=st.integers(0, 999))
def test_nobody_is_never_merged(birth, seq):
    reg = world().registry
    idn = make_id_number("630202", birth, seq, True)
    if reg.pid_of(idn) is not None or any(reg.pid_of(a) is not None for a in aliases(idn)):
        return
    res = migrate([LegacyRecord("公安", "x", "测试用户", idn, "", date(2020, 1, 1))], reg)
    assert res.person == {"x": None} and res.rejected["x"] == "人口库中查无此人"


def test_registration_exercise_is_scored_against_the_truth():
    ps = pf.default_platform_scenario()
    from sandbox.platform.api import registration_queue

    w, forms = registration_queue(ps, 12, 40)
    truth = grader.ground_truth(ps, 12, registrations=40)
    office = BackOffice(w)
    verdicts = [office.verify_registration(f, face_verified=case == "三级（当面核验）").ok
                for f, (case, _) in zip(forms, truth.registrations)]
    assert grader.score_registrations(verdicts, truth)["right"] == 40
    lax = grader.score_registrations([True] * 40, truth)
    assert lax["wrongly_approved"] == sum(not ok for _, ok in truth.registrations) > 0
    assert all(reg_id_is_valid for reg_id_is_valid in map(is_valid_id_number, w.registry.ids))
