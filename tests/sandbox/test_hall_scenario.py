"""Scenario: shipped files load, bad values are refused naming the field, levers build new scenarios."""
from __future__ import annotations

from datetime import date

import pytest

import sandbox as sb
from sandbox.hall.scenario import ScenarioError, from_dict, to_dict


def test_shipped_scenarios_load():
    names = sb.scenario_names()
    assert {"baseline", "stressed", "validation_mmc"} <= set(names)
    base = sb.default_scenario()
    assert base.start_date == date(2024, 1, 1)
    assert len(base.halls) == 8 and base.halls[0].name == "海东市政务服务中心"
    assert sum(base.halls[0].windows.values()) == 86  # DOMAIN §1: 86 windows at the city centre
    stressed = sb.stressed_scenario()
    assert stressed.title == "周一高峰/缺员"
    assert all(h.absent_share == pytest.approx(0.2) for h in stressed.halls)
    assert stressed.demand.weekday_factors[0] > base.demand.weekday_factors[0]
    assert sb.load_scenario("周一高峰") == stressed
    assert sb.load_scenario("mmc").mode == "mmc"


def test_round_trip_through_dict():
    s = sb.default_scenario()
    assert from_dict(to_dict(s)) == s


@pytest.mark.parametrize("key,value,field", [
    ("halls.0.windows.税务", -1, "halls[0].windows.税务"),
    ("halls.0.windows.食堂", 2, "halls[0].windows.食堂"),
    ("policy.elicence_coverage", 1.5, "policy.elicence_coverage"),
    ("policy.green_channel", "yes", "policy.green_channel"),
    ("behaviour.patience_min", [90, 30], "behaviour.patience_min"),
    ("hours.weekday", [["14:00", "12:00"]], "hours.weekday[0]"),
    ("hours.extended_until", "25:00", "hours.extended_until"),
    ("demand.weekday_factors", [1, 1, 1], "demand.weekday_factors"),
    ("halls.1.county", "西宁市", "halls[1].county"),
    ("start_date", "2024-13-01", "start_date"),
    ("validation.load", 1.2, "validation.load"),
])
def test_bad_values_name_the_field(key, value, field):
    with pytest.raises(ScenarioError) as e:
        sb.default_scenario().evolve({key: value})
    assert e.value.field == field
    assert field in str(e.value)


def test_unknown_key_is_refused():
    with pytest.raises(ScenarioError) as e:
        sb.default_scenario().evolve({"policy.greenchannel": True})
    assert e.value.field == "policy.greenchannel"


def test_toml_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline"\n[changes]\n"policy.appointment_share" = -0.1\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="policy.appointment_share"):
        sb.load_scenario(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("name = \n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="TOML"):
        sb.load_scenario(broken)
    with pytest.raises(ScenarioError, match="没有名为"):
        sb.load_scenario("no-such-scenario")


def test_evolve_is_a_new_frozen_scenario():
    s = sb.default_scenario()
    s2 = s.evolve({"halls.海东市政务服务中心.windows.综合窗口": 9, "policy.green_channel": False})
    assert s2.halls[0].windows["综合窗口"] == 9 and not s2.policy.green_channel
    assert s.halls[0].windows["综合窗口"] != 9 and s.policy.green_channel
    with pytest.raises(AttributeError):
        s.name = "x"  # type: ignore[misc]
    one = s.only_hall("化隆回族自治县")
    assert [h.name for h in one.halls] == ["化隆县政务服务中心"]


def test_a_hall_can_have_its_own_hours():
    s = sb.default_scenario()
    s2 = s.evolve({"halls.0.hours.saturday": [["09:00", "12:00"]]})
    assert s2.halls[0].hours.saturday == (("09:00", "12:00"),) and s2.halls[1].hours is None
    assert s2.halls[0].hours.weekday == s.hours.weekday  # starts as a copy of the scenario's hours
    assert from_dict(to_dict(s2)) == s2
    with pytest.raises(ScenarioError) as e:
        s.evolve({"halls.1.hours": {"weekday": [["19:00", "17:00"]]}})
    assert e.value.field == "halls[1].hours.weekday[0]"


def test_scenarios_are_hashable_picklable_and_read_only():
    import pickle

    s = sb.default_scenario()
    assert hash(s) == hash(sb.default_scenario())
    assert pickle.loads(pickle.dumps(s)) == s
    with pytest.raises(TypeError):
        s.halls[0].windows["税务"] = 1  # type: ignore[index]
