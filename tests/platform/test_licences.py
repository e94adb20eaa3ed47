"""E-licences: the library by department, holdings with status, 免证办 and cross-region recognition."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from sandbox import platform as pf
from sandbox.platform import grader
from sandbox.platform.api import BackOffice, build_world, exercise_queue, staff_decide
from sandbox.platform.licences import available


@lru_cache(maxsize=4)
def world(cross: bool = True):
    return build_world(pf.default_platform_scenario().evolve({"licences.cross_region": cross}), 5)


def test_library_lists_issuers_and_users_by_department():
    lib = world().library
    assert len(lib.names) >= 5
    assert "公安局" in lib.issue_list and any("身份证" in n for n in lib.issue_list["公安局"])
    issued = {n for v in lib.issue_list.values() for n in v}
    used = {n for v in lib.use_list.values() for n in v}
    assert issued == used == set(lib.names)
    assert lib.firm.any() and (~lib.firm).any()


def test_only_valid_recognised_licences_replace_paper():
    w = world()
    lib, h = w.library, w.holdings
    person_types = np.flatnonzero(~lib.firm)
    t = np.repeat(person_types, 200)
    p = np.tile(np.arange(200), len(person_types))
    ok = available(lib, h, True, t, p, np.full(len(t), -1))
    st = h.person_status[p, t]
    assert ok.any() and not ok[st != 1].any() and ok[(st == 1)].all()
    away = h.person_elsewhere[p, t] & (st == 1)
    assert away.any(), "some licences were issued in another province"
    assert not available(lib, h, False, t, p, np.full(len(t), -1))[away].any()
    assert not available(lib, h, True, np.full(3, -1), np.zeros(3, int), np.full(3, -1)).any()


def test_lookup_is_masked_and_says_whether_the_licence_is_usable():
    w = world()
    office = BackOffice(w)
    lib = w.library
    name = next(n for n in lib.names if not lib.firm[lib.index(n)])
    pid = int(np.flatnonzero(w.holdings.person_status[:, lib.index(name)] == 1)[0])
    v = office.lookup_licence(w.registry.ids[pid], name)
    assert v.status == "有效" and v.recognised and v.data_mark == "合成数据"
    assert "*" in v.holder and w.registry.ids[pid] not in v.holder
    expired = np.flatnonzero(w.holdings.person_status[:, lib.index(name)] == 2)
    if len(expired):
        assert not office.lookup_licence(w.registry.ids[int(expired[0])], name).recognised


def test_a_run_counts_paper_avoided_and_paper_asked_needlessly():
    from platform_runs import run

    s = pf.summary(run())
    assert 0 < s["paper_avoided"] < s["licences_needed"]
    assert 0 < s["paper_needless"] < s["paper_avoided"]
    ps = pf.default_platform_scenario()
    careful = pf.summary(pf.simulate_platform(ps.evolve({"applications.p_staff_ask_paper": 0.0}), 3, 11))
    assert careful["paper_needless"] == 0
    closed = pf.summary(pf.simulate_platform(ps.evolve({"licences.cross_region": False}), 3, 11))
    base = pf.summary(pf.simulate_platform(ps, 3, 11))
    assert closed["paper_avoided"] < base["paper_avoided"]


def test_prereview_exercise_scores_staff_who_ask_for_paper():
    ps = pf.default_platform_scenario()
    w, queue = exercise_queue(ps, 8, 50)
    assert len(queue) == 50 and all("*" in a.display()["申请人"] for a in queue)
    truth = grader.ground_truth(ps, 8)
    rng = np.random.default_rng(0)
    good = {a.app_no: staff_decide(BackOffice(w), a, rng, p_ask_paper=0.0) for a in queue}
    sloppy = {a.app_no: staff_decide(BackOffice(w), a, rng, p_ask_paper=1.0) for a in queue}
    g, s = grader.score_prereview(good, truth), grader.score_prereview(sloppy, truth)
    assert g["accuracy"] == 1.0 and g["paper_needless"] == 0
    assert s["paper_needless"] > 0 and s["accuracy"] < 1.0


def test_the_engine_and_the_back_office_agree_on_every_licence():
    """The bulk rule of the simulation and the officer's look-up are the same rule."""
    for cross in (True, False):
        w = world(cross)
        office = BackOffice(w)
        lib = w.library
        rng = np.random.default_rng(1)
        for _ in range(300):
            t = int(rng.integers(0, len(lib.names)))
            pid = int(rng.integers(0, len(w.registry.ids)))
            firm = int(rng.integers(0, len(w.population.firms))) if lib.firm[t] else -1
            bulk = available(lib, w.holdings, cross, np.array([t]), np.array([pid]), np.array([firm]))[0]
            view = office.lookup_licence(w.registry.ids[pid], lib.names[t], firm=firm if firm >= 0 else None)
            assert bool(bulk) == view.recognised
