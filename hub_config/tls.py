"""The public port: its address (ACADEMY_BIND_IP) and HTTPS with the operator's certificate.

configurable-http-proxy terminates TLS (JupyterHub passes ssl_cert/ssl_key to it); see
academy/tls.py for the settings and docs/operations.md for why no front server. Loaded right after
base.py. Without ACADEMY_TLS_CERT/ACADEMY_TLS_KEY nothing changes (plain HTTP on 127.0.0.1).
"""
from academy.tls import TlsSettings, settings_error

c = get_config()  # noqa: F821

_problem = settings_error()
if _problem:
    # `academy up` checks the same before starting; this catches a hub started by other means.
    raise SystemExit(_problem)

_tls = TlsSettings.from_env()
c.JupyterHub.ip = _tls.bind_ip
if _tls.enabled:
    c.JupyterHub.ssl_cert = str(_tls.cert)
    c.JupyterHub.ssl_key = str(_tls.key)
