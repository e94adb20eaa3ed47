"""Who reaches what: every role logs in through the form and is checked against the whole matrix."""
from __future__ import annotations

import pytest

from tests.hub.helpers import hub_api, refused, start_own_server

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(600)]

ROLES = {"stu_a": "trainee", "tr_demo": "trainer", "tr_two": "trainer", "boss": "leader", "ops": "admin"}
# Where each account may go; every other target must be refused.
ALLOWED = {
    "stu_a": {"own_server"},
    "tr_demo": {"own_server", "formgrader:demo"},
    "tr_two": {"own_server", "formgrader:demo2"},
    "boss": {"dashboards"},
    "ops": {"own_server", "dashboards", "admin_page", "api_users", "api_admin"},
}
TARGETS = ["own_server", "other_server", "formgrader:demo", "formgrader:demo2", "dashboards",
           "dashboards_lab", "dashboards_terminals", "dashboards_kernels", "admin_page", "api_users",
           "api_admin"]


@pytest.fixture(scope="module")
def other_server(academy_hub):
    """stu_b's server runs, so that reaching it is a real question."""
    s = academy_hub.login("stu_b")
    start_own_server(academy_hub, s, "stu_b")
    return s


@pytest.fixture(scope="module")
def sessions(academy_hub, other_server):
    out = {}
    for account in ROLES:
        s = academy_hub.login(account)
        assert s.login_status == 302, f"{account} could not log in"
        out[account] = s
    return out


def reach(hub, s, account, target):
    """Returns (allowed?, response) for one target."""
    url = hub.url
    if target == "own_server":
        r = s.get(url + "hub/spawn", timeout=60)
        if r.status_code != 200:
            return False, r
        start_own_server(hub, s, account)
        r = s.get(url + f"user/{account}/lab", timeout=60)
        return r.status_code == 200 and "/user/" + account in r.url, r
    if target == "other_server":
        r = s.get(url + "user/stu_b/lab", timeout=60)
        return r.status_code == 200 and r.url.endswith("/user/stu_b/lab"), r
    if target.startswith("formgrader:"):
        course = target.split(":")[1]
        r = s.get(url + f"services/{course}/formgrader", timeout=60)
        return r.status_code == 200 and f"/services/{course}/formgrader" in r.url, r
    if target == "dashboards":
        r = s.get(url + "services/dashboards/", timeout=60)
        return r.status_code == 200 and "领导看板" in r.text, r
    if target == "dashboards_lab":
        r = s.get(url + "services/dashboards/lab", timeout=60)
        return r.status_code == 200 and "/hub/login" not in r.url, r
    if target == "dashboards_terminals":
        r = s.get(url + "services/dashboards/terminals/1", timeout=60)
        return r.status_code == 200 and "/hub/login" not in r.url, r
    if target == "dashboards_kernels":
        # Prime the service cookie first, then try to start a kernel of one's own.
        s.get(url + "services/dashboards/", timeout=60)
        xsrf = s.cookies.get("_xsrf", path="/services/dashboards/") or ""
        r = s.post(url + "services/dashboards/api/kernels", json={"name": "python3"},
                   headers={"X-XSRFToken": xsrf}, timeout=60)
        return r.status_code in (200, 201), r
    if target == "admin_page":
        r = s.get(url + "hub/admin", timeout=60)
        return r.status_code == 200 and r.url.endswith("/hub/admin"), r
    if target == "api_users":
        r = hub_api(hub, s, "GET", "/users")
        return r.status_code == 200, r
    if target == "api_admin":
        # Managing users: add a group member (the change is undone below).
        r = hub_api(hub, s, "POST", "/groups/trainees/users", json={"users": ["stu_a"]})
        return r.status_code == 200, r
    raise ValueError(target)


@pytest.mark.parametrize("account", list(ROLES))
def test_access_matrix(academy_hub, sessions, account):
    wrong = []
    for target in TARGETS:
        ok, r = reach(academy_hub, sessions[account], account, target)
        expected = target in ALLOWED[account]
        if ok != expected:
            wrong.append(f"{target}: got {r.status_code} {r.url} (expected {'allowed' if expected else 'refused'})")
        elif not ok:
            assert refused(r) or target == "own_server" and r.status_code == 403, (
                f"{account} {target}: neither 403 nor the login page: {r.status_code} {r.url}")
            assert "stu_b" not in r.text or target != "other_server" or r.status_code == 403
    assert not wrong, f"{ROLES[account]} {account}:\n" + "\n".join(wrong)


def test_anonymous_gets_login(academy_hub):
    import requests

    for path in ["hub/home", "user/stu_b/lab", "services/demo/formgrader", "services/dashboards/",
                 "hub/admin"]:
        r = requests.get(academy_hub.url + path, timeout=60)
        assert r.status_code == 200 and "/hub/login" in r.url, (path, r.status_code, r.url)
    r = requests.get(academy_hub.api_url + "/users", timeout=60)
    assert r.status_code == 403


def test_disabled_person_cannot_log_in(academy_hub):
    s = academy_hub.login("stu_off")
    assert s.login_status == 200  # the form again, with the error
    r = s.get(academy_hub.url + "hub/home", timeout=60)
    assert "/hub/login" in r.url


def test_wrong_password_refused_in_chinese(academy_hub):
    s = academy_hub.login("stu_a", "not-the-password")
    assert s.login_status == 200
    r = s.get(academy_hub.url + "hub/home", timeout=60)
    assert "/hub/login" in r.url


def test_landing_pages_per_role(academy_hub):
    expect = {"stu_a": "/services/academy/portal", "boss": "/services/dashboards/", "ops": "/hub/admin"}
    for account, where in expect.items():
        s = academy_hub.login(account)
        assert s.login_location.endswith(where), (account, s.login_location)


def test_dashboards_offer_no_kernel_api_even_to_an_allowed_token(academy_hub):
    """A token that may use the dashboards (so auth passes) still cannot start a kernel,
    open Lab or a terminal there: those routes do not exist in the service."""
    s = academy_hub.login("ops")
    r = hub_api(academy_hub, s, "POST", "/users/ops/tokens",
                json={"scopes": ["access:services!service=dashboards"], "expires_in": 600})
    assert r.status_code == 201, r.text
    import requests

    auth = {"Authorization": f"token {r.json()['token']}"}
    base = academy_hub.url + "services/dashboards/"
    assert requests.get(base, headers=auth, timeout=60).status_code == 200  # the token works
    for method, path in [("POST", "api/kernels"), ("GET", "api/kernels"), ("GET", "lab"),
                         ("GET", "terminals/1"), ("POST", "api/terminals"), ("GET", "api/contents"),
                         ("POST", "api/sessions"), ("GET", "tree")]:
        r = requests.request(method, base + path, headers=auth, json={}, timeout=60)
        assert r.status_code == 403, (method, path, r.status_code)


def test_refusal_page_is_chinese(academy_hub):
    s = academy_hub.login("stu_a")
    r = s.get(academy_hub.url + "hub/admin", timeout=60)
    assert r.status_code == 403
    r.encoding = "utf-8"
    assert "无权访问" in r.text and "stu_b" not in r.text
