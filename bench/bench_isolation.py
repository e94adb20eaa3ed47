"""Isolation figures: Unix account operations, runtime preparation and check, venv stamp check.

Root only (accounts need root); otherwise returns {"skipped": 1}. Creates throw-away accounts
named ztb… in a temporary root and removes them. Ratio baseline: a bare `true` run through
runuser (the floor of anything done "as an academy user").
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

N_ACCOUNTS = 20


def run() -> dict:
    if os.geteuid() != 0:
        return {"skipped": 1}
    from academy import runtime
    from runtime import accounts
    from runtime.paths import CHECKOUT, Paths

    out: dict[str, float] = {}
    root = Path(tempfile.mkdtemp(prefix="zt-academy-bench-", dir="/tmp"))
    os.chmod(root, 0o755)
    paths = Paths(root=root, root_mode=True)
    names = [f"ztb{secrets.token_hex(3)}" for _ in range(N_ACCOUNTS)]
    try:
        t = time.perf_counter()
        runtime.prepare_runtime(paths, root_mode=True, checkout=None)
        out["prepare_runtime_first_s"] = round(time.perf_counter() - t, 4)
        t = time.perf_counter()
        runtime.prepare_runtime(paths, root_mode=True, checkout=None)
        out["prepare_runtime_again_s"] = round(time.perf_counter() - t, 4)

        t = time.perf_counter()
        for n in names:
            accounts.ensure_account(n, paths.home(n), full_name="测试")
        out["account_create_ms_each"] = round((time.perf_counter() - t) / N_ACCOUNTS * 1000, 2)
        t = time.perf_counter()
        for n in names:
            accounts.ensure_account(n, paths.home(n), full_name="测试")
        out["account_unchanged_ms_each"] = round((time.perf_counter() - t) / N_ACCOUNTS * 1000, 2)
        t = time.perf_counter()
        for n in names:
            accounts.ensure_account(n, paths.home(n), full_name="测试", locked=True)
        out["account_lock_ms_each"] = round((time.perf_counter() - t) / N_ACCOUNTS * 1000, 2)

        t = time.perf_counter()
        subprocess.run(["/usr/sbin/runuser", "-u", names[0], "--", "/bin/true"], check=True)
        base = time.perf_counter() - t
        out["runuser_true_s"] = round(base, 4)

        shared = Path(os.environ.get("ACADEMY_TEST_RUNTIME", "/var/tmp/academy-test-runtime")) / "venv"
        if (shared / "bin" / "python").exists():
            (root / "venv").symlink_to(shared)
            t = time.perf_counter()
            state = runtime.ensure_runtime_venv(paths, CHECKOUT)
            out["runtime_venv_ensure_s"] = round(time.perf_counter() - t, 3)
            out["runtime_venv_was_unchanged"] = int(state == "unchanged")
            t = time.perf_counter()
            problems = runtime.check_runtime(paths, user=names[0], checkout=None)
            dt = time.perf_counter() - t
            out["check_runtime_s"] = round(dt, 3)
            out["check_runtime_problems"] = len(problems)
            out["check_runtime_vs_runuser_true"] = round(dt / base, 1) if base else 0.0
    finally:
        for n in names:
            try:
                accounts.remove_account(n)
            except Exception:  # noqa: BLE001
                pass
        shutil.rmtree(root, ignore_errors=True)
    return out


if __name__ == "__main__":
    print(run())
