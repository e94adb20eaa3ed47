"""runtime.people: the people interface other parts use; academy.db: course ports."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from academy import db as adb
from academy.roster import import_roster
from runtime.people import people
from runtime.settings import Settings

pytestmark = pytest.mark.timeout(120)


def test_people_filters_and_records(tmp_path):
    p = Settings.single_account(tmp_path / "root").paths
    p.hub_dir.mkdir(parents=True)
    p.data_dir.mkdir()
    adb.register_course(p.academy_db_url, "demo", "演示课程", "", None)
    import_roster(
        "account,姓名,单位,县区,role,courses,cohort,active\n"
        "ma_li,马丽（合成）,市医保局驻厅窗口,乐都区,trainee,demo,2026年第一期,1\n"
        "han_bo,韩博（合成）,互助土族自治县政务服务中心综合窗口,互助土族自治县,trainee,demo,2026年第一期,0\n"
        "du_fei,杜飞（合成）,市政务服务中心综合受理科,乐都区,trainer,demo,,1\n",
        p,
    )
    everyone = people(p.academy_db_url)
    assert [x.account for x in everyone] == ["du_fei", "han_bo", "ma_li"]
    ma = everyone[2]
    assert (ma.name, ma.unit, ma.county, ma.role, ma.cohort, ma.active, ma.courses) == (
        "马丽（合成）", "市医保局驻厅窗口", "乐都区", "trainee", "2026年第一期", True, ("demo",))
    assert ma.family_name == "马" and ma.role_label == "学员"
    assert [x.account for x in people(p.academy_db_url, course="demo", role="trainee")] == ["han_bo", "ma_li"]
    assert [x.account for x in people(p.academy_db_url, active_only=True, role="trainee")] == ["ma_li"]
    with pytest.raises(AttributeError):
        ma.name = "x"  # frozen: no session behind it


def test_busy_course_port_is_moved(tmp_path):
    from academy.up import port_is_free

    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    course = adb.register_course(url, "demo", "演示课程", "", None)
    assert adb.register_course(url, "demo", "演示课程", "", None).port == course.port  # stable
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", course.port))
        sock.listen()
        assert adb.move_busy_ports(url, port_is_free) == ["demo"]
    assert adb.courses(url)[0].port != course.port


def test_course_ports_stay_out_of_the_ephemeral_range(tmp_path):
    """A port from bind(0) is ephemeral: a kernel's socket could hold it when the hub restarts."""
    low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    ports = [adb.register_course(url, f"c{i}", "课", "", None).port for i in range(3)]
    assert len(set(ports)) == 3 and not any(low <= p <= high for p in ports), ports


def test_internal_hub_ports_stay_out_of_the_ephemeral_range(tmp_path):
    """The hub, proxy API, dashboards and pages ports of every (re)start: a bind(0) port could be
    held by an outgoing connection when the hub binds it (a restart failed: proxy API EADDRINUSE)."""
    from academy.up import HubRunner
    from runtime.paths import Paths

    low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    env = HubRunner(Paths(tmp_path, False), 8000).env()
    names = ("ACADEMY_HUB_PORT", "ACADEMY_PROXY_API_PORT", "ACADEMY_DASHBOARDS_PORT", "ACADEMY_WEB_PORT")
    ports = [int(env[n]) for n in names]
    assert len(set(ports + [8000])) == 5 and not any(low <= p <= high for p in ports), ports
