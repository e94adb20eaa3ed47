"""SQLite storage: round trip, replacing a run, pandas loading."""
from __future__ import annotations

import numpy as np
import pytest

import sandbox as sb
from sandbox.storage import hall as storage

from hall_runs import SMALL


@pytest.fixture(scope="module")
def small() -> sb.Records:
    return sb.simulate(sb.default_scenario().only_hall(SMALL), 4, 8)


def test_round_trip(tmp_path, small):
    db = tmp_path / "runs.sqlite"
    rid = sb.save_run(db, small)
    back = sb.load_records(db, rid)
    assert len(back) == len(small)
    for k in small.cases:
        np.testing.assert_array_equal(back.cases[k], small.cases[k], err_msg=k)
    for k in small.pools:
        np.testing.assert_array_equal(back.pools[k], small.pools[k], err_msg=k)
    assert back.hall_names == small.hall_names and back.item_codes == small.item_codes
    assert back.start == small.start and back.seed == small.seed
    assert sb.summary(back)["mean_wait_min"] == pytest.approx(sb.summary(small)["mean_wait_min"])
    steps = sb.case_journey(back, int(back.cases["case_id"][0]))
    assert steps


def test_run_ids_replace_and_list(tmp_path, small):
    db = tmp_path / "runs.sqlite"
    a = sb.save_run(db, small)
    b = sb.save_run(db, small)
    assert a != b
    sb.save_run(db, small, run_id="fixed")
    sb.save_run(db, small, run_id="fixed")  # replaced, not doubled
    runs = sb.list_runs(db)
    assert set(runs["run_id"]) == {a, b, "fixed"}
    assert (runs["data_mark"] == "合成数据").all()
    eng = storage.engine_for(db)
    with eng.connect() as conn:
        n = conn.exec_driver_sql("SELECT COUNT(*) FROM cases WHERE run_id = 'fixed'").scalar()
    assert n == len(small)
    df = sb.load_cases(db, "fixed")
    assert len(df) == len(small) and str(df["outcome"].dtype) == "category"
    assert df["t_arrive"].dtype.kind == "M"
    with pytest.raises(KeyError):
        sb.load_records(db, "nope")
    storage.delete_run(db, "fixed")
    assert "fixed" not in set(sb.list_runs(db)["run_id"])
