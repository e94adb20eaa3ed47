"""The root launcher of code-exercise kernels: one throwaway identity per graded submission
(issue 12, "Code exercises" and point 6).

Each kernel (a *job*) gets
- its own uid: ``UID_BASE + slot``, a numeric uid with no passwd entry (no ``useradd``, no home,
  no login, nothing in /etc), the slot held by an flock for the job's life, so two live jobs never
  share a uid and a job cannot signal, ptrace or read another's processes or files;
- its own cgroup v1 ``pids`` and ``memory`` groups below ours (fork bursts and memory stay inside
  the job: the next submission is not touched);
- new mount, network, pid, IPC and UTS namespaces (util-linux ``unshare``): no network at all,
  only its own processes in ``/proc``, every mount read-only except its job directory, fresh
  ``tmpfs`` on /tmp, /var/tmp and /dev/shm (nothing left in the shared /tmp);
- an end as a whole: the kernel is pid 1 of its namespace (when it goes, the kernel kills every
  process left there; ``--kill-child`` takes it down with ``unshare``), then every process still in
  its cgroups is killed, the job directory removed and the uid slot released.

The grader talks to the kernel over ZeroMQ ``ipc`` sockets in ``<job>/ipc`` (mode 2770, group of
the grader account): other jobs and trainees cannot connect, and no connection file is readable by
any other account (``kernel.json`` root:job 0640 in a 0711 directory with a random name).

Who runs it: the root autograde process (grading.autograde) serves one :class:`Jail` per worker
over a socket pair (:func:`serve`); the worker (the grader account) asks with :class:`JailClient`.
The launcher never takes a path: it makes every path itself, takes file *contents* (size-capped,
plain relative names) and a whitelist of kernel options, and answers with data only.
"""
from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from runtime.unix import cgroup_kill, cgroup_make, cgroup_remove, own_cgroup

JOBS = Path("/run/academy-jobs")
UID_BASE = 2_000_000_000  # far above useradd's UID_MAX (60000) and the usual subuid ranges
POOL = 1000
PIDS_MAX = 256             # processes and threads of one job (ipykernel uses ~10)
MAX_FILES_BYTES = 64 * 2**20
MAX_MESSAGE = 96 * 2**20
TMPFS_SIZE = "64m"
_EXTRA_RE = re.compile(r"--[A-Za-z]+\.[A-Za-z_]+=[\w:.\-]*")
_NAME_RE = re.compile(r"[^/\x00]+")

# Runs as root inside the new namespaces, then becomes the job's uid with no capabilities.
# $1 job dir, $2 uid, $3 the kernel's venv (kept visible when it lives under a directory that gets a
# fresh tmpfs, as in the tests' /var/tmp), then the cgroup.procs files to join up to "--", then the
# kernel command.
INIT = r"""set -e
job=$1 uid=$2 keep=$3; shift 3
while [ "$1" != "--" ]; do echo 0 > "$1"; shift; done; shift
mount --make-rprivate /
mount --bind "$job" "$job"
mount --bind "$keep" "$job/.keep"
for d in /tmp /var/tmp /dev/shm; do mount -t tmpfs -o size=%s,mode=1777,nosuid,nodev tmpfs "$d"; done
case "$keep" in
  /tmp/*|/var/tmp/*|/dev/shm/*) mkdir -p "$keep"; mount --move "$job/.keep" "$keep";;
  *) umount "$job/.keep";;
esac
while read -r _ _ _ _ mp opts _; do
  case "$mp" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp|/var/tmp|"$job") continue;; esac
  case ",$opts," in *,ro,*) continue;; esac
  mount -o remount,bind,ro "$mp"
done < /proc/self/mountinfo
umask 007
exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --ambient-caps=-all \
  --bounding-set=-all --no-new-privs -- "$@"
""" % TMPFS_SIZE


class JailError(RuntimeError):
    pass


@dataclass
class Job:
    id: str
    uid: int
    dir: Path
    lock_fd: int
    cgroups: list[Path] = field(default_factory=list)
    proc: subprocess.Popen | None = None


def available() -> bool:
    """Root, with util-linux unshare/setpriv/prlimit: the launcher can make jobs here."""
    return os.geteuid() == 0 and all(shutil.which(t) for t in ("unshare", "setpriv", "prlimit", "mount"))


class Jail:
    """Makes, runs and ends jobs (root). ``python``: the kernel's interpreter (the runtime venv,
    chosen by root, never by the worker); ``group``: the grader's gid (may connect to the kernel)."""

    def __init__(self, python: str, group: int):
        venv = Path(os.path.realpath(Path(python).parent.parent))  # the venv, not where it is linked from
        self.python, self.venv, self.group = str(venv / "bin" / Path(python).name), str(venv), group
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    # -- job life -------------------------------------------------------------------------------
    def open(self) -> dict:
        """A new job: uid slot, directories, cgroups. Returns its id and the ipc socket prefix."""
        JOBS.mkdir(mode=0o711, exist_ok=True)
        os.chmod(JOBS, 0o711)
        slot, lock_fd = _take_slot()
        uid = UID_BASE + slot
        jid = secrets.token_hex(8)
        top = JOBS / jid
        top.mkdir(mode=0o711)
        job = Job(jid, uid, top, lock_fd)
        with self.lock:
            self.jobs[jid] = job
        for name, owner, group, mode in (("work", uid, uid, 0o700), ("ipc", uid, self.group, 0o2770),
                                         (".keep", 0, 0, 0o700)):
            os.mkdir(top / name)
            os.chown(top / name, owner, group)
            os.chmod(top / name, mode)
        return {"id": jid, "uid": uid, "ipc": str(top / "ipc" / "k")}

    def start(self, jid: str, conn: dict, files: dict[str, str], extra: list[str], memory_mb: int,
              env: dict[str, str]) -> dict:
        job = self._job(jid)
        if job.proc is not None:
            raise JailError("job already started")
        self._write_conn(job, conn)
        self.put_files(jid, files)
        memory_mb = max(128, min(int(memory_mb or 1024), 8192))
        job.cgroups = _cgroups(jid, memory_mb)
        work = job.dir / "work"
        kernel = [self.python, "-m", "ipykernel_launcher", "-f", str(job.dir / "kernel.json"),
                  *[a for a in extra if _EXTRA_RE.fullmatch(a)]]
        limits = ["prlimit", f"--as={memory_mb * 2**20}", f"--fsize={64 * 2**20}", "--core=0",
                  f"--nproc={PIDS_MAX}", "--"]
        argv = ["unshare", "--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child",
                "--mount-proc", "--", "/bin/sh", "-c", INIT, "academy-job", str(job.dir), str(job.uid), self.venv,
                *[str(g / "cgroup.procs") for g in job.cgroups], "--", *limits, *kernel]
        job.proc = subprocess.Popen(argv, cwd=str(work), env=_kernel_env(work, self.python, env),
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=None if os.environ.get("ACADEMY_JAIL_DEBUG") else subprocess.DEVNULL,
                                    start_new_session=True, close_fds=True)
        return {"pid": job.proc.pid, "uid": job.uid, "cgroups": len(job.cgroups)}

    def put_files(self, jid: str, files: dict[str, str]) -> dict:
        """Write the submission's data files (name → base64) into the job's work directory,
        created new (never through an existing name or link) and owned by the job."""
        job = self._job(jid)
        blobs = {name: base64.b64decode(data) for name, data in files.items()}
        if sum(map(len, blobs.values())) > MAX_FILES_BYTES:
            raise JailError("files too large")
        for name, data in blobs.items():
            _write_new(job.dir / "work", name, data, job.uid)
        return {"files": len(blobs)}

    def poll(self, jid: str) -> dict:
        proc = self._job(jid).proc
        return {"rc": None if proc is None else proc.poll()}

    def signal(self, jid: str, signum: int) -> dict:
        """A signal to the kernel's process group (the kernel, pid 1 of its namespace, and what it
        started without a new session); SIGKILL ends the whole job's processes at once."""
        job = self._job(jid)
        if job.proc is None or job.proc.poll() is not None:
            return {"sent": False}
        if int(signum) == signal.SIGKILL:
            self._kill(job)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(job.proc.pid, int(signum))
        return {"sent": True}

    def end(self, jid: str) -> dict:
        """Kill every process of the job, remove its cgroups and directory, free its uid."""
        with self.lock:
            job = self.jobs.pop(jid, None)
        if job is None:
            return {"left": 0}
        left = self._kill(job)
        shutil.rmtree(job.dir, ignore_errors=True)
        for group in job.cgroups:
            cgroup_remove(group)
        os.close(job.lock_fd)  # frees the slot: nothing of the uid is left running or on disk
        return {"left": left}

    def close_all(self) -> None:
        for jid in list(self.jobs):
            self.end(jid)

    def _kill(self, job: Job) -> int:
        if job.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(job.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                job.proc.wait(timeout=10)
        return sum(cgroup_kill(g) for g in job.cgroups)

    def _job(self, jid: str) -> Job:
        with self.lock:
            job = self.jobs.get(str(jid))
        if job is None:
            raise JailError("no such job")
        return job

    def _write_conn(self, job: Job, conn: dict) -> None:
        if conn.get("transport") != "ipc" or conn.get("ip") != str(job.dir / "ipc" / "k"):
            raise JailError("connection must be ipc in the job's own directory")
        keys = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
        info = {k: int(conn[k]) for k in keys}
        info.update(transport="ipc", ip=conn["ip"], key=str(conn.get("key", "")),
                    signature_scheme=str(conn.get("signature_scheme", "hmac-sha256")),
                    kernel_name=str(conn.get("kernel_name", "")))
        fd = os.open(job.dir / "kernel.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
        with os.fdopen(fd, "w") as f:
            os.fchown(f.fileno(), 0, job.uid)
            json.dump(info, f)

    # -- requests (from the worker) ---------------------------------------------------------------
    def handle(self, req: dict) -> dict:
        op = req.get("op")
        try:
            if op == "open":
                return self.open()
            if op == "start":
                return self.start(req["id"], dict(req["conn"]), dict(req.get("files") or {}),
                                  list(req.get("extra") or []), int(req.get("memory_mb") or 1024),
                                  dict(req.get("env") or {}))
            if op == "files":
                return self.put_files(req["id"], dict(req.get("files") or {}))
            if op == "poll":
                return self.poll(req["id"])
            if op == "signal":
                return self.signal(req["id"], int(req["signum"]))
            if op == "end":
                return self.end(req["id"])
            raise JailError(f"unknown request {op!r}")
        except Exception as exc:  # the worker gets the reason; the launcher goes on
            return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def _take_slot(jobs: Path | None = None) -> tuple[int, int]:
    """A free uid slot: an flock on its lock file, held until the job ends.

    Slots are handed out in turn from a shared cursor, not at random: a freed uid comes back only
    after the whole pool has been used, so two submissions graded one after the other never run
    under the same uid (with a random start, 7 jobs drew the same uid 2 % of the time), and
    whatever one job might have left behind cannot belong to the next.
    """
    slots = (jobs or JOBS) / ".slots"
    slots.mkdir(mode=0o700, exist_ok=True)
    cursor = os.open(slots / ".next", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(cursor, fcntl.LOCK_EX)  # held for a moment: one taker at a time moves the cursor
        start = _read_cursor(cursor)
        for i in range(POOL):
            slot = (start + i) % POOL
            fd = _lock_slot(slots, slot)
            if fd is not None:
                os.pwrite(cursor, f"{(slot + 1) % POOL:<10}".encode(), 0)
                return slot, fd
    finally:
        os.close(cursor)
    raise JailError("no free job uid")


def _read_cursor(fd: int) -> int:
    text = os.pread(fd, 16, 0).decode("ascii", "replace").strip()
    return int(text) % POOL if text.isdigit() else 0


def _lock_slot(slots: Path, slot: int) -> int | None:
    """The slot's lock, or None when it is taken or its uid is somebody's real account."""
    try:
        pwd.getpwuid(UID_BASE + slot)
        return None  # somebody's real account: never ours
    except KeyError:
        pass
    fd = os.open(slots / str(slot), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        os.close(fd)
        return None


def _cgroups(jid: str, memory_mb: int) -> list[Path]:
    groups = []
    pids = own_cgroup("pids")
    if pids is not None:
        groups.append(cgroup_make(pids / "academy-jobs", jid, {"pids.max": PIDS_MAX}))
    mem = own_cgroup("memory")
    if mem is not None:
        limits = {"memory.limit_in_bytes": memory_mb * 2**20}
        if (mem / "memory.memsw.limit_in_bytes").exists():
            limits["memory.memsw.limit_in_bytes"] = memory_mb * 2**20  # no swapping out of the limit
        groups.append(cgroup_make(mem / "academy-jobs", jid, limits))
    return groups


def _kernel_env(work: Path, python: str, given: dict[str, str]) -> dict[str, str]:
    """The kernel's environment: the worker's non-secret settings, our own paths on top."""
    from runtime.settings import without_secrets

    env = {k: str(v) for k, v in without_secrets(given).items()
           if not k.startswith(("LD_", "PYTHON", "JUPYTER", "IPYTHON")) and k not in ("PATH", "HOME", "ACADEMY_JAIL_FD")}
    env.update(HOME=str(work), IPYTHONDIR=str(work / ".ipython"), MPLCONFIGDIR=str(work / ".mpl"),
               JUPYTER_RUNTIME_DIR=str(work / ".runtime"), TMPDIR="/tmp", PYTHONDONTWRITEBYTECODE="1",
               PATH=f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin",
               # glibc reserves 64 MB of address space per thread arena; RLIMIT_AS counts it
               MALLOC_ARENA_MAX="2", LANG=env.get("LANG", "C.UTF-8"))
    return env


def _write_new(top: Path, name: str, data: bytes, uid: int) -> None:
    """Create ``top/name`` (subdirectories as needed) through directory descriptors, never
    following a link and never reusing an existing name."""
    parts = name.split("/")
    if not all(_NAME_RE.fullmatch(p) and p not in (".", "..") for p in parts):
        raise JailError(f"bad file name {name!r}")
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    fd = os.open(top, flags)
    try:
        for part in parts[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o700, dir_fd=fd)
                os.chown(part, uid, uid, dir_fd=fd, follow_symlinks=False)
            sub = os.open(part, flags, dir_fd=fd)
            os.close(fd)
            fd = sub
        out = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd)
        with os.fdopen(out, "wb") as f:
            os.fchown(f.fileno(), uid, uid)
            f.write(data)
    finally:
        os.close(fd)


# -- the wire: 4-byte length + JSON, one request → one answer --------------------------------------
def _send(sock: socket.socket, obj: dict) -> None:
    data = json.dumps(obj).encode()
    sock.sendall(struct.pack(">I", len(data)) + data)


def _recv(sock: socket.socket) -> dict | None:
    head = _recv_exact(sock, 4)
    if head is None:
        return None
    (size,) = struct.unpack(">I", head)
    if size > MAX_MESSAGE:
        raise JailError("message too large")
    body = _recv_exact(sock, size)
    return None if body is None else json.loads(body)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(sock: socket.socket, jail: Jail) -> None:
    """Answer one worker's requests until it hangs up; then end every job it left (root)."""
    try:
        while True:
            try:
                req = _recv(sock)
            except (OSError, ValueError, JailError):
                break
            if req is None:
                break
            _send(sock, jail.handle(req))
    finally:
        jail.close_all()
        sock.close()


def serve_in_thread(python: str, group: int) -> tuple[socket.socket, threading.Thread]:
    """A socket pair and a thread serving a new Jail on one end; the other end is the worker's."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    thread = threading.Thread(target=serve, args=(ours, Jail(python, group)), daemon=True)
    thread.start()
    return theirs, thread


class JailClient:
    """The worker's side: requests over the inherited socket (``ACADEMY_JAIL_FD``), or straight to
    an in-process Jail when the worker itself is root."""

    def __init__(self, sock: socket.socket | None = None, jail: Jail | None = None):
        self.sock, self.jail = sock, jail
        self.lock = threading.Lock()

    def request(self, op: str, **kw) -> dict:
        with self.lock:
            if self.jail is not None:
                answer = self.jail.handle({"op": op, **kw})
            else:
                _send(self.sock, {"op": op, **kw})
                answer = _recv(self.sock)
        if answer is None:
            raise JailError("launcher gone")
        if "error" in answer:
            raise JailError(answer["error"])
        return answer


_CLIENT: JailClient | None = None


def client() -> JailClient | None:
    """This worker's launcher: the one the root orchestrator handed over, or (root worker) its own."""
    global _CLIENT
    if _CLIENT is not None:
        return _CLIENT
    fd = os.environ.get("ACADEMY_JAIL_FD")
    if fd and fd.isdigit():
        _CLIENT = JailClient(sock=socket.socket(fileno=int(fd)))
    elif available():
        python = kernel_python()
        if python is not None:
            _CLIENT = JailClient(jail=Jail(python, os.getgid()))
    return _CLIENT


def kernel_python() -> str | None:
    """An interpreter a job uid can run with ipykernel: the runtime venv's, else ours if shared."""
    import sys

    from runtime.settings import current

    from .preprocessors_util import world_executable

    for py in (str(current().paths.venv / "bin" / "python"), sys.executable):
        if os.path.exists(py) and world_executable(py):
            return py
    return None


class JailProcess:
    """What jupyter_client's LocalProvisioner needs of a Popen, for a kernel the launcher started."""

    stdin = stdout = stderr = None

    def __init__(self, jc: JailClient, jid: str, pid: int):
        self.jc, self.jid, self.pid = jc, jid, pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self.jc.request("poll", id=self.jid)["rc"]
            except JailError:
                self.returncode = -9  # the job is gone
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(JailError):
            self.jc.request("signal", id=self.jid, signum=int(signum))

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)
