"""After the cohort is graded: competence profile, a trainer's manual grade, the certificate,
the progress page, CSV exports, and parallel == sequential."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from grading_helpers import DEMO, EXPECTED

pytestmark = pytest.mark.timeout(600)


def _db(academy_env: Path) -> str:
    return f"sqlite:///{academy_env / 'data' / 'academy.sqlite'}"


@pytest.fixture(scope="module")
def trainer_graded(cohort, course, academy_env, settings):
    """The trainer scores the hand-graded answer of `good` (4 of 5) as in the formgrader."""
    from grading import api
    from grading.nbgrader_env import gradebook

    before = api.certificate("demo", "good", out_dir=academy_env / "certs", root=course, course_src=DEMO, settings=settings)
    with gradebook(course) as gb:
        g = gb.find_grade("q3-answer", "ps1", "ps1", "good")
        g.manual_score = 4
        g.needs_manual_grade = False  # what the formgrader does on save
        gb.db.commit()
    api.competence("demo", root=course, settings=settings)
    return before


def test_certificate_waits_for_manual_grading(trainer_graded):
    assert trainer_graded["issued"] is False
    assert any("待培训师评分" in p for p in trainer_graded["problems"])


def test_competence_profile_levels(trainer_graded, academy_env):
    from grading.profile import profiles

    prof = profiles(_db(academy_env))
    good = prof["good"]
    assert good["数据分析与技术应用"]["level"] == "优秀"
    assert good["业务办理"]["share"] == 1.0
    assert good["服务意识与流程优化"]["share"] == 0.8 and good["服务意识与流程优化"]["level"] == "良好"
    assert prof["wrong"]["业务办理"]["level"] == "未达标"
    assert prof["os-exit"]["数据分析与技术应用"]["share"] == 1.0 and prof["os-exit"]["业务办理"]["share"] == 0.0


def test_thresholds_are_editable(trainer_graded, academy_env, tmp_path, settings):
    from grading.competence import DEFAULT_FILE, load_framework
    from grading.profile import profiles

    edited = tmp_path / "competence.toml"
    edited.write_text(DEFAULT_FILE.read_text(encoding="utf-8").replace('"良好" = 0.75', '"良好" = 0.85'), encoding="utf-8")
    framework = load_framework(settings=settings.replace(competence=str(edited)))  # ACADEMY_COMPETENCE
    assert framework.thresholds["良好"] == 0.85
    assert profiles(_db(academy_env), framework)["good"]["服务意识与流程优化"]["level"] == "合格"


def test_certificate_pdf(trainer_graded, course, academy_env, settings):
    from grading import api
    from grading.certificate import verify

    out = api.certificate("demo", "good", out_dir=academy_env / "certs", root=course, course_src=DEMO, settings=settings)
    assert out["issued"], out
    pdf = Path(out["path"])
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        compact = "".join(text.split())
        for needle in ("结业证明", "马晓燕", "平安区政务服务中心", "演示课程：政务服务数据小练习", "2学时", "优秀",
                       out["number"], "合成数据"):
            assert needle in compact, needle
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "yes" in fonts.splitlines()[-1].split()[-4:-1][0] or " yes " in fonts  # embedded
    else:  # poppler-utils missing: at least the font file is inside
        assert b"FontFile2" in pdf.read_bytes()
    assert verify(_db(academy_env), out["number"])["valid"]
    assert Path(out["home_copy"]).read_bytes() == pdf.read_bytes()  # in the trainee's own home
    assert verify(_db(academy_env), "HDXY-2026-DEMO-00000000") is None
    again = api.certificate("demo", "good", out_dir=academy_env / "certs", root=course, course_src=DEMO, settings=settings)
    assert again["number"] == out["number"]  # issued once


def test_no_certificate_without_passing(trainer_graded, course, academy_env, settings):
    from grading import api

    out = api.certificate("demo", "wrong", out_dir=academy_env / "certs", root=course, course_src=DEMO, settings=settings)
    assert not out["issued"] and any("低于合格线" in p for p in out["problems"])


def test_progress_page_shows_only_own_data(trainer_graded, course, academy_env, settings):
    from grading import api
    from grading.progress import PAGE_NAME, write_pages

    api.certificate("demo", "good", out_dir=academy_env / "certs", root=course, course_src=DEMO, settings=settings)
    write_pages(["good", "wrong"], db_url=_db(academy_env), settings=settings)
    page = (academy_env / "homes" / "good" / PAGE_NAME)
    html = page.read_text(encoding="utf-8")
    assert "马晓燕" in html and "9 / 10" in html and "已获学时" in html and "<b>2</b>" in html
    assert "李建国" not in html and "wrong" not in html
    assert oct(page.stat().st_mode & 0o777) == "0o644"
    other = (academy_env / "homes" / "wrong" / PAGE_NAME).read_text(encoding="utf-8")
    assert "李建国" in other and "马晓燕" not in other


def test_csv_exports_marked_synthetic(trainer_graded, course, academy_env, tmp_path, settings):
    import csv

    from grading import api

    out = api.competence("demo", out_dir=tmp_path, root=course, settings=settings)
    names = sorted(Path(f).name for f in out["files"])
    assert names == ["competence_by_cohort.csv", "competence_by_county.csv", "competence_by_unit.csv",
                     "competence_profiles.csv"]
    for f in out["files"]:
        first = Path(f).read_text(encoding="utf-8-sig").splitlines()[0]
        assert "合成数据" in first
    by_unit = list(csv.reader((tmp_path / "competence_by_unit.csv").open(encoding="utf-8-sig")))
    assert any(r[0] == "平安区政务服务中心" and r[1] == "业务办理" for r in by_unit)
    grades = api.export("demo", tmp_path / "grades.csv", root=course, settings=settings)
    rows = list(csv.reader(grades.open(encoding="utf-8-sig")))
    assert "合成数据" in rows[0][1] and len(rows) == 2 + len(EXPECTED)
    assert any(r[0] == "invalid-json" and "损坏" in r[-1] for r in rows)


def test_parallel_equals_sequential(cohort, course, tmp_path, settings):
    """Regrade a subset sequentially (1 worker) in a copy of the course root; same gradebook."""
    from grading.autograde import autograde
    from grading.course_root import prepare
    from grading.nbgrader_env import gradebook

    subset = ["good", "wrong", "os-exit", "tests-deleted", "errors-silenced", "invalid-json"]
    copy = tmp_path / "courses" / "demo"
    shutil.copytree(course, copy)
    prepare(DEMO, copy, tmp_path / "exchange", cell_timeout=5, settings=settings)  # rewrites the config's paths

    def scores(root: Path) -> dict:
        with gradebook(root) as gb:
            # auto scores only: the trainer has since graded `good`'s hand-graded answer
            return {(s, g.name): g.auto_score
                    for s in subset for nb in gb.find_submission("ps1", s).notebooks for g in nb.grades}

    parallel = scores(course)
    with gradebook(copy) as gb:  # forget the parallel results in the copy: they must be recomputed
        for s in subset:
            gb.remove_submission("ps1", s)
    for s in subset:
        shutil.rmtree(copy / "autograded" / s, ignore_errors=True)
    report = autograde("demo", "ps1", copy, workers=1, students=subset, settings=settings)
    assert report["workers"] == 1
    sequential = scores(copy)
    assert sequential == parallel
    assert parallel[("good", "q2-check")] == 3.0 and parallel[("wrong", "q2-check")] == 0.0
