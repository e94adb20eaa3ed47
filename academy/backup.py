"""`python -m academy backup DIR`: a consistent snapshot of an academy, taken while it runs.

What goes in (docs/operations.md, "Backup and restore"):
- ``db/``: the hub database (accounts, groups and NativeAuthenticator's password hashes), the academy
  database (people, courses, grades, competence, certificates) and every course's gradebook — SQLite
  through the online backup API, PostgreSQL through ``pg_dump`` (academy.dbcopy);
- ``files/``: the rest of ``$ACADEMY_ROOT`` that cannot be rebuilt — ``hub/`` (cookie secret, ops
  token), ``secrets/`` (the grader secret: trainees' checker cases depend on it), ``data/``
  (certificates' PDFs, password lists, course stamps), ``etc/`` (the operator's competence framework;
  not the generated ``etc/jupyter``), ``courses/`` (sources, releases,
  submissions, autograded work, feedback, quarantine), ``exchange/``, ``lessons/``, ``logs/`` (kept six
  months by law), and of each home the course folders ``homes/<account>/<course>/`` and what grading
  put there (学习进度.html, 结业证明-<course>.pdf) — not the rest of a home. Not the runtime
  venv, the dashboards or the Jupyter config: ``up`` rebuilds them;
- ``manifest.json``, written last (a folder without it is an unfinished backup): every file with
  size, sha256, mode and owner *name*, the databases, the schema revision, counts, and the
  合成数据 flag of a demo academy.

Order: databases first, then files. A submission that arrives in between is in the files but not
yet in a gradebook — after a restore the grade-on-submit service grades it; the other order could
leave grades whose notebooks are missing. Files are copied without following links
(academy.snapshot_files). The backup folder is 0700: it holds password hashes and secrets.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from runtime.paths import Paths

from academy import dbcopy
from academy.snapshot_files import Entry, copy_out, owner_names, sha256_file

FORMAT = 1
MANIFEST = "manifest.json"
TREES = ("hub", "secrets", "data", "etc", "courses", "exchange", "lessons", "logs")
# Left out of the trees: the databases (copied consistently into db/), what a running hub keeps
# only while it runs, and what `up` regenerates.
_SKIP = re.compile(r"^(hub/(jupyterhub\.sqlite.*|running\.json|up\.lock|.*\.pid|.*\.tmp)"
                   r"|data/academy\.sqlite.*|courses/[^/]+/gradebook\.db.*|etc/jupyter)$")
_NAME = re.compile(r"^academy-\d{8}T\d{6}$")
# What grading writes into a home besides the course folders: the progress page, certificates.
_HOME_FILES = re.compile(r"^(学习进度\.html|结业证明-.+\.pdf)$")


class BackupError(RuntimeError):
    """Bad input or a failed copy (message: Chinese / English); the command exits 2."""


@dataclass(frozen=True)
class Database:
    name: str      # hub | academy | gb_<course>
    url: str
    source: Path | None = None   # the SQLite file (None on PostgreSQL)


def databases(paths: Paths, course_ids: list[str]) -> list[Database]:
    if paths.db_server:
        return [Database("hub", paths.hub_db_url), Database("academy", paths.academy_db_url)] + [
            Database(f"gb_{c}", paths.gradebook_db_url(c, Path())) for c in course_ids]
    out = [Database("hub", paths.hub_db_url, paths.hub_db),
           Database("academy", paths.academy_db_url, paths.academy_db)]
    for c in course_ids:
        gb = paths.course_root(c) / "gradebook.db"
        if gb.exists():
            out.append(Database(f"gb_{c}", f"sqlite:///{gb}", gb))
    return out


def course_ids(paths: Paths) -> list[str]:
    """Registered courses and every course root (a course root without a record is kept too)."""
    from academy import db as adb

    known = {c.id for c in adb.courses(paths.academy_db_url)}
    if paths.courses.is_dir():
        known |= {p.name for p in paths.courses.iterdir() if p.is_dir() and not p.is_symlink()}
    return sorted(known)


def _check_target(paths: Paths, dest: Path) -> None:
    root = paths.root.resolve()
    dest = dest.resolve()
    if dest == root or root in dest.parents or dest in root.parents:
        raise BackupError(f"备份目录不能在运行目录之内（或包含它）/ the backup folder must be outside "
                          f"ACADEMY_ROOT: {dest}")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"备份目录 {dest} 已存在且不为空：请给一个新的目录 / {dest} exists and is not empty")
    if not paths.has_academy_db() or not paths.hub_dir.is_dir():
        raise BackupError(f"{paths.root} 不是已准备的学院运行目录（先运行 up）/ "
                          "not a prepared ACADEMY_ROOT")


def _copy_databases(paths: Paths, dbs: list[Database], dest: Path) -> list[dict]:
    (dest / "db").mkdir(mode=0o700)
    out = []
    for d in dbs:
        if d.source is not None:
            file = dest / "db" / f"{d.name}.sqlite"
            dbcopy.sqlite_backup(d.source, file)
            st = d.source.stat()
            owner, group = owner_names(st)
            extra = {"restore_to": str(d.source.relative_to(paths.root)), "mode": st.st_mode & 0o7777,
                     "owner": owner, "group": group}
        else:
            file = dest / "db" / f"{d.name}.pgdump"
            dbcopy.pg_dump(d.url, file)
            extra = {}
        size, digest = sha256_file(file)
        out.append({"name": d.name, "file": f"db/{file.name}", "size": size, "sha256": digest, **extra})
    return out


def _copy_files(paths: Paths, ids: list[str], dest: Path) -> list[Entry]:
    files = dest / "files"
    files.mkdir(mode=0o700)
    entries: list[Entry] = []
    skip = _SKIP.match
    for tree in TREES:
        copy_out(paths.root, tree, files, entries, lambda rel: bool(skip(rel)))
    courses = set(ids)

    def not_for_a_course(rel: str) -> bool:  # homes/<account>/<name>/...
        name = rel.split("/")[2]
        return not (name in courses or (rel.count("/") == 2 and _HOME_FILES.match(name)))

    if paths.homes.is_dir():
        for home in sorted(p.name for p in paths.homes.iterdir()):
            copy_out(paths.root, f"homes/{home}", files, entries, not_for_a_course)
    return entries


def counts(db_url: str, entries: list[Entry]) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    out: dict[str, int] = {}
    eng = create_engine(db_url)
    try:
        with eng.connect() as con:
            for table in ("people", "courses", "grading_results", "competence_scores", "certificates"):
                out[table] = con.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        eng.dispose()
    submitted = re.compile(r"^courses/[^/]+/submitted/[^/]+/[^/]+$")
    out["submissions"] = sum(1 for e in entries if e.kind == "dir" and submitted.match(e.path))
    return out


def is_demo(paths: Paths) -> bool:
    """The demo roster (synthetic people, 合成数据) was imported: its passwords file, or its accounts."""
    if paths.demo_passwords.exists():
        return True
    from academy import demo
    from runtime.people import people

    demo_accounts = {line.split(",", 1)[0] for line in demo.generate().splitlines()[1:]}
    return any(p.account in demo_accounts for p in people(paths.academy_db_url))


def backup(paths: Paths, dest: Path, *, log=print) -> dict:
    """Write the snapshot into the new folder ``dest``; returns the manifest."""
    from academy import migrations

    _check_target(paths, dest)
    t0 = time.monotonic()
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(dest, 0o700)
    ids = course_ids(paths)
    dbs = _copy_databases(paths, databases(paths, ids), dest)
    entries = _copy_files(paths, ids, dest)
    academy_copy = paths.academy_db_url if paths.db_server else f"sqlite:///{dest / 'db' / 'academy.sqlite'}"
    synthetic = is_demo(paths)
    manifest = {
        "kind": "haidong-academy-backup", "format": FORMAT,
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "academy_root": str(paths.root), "mode": "root" if paths.root_mode else "single-account",
        "database": "postgresql" if paths.db_server else "sqlite",
        "schema_revision": migrations.current(academy_copy),
        "synthetic": synthetic, **({"notice": "合成数据（演示学院）"} if synthetic else {}),
        "courses": ids, "counts": counts(academy_copy, entries),
        "databases": dbs, "files": [e.as_dict() for e in entries],
        "total_bytes": sum(d["size"] for d in dbs) + sum(e.size for e in entries),
        "took_seconds": round(time.monotonic() - t0, 2),
    }
    tmp = dest / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(dest / MANIFEST)
    return manifest


def backup_into(paths: Paths, parent: Path, keep: int, *, log=print) -> dict:
    """A new ``parent/academy-<local time>`` folder; then keep only the newest ``keep`` complete
    backups there (older ones and unfinished ones older than the newest complete are removed)."""
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    dest = parent / f"academy-{dt.datetime.now():%Y%m%dT%H%M%S}"
    manifest = backup(paths, dest, log=log)
    ours = sorted(p for p in parent.iterdir() if p.is_dir() and _NAME.match(p.name) and p != dest)
    complete = [p for p in ours if (p / MANIFEST).exists()]
    for old in complete[: max(0, len(complete) - (keep - 1))] + [p for p in ours if p not in complete]:
        shutil.rmtree(old, ignore_errors=True)
        log(f"  removed old backup {old}")
    manifest["folder"] = str(dest)
    return manifest
