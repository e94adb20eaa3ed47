"""Helpers for the course tests: rendering sources, running notebooks headless, throwaway nbgrader
course roots. (A uniquely named module: several test folders have a conftest.py.)"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
COURSES_DIR = REPO / "courses"
COURSE_IDS = ("guides", "walkthrough")
ASSIGNMENTS = {"guides": ("review", "review"), "walkthrough": ("walk", "walk")}  # course -> (assignment, notebook)
VENV_BIN = str(Path(sys.executable).parent)


def lesson_paths() -> list[Path]:
    return sorted(p for c in COURSE_IDS for p in (COURSES_DIR / c / "lessons").glob("*.py"))


def assignment_paths() -> list[Path]:
    return sorted(p for c in COURSE_IDS for p in (COURSES_DIR / c / "assignments").glob("*/*.py")
                  if not p.name.startswith("_"))


def render(path: Path) -> nbformat.NotebookNode:
    from grading.course import read_notebook
    return read_notebook(path)


def code_cell(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source)


POLL_SLICE_S = 1.0


def _sliced(original):
    """A channel's get_msg(timeout) as polls of at most POLL_SLICE_S, same overall timeout."""
    import time
    from queue import Empty

    async def get_msg(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE_S if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await original(timeout=min(POLL_SLICE_S, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get_msg


class SlicedPollClient(NotebookClient):
    """nbclient waits for a cell's execute_reply with one poll of the shell socket lasting the whole
    cell timeout. With widget comm traffic on the other channels that poll sometimes misses the
    reply's wake-up and only finds the reply when it times out (jupyter/nbclient#312): a 3-s lesson
    then takes the full 180 s — seen on a fresh Debian run, kernel idle, reply already sent. Polling
    in 1-s slices bounds such a miss at a second; the cell timeout itself is unchanged."""

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        for channel in (kc.shell_channel, kc.iopub_channel):
            channel.get_msg = _sliced(channel.get_msg)
        return kc


def execute(nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = 180, allow_errors: bool = False,
            extra: list[str] = (), before: list[str] = ()) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in ``cwd`` (the kernel's working directory, as in JupyterLab).
    ``before`` / ``extra``: code cells run first / last, removed from the result (``extra``'s outputs
    are kept in ``nb.metadata["_extra_outputs"]``)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # deep copy
    nb.cells[:0] = [code_cell(src) for src in before]
    n_original = len(nb.cells)
    nb.cells.extend(code_cell(src) for src in extra)
    env = {**os.environ, "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", ""), "MPLBACKEND": "Agg"}
    env.pop("COURSEKIT_ANSWERS_DIR", None)
    client = SlicedPollClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute(env=env)
    nb.metadata["_extra_outputs"] = [c.get("outputs", []) for c in nb.cells[n_original:]]
    del nb.cells[n_original:]
    del nb.cells[:len(before)]
    return nb


# A trainee's kernel in root mode cannot read the answer keys (sandbox.practice.keys is root:academy-graders
# 0750 there; tests/isolation checks that for real). Run first in a kernel, this makes every import of
# them fail the same way, so a lesson that still needs them fails here too.
WITHOUT_KEYS = "import sys as _sys\n_sys.modules['sandbox.practice.keys'] = None\ndel _sys"


def errors(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"cell {i} ({cell.metadata.get('nbgrader', {}).get('grade_id', '')}): "
                           f"{o.get('ename')}: {o.get('evalue')}")
    return out


def stream_text(outputs) -> str:
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")


# ---- nbgrader course roots -------------------------------------------------------------------------
class CourseRoot:
    """A prepared nbgrader course root in a temporary ACADEMY_ROOT, with helpers to submit and grade."""

    def __init__(self, course_id: str, base: Path):
        from grading.course_root import prepare
        self.course_id = course_id
        self.base = base
        self.root = base / "courses" / course_id
        self.exchange = base / "exchange"
        self.assignment, self.notebook = ASSIGNMENTS[course_id]
        prepare(COURSES_DIR / course_id, self.root, self.exchange)
        self._api().release_assignment(self.assignment)

    def _api(self):
        from grading.nbgrader_env import api
        return api(self.root)

    @property
    def source_nb(self) -> Path:
        return self.root / "source" / self.assignment / f"{self.notebook}.ipynb"

    @property
    def release_dir(self) -> Path:
        return self.root / "release" / self.assignment

    def workspace(self, student: str) -> Path:
        """A trainee's copy of the released assignment, as ``nbgrader fetch_assignment`` leaves it."""
        home = self.base / "homes" / student
        dest = home / self.course_id / self.assignment
        shutil.rmtree(dest, ignore_errors=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.release_dir, dest)
        return dest

    def submit(self, student: str, workdir: Path) -> None:
        """The real ``nbgrader submit`` (exchange), then ``collect`` into the course root."""
        home = self.base / "homes" / student
        env = {**os.environ, "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", ""),
               "JUPYTERHUB_USER": student, "USER": student, "HOME": str(home)}
        cmd = [str(Path(VENV_BIN) / "nbgrader"), "submit", str(workdir), "--course", self.course_id,
               f"--Exchange.root={self.exchange}", "--Exchange.path_includes_course=True",
               f"--CourseDirectory.root={home}", f"--student={student}"]
        r = subprocess.run(cmd, cwd=home, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        result = self._api().collect(self.assignment)
        assert result["success"], result["log"]

    def put_submission(self, student: str, nb: nbformat.NotebookNode, files: dict[str, str] | None = None) -> None:
        """Place a submission directly in ``submitted/`` (for variants that need no exchange)."""
        dest = self.root / "submitted" / student / self.assignment
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        nbformat.write(nb, dest / f"{self.notebook}.ipynb")
        for name, text in (files or {}).items():
            (dest / name).write_text(text, encoding="utf-8")

    def autograde(self, students: list[str], workers: int = 2) -> dict[str, dict[str, tuple[float | None, float]]]:
        """Grade submissions with grading's parallel autograde (sandboxed kernels, one gradebook).

        Returns student -> grade_id -> (score, or None while a hand-graded task awaits the trainer; max).
        """
        from grading.autograde import autograde
        from grading.nbgrader_env import gradebook
        report = autograde(self.course_id, self.assignment, self.root, workers=workers, students=students)
        self.last_report = report
        out = {}
        with gradebook(self.root) as gb:
            for student in students:
                nb = gb.find_submission_notebook(self.notebook, self.assignment, student)
                out[student] = {g.name: (g.score if (g.auto_score is not None or g.manual_score is not None) else None,
                                         g.max_score) for g in nb.grades}
        return out

    def autograded_nb(self, student: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "autograded" / student / self.assignment / f"{self.notebook}.ipynb",
                             as_version=4)


