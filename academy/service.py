"""`python -m academy install-service`: a systemd unit that runs the academy on a server.

What the unit runs: ``<checkout>/.venv/bin/python -m academy serve`` — what `make up` runs, minus the
installs (`make install` is a step of an upgrade, done by the operator, never at every boot) and
minus the demo roster (`serve` imports no roster; people come from `academy roster import`). It
runs from the checkout's venv, not the runtime venv under ``$ACADEMY_ROOT/venv``, because `up`
needs the checkout (hub_config, the proxy's node_modules, the shipped courses) and itself builds
the runtime venv for user servers and graders from it.

Unit choices (why):
- ``Restart=on-failure`` with a start limit (5 tries in 10 min), so a broken upgrade does not loop
  for ever; ``Type=exec``, so a missing python fails the start at once.
- ``After=``/``Wants=network-online.target``: the proxy binds a public address and the roster or
  OAuth may reach the network at start. ``--after UNIT`` adds ordering (``After=`` + ``Wants=``)
  on a local service, e.g. ``postgresql.service`` when the databases live in a local PostgreSQL.
- ``KillMode=mixed``: `systemctl stop` sends SIGTERM to `serve` only, which stops the hub in order
  (the hub stops the proxy, services and user servers); whatever is still in the unit's cgroup
  after ``TimeoutStopSec`` is killed — also when `serve` itself died, nothing outlives the unit.
- ``ExecReload`` sends SIGHUP: `serve` restarts the hub (new courses; user servers stop, files kept).
- Runs as root: root mode starts each person's server as their own Unix account.

Interfaces:
    UnitOptions(...)                      # what goes into the unit
    unit_text(options) -> str
    option_errors(options) -> list[str]   # bilingual; the command exits 2 on any
    verify(unit_path) -> list[str]        # `systemd-analyze verify` findings ([] = clean)
    install(options, unit_dir) -> int     # the command: exit 0 written and verified, 1 verify
                                          # found problems (file kept for inspection), 2 bad input
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from runtime.paths import CHECKOUT, DEFAULT_ROOT_MODE_ROOT
from runtime.settings import current

UNIT_DIR = Path("/etc/systemd/system")
# Optional further settings (ACADEMY_COURSES, OAuth secrets, …): 0600, read by systemd as root;
# a unit file is world-readable, so secrets never go into it. Its values override the unit's.
ENV_FILE = Path("/etc/academy/academy.env")
SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze"
_UNIT_NAME = re.compile(r"^[A-Za-z0-9:_.\\@-]+\.(service|target|socket|mount|device|path|timer)$")
# Characters a path may have in the unit as written (no quoting needed; '%' is escaped as '%%').
_PLAIN_PATH = re.compile(r"^/[A-Za-z0-9_./%+:@,-]*$")


@dataclass(frozen=True)
class UnitOptions:
    name: str = "academy"
    checkout: Path = CHECKOUT
    root: Path = DEFAULT_ROOT_MODE_ROOT
    port: int = 443
    bind_ip: str = "127.0.0.1"
    tls_cert: Path | None = None
    tls_key: Path | None = None
    after: tuple[str, ...] = ()

    @property
    def python(self) -> Path:
        return self.checkout / ".venv" / "bin" / "python"

    def env(self) -> dict[str, str]:
        env = {"ACADEMY_ROOT": str(self.root), "ACADEMY_PORT": str(self.port), "ACADEMY_BIND_IP": self.bind_ip}
        if self.tls_cert:
            env["ACADEMY_TLS_CERT"] = str(self.tls_cert)
        if self.tls_key:  # one without the other is refused by option_errors
            env["ACADEMY_TLS_KEY"] = str(self.tls_key)
        # No locale under systemd; logs unbuffered so lines reach the journal and the log at once.
        env.update(LANG="C.UTF-8", PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
        return env


def _esc(value: str) -> str:
    """A value for a unit file: specifiers are '%…', so a literal '%' is written '%%'."""
    return value.replace("%", "%%")


def unit_text(o: UnitOptions) -> str:
    order = " ".join(["network-online.target", *o.after])
    env_lines = "\n".join(f'Environment="{_esc(k)}={_esc(v)}"' for k, v in o.env().items())
    return f"""\
# Written by `python -m academy install-service` on {time.strftime('%Y-%m-%d %H:%M %Z')}.
# Change it by running that command again, or override with `systemctl edit {o.name}`;
# see {_esc(str(o.checkout / 'docs' / 'operations.md'))}.
[Unit]
Description=海东政务服务效能学院 Haidong Service Academy (JupyterHub)
Documentation=file:{_esc(str(o.checkout / 'docs' / 'operations.md'))}
After={order}
Wants={order}
StartLimitIntervalSec=600
StartLimitBurst=5

[Service]
Type=exec
WorkingDirectory={_esc(str(o.checkout))}
{env_lines}
EnvironmentFile=-{ENV_FILE}
ExecStart={_esc(str(o.python))} -m academy serve
ExecReload=/bin/kill -HUP $MAINPID
KillMode=mixed
TimeoutStopSec=120
Restart=on-failure
RestartSec=10
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
"""


def option_errors(o: UnitOptions) -> list[str]:
    from academy.logs import settings_error as log_settings_error
    from academy.tls import settings_error

    errors: list[str] = []
    if not re.fullmatch(r"[A-Za-z0-9_-]+", o.name):
        errors.append(f"服务名 {o.name!r} 只能含字母、数字、_ 和 - / the unit name may hold letters, digits, _ and - only")
    for path, what in ((o.checkout, "代码目录 / checkout"), (o.root, "ACADEMY_ROOT"),
                       (o.tls_cert, "--tls-cert"), (o.tls_key, "--tls-key")):
        if path is not None and not _PLAIN_PATH.match(str(path)):
            errors.append(f"{what} {path} 须为不含空格和引号的绝对路径 / must be an absolute path without "
                          "spaces or quotes")
    if not o.python.exists():
        errors.append(f"{o.python} 不存在，请先在 {o.checkout} 运行 make install / missing: run `make install` first")
    if _inside(o.root, o.checkout):
        errors.append(f"ACADEMY_ROOT {o.root} 不得位于代码目录之内 / must not be inside the checkout {o.checkout}")
    if not 1 <= o.port <= 65535:
        errors.append(f"端口 {o.port} 无效 / invalid port")
    for unit in o.after:
        if not _UNIT_NAME.match(unit):
            errors.append(f"--after {unit!r} 不是 systemd 单元名 / is not a systemd unit name (e.g. postgresql.service)")
    problem = settings_error(o.env()) or log_settings_error(o.env())
    if problem:
        errors.append(problem)
    return errors


def _inside(path: Path, parent: Path) -> bool:
    return Path(path).resolve().is_relative_to(Path(parent).resolve())


def verify(unit_path: Path) -> list[str]:
    """`systemd-analyze verify`: works offline on a file; any output (even a warning) is a finding."""
    if not Path(SYSTEMD_ANALYZE).exists():
        return [f"{SYSTEMD_ANALYZE} 不存在，未能校验 / not found: the unit was not verified"]
    proc = subprocess.run([SYSTEMD_ANALYZE, "verify", str(unit_path)], capture_output=True, text=True,
                          timeout=60)
    findings = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    if proc.returncode != 0 and not findings:
        findings.append(f"systemd-analyze verify exited with {proc.returncode}")
    return findings


def install(o: UnitOptions, unit_dir: Path = UNIT_DIR) -> int:
    """Write ``<unit_dir>/<name>.service`` (0644, atomically) and verify it."""
    errors = option_errors(o)
    if unit_dir == UNIT_DIR and os.geteuid() != 0:
        errors.insert(0, "请以 root 身份运行（写入 /etc/systemd/system，且学院以 root 模式运行）/ run as root")
    if errors:
        print("未写入服务单元 / unit not written:", *errors, sep="\n  ", file=sys.stderr)
        return 2
    unit_dir.mkdir(parents=True, exist_ok=True)
    path = unit_dir / f"{o.name}.service"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(unit_text(o), encoding="utf-8")
    os.chmod(tmp, 0o644)
    tmp.replace(path)
    print(f"已写入 / written: {path}")
    findings = verify(path)
    if findings:
        print("systemd-analyze verify 发现问题 / found problems:", *findings, sep="\n  ", file=sys.stderr)
        return 1
    print("systemd-analyze verify：通过 / clean")
    if unit_dir == UNIT_DIR:
        print("下一步 / next:\n"
              f"  systemctl daemon-reload && systemctl enable --now {o.name}\n"
              f"  ACADEMY_ROOT={o.root} {o.python} -m academy status")
    return 0


# ---------------------------------------------------------------------------------------------
# The command line: `serve`, `install-service`, `status` (registered by academy.__main__)


def _cmd_serve(args) -> int:
    from academy.up import run

    return run(current().paths, roster=None, port=args.port, demo=False)


def _cmd_install_service(args) -> int:
    root = Path(args.root or current().root_dir or DEFAULT_ROOT_MODE_ROOT)
    options = UnitOptions(name=args.name, root=root, port=args.port, bind_ip=args.bind,
                          tls_cert=args.tls_cert, tls_key=args.tls_key, after=tuple(args.after))
    return install(options, Path(args.unit_dir))


def _cmd_status(args) -> int:
    from academy import status

    return status.main(current().paths, as_json=args.json)


def add_parsers(sub) -> None:
    p = sub.add_parser("serve", help="production: run the academy without the demo roster (the systemd unit runs this)")
    p.add_argument("--port", type=int, help="public port (default ACADEMY_PORT or 8000)")
    p.set_defaults(func=_cmd_serve)
    p = sub.add_parser("install-service", help="write and verify the systemd unit (as root)",
                       description="Write <unit-dir>/<name>.service running `academy serve`; see docs/operations.md.")
    p.add_argument("--name", default="academy", help="unit name (default academy)")
    p.add_argument("--unit-dir", default=str(UNIT_DIR), help=f"where to write it (default {UNIT_DIR})")
    p.add_argument("--root", default=None,
                   help="ACADEMY_ROOT of the service (default $ACADEMY_ROOT or /srv/academy)")
    p.add_argument("--port", type=int, default=443, help="public port (default 443)")
    p.add_argument("--bind", default="127.0.0.1", help="address of the public port (default 127.0.0.1)")
    p.add_argument("--tls-cert", type=Path, help="PEM certificate (chain) for HTTPS")
    p.add_argument("--tls-key", type=Path, help="its private key (chmod 600)")
    p.add_argument("--after", action="append", default=[], metavar="UNIT",
                   help="start after (and with) this unit, e.g. postgresql.service; repeatable")
    p.set_defaults(func=_cmd_install_service)
    p = sub.add_parser("status", help="what runs, what failed, where the logs are (exit 0 ok, 1 unhealthy, 3 stopped)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_cmd_status)
