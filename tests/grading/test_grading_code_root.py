"""The demo's code assignment graded as data, in root mode with real Unix accounts, real
``nbgrader fetch``/``submit``, ``collect``, ``autograde --workers 2`` and ``fetch_feedback`` (root
only; skipped otherwise). Issue 12, "Code exercises": each submission's notebook runs in its own
jailed kernel (grading.jail) followed only by the fixed export step; the hidden checks run in the
trusted grader process on the exported JSON, so an answer that monkeypatches the checking helpers,
hooks ``input_transformers_post`` or swaps ``builtins`` earns only what its values deserve; an
export over the cap is refused with a Chinese reason; an honest submission gets full marks; a
broken one stops nobody else.
"""
from __future__ import annotations

import os
import secrets
import shutil

import nbformat
import pytest

from code_helpers import EXPECTED_CODE, PRINTED, code_notebook
from grading_helpers import CODE_DEMO

# The full root-mode cheat cohort runs in `make test-long` (issue 13); the non-root checker and
# jail tests keep the same rules in `make test`.
pytestmark = [pytest.mark.long, pytest.mark.root, pytest.mark.slow, pytest.mark.timeout(900)]

if os.geteuid() != 0:
    pytest.skip("root mode needs root: real Unix accounts (run as root, e.g. on CI)", allow_module_level=True)
from academy import runtime
from runtime import accounts

from test_grading_jail import _nbgrader, _submit
from test_grading_root import root_mode_root


@pytest.fixture(scope="module")
def code_course():
    root, settings = root_mode_root()
    paths = settings.paths
    cid = f"zc{secrets.token_hex(3)}"
    names = {s: f"zgc{i}{secrets.token_hex(3)}" for i, s in enumerate(sorted(EXPECTED_CODE))}
    try:
        runtime.prepare_runtime(paths, root_mode=True, courses=[cid], checkout=None)
        src = root / "src" / cid
        shutil.copytree(CODE_DEMO, src)
        toml = src / "course.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('id = "demo"', f'id = "{cid}"'), encoding="utf-8")
        from grading import api
        from grading.course_root import prepare

        prepare(src, paths.course_root(cid), paths.exchange, cell_timeout=10, settings=settings)
        for t in names.values():
            accounts.ensure_account(t, paths.home(t), full_name="测试学员")
        api.sync_students(cid, [{"account": t, "姓名": "测试学员"} for t in names.values()], settings=settings)
        api.release(cid, "ps1", settings=settings)
        yield {"root": root, "paths": paths, "settings": settings, "cid": cid, "names": names}
    finally:
        for t in names.values():
            try:
                accounts.remove_account(t)
            except Exception:
                pass
        try:
            accounts.remove_account(accounts.grader_account_name(cid), remove_home=False)
        except Exception:
            pass
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def code_graded(code_course):
    from grading import api

    names, settings, cid = code_course["names"], code_course["settings"], code_course["cid"]
    for scenario, account in names.items():
        _submit(code_course, account, code_notebook(scenario))
    api.collect(cid, "ps1", settings=settings)
    report = api.autograde(cid, "ps1", workers=2, settings=settings)
    fb = api.feedback(cid, "ps1", settings=settings)
    fetched = _nbgrader(code_course, names["honest"], "fetch_feedback")
    html = sorted((code_course["paths"].home(names["honest"]) / cid / "ps1" / "feedback").glob("*/ps1.html"))
    rows = {row["student"]: row for row in report["submissions"]}
    return {**code_course, "report": report, "feedback": fb, "fetched": fetched, "html": html,
            "rows": {s: rows.get(a, {}) for s, a in names.items()}}


@pytest.mark.parametrize("scenario", sorted(EXPECTED_CODE))
def test_each_submission_earns_only_what_its_values_deserve(code_graded, scenario):
    total, q1, tag = EXPECTED_CODE[scenario]
    row = code_graded["rows"][scenario]
    assert code_graded["report"]["graded_by"] == "checker", code_graded["report"]
    assert row.get("score") == total, row
    assert {i["cell"]: i["points"] for i in row["items"]}["q1-check"] == q1, row["items"]
    if tag:
        assert tag in row["reasons"], row


def test_every_kernel_ran_in_its_own_jail(code_graded):
    ran = [r for s, r in code_graded["rows"].items()]
    uids = [r["isolation"] for r in ran]
    assert all(u.startswith("jail:") for u in uids) and len(set(uids)) == len(uids), uids


def test_export_over_the_cap_is_refused_in_chinese(code_graded):
    row = code_graded["rows"]["too-large"]
    assert "export-too-large" in row["reasons"], row
    assert "代码导出的结果超过 256 KB 的上限，不予评分，全部记 0 分" in row["reasons_zh"], row


def test_broken_submission_stops_nobody(code_graded):
    rows = code_graded["rows"]
    assert rows["broken"]["score"] == 0 and "export-missing" in rows["broken"]["reasons"], rows["broken"]
    assert rows["honest"]["status"] == "graded" and rows["honest"]["score"] == 5, rows["honest"]
    assert [i["reasons"] for i in rows["honest"]["items"] if not i["pending"]] == [["检查通过"], ["检查通过"]]


def test_fetched_feedback_shows_only_what_the_checker_produced(code_graded):
    from grading.api import html_text

    assert code_graded["fetched"].returncode == 0 and code_graded["html"], code_graded["fetched"].stderr[-2000:]
    text = html_text(code_graded["html"][-1].read_text(encoding="utf-8"))
    assert "【自动评分】2 / 2 分" in text and "【自动评分】3 / 3 分" in text, text[-2000:]
    assert PRINTED not in text and "ACADEMY-EXPORT" not in text
    assert "def on_time_rate" in text and "NotImplementedError" not in text  # their own code, not the stub
