"""Issue 21 leftover: in the citywide simulation a ticket the 派单目录 gives to the 属地乡镇 (乡道村道,
灌溉用水's 协办 …) goes to a real township government of its county — the one its text names — never to
「××县属地乡镇」."""
from __future__ import annotations

from sandbox.base.geography import COUNTIES
from sandbox.hotline.routing import TOWNSHIP, build_units, township_unit


def test_no_unit_is_a_placeholder_township(small_run):
    *_, df = small_run
    for col in ("lead_unit", "first_unit", "assist_units"):
        assert not df[col].astype(str).str.contains(TOWNSHIP).any(), col


def test_village_roads_go_to_the_township_the_caller_names(small_run):
    *_, df = small_run
    roads = df[(df["level2"] == "乡道、村道破损") & df["dispatched_at"].notna() & df["returned_at"].isna()]
    assert len(roads) >= 10
    county = {c.name: c for c in COUNTIES}
    for r in roads.itertuples():
        towns = [t for t in county[r.county].townships if township_unit(r.county, t) == r.lead_unit]
        assert towns and towns[0] in r.text, (r.lead_unit, r.text)


def test_township_governments_work_like_their_countys_units():
    units = build_units(7)
    c = COUNTIES[0]
    local = units[township_unit(c.name, c.townships[0])]
    assert local.county == c.name and local.dept == f"{c.townships[0]}人民政府"
    assert all(township_unit(x.name, t) in units for x in COUNTIES for t in x.townships)
