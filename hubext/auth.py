"""NativeAuthenticator, adjusted for accounts that the roster import writes from another process.

- The hub's SQLAlchemy session keeps loaded rows (expire_on_commit=False), so a `users_info` row
  changed by `python -m academy roster import` would stay stale inside a running hub. Every lookup
  here reloads the row (`populate_existing`).
- `refresh_user` ends the sessions of a disabled person: when the hub re-checks a login (every
  `auth_refresh_age` seconds and before a spawn) and the row is no longer authorised, the person
  must log in again — and cannot.
- bcrypt refuses passwords over 72 bytes (a 500 in the hub): such a login is simply refused.
"""
from __future__ import annotations

from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo

from runtime.db import session
from runtime.settings import current
from runtime.people import Person

MAX_PASSWORD_BYTES = 72


class AcademyAuthenticator(NativeAuthenticator):
    def get_user(self, username):
        name = self.normalize_username(username)
        return (
            self.db.query(UserInfo)
            .filter(UserInfo.username == name)
            .populate_existing()
            .first()
        )

    async def authenticate(self, handler, data):
        password = data.get("password") or ""
        if not password or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
            return None
        return await super().authenticate(handler, data)

    async def refresh_user(self, user, handler=None, **kwargs):
        info = self.get_user(user.name)
        if info is None or not info.is_authorized:
            return False
        return True


def _roster_active(account: str) -> bool:
    """Is `account` an active person of the academy roster? (Read live from the academy DB.)"""
    paths = current().paths
    if not paths.has_academy_db():
        return False
    with session(paths.academy_db_url) as s:
        person = s.get(Person, account)
        return bool(person and person.active)


try:
    from oauthenticator.generic import GenericOAuthenticator
except ImportError:  # pragma: no cover - oauthenticator is pinned in pyproject
    GenericOAuthenticator = None

if GenericOAuthenticator is not None:

    class AcademyOAuthenticator(GenericOAuthenticator):
        """The province's unified identity login (OAuth2/OIDC), for people on the academy roster.

        Identity comes from the identity provider; whether someone may enter, and in which role,
        still comes from the roster (active=1 and the hub groups it sets). Disabled people are
        refused at login and at the next refresh, as with the password login.
        """

        async def check_allowed(self, username, auth_model):
            return _roster_active(username)

        async def refresh_user(self, user, handler=None, **kwargs):
            if not _roster_active(user.name):
                return False
            return await super().refresh_user(user, handler, **kwargs)
