"""A real PostgreSQL server for tests, from Debian's packages (`apt-get install postgresql`).

`initdb` refuses to run as root, so as root the cluster belongs to the unprivileged account
``academy-pgtest`` (created here with useradd when missing); it lives in a temporary directory,
listens on a free port of 127.0.0.1 only (its Unix socket in its own 0700 directory), and every
line of pg_hba.conf asks for a scram-sha-256 password — no `trust`. The academy connects as the
role ``academy`` (LOGIN CREATEDB, not superuser: a superuser could run programs as the server's
account with COPY … PROGRAM).
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.hubfixture import free_port  # the tests' own port band

PG_ACCOUNT = "academy-pgtest"
ADMIN = "pgadmin"
ROLE = "academy"


def find_bindir() -> Path | None:
    """Debian's /usr/lib/postgresql/<major>/bin (newest major), else initdb on PATH."""
    majors = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if majors:
        return Path(majors[-1]).parent
    found = shutil.which("initdb")
    return Path(os.path.realpath(found)).parent if found else None


def _server_account() -> pwd.struct_passwd | None:
    """As root: the unprivileged account that owns the cluster (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(PG_ACCOUNT)
    except KeyError:
        # exit 9: another test session created it meanwhile
        r = subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                            "--shell", "/usr/sbin/nologin", "--comment", "academy PostgreSQL tests", PG_ACCOUNT],
                           capture_output=True, text=True)
        if r.returncode not in (0, 9):
            raise RuntimeError(f"useradd {PG_ACCOUNT}: {r.stderr}")
        return pwd.getpwnam(PG_ACCOUNT)


@dataclass
class PgServer:
    bindir: Path
    base: Path               # temporary directory: data/, socket/, server.log
    port: int
    admin_password: str
    password: str             # of the role `academy`
    account: pwd.struct_passwd | None

    @property
    def data(self) -> Path:
        return self.base / "data"

    def server_url(self, prefix: str) -> str:
        """An ACADEMY_DB_URL: the academy's role and password, databases named ``prefix_*``."""
        return f"postgresql+psycopg://{ROLE}:{self.password}@127.0.0.1:{self.port}/{prefix}"

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{ADMIN}:{self.admin_password}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        prefix = []
        if self.account is not None:
            from runtime.unix import setpriv_argv

            prefix = setpriv_argv(self.account, groups="clear")
        return subprocess.run(prefix + [str(a) for a in args], capture_output=True, text=True, cwd=self.base,
                              env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, timeout=120)

    def hba_lines(self) -> list[str]:
        text = (self.data / "pg_hba.conf").read_text()
        return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]

    def start(self) -> None:
        pwfile = self.base / "pw"
        pwfile.write_text(self.admin_password + "\n")
        if self.account is not None:
            os.chown(pwfile, self.account.pw_uid, self.account.pw_gid)
        os.chmod(pwfile, 0o600)
        r = self._run(self.bindir / "initdb", "-D", self.data, "-U", ADMIN, f"--pwfile={pwfile}",
                      "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8")
        pwfile.unlink()
        if r.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{r.stdout}\n{r.stderr}")
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.base / 'socket'}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        r = self._run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.base / "server.log", "-w", "-t", "60",
                      "-o", opts, "start")
        if r.returncode != 0:
            log = (self.base / "server.log").read_text(errors="replace") if (self.base / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{r.stdout}\n{r.stderr}\n{log[-3000:]}")
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=ADMIN, password=self.admin_password,
                             dbname="postgres", autocommit=True) as con:
            con.execute(f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{self.password}'")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


def start_server(bindir: Path) -> PgServer:
    """initdb + start, as the unprivileged account when root; a busy port is retried."""
    account = _server_account()
    last: Exception | None = None
    for _ in range(3):
        base = Path(tempfile.mkdtemp(prefix="academy-pg-"))
        (base / "socket").mkdir(mode=0o700)
        if account is not None:
            for p in (base, base / "socket"):
                os.chown(p, account.pw_uid, account.pw_gid)
        server = PgServer(bindir=bindir, base=base, port=free_port(), admin_password=secrets.token_urlsafe(18),
                          password=secrets.token_urlsafe(18), account=account)
        try:
            server.start()
            return server
        except RuntimeError as exc:  # e.g. the free port was taken in between
            last = exc
            server.stop()
            time.sleep(0.5)
    raise RuntimeError(f"PostgreSQL did not start: {last}")
