"""The hub's side of the roster: accounts (NativeAuthenticator's UserInfo), users, groups, disabling.

Two ways in, one interface:
- `ApiHub` — a hub of this ACADEMY_ROOT is running (`hub/running.json` names a live pid and its
  URL answers): users, groups, servers and tokens go through the REST API with the `academy-ops`
  service token, so the running hub sees every change at once (a trainer added to a course reaches
  its formgrader without a restart).
- `DbHub` — no hub is running: write the hub database directly (`jupyterhub.orm`).
Passwords (`users_info`) always go to the database: the REST API has no call for them, and the hub's
authenticator re-reads that row on every login (see hubext.auth).
"""
from __future__ import annotations

import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, Protocol

import bcrypt
import requests

from academy.rosterrows import RosterRow, is_managed_group, new_password
from runtime.paths import Paths
from runtime.settings import current

log = logging.getLogger("academy.hubsync")


class Hub(Protocol):
    kind: str

    def ensure_accounts(self, rows: Iterable[RosterRow]) -> dict[str, str]: ...
    def sync_groups(self, wanted: dict[str, set[str]]) -> None: ...
    def disable(self, account: str) -> None: ...


_factories: dict[str, object] = {}


def _session_factory(db_url: str):
    """One per URL and process: JupyterHub's factory checks the schema through alembic (slow)."""
    if db_url not in _factories:
        # Importing nativeauthenticator.orm registers users_info on JupyterHub's metadata.
        import nativeauthenticator.orm  # noqa: F401
        from jupyterhub import orm

        _factories[db_url] = orm.new_session_factory(db_url)
    return _factories[db_url]


def hash_password(password: str) -> bytes:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=current().password_rounds))


def hash_passwords(passwords: list[str]) -> list[bytes]:
    """Hash on every core: bcrypt releases the GIL, and a roster of hundreds of new people
    otherwise spends 0.3 s of one core on each (cost 12)."""
    if len(passwords) < 2:
        return [hash_password(p) for p in passwords]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(hash_password, passwords))


def ensure_user_infos(db_url: str, rows: Iterable[RosterRow]) -> dict[str, str]:
    """Create missing login records with a fresh password; set is_authorized from `active`.

    Existing passwords are never touched (people may have changed theirs). Returns the new
    clear-text passwords, which the caller writes once to a 0600 file."""
    from nativeauthenticator.orm import UserInfo

    db = _session_factory(db_url)()
    new: dict[str, str] = {}
    try:
        newcomers = []
        for row in rows:
            info = db.query(UserInfo).filter(UserInfo.username == row.account).first()
            if info is None:
                newcomers.append(row)
                new[row.account] = new_password()
            elif bool(info.is_authorized) != row.active:
                info.is_authorized = row.active
        hashes = hash_passwords([new[row.account] for row in newcomers])
        for row, hashed in zip(newcomers, hashes):
            db.add(UserInfo(username=row.account, password=hashed, is_authorized=row.active))
        db.commit()
    finally:
        db.close()
    return new


def set_password(db_url: str, account: str, password: str) -> None:
    from nativeauthenticator.orm import UserInfo

    db = _session_factory(db_url)()
    try:
        info = db.query(UserInfo).filter(UserInfo.username == account).first()
        if info is None:
            raise KeyError(account)
        info.password = hash_password(password)
        db.commit()
    finally:
        db.close()


class DbHub:
    kind = "db"

    def __init__(self, db_url: str):
        self.db_url = db_url

    def ensure_accounts(self, rows: Iterable[RosterRow]) -> dict[str, str]:
        rows = list(rows)
        new = ensure_user_infos(self.db_url, rows)
        from jupyterhub import orm

        db = _session_factory(self.db_url)()
        try:
            for row in rows:
                if orm.User.find(db, row.account) is None:
                    db.add(orm.User(name=row.account))
            db.commit()
        finally:
            db.close()
        return new

    def sync_groups(self, wanted: dict[str, set[str]]) -> None:
        from jupyterhub import orm

        db = _session_factory(self.db_url)()
        try:
            groups = {g.name: g for g in db.query(orm.Group)}
            for name in set().union(*wanted.values()) if wanted else set():
                if name not in groups:
                    groups[name] = orm.Group(name=name)
                    db.add(groups[name])
            for account, names in wanted.items():
                user = orm.User.find(db, account)
                have = {g.name for g in user.groups if is_managed_group(g.name)}
                for name in names - have:
                    user.groups.append(groups[name])
                for name in have - names:
                    user.groups.remove(groups[name])
            db.commit()
        finally:
            db.close()

    def disable(self, account: str) -> None:
        """Hub not running: no server to stop; drop every token so no session survives."""
        from jupyterhub import orm

        db = _session_factory(self.db_url)()
        try:
            user = orm.User.find(db, account)
            if user is not None:
                for token in list(user.api_tokens):
                    db.delete(token)
                # A new cookie id invalidates every login cookie issued before.
                from jupyterhub.utils import new_token

                user.cookie_id = new_token()
            db.commit()
        finally:
            db.close()


class ApiHub:
    kind = "api"

    def __init__(self, api_url: str, token: str, db_url: str):
        self.api = api_url.rstrip("/")
        self.db_url = db_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def _call(self, method: str, path: str, ok: tuple[int, ...] = (200, 201, 204), **kw) -> requests.Response:
        r = self.http.request(method, f"{self.api}{path}", timeout=30, **kw)
        if r.status_code not in ok:
            raise RuntimeError(f"hub API {method} {path}: {r.status_code} {r.text[:200]}")
        return r

    def ensure_accounts(self, rows: Iterable[RosterRow]) -> dict[str, str]:
        rows = list(rows)
        new = ensure_user_infos(self.db_url, rows)
        existing = {u["name"] for u in self._users()}
        missing = [r.account for r in rows if r.account not in existing]
        if missing:
            self._call("POST", "/users", json={"usernames": missing})
        return new

    def _users(self) -> list[dict]:
        users, offset = [], 0
        while True:
            r = self._call("GET", f"/users?offset={offset}&limit=200",
                           headers={"Accept": "application/jupyterhub-pagination+json"})
            page = r.json()
            items = page["items"] if isinstance(page, dict) else page
            users += items
            nxt = page.get("_pagination", {}).get("next") if isinstance(page, dict) else None
            if not nxt:
                return users
            offset = nxt["offset"]

    def sync_groups(self, wanted: dict[str, set[str]]) -> None:
        users = {u["name"]: set(u.get("groups", [])) for u in self._users()}
        groups = {g["name"] for g in self._call("GET", "/groups?limit=1000").json()}
        adds: dict[str, list[str]] = {}
        removes: dict[str, list[str]] = {}
        for account, names in wanted.items():
            have = {g for g in users.get(account, set()) if is_managed_group(g)}
            for g in names - have:
                adds.setdefault(g, []).append(account)
            for g in have - names:
                removes.setdefault(g, []).append(account)
        for g in sorted(set(adds) - groups):
            self._call("POST", f"/groups/{g}", ok=(201, 409))
        for g, members in sorted(adds.items()):
            self._call("POST", f"/groups/{g}/users", json={"users": sorted(members)})
        for g, members in sorted(removes.items()):
            self._call("DELETE", f"/groups/{g}/users", json={"users": sorted(members)})

    def disable(self, account: str) -> None:
        """Stop every server of the person and revoke every token (OAuth ones included)."""
        model = self._call("GET", f"/users/{account}", ok=(200, 404))
        if model.status_code == 404:
            return
        for name in (model.json().get("servers") or {}):
            path = f"/users/{account}/servers/{name}" if name else f"/users/{account}/server"
            self._call("DELETE", path, ok=(202, 204, 400, 404), json={"remove": False})
        tokens = self._call("GET", f"/users/{account}/tokens").json()
        for token in tokens.get("api_tokens", []) + tokens.get("oauth_tokens", []):
            self._call("DELETE", f"/users/{account}/tokens/{token['id']}", ok=(204, 404))


def running_hub(paths: Paths) -> dict | None:
    """The hub of this ACADEMY_ROOT if one is running and answers, else None."""
    try:
        info = json.loads(paths.running_file.read_text())
        os.kill(int(info["pid"]), 0)
        r = requests.get(info["api_url"] + "/", timeout=3)
        r.raise_for_status()
        return info
    except (OSError, ValueError, KeyError, requests.RequestException):
        return None


def connect(paths: Paths) -> Hub:
    info = running_hub(paths)
    if info and paths.ops_token_file.exists():
        return ApiHub(info["api_url"], paths.ops_token_file.read_text().strip(), paths.hub_db_url)
    return DbHub(paths.hub_db_url)
