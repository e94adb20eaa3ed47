"""A trainee's batch of 差评 and a quarter of ratings to evaluate (course 差评整改与评估考核).

:func:`make_batch` draws a dozen 差评 from hall, online and hotline ratings, each with the rater's
words and what a 回访核实 call finds: true complaints (rectify within the deadline, given the work the
fix needs), misunderstandings (explain), and planted mistaken or malicious ratings (申诉). Its
:func:`apply` drives the trainee's decisions through :mod:`sandbox.practice.rectification` and
returns the cases, so :func:`sandbox.practice.rectification.metrics` scores what was achieved.
:func:`make_quarter` gives a quarter of ratings with the simulated staff's loop (``run_loop``) for
the evaluation exercise. Plain data, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping

import numpy as np

from ..base.calendar import WorkCalendar, default_calendar
from ..base.geography import COUNTIES
from .rectification import (Case, RectificationError, Rating, RectificationConfig, appeal, callback, explain,
                            open_case, re_rate, rectify, reply, run_loop)

# The department a hotline rating's item belongs to (the 派单目录's lead, kept here: practice imports no part).
HOTLINE_DEPT = {"物业服务质量": "住建局", "农民工工资拖欠": "人社局", "不动产登记": "自然资源局", "餐饮服务": "市场监管局"}
SOURCE_LABEL = {"hall": "大厅一次一评", "online": "网上一事一评", "hotline": "12345回访评价"}
ACTIONS = ("整改", "解释说明", "申诉")
UNITS = ("乐都区政务服务中心", "平安区政务服务中心", "民和县政务服务中心", "互助县人社局", "化隆县市场监管局",
         "循化县自然资源局", "网上政务服务平台")
# (source, item, rater's words, callback finding, working days the fix needs)
TRUE = (("hall", "社保卡补换", "排了一个多小时，窗口只开了一个，工作人员还在玩手机。",
         "核实属实：当天上午只开一个社保窗口，已调取监控确认工作人员离岗。", 2),
        ("online", "不动产登记", "网上提交了三次都被退回，每次只说材料不全，不说缺什么。",
         "核实属实：退回意见未一次性告知所缺材料。", 3),
        ("hotline", "物业服务质量", "反映的楼道灯问题说修好了，其实根本没人来。",
         "核实属实：承办单位未到现场即回复办结。", 4),  # hotline rows: the unit is the item's department
        ("hall", "个体工商户登记", "叫号机坏了没人管，大家乱成一团。",
         "核实属实：叫号机故障两天未报修，需厂家更换主板。", 4),
        ("online", "居民医保缴费", "手机上缴费页面一直打不开，客服电话也打不通。",
         "核实属实：缴费页面兼容性故障，需服务商修复。", 3),
        ("hotline", "农民工工资拖欠", "说好一周内给答复，过了半个月还没消息。",
         "核实属实：承办单位超期未答复。", 2))
EXPLAIN = (("hall", "身份证办理", "要我本人来拍照，家里人替我办都不行，太死板。",
            "经核实：首次申领身份证须本人到场采集人像和指纹，系法定要求，已向评价人解释。"),
           ("online", "公租房申请", "收入证明还要单位盖章，太麻烦了。",
            "经核实：收入证明须加盖单位公章为申请条件，评价人表示理解。"),
           ("hotline", "不动产登记", "问了三次都说要等公示期满，到底要等多久？",
            "经核实：公示期 15 个工作日为法定程序，已解释并告知预计办结日期。"))
PLANTED = (("hall", "社保卡补换", "点错了，本来想点非常满意。",
            "回访时评价人表示误操作，对服务满意，同意申诉。"),
           ("online", "个体工商户登记", "差差差差差",
            "同一手机号 3 分钟内对 6 个不相关事项均打“非常不满意”，评价人拒绝说明，疑似恶意差评。"),
           ("hotline", "餐饮服务", "我是来评价隔壁饭馆的。",
            "回访核实：评价内容与本工单办理无关，评价对象错误（误评）。"))


@dataclass(frozen=True)
class BadRating:
    rating: Rating
    kind: str          # rectify / explain / appeal (the truth; never in the public view)
    words: str         # the rater's words (public)
    finding: str       # what the 回访核实 call finds (shown once the trainee has called back)
    need_days: int = 0  # working days the fix takes after the callback

    def public(self, cal: WorkCalendar | None = None) -> dict:
        r, cal = self.rating, cal or default_calendar(True)
        due = open_case(r, RectificationConfig(), cal).deadline
        return {"编号": r.rating_id, "来源": SOURCE_LABEL[r.source], "单位": r.unit, "事项": r.item, "评价": r.level,
                "评价时间": f"{r.time:%Y-%m-%d %H:%M}", "评价内容": self.words, "整改期限": f"{due:%Y-%m-%d %H:%M}",
                "回访核实时间": f"{callback_time(self, cal):%Y-%m-%d %H:%M}", "回访核实情况": self.finding,
                "整改所需工作日": self.need_days or None, "数据性质": "合成数据"}


def _moment(rng: np.random.Generator, start: date, cal: WorkCalendar) -> datetime:
    d = cal.next_working_day(start + timedelta(days=int(rng.integers(0, 6))))
    return datetime.combine(d, time(int(rng.integers(9, 17)), int(rng.integers(0, 59))))


def _unit(rng: np.random.Generator, source: str, item: str, halls: list[str]) -> str:
    """Who a rating is about: the online platform, a hall, or the hotline item's county department."""
    if source == "online":
        return "网上政务服务平台"
    if source == "hall":
        return halls[int(rng.integers(len(halls)))]
    c = COUNTIES[int(rng.integers(len(COUNTIES)))]
    prefix = c.name if c.name.endswith("区") else c.short + "县"
    return prefix + HOTLINE_DEPT[item]


def make_batch(seed: int, cal: WorkCalendar | None = None) -> list[BadRating]:
    """A dozen 差评 of one week (same seed, same batch): six true, three misunderstandings, three planted."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0xBAD]))
    cal = cal or default_calendar(True)
    start = date(2025, 3, 3) + timedelta(days=int(rng.integers(0, 230)))
    halls = [u for u in UNITS if u.endswith("政务服务中心")]
    out: list[BadRating] = []
    rows = [("rectify", *t) for t in TRUE] + [("explain", *t, 0) for t in EXPLAIN] + [("appeal", *t, 0) for t in PLANTED]
    for i in rng.permutation(len(rows)):
        kind, source, item, words, finding, need = rows[int(i)]
        unit = _unit(rng, source, item, halls)
        level = "非常不满意" if rng.random() < 0.5 else "不满意"
        r = Rating(f"CP{seed % 10000:04d}-{len(out) + 1:02d}", source, unit, item, level, _moment(rng, start, cal))
        out.append(BadRating(r, kind, words, finding, int(need) if kind == "rectify" else 0))
    out.sort(key=lambda b: b.rating.time)
    return out


def callback_time(b: BadRating, cal: WorkCalendar) -> datetime:
    """A callback the next working day at 10:00 (how fast the desk calls back is not the trainee's to choose)."""
    return datetime.combine(cal.add_working_days(b.rating.time.date(), 1), time(10))


def apply(batch: list[BadRating], decisions: Mapping[str, Any], cfg: RectificationConfig = RectificationConfig(),
          cal: WorkCalendar | None = None) -> tuple[list[Case], dict[str, list[str]]]:
    """Drive each 差评 through the loop as the trainee decided; cases plus Chinese reasons per rating."""
    cal = cal or default_calendar(True)
    cases, reasons = [], {}
    for b in batch:
        d = decisions.get(b.rating.rating_id) if isinstance(decisions, Mapping) else None
        d = d if isinstance(d, dict) else {}
        c = open_case(b.rating, cfg, cal)
        why: list[str] = []
        try:
            _one(b, c, d, cal, why)
        except (RectificationError, ValueError) as exc:
            why.append(f"系统拒绝了这个操作：{exc}")
        cases.append(c)
        reasons[b.rating.rating_id] = why
    return cases, reasons


def _planned(d: dict) -> date | None:
    try:
        return date.fromisoformat(str(d.get("完成日期", "")))
    except ValueError:
        return None


def _one(b: BadRating, c: Case, d: dict, cal: WorkCalendar, why: list[str]) -> None:
    act = d.get("处理") if d.get("处理") in ACTIONS else None
    if d.get("回访") is not True:
        why.append("没有回访核实：每一条差评都要先回访核实（国办发〔2019〕51号）。")
        if act == "申诉":
            appeal(c, b.rating.time + timedelta(hours=2), upheld=b.kind == "appeal", reason="单位申诉")
        return
    at = callback_time(b, cal)
    callback(c, at, confirmed=b.kind == "rectify", note=b.finding)
    if act is None:
        why.append("回访后没有作出处理决定（整改、解释说明或申诉）。")
    elif act == "申诉":
        appeal(c, at + timedelta(hours=1), upheld=b.kind == "appeal", reason="误评或恶意差评")
        if b.kind != "appeal":
            why.append("申诉不成立：这条差评不是误评或恶意差评，申诉只用于误评、恶意差评。")
    elif act == "解释说明":
        explain(c, at + timedelta(hours=1), text="已向评价人解释")  # refused when the callback confirmed it
        if b.kind == "appeal":
            why.append("这是误评或恶意差评，应提出申诉，使其不计入考核。")
    elif act == "整改":
        _rectify(b, c, d, cal, at, why)


def _rectify(b: BadRating, c: Case, d: dict, cal: WorkCalendar, at: datetime, why: list[str]) -> None:
    if b.kind != "rectify":
        why.append("回访核实不属实，不需要整改：" + ("应解释说明。" if b.kind == "explain" else "应提出申诉。"))
        rectify(c, at + timedelta(hours=1), note="整改")  # the state machine refuses: not confirmed
        return
    earliest = datetime.combine(cal.add_working_days(at.date(), b.need_days), time(17))
    plan = _planned(d)
    done = earliest if plan is None else max(earliest, datetime.combine(plan, time(17)))
    if plan is not None and datetime.combine(plan, time(17)) < earliest:
        why.append(f"计划完成日 {plan} 早于整改实际需要的时间（回访后 {b.need_days} 个工作日），按实际完成日计。")
    rectify(c, done, note="已整改")
    if done > c.deadline:
        why.append(f"整改完成于 {done:%Y-%m-%d}，超过整改期限 {c.deadline:%Y-%m-%d %H:%M}（差评后 5 个工作日）。")
    reply(c, done + timedelta(hours=1), text="已向评价人反馈整改结果")
    re_rate(c, done + timedelta(days=1), level="满意")


def reference_decisions(batch: list[BadRating], cal: WorkCalendar | None = None) -> dict[str, dict]:
    cal = cal or default_calendar(True)
    out = {}
    for b in batch:
        act = {"rectify": "整改", "explain": "解释说明", "appeal": "申诉"}[b.kind]
        day = cal.add_working_days(callback_time(b, cal).date(), b.need_days) if b.kind == "rectify" else None
        out[b.rating.rating_id] = {"回访": True, "处理": act, "完成日期": day.isoformat() if day else ""}
    return out


def make_quarter(seed: int, n: int = 900, cal: WorkCalendar | None = None) -> tuple[list[Rating], list[Case]]:
    """A quarter of ratings over five units with the simulated staff's rectification loop."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x9A7]))
    cal = cal or default_calendar(True)
    units = list(rng.choice(UNITS, size=5, replace=False))
    bad_p = rng.uniform(0.01, 0.08, size=5)
    start = date(2025, 4, 1)
    days = [d for d in (start + timedelta(days=i) for i in range(91)) if cal.is_working_day(d)]
    ratings = []
    for i in range(n):
        u = int(rng.integers(5))
        bad = rng.random() < bad_p[u]
        level = str(rng.choice(["不满意", "非常不满意"])) if bad else str(rng.choice(["非常满意", "满意", "基本满意"], p=[0.8, 0.15, 0.05]))
        d = days[int(rng.integers(len(days)))]
        t = datetime.combine(d, time(int(rng.integers(9, 17)), int(rng.integers(0, 59))))
        src = "online" if units[u] == "网上政务服务平台" else str(rng.choice(["hall", "hotline"]))
        ratings.append(Rating(f"Q{i + 1:04d}", src, str(units[u]), "综合", level, t))
    return ratings, run_loop(ratings, seed, cal=cal)


FLOOR = 0.9  # 按期整改率 floor of the evaluation exercise (a training figure)


def quarter_table(seed: int) -> tuple[list[dict], Any]:
    """The quarter as the exercise shows it (one row per rating with the loop's outcome) and the
    units' figures by :func:`sandbox.practice.rectification.metrics` (the answer key)."""
    from .rectification import metrics
    ratings, cases = make_quarter(seed)
    by = {c.rating.rating_id: c for c in cases}
    rows = []
    for r in ratings:
        c = by.get(r.rating_id)
        need = bool(c and c.confirmed and not c.voided)
        yn = lambda v: "是" if v else "否"  # noqa: E731 - the table says 是/否 as an export would
        rows.append({"编号": r.rating_id, "单位": r.unit, "来源": SOURCE_LABEL[r.source], "评价": r.level,
                     "差评": yn(r.bad), "申诉作废": yn(c and c.voided), "已回访核实": yn(c and c.callback_at),
                     "核实属实需整改": yn(need), "已整改": yn(need and c.rectified_at),
                     "按期整改": yn(need and c.on_time)})
    return rows, metrics(ratings, cases, by="unit")


def eval_units(table) -> list[str]:
    """The two units whose four figures the trainee computes: units with at least two 差评 to rectify,
    so that 整改率 and 按期整改率 are defined (a unit with none has no rate, and no answer to ask for)."""
    units = [u for u, n in zip(table["unit"], table["需整改"]) if u != "合计" and n >= 2]
    if len(units) < 2:  # a quarter this thin still asks for two units; an undefined rate is answered 「—」
        units += [u for u in table["unit"] if u != "合计" and u not in units]
    return units[:2]


def exercise_cases(seed: int) -> dict:
    """Everything the rectify exercise shows for ``seed`` (public; the seed is the grader's secret)."""
    rows, table = quarter_table(seed)
    return {"差评": [b.public() for b in make_batch(seed)], "季度评价": rows, "评估单位": eval_units(table),
            "整改期限": "差评后 5 个工作日 18:00", "数据性质": "合成数据"}
