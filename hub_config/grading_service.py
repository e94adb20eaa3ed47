"""Grading: the grade-on-submit service (grading/service.py).

A hub-managed service without a URL: it polls the nbgrader exchange and grades new submissions,
releases their feedback and updates each trainee's 学习进度.html. It runs as the hub's user (root
in root mode, to write the progress pages into homes); course work drops to grader-<course>,
submitted code runs in the sandboxed kernel as `academy-grade`. `ACADEMY_GRADE_ON_SUBMIT=0` turns
it off; `ACADEMY_GRADE_INTERVAL` (seconds, default 5) sets how often it looks.

Appends to ``c.JupyterHub.services``: jupyterhub_config.py runs the fragments in order on one
shared ``c``, so this must load after services.py.
"""
import sys

from runtime.settings import current

c = get_config()  # noqa: F821
S = current()
P = S.paths
_python = str(P.bin_dir / "python") if (P.bin_dir / "python").exists() else sys.executable

if S.grade_on_submit:
    c.JupyterHub.services.append({
        "name": "grade-on-submit",
        "command": [_python, "-m", "grading", "service", f"--interval={S.grade_interval}"],
        # /usr/sbin: root mode makes grader/kernel accounts with useradd (runtime.accounts)
        "environment": {**S.child_env(), "PATH": f"{P.bin_dir}:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "LANG": "C.UTF-8", "TZ": "Asia/Shanghai"},
    })
