"""The worker's side of a code assignment graded as data (``grading.code_export``).

Runs in ``grading.worker`` (as ``grader-<course>``, no capabilities; started by
``grading.checker_run`` for assignments whose manifest entry says ``"kind": "code"``). For each job:

1. the submitted notebook is read as data and its code cells (not the check cells) plus the fixed
   export cell run in a fresh kernel of the submission's own — in root mode a ``grading.jail`` job
   started by the root launcher; what the kernel prints is dropped, except the export line (capped);
2. the exported JSON goes to the course's checker ``check(values, ctx)`` **in this process**, which
   never ran trainee code, and from there through :func:`grading.form_record.grade_one` into the
   gradebook and the autograded notebook exactly as a form answer does.

While one submission is checked and recorded, the next one's kernel is already booting (a kernel
is started before its submission is known, its files handed over later — never reused).
"""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from .checks import CheckerSpec, Context, case_seed
from .code_export import MAX_EXPORT_BYTES, cells_to_run, export_source, parse_export, read_submitted

HIST = "--HistoryManager.hist_file=:memory:"
DEADLINE_CELLS = 4  # a whole submission gets this many cell timeouts, however its kernel misbehaves


def _client_class():
    from nbclient import NotebookClient

    class ExportClient(NotebookClient):
        """Keeps only the export cell's text, at most the cap (trainee output is never stored)."""

        export_index = -1
        chars = 0
        over_cap = False

        def output(self, outs, msg, display_id, cell_index):
            if cell_index != self.export_index or msg.get("msg_type") != "stream":
                return None
            self.chars += len(msg.get("content", {}).get("text", ""))
            if self.chars > MAX_EXPORT_BYTES + 64:
                self.over_cap = True
                outs.clear()
                return None
            return super().output(outs, msg, display_id, cell_index)

    return ExportClient


class Kernels:
    """Fresh sandboxed kernels, the next one started while the current submission is recorded."""

    def __init__(self, root: Path):
        from .nbgrader_env import load_config

        self.config = load_config(root)
        self.timeout = int(self.config.get("Execute", {}).get("timeout", 30) or 30)
        self.memory_mb = int(self.config.get("SafeExecute", {}).get("memory_limit_mb", 1024) or 1024)
        self.ready = None

    def _new(self):
        from jupyter_core.utils import run_sync

        from .preprocessors import SandboxKernelManager

        km = SandboxKernelManager(kernel_name="python3", config=self.config)
        km.memory_limit_mb = self.memory_mb
        km.prestarted = True
        run_sync(km.start_kernel)(extra_arguments=[HIST])
        return km

    def prestart(self) -> None:
        if self.ready is None:
            try:
                self.ready = self._new()
            except Exception:  # noqa: BLE001 - an optimisation: the next submission starts its own
                self.ready = None

    def take(self, folder: Path):
        """A started kernel holding this submission's data files (never its notebooks)."""
        from jupyter_core.utils import run_sync

        from .preprocessors import _copy_item, submission_files

        km, self.ready = self.ready, None
        if km is None or not run_sync(km.is_alive)():
            self.end(km)
            km = self._new()
        if km.job is not None:
            km.jail_client.request("files", id=km.job, files=submission_files(folder))
        elif km.workdir:
            for item in folder.iterdir():
                _copy_item(item, Path(km.workdir))
        return km

    @staticmethod
    def end(km) -> None:
        from .preprocessors import discard_prestarted

        if km is not None:
            discard_prestarted(km)


def _execute(client, deadline: float) -> None:
    """Run the notebook, abandoned after ``deadline`` seconds in all: a kernel whose messaging the
    trainee broke (e.g. a patched built-in ipykernel relies on) can hang nbclient's waits forever."""
    import asyncio

    from jupyter_core.utils import run_sync

    async def _bounded():
        await asyncio.wait_for(client.async_execute(), deadline)

    run_sync(_bounded)()


MAX_SOURCE_CHARS = 100_000  # one answer cell as shown to the trainer


def answer_sources(nb) -> dict[str, str]:
    """grade_id → what the trainee wrote in each answer cell (code or written answer)."""
    return {c.metadata["nbgrader"]["grade_id"]: str(c.source)[:MAX_SOURCE_CHARS] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.metadata["nbgrader"].get("grade_id")}


def run_export(kernels: Kernels, folder: Path, notebooks: list[str], exports: dict,
               sources: dict[str, dict[str, str]]) -> tuple[dict | None, list[str], str]:
    """(values or None, reason tags, isolation) of one submission: its notebooks (the released
    names, in order) run in one kernel, then the export step. Fills ``sources`` (notebook →
    answer cells) for the autograded notebook."""
    import nbformat

    cells = []
    for name in notebooks:
        nb, problem = read_submitted(folder, name)
        if problem:
            return None, [problem], ""
        sources[Path(name).stem] = answer_sources(nb)
        cells += [nbformat.v4.new_code_cell(c.source) for c in cells_to_run(nb)]
    cells.append(nbformat.v4.new_code_cell(export_source(exports, kernels.timeout)))
    run = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                       "display_name": "Python 3"}})
    km = kernels.take(folder)
    isolation = getattr(km, "isolation", "")
    client = _client_class()(run, km=km, timeout=kernels.timeout, allow_errors=True, interrupt_on_timeout=True,
                             kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    client.export_index = len(cells) - 1
    notes: list[str] = []
    try:
        _execute(client, kernels.timeout * DEADLINE_CELLS)
    except Exception as exc:  # noqa: BLE001 - the kernel died or hung: nothing exported
        notes.append("kernel-died" if "Dead" in type(exc).__name__ else "timeout")
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
        kernels.end(km)
        kernels.prestart()  # boots while this submission is checked and recorded
    text = "".join(o.get("text", "") for o in cells[-1].get("outputs", []) if o.get("output_type") == "stream")
    values, tags = parse_export(text, client.over_cap)
    if any(o.get("ename") == "CellTimeoutError" for c in cells for o in c.get("outputs", [])):
        notes.append("timeout")
    return values, tags + [n for n in dict.fromkeys(notes)], isolation


def grade_jobs(job: dict, emit) -> None:
    """Worker entry for ``{"mode": "code", root, course, assignment, jobs, resubmit_until}``."""
    from .form_items import cell_layout
    from .form_record import grade_one
    from .formgrade import _failed, checker_for
    from .nbgrader_env import gradebook
    from .secret import course_key

    root, course_id, assignment = Path(job["root"]), job["course"], job["assignment"]
    spec: CheckerSpec = checker_for(root, assignment)
    exports = dict(getattr(spec.module, "EXPORTS", {}) or {})
    key = course_key(root)
    deadline = None
    if job.get("resubmit_until"):
        deadline = dt.datetime.fromisoformat(job["resubmit_until"]).astimezone(dt.timezone.utc).replace(tzinfo=None)
    notebooks = sorted(p.name for p in (root / "release" / assignment).glob("*.ipynb"))
    kernels = Kernels(root)
    kernels.prestart()
    try:
        with gradebook(root) as gb:
            layout = cell_layout(gb, assignment)
            for one in job["jobs"]:
                started = time.perf_counter()
                student, attempt = one["student"], int(one["attempt"])
                ctx = Context(course=course_id, assignment=assignment, account=student, attempt=attempt,
                              seed=case_seed(key, course_id, assignment, student, attempt),
                              reuse_cases=bool(one.get("reuse_cases", True)))
                sources: dict[str, dict[str, str]] = {}
                try:
                    values, tags, isolation = run_export(kernels, root / "submitted" / student / assignment,
                                                         notebooks, exports, sources)
                    row = grade_one(gb, root, spec, ctx, layout, one | {"isolation": isolation}, deadline,
                                    given=(values, tags), sources=sources)
                except Exception as exc:  # noqa: BLE001 - this one fails, the others go on
                    gb.db.rollback()
                    row = _failed(one, ctx, exc)
                row["seconds"] = round(time.perf_counter() - started, 4)
                emit(row)
    finally:
        kernels.end(kernels.ready)
        kernels.ready = None


def main_code(job: dict) -> None:
    grade_jobs(job, lambda row: print(json.dumps(row, ensure_ascii=False), flush=True))
