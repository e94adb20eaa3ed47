"""`python -m academy VERB` — operations of the academy.

    up [--roster FILE] [--port N]     prepare state, import the (demo) roster, run the hub
    roster import FILE                 import or update people (idempotent; bad rows refused)
    add-course COURSE_DIR              add or update a course (restarts a running hub)
    set-password ACCOUNT               set a new password (prints it once)
    demo-roster [--seed N] [--out F]   regenerate the synthetic demo roster
    serve [--port N]                   production: like up, without the demo roster (systemd runs it)
    install-service [--after UNIT] …   write and verify the systemd unit (as root; docs/operations.md)
    status [--json]                    what runs, what failed, where the logs are
    city-data [--refresh] [--seed S]   the dashboards' synthetic city: show it, or rebuild it
    migrate [--new MESSAGE]            upgrade the academy database to the code's schema (Alembic);
                                       --new: write the next revision from the models (developers)
    backup DIR                         a consistent snapshot of the running academy (docs/operations.md)
    restore DIR                        bring a backup up in a new, empty ACADEMY_ROOT
    install-backup-timer [--into DIR]  a nightly backup by a systemd timer (as root)

Verbs that change the academy database (roster import, add-course) first bring its schema to the
code's (`migrate`); while an academy runs on an older schema they refuse (exit 2): stop it first.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from runtime.paths import Paths
from runtime.settings import SettingsError, current


def _schema_ready(paths: Paths) -> int:
    """0 when the academy DB is at the code's schema (upgrading it if no academy runs), else 2."""
    from academy import migrations
    from academy.hubsync import running_hub

    try:
        if not migrations.pending(paths.academy_db_url):
            return 0
        if running_hub(paths):
            print("错误：学院数据库结构需要升级，但学院正在运行（旧版本）。请先停止学院（systemctl stop academy），"
                  "再运行 python -m academy migrate 或启动学院。/ the academy database needs an upgrade while an "
                  "academy runs: stop it first", file=sys.stderr)
            return 2
        print(f"学院数据库结构已升级到 / academy database upgraded to {migrations.upgrade(paths.academy_db_url)}")
        return 0
    except migrations.MigrationError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def _cmd_migrate(args) -> int:
    from academy import migrations

    if args.new:
        print(migrations.new_revision(args.new))
        return 0
    paths = current().paths
    code = _schema_ready(paths)
    if code == 0:
        print(f"学院数据库结构 / academy database schema: {migrations.current(paths.academy_db_url)} (head)")
    return code


def _cmd_backup(args) -> int:
    from academy.backup import BackupError, backup, backup_into
    from academy.dbcopy import DbCopyError

    paths = current().paths
    try:
        if args.into:
            manifest = backup_into(paths, args.into, args.keep)
        elif args.dir:
            manifest = backup(paths, args.dir)
        else:
            print("错误：请给出备份目录 DIR 或 --into PARENT / give DIR or --into PARENT", file=sys.stderr)
            return 2
    except (BackupError, DbCopyError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    where = manifest.get("folder") or args.dir
    flag = "（合成数据）" if manifest["synthetic"] else ""
    print(f"备份完成{flag} / backup written: {where}  {manifest['total_bytes'] / 1e6:.1f} MB, "
          f"{len(manifest['files'])} files, {manifest['took_seconds']} s, schema {manifest['schema_revision']}")
    print("  " + ", ".join(f"{k} {v}" for k, v in manifest["counts"].items()))
    return 0


def _cmd_restore(args) -> int:
    from academy.dbcopy import DbCopyError
    from academy.migrations import MigrationError
    from academy.restore import RestoreError, restore

    paths = current().paths
    try:
        counts = restore(args.dir, paths)
    except (RestoreError, DbCopyError, MigrationError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"恢复完成 / restored into {paths.root}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print("  下一步 / next: python -m academy serve（或 make up），然后 python -m academy status")
    return 0


def _cmd_up(args) -> int:
    from academy.up import run

    return run(current().paths, roster=args.roster, port=args.port, demo=args.roster is None)


def _cmd_roster_import(args) -> int:
    from academy.roster import import_roster

    paths = current().paths
    if not paths.has_academy_db():
        print("运行目录尚未准备，请先运行 make up / run `make up` once first", file=sys.stderr)
        return 2
    if _schema_ready(paths):
        return 2
    report = import_roster(Path(args.file), paths, passwords_file=args.passwords_out)
    print(report.summary())
    for err in report.errors:
        print(f"  拒绝 {err}")
    for note in report.notes:
        print(f"  note: {note}")
    if report.new_passwords:
        where = args.passwords_out or paths.data_dir / "initial-passwords.txt"
        print(f"  {len(report.new_passwords)} 个新账号的初始密码已写入 {where}（0600）")
    return 1 if report.errors else 0


def _cmd_add_course(args) -> int:
    from academy.courses import add_course
    from academy.hubsync import running_hub

    paths = current().paths
    if paths.has_academy_db() and _schema_ready(paths):
        return 2
    record = add_course(paths, Path(args.course_dir))
    print(f"课程 {record.id}（{record.title}）：{paths.course_root(record.id)}，formgrader 端口 {record.port}")
    info = running_hub(paths)
    if info:
        os.kill(int(info["pid"]), signal.SIGHUP)
        print("已请求运行中的 hub 重启以加载该课程 / asked the running hub to restart")
    else:
        print("hub 未运行：下次 make up 时生效 / takes effect at the next `make up`")
    return 0


def _cmd_set_password(args) -> int:
    from academy.hubsync import set_password
    from academy.rosterrows import new_password

    paths = current().paths
    password = new_password()
    set_password(paths.hub_db_url, args.account, password)
    print(f"{args.account}\t{password}")
    return 0


def _cmd_demo_roster(args) -> int:
    from academy import demo

    path = demo.write(Path(args.out) if args.out else demo.DEMO_ROSTER, args.seed)
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m academy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("up", help="run the academy in the foreground")
    p.add_argument("--roster", type=Path, help="roster to import instead of the demo roster")
    p.add_argument("--port", type=int, help="public port (default ACADEMY_PORT or 8000)")
    p.set_defaults(func=_cmd_up)
    p = sub.add_parser("roster", help="roster commands")
    rsub = p.add_subparsers(dest="roster_verb", required=True)
    p = rsub.add_parser("import", help="import or update a roster CSV")
    p.add_argument("file")
    p.add_argument("--passwords-out", type=Path, help="file for new accounts' initial passwords")
    p.set_defaults(func=_cmd_roster_import)
    p = sub.add_parser("add-course", help="add or update a course")
    p.add_argument("course_dir")
    p.set_defaults(func=_cmd_add_course)
    p = sub.add_parser("set-password", help="give an account a new random password")
    p.add_argument("account")
    p.set_defaults(func=_cmd_set_password)
    p = sub.add_parser("demo-roster", help="regenerate the synthetic demo roster")
    p.add_argument("--seed", type=int, default=46)
    p.add_argument("--out")
    p.set_defaults(func=_cmd_demo_roster)
    p = sub.add_parser("migrate", help="upgrade the academy database to the code's schema")
    p.add_argument("--new", metavar="MESSAGE", help="developers: write the next revision from the models")
    p.set_defaults(func=_cmd_migrate)
    p = sub.add_parser("backup", help="a consistent snapshot of the (running) academy")
    p.add_argument("dir", nargs="?", type=Path, help="a new or empty folder outside ACADEMY_ROOT")
    p.add_argument("--into", type=Path, metavar="PARENT", help="write PARENT/academy-<time> (the timer's way)")
    p.add_argument("--keep", type=int, default=14, help="with --into: complete backups kept (default 14)")
    p.set_defaults(func=_cmd_backup)
    p = sub.add_parser("restore", help="restore a backup into a new, empty ACADEMY_ROOT")
    p.add_argument("dir", type=Path)
    p.set_defaults(func=_cmd_restore)
    from academy import backup_timer

    backup_timer.add_parser(sub)
    from academy.service import add_parsers  # serve, install-service, status (production profile)
    add_parsers(sub)
    from academy.citydata import register as add_city_data  # city-data (the leaders' dashboards)
    add_city_data(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:  # a bad ACADEMY_* variable: say which, no traceback
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
