"""Profile: log in through Qinghai's unified identity platform (统一身份认证) instead of passwords.

Enable with `ACADEMY_AUTH_PROFILE=unified_identity` (hub_config/jupyterhub_config.py loads this file
right after auth.py). The identity provider speaks OAuth 2.0 / OpenID Connect; oauthenticator's
GenericOAuthenticator does the protocol, academy.hubauth.AcademyOAuthenticator adds the roster
check (only active people on the roster may enter; roles still come from roster groups).

Settings (environment; the URL defaults are PLACEHOLDERS — take the real ones from the
province's integration documents):
    ACADEMY_OAUTH_CLIENT_ID / ACADEMY_OAUTH_CLIENT_SECRET   registered for this hub
    ACADEMY_OAUTH_AUTHORIZE_URL, ACADEMY_OAUTH_TOKEN_URL, ACADEMY_OAUTH_USERDATA_URL
    ACADEMY_OAUTH_CALLBACK_URL    https://<academy host>/hub/oauth_callback
    ACADEMY_OAUTH_USERNAME_CLAIM  claim holding the academy account name (default preferred_username)
    ACADEMY_OAUTH_SCOPES          default "openid profile"
The roster's `account` column must then equal that claim for each person.
"""
import os

c = get_config()  # noqa: F821
E = os.environ.get
PLACEHOLDER = "https://id.example.qinghai.gov.cn/oauth2"

c.JupyterHub.authenticator_class = "academy.hubauth.AcademyOAuthenticator"
c.AcademyOAuthenticator.login_service = "青海省统一身份认证"
c.AcademyOAuthenticator.client_id = E("ACADEMY_OAUTH_CLIENT_ID", "haidong-academy")
c.AcademyOAuthenticator.client_secret = E("ACADEMY_OAUTH_CLIENT_SECRET", "")
c.AcademyOAuthenticator.authorize_url = E("ACADEMY_OAUTH_AUTHORIZE_URL", f"{PLACEHOLDER}/authorize")
c.AcademyOAuthenticator.token_url = E("ACADEMY_OAUTH_TOKEN_URL", f"{PLACEHOLDER}/token")
c.AcademyOAuthenticator.userdata_url = E("ACADEMY_OAUTH_USERDATA_URL", f"{PLACEHOLDER}/userinfo")
c.AcademyOAuthenticator.oauth_callback_url = E(
    "ACADEMY_OAUTH_CALLBACK_URL", f"http://127.0.0.1:{E('ACADEMY_PORT', '8000')}/hub/oauth_callback")
c.AcademyOAuthenticator.username_claim = E("ACADEMY_OAUTH_USERNAME_CLAIM", "preferred_username")
c.AcademyOAuthenticator.scope = E("ACADEMY_OAUTH_SCOPES", "openid profile").split()
# Who may enter is the roster's decision (AcademyOAuthenticator.check_allowed), not the IdP's.
c.AcademyOAuthenticator.allow_all = False
c.AcademyOAuthenticator.allow_existing_users = False
c.AcademyOAuthenticator.manage_groups = False
c.AcademyOAuthenticator.enable_auth_state = False
c.AcademyOAuthenticator.auth_refresh_age = int(E("ACADEMY_AUTH_REFRESH_AGE", "300"))
c.AcademyOAuthenticator.refresh_pre_spawn = True
