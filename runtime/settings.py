"""The academy's settings: one frozen object, built once per process from the environment.

This module is the only place that reads ``ACADEMY_*`` environment variables. Every setting has a
default and a help text (like JupyterHub's traits); ``python -m runtime`` prints them all. The mode
is decided here, once: *root mode* when the process runs as euid 0 and ``ACADEMY_SINGLE_USER`` is
not set — only then can each person's server run as their own Unix account.

Code takes a :class:`Settings` (or the :class:`runtime.paths.Paths` built from it) explicitly where
it can; entry points call :func:`current`. A child process gets the same settings through
:meth:`Settings.child_env` — the one way settings cross a process boundary.
"""
from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from .paths import CHECKOUT, DEFAULT_ROOT_MODE_ROOT, Paths
_TRUE = {"1", "true", "yes", "on"}


class SettingsError(ValueError):
    """An environment variable the academy cannot use (the message is Chinese / English)."""


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


def _opt_bool(value: str) -> bool | None:
    return None if not value.strip() else truthy(value)


def _courses(value: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in value.split(",") if x.strip())


def _password_rounds(value: str) -> int:
    rounds = int(value)
    if not 4 <= rounds <= 16:  # bcrypt's floor; above 16 one login costs seconds of CPU
        raise ValueError(value)
    return rounds


def _setting(env: str, default: Any, help: str, parse: Callable[[str], Any] = str, *, secret: bool = False) -> Any:
    """A dataclass field that knows its environment variable, parser and help text.

    ``secret``: never in a repr, and stripped by :func:`without_secrets` from the environment of
    code the academy runs on trainees' behalf (submission kernels)."""
    return field(default=default, repr=not secret,
                 metadata={"env": env, "parse": parse, "help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Every setting of the academy. Build with :meth:`from_env` (or :func:`current`), change with
    :meth:`replace`; never mutate."""

    root_mode: bool = field(default=False, metadata={"help": (
        "Decided, not read: euid 0 and single_user not requested. Root mode gives each person "
        "their own Unix account; single-account mode keeps nobody apart (demos and tests only).")})
    single_user: bool = _setting("ACADEMY_SINGLE_USER", False, "Run in single-account mode even as root.", truthy)
    root_dir: str = _setting("ACADEMY_ROOT", "", "Runtime state directory; default /srv/academy in root "
                             "mode, <checkout>/var in single-account mode.")
    port: int = _setting("ACADEMY_PORT", 8000, "Public port of the hub (the proxy).", int)
    hub_port: int = _setting("ACADEMY_HUB_PORT", 8081, "Internal port of the hub process.", int)
    proxy_api_port: int = _setting("ACADEMY_PROXY_API_PORT", 8001, "Port of the proxy's REST API.", int)
    dashboards_port: int = _setting("ACADEMY_DASHBOARDS_PORT", 8090, "Port of the dashboards (Voila) service.", int)
    web_port: int = _setting("ACADEMY_WEB_PORT", 8092, "Port of the academy's own pages (hub service `academy`).", int)
    active_server_limit: int = _setting("ACADEMY_ACTIVE_SERVER_LIMIT", 0,
                                        "Most user servers running at once (0 = no limit).", int)
    courses: tuple[str, ...] = _setting("ACADEMY_COURSES", (), "Comma-separated course ids `up` builds "
                                        "(empty = every shipped course); test hubs use it to stay small.", _courses)
    auth_profile: str = _setting("ACADEMY_AUTH_PROFILE", "", "Login profile in hub_config/profiles "
                                 "(e.g. unified_identity); empty = the academy's own passwords.", str.strip)
    auth_refresh_age: int | None = _setting("ACADEMY_AUTH_REFRESH_AGE", None, "Seconds before the roster "
                                            "check of a logged-in person is repeated (30 password login, "
                                            "300 unified identity when unset).", int)
    grade_on_submit: bool = _setting("ACADEMY_GRADE_ON_SUBMIT", True, "Run the grade-on-submit service.",
                                     lambda v: v.strip() != "0")
    grade_interval: float = _setting("ACADEMY_GRADE_INTERVAL", 5.0, "Seconds between looks of the "
                                     "grade-on-submit service at the exchange.", float)
    mem_limit: str = _setting("ACADEMY_MEM_LIMIT", "2G", "Address-space limit per user-server process "
                              "(0 = none).", lambda v: v.strip() or "2G")
    nproc_limit: int = _setting("ACADEMY_NPROC_LIMIT", 512, "Tasks per person's account (root mode only).",
                                lambda v: int(v) if v.strip() else 512)
    cull_timeout: int = _setting("ACADEMY_CULL_TIMEOUT", 3600, "Idle seconds before a server is stopped "
                                 "(0 = no culler).", lambda v: int(v) if v.strip() else 3600)
    cull_every: int = _setting("ACADEMY_CULL_EVERY", 300, "Seconds between the culler's looks.",
                               lambda v: int(v) if v.strip() else 300)
    cull_max_age: int = _setting("ACADEMY_CULL_MAX_AGE", 0, "Most seconds a busy server may live (0 = no cap).",
                                 lambda v: int(v) if v.strip() else 0)
    kernel_prewarm: bool | None = _setting("ACADEMY_KERNEL_PREWARM", None, "Boot the next submission's "
                                           "kernel early (unset: on in grading workers, off elsewhere).",
                                           _opt_bool)
    competence: str = _setting("ACADEMY_COMPETENCE", "", "Competence framework file (default: "
                               "$ACADEMY_ROOT/etc/competence.toml, else grading/competence.toml).")
    oauth_client_id: str = _setting("ACADEMY_OAUTH_CLIENT_ID", "haidong-academy", "OAuth client id (unified identity).")
    oauth_client_secret: str = _setting("ACADEMY_OAUTH_CLIENT_SECRET", "", "OAuth client secret.", secret=True)
    oauth_authorize_url: str = _setting("ACADEMY_OAUTH_AUTHORIZE_URL", "", "OAuth authorize URL (placeholder when empty).")
    oauth_token_url: str = _setting("ACADEMY_OAUTH_TOKEN_URL", "", "OAuth token URL (placeholder when empty).")
    oauth_userdata_url: str = _setting("ACADEMY_OAUTH_USERDATA_URL", "", "OAuth userinfo URL (placeholder when empty).")
    oauth_callback_url: str = _setting("ACADEMY_OAUTH_CALLBACK_URL", "", "https://<host>/hub/oauth_callback "
                                       "(default http://127.0.0.1:<port>/hub/oauth_callback).")
    oauth_username_claim: str = _setting("ACADEMY_OAUTH_USERNAME_CLAIM", "preferred_username",
                                         "Claim holding the academy account name.")
    oauth_scopes: tuple[str, ...] = _setting("ACADEMY_OAUTH_SCOPES", ("openid", "profile"), "OAuth scopes.",
                                             lambda v: tuple(v.split()))
    tls_cert: str = _setting("ACADEMY_TLS_CERT", "", "PEM certificate (chain) for HTTPS on the public port; "
                             "configurable-http-proxy terminates TLS (academy/tls.py).")
    tls_key: str = _setting("ACADEMY_TLS_KEY", "", "Private key of ACADEMY_TLS_CERT (chmod 600: trainees have accounts).")
    bind_ip: str = _setting("ACADEMY_BIND_IP", "127.0.0.1", "Address of the public port.")
    insecure_http: bool = _setting("ACADEMY_INSECURE_HTTP", False, "Allow plain HTTP on a non-loopback address "
                                   "(only when TLS ends on a front server of another machine).", truthy)
    log_keep_days: int = _setting("ACADEMY_LOG_KEEP_DAYS", 200, "Days of rotated logs kept in <root>/logs "
                                  "(at least 184: six months, 网络安全法 第二十一条).", int)
    db_url: str = _setting("ACADEMY_DB_URL", "", "PostgreSQL server for every database of the academy, as "
                           "postgresql+psycopg://USER:PASSWORD@HOST:PORT/PREFIX; `up` creates PREFIX_hub, "
                           "PREFIX_academy and PREFIX_gb_<course> (runtime.dburl). Empty = SQLite files "
                           "under ACADEMY_ROOT. Holds a password: set it in the hub's environment only "
                           "(e.g. a 0600 systemd EnvironmentFile), never in a world-readable file.",
                           str.strip, secret=True)
    city_months: int = _setting("ACADEMY_CITY_MONTHS", 12, "Months of synthetic city `up` simulates for the "
                                "leaders' dashboards the first time (reused later; 0 = none; "
                                "`python -m academy city-data --refresh` rebuilds).", int)
    password_rounds: int = _setting("ACADEMY_PASSWORD_ROUNDS", 12, "bcrypt cost (4–16) of passwords the "
                                    "academy sets; each stored hash keeps its own cost. The test suite "
                                    "uses 4: every test hub creates dozens of accounts.", _password_rounds)
    test_runtime: str = _setting("ACADEMY_TEST_RUNTIME", "/var/tmp/academy-test-runtime",
                                 "Tests only: the runtime venv shared by root-mode test sessions.")

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, euid: int | None = None) -> "Settings":
        """Read the environment (``os.environ`` by default) and decide the mode once."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            name = f.metadata.get("env")
            raw = env.get(name) if name else None
            if raw is not None and raw != "":
                try:
                    values[f.name] = f.metadata["parse"](raw)
                except ValueError:
                    raise SettingsError(f"环境变量 {name}={raw!r} 无效 / {name}={raw!r} is not valid: "
                                        f"{f.metadata['help']}") from None
        made = cls(**values)
        euid = os.geteuid() if euid is None else euid
        return dataclasses.replace(made, root_mode=euid == 0 and not made.single_user)

    @classmethod
    def single_account(cls, root: Path | str, **changes: Any) -> "Settings":
        """Single-account settings under ``root`` (tests and scratch builds pass these explicitly)."""
        return cls(root_mode=False, single_user=True, root_dir=str(root), **changes)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    def at(self, paths: Paths) -> "Settings":
        """These settings over the root and mode of ``paths`` (academy hands its Paths to grading so)."""
        return self.replace(root_dir=str(paths.root), root_mode=paths.root_mode, single_user=not paths.root_mode)

    # -- derived ---------------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        if self.root_dir:
            return Path(self.root_dir).expanduser().resolve()
        return DEFAULT_ROOT_MODE_ROOT if self.root_mode else CHECKOUT / "var"

    @property
    def paths(self) -> Paths:
        return Paths(root=self.root, root_mode=self.root_mode, db_server=self.db_url)

    def child_env(self) -> dict[str, str]:
        """The environment variables a child process needs to build these same settings."""
        out: dict[str, str] = {}
        for f in dataclasses.fields(self):
            name = f.metadata.get("env")
            value = getattr(self, f.name)
            if not name or value == f.default:
                continue
            if isinstance(value, bool):
                out[name] = "1" if value else "0"
            elif isinstance(value, tuple):
                out[name] = ("," if f.name == "courses" else " ").join(value)
            else:
                out[name] = str(value)
        out["ACADEMY_ROOT"] = str(self.root)
        if not self.root_mode:
            out["ACADEMY_SINGLE_USER"] = "1"
        else:
            out.pop("ACADEMY_SINGLE_USER", None)
        return out


def secret_variables() -> frozenset[str]:
    """The ``ACADEMY_*`` variables that hold secrets (the database password, the OAuth secret)."""
    return frozenset(f.metadata["env"] for f in dataclasses.fields(Settings) if f.metadata.get("secret"))


def without_secrets(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` minus every secret setting and libpq's password variables: what a submission's
    kernel may inherit (trainee code must never reach the database)."""
    drop = secret_variables() | {"PGPASSWORD", "PGPASSFILE", "PGSERVICEFILE"}
    return {k: v for k, v in env.items() if k not in drop}


@functools.lru_cache(maxsize=1)
def current() -> Settings:
    """This process's settings, read from the environment once."""
    return Settings.from_env()


def describe() -> str:
    """Every setting with its variable, default and help (``python -m runtime``)."""
    lines = []
    for f in dataclasses.fields(Settings):
        name = f.metadata.get("env", f"({f.name})")
        lines.append(f"{name:<30} default {f.default!r}\n    {f.metadata.get('help', '')}")
    return "\n".join(lines)

