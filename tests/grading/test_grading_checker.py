"""Form answers graded as data by a trusted checker (issue 12): real nbgrader fetch/submit/collect,
``api.autograde`` dispatching to the checker, feedback through the exchange — single-account mode
over a temporary root. Under the old behaviour (nbgrader executing each submitted notebook) the
cheats below earn full marks and the symlinked/huge answers are read like any other; here they earn
exactly what their answers.json is worth, with a Chinese reason.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from runtime.settings import Settings

from checker_helpers import (ASSIGNMENT, COURSE, FORMCOURSE, cheat_notebook, fake_coursekit, fetch, honest,
                             my_numbers, save_answers, submit)

HONEST = ("alice", "bob")
ALL = HONEST + ("wrong", "cheat-transformer", "cheat-fakepkg", "linker", "huge", "invalid", "direct-link")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from grading import api

    root = tmp_path_factory.mktemp("formroot")
    (root / "data").mkdir()
    settings = Settings.single_account(root)
    api.prepare(COURSE, course_src=FORMCOURSE, settings=settings)
    api.sync_students(COURSE, [{"account": a, "姓名": f"学员{a}"} for a in ALL], settings=settings)
    api.release(COURSE, ASSIGNMENT, settings=settings)
    return {"root": root, "settings": settings, "croot": root / "courses" / COURSE}


@pytest.fixture(scope="module")
def graded(env):
    """Every trainee fetches, gets their own cases, saves answers and submits; then collect,
    autograde, feedback — the trainer's real cycle."""
    from grading import api

    root, settings = env["root"], env["settings"]
    marker = root / "notebook-ran.txt"
    folders = {a: fetch(root, a) for a in ALL}
    out = api.write_cases(COURSE, ASSIGNMENT, settings=settings)
    assert sorted(out["written"]) == sorted(ALL), out
    first = {a: my_numbers(folders[a]) for a in ALL}
    for a in HONEST + ("direct-link",):
        save_answers(folders[a], honest(folders[a]))
    save_answers(folders["wrong"], {"q1": 1, "q2": [1, 2, 3, 4], "essay": ""})
    for a in ("cheat-transformer", "cheat-fakepkg"):
        save_answers(folders[a], {"q1": 0})
        cheat_notebook(folders[a], marker)
    fake_coursekit(folders["cheat-fakepkg"])
    save_answers(folders["linker"], {"q1": 0})
    (folders["huge"] / "answers.json").write_text(json.dumps({"q1": 0, "pad": "x" * 300_000}), encoding="utf-8")
    (folders["invalid"] / "answers.json").write_text("{not json", encoding="utf-8")
    entries = {a: submit(root, a) for a in ALL}
    # issue 12 point 2: a link to another trainee's answers planted in one's own inbound entry
    (entries["linker"] / "answers.json").unlink()
    (entries["linker"] / "answers.json").symlink_to(entries["alice"] / "answers.json")
    api.collect(COURSE, ASSIGNMENT, settings=settings)
    # a link that got past collect (defence in depth): the checker still refuses to follow it
    sub = env["croot"] / "submitted" / "direct-link" / ASSIGNMENT / "answers.json"
    sub.unlink()
    sub.symlink_to(env["croot"] / "submitted" / "alice" / ASSIGNMENT / "answers.json")
    report = api.autograde(COURSE, ASSIGNMENT, settings=settings)
    fb = api.feedback(COURSE, ASSIGNMENT, settings=settings)
    assert not fb["failed"], fb
    return {"rows": {r["student"]: r for r in report["submissions"]}, "report": report, "folders": folders,
            "first": first,
            "marker": marker, "entries": entries}


def test_honest_trainees_get_their_own_cases_and_full_autograded_marks(env, graded):
    rows, folders = graded["rows"], graded["folders"]
    assert graded["report"]["graded_by"] == "checker"
    assert graded["first"]["alice"] != graded["first"]["bob"]
    assert my_numbers(folders["alice"]) != graded["first"]["alice"]  # attempt 2: new cases written on grading
    for a in HONEST:
        assert rows[a]["score"] == 5 and rows[a]["max_score"] == 7, rows[a]
        assert rows[a]["needs_manual_grade"] and rows[a]["attempt"] == 1
    assert rows["wrong"]["score"] == 0


def test_cheats_in_the_notebook_earn_nothing_because_it_never_runs(graded):
    rows = graded["rows"]
    for a in ("cheat-transformer", "cheat-fakepkg"):
        assert rows[a]["score"] == 0 and rows[a]["status"] == "graded", rows[a]
    assert not graded["marker"].exists()  # the notebook's code never ran anywhere


def test_plain_nbgrader_autograde_refuses_to_execute_a_checker_assignment(env, graded):
    """The formgrader's autograde button runs nbgrader's autograde with the course config: for a
    checker assignment it must fail rather than run the trainee's notebook."""
    from grading.nbgrader_env import api as nb_api

    out = nb_api(env["croot"]).autograde(ASSIGNMENT, "cheat-transformer", force=True, create=True)
    assert not out["success"] and "评分程序" in (out.get("log", "") + out.get("error", ""))
    assert not graded["marker"].exists()


def test_links_and_huge_or_broken_answers_are_refused_with_chinese_reasons(env, graded):
    rows = graded["rows"]
    assert "linker" not in rows  # collect refused the entry holding a link
    reason = env["croot"] / "quarantine" / f"{graded['entries']['linker'].name}.原因.txt"
    assert "符号链接" in reason.read_text(encoding="utf-8")
    expect = {"direct-link": ("answers-link", "符号链接"), "huge": ("answers-too-large", "256 KB"),
              "invalid": ("answers-invalid", "损坏")}
    for account, (tag, zh) in expect.items():
        assert rows[account]["score"] == 0 and tag in rows[account]["reasons"], rows[account]
        assert any(zh in r for r in rows[account]["reasons_zh"])
    assert rows["alice"]["score"] == 5  # honest neighbours unaffected


def test_gradebook_and_feedback_hold_only_what_the_checker_produced(env, graded):
    from grading.nbgrader_env import gradebook

    with gradebook(env["croot"]) as gb:
        g = gb.find_grade("q2-check", ASSIGNMENT, ASSIGNMENT, "wrong")
        assert g.auto_score == 0 and not g.needs_manual_grade
        essay = gb.find_grade("essay", ASSIGNMENT, ASSIGNMENT, "alice")
        assert essay.auto_score is None and essay.needs_manual_grade
        assert "待培训老师评分" in (gb.find_comment("essay", ASSIGNMENT, ASSIGNMENT, "alice").auto_comment or "")
    html = next((env["croot"] / "feedback" / "wrong" / ASSIGNMENT).glob("*.html")).read_text(encoding="utf-8")
    assert "合计不对" in html and "【自动评分】" in html
    assert "BEGIN SOLUTION" not in html and "ans.require" not in html and "sorted(_c" not in html
    cheat = next((env["croot"] / "feedback" / "cheat-transformer" / ASSIGNMENT).glob("*.html")).read_text()
    assert "input_transformers_post" not in cheat  # built from the released notebook, not the submission


def test_feedback_items_for_the_portal(env, graded):
    from grading import api

    items = api.feedback_items(COURSE, ASSIGNMENT, "wrong", settings=env["settings"])
    assert [i["cell"] for i in items] == ["q1-check", "q2-check", "essay"]
    assert set(items[0]) >= {"cell", "title", "points", "max_points", "reasons", "answer", "expected", "pending"}
    assert items[0]["answer"] == "1" and items[0]["expected"] is None  # cases reused: no expected answer
    assert items[2]["pending"] and items[0]["title"] == "第一题 合计"
    assert api.feedback_items(COURSE, ASSIGNMENT, "nobody", settings=env["settings"]) == []


def test_a_trainers_hand_grade_reaches_the_portal_items(env, graded):
    from grading import api
    from grading.nbgrader_env import gradebook

    with gradebook(env["croot"]) as gb:
        g = gb.find_grade("essay", ASSIGNMENT, ASSIGNMENT, "alice")
        g.manual_score, g.needs_manual_grade = 1.5, False  # what the formgrader does
        gb.db.commit()
    api.competence(COURSE, settings=env["settings"])
    essay = api.feedback_items(COURSE, ASSIGNMENT, "alice", settings=env["settings"])[2]
    assert essay["cell"] == "essay" and not essay["pending"] and essay["points"] == 1.5


def test_the_secret_is_private_and_seeds_cannot_be_derived_from_the_account(env, graded):
    from grading.checks import case_seed
    from grading.formgrade import public_cases
    from grading.secret import COURSE_KEY_NAME, course_key

    paths = env["settings"].paths
    for p in (paths.grader_secret, env["croot"] / COURSE_KEY_NAME):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.secrets_dir.stat().st_mode) == 0o700
    assert not list((env["croot"] / "release").rglob("*grader*")) and not list((env["croot"] / "release").rglob("*.academy*"))
    assert (env["croot"] / "grader" / "quiz.py").is_file()
    actual = case_seed(course_key(env["croot"]), COURSE, ASSIGNMENT, "alice", 1)
    guesses = [case_seed(k, COURSE, ASSIGNMENT, "alice", 1) for k in (b"", b"alice", COURSE.encode(), b"\0" * 32)]
    assert actual not in guesses
    # autograde already gave alice her second attempt's cases
    assert json.loads((graded["folders"]["alice"] / "cases.json").read_text())["attempt"] == 2
    numbers = public_cases(env["croot"], COURSE, ASSIGNMENT, [("alice", 2)])["alice"]["numbers"]
    assert numbers == my_numbers(graded["folders"]["alice"])


def test_attempt_cap_regrading_costs_nothing_and_the_fourth_is_not_graded(env, graded):
    from grading import api

    root, settings = env["root"], env["settings"]
    again = api.autograde(COURSE, ASSIGNMENT, students=["bob"], settings=settings)["submissions"][0]
    assert again["attempt"] == 1  # the same submission graded again is the same attempt
    folder = graded["folders"]["bob"]
    for attempt in (2, 3, 4):
        out = api.write_cases(COURSE, ASSIGNMENT, ["bob"], settings=settings)
        if attempt <= 3:
            assert out["written"] == ["bob"]
            assert json.loads((folder / "cases.json").read_text())["attempt"] == attempt
            save_answers(folder, honest(folder) | ({"q1": 0} if attempt == 3 else {}))
        else:
            assert out["written"] == [] and "次数已用完" in out["skipped"]["bob"]
            save_answers(folder, honest(folder))
        submit(root, "bob")
        api.collect(COURSE, ASSIGNMENT, settings=settings)
        row = api.autograde(COURSE, ASSIGNMENT, students=["bob"], settings=settings)["submissions"][0]
        assert row["attempt"] == attempt
        if attempt <= 3:
            assert row["score"] == (5 if attempt == 2 else 3), row
        else:
            assert row["status"] == "rejected" and "attempts-exceeded" in row["reasons"]
            assert "评分次数" in row["reasons_zh"][0]
    from grading import store

    (res,) = store.results(settings.paths.academy_db_url, course=COURSE, account="bob")
    assert res.score == 3 and res.attempt == 3 and "attempts-exceeded" in json.loads(res.reasons)
    items = api.feedback_items(COURSE, ASSIGNMENT, "bob", settings=settings)
    assert items[0]["expected"] is not None  # last allowed attempt: these cases are never reused


def test_cases_written_as_files_never_through_a_link(env, graded, tmp_path):
    from grading.homefile import write_into_folder

    victim = tmp_path / "victim"
    victim.mkdir()
    home = tmp_path / "home"
    (home / COURSE).mkdir(parents=True)
    (home / COURSE / ASSIGNMENT).symlink_to(victim)
    with pytest.raises(OSError):
        write_into_folder(home, (COURSE, ASSIGNMENT), "cases.json", b"{}")
    assert not (victim / "cases.json").exists()


def test_coursekit_my_cases_reads_the_file_beside_the_notebook(graded, monkeypatch):
    from coursekit import answers

    folder = graded["folders"]["alice"]
    monkeypatch.setenv(answers.ENV_DIR, str(folder))
    assert answers.my_cases()["numbers"] == my_numbers(folder)
    monkeypatch.setenv(answers.ENV_DIR, str(folder.parent))
    with pytest.raises(answers.NoCases, match="个人案例"):
        answers.my_cases()


def test_cases_cli_refuses_an_assignment_without_checker(env, capsys):
    from grading import cli

    assert cli.main(["cases", "nosuchcourse", "quiz"], settings=env["settings"]) == 2
    assert "不存在" in capsys.readouterr().err


@pytest.mark.timeout(600)
def test_validate_runs_the_reference_through_the_checker(tmp_path):
    """The fixture validates clean; a checker that fails the reference or passes blank answers is
    reported per cell (before this wave validate executed the notebook and ignored the checker)."""
    import shutil

    from grading import api

    assert api.validate(FORMCOURSE) == []
    broken = tmp_path / "formcourse"
    shutil.copytree(FORMCOURSE, broken)
    checker = broken / "grader" / "quiz.py"
    text = checker.read_text(encoding="utf-8")
    text = text.replace("ok1 = type(q1) in (int, float) and q1 == total", "ok1 = False")
    text = text.replace("items.append(Item(\"q2-check\", 0.75 * right", "items.append(Item(\"q2-check\", 3.0")
    checker.write_text(text, encoding="utf-8")
    problems = "\n".join(api.validate(broken))
    assert "q1-check" in problems and "参考答案只得 0/2" in problems
    assert "q2-check" in problems and "空白答案也得了 3" in problems


def test_service_rewrites_missing_cases_and_cohorts_have_their_own_cap(env, graded):
    from grading import service
    from grading.checker_run import cap_for

    folder = graded["folders"]["wrong"]
    (folder / "cases.json").unlink()
    written = service.missing_cases(COURSE, env["settings"])
    assert written == {ASSIGNMENT: ["wrong"]}
    doc = json.loads((folder / "cases.json").read_text(encoding="utf-8"))
    assert doc["attempt"] == 2 and doc["account"] == "wrong"  # attempt 1 was graded: the next one's cases
    assert service.missing_cases(COURSE, env["settings"]) == {}  # present: left alone
    entry = {"max_attempts": 3, "cohort_max_attempts": {"2026-补训": 4}}
    assert cap_for(entry, "2026-补训") == 4 and cap_for(entry, "2026-一期") == 3 and cap_for(entry, None) == 3


def test_too_late_is_graded_zero_and_costs_no_attempt(tmp_path):
    """Lateness from the receipt time collect records; after resubmit_until: 0, status rejected,
    and no attempt used (the trainee's cases stay those of attempt 1)."""
    import shutil

    from grading import api, store

    src = tmp_path / "src" / COURSE
    shutil.copytree(FORMCOURSE, src)
    toml = src / "course.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'due = "2099-12-31T18:00:00+08:00"', 'due = "2020-01-01T18:00:00+08:00"\nresubmit_until = "2020-02-01T18:00:00+08:00"'),
        encoding="utf-8")
    root = tmp_path / "rt"
    (root / "data").mkdir(parents=True)
    settings = Settings.single_account(root)
    api.prepare(COURSE, course_src=src, settings=settings)
    api.release(COURSE, ASSIGNMENT, settings=settings)
    folder = fetch(root, "carol")
    api.write_cases(COURSE, ASSIGNMENT, settings=settings)
    save_answers(folder, honest(folder))
    submit(root, "carol")
    api.collect(COURSE, ASSIGNMENT, settings=settings)
    (row,) = api.autograde(COURSE, ASSIGNMENT, course_src=src, settings=settings)["submissions"]
    assert row["status"] == "rejected" and row["score"] == 0 and {"late", "too-late"} <= set(row["reasons"])
    assert store.graded_attempts(settings.paths.academy_db_url, COURSE, ASSIGNMENT, "carol") == 0
    assert json.loads((folder / "cases.json").read_text())["attempt"] == 1


def test_a_checker_bug_scores_that_submission_zero_and_the_others_go_on(tmp_path):
    import shutil

    from grading import api

    src = tmp_path / "src" / COURSE
    shutil.copytree(FORMCOURSE, src)
    checker = src / "grader" / "quiz.py"
    checker.write_text(checker.read_text(encoding="utf-8").replace(
        "    numbers = cases(ctx.seed)[\"numbers\"]\n",
        "    numbers = cases(ctx.seed)[\"numbers\"]\n    if ctx.account == \"crash\":\n        raise KeyError(\"bug\")\n"),
        encoding="utf-8")
    root = tmp_path / "rt"
    (root / "data").mkdir(parents=True)
    settings = Settings.single_account(root)
    api.prepare(COURSE, course_src=src, settings=settings)
    api.release(COURSE, ASSIGNMENT, settings=settings)
    for who in ("crash", "dave"):
        folder = fetch(root, who)
        api.write_cases(COURSE, ASSIGNMENT, [who], settings=settings)
        save_answers(folder, honest(folder))
        submit(root, who)
    api.collect(COURSE, ASSIGNMENT, settings=settings)
    rows = {r["student"]: r for r in api.autograde(COURSE, ASSIGNMENT, settings=settings)["submissions"]}
    assert rows["crash"]["score"] == 0 and "checker-error" in rows["crash"]["reasons"]
    assert "评分程序" in rows["crash"]["reasons_zh"][0]
    assert rows["dave"]["score"] == 5 and rows["dave"]["status"] == "graded"
