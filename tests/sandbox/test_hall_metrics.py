"""Metric definitions (DOMAIN §9) on hand-made records whose answers are known."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest

import sandbox as sb
from sandbox.hall.records import CASE_COLUMNS, OUTCOME, POOL_COLUMNS, Records

DAY0 = (date(2024, 1, 2).toordinal() - 719163) * 86400
H9 = DAY0 + 9 * 3600


def _records(rows: list[dict]) -> Records:
    defaults = {k: -1 for k in CASE_COLUMNS}
    defaults.update(visit_no=1, channel=0, hall=0, pool=0, window=1, ticket=1, county=0, person=0, item=0,
                    appointment=False, green=False, elderly=False, cross=0, ahead=0, outcome=0, overtime=False,
                    materials=1, missing=0, elicence=0, promised=0, pledge_false=False, rating=0, bundle=-1,
                    life_event=-1, event_id=-1, firm=-1)
    cols = {k: np.array([{**defaults, **r}[k] for r in rows]) for k in CASE_COLUMNS}
    pools = {k: np.array([0, date(2024, 1, 2).toordinal(), 0, 2, 2 * 3600, 3600, 3][i:i + 1])
             for i, k in enumerate(POOL_COLUMNS)}
    return Records.build(cols, pools, hall_names=("测试大厅",), item_codes=("X",), item_names=("测试事项",),
                         bundle_names=(), start=date(2024, 1, 2), days=1, seed=0, scenario_name="t")


@pytest.fixture()
def rec() -> Records:
    m = 60
    return _records([
        # matter 1: one hall visit, done on the spot, waited 10 min, rated 非常满意
        dict(case_id=1, matter_id=1, t_arrive=H9, t_number=H9, t_called=H9 + 10 * m, t_end=H9 + 20 * m,
             outcome=OUTCOME["即办"], t_done=H9 + 20 * m, on_time=1, rating=1, t_rating=H9 + 21 * m),
        # matter 2: 补正 (one-time list) after a 20-minute wait, came back (wait 30), accepted, completed on time
        dict(case_id=2, matter_id=2, t_arrive=H9 + m, t_number=H9 + m, t_called=H9 + 21 * m,
             t_end=H9 + 30 * m, outcome=OUTCOME["补正"], missing=1, rating=4, t_rating=H9 + 31 * m),
        # matter 3: online, accepted, overdue, rated 非常不满意
        dict(case_id=3, matter_id=3, channel=1, hall=-1, pool=-1, window=-1, ticket=-1, t_arrive=H9 + 2 * m,
             t_end=H9 + 3 * m, outcome=OUTCOME["受理"], promised=1, t_done=H9 + 3 * 86400, on_time=0,
             rating=5, t_rating=H9 + 3 * 86400 + m),
        # matter 4: gave up after 40 minutes
        dict(case_id=4, matter_id=4, t_arrive=H9 + 3 * m, t_number=H9 + 3 * m, t_left=H9 + 43 * m,
             outcome=OUTCOME["放弃离开"]),
        dict(case_id=5, matter_id=2, visit_no=2, t_arrive=H9 + 60 * m, t_number=H9 + 60 * m,
             t_called=H9 + 90 * m, t_end=H9 + 100 * m, outcome=OUTCOME["受理"], promised=3,
             t_done=H9 + 86400, on_time=1, rating=2, t_rating=H9 + 101 * m),
    ])


def test_summary_definitions(rec):
    s = sb.summary(rec)
    assert s["cases"] == 5 and s["hall_visits"] == 4 and s["matters"] == 4 and s["completed_matters"] == 3
    assert s["mean_wait_min"] == pytest.approx((10 + 20 + 30) / 3)  # only people who were called
    assert s["p90_wait_min"] == pytest.approx(np.percentile([10, 20, 30], 90))
    assert s["abandonment_rate"] == pytest.approx(1 / 4)
    assert s["one_visit_rate"] == pytest.approx(2 / 3)  # matter 2 needed two visits; online counts as one
    assert s["on_time_rate"] == pytest.approx(2 / 3)
    assert s["instant_rate"] == pytest.approx(1 / 3)
    assert s["visits_per_matter"] == pytest.approx((1 + 2 + 0) / 3)
    assert s["satisfaction_rate"] == pytest.approx(2 / 4)
    assert s["bad_rating_rate"] == pytest.approx(2 / 4)
    assert s["correction_rate"] == pytest.approx(1 / 3)  # 补正率: one of the three decided visits
    assert s["refusal_rate"] == 0  # 不予受理率: a 补正 is not a refusal
    assert s["utilisation"] == pytest.approx(0.5)


def test_breakdown_by_channel(rec):
    df = sb.breakdown(rec, "channel")
    assert df.loc["网上办", "cases"] == 1 and df.loc["窗口", "cases"] == 4
    assert df.loc["网上办", "on_time_rate"] == 0.0
    with pytest.raises(ValueError):
        sb.breakdown(rec, "colour")


def test_queue_length_and_littles_law(rec):
    q = sb.queue_length(rec, 0, date(2024, 1, 2), step_s=60)
    at = lambda minute: int(q.loc[q["time"] == q["time"].iloc[0] + np.timedelta64(minute, "m"), "waiting"].iloc[0])  # noqa: E731
    assert at(0) == 1 and at(5) == 3  # numbers 1, 2 and 4 taken, nobody called yet at 09:05
    assert at(15) == 2  # case 1 called at 09:10
    ll = sb.littles_law(rec, 0, date(2024, 1, 2))
    assert ll["n"] == 4 and ll["L"] == pytest.approx(ll["lambda_W"])


def test_real_run_breakdowns_are_consistent():
    from hall_runs import run
    r = run("baseline", 7, 11)
    by_hall = sb.breakdown(r, "hall")
    assert by_hall["hall_visits"].sum() == sb.summary(r)["hall_visits"]
    by_kind = sb.breakdown(r, "window_kind")
    assert {"综合窗口", "社会保障", "住房公积金"} <= set(by_kind.index)
    by_county = sb.breakdown(r, "county")
    assert by_county["cases"].sum() == len(r)
    items = sb.breakdown(r, "item")
    assert len(items) > 50
    u = sb.utilisation(r)
    assert ((u["utilisation"] >= 0) & (u["utilisation"] <= 1.5)).all()
    s = sb.summary(r)
    assert 0.9 < s["satisfaction_rate"] <= 1 and 0.9 < s["on_time_rate"] <= 1
    assert s["mean_wait_min"] < 15  # a normal day is lightly loaded (DOMAIN §8)


def test_an_empty_run_gives_empty_figures_not_errors(tmp_path):
    r = sb.simulate(sb.default_scenario().only_hall(0), 1, 1, online=False)  # 2024-01-01: New Year holiday
    assert len(r) == 0
    s = sb.summary(r)
    assert s["cases"] == 0 and np.isnan(s["mean_wait_min"])
    assert len(sb.breakdown(r, "hall")) == 0 and len(sb.bundle_report(r)) == 0
    rid = sb.save_run(tmp_path / "e.sqlite", r)
    assert len(sb.load_records(tmp_path / "e.sqlite", rid)) == 0
