"""The runtime tree under ``$ACADEMY_ROOT``: owners, modes, the runtime venv, and a check.

See docs/isolation.md for the table of paths, owners, modes and who may read them.

Interfaces:
    prepare_runtime(paths, *, root_mode, courses=(), checkout=CHECKOUT) -> list[str]   # actions taken
    prepare_course_root(paths, course_id, *, root_mode) -> Path
    protect_checkout(checkout) -> bool            # root mode: checkout → 0700 root (trainees can't read)
    ensure_runtime_venv(paths, checkout) -> str   # "built" | "updated" | "unchanged"
    answer_files(venv) / close_answer_files(venv) # solutions shipped as package data → root-only
    answer_keys(venv) / close_answer_keys(venv)   # sandbox.practice.keys → root:academy-graders 0750/0640
    published_answers(paths) -> list[Path]        # lessons / released assignments still holding answers
    check_runtime(paths, *, user=None, checkout=CHECKOUT) -> list[str]   # problems; [] = fine
    copy_tree_as_user(src, dst, user) -> None     # copy missing files into a person's home AS them
    single_user_warning() -> str                  # the start-up banner of single-account mode

Why the checkout is made 0700 (root mode): trainees must not read course sources (solutions,
hidden tests) or ``.git``. On a server the checkout can be anywhere — ``/work/main`` sits under a
0755 ``/work``, a CI clone under a directory we do not control — so instead of trusting the
parents we close the checkout's own top directory (``chmod 0700``, owned by root): nobody but
root can traverse into it, whatever the parents' modes. Nothing that runs as a person or a grader
needs the checkout: they run from the runtime venv (project installed non-editable), read
lessons from ``$ACADEMY_ROOT/lessons`` and course roots from ``$ACADEMY_ROOT/courses``.
For the same reason ``$ACADEMY_ROOT`` must never be inside the checkout in root mode, and every
parent of ``$ACADEMY_ROOT`` must be traversable by all (``check_runtime`` reports both).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterable, Iterator

from runtime import accounts
from runtime.paths import CHECKOUT, Paths
from runtime.unix import chown_tree, file_lock

SYSTEM_PYTHON = Path("/usr/bin/python3")
# Debian's bundled pip (23.0) cannot resolve the lock (extras + constraints); use a current one.
RUNTIME_PIP = "pip==26.2.1"
# Pins of requirements.lock (made on the dev Python 3.11.7) whose release needs a newer 3.11.x
# than Debian's 3.11.2 (Requires-Python); the runtime venv takes the newest compatible release.
RUNTIME_PIN_OVERRIDES = {"soupsieve": "soupsieve==2.10"}  # 4.1.3 needs >=3.11.5
STAMP_NAME = ".academy-stamp.json"
# What is copied to build the project and hashed for the stamp: only what the build reads — the
# metadata files and the package directories of pyproject's [tool.setuptools.packages.find]
# (tests/test_runtime_build.py keeps the two in step). An allow-list, because anything else in a
# checkout changes while it is used (test screenshots, var/, editor files): a changed hash makes the
# next `academy up` reinstall the project in place, under the graders and servers importing from it.
BUILD_FILES = ("pyproject.toml", "requirements.lock", "requirements.unwanted")
PACKAGE_DIRS = ("academy", "grading", "hubext", "runtime", "sandbox", "courses/coursekit")
_SKIP_DIRS = {"node_modules", "__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis", "build"}

# A line that is only an nbgrader solution / hidden-test marker: course material with answers.
_ANSWER_MARK = re.compile(rb"^\s*(?:#\s*)?#{2,}\s*BEGIN (?:SOLUTION|HIDDEN TESTS)\s*$", re.M)
# The same marker as a line inside a notebook's JSON source strings.
_ANSWER_MARK_IPYNB = re.compile(rb'"\s*(?:#\s*)?#{2,}\s*BEGIN (?:SOLUTION|HIDDEN TESTS)\s*(?:\\n)?"')
# The project's own packages inside the runtime venv (the third-party ones carry test notebooks
# with markers, e.g. nbgrader's own tests, which are no course's answers).
PROJECT_PACKAGES = ("academy", "grading", "sandbox", "coursekit")

# (attribute of Paths, mode) for the directories every mode has; owner root in root mode.
_ROOT_OWNED_DIRS: tuple[tuple[str, int], ...] = (
    ("root", 0o755),
    ("hub_dir", 0o700),
    ("data_dir", 0o700),
    ("homes", 0o755),
    ("exchange", 0o1777),
    ("courses", 0o755),
    ("lessons", 0o755),
)


# ---------------------------------------------------------------------------------------------
# The tree


def _ensure_dir(path: Path, mode: int, uid: int | None, gid: int | None) -> bool:
    changed = False
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        changed = True
    st = path.lstat()
    if uid is not None and (st.st_uid, st.st_gid) != (uid, gid):
        os.chown(path, uid, gid)
        changed = True
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)
        changed = True
    return changed


def is_source_checkout(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "academy").is_dir()


def protect_checkout(checkout: Path = CHECKOUT) -> bool:
    """Root mode: make the checkout's top directory 0700 so no other account can enter it.

    Returns True if the mode changed. Does nothing for a path that is not a source checkout
    (e.g. when the academy runs from the runtime venv).
    """
    checkout = Path(checkout)
    if os.geteuid() != 0 or not is_source_checkout(checkout):
        return False
    st = checkout.stat()
    changed = False
    # The owner stays (root on servers and CI; a developer who runs `sudo make up` in their own
    # clone keeps it): only group and others lose access.
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(checkout, stat.S_IMODE(st.st_mode) & 0o700)
        changed = True
    return changed


def prepare_course_root(paths: Paths, course_id: str, *, root_mode: bool) -> Path:
    """``courses/<id>/`` owned by ``grader-<id>`` (0700, whole tree) and ``lessons/<id>/`` (0755 root)."""
    course_root = paths.course_root(course_id)
    if root_mode:
        accounts.ensure_grader_account(course_id, home=course_root)
        import pwd
        pw = pwd.getpwnam(accounts.grader_account_name(course_id))
        _ensure_dir(course_root, 0o700, pw.pw_uid, pw.pw_gid)
        # files written by root (grading.course_root.prepare) become the grader's
        chown_tree(course_root, pw.pw_uid, pw.pw_gid)
        _ensure_dir(paths.lessons / course_id, 0o755, 0, 0)
        # The course's exchange dirs, made the way nbgrader's release makes them (owned by the
        # grader; nbgrader only sets modes when it creates them) but with the sticky bit on
        # inbound: a trainee may add a submission but never rename/delete someone else's.
        if paths.exchange.is_dir():
            course_ex = paths.exchange / course_id
            _ensure_dir(course_ex, 0o755, pw.pw_uid, pw.pw_gid)
            _ensure_dir(course_ex / "outbound", 0o755, pw.pw_uid, pw.pw_gid)
            _ensure_dir(course_ex / "inbound", 0o3733, pw.pw_uid, pw.pw_gid)
    else:
        _ensure_dir(course_root, 0o700, None, None)
        _ensure_dir(paths.lessons / course_id, 0o755, None, None)
    return course_root


def prepare_runtime(paths: Paths, *, root_mode: bool, courses: Iterable[str] = (),
                    checkout: Path | None = CHECKOUT) -> list[str]:
    """Create or correct the runtime tree (idempotent). Returns what it changed (for the log).

    Root mode: owners and modes of docs/isolation.md, grader accounts and course roots for
    ``courses``, secrets/databases 0600, and the checkout closed (see module docstring).
    Single-account mode: the same tree and modes, owned by the current account.
    """
    done: list[str] = []
    uid, gid = (0, 0) if root_mode else (None, None)
    if root_mode and checkout is not None and _inside(paths.root, Path(checkout)):
        raise RuntimeError(
            f"ACADEMY_ROOT {paths.root} 位于代码目录 {checkout} 之内；root 模式下代码目录对学员不可读，"
            f"运行目录必须在其外（如 /srv/academy） / ACADEMY_ROOT {paths.root} is inside the checkout "
            f"{checkout}, which root mode closes to every other account; put it elsewhere (e.g. /srv/academy)")
    for attr, mode in _ROOT_OWNED_DIRS:
        path = getattr(paths, attr)
        if _ensure_dir(path, mode, uid, gid):
            done.append(f"{path} {mode:o}")
    etc = getattr(paths, "etc", None)
    if etc is not None:
        for p in (etc.parent, etc):
            if _ensure_dir(p, 0o755, uid, gid):
                done.append(f"{p} 755")
    # secrets and databases: readable by the hub/root only
    for f in (paths.cookie_secret, paths.hub_db, paths.academy_db,
              getattr(paths, "ops_token_file", None), getattr(paths, "demo_passwords", None)):
        if f is not None and f.exists() and stat.S_IMODE(f.stat().st_mode) != 0o600:
            os.chmod(f, 0o600)
            done.append(f"{f} 600")
    for course_id in courses:
        prepare_course_root(paths, course_id, root_mode=root_mode)
    if root_mode and checkout is not None and protect_checkout(Path(checkout)):
        done.append(f"{checkout} closed (700)")
    return done


def _inside(path: Path, parent: Path) -> bool:
    return Path(path).resolve().is_relative_to(Path(parent).resolve())


# ---------------------------------------------------------------------------------------------
# The runtime venv


def _project_files(checkout: Path) -> Iterator[Path]:
    """Files that make up the installable project (relative paths, sorted, deterministic)."""
    for name in BUILD_FILES:
        if (checkout / name).is_file():
            yield Path(name)
    for top in PACKAGE_DIRS:
        for dirpath, dirnames, filenames in os.walk(checkout / top):
            rel = Path(dirpath).relative_to(checkout)
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
            for fn in sorted(filenames):
                if not fn.endswith((".pyc", ".pyo")):
                    yield rel / fn


def venv_lock_path(venv: Path) -> Path:
    """The lock of a venv's builds: beside the real directory, so a root whose venv is a link to a
    shared one (the test roots) takes the same lock as every other user of it."""
    return venv.resolve().parent / ".venv.lock"


def _project_hash(checkout: Path) -> str:
    h = hashlib.sha256()
    for rel in _project_files(checkout):
        h.update(str(rel).encode() + b"\0" + (checkout / rel).read_bytes() + b"\0")
    return h.hexdigest()


def _site_packages(venv: Path) -> list[Path]:
    return sorted(venv.glob("lib/python3*/site-packages"))


def answer_files(venv: Path) -> list[Path]:
    """Files in the venv's project packages that hold solutions or hidden tests (e.g. a course
    template shipped as package data)."""
    found: list[Path] = []
    for sp in _site_packages(venv):
        for pkg in PROJECT_PACKAGES:
            for dirpath, dirnames, filenames in os.walk(sp / pkg):
                dirnames[:] = [d for d in dirnames if d != "__pycache__"]
                for fn in filenames:
                    p = Path(dirpath, fn)
                    try:
                        if _ANSWER_MARK.search(p.read_bytes()):
                            found.append(p)
                            # pip compiled it too: the bytecode holds the same answers
                            found += sorted((p.parent / "__pycache__").glob(f"{p.stem}.*.pyc"))
                    except OSError:
                        continue
    return found


def published_answers(paths: Paths) -> list[Path]:
    """Files trainees are meant to read (lessons, released assignments) that still hold answers."""
    found: list[Path] = []
    tops = [paths.lessons, *sorted(paths.exchange.glob("*/outbound"))] if paths.exchange.is_dir() else [paths.lessons]
    for top in tops:
        for dirpath, _dirnames, filenames in os.walk(top):
            for fn in filenames:
                p = Path(dirpath, fn)
                try:
                    data = p.read_bytes()
                except OSError:
                    continue
                mark = _ANSWER_MARK_IPYNB if fn.endswith(".ipynb") else _ANSWER_MARK
                if mark.search(data):
                    found.append(p)
    return found


def close_answer_files(venv: Path) -> list[Path]:
    """Root mode: answers shipped inside the runtime venv become root-only (0600)."""
    closed = []
    for p in answer_files(venv):
        if stat.S_IMODE(p.stat().st_mode) & 0o077:
            os.chmod(p, 0o600)
            closed.append(p)
    return closed


# The rules that decide graded cases (sandbox.practice.keys; issue 12): graders import them, trainees must not.
KEYS_PACKAGE = ("sandbox", "practice", "keys")


def answer_keys(venv: Path) -> list[Path]:
    """The answer-key package directories inside the venv (one per site-packages)."""
    return [sp.joinpath(*KEYS_PACKAGE) for sp in _site_packages(venv) if sp.joinpath(*KEYS_PACKAGE).is_dir()]


def close_answer_keys(venv: Path) -> list[Path]:
    """Root mode: the answer keys become root:academy-graders, directories 0750 and files 0640, so the
    grader accounts (members of the group) import them and a trainee's kernel cannot. Returns what changed."""
    keys = answer_keys(venv)
    if not keys:
        return []
    gid = accounts.graders_gid()
    changed = []
    for top in keys:
        for dirpath, dirnames, filenames in os.walk(top):
            for entry, want in [(dirpath, 0o750), *((os.path.join(dirpath, n), 0o750) for n in dirnames),
                                *((os.path.join(dirpath, n), 0o640) for n in filenames)]:
                st = os.lstat(entry)
                if stat.S_ISLNK(st.st_mode):
                    continue  # pip never makes links here; nothing to follow
                if (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) != (0, gid, want):
                    os.lchown(entry, 0, gid)
                    os.chmod(entry, want)
                    changed.append(Path(entry))
    return changed


def _open_up(tree: Path) -> None:
    """Root-owned, world-readable/executable, writable by root only."""
    for dirpath, dirnames, filenames in os.walk(tree):
        for entry in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
            st = os.lstat(entry)
            if stat.S_ISLNK(st.st_mode):
                continue
            if st.st_uid != 0 or st.st_gid != 0:
                os.lchown(entry, 0, 0)
            mode = stat.S_IMODE(st.st_mode)
            want = (mode | 0o444 | (0o111 if (stat.S_ISDIR(st.st_mode) or mode & 0o100) else 0)) & ~0o022
            if want != mode:
                os.chmod(entry, want)


def ensure_runtime_venv(paths: Paths, checkout: Path = CHECKOUT, *, python: Path = SYSTEM_PYTHON) -> str:
    """Build (or reuse) the runtime venv: Debian's python3, project non-editable, pinned by the lock.

    Reused while the stamp (hash of pyproject.toml, requirements.lock and the project's files)
    matches; otherwise the project (and changed pins) is reinstalled in place. Returns "built",
    "updated" or "unchanged". Root mode makes the tree root-owned, world-readable, not writable.
    """
    checkout = Path(checkout)
    venv = paths.venv
    digest = _project_hash(checkout)
    stamp = venv / STAMP_NAME
    with file_lock(venv_lock_path(venv)):
        vpy = venv / "bin" / "python"
        if stamp.exists() and vpy.exists():
            try:
                if json.loads(stamp.read_text()).get("hash") == digest:
                    if os.geteuid() == 0:
                        close_answer_files(venv)
                        close_answer_keys(venv)
                    return "unchanged"
            except (ValueError, OSError):
                pass
        result = "updated"
        if not vpy.exists():
            if not python.exists():
                raise RuntimeError(f"{python} not found: install Debian's python3 and python3-venv")
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
            result = "built"
        old_umask = os.umask(0o022)
        try:
            env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
            env.pop("PYTHONPATH", None)
            env.pop("VIRTUAL_ENV", None)
            # A copy of the project, so the in-tree build (build/, *.egg-info) never touches the
            # checkout and a build of one checkout can't race another one's.
            up = subprocess.run([str(vpy), "-m", "pip", "install", "-q", RUNTIME_PIP], env=env, cwd="/",
                                capture_output=True, text=True)
            if up.returncode != 0:
                raise RuntimeError(f"runtime venv: cannot install {RUNTIME_PIP}:\n{up.stderr[-3000:]}")
            with _project_copy(checkout) as src:
                constraints = src.parent / "runtime-constraints.txt"
                constraints.write_text(_runtime_constraints(checkout / "requirements.lock"))
                cmd = [str(vpy), "-m", "pip", "install", "-q", "--no-warn-script-location",
                       "-c", str(constraints), str(src)]
                proc = subprocess.run(cmd, env=env, cwd="/", capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"runtime venv: pip install failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
            _remove_unwanted(vpy, checkout, env)
        finally:
            os.umask(old_umask)
        if os.geteuid() == 0:
            _open_up(venv)
            close_answer_files(venv)
            close_answer_keys(venv)
        stamp.write_text(json.dumps({"hash": digest, "python": str(python)}))
        os.chmod(stamp, 0o644)
        return result


def unwanted_distributions(checkout: Path = CHECKOUT) -> list[str]:
    """Names in requirements.unwanted: pulled in by a dependency, removed after every install."""
    lines = (checkout / "requirements.unwanted").read_text(encoding="utf-8").splitlines()
    return [name for line in lines if (name := line.split("#", 1)[0].strip())]


def _remove_unwanted(vpy: Path, checkout: Path, env: dict[str, str]) -> None:
    names = unwanted_distributions(checkout)
    if not names:
        return
    proc = subprocess.run([str(vpy), "-m", "pip", "uninstall", "-q", "-y", *names], env=env, cwd="/",
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"runtime venv: pip uninstall {names} failed:\n{proc.stderr[-3000:]}")


def _runtime_constraints(lock: Path) -> str:
    out = []
    for line in lock.read_text().splitlines():
        name = line.split("==")[0].strip().lower().replace("_", "-")
        out.append(RUNTIME_PIN_OVERRIDES.get(name, line))
    return "\n".join(out) + "\n"


@contextlib.contextmanager
def _project_copy(checkout: Path) -> Iterator[Path]:
    import tempfile
    tmp = Path(tempfile.mkdtemp(prefix="academy-build-"))
    try:
        dst = tmp / "src"
        for rel in _project_files(checkout):
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(checkout / rel, dst / rel)
        yield dst
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The check


_PROBE = textwrap.dedent(r"""
    import json, os, sys, tempfile
    exchange, lessons, forbidden = json.loads(sys.argv[1])
    out = {"problems": [], "readable": []}
    try:
        import jupyterhub, jupyter_server, ipykernel, nbgrader, academy  # noqa: F401
    except Exception as e:  # noqa: BLE001
        out["problems"].append(f"import failed: {e!r}")
    if not os.path.isdir(exchange) or not os.access(exchange, os.W_OK | os.X_OK):
        out["problems"].append(f"exchange {exchange} not writable")
    else:
        try:
            fd, p = tempfile.mkstemp(dir=exchange, prefix=".probe-")
            os.close(fd); os.unlink(p)
        except OSError as e:
            out["problems"].append(f"exchange {exchange}: {e}")
    if os.path.isdir(lessons):
        try:
            os.listdir(lessons)
        except OSError as e:
            out["problems"].append(f"lessons {lessons}: {e}")
    for p in forbidden:
        try:
            if os.path.isdir(p):
                os.listdir(p)
            else:
                open(p, "rb").close()
            out["readable"].append(p)
        except OSError:
            pass
    print(json.dumps(out))
""")


def _probe_user(user: str | None) -> str:
    if user:
        return user
    import grp
    try:
        members = sorted(grp.getgrnam(accounts.USERS_GROUP).gr_mem)
    except KeyError:
        members = []
    return members[0] if members else "nobody"


def _as_user(user: str, argv: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent"}
    if os.geteuid() == 0:
        runuser = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "runuser"
        argv = [runuser, "-u", user, "--", *argv]
    return subprocess.run(argv, env=env, cwd="/", capture_output=True, text=True, timeout=timeout)


def check_runtime(paths: Paths, *, user: str | None = None, checkout: Path | None = CHECKOUT) -> list[str]:
    """Verify, by running as an academy user, that the runtime works and keeps its secrets.

    Root mode: runs as ``user`` (default: the first member of ``academy-users``, else ``nobody``).
    Checks that they can run the venv's python and ``jupyterhub-singleuser``, write the exchange,
    read lessons — and can NOT read the hub/data dirs, course roots, the checkout or other homes.
    Returns a list of problems (中文 / English); empty means fine. ``make up`` stops on any.
    """
    problems: list[str] = []
    root_mode = os.geteuid() == 0 and paths.root_mode
    vbin = paths.venv / "bin" if root_mode else Path(sys.executable).parent
    if not (vbin / "python").exists():
        return [f"运行环境缺少 {vbin}/python，请先运行 make up / runtime venv missing: {vbin}/python"]
    who = _probe_user(user) if root_mode else None
    if root_mode:
        # every parent of the root must be traversable, or no user server starts
        for parent in [paths.root, *paths.root.parents]:
            if not stat.S_IMODE(parent.stat().st_mode) & 0o001:
                problems.append(f"{parent} 对其他账号不可进入（缺少 o+x）/ {parent} is not traversable by "
                                f"other accounts (o+x missing); user servers cannot reach {paths.root}")
        if checkout is not None and is_source_checkout(Path(checkout)) and _inside(paths.root, Path(checkout)):
            problems.append(f"ACADEMY_ROOT {paths.root} 在代码目录之内 / is inside the checkout {checkout}")
        ex = paths.exchange.stat() if paths.exchange.exists() else None
        if ex is None or stat.S_IMODE(ex.st_mode) != 0o1777:
            problems.append(f"交换目录 {paths.exchange} 权限应为 1777 / exchange mode must be 1777")
    forbidden: list[str] = []
    if root_mode:
        forbidden = [str(paths.hub_dir), str(paths.data_dir)]
        if paths.courses.is_dir():
            forbidden += [str(p) for p in sorted(paths.courses.iterdir()) if p.is_dir()]
        if paths.homes.is_dir():
            forbidden += [str(p) for p in sorted(paths.homes.iterdir()) if p.is_dir() and p.name != who]
        if checkout is not None and is_source_checkout(Path(checkout)):
            forbidden += [str(checkout), str(Path(checkout) / "courses"), str(Path(checkout) / ".git")]
        forbidden += [str(p) for p in answer_files(paths.venv)]
        for top in answer_keys(paths.venv):
            forbidden += [str(top), *(str(p) for p in sorted(top.glob("*.py")))]
    for p in published_answers(paths):
        problems.append(f"{p} 含有答案或隐藏测试，学员可读 / holds solutions or hidden tests and is readable "
                        "by trainees (lessons and released assignments must not)")
    # both probes at once: each is mostly Python start-up and imports
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        f_probe = pool.submit(_as_user, who or "", [str(vbin / "python"), "-c", _PROBE,
                                                    json.dumps([str(paths.exchange), str(paths.lessons), forbidden])])
        f_su = pool.submit(_as_user, who or "", [str(vbin / "jupyterhub-singleuser"), "--version"])
    try:
        proc = f_probe.result()
    except subprocess.TimeoutExpired:
        return problems + ["运行环境检查超时 / runtime probe timed out"]
    if proc.returncode != 0:
        problems.append(f"账号 {who} 无法运行 {vbin}/python / account {who} cannot run {vbin}/python: "
                        f"{(proc.stderr or proc.stdout).strip()[-500:]}")
        return problems
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    problems += [f"账号 {who}: {p}" if who else p for p in out["problems"]]
    for p in out["readable"]:
        problems.append(f"学员账号 {who} 能读取 {p}（应不可读）/ academy account {who} can read {p} (must not)")
    try:
        su = f_su.result()
        if su.returncode != 0:
            problems.append(f"账号 {who} 无法运行 jupyterhub-singleuser / cannot run jupyterhub-singleuser: "
                            f"{(su.stderr or su.stdout).strip()[-500:]}")
    except subprocess.TimeoutExpired:
        problems.append("jupyterhub-singleuser --version 超时 / timed out")
    return problems


# ---------------------------------------------------------------------------------------------
# Acting in a person's home


def copy_tree_as_user(src: Path, dst: Path, user: str, *, timeout: float = 60) -> None:
    """Copy ``src/`` into ``dst/`` (files not there yet only), running as ``user``.

    Anything root does inside a home the person controls can be turned against others: a
    planted symlink (``~/course -> /srv/academy/data``) makes a root copy write — and a root chown
    hand over — whatever it points at. Done as the person, a symlink reaches only what they could
    reach anyway. ``src`` must be readable by them (lessons are 0755/0644).
    """
    pw = __import__("pwd").getpwnam(user)
    script = 'mkdir -p -- "$1" && cp -R -n --preserve=timestamps -- "$2"/. "$1"/'
    proc = subprocess.run(["/bin/sh", "-c", script, "sh", str(dst), str(src)],
                          user=pw.pw_uid, group=pw.pw_gid, extra_groups=[], cwd="/",
                          env={"PATH": "/usr/bin:/bin", "HOME": pw.pw_dir, "LANG": "C.UTF-8"},
                          umask=0o022, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"copying {src} into {dst} as {user} failed: {proc.stderr.strip()[-500:]}")


# ---------------------------------------------------------------------------------------------
# Single-account mode


def single_user_warning() -> str:
    """Printed (and logged) at start-up when the hub cannot run each person as their own account."""
    return textwrap.dedent("""\
        ⚠ 单账号演示模式：学院没有以 root 身份运行，所有人的服务器都以同一个系统账号运行。
          任何学员都能读取其他人的文件、课程源文件（含答案和隐藏测试）和数据库。此模式只用于演示，
          不得用于真实培训。正式部署请以 root 运行 `make up`（每人一个独立的 Unix 账号）。
        ⚠ SINGLE-ACCOUNT DEMO MODE: the academy is not running as root, so every person's server
          runs as the same Unix account. Nobody is kept apart: any trainee can read everyone's
          files, the course sources (solutions, hidden tests) and the databases. Demos only —
          never for real training. Run `make up` as root for one Unix account per person.""")
