"""A guard for nbgrader's shared exchange on a multi-user machine.

nbgrader's default exchange lets a student pass ``--student=<someone else>`` to ``nbgrader
submit``: the submission lands in ``inbound/`` named ``<someone else>+<assignment>+<time>+<rand>``,
owned by the real submitter. ``nbgrader collect`` only *warns* about the owner mismatch
(``CollectApp.check_owner``) and, as the newest submission per name wins, the forged one
replaces the victim's real work.

``OwnerCheckedCollect`` closes that: before nbgrader picks the newest submission per person, any
inbound entry whose Unix owner is not the account named in it is moved to
``<course root>/quarantine/`` (kept for the trainer to look at, never graded). Use it in each
course's ``nbgrader_config.py`` (the formgrader and the CLI both read it)::

    c.ExchangeFactory.collect = "grading.exchange_guard.OwnerCheckedCollect"

``quarantine_forged(inbound, quarantine)`` does the same as a function (as root or the grader).

**Links and special files** (issue 12): the trainee owns their inbound entry (0777) and may put a
symlink in it — ``leak-source.json -> <course root>/source/ps1/ps1.ipynb`` or ``ps1.ipynb -> <someone
else's entry>/ps1.ipynb`` — which nbgrader's ``copytree`` would follow with the grader's rights.
``nbgrader submit`` copies files (it follows links in the home, as the trainee), so an honest
entry never holds a link, FIFO or device: an entry that does is a deliberate attack and is refused
as a whole (quarantined with a Chinese ``<entry>.原因.txt``), so the trainee's previous honest
submission, if any, stays the one collected. Dropping only the links would grade a half-entry
the trainee shaped around the grader. Because the trainee can still change the entry after that
scan, the copy itself never follows a link either (``copy_no_follow``: directory descriptors,
``O_NOFOLLOW``, regular files only).

**Receipt time** (issue 12 point 7): the entry's name and its ``timestamp.txt`` are written by the
trainee. The receipt time is the newest *ctime* of the entry and everything in it: ctime is set
by the kernel on every change and no call lets a user set it (``utime`` sets only atime/mtime),
so a trainee can make it later but never earlier. "Newest" per person and lateness use it; the
collected ``timestamp.txt`` is rewritten with it.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
import pwd
import shutil
import stat
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect


def _owner(path: Path) -> str | None:
    try:
        return pwd.getpwuid(path.lstat().st_uid).pw_name
    except KeyError:
        return None


def scan_entry(entry: Path) -> tuple[list[str], float]:
    """Paths (relative) in ``entry`` that are neither directories nor regular files, and the newest
    ctime of the entry and everything in it (the receipt time). Never follows a link."""
    bad: list[str] = []
    st = os.lstat(entry)
    if not stat.S_ISDIR(st.st_mode):
        return ["."], st.st_ctime
    newest = st.st_ctime
    fd = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    stack = [(fd, "")]
    try:
        while stack:
            dfd, rel = stack.pop()
            try:
                for item in os.scandir(dfd):
                    ist = item.stat(follow_symlinks=False)
                    newest = max(newest, ist.st_ctime)
                    if stat.S_ISDIR(ist.st_mode):
                        sub = os.open(item.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                                      dir_fd=dfd)
                        stack.append((sub, rel + item.name + "/"))
                    elif not stat.S_ISREG(ist.st_mode):
                        bad.append(rel + item.name)
            finally:
                os.close(dfd)
    finally:
        for dfd, _ in stack:
            os.close(dfd)
    return bad, newest


def copy_no_follow(src: Path, dest: Path, ignore: list[str] = (), max_file_kb: int | None = None) -> list[str]:
    """Copy directory ``src`` to ``dest`` (created) through descriptors, never following a link:
    directories and regular files only; returns the relative paths left out (links, special files,
    ignored or too large files)."""
    skipped: list[str] = []

    def walk(sfd: int, ddir: Path, rel: str) -> None:
        ddir.mkdir(mode=0o755)
        for item in os.scandir(sfd):
            if any(fnmatch.fnmatch(item.name, pat) for pat in ignore):
                skipped.append(rel + item.name)
                continue
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
            try:
                fd = os.open(item.name, flags, dir_fd=sfd)
            except OSError:  # a link (ELOOP) or gone
                skipped.append(rel + item.name)
                continue
            try:
                st = os.fstat(fd)
                if stat.S_ISDIR(st.st_mode):
                    walk(fd, ddir / item.name, rel + item.name + "/")
                elif stat.S_ISREG(st.st_mode) and (max_file_kb is None or st.st_size <= max_file_kb * 1000):
                    with os.fdopen(os.dup(fd), "rb") as fin, open(ddir / item.name, "xb") as fout:
                        shutil.copyfileobj(fin, fout)
                else:
                    skipped.append(rel + item.name)
            finally:
                os.close(fd)

    top = os.open(src, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        walk(top, Path(dest), "")
    finally:
        os.close(top)
    return skipped


def _refuse(entry: Path, quarantine: Path, why: str) -> None:
    quarantine.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.move(str(entry), str(quarantine / entry.name))
    (quarantine / f"{entry.name}.原因.txt").write_text(why + "\n", encoding="utf-8")


def quarantine_links(inbound: Path, quarantine: Path) -> list[str]:
    """Refuse (quarantine, with a Chinese reason) every inbound entry that is, or holds, a link or
    a special file; returns their names."""
    refused: list[str] = []
    inbound, quarantine = Path(inbound), Path(quarantine)
    if not inbound.is_dir():
        return refused
    for entry in sorted(inbound.iterdir()):
        try:
            bad, _ = scan_entry(entry)
        except OSError as exc:
            bad = [f"（无法读取：{exc.strerror}）"]
        if bad:
            _refuse(entry, quarantine, "提交中含有符号链接或特殊文件（" + "、".join(bad[:20]) +
                    "），可能试图读取他人答案或课程源文件，整份提交不予收取。")
            refused.append(entry.name)
    return refused


def quarantine_forged(inbound: Path, quarantine: Path) -> list[str]:
    """Move inbound submissions not owned by the (existing) account they name; returns the names.

    Only names of existing Unix accounts are checked, so single-account mode (where every
    submission belongs to the hub's own account) is left alone."""
    moved: list[str] = []
    inbound, quarantine = Path(inbound), Path(quarantine)
    if not inbound.is_dir():
        return moved
    for entry in sorted(inbound.iterdir()):
        claimed = entry.name.split("+", 1)[0]
        try:
            pwd.getpwnam(claimed)
        except KeyError:
            # no such Unix account: single-account mode (everything belongs to the hub's account),
            # or a name that is nobody's work to replace — nothing to protect
            continue
        if entry.is_symlink() or _owner(entry) != claimed:
            _refuse(entry, quarantine, f"提交目录的所有者不是“{claimed}”本人（冒名提交），不予收取。")
            moved.append(entry.name)
    return moved


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's collect, but forged submissions (owner ≠ named account) are quarantined first."""

    def init_src(self):
        # the exchange keeps one inbound per course whatever path_includes_course says
        inbound = Path(self.root) / self.coursedir.course_id / "inbound"
        quarantine = Path(self.coursedir.root) / "quarantine"
        for name in quarantine_forged(inbound, quarantine):
            self.log.warning("Forged submission %s (owner is not the named account) moved to %s",
                             name, quarantine)
        for name in quarantine_links(inbound, quarantine):
            self.log.warning("Submission %s holds links or special files: refused, moved to %s", name, quarantine)
        self._receipts: dict[str, dt.datetime] = {}
        super().init_src()

    def _path_to_record(self, path):
        # "newest" and lateness by the receipt time (ctime), not the time the trainee wrote in the name
        record = super()._path_to_record(path)
        try:
            _, ctime = scan_entry(Path(path))
        except OSError:
            return record
        receipt = dt.datetime.fromtimestamp(ctime, dt.timezone.utc).replace(tzinfo=None)
        self._receipts[os.path.basename(path)] = receipt
        record["timestamp"] = receipt
        return record

    def do_copy(self, src, dest, log=None):
        skipped = copy_no_follow(Path(src), Path(dest), ignore=list(self.coursedir.ignore),
                                 max_file_kb=self.coursedir.max_file_size)
        if skipped:
            self.log.warning("Not collected from %s (links, special, ignored or too large files): %s", src, skipped)
        receipt = self._receipts.get(os.path.basename(src))
        if receipt is not None:  # the trainee's own timestamp.txt is replaced by the receipt time
            Path(dest, "timestamp.txt").write_text(receipt.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")


__all__ = ["OwnerCheckedCollect", "copy_no_follow", "quarantine_forged", "quarantine_links", "scan_entry"]
