"""Grade-on-submit as a trainee sees it: from pressing 提交 on the portal to the grade on the portal.

A real hub (single-account mode) with the portal tests' course (tests/hub/portal_course), five
trainees with running servers and the assignment started through the portal. Then rounds in which
all five submit at once through the portal (nbgrader submit inside their own servers); each
submission is timed from the POST to the moment the portal's status shows its new grade.
Target (issue 15): p95 ≤ 10 s over ≥ 20 submissions.
"""
from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ACCOUNTS = ["stu_a", "stu_b", "stu_c", "stu_d", "stu_e"]
ROUNDS = 4
PORTAL = "services/academy/portal"


def _graded_at(s, hub) -> str:
    st = s.get(hub.url + PORTAL + "/status", timeout=60).json()
    return next(a["graded_at"] for a in st["assignments"] if (a["course"], a["assignment"]) == ("portalkit", "quiz"))


def _submit_and_wait(hub, s, token: str, timeout: float = 300) -> float:
    before = _graded_at(s, hub)
    t0 = time.perf_counter()
    r = s.post(hub.url + PORTAL + "/submit/portalkit/quiz", data={"_xsrf": token}, timeout=120)
    if "msg=submitted" not in r.url:
        raise RuntimeError(f"submit failed: {r.url}")
    while time.perf_counter() - t0 < timeout:
        st = s.get(hub.url + PORTAL + "/status", timeout=60).json()
        mine = next(a for a in st["assignments"] if (a["course"], a["assignment"]) == ("portalkit", "quiz"))
        if mine["graded_at"] and mine["graded_at"] != before and not mine["grading"]:
            return time.perf_counter() - t0
        time.sleep(0.25)
    raise RuntimeError("no grade within the timeout")


def _prepare(hub, account: str):
    from tests.hub.portal_hub import portal_session, start_server, xsrf

    start_server(hub, account, timeout=300)
    s = portal_session(hub, account)
    r = s.get(hub.url + PORTAL + "/start/portalkit/quiz", timeout=120)
    work = hub.root / "homes" / account / "portalkit" / "quiz"
    (work / "answers.json").write_text(json.dumps({"d1": "当场受理", "note": "一次性告知。"}, ensure_ascii=False),
                                       encoding="utf-8")
    return s, xsrf(r.text)


def run() -> dict:
    from tests.hub.portal_hub import start_portal_hub

    base = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    try:
        hub = start_portal_hub(base)
        try:
            with ThreadPoolExecutor(len(ACCOUNTS)) as pool:
                prepared = list(pool.map(lambda a: _prepare(hub, a), ACCOUNTS))
                times: list[float] = []
                for _ in range(ROUNDS):
                    times += pool.map(lambda p: _submit_and_wait(hub, *p), prepared)
        finally:
            hub.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return {"submissions": len(times), "trainees_at_once": len(ACCOUNTS),
            "submit_to_grade_p50_s": round(statistics.median(times), 2),
            "submit_to_grade_p95_s": round(p95, 2), "submit_to_grade_max_s": round(times[-1], 2)}


if __name__ == "__main__":
    print(run())
