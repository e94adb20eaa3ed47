"""Profile: log in through Qinghai's unified identity platform (统一身份认证) instead of passwords.

Enable with `ACADEMY_AUTH_PROFILE=unified_identity` (hub_config/jupyterhub_config.py loads this file
right after auth.py). The identity provider speaks OAuth 2.0 / OpenID Connect; oauthenticator's
GenericOAuthenticator does the protocol, hubext.auth.AcademyOAuthenticator adds the roster
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
from runtime.settings import current

c = get_config()  # noqa: F821
S = current()
PLACEHOLDER = "https://id.example.qinghai.gov.cn/oauth2"

c.JupyterHub.authenticator_class = "academy-unified-identity"  # hubext.auth.AcademyOAuthenticator
c.AcademyOAuthenticator.login_service = "青海省统一身份认证"
c.AcademyOAuthenticator.client_id = S.oauth_client_id
c.AcademyOAuthenticator.client_secret = S.oauth_client_secret
c.AcademyOAuthenticator.authorize_url = S.oauth_authorize_url or f"{PLACEHOLDER}/authorize"
c.AcademyOAuthenticator.token_url = S.oauth_token_url or f"{PLACEHOLDER}/token"
c.AcademyOAuthenticator.userdata_url = S.oauth_userdata_url or f"{PLACEHOLDER}/userinfo"
c.AcademyOAuthenticator.oauth_callback_url = (
    S.oauth_callback_url or f"http://127.0.0.1:{S.port}/hub/oauth_callback")
c.AcademyOAuthenticator.username_claim = S.oauth_username_claim
c.AcademyOAuthenticator.scope = list(S.oauth_scopes)
# Who may enter is the roster's decision (AcademyOAuthenticator.check_allowed), not the IdP's.
c.AcademyOAuthenticator.allow_all = False
c.AcademyOAuthenticator.allow_existing_users = False
c.AcademyOAuthenticator.manage_groups = False
c.AcademyOAuthenticator.enable_auth_state = False
c.AcademyOAuthenticator.auth_refresh_age = S.auth_refresh_age or 300
c.AcademyOAuthenticator.refresh_pre_spawn = True
