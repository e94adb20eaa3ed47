"""A small synthetic city (two months, fixed seed and span) and a real academy hub over it.

The city is built before `academy up` runs, so `up` finds and reuses it (as a second `make up`
would); grading results are put into the academy database first, so the read model's training part
has something to show. Numbers are checked elsewhere with SQL written here in the tests, over the
stored runs in data/city/city.sqlite — never with the functions that drew the pages.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.hubfixture import HubHandle, start_hub

SEED = 5
MONTHS = 2
TODAY = dt.date(2026, 12, 1)  # span 2026-10 … 2026-11, whatever the clock says
HEADER = "account,姓名,单位,县区,role,courses,cohort,active\n"
ROSTER = HEADER + """\
stu_ld,张晓梅（合成）,乐都区政务服务中心综合窗口,乐都区,trainee,demo,2026年第一期,1
stu_pa,李建国（合成）,平安区政务服务中心综合窗口,平安区,trainee,demo,2026年第一期,1
stu_pa2,马成林（合成）,平安区政务服务中心税务窗口,平安区,trainee,demo,2026年第二期,1
stu_mh,韩雪（合成）,民和回族土族自治县政务服务中心综合窗口,民和回族土族自治县,trainee,demo,2026年第二期,1
tr_demo,王志强（合成）,市政务服务中心综合受理科,乐都区,trainer,demo,,1
lead_city,陈国华（合成）,市政务服务监督管理局,海东市,leader,,,1
lead_pa,周敏（合成）,平安区政务服务中心,平安区,leader,,,1
ops,刘洋（合成）,市政务服务中心信息科,乐都区,admin,,,1
"""
# An ID number or mobile in clear: 18 characters (6 region + birth date + 3 + check), 11-digit mobile.
ID_RE = re.compile(r"(?<![0-9A-Za-z.])[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                   r"(?![0-9A-Za-z])")
# Not inside a longer token: kernel message and session ids are hex strings with digit runs.
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z])")


def unmasked(text: str) -> list[str]:
    return ID_RE.findall(text) + MOBILE_RE.findall(text)


def where(text: str, hit: str, width: int = 60) -> str:
    i = text.find(hit)
    return text[max(0, i - width): i + len(hit) + width]


def _grading_rows(db_url: str) -> None:
    """stu_ld and stu_pa have done the demo course (one passes); competence for three people;
    stu_ld holds a certificate, stu_pa one that was revoked (a certificate rate must not count it)."""
    from grading import store
    from grading.certificate import certificate_number

    store.save_results(db_url, "demo", "ps1", [
        {"student": "stu_ld", "score": 9, "max_score": 10, "status": "graded"},
        {"student": "stu_pa", "score": 4, "max_score": 10, "status": "graded"}])
    issued = dt.date(2026, 11, 20)
    with store.session(db_url) as s:
        for account, name, revoked in (("stu_ld", "张晓梅（合成）", False), ("stu_pa", "李建国（合成）", True)):
            s.add(store.Certificate(number=certificate_number("demo", account, issued), account=account,
                                    course="demo", name=name, unit="—", course_title="演示课程", hours=2,
                                    level="良好", share=0.9, issued_on=issued.isoformat(), revoked=revoked))
        s.commit()
    dims = ["业务办理", "平台操作", "数据分析与技术应用", "服务意识与流程优化", "信息安全"]
    rows = [{"account": a, "assignment": "ps1", "dimension": d, "points": p, "max_points": 2}
            for a, p in (("stu_ld", 1.9), ("stu_pa", 1.0), ("stu_mh", 1.5)) for d in dims]
    store.save_competence(db_url, "demo", rows)


@pytest.fixture(scope="session")
def city_root(tmp_path_factory) -> Path:
    """A runtime root holding the built city and its read model (built in this process)."""
    from academy import citydata
    from grading import store  # noqa: F401  (registers the grading tables)
    from runtime.db import engine
    from runtime.settings import Settings

    root = tmp_path_factory.mktemp("dash") / "root"
    paths = Settings.single_account(root).paths
    paths.data_dir.mkdir(parents=True)
    engine(paths.academy_db_url)
    _grading_rows(paths.academy_db_url)
    citydata.build(paths, seed=SEED, months=MONTHS, today=TODAY, log=lambda s: None)
    return root


@pytest.fixture(scope="session")
def city_paths(city_root):
    from runtime.settings import Settings

    return Settings.single_account(city_root).paths


@pytest.fixture(scope="session")
def dash_hub(city_root, tmp_path_factory) -> HubHandle:
    roster = tmp_path_factory.mktemp("roster") / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    hub = start_hub(city_root, single_user=True, roster=roster,
                    extra_env={"ACADEMY_CITY_MONTHS": str(MONTHS), "ACADEMY_GRADE_ON_SUBMIT": "0",
                               "ACADEMY_CULL_TIMEOUT": "0"})
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="session")
def training_ready(dash_hub, city_paths):
    """Wait for the dashboards-data service's first refresh (roster → leaders, training pages)."""
    import time

    from academy.readmodel import data_dir

    pages = data_dir(city_paths) / "pages"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if (pages / "培训与能力-平安区.html").exists() and (pages / "培训与能力-全市.html").exists():
            return pages
        time.sleep(1)
    raise AssertionError(f"training pages not rendered:\n{dash_hub.log()[-4000:]}")
