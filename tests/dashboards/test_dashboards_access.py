"""Who reaches which dashboard through the real hub, and what nobody reaches there.

Leaders and admins get the pages; a county leader's training page holds their county only;
trainees and trainers are refused; nobody gets a kernel, a terminal, a file, a notebook source or a
Voila rendering of any notebook but the what-if.
"""
from __future__ import annotations

import json
import re
import uuid

import pytest
import requests
import websocket

from tests.dashboards.conftest import unmasked

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(900)]

PAGES = ["page/大厅运行", "page/12345月度通报", "page/培训与能力"]
NEVER = [("POST", "api/kernels"), ("GET", "api/kernels"), ("GET", "lab"), ("GET", "terminals/1"),
         ("POST", "api/terminals"), ("GET", "api/contents"), ("POST", "api/sessions"), ("GET", "tree"),
         ("GET", "voila/tree"), ("GET", "voila/api/contents"), ("GET", "voila/api/contents/一把手进大厅.ipynb"),
         ("GET", "voila/render/培训与能力.ipynb"), ("GET", "voila/render/大厅运行.ipynb"),
         ("GET", "voila/files/一把手进大厅.ipynb"), ("GET", "files/一把手进大厅.ipynb"),
         ("GET", "一把手进大厅.ipynb"), ("GET", "page/..%2F..%2Fdata%2Facademy.sqlite"),
         ("GET", "page/download/bulletin/..%2F..%2Freadmodel.sqlite"), ("GET", "page/readmodel.sqlite")]


def _get(hub, s: requests.Session, path: str) -> requests.Response:
    r = s.get(hub.url + "services/dashboards/" + path, timeout=120)
    r.encoding = "utf-8"
    return r


@pytest.fixture(scope="module")
def sessions(dash_hub, training_ready):
    return {a: dash_hub.login(a) for a in ("lead_city", "lead_pa", "ops", "stu_ld", "tr_demo")}


@pytest.mark.parametrize("account", ["lead_city", "lead_pa", "ops"])
def test_leaders_and_admins_get_every_page(dash_hub, sessions, account):
    for path in ["", *PAGES]:
        r = _get(dash_hub, sessions[account], path)
        assert r.status_code == 200 and "合成数据" in r.text, (account, path, r.status_code)
        assert not unmasked(r.text), (account, path)


@pytest.mark.parametrize("account", ["stu_ld", "tr_demo"])
def test_trainees_and_trainers_are_refused(dash_hub, sessions, account):
    for path in ["", *PAGES, "page/download/bulletin/2026-11.html", "voila/render/一把手进大厅.ipynb"]:
        r = _get(dash_hub, sessions[account], path)
        assert r.status_code == 403 or "/hub/login" in r.url, (account, path, r.status_code, r.url)
        assert "到访" not in r.text and "受理量" not in r.text


def test_county_leader_sees_own_county_only(dash_hub, sessions):
    county = _get(dash_hub, sessions["lead_pa"], "page/培训与能力").text
    city = _get(dash_hub, sessions["lead_city"], "page/培训与能力").text
    admin = _get(dash_hub, sessions["ops"], "page/培训与能力").text
    assert "李建国（合成）" in county and "马成林（合成）" in county
    assert "张晓梅（合成）" not in county and "韩雪（合成）" not in county
    assert "范围：平安区" in county
    for text in (city, admin):
        assert all(n in text for n in ("张晓梅（合成）", "李建国（合成）", "韩雪（合成）")) and "范围：全市" in text


def test_no_code_files_or_other_notebooks_through_the_service(dash_hub, sessions):
    s = sessions["lead_city"]
    _get(dash_hub, s, "")  # the service cookie and _xsrf
    xsrf = s.cookies.get("_xsrf", path="/services/dashboards/") or ""
    for method, path in NEVER:
        r = s.request(method, dash_hub.url + "services/dashboards/" + path, json={},
                      headers={"X-XSRFToken": xsrf}, timeout=120)
        assert r.status_code in (403, 404), (method, path, r.status_code)
        assert "nbformat" not in r.text and "SQLite format" not in r.text and "import " not in r.text


def test_bulletin_downloads(dash_hub, sessions):
    s = sessions["lead_pa"]
    html = _get(dash_hub, s, "page/download/bulletin/2026-11.html")
    assert html.status_code == 200 and "合成数据" in html.text and not unmasked(html.text)
    assert "attachment" in html.headers["Content-Disposition"]
    pdf = _get(dash_hub, s, "page/download/bulletin/2026-11.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert _get(dash_hub, s, "page/download/bulletin/2031-01.pdf").status_code == 404


def _shell(msg_type: str, content: dict) -> tuple[str, str]:
    msg_id = uuid.uuid4().hex
    return msg_id, json.dumps({
        "header": {"msg_id": msg_id, "username": "lead_city", "session": uuid.uuid4().hex,
                   "msg_type": msg_type, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content})


def test_whatif_kernel_runs_no_code_a_leader_sends(dash_hub, sessions, tmp_path):
    """The what-if's own kernel, reached through its websocket as the page does: an execute_request
    never runs (no reply, no file), while kernel-info (allowed) still answers after it — the kernel
    handles shell messages in order, so code that ran would have answered first."""
    s = sessions["lead_city"]
    page = _get(dash_hub, s, "voila/render/一把手进大厅.ipynb")
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text)
    assert page.status_code == 200 and kernel, page.status_code
    url = dash_hub.url.replace("http://", "ws://") + f"services/dashboards/api/kernels/{kernel.group(1)}/channels"
    cookies = "; ".join(f"{c.name}={c.value}" for c in s.cookies)
    ws = websocket.create_connection(url, header=[f"Cookie: {cookies}"], timeout=120)
    marker = tmp_path / "ran.txt"
    try:
        code_id, code = _shell("execute_request", {
            "code": f"open({str(marker)!r}, 'w').write('ran')", "silent": False, "store_history": False,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        info_id, info = _shell("kernel_info_request", {})
        ws.send(code)
        ws.send(info)
        seen = []
        while True:
            msg = json.loads(ws.recv())
            parent = msg.get("parent_header", {}).get("msg_id")
            seen.append((parent == code_id, msg["header"]["msg_type"]))
            if parent == info_id and msg["header"]["msg_type"] == "kernel_info_reply":
                break
    finally:
        ws.close()
    assert not [m for mine, m in seen if mine], seen
    assert not marker.exists()
