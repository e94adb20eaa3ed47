"""`python -m academy restore DIR`: a backup (academy.backup) into a new, empty ACADEMY_ROOT.

Refuses (exit 2, nothing written) a target root that is not empty, a backup without its manifest
or with a file whose size or sha256 differs, a backup of the other mode (root / single-account) or
database (SQLite / PostgreSQL), non-empty target PostgreSQL databases, and a schema revision this
code does not know (a backup of a newer release). Then: the databases, the schema upgraded to this
code's (academy.migrations), in root mode the Unix accounts recreated *by name* (runtime.accounts:
people from the restored roster, ``grader-<course>`` per course — uids may differ from the old
machine), the files with their modes and owners by name, and each course's nbgrader_config.py
pointed at the new root and gradebook. Start it with ``python -m academy serve`` (or ``up``).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath

from runtime.paths import Paths

from academy import dbcopy
from academy.backup import FORMAT, MANIFEST, databases
from academy.snapshot_files import Entry, copy_in, ids_by_name, sha256_file


class RestoreError(RuntimeError):
    """Refused or failed restore (message: Chinese / English); the command exits 2."""


def load_manifest(src: Path) -> dict:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RestoreError(f"{src} 不是完整的备份（没有 {MANIFEST}，可能备份未完成）"
                           "/ not a complete backup") from None
    except ValueError as exc:
        raise RestoreError(f"{src}/{MANIFEST} 无法读取 / unreadable: {exc}") from None
    if manifest.get("kind") != "haidong-academy-backup" or manifest.get("format") != FORMAT:
        raise RestoreError(f"{src} 不是本学院可读的备份格式 / not a backup of format {FORMAT}")
    return manifest


def _entries(manifest: dict) -> list[Entry]:
    """The manifest's files, each path checked to stay inside the root and below recorded folders."""
    entries = [Entry(**e) for e in manifest["files"]]
    kinds: dict[str, str] = {}
    for e in entries:
        p = PurePosixPath(e.path)
        bad_part = any(part in ("", ".", "..") for part in e.path.split("/"))
        if p.is_absolute() or bad_part or e.kind not in ("dir", "file", "symlink"):
            raise RestoreError(f"备份清单中有无效路径 / invalid path in the manifest: {e.path!r}")
        if len(p.parts) > 1 and kinds.get(str(p.parent)) != "dir":
            raise RestoreError(f"备份清单中 {e.path} 的上级目录不是目录 / parent of {e.path} is not a folder")
        kinds[e.path] = e.kind
    return entries


def verify(src: Path, manifest: dict, entries: list[Entry]) -> None:
    """Every database and file of the backup has the size and sha256 the manifest recorded."""
    items = [(d["file"], d["size"], d["sha256"]) for d in manifest["databases"]]
    items += [(f"files/{e.path}", e.size, e.sha256) for e in entries if e.kind == "file"]
    for rel, size, digest in items:
        path = src / rel
        if path.is_symlink() or not path.is_file() or sha256_file(path) != (size, digest):
            raise RestoreError(f"备份已损坏：{rel} 与清单不符（大小或 sha256）/ backup damaged: {rel}")


def _check_target(paths: Paths, manifest: dict) -> None:
    if paths.root.exists() and (not paths.root.is_dir() or any(paths.root.iterdir())):
        raise RestoreError(f"目标运行目录 {paths.root} 不为空：恢复只写入新的、空的 ACADEMY_ROOT"
                           f" / the target ACADEMY_ROOT is not empty: restore only into a new one")
    mode = "root" if paths.root_mode else "single-account"
    if manifest["mode"] != mode:
        raise RestoreError(f"备份来自 {manifest['mode']} 模式，本次恢复为 {mode} 模式 / mode differs")
    kind = "postgresql" if paths.db_server else "sqlite"
    if manifest["database"] != kind:
        raise RestoreError(f"备份的数据库为 {manifest['database']}，ACADEMY_DB_URL 指向 {kind}"
                           f" / the backup's database kind differs from this academy's (ACADEMY_DB_URL)")
    from academy import migrations
    from alembic.script import ScriptDirectory

    rev = manifest.get("schema_revision")
    script = ScriptDirectory.from_config(migrations.config(""))
    known = {s.revision for s in script.walk_revisions()}
    if rev is not None and rev not in known:
        raise RestoreError(f"备份的数据库结构版本 {rev} 比本程序新：请用备份时的版本恢复"
                           " / the backup is from a newer release")
    if paths.db_server:
        for d in databases(paths, manifest["courses"]):
            if not dbcopy.pg_is_empty(d.url):
                raise RestoreError(f"PostgreSQL 数据库 {d.url.rsplit('/', 1)[-1]} 已有数据：请换一个库名前缀"
                                   f" / the target database is not empty: use another prefix in ACADEMY_DB_URL")


def _restore_databases(src: Path, paths: Paths, manifest: dict) -> None:
    from runtime.dburl import ensure_database

    by_name = {d.name: d for d in databases(paths, manifest["courses"])}
    for rec in manifest["databases"]:
        if paths.db_server:
            url = by_name[rec["name"]].url if rec["name"] in by_name else paths.gradebook_db_url(
                rec["name"].removeprefix("gb_"), Path())
            ensure_database(url)
            dbcopy.pg_restore(src / rec["file"], url)
            continue
        target = paths.root / rec["restore_to"]
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(src / rec["file"], "rb") as f, open(target, "xb") as out:
            while chunk := f.read(1 << 20):
                out.write(chunk)
        os.chmod(target, rec["mode"])


def _accounts(paths: Paths, courses: list[str]) -> list[str]:
    """Root mode: every person's and grader's Unix account, by name (as the roster import makes them)."""
    from runtime import accounts
    from runtime.people import people

    paths.homes.mkdir(mode=0o755, exist_ok=True)
    done, problems = [], []
    for p in people(paths.academy_db_url):
        try:
            accounts.ensure_account(p.account, paths.home(p.account), full_name=p.name, locked=not p.active)
            done.append(p.account)
        except Exception as exc:  # noqa: BLE001 — e.g. the name is a system account on this machine
            problems.append(f"{p.account}: {exc}")
    for c in courses:
        accounts.ensure_grader_account(c, home=paths.course_root(c))
    if problems:
        raise RestoreError("以下账号无法重建 / these accounts could not be made:\n  " + "\n  ".join(problems))
    return done


def _chown_databases(paths: Paths, manifest: dict) -> None:
    for rec in manifest["databases"]:
        if "restore_to" in rec:
            os.chown(paths.root / rec["restore_to"], *ids_by_name(rec["owner"], rec["group"]))


_CONFIG_LINES = re.compile(r"^(c\.CourseDirectory\.root|c\.CourseDirectory\.db_url|c\.Exchange\.root) = .*$", re.M)


def repoint_courses(paths: Paths, courses: list[str]) -> None:
    """nbgrader_config.py of each course names its root, gradebook and exchange: the new ones."""
    for c in courses:
        cfg = paths.course_root(c) / "nbgrader_config.py"
        if not cfg.is_file() or cfg.is_symlink():
            continue
        root = paths.course_root(c)
        new = {"c.CourseDirectory.root": str(root), "c.Exchange.root": str(paths.exchange),
               "c.CourseDirectory.db_url": paths.gradebook_db_url(c, root / "gradebook.db")}
        text = _CONFIG_LINES.sub(lambda m: f"{m.group(1)} = {new[m.group(1)]!r}", cfg.read_text(encoding="utf-8"))
        st = cfg.stat()
        fd = os.open(cfg, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(cfg, st.st_mode & 0o7777)


def restore(src: Path, paths: Paths, *, log=print) -> dict:
    """Restore the backup in ``src`` into ``paths.root``; returns the restored academy's counts."""
    from academy import migrations
    from academy.backup import counts

    src = src.resolve()
    manifest = load_manifest(src)
    entries = _entries(manifest)
    _check_target(paths, manifest)
    verify(src, manifest, entries)
    if manifest.get("synthetic"):
        log("  备份内容为合成数据（演示学院）/ the backup holds synthetic (demo) data")
    paths.root.mkdir(parents=True, exist_ok=True)
    os.chmod(paths.root, 0o755)
    _restore_databases(src, paths, manifest)
    schema = migrations.upgrade(paths.academy_db_url)
    log(f"  databases restored; schema {manifest.get('schema_revision')} -> {schema}")
    if paths.root_mode:
        made = _accounts(paths, manifest["courses"])
        log(f"  Unix accounts: {len(made)} people, {len(manifest['courses'])} graders")
    copy_in(src / "files", paths.root, entries, chown=paths.root_mode)
    if paths.root_mode:
        _chown_databases(paths, manifest)
    repoint_courses(paths, manifest["courses"])
    return counts(paths.academy_db_url, entries)
