"""`python -m academy install-backup-timer`: a nightly backup by a systemd timer (as root).

Two units beside the academy's own (academy.service): ``academy-backup.service`` (oneshot, runs
``python -m academy backup --into DIR --keep N`` with the academy's ACADEMY_ROOT and the same
``/etc/academy/academy.env`` — the PostgreSQL URL lives there) and ``academy-backup.timer``
(``OnCalendar`` daily at a quiet hour, ``Persistent=true`` so a night the machine was off is made up
at the next boot). Both are checked with ``systemd-analyze verify``. The backup runs at low CPU and
I/O priority: trainees may still be working.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

from runtime.paths import CHECKOUT, DEFAULT_ROOT_MODE_ROOT
from runtime.settings import current

from academy.service import ENV_FILE, UNIT_DIR, _PLAIN_PATH, _esc, verify

NAME = "academy-backup"
_AT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def service_text(root: Path, into: Path, keep: int, checkout: Path = CHECKOUT) -> str:
    python = checkout / ".venv" / "bin" / "python"
    return f"""\
# Written by `python -m academy install-backup-timer` on {time.strftime('%Y-%m-%d %H:%M %Z')};
# see {_esc(str(checkout / 'docs' / 'operations.md'))} ("Backup and restore").
[Unit]
Description=海东政务服务效能学院 nightly backup (python -m academy backup)
Documentation=file:{_esc(str(checkout / 'docs' / 'operations.md'))}

[Service]
Type=oneshot
WorkingDirectory={_esc(str(checkout))}
Environment="ACADEMY_ROOT={_esc(str(root))}" "LANG=C.UTF-8" "PYTHONDONTWRITEBYTECODE=1"
EnvironmentFile=-{ENV_FILE}
ExecStart={_esc(str(python))} -m academy backup --into {_esc(str(into))} --keep {int(keep)}
Nice=10
IOSchedulingClass=idle
TimeoutStartSec=6h
"""


def timer_text(at: str) -> str:
    return f"""\
# Written by `python -m academy install-backup-timer`.
[Unit]
Description=海东政务服务效能学院 nightly backup at {at}

[Timer]
OnCalendar=*-*-* {at}:00
Persistent=true
Unit={NAME}.service

[Install]
WantedBy=timers.target
"""


def errors(root: Path, into: Path, keep: int, at: str) -> list[str]:
    out = []
    for path, what in ((root, "ACADEMY_ROOT"), (into, "--into")):
        if not _PLAIN_PATH.match(str(path)):
            out.append(f"{what} {path} 须为不含空格和引号的绝对路径 / must be an absolute path "
                       "without spaces or quotes")
    if Path(into).resolve().is_relative_to(Path(root).resolve()):
        out.append(f"--into {into} 不得位于 ACADEMY_ROOT 之内 / must be outside ACADEMY_ROOT")
    if keep < 1:
        out.append("--keep 至少为 1 / --keep must be at least 1")
    if not _AT.match(at):
        out.append(f"--at {at!r} 须为 HH:MM / must be HH:MM")
    return out


def install(root: Path, into: Path, keep: int, at: str, unit_dir: Path = UNIT_DIR) -> int:
    problems = errors(root, into, keep, at)
    if unit_dir == UNIT_DIR and os.geteuid() != 0:
        problems.insert(0, "请以 root 身份运行 / run as root")
    if problems:
        print("未写入定时备份单元 / units not written:", *problems, sep="\n  ", file=sys.stderr)
        return 2
    unit_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in ((".service", service_text(root, into, keep)), (".timer", timer_text(at))):
        path = unit_dir / f"{NAME}{suffix}"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o644)
        tmp.replace(path)
        written.append(path)
        print(f"已写入 / written: {path}")
    findings = [f for path in written for f in verify(path)]
    if findings:
        print("systemd-analyze verify 发现问题 / found problems:", *findings, sep="\n  ", file=sys.stderr)
        return 1
    print("systemd-analyze verify：通过 / clean")
    if unit_dir == UNIT_DIR:
        print(f"下一步 / next: systemctl daemon-reload && systemctl enable --now {NAME}.timer")
    return 0


def _cmd(args) -> int:
    root = Path(args.root or current().root_dir or DEFAULT_ROOT_MODE_ROOT)
    return install(root, Path(args.into), args.keep, args.at, Path(args.unit_dir))


def add_parser(sub) -> None:
    p = sub.add_parser("install-backup-timer", help="write and verify a nightly backup timer (as root)")
    p.add_argument("--into", default="/var/backups/academy",
                   help="folder of the backups (default /var/backups/academy)")
    p.add_argument("--keep", type=int, default=14, help="complete backups kept (default 14)")
    p.add_argument("--at", default="02:30", help="local time HH:MM (default 02:30)")
    p.add_argument("--root", default=None, help="ACADEMY_ROOT (default $ACADEMY_ROOT or /srv/academy)")
    p.add_argument("--unit-dir", default=str(UNIT_DIR), help=f"where to write the units (default {UNIT_DIR})")
    p.set_defaults(func=_cmd)
