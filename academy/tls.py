"""The public address: where the proxy listens, and HTTPS with the operator's certificate.

TLS is terminated by configurable-http-proxy itself (JupyterHub's ``ssl_cert``/``ssl_key`` are handed
to the proxy): no second web server to install, configure and keep patched, and the one public port
stays the proxy's. Settings (runtime.settings reads them from the environment):

    ACADEMY_TLS_CERT   PEM certificate (chain) for the public port
    ACADEMY_TLS_KEY    its private key (not readable by other accounts: trainees have accounts here)
    ACADEMY_BIND_IP    address of the public port (default 127.0.0.1: this machine only)
    ACADEMY_INSECURE_HTTP=1   allow plain HTTP on a non-loopback address (TLS ends on a front server
                              of another machine); otherwise refused — passwords would cross the
                              network in clear

Interfaces:
    TlsSettings.from_env(env) -> TlsSettings
    settings_error(env) -> str | None     # bilingual message for bad settings (callers exit 2)
    public_url(port, env) -> str          # http(s)://127.0.0.1:PORT/ — for banners and `status`
    public_ready(port, env) -> bool       # the proxy answers /hub/api/ on the public port
"""
from __future__ import annotations

import ipaddress
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from runtime.settings import Settings, current


def settings_for(env: Mapping[str, str] | None) -> Settings:
    """The process's settings, or those an explicit environment mapping gives (tests, `status`)."""
    return current() if env is None else Settings.from_env(env)


@dataclass(frozen=True)
class TlsSettings:
    cert: Path | None
    key: Path | None
    bind_ip: str
    insecure_http: bool

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "TlsSettings":
        s = settings_for(env)
        cert, key = s.tls_cert.strip(), s.tls_key.strip()
        return cls(cert=Path(cert) if cert else None, key=Path(key) if key else None,
                   bind_ip=s.bind_ip.strip() or "127.0.0.1", insecure_http=s.insecure_http)

    @property
    def enabled(self) -> bool:
        return self.cert is not None and self.key is not None


def _file_problem(path: Path, what: str) -> str | None:
    if not path.is_absolute():
        return f"{what} {path} 须为绝对路径 / must be an absolute path"
    if not path.is_file():
        return f"{what} {path} 不存在 / does not exist"
    if not os.access(path, os.R_OK):
        return f"{what} {path} 不可读 / is not readable"
    return None


def _is_loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return ip == "localhost"


def settings_error(env: Mapping[str, str] | None = None) -> str | None:
    """What is wrong with the public-address settings, or None."""
    s = TlsSettings.from_env(env)
    if (s.cert is None) != (s.key is None):
        return ("ACADEMY_TLS_CERT 和 ACADEMY_TLS_KEY 须同时设置 / set both ACADEMY_TLS_CERT and "
                "ACADEMY_TLS_KEY (or neither)")
    if s.bind_ip != "localhost":
        try:
            ipaddress.ip_address(s.bind_ip)
        except ValueError:
            return f"ACADEMY_BIND_IP={s.bind_ip!r} 不是 IP 地址 / is not an IP address"
    if s.enabled:
        for path, what in ((s.cert, "证书 / certificate"), (s.key, "私钥 / key")):
            problem = _file_problem(path, what)
            if problem:
                return problem
        if stat.S_IMODE(s.key.stat().st_mode) & 0o004:
            return (f"私钥 {s.key} 对所有账号可读，请 chmod 600 / the key is readable by every account "
                    "(trainees have accounts on this machine): chmod 600 it")
    elif not _is_loopback(s.bind_ip) and not s.insecure_http:
        return (f"对外地址 {s.bind_ip} 须使用 HTTPS：请设置 ACADEMY_TLS_CERT 和 ACADEMY_TLS_KEY / "
                f"a public address ({s.bind_ip}) needs HTTPS: set ACADEMY_TLS_CERT and ACADEMY_TLS_KEY "
                "(or ACADEMY_INSECURE_HTTP=1 when TLS ends on a front server of another machine)")
    return None


def public_url(port: int, env: Mapping[str, str] | None = None) -> str:
    scheme = "https" if TlsSettings.from_env(env).enabled else "http"
    return f"{scheme}://127.0.0.1:{port}/"


def public_ready(port: int, env: Mapping[str, str] | None = None) -> bool:
    """Readiness probe of the public port (the proxy routes /hub/ to the hub).

    The certificate is not checked here: it names the server's host name, not 127.0.0.1, and the
    probe carries no secret (no token, no cookie) — it only asks whether the proxy routes yet.
    """
    import requests
    import urllib3

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        try:
            return requests.get(public_url(port, env) + "hub/api/", timeout=2, verify=False).ok
        except requests.RequestException:
            return False
