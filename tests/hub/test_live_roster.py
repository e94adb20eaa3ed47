"""Roster changes reach a running hub at once (REST API path): disabling, and a trainer's new course."""
from __future__ import annotations

import time

import pytest

from tests.hub.conftest import HEADER
from tests.hub.helpers import hub_api, start_own_server

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(400)]

TMP_ROW = "stu_tmp,周敏（合成）,循化撒拉族自治县政务服务中心综合窗口,循化撒拉族自治县,trainee,demo,2026年第二期,{active}\n"


def test_disabling_a_running_person(academy_hub, tmp_path):
    hub = academy_hub
    s = hub.login("stu_tmp")
    start_own_server(hub, s, "stu_tmp")
    r = hub_api(hub, s, "POST", "/users/stu_tmp/tokens", json={"note": "own token", "expires_in": 3600})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert hub.api("GET", "/users/stu_tmp", token=token).status_code == 200

    roster = tmp_path / "disable.csv"
    roster.write_text(HEADER + TMP_ROW.format(active=0), encoding="utf-8")
    out = hub.run("roster", "import", str(roster))
    assert "停用 1" in out.stdout and "hub: api" in out.stdout, out.stdout

    model = hub.api("GET", "/users/stu_tmp").json()
    assert model["servers"] == {}  # server stopped
    assert model["groups"] == ["disabled"]
    assert hub.api("GET", "/users/stu_tmp", token=token).status_code == 403  # token revoked
    assert hub.login("stu_tmp").login_status == 200  # login refused (the form again)
    # The old browser session ends at the next auth refresh (ACADEMY_AUTH_REFRESH_AGE=2 here).
    time.sleep(3)
    r = s.get(hub.url + "hub/home", timeout=30)
    assert "/hub/login" in r.url
    r = s.get(hub.url + "user/stu_tmp/lab", timeout=30)
    assert r.status_code in (403, 424, 503) or "/hub/login" in r.url, (r.status_code, r.url)

    # Nothing was deleted: the person comes back with the same password and files.
    roster.write_text(HEADER + TMP_ROW.format(active=1), encoding="utf-8")
    hub.run("roster", "import", str(roster))
    assert hub.login("stu_tmp").login_status == 302
    assert (hub.root / "homes" / "stu_tmp").is_dir()


def test_trainer_gets_a_course_without_restart(academy_hub, tmp_path):
    hub = academy_hub
    pid = hub.hub_pid()
    s = hub.login("tr_two")
    r = s.get(hub.url + "services/demo/formgrader", timeout=60)
    assert r.status_code == 403
    line = "tr_two,赵丽（合成）,市公积金中心驻厅窗口,乐都区,trainer,{courses},,1\n"
    roster = tmp_path / "tr.csv"
    roster.write_text(HEADER + line.format(courses="demo2;demo"), encoding="utf-8")
    hub.run("roster", "import", str(roster))
    s = hub.login("tr_two")
    r = s.get(hub.url + "services/demo/formgrader", timeout=60)
    assert r.status_code == 200 and "/services/demo/formgrader" in r.url
    assert hub.hub_pid() == pid  # no restart
    roster.write_text(HEADER + line.format(courses="demo2"), encoding="utf-8")
    hub.run("roster", "import", str(roster))
    assert "formgrade-demo" not in hub.api("GET", "/users/tr_two").json()["groups"]
