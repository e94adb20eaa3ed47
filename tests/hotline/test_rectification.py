"""The 好差评 rectification loop across hall, online and hotline ratings."""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from sandbox.practice import rectification as R
from sandbox.storage import hotline as storage

T = datetime(2024, 9, 27, 10)  # Friday before National Day


def _r(i, level, unit="乐都区住建局", item="物业服务质量", source="hotline", at=T):
    return R.Rating(f"r{i}", source, unit, item, level, at)


def test_deadline_counts_working_days_and_is_configurable():
    c = R.open_case(_r(1, "不满意"))
    # 5 working days after Fri 09-27: Sun 09-29 (adjusted), 09-30, then 10-08, 10-09, 10-10
    assert c.deadline == datetime(2024, 10, 10, 18)
    c7 = R.open_case(_r(1, "不满意"), R.RectificationConfig(deadline_working_days=7))
    assert c7.deadline == datetime(2024, 10, 12, 18)  # Sat 10-12 was a working day
    with pytest.raises(ValueError, match="不是差评"):
        R.open_case(_r(2, "满意"))


def test_full_loop_and_errors():
    c = R.open_case(_r(1, "非常不满意"))
    with pytest.raises(R.RectificationError, match="待核实.*整改"):
        R.rectify(c, T + timedelta(hours=1), note="x")
    R.callback(c, T + timedelta(hours=2), confirmed=True)
    R.rectify(c, T + timedelta(days=3), note="更换物业管理人员")
    R.reply(c, T + timedelta(days=3, hours=2), text="已反馈")
    R.re_rate(c, T + timedelta(days=4), level="满意")
    assert c.state is R.CaseState.RERATED and c.on_time and c.new_level == "满意"
    with pytest.raises(R.RectificationError):
        R.appeal(c, T + timedelta(days=5), upheld=True, reason="x")


def test_appeal_voids_and_baseless_is_explained():
    a = R.open_case(_r(1, "不满意"))
    R.appeal(a, T + timedelta(hours=1), upheld=False, reason="单位认为误评")
    assert a.state is R.CaseState.OPEN and not a.voided
    R.appeal(a, T + timedelta(hours=2), upheld=True, reason="恶意差评")
    assert a.state is R.CaseState.VOID and a.voided
    b = R.open_case(_r(2, "不满意"))
    R.callback(b, T + timedelta(hours=1), confirmed=False)
    R.explain(b, T + timedelta(hours=3), text="已解释政策")
    assert b.state is R.CaseState.EXPLAINED


def test_metrics_by_hand():
    ratings = [_r(1, "不满意"), _r(2, "非常不满意"), _r(3, "不满意"), _r(4, "满意"), _r(5, "非常满意"),
               _r(6, "不满意", unit="乐都区人社局", item="养老保险", source="hall")]
    c1 = R.open_case(ratings[0]); R.callback(c1, T, confirmed=True); R.rectify(c1, T + timedelta(days=1), note="x")
    c2 = R.open_case(ratings[1]); R.callback(c2, T, confirmed=True); R.rectify(c2, T + timedelta(days=20), note="late")
    c3 = R.open_case(ratings[2]); R.appeal(c3, T, upheld=True, reason="误评")
    c6 = R.open_case(ratings[5])  # not yet called back
    m = R.metrics(ratings, [c1, c2, c3, c6]).set_index("unit")
    u = m.loc["乐都区住建局"]
    assert (u["评价数"], u["差评数"], u["作废"]) == (4, 2, 1)
    assert u["差评率"] == pytest.approx(2 / 4)
    assert u["回访率"] == pytest.approx(2 / 3)
    assert u["整改率"] == pytest.approx(1.0) and u["按期整改率"] == pytest.approx(0.5)
    h = m.loc["乐都区人社局"]
    assert h["回访率"] == 0 and pd.isna(h["整改率"])
    assert m.loc["合计", "差评数"] == 3
    by_source = R.metrics(ratings, [c1, c2, c3, c6], by="source").set_index("source")
    assert set(by_source.index) == {"hall", "hotline", "合计"}


def test_loop_on_hotline_and_hall_ratings(small_run):
    db, run_id, _, _ = small_run
    tickets = storage.load(db, run_id)
    hot = R.ratings_from_hotline(tickets)
    assert len(hot) == tickets["followed_up_at"].notna().sum()
    hall_frame = pd.DataFrame({
        "case_id": [1, 2, 3], "channel": ["窗口", "网上办", "窗口"], "hall": ["海东市政务服务中心", None, "乐都区政务服务中心"],
        "item": ["A1", "B2", "A1"], "item_name": ["居民身份证申领", "企业开办", "居民身份证申领"],
        "rating": ["非常不满意", "不满意", "非常满意"],
        "t_rating": pd.to_datetime(["2024-06-03 10:00", "2024-06-04 11:00", "2024-06-05 09:00"]),
    })
    hall = R.ratings_from_hall(hall_frame)
    assert [r.source for r in hall] == ["hall", "online", "hall"] and hall[1].unit == "网上政务服务平台"
    all_r = hot + hall
    cases = R.run_loop(all_r, seed=3)
    assert len(cases) == sum(r.bad for r in all_r)
    m = R.metrics(all_r, cases, by="source").set_index("source")
    assert m.loc["合计", "差评率"] < 0.1  # the real skew: few 差评
    assert 0.8 < m.loc["hotline", "按期整改率"] < 1.0 and m.loc["hotline", "整改率"] < 1.0
    for c in cases:
        times = [h[0] for h in c.history]
        assert times == sorted(times)


def test_online_hall_ratings_are_charged_to_the_items_county_department():
    """Issue 21 (fix21c leftover): a 网上办 一事一评 is about the item's department in the applicant's
    county, as rating_batch charges online ratings; the platform only for an item the catalogue lacks."""
    frame = pd.DataFrame({
        "case_id": [1, 2, 3, 4], "channel": ["网上办", "网上办", "网上办", "网上办"], "hall": [None] * 4,
        "county": ["民和回族土族自治县", "乐都区", "互助土族自治县", "乐都区"],
        "item": ["630200-QR-05001", "630200-XK-07001", "630200-QR-01001", "不在目录"],
        "item_name": ["不动产转移登记（二手房买卖）", "a", "b", "c"],
        "rating": ["不满意", "不满意", "非常不满意", "不满意"],
        "t_rating": pd.to_datetime(["2024-06-03 10:00"] * 4),
    })
    from sandbox.base.catalog import load_catalog

    cat = load_catalog().items
    units = [r.unit for r in R.ratings_from_hall(frame)]
    assert cat["630200-QR-05001"].level == cat["630200-XK-07001"].level == "市级"
    assert units[0] == units[1] == "海东市自然资源和规划局"  # 市级 items: the city department decided them
    assert units[2] == "互助县公安局"  # 县级 item: the applicant's county department
    assert units[3] == "网上政务服务平台"
    assert R.county_department("县（区）公安局", "互助土族自治县") == "互助县公安局"
    assert R.county_department("国家税务总局海东市税务局", "平安区") == "国家税务总局海东市税务局"
    assert R.county_department("海东市住房公积金管理中心", "平安区") == "海东市住房公积金管理中心"  # city-level body


def test_online_ratings_of_city_level_items_stay_with_the_city_department():
    """Review of issue 21 (item 5): a 市级 item (市场监管, 发改委 …) is decided by the city department, so its
    online 一事一评 is charged there, not to a county body of that name (which did not decide it and, for
    发改委/卫健委, is not even called so in a county)."""
    frame = pd.DataFrame({
        "case_id": [1, 2], "channel": ["网上办", "网上办"], "hall": [None, None],
        "county": ["民和回族土族自治县", "平安区"], "item": ["630200-XK-02001", "630200-BA-07009"],
        "item_name": ["a", "b"], "rating": ["不满意", "不满意"],
        "t_rating": pd.to_datetime(["2024-06-03 10:00"] * 2),
    })
    units = [r.unit for r in R.ratings_from_hall(frame)]
    assert units == ["海东市市场监督管理局", "海东市发展和改革委员会"]
