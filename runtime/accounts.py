"""Unix accounts for the academy (root mode): one per person, one per course grader.

Every person the roster lists gets a Unix account named exactly as their hub account, so their
server runs as them and the kernel's file permissions keep people apart. The account is created
or corrected idempotently; a disabled person's account is locked (files kept).

Which accounts are "ours": members of the group ``academy-users`` (persons) or ``academy-graders``
(``grader-<course_id>`` system accounts). A roster name that collides with any other existing
account or group (``root``, ``www-data``, ``staff``, …) is refused, so the roster can never hand a
trainee an existing system identity.

Implementation: Debian's shadow tools (useradd/usermod/userdel/groupadd from the ``passwd``
package). They take their own lock on /etc/passwd; we serialise our own calls with an flock on
``/run/lock/academy-accounts.lock`` too, so parallel imports (and parallel test sessions) never see
"cannot lock /etc/passwd", and retry the rare collision with a foreign tool.

Interfaces (used by the roster import and grading):
    check_account_name(name) -> None                       # ValueError (中文 + English) if unusable
    ensure_account(name, home, *, full_name="", locked=False) -> "created" | "updated" | "unchanged"
    lock_account(name) -> "updated" | "unchanged"
    ensure_grader_account(course_id, *, home=None) -> "created" | "updated" | "unchanged"
    grader_account_name(course_id) -> str
    graders_gid() -> int                                   # the academy-graders group (created if missing)
    remove_account(name, *, remove_home=True) -> None      # for tests and clean-up
    account_state(name) -> AccountState | None
"""
from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from .settings import current
from .unix import file_lock

USERS_GROUP = "academy-users"
GRADERS_GROUP = "academy-graders"
GRADER_PREFIX = "grader-"
ACTIVE_SHELL = "/bin/bash"
LOCKED_SHELL = "/usr/sbin/nologin"
MAX_NAME = 32
# Debian's default NAME_REGEX without the trailing '$' (Samba machine accounts) and without a
# leading '-'. Lower-case ASCII only: the same string is the hub name, the Unix name and the
# nbgrader student id.
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_-]*$")
_LOCK_FILE = Path("/run/lock/academy-accounts.lock")
# Names that must never be handed to a person even if no such account exists on this machine
# (they exist on other Debian machines or have a meaning for the hub/nbgrader).
_RESERVED = frozenset({
    "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp",
    "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "systemd-network",
    "systemd-resolve", "messagebus", "sshd", "postgres", "admin", "jupyterhub", "hub",
    "academy", USERS_GROUP, GRADERS_GROUP,
})


@dataclass(frozen=True)
class AccountState:
    name: str
    uid: int
    gid: int
    group: str
    home: str
    shell: str
    gecos: str
    groups: frozenset[str]
    locked: bool            # account expired (shadow field 8) — no login of any kind


# ---------------------------------------------------------------------------------------------
# Names


def grader_account_name(course_id: str) -> str:
    return f"{GRADER_PREFIX}{course_id}"


def _bad(zh: str, en: str) -> ValueError:
    return ValueError(f"{zh} / {en}")


def _syntax_check(name: str) -> None:
    if not isinstance(name, str) or not name:
        raise _bad("账号不能为空", "the account name is empty")
    if not name.isascii():
        raise _bad(f"账号“{name}”只能使用英文小写字母、数字、下划线和连字符",
                   f"account {name!r} must be ASCII (lower-case letters, digits, '_' and '-')")
    if len(name) > MAX_NAME:
        raise _bad(f"账号“{name}”超过 {MAX_NAME} 个字符",
                   f"account {name!r} is longer than {MAX_NAME} characters")
    if name != name.lower():
        raise _bad(f"账号“{name}”必须全部小写", f"account {name!r} must be lower-case")
    if not _NAME_RE.match(name):
        raise _bad(f"账号“{name}”须以小写字母或下划线开头，只能包含小写字母、数字、下划线和连字符",
                   f"account {name!r} is not a valid Unix name "
                   "(start with a-z or '_', then a-z, 0-9, '_' or '-')")
    if name.isdigit():
        raise _bad(f"账号“{name}”不能全为数字", f"account {name!r} must not be all digits")


def _is_ours(name: str, marker_group: str) -> bool:
    """Ours = member of the marker group, or (persons) GECOS "other" field "academy".

    The GECOS sub-field is a second mark that only root can write (CHFN_RESTRICT lets people
    change room/phones, not "other"), so an account that lost its group is still recognised.
    """
    try:
        if name in grp.getgrnam(marker_group).gr_mem:
            return True
    except KeyError:
        pass
    if marker_group == USERS_GROUP:
        try:
            fields = pwd.getpwnam(name).pw_gecos.split(",")
        except KeyError:
            return False
        return len(fields) >= 4 and fields[3] == "academy"
    return False


def check_account_name(name: str) -> None:
    """Refuse a name that cannot be a person's Unix account. Raises ValueError (中文 / English).

    Allowed: ASCII lower case, ≤ 32 characters, a valid Unix name, not reserved, not the name
    of an existing account or group unless that account is already one of ours.
    """
    _syntax_check(name)
    if name.startswith(GRADER_PREFIX):
        raise _bad(f"账号“{name}”以 {GRADER_PREFIX} 开头，这是课程评分账号的保留前缀",
                   f"account {name!r} starts with {GRADER_PREFIX!r}, reserved for course grader accounts")
    if name in _RESERVED:
        raise _bad(f"账号“{name}”是系统保留名称", f"account {name!r} is a reserved system name")
    try:
        pwd.getpwnam(name)
    except KeyError:
        pass
    else:
        if not _is_ours(name, USERS_GROUP):
            raise _bad(f"账号“{name}”与本机已有的系统账号重名",
                       f"account {name!r} is an existing system account that the academy did not create")
        return
    try:
        grp.getgrnam(name)
    except KeyError:
        return
    raise _bad(f"账号“{name}”与本机已有的用户组重名",
               f"account {name!r} is the name of an existing system group")


# ---------------------------------------------------------------------------------------------
# Low-level helpers


def _accounts_lock() -> contextlib.AbstractContextManager[None]:
    """Serialise account changes across processes."""
    return file_lock(_LOCK_FILE if _LOCK_FILE.parent.is_dir() else Path("/tmp/academy-accounts.lock"))


def _run(args: list[str], *, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run a shadow tool; retry while /etc/passwd is locked by somebody else (exit 10 / 'lock')."""
    for attempt in range(50):
        proc = subprocess.run(args, capture_output=True, text=True)
        if proc.returncode in ok:
            return proc
        if "lock" in proc.stderr.lower() and attempt < 49:
            time.sleep(0.1)
            continue
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    raise AssertionError("unreachable")


def _require_root() -> None:
    if os.geteuid() != 0:
        raise PermissionError("管理 Unix 账号需要 root 权限 / managing Unix accounts needs root")
    for tool in ("useradd", "usermod", "userdel", "groupadd"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            raise RuntimeError(f"{tool} not found: install Debian's 'passwd' package")


def _ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        # exit 9: created meanwhile by another process
        _run(["groupadd", "--system", name], ok=(0, 9))


def graders_gid() -> int:
    """The gid of ``academy-graders`` (every grader account is a member), created if missing: it owns
    what only graders may read, such as the answer keys in the runtime venv."""
    _require_root()
    with _accounts_lock():
        _ensure_group(GRADERS_GROUP)
    return grp.getgrnam(GRADERS_GROUP).gr_gid


def _shadow_expire(name: str) -> str:
    with open("/etc/shadow", encoding="utf-8") as fh:
        for line in fh:
            fields = line.rstrip("\n").split(":")
            if fields[0] == name and len(fields) > 7:
                return fields[7]
    return ""


def account_state(name: str) -> AccountState | None:
    """The account as the system sees it now, or None."""
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        return None
    try:
        group = grp.getgrgid(pw.pw_gid).gr_name
    except KeyError:
        group = str(pw.pw_gid)
    groups = frozenset(g.gr_name for g in grp.getgrall() if name in g.gr_mem)
    expire = _shadow_expire(name) if os.geteuid() == 0 else ""
    locked = expire not in ("", ) and int(expire or 0) <= int(time.time() // 86400)
    return AccountState(name=name, uid=pw.pw_uid, gid=pw.pw_gid, group=group, home=pw.pw_dir,
                        shell=pw.pw_shell, gecos=pw.pw_gecos, groups=groups, locked=locked)


def _gecos(full_name: str) -> str:
    # GECOS: no ':' or newline; ',' separates sub-fields. Keep the display name, mark ours.
    clean = re.sub(r"[:,\n\r]", " ", full_name).strip()
    return f"{clean},,,academy"


def _fix_home(home: Path, uid: int, gid: int) -> bool:
    """Home exists, owned by the account, mode 0700. Returns True if something changed."""
    changed = False
    if not home.exists():
        home.parent.mkdir(parents=True, exist_ok=True)
        home.mkdir(mode=0o700)
        changed = True
    st = home.lstat()
    if home.is_symlink() or not home.is_dir():
        raise RuntimeError(f"home {home} is not a directory")
    if (st.st_uid, st.st_gid) != (uid, gid):
        old_uid = st.st_uid
        os.chown(home, uid, gid)
        # files the account left under an old uid (account re-created) follow the account
        for dirpath, dirnames, filenames in os.walk(home):
            for entry in dirnames + filenames:
                p = os.path.join(dirpath, entry)
                try:
                    if os.lstat(p).st_uid == old_uid:
                        os.lchown(p, uid, gid)
                except FileNotFoundError:
                    pass
        changed = True
    if st.st_mode & 0o7777 != 0o700:
        os.chmod(home, 0o700)
        changed = True
    return changed


# ---------------------------------------------------------------------------------------------
# Persons


def ensure_account(name: str, home: Path, *, full_name: str = "", locked: bool = False) -> str:
    """Create or correct a person's account; returns "created", "updated" or "unchanged".

    Corrects: own primary group (same name), home path + owner + mode 0700, shell (bash, or
    nologin when locked), GECOS display name, membership of ``academy-users``, lock state.
    Locked = account expired (``usermod -e 1``) + nologin shell: no password, su, ssh or cron
    login; the academy never gives these accounts passwords (hub login is separate).
    """
    _require_root()
    check_account_name(name)
    home = Path(home)
    shell = LOCKED_SHELL if locked else ACTIVE_SHELL
    gecos = _gecos(full_name)
    with _accounts_lock():
        _ensure_group(USERS_GROUP)
        state = account_state(name)
        if state is None:
            args = ["useradd", "--no-create-home", "--user-group", "--groups", USERS_GROUP,
                    "--home-dir", str(home), "--shell", shell, "--comment", gecos,
                    "--password", "!"]
            if locked:
                args += ["--expiredate", "1970-01-02"]
            _run(args + [name])
            pw = pwd.getpwnam(name)
            _fix_home(home, pw.pw_uid, pw.pw_gid)
            return "created"

        changed = False
        mod: list[str] = []
        own_group_gid = None
        try:
            own_group_gid = grp.getgrnam(name).gr_gid
        except KeyError:
            _run(["groupadd", name], ok=(0, 9))
            own_group_gid = grp.getgrnam(name).gr_gid
        if state.gid != own_group_gid:
            mod += ["--gid", str(own_group_gid)]
        if state.home != str(home):
            mod += ["--home", str(home)]
        if state.shell != shell:
            mod += ["--shell", shell]
        if state.gecos != gecos:
            mod += ["--comment", gecos]
        if USERS_GROUP not in state.groups:
            mod += ["--append", "--groups", USERS_GROUP]
        if state.locked != locked:
            mod += ["--expiredate", "1970-01-02" if locked else ""]
        if mod:
            _run(["usermod", *mod, name])
            changed = True
        pw = pwd.getpwnam(name)
        if _fix_home(home, pw.pw_uid, pw.pw_gid):
            changed = True
        return "updated" if changed else "unchanged"


def lock_account(name: str) -> str:
    """Lock a person's account (expired + nologin), keeping the home and every file."""
    _require_root()
    with _accounts_lock():
        state = account_state(name)
        if state is None:
            raise KeyError(f"no such account: {name}")
        if not _is_ours(name, USERS_GROUP):
            raise _bad(f"账号“{name}”不是学院账号", f"{name!r} is not an academy account")
        mod = []
        if not state.locked:
            mod += ["--expiredate", "1970-01-02"]
        if state.shell != LOCKED_SHELL:
            mod += ["--shell", LOCKED_SHELL]
        if not mod:
            return "unchanged"
        _run(["usermod", *mod, name])
        return "updated"


def remove_account(name: str, *, remove_home: bool = True) -> None:
    """Delete one of our accounts (and its own group; its home if asked). For tests/clean-up."""
    _require_root()
    with _accounts_lock():
        state = account_state(name)
        if state is None:
            return
        if not (_is_ours(name, USERS_GROUP) or _is_ours(name, GRADERS_GROUP)):
            raise _bad(f"账号“{name}”不是学院账号，拒绝删除",
                       f"refusing to remove {name!r}: not an academy account")
        # userdel refuses while processes run as the user (exit 8): the caller stops servers first
        _run(["userdel", name], ok=(0, 6))
        if remove_home and state.home and os.path.isdir(state.home) and state.home not in ("/", "/root"):
            shutil.rmtree(state.home, ignore_errors=True)
        try:
            if not grp.getgrnam(name).gr_mem:
                _run(["groupdel", name], ok=(0, 6))
        except KeyError:
            pass


# ---------------------------------------------------------------------------------------------
# Course graders


def _default_grader_home(course_id: str) -> Path:
    return current().paths.course_root(course_id)


def ensure_grader_account(course_id: str, *, home: Path | None = None) -> str:
    """System account ``grader-<course_id>`` that owns the course root and runs its formgrader.

    Home = the course root (default ``$ACADEMY_ROOT/courses/<course_id>``; the caller —
    ``academy.runtime.prepare_course_root`` — creates it 0700). Shell nologin: it only runs
    services started by the hub. Returns "created", "updated" or "unchanged".
    """
    _require_root()
    name = grader_account_name(course_id)
    _syntax_check(name)
    if not course_id.isascii() or not re.match(r"^[a-z0-9][a-z0-9_-]*$", course_id):
        raise _bad(f"课程编号“{course_id}”只能使用英文小写字母、数字、下划线和连字符",
                   f"course id {course_id!r} must be lower-case ASCII letters, digits, '_' or '-'")
    home = Path(home) if home is not None else _default_grader_home(course_id)
    with _accounts_lock():
        _ensure_group(GRADERS_GROUP)
        state = account_state(name)
        if state is None:
            try:
                grp.getgrnam(name)
                raise _bad(f"用户组“{name}”已存在", f"group {name!r} already exists")
            except KeyError:
                pass
            _run(["useradd", "--system", "--no-create-home", "--user-group", "--groups", GRADERS_GROUP,
                  "--home-dir", str(home), "--shell", LOCKED_SHELL,
                  "--comment", f"academy grader {course_id}", name])
            return "created"
        if not _is_ours(name, GRADERS_GROUP):
            raise _bad(f"账号“{name}”已存在但不是学院的评分账号",
                       f"{name!r} exists but is not an academy grader account")
        mod = []
        if state.home != str(home):
            mod += ["--home", str(home)]
        if state.shell != LOCKED_SHELL:
            mod += ["--shell", LOCKED_SHELL]
        if state.locked:
            mod += ["--expiredate", ""]
        if not mod:
            return "unchanged"
        _run(["usermod", *mod, name])
        return "updated"
