"""The monthly bulletin: every number reconciles with the stored tickets; HTML and JSON; forecast."""
from __future__ import annotations

import json
import re
import sqlite3
from datetime import date

import numpy as np
import pytest

from sandbox.hotline import bulletin
from sandbox.hotline.forecast import forecast_next, forecast_series
from sandbox.hotline.report import write
from sandbox.hotline import HotlineScenario, simulate


@pytest.fixture(scope="module")
def june(small_run):
    db, run_id, _, _ = small_run
    return bulletin.build(db, "2024-06", run_id)


def _q(db, sql, *params):
    with sqlite3.connect(db) as c:
        return c.execute(sql, params).fetchall()


M = "run_id='small' AND received_at >= '2024-06-01' AND received_at < '2024-07-01'"
P = "run_id='small' AND received_at >= '2024-05-01' AND received_at < '2024-06-01'"


def test_basic_numbers_reconcile_with_raw_sql(small_run, june):
    db = small_run[0]
    b = june["基本情况"]
    assert b["受理量"] == _q(db, f"SELECT count(*) FROM hotline_tickets WHERE {M}")[0][0]
    for col, key in (("channel", "渠道"), ("ticket_type", "类型"), ("county", "县区")):
        raw = dict(_q(db, f"SELECT {col}, count(*) FROM hotline_tickets WHERE {M} GROUP BY {col}"))
        assert b[key] == raw
    assert b["不予受理"] == _q(db, f"SELECT count(*) FROM hotline_tickets WHERE {M} AND status='不予受理'")[0][0]
    assert b["并单"] == _q(db, f"SELECT count(*) FROM hotline_tickets WHERE {M} AND status='已并单'")[0][0]
    assert b["直接办结"] == _q(db, f"SELECT count(*) FROM hotline_tickets WHERE {M} AND direct")[0][0]
    assert b["派单"] == _q(db, f"SELECT count(*) FROM hotline_tickets WHERE {M} AND dispatched_at IS NOT NULL")[0][0]
    assert sum(b["日受理量"].values()) == b["受理量"]
    assert b["受理量"] == b["直接办结"] + b["派单"] + b["不予受理"] + b["并单"]


def test_handling_and_rates_reconcile(small_run, june):
    db = small_run[0]
    h, v = june["办理情况"], june["回访评价"]
    one = lambda cond: _q(db, f"SELECT count(*) FROM hotline_tickets WHERE {M} AND {cond}")[0][0]  # noqa: E731
    disp = one("dispatched_at IS NOT NULL")
    assert h["按时签收"] == one("dispatched_at IS NOT NULL AND signed_at <= sign_deadline")
    assert h["按时回复"] == one("dispatched_at IS NOT NULL AND replied_at <= final_deadline")
    assert h["超期"] == one("dispatched_at IS NOT NULL AND replied_at > final_deadline")
    assert h["按时回复"] + h["超期"] == disp
    assert h["延期"] == one("extended_at IS NOT NULL")
    assert h["退单"] == one("returned_at IS NOT NULL")
    assert h["督办"] == one("escalated_at IS NOT NULL")
    assert h["重办"] == one("reopened_at IS NOT NULL")
    fol = one("followed_up_at IS NOT NULL")
    final = "CASE WHEN followed_up2_at IS NOT NULL THEN rating2 ELSE rating END"
    good = one(f"followed_up_at IS NOT NULL AND {final} IN ('非常满意','满意')")
    basic = one(f"followed_up_at IS NOT NULL AND {final} = '基本满意'")
    bad = one(f"followed_up_at IS NOT NULL AND {final} IN ('不满意','非常不满意')")
    solved = one("followed_up_at IS NOT NULL AND (CASE WHEN followed_up2_at IS NOT NULL THEN solved2 ELSE solved END)")
    assert (v["回访"], v["满意"], v["基本满意"], v["不满意"], v["已解决"]) == (fol, good, basic, bad, solved)
    assert good + basic + bad == fol
    assert v["满意率"] == pytest.approx((good + 0.6 * basic) / fol, abs=1e-6)
    assert v["解决率"] == pytest.approx(solved / fol, abs=1e-6)
    assert v["响应率"] == pytest.approx(h["按时签收"] / disp, abs=1e-6)
    assert v["回访率"] == pytest.approx(fol / one("closed_at IS NOT NULL"), abs=1e-6)


def test_hot_topics_units_and_warnings_reconcile(small_run, june):
    db = small_run[0]
    cur = dict(_q(db, f"SELECT level2, count(*) FROM hotline_tickets WHERE {M} GROUP BY level2"))
    prev = dict(_q(db, f"SELECT level2, count(*) FROM hotline_tickets WHERE {P} GROUP BY level2"))
    top = june["热点分析"]["二级分类前列"]
    assert [x["本月"] for x in top] == sorted(cur.values(), reverse=True)[: len(top)]
    for x in top:
        assert x["本月"] == cur[x["分类"]] and x["上月"] == prev.get(x["分类"], 0)
        if x["上月"]:
            assert x["环比"] == pytest.approx((x["本月"] - x["上月"]) / x["上月"], abs=1e-4)
        for e in x["示例"]:
            assert re.fullmatch(r".\*+.? 1\d\d\*{4}\d{4}|.\* 1\d\d\*{4}\d{4}", e["来电人"]), e["来电人"]
    units = june["单位排名"]["单位"]
    assert sum(u["派单"] for u in units) == june["办理情况"]["派单"]
    per_unit = dict(_q(db, f"SELECT lead_unit, count(*) FROM hotline_tickets WHERE {M} AND dispatched_at IS NOT NULL GROUP BY lead_unit"))
    assert {u["单位"]: u["派单"] for u in units} == per_unit
    floors = june["单位排名"]["标准"]
    for u in units:
        low_sat = u["回访"] >= floors["最少回访"] and u["满意率"] is not None and u["满意率"] < floors["满意率"]
        low_reply = u["派单"] >= floors["最少派单"] and u["按时回复率"] < floors["按时回复率"]
        assert bool(u["未达标"]) == (low_sat or low_reply), u
    assert june["单位排名"]["未达标单位"], "weak units must show up below the floors"
    # the injected water outage in 民和 is flagged, and repeat callers are counted from raw rows
    spikes = june["预警"]["突增"]
    assert any(s["县区"] == "民和回族土族自治县" and s["分类"] == "停水" for s in spikes)
    for r in june["预警"]["重复来电"]:
        assert r["次数"] >= 3
    n_rep = _q(db, f"SELECT count(*) FROM (SELECT caller_key FROM hotline_tickets WHERE {M} GROUP BY caller_key HAVING count(*) >= 3)")[0][0]
    assert len(june["预警"]["重复来电"]) == n_rep


def test_files_are_written_marked_and_masked(small_run, june, tmp_path):
    html_path, json_path = write(june, tmp_path)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["schema_version"] == bulletin.SCHEMA_VERSION and data["数据性质"] == "合成数据"
    assert data["基本情况"]["受理量"] == june["基本情况"]["受理量"]
    html = html_path.read_text(encoding="utf-8")
    for section in ("基本情况", "办理情况", "回访评价", "热点分析", "单位排名", "预警", "下步工作", "合成数据"):
        assert section in html
    assert html.count("data:image/png;base64,") == 3
    assert not re.search(r"(?<![\d.])1[3-9]\d{9}(?!\d)", html), "an unmasked mobile number in the report"
    assert not re.search(r"(?<![\d.])1[3-9]\d{9}(?!\d)", json_path.read_text(encoding="utf-8"))
    assert "满意率" in html and "MAPE" in html and "不足24个月" in html


def test_empty_month_is_a_clear_error(small_run):
    db, run_id, _, _ = small_run
    with pytest.raises(bulletin.NoTicketsError, match="2024-09"):
        bulletin.build(db, "2024-09", run_id)
    with pytest.raises(ValueError, match="YYYY-MM"):
        bulletin.build(db, "June", run_id)


def test_forecast_is_weak_without_two_years_and_seasonal_with_them():
    short = forecast_series(np.array([100, 120, 110, 130, 125, 140, 150.0]))
    assert short["强度"] == "弱" and "简单指数平滑" in short["方法"] and short["MAPE"] is not None
    sc = HotlineScenario(start=date(2023, 1, 1), months=26, monthly_volume=600)
    df = simulate(sc, 2).frame()
    monthly = (df.assign(month=df["received_at"].dt.strftime("%Y-%m")).groupby(["month", "level1"]).size()
               .rename("n").reset_index().rename(columns={"level1": "key"}))
    heat_only = monthly[monthly["key"] == "水电气暖"]  # one category keeps the test fast (7 ETS fits per series)
    fc = forecast_next(heat_only, "2025-02")
    assert fc["月份"] == "2025-03" and fc["历史月数"] == 26
    heat = fc["分类"]["水电气暖"]
    assert heat["强度"] == "正常" and "季节" in heat["方法"] and heat["回测月数"] == 6
    # seasonality learnt: March heating calls forecast above the summer level
    summer = monthly[(monthly["key"] == "水电气暖") & monthly["month"].isin(["2024-07", "2024-08"])]["n"].mean()
    assert heat["预测值"] > summer
    weak = forecast_next(heat_only, "2023-12")
    assert weak["分类"]["水电气暖"]["强度"] == "弱" and "不足24个月" in weak["说明"]


def test_without_any_cjk_font_the_files_are_written_with_a_warning(small_run, june, tmp_path, monkeypatch):
    from sandbox import charts

    # Simulate a machine without a CJK font, whatever this one has: nothing known, fontconfig finds nothing.
    monkeypatch.setattr(charts, "FAMILY_CANDIDATES", ("没有这种字体",))
    monkeypatch.setattr(charts, "_fontconfig_files", lambda: [])
    charts.cjk_font.cache_clear()
    try:
        with pytest.warns(charts.NoCJKFontWarning, match="fonts-wqy-microhei"):
            html_path, json_path = write(june, tmp_path)
    finally:
        charts.cjk_font.cache_clear()
    assert json.loads(json_path.read_text(encoding="utf-8"))["月份"] == june["月份"]
    assert html_path.read_text(encoding="utf-8").count("data:image/png;base64,") == 3


def test_a_font_fontconfig_reports_is_registered_and_used(monkeypatch):
    from pathlib import Path

    import matplotlib
    import matplotlib.pyplot as plt

    from sandbox import charts

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # stands in for a CJK file
    monkeypatch.setattr(charts, "FAMILY_CANDIDATES", ())
    monkeypatch.setattr(charts, "_fontconfig_files", lambda: [str(font)])
    charts.cjk_font.cache_clear()
    try:
        assert charts.use_cjk_font() == "DejaVu Sans"
        assert plt.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    finally:
        charts.cjk_font.cache_clear()


def test_a_real_cjk_font_is_found_when_the_machine_has_one():
    import shutil
    import subprocess

    from sandbox import charts

    if shutil.which("fc-list") is None or not subprocess.run(["fc-list", ":lang=zh-cn"], capture_output=True,
                                                              text=True).stdout.strip():
        pytest.skip("this machine has no CJK font (the case above covers it)")
    charts.cjk_font.cache_clear()
    assert charts.cjk_font() is not None
