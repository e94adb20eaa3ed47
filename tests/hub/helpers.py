"""Small HTTP helpers for the hub tests."""
from __future__ import annotations

import time

import requests

from tests.hubfixture import HubHandle


def xsrf_headers(s: requests.Session) -> dict[str, str]:
    token = s.cookies.get("_xsrf", path="/hub/") or s.cookies.get("_xsrf") or ""
    return {"X-XSRFToken": token}


def hub_api(hub: HubHandle, s: requests.Session, method: str, path: str, **kw) -> requests.Response:
    """A REST API call with the person's browser session (cookie + xsrf), as the hub's pages do."""
    return s.request(method, hub.api_url + path, headers=xsrf_headers(s), timeout=60, **kw)


def start_own_server(hub: HubHandle, s: requests.Session, account: str, timeout: float = 120) -> float:
    """Spawn through /hub/spawn like the home page's button; returns seconds until the Lab answers."""
    t0 = time.monotonic()
    r = s.get(hub.url + "hub/spawn", timeout=60)
    assert r.status_code == 200, (r.status_code, r.url)
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        r = s.get(hub.url + f"user/{account}/lab", timeout=60)
        if r.status_code == 200 and r.url.rstrip("/").endswith(f"/user/{account}/lab"):
            return time.monotonic() - t0
        time.sleep(0.5)
    raise AssertionError(f"server of {account} not ready: {r.status_code} {r.url}")


def refused(r: requests.Response) -> bool:
    """403, or left at the login page: never the content."""
    if r.status_code == 403:
        return True
    return r.status_code == 200 and "/hub/login" in r.url
