"""Grading: the grade-on-submit service (grading/service.py), loaded last by jupyterhub_config.py.

A hub-managed service without a URL: it polls the nbgrader exchange and grades new submissions,
releases their feedback and updates each trainee's 学习进度.html. It runs as the hub's user (root
in root mode, to write the progress pages into homes); course work drops to grader-<course>,
submitted code runs in the sandboxed kernel as `academy-grade`. `ACADEMY_GRADE_ON_SUBMIT=0` turns
it off; `ACADEMY_GRADE_INTERVAL` (seconds, default 5) sets how often it looks.
"""
import os
import sys

c = get_config()  # noqa: F821

try:
    from academy.paths import Paths

    _P = Paths.from_env()
    _python = str(_P.bin_dir / "python") if (_P.bin_dir / "python").exists() else sys.executable
    # /usr/sbin: root mode makes grader/kernel accounts with useradd (academy.accounts, grading.privileges)
    _env = {"ACADEMY_ROOT": str(_P.root), "PATH": f"{_P.bin_dir}:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8", "TZ": "Asia/Shanghai"}
    if not _P.root_mode:
        _env["ACADEMY_SINGLE_USER"] = "1"
except Exception:  # the hub helper's module is not there: still a valid fragment
    _python = sys.executable
    _env = {k: os.environ[k] for k in ("ACADEMY_ROOT", "ACADEMY_SINGLE_USER", "PATH") if k in os.environ}

if os.environ.get("ACADEMY_GRADE_ON_SUBMIT", "1") != "0":
    # append (lazily): each fragment gets a fresh `c`, merged into the main config afterwards
    c.JupyterHub.services.append({
        "name": "grade-on-submit",
        "command": [_python, "-m", "grading", "service",
                    f"--interval={float(os.environ.get('ACADEMY_GRADE_INTERVAL', '5'))}"],
        "environment": _env,
    })
