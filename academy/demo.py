"""The demo roster: synthetic people (合成数据) of Haidong's service halls, reproducible from a seed.

    python -m academy demo-roster [--seed 46] [--out demo/roster-合成数据.csv]

Names from Faker zh_CN; counties are Haidong's six plus 河湟新区; units are departments of a
government service centre. Accounts are role-prefixed pinyin (xueyuan01, peixun01, lingdao01,
guanli01) so a demo visitor knows whom they log in as. The file name says 合成数据 because a CSV
has no place for a note.
"""
from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from faker import Faker

from runtime.paths import CHECKOUT

DEMO_ROSTER = CHECKOUT / "demo" / "roster-合成数据.csv"
SEED = 46  # 东政办〔2024〕46号

COUNTIES = ("乐都区", "平安区", "民和回族土族自治县", "互助土族自治县", "化隆回族自治县", "循化撒拉族自治县", "河湟新区")
CITY_UNITS = (
    "市政务服务中心综合受理科", "市政务服务中心帮办代办科", "市政务服务中心督查考核科",
    "市人社局驻厅窗口", "市公积金中心驻厅窗口", "市市场监管局驻厅窗口", "市税务局驻厅窗口",
    "市不动产登记中心驻厅窗口", "市公安局出入境驻厅窗口", "市医保局驻厅窗口", "市12345热线受理中心",
)
COUNTY_UNITS = ("政务服务中心综合窗口", "政务服务中心帮办代办窗口", "政务服务中心跨省通办窗口")
COHORTS = ("2026年第一期", "2026年第二期")
# Every demo trainee takes the service courses (none asks for code). The demo course asks for Python
# functions, so it is only for the data track (数据专班: the first DATA_TRACK trainees) and the trainers
# (issue 17); each trainer teaches the demo course and some of the others.
TRAINEE_COURSES = ("guides", "walkthrough", "hotline", "ratings", "bulletin")
DATA_TRACK = 2
DATA_TRACK_COURSES = ("demo",) + TRAINEE_COURSES
TRAINER_COURSES = (("demo", "guides", "hotline"), ("demo", "walkthrough", "ratings", "bulletin"))


def generate(seed: int = SEED, trainees: int = 32) -> str:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    names: set[str] = set()

    def name() -> str:
        while True:
            n = fake.name()
            if n not in names:
                names.add(n)
                return n

    rows = []
    for i in range(1, trainees + 1):
        county = rng.choice(COUNTIES)
        if rng.random() < 0.5:
            unit, county = rng.choice(CITY_UNITS), "乐都区"  # the city centre sits in Ledu
        else:
            unit = county + rng.choice(COUNTY_UNITS)
        courses = DATA_TRACK_COURSES if i <= DATA_TRACK else TRAINEE_COURSES
        rows.append((f"xueyuan{i:02d}", name(), unit, county, "trainee", ";".join(courses),
                     COHORTS[i % 2], "1"))
    for i, taught in ((1, TRAINER_COURSES[0]), (2, TRAINER_COURSES[1])):
        rows.append((f"peixun{i:02d}", name(), "市政务服务中心综合受理科", "乐都区", "trainer", ";".join(taught),
                     "", "1"))
    rows.append(("lingdao01", name(), "市政务服务监督管理局", "海东市", "leader", "", "", "1"))
    rows.append(("lingdao02", name(), "平安区政务服务中心", "平安区", "leader", "", "", "1"))
    rows.append(("guanli01", name(), "市政务服务中心信息科", "乐都区", "admin", "", "", "1"))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["account", "姓名", "单位", "县区", "role", "courses", "cohort", "active"])
    w.writerows(rows)
    return out.getvalue()


def write(path: Path = DEMO_ROSTER, seed: int = SEED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate(seed), encoding="utf-8")
    return path
