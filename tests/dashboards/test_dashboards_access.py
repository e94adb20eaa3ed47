"""Who reaches which dashboard through the real hub, and what nobody reaches there.

Leaders and admins get the pages; a county leader's training page holds their county only;
trainees and trainers are refused; nobody gets a kernel, a terminal, a file, a notebook source or a
Voila rendering of any notebook but the what-if.
"""
from __future__ import annotations

import pytest
import requests

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
