"""Log-in: NativeAuthenticator, sign-up off, accounts written by `python -m academy roster import`.

Passwords are bcrypt hashes in the hub DB (`users_info`); a person with active=0 is not authorised.
hubext.auth.AcademyAuthenticator re-reads that row on every login and refresh, so a running hub
sees the roster at once. To switch to the province's unified identity login see
hub_config/profiles/unified_identity.py.
"""
from runtime.settings import current

c = get_config()  # noqa: F821

c.JupyterHub.authenticator_class = "academy"  # entry point: hubext.auth.AcademyAuthenticator
c.AcademyAuthenticator.enable_signup = False
c.AcademyAuthenticator.open_signup = False
c.AcademyAuthenticator.allow_2fa = False
c.AcademyAuthenticator.ask_email_on_signup = False
# Everyone with an authorised account may log in; who may do what is RBAC's job (roles.py).
c.AcademyAuthenticator.allow_all = True
c.AcademyAuthenticator.allow_existing_users = True
# Slow down password guessing: five failures lock the account name for a minute.
c.AcademyAuthenticator.allowed_failed_logins = 5
c.AcademyAuthenticator.seconds_before_next_try = 60
c.AcademyAuthenticator.minimum_password_length = 10
c.AcademyAuthenticator.check_common_password = True
# A disabled person's sessions end at the next check (default: within 30 s) and before any spawn.
c.AcademyAuthenticator.auth_refresh_age = current().auth_refresh_age or 30
c.AcademyAuthenticator.refresh_pre_spawn = True
