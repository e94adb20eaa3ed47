"""What a trainee's own server gets from the academy: Chinese JupyterLab, nbgrader exchange, lessons."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.hub.helpers import start_own_server

pytestmark = [pytest.mark.hub, pytest.mark.timeout(300)]


def test_lab_defaults_to_chinese_and_nbgrader_uses_the_shared_exchange(academy_hub):
    hub = academy_hub
    s = hub.login("stu_c")
    start_own_server(hub, s, "stu_c")
    base = hub.url + "user/stu_c/"
    s.get(base + "lab", timeout=60)
    xsrf = s.cookies.get("_xsrf", path="/user/stu_c/") or ""
    r = s.get(base + "lab/api/settings/@jupyterlab/translation-extension:plugin",
              headers={"X-XSRFToken": xsrf}, timeout=60)
    assert r.status_code == 200, r.status_code
    body = r.json()
    # The override becomes the schema default; nobody has chosen otherwise yet.
    assert body["schema"]["properties"]["locale"]["default"] == "zh_CN"
    assert body["settings"].get("locale", "zh_CN") == "zh_CN"
    # The zh-CN language pack is installed and offered.
    r = s.get(base + "lab/api/translations", headers={"X-XSRFToken": xsrf}, timeout=60)
    assert "zh_CN" in r.json()["data"]
    # nbgrader in the server reads the academy's exchange settings.
    cfg = (hub.root / "etc" / "jupyter" / "nbgrader_config.py").read_text()
    assert "path_includes_course = True" in cfg and str(hub.root / "exchange") in cfg


def test_a_server_listens_on_a_port_of_the_servers_band(academy_hub):
    """Not a bind(0) port, which a kernel could take before the server binds it (test_server_ports)."""
    import psutil

    from academy.ports import SERVER_PORTS

    hub = academy_hub
    start_own_server(hub, hub.login("stu_b"), "stu_b")
    ports = set()
    for p in hub.descendants():
        try:
            if "jupyterhub-singleuser" in " ".join(p.cmdline()) and p.environ().get("JUPYTERHUB_USER") == "stu_b":
                ports |= {c.laddr.port for c in p.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
        except psutil.Error:
            continue
    assert ports and all(port in SERVER_PORTS for port in ports), ports


def test_lessons_are_copied_once_and_never_overwritten(tmp_path):
    from hubext.spawner import _course_ids, copy_lessons

    lessons = tmp_path / "root" / "lessons" / "demo"
    lessons.mkdir(parents=True)
    (lessons / "01-入门.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
    (lessons / "data").mkdir()
    (lessons / "data" / "办件.csv").write_text("a,b\n", encoding="utf-8")
    groups = [SimpleNamespace(name="course-demo"), SimpleNamespace(name="trainees")]
    courses = _course_ids(SimpleNamespace(groups=groups))
    assert courses == ["demo"]
    home = tmp_path / "home"
    copy_lessons(courses, home, None, None, tmp_path / "root" / "lessons")
    assert (home / "demo" / "01-入门.ipynb").exists() and (home / "demo" / "data" / "办件.csv").exists()
    (home / "demo" / "01-入门.ipynb").write_text("my own work", encoding="utf-8")
    copy_lessons(courses, home, None, None, tmp_path / "root" / "lessons")
    assert (home / "demo" / "01-入门.ipynb").read_text(encoding="utf-8") == "my own work"


def test_trainees_see_exactly_their_courses_assignments(academy_hub):
    """The demo assignment is released by `up`; nbgrader in a trainee's server lists it through the
    shared exchange (path_includes_course) and the academy's hub-group auth plug-in."""
    hub = academy_hub
    assert (hub.root / "exchange" / "demo" / "outbound" / "ps1").is_dir()
    found = {}
    for account in ("stu_a", "stu_c"):  # stu_a takes demo, stu_c only demo2
        s = hub.login(account)
        start_own_server(hub, s, account)
        base = hub.url + f"user/{account}/"
        xsrf = s.cookies.get("_xsrf", path=f"/user/{account}/") or ""
        r = s.get(base + "assignments", params={"course_id": "demo"}, headers={"X-XSRFToken": xsrf}, timeout=120)
        assert r.status_code == 200, r.text[:300]
        body = r.json()
        assert body["success"], body
        found[account] = {a["assignment_id"] for a in body["value"] if a["course_id"] == "demo"}
        r = s.get(base + "courses", headers={"X-XSRFToken": xsrf}, timeout=120)
        found[account + ":courses"] = r.json().get("value") if r.status_code == 200 else r.status_code
    assert found["stu_a"] == {"ps1"}, found
    assert found["stu_c"] == set(), found
