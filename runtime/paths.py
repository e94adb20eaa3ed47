"""Where the academy keeps its runtime state (see docs/architecture.md, "Runtime layout").

`ACADEMY_ROOT` is the one place for runtime state. Without it: `/srv/academy` in root mode,
`<checkout>/var` in single-account mode. runtime.settings decides both and builds the Paths
(``current().paths``); this module reads no environment.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from .dburl import database_url

CHECKOUT = Path(__file__).resolve().parent.parent
DEFAULT_ROOT_MODE_ROOT = Path("/srv/academy")


@dataclass(frozen=True)
class Paths:
    root: Path
    root_mode: bool
    # ACADEMY_DB_URL (PostgreSQL server URL with password) or "" for SQLite files under root
    db_server: str = field(default="", repr=False)

    @property
    def single_user(self) -> bool:
        return not self.root_mode

    # -- the runtime layout -------------------------------------------------------------------
    @property
    def venv(self) -> Path:
        """Runtime virtualenv (root mode; built by academy.runtime)."""
        return self.root / "venv"

    @property
    def hub_dir(self) -> Path:
        return self.root / "hub"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def homes(self) -> Path:
        return self.root / "homes"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def courses(self) -> Path:
        return self.root / "courses"

    @property
    def lessons(self) -> Path:
        return self.root / "lessons"

    @property
    def etc(self) -> Path:
        """Generated Jupyter config for user servers and services (JUPYTER_CONFIG_PATH)."""
        return self.root / "etc" / "jupyter"

    # -- files ----------------------------------------------------------------------------------
    @property
    def hub_db(self) -> Path:
        return self.hub_dir / "jupyterhub.sqlite"

    @property
    def hub_db_url(self) -> str:
        return database_url(self.db_server, "hub") if self.db_server else f"sqlite:///{self.hub_db}"

    @property
    def cookie_secret(self) -> Path:
        return self.hub_dir / "jupyterhub_cookie_secret"

    @property
    def academy_db(self) -> Path:
        return self.data_dir / "academy.sqlite"

    @property
    def academy_db_url(self) -> str:
        return database_url(self.db_server, "academy") if self.db_server else f"sqlite:///{self.academy_db}"

    def gradebook_db_url(self, course_id: str, sqlite_file: Path) -> str:
        """nbgrader's db_url of a course: its own PostgreSQL database, or ``sqlite_file``."""
        return database_url(self.db_server, f"gb_{course_id}") if self.db_server else f"sqlite:///{sqlite_file}"

    def has_academy_db(self) -> bool:
        """Has ``up`` made the academy database yet? (On PostgreSQL `up` creates it before anything reads.)"""
        return bool(self.db_server) or self.academy_db.exists()

    @property
    def secrets_dir(self) -> Path:
        """Grader-only secrets (0700, root's in root mode; never under homes/, exchange/ or the venv)."""
        return self.root / "secrets"

    @property
    def grader_secret(self) -> Path:
        """The master secret of per-trainee graded cases (grading.secret; 0600). Only root (the
        grading service, prepare) reads it: each course root gets its own derived key."""
        return self.secrets_dir / "grader-secret"

    @property
    def ops_token_file(self) -> Path:
        """API token of the `academy-ops` service (roster import talks to a running hub)."""
        return self.hub_dir / "ops_token"

    @property
    def running_file(self) -> Path:
        """Written while a hub runs: its pid and URL (JSON)."""
        return self.hub_dir / "running.json"

    @property
    def demo_passwords(self) -> Path:
        return self.data_dir / "demo-passwords.txt"

    def course_root(self, course_id: str) -> Path:
        return self.courses / course_id

    def home(self, account: str) -> Path:
        return self.homes / account

    # -- executables ----------------------------------------------------------------------------
    @property
    def bin_dir(self) -> Path:
        """Where user servers and services find jupyterhub-singleuser, voila, nbgrader, alembic.

        Root mode: the runtime venv (readable by every account) once academy.runtime built it.
        Single-account mode: the venv this process runs in.
        """
        if self.root_mode and (self.venv / "bin" / "jupyterhub-singleuser").exists():
            return self.venv / "bin"
        return Path(sys.executable).parent

    @property
    def proxy_command(self) -> Path:
        return CHECKOUT / "hub_config" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
