"""nbgrader preprocessors of the academy (named in each course root's nbgrader_config.py).

* :class:`SafeExecute` runs a submission in a sandboxed kernel (memory limit, unprivileged
  account, private working directory), caps output, survives a dying kernel, and detects
  tampering with the kernel (a canary cell that must fail, a fingerprint of ``builtins``).
  Every graded test cell that did not run to a clean ``ok`` reply ends with an error output,
  so nbgrader scores it 0 (nbgrader #427: a dead kernel once let tests pass).
* :class:`StripHiddenTests` removes hidden tests, their output and their tracebacks from the
  notebook a feedback file is made of, keeping a message that names the failed check.
"""
from __future__ import annotations

import builtins
import os
import re
import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Integer, Unicode

NOTES_KEY = "grading_notes"

FINGERPRINT_NAMES = (
    "abs all any bool dict enumerate filter float getattr hasattr hash id int isinstance issubclass "
    "iter len list map max min next object print range repr round set setattr sorted str sum tuple "
    "type zip Exception AssertionError BaseException __import__ __build_class__"
)
FINGERPRINT_SRC = (
    "import builtins as _acb, hashlib as _ach\n"
    f"print('ACADEMY-FP', _ach.sha256(repr([(k, id(getattr(_acb, k, None))) for k in {FINGERPRINT_NAMES!r}.split()]).encode()).hexdigest())\n"
    "del _acb, _ach"
)
CANARY_SRC = "# 检查\nassert 1 + 1 == 3, '检查未通过'"  # looks like any test; must fail
# Run before every test cell: names in the trainee's namespace that shadow built-ins (``type``,
# ``abs``, ``isinstance`` …) are removed, so a test always calls the real built-in.
UNSHADOW_SRC = (
    "import builtins as __acb\n"
    "for __ack in __acb.list(__acb.globals()):\n"
    "    if __ack in __acb.__dict__ and not __ack.startswith('_'):\n"
    "        del __acb.globals()[__ack]\n"
    "del __acb, __ack"
)
GUARD_KEY = "academy_guard"


from runtime.settings import current, without_secrets

from . import jail


def _single_user() -> bool:
    """Single-account demo mode (runtime.settings), or not root and given no launcher: nobody is
    kept apart, kernels run as we do (under rlimits)."""
    return current().single_user or (os.geteuid() != 0 and not os.environ.get("ACADEMY_JAIL_FD"))


def _grader_without_isolation() -> bool:
    """Root mode, running as a course grader account that cannot switch users."""
    import pwd

    if current().single_user:
        return False
    try:
        return pwd.getpwuid(os.getuid()).pw_name.startswith("grader-")
    except KeyError:
        return False


_BASE: Path | None = None


def _private_base() -> Path:
    """A directory only this account owns, searchable (0711) but not listable by others, so the
    kernels' random scratch names (and their connection files) cannot be found. A same-named
    directory planted by someone else in /tmp is never used."""
    global _BASE
    if _BASE is not None and _BASE.is_dir():
        return _BASE
    base = Path(tempfile.gettempdir()) / f"academy-grading-{os.getuid()}"
    try:
        base.mkdir(mode=0o711)
    except FileExistsError:
        pass
    st = os.lstat(base)
    import stat as stat_mod

    if not stat_mod.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        base = Path(tempfile.mkdtemp(prefix="academy-grading-"))
    os.chmod(base, 0o711)
    _BASE = base
    return base


class SandboxKernelManager(AsyncKernelManager):
    """Start the kernel of one submission.

    Root mode: through the root launcher (``grading.jail``) as a throwaway identity of its own
    (own uid, cgroups, namespaces, ipc sockets only the grader may use), ended as a whole.
    Single-account mode: as this account under rlimits, in a private scratch directory."""

    memory_limit_mb = Integer(1024).tag(config=True)
    kernel_account = Unicode("academy-grade").tag(config=True)  # old configs; root mode uses grading.jail
    workdir: str | None = None
    isolation: str = "same-user"
    prestarted: bool = False  # started before its submission was known: files copied in later
    job: str | None = None    # the launcher's job id (root mode)
    jail_client = None

    async def _async_pre_start_kernel(self, **kw):
        if not _single_user():
            jc = jail.client()
            if jc is not None:  # the launcher made the job: talk to it over its own ipc sockets
                opened = jc.request("open")
                self.jail_client, self.job = jc, opened["id"]
                self.isolation = f"jail:{opened['uid']}"
                self.transport, self.ip, self.cache_ports = "ipc", opened["ipc"], False
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.job is not None:
            return await self._launch_in_jail(list(kernel_cmd), **kw)
        if not current().single_user and (os.geteuid() == 0 or _grader_without_isolation()):
            # e.g. the formgrader's "autograde" button: a kernel as grader-<course> could read the
            # gradebook and the solutions. Grade with `python -m grading autograde` or the service.
            raise RuntimeError("拒绝在评分账号下直接运行学员代码（无法启动隔离的评分环境）；请使用 "
                               "python -m grading autograde 或自动评分服务 / refusing to run a submission "
                               "without the per-submission jail (grading.jail)")
        return await self._launch_same_user(list(kernel_cmd), **kw)

    async def _launch_in_jail(self, kernel_cmd: list[str], **kw) -> None:
        src = kw.get("cwd")
        files = {} if self.prestarted or not src else submission_files(Path(src))
        conn = {k: (v.decode() if isinstance(v, bytes) else v)
                for k, v in self.get_connection_info(session=False).items()}
        extra = kernel_cmd[kernel_cmd.index("-f") + 2:] if "-f" in kernel_cmd else []
        started = self.jail_client.request("start", id=self.job, conn=conn, files=files, extra=extra,
                                           memory_mb=int(self.memory_limit_mb), env=dict(kw.get("env") or {}))
        prov = self.provisioner
        prov.process = jail.JailProcess(self.jail_client, self.job, started["pid"])
        prov.pid, prov.pgid = started["pid"], None
        self._reconcile_connection_info(prov.connection_info)

    def _limits_prefix(self, python: str) -> list[str]:
        """Resource limits for a same-account kernel: util-linux prlimit (no extra interpreter
        start), else grading.kernel_launcher."""
        mb = int(self.memory_limit_mb)
        if shutil.which("prlimit"):
            limits = ([f"--as={mb * 1024 * 1024}"] if mb > 0 else []) + [f"--fsize={64 * 1024 * 1024}", "--core=0"]
            return ["prlimit", *limits, "--"]
        return [python, "-m", "grading.kernel_launcher", "--memory-mb", str(mb), "--nproc", "0", "--"]

    async def _launch_same_user(self, cmd: list[str], **kw) -> None:
        src_cwd = kw.get("cwd") or os.getcwd()
        work = Path(tempfile.mkdtemp(prefix="run-", dir=_private_base()))  # 0700
        self.workdir = str(work)
        # Only the submission's own files (data beside the notebook), never the course root.
        for item in ([] if self.prestarted else Path(src_cwd).iterdir()):
            _copy_item(item, work)
        env = without_secrets(kw.get("env") or os.environ)  # never the database URL/password
        env.update(HOME=str(work), IPYTHONDIR=str(work / ".ipython"), MPLCONFIGDIR=str(work / ".mpl"),
                   JUPYTER_RUNTIME_DIR=str(work / ".runtime"), PYTHONPATH=str(Path(__file__).resolve().parent.parent),
                   # glibc reserves 64 MB of address space per thread arena; RLIMIT_AS counts it
                   MALLOC_ARENA_MAX="2")
        self.isolation = "same-user(single-account-mode)" if _single_user() else "same-user(no-jail)"
        kw["cwd"] = str(work)
        kw["env"] = env
        await super()._async_launch_kernel(self._limits_prefix(cmd[0]) + cmd, **kw)


MAX_FILES_BYTES = 64 * 2**20


def _copy_item(item: Path, work: Path) -> None:
    if item.suffix == ".ipynb" or item.name.startswith(".") or item.is_symlink():
        return
    dest = work / item.name
    if item.is_dir():
        shutil.copytree(item, dest, symlinks=True)
    else:
        shutil.copy2(item, dest)


def submission_files(src: Path) -> dict[str, str]:
    """The submission's own data files beside the notebook (relative name → base64), read as the
    grader; links are skipped (collect refuses them anyway), notebooks and dot-files too."""
    import base64

    out: dict[str, str] = {}
    total = 0
    for item in sorted(src.iterdir()):
        if item.suffix == ".ipynb" or item.name.startswith(".") or item.is_symlink():
            continue
        found = [item] if item.is_file() else sorted(p for p in item.rglob("*") if p.is_file() and not p.is_symlink())
        for path in found:
            if any(p.is_symlink() for p in path.relative_to(src).parents if str(p) != "."):
                continue
            data = path.read_bytes()
            total += len(data)
            if total > MAX_FILES_BYTES:
                raise RuntimeError("提交的数据文件过大 / submission files too large")
            out[path.relative_to(src).as_posix()] = base64.b64encode(data).decode()
    return out


class SafeExecute(Execute):
    memory_limit_mb = Integer(1024, help="RLIMIT_AS of the kernel, in MiB (0: none)").tag(config=True)
    kernel_account = Unicode("academy-grade", help="Unix account that runs submissions when possible").tag(config=True)
    max_output_chars = Integer(20000, help="Text output characters kept per cell").tag(config=True)
    max_image_chars = Integer(4_000_000, help="Image output (base64 characters) kept per cell").tag(config=True)
    tamper_check = Bool(True).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(*args, **kwargs)

    def create_kernel_manager(self):
        # nbclient drops self.km when it cleans up; keep ours for the workdir and isolation report
        self._sandbox_km = super().create_kernel_manager()
        self._sandbox_km.memory_limit_mb = self.memory_limit_mb
        self._sandbox_km.kernel_account = self.kernel_account
        return self._sandbox_km

    # -- hooks ------------------------------------------------------------------------------
    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        cell, reply = kwargs["cell"], kwargs["execute_reply"]
        self._replies[id(cell)] = reply["content"]["status"]
        if reply["content"]["status"] != "ok" and not any(o.output_type == "error" for o in cell.outputs):
            cell.outputs.append(NotebookNode(output_type="error", ename="ExecutionError",
                                             evalue="执行未成功", traceback=["执行未成功（内核返回错误状态）"]))

    def output(self, outs, msg, display_id, cell_index):
        # Huge output: keep a bounded amount per cell, drop the rest (the grader's memory is safe).
        # Text (streams, text/plain, html) is capped at max_output_chars; images (charts of the
        # lessons' widgets, base64 PNG of 30-150 KB each) count against their own, larger cap:
        # an honest chart must not trip the text cap, a flood of images is still bounded.
        content = msg.get("content", {})
        data = content.get("data", {})
        images = sum(len(str(v)) for k, v in data.items() if k.startswith("image/"))
        text = len(str(content.get("text", ""))) + sum(len(str(v)) for k, v in data.items() if not k.startswith("image/"))
        used = self._out_chars.get(cell_index, 0) + text
        self._out_chars[cell_index] = used
        used_img = self._img_chars.get(cell_index, 0) + images
        self._img_chars[cell_index] = used_img
        over = used > self.max_output_chars or used_img > self.max_image_chars
        if over and msg.get("msg_type") != "error":
            if cell_index not in self._truncated:
                self._truncated.add(cell_index)
                outs.append(NotebookNode(output_type="stream", name="stderr",
                                         text=f"\n[输出过长，超过 {self.max_output_chars} 个字符的部分已省略]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)

    # -- main ---------------------------------------------------------------------------------
    def _guard_cell(self, source: str, kind: str) -> NotebookNode:
        return NotebookNode(cell_type="code", source=source, metadata={GUARD_KEY: kind}, outputs=[],
                            execution_count=None)

    def _graded_by_checker(self, resources) -> bool:
        """An assignment graded as data by a checker (grading.formgrade) must never be executed —
        not even through the formgrader's autograde button or a plain ``nbgrader autograde``."""
        return _graded_by_checker(self.config, resources)

    def preprocess(self, nb, resources=None, km=None):
        if self._graded_by_checker(resources):
            raise RuntimeError("此作业由评分程序按保存的答案评分，不执行学员的笔记本；请用 python -m grading autograde "
                               "/ graded by its checker: notebooks are never executed")
        self._sandbox_km = None
        self._replies: dict[int, str] = {}
        self._out_chars: dict[int, int] = {}
        self._img_chars: dict[int, int] = {}
        self._truncated: set[int] = set()
        notes: list[str] = []
        guard = self.tamper_check and nb.metadata.get("kernelspec", {}).get("language", "python") == "python"
        if guard:
            cells = [self._guard_cell(FINGERPRINT_SRC, "fp-start")]
            for cell in nb.cells:
                if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
                    cells.append(self._guard_cell(UNSHADOW_SRC, "unshadow"))
                cells.append(cell)
            cells += [self._guard_cell(FINGERPRINT_SRC, "fp-end"), self._guard_cell(CANARY_SRC, "canary")]
            nb.cells = cells
        died = None
        pooled = _take_prestarted(self, nb, resources) if km is None else None
        if pooled is not None:
            km = self._sandbox_km = pooled
        try:
            nb, resources = super().preprocess(nb, resources, km=km)
        except Exception as exc:  # DeadKernelError, unresponsive kernel, failed start …
            died = exc
        finally:
            if pooled is not None:  # not owned by nbclient: shut it down ourselves
                try:
                    self._cleanup_kernel()
                except Exception:
                    pass
            manager = getattr(self, "_sandbox_km", None)
            remove_workdir(manager)
            if prewarm_enabled():
                _prestart(self, nb.metadata.get("kernelspec", {}).get("name") or "python3")
        isolation = getattr(manager, "isolation", "unknown")
        if died is not None:
            name = type(died).__name__
            if "Dead" in name:
                notes.append("kernel-died: 内核意外退出（例如 os._exit 或段错误），之后的检查均记 0 分")
            elif "Timeout" in name or "Unresponsive" in name:
                notes.append("timeout: 代码运行超时且无法中断，之后的检查均记 0 分")
            else:
                notes.append(f"execution-failed: 执行失败（{name}），未完成的检查记 0 分")  # details: the log only
        if self._truncated:
            notes.append("huge-output: 输出过长，已截断")
        tampered = False
        if guard:
            guards = {c.metadata[GUARD_KEY]: c for c in nb.cells if GUARD_KEY in c.metadata and c.metadata[GUARD_KEY] != "unshadow"}
            nb.cells = [c for c in nb.cells if GUARD_KEY not in c.metadata]
            if died is None:
                def fp(cell):
                    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream").strip()
                if self._replies.get(id(guards["canary"])) != "error":
                    tampered = True
                    notes.append("tampered: 内核的错误处理被改动（检查失败也会显示为通过），全部自动评分记 0 分")
                elif not fp(guards["fp-start"]).startswith("ACADEMY-FP") or fp(guards["fp-start"]) != fp(guards["fp-end"]):
                    tampered = True
                    notes.append("tampered: 代码改动了 Python 内置函数，全部自动评分记 0 分")
        for cell in nb.cells:
            if cell.cell_type == "code" and "timeout" not in " ".join(notes):
                if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                    notes.append("timeout: 代码运行超时，超时的单元格记 0 分")
        for cell in nb.cells:
            if cell.cell_type != "code" or not is_grade(cell) or is_solution(cell):
                continue
            ran_ok = self._replies.get(id(cell)) == "ok"
            if tampered or not ran_ok:
                if tampered or not any(o.output_type == "error" for o in cell.get("outputs", [])):
                    reason = "评分环境被改动，此检查不计分" if tampered else (
                        "内核已退出，此检查未能执行" if died else "此检查未能正常执行")
                    cell.setdefault("outputs", []).append(NotebookNode(
                        output_type="error", ename="NotGraded", evalue=reason, traceback=[reason]))
        nb.metadata.setdefault("academy", {})
        nb.metadata["academy"][NOTES_KEY] = notes
        nb.metadata["academy"]["isolation"] = isolation
        if died is not None:  # for the trainer's log (grading.worker reports it), never the feedback
            import traceback

            nb.metadata["academy"]["error"] = "".join(traceback.format_exception(died)[-4:])[-2000:]
        return nb, resources


_LINE_RE = re.compile(r"line (\d+)")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def _graded_by_checker(config, resources) -> bool:
    """Whether the assignment is in the course root's checker manifest (grading.formgrade)."""
    from .formgrade import load_manifest

    root = config.get("CourseDirectory", {}).get("root")
    assignment = (resources or {}).get("nbgrader", {}).get("assignment")
    return bool(root and assignment and assignment in load_manifest(Path(root)))


class StripHiddenTests(NbGraderPreprocessor):
    """Build a feedback notebook from what the grader wrote, never from what the kernel printed.

    Everything a submission's kernel sends (streams, displays, results, even error names and
    messages) is under the trainee's control: a hook can write hidden-test source into any output
    in any encoding (reversed, base64, hex, rot13 … issue 12 point 5). So: outputs of answer and
    other cells are dropped (the trainee has them in their own notebook); a graded test cell shows
    only the grader's line per failed check — the visible source line that failed, or "隐藏检查未通过"
    — with the error message only when it appears word for word in the cell's own source (the
    author's assert message) and the error name only when it is a built-in exception."""

    begin = Unicode("### BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("### END HIDDEN TESTS").tag(config=True)

    def preprocess(self, nb, resources):
        notes = nb.metadata.get("academy", {}).get(NOTES_KEY) or []
        # A checker assignment's autograded notebook was built by the grader from the released notebook
        # (grading.form_notebook) — no kernel ever ran; its annotations are the checker's reasons. Known
        # from the course's checker manifest, never from metadata a submission could carry.
        if not _graded_by_checker(self.config, resources):
            nb, resources = super().preprocess(nb, resources)
        if notes:
            text = "**评分说明：**\n\n" + "\n".join(f"- {n.split(': ', 1)[-1]}" for n in notes)
            nb.cells.insert(0, NotebookNode(cell_type="markdown", source=text, metadata={}))
        return nb, resources

    def _hidden_lines(self, source: str) -> tuple[list[str], set[int]]:
        kept, hidden, inside = [], set(), False
        for number, line in enumerate(source.splitlines(), start=1):
            if self.begin in line:
                inside = True
                hidden.add(number)
                kept.append("# （此处有隐藏检查，内容不公开）")
                continue
            if self.end in line:
                inside = False
                hidden.add(number)
                continue
            if inside:
                hidden.add(number)
            else:
                kept.append(line)
        return kept, hidden

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if not is_grade(cell) or is_solution(cell):
            cell.outputs = []  # the trainee's own outputs: not ours to vouch for
            return cell, resources
        source = cell.source
        lines = source.splitlines()
        kept, hidden = self._hidden_lines(source)
        cell.source = "\n".join(kept)
        cell.outputs = [_failed_check(out, source, lines, hidden) for out in cell.get("outputs", [])
                        if out.output_type == "error"]
        return cell, resources


_BUILTIN_ERRORS = {n for n in dir(builtins) if n.endswith(("Error", "Exception", "Exit", "Interrupt"))} | {
    "NotGraded", "ExecutionError", "CellTimeoutError"}


def _failed_check(out, source: str, lines: list[str], hidden: set[int]) -> NotebookNode:
    """The grader's line for one error of a test cell (see StripHiddenTests)."""
    text = _ANSI_RE.sub("", "\n".join(str(t) for t in out.get("traceback", [])))
    numbers = [int(m) for m in _LINE_RE.findall(text)]
    line_no = numbers[-1] if numbers else None
    ename = out.get("ename") if out.get("ename") in _BUILTIN_ERRORS else "Error"
    evalue = str(out.get("evalue") or "")
    if ename in ("NotGraded", "ExecutionError"):
        evalue = evalue if evalue in _GRADER_REASONS else ""
    elif not evalue or evalue not in source:
        evalue = ""  # only the author's own message, never text the kernel made up
    known = line_no is not None and 0 < line_no <= len(lines)
    if (known and line_no in hidden) or (not known and hidden):
        shown = [f"隐藏检查未通过：{evalue}" if evalue else "隐藏检查未通过"]
    elif not known:
        shown = [f"检查未通过：{evalue}" if evalue else "检查未通过"]
    else:
        shown = [f"第 {line_no} 行的检查未通过：{lines[line_no - 1].strip()}"]
        if evalue:
            shown.append(f"{ename}: {evalue}")
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=shown)


_GRADER_REASONS = {"评分环境被改动，此检查不计分", "内核已退出，此检查未能执行", "此检查未能正常执行", "执行未成功"}


# -- kernel pre-warming (autograde workers only) ----------------------------------------------------
# A worker grades many submissions one after the other. While nbgrader saves the grades of one
# submission and sanitizes the next, the next submission's kernel boots in the background: a fresh
# kernel per submission as before (never reused), started a little earlier. Enabled by
# grading.worker (ACADEMY_KERNEL_PREWARM=1); the formgrader and one-off runs start kernels as usual.
_PREWARMED: SandboxKernelManager | None = None


PREWARM_IN_WORKER = False  # grading.worker sets it: on there unless ACADEMY_KERNEL_PREWARM=0


def prewarm_enabled() -> bool:
    setting = current().kernel_prewarm
    return PREWARM_IN_WORKER if setting is None else setting


def _prestart(ex: "SafeExecute", kernel_name: str) -> None:
    global _PREWARMED
    if _PREWARMED is not None:
        return
    from jupyter_core.utils import run_sync

    try:
        km = SandboxKernelManager(kernel_name=kernel_name, config=ex.config)
        km.memory_limit_mb = ex.memory_limit_mb
        km.kernel_account = ex.kernel_account
        km.prestarted = True
        args = list(ex.extra_arguments)
        if not any(a.startswith("--HistoryManager.hist_file") for a in args):
            args.append("--HistoryManager.hist_file=:memory:")
        run_sync(km.start_kernel)(extra_arguments=args)
        _PREWARMED = km
    except Exception:  # pre-warming is an optimisation: the next submission starts its own kernel
        _PREWARMED = None


def _take_prestarted(ex: "SafeExecute", nb, resources) -> SandboxKernelManager | None:
    """The pre-started kernel, with this submission's data files copied into its directory."""
    global _PREWARMED
    km, _PREWARMED = _PREWARMED, None
    if km is None:
        return None
    from jupyter_core.utils import run_sync

    try:
        wanted = nb.metadata.get("kernelspec", {}).get("name") or "python3"
        if km.kernel_name != wanted or not run_sync(km.is_alive)():
            raise RuntimeError("stale pre-started kernel")
        src = (resources or {}).get("metadata", {}).get("path")
        if src and km.job is not None:  # written into the job by the launcher, as the job's uid
            km.jail_client.request("files", id=km.job, files=submission_files(Path(src)))
        elif src and km.workdir:
            for item in Path(src).iterdir():
                _copy_item(item, Path(km.workdir))
        return km
    except Exception:
        discard_prestarted(km)
        return None


def discard_prestarted(km: SandboxKernelManager | None = None) -> None:
    """Shut down a pre-started kernel (the worker calls this when it has no more work)."""
    global _PREWARMED
    if km is None:
        km, _PREWARMED = _PREWARMED, None
    if km is None:
        return
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:
        pass
    remove_workdir(km)


def remove_workdir(km) -> None:
    """End a kernel's job (root mode: every process of it killed, its directory and cgroups
    removed, its uid freed), or remove its scratch directory (single-account mode)."""
    job, jc = getattr(km, "job", None), getattr(km, "jail_client", None)
    if job is not None and jc is not None:
        km.job = None
        try:
            jc.request("end", id=job)
        except Exception:  # the launcher ends every job of a worker that goes away, too
            pass
        return
    workdir = getattr(km, "workdir", None)
    if workdir and os.path.isdir(workdir):
        shutil.rmtree(workdir, ignore_errors=True)
