"""A trainee's batch of 差评 and a quarter of ratings to evaluate (course 差评整改与评估考核).

:func:`make_batch` draws a dozen 差评 from hall, online and hotline ratings (by the trainee's seed, out
of pools about three times that size), each with the rater's words and what a 回访核实 call finds (facts,
never the verdict; a true complaint's finding says how long the fix takes): true complaints (rectify within the deadline, given the work the
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
HOTLINE_DEPT = {"物业服务质量": "住建局", "农民工工资拖欠": "人社局", "不动产登记": "自然资源局", "餐饮服务": "市场监管局",
                "噪音扰民": "综合行政执法局", "停水": "住建局"}
SOURCE_LABEL = {"hall": "大厅一次一评", "online": "网上一事一评", "hotline": "12345回访评价"}
ACTIONS = ("整改", "解释说明", "申诉")
UNITS = ("乐都区政务服务中心", "平安区政务服务中心", "民和县政务服务中心", "互助县人社局", "化隆县市场监管局",
         "循化县自然资源局", "网上政务服务平台")
# The case pools. A finding states what the 回访核实 call and the records show — facts, never the verdict —
# so the trainee decides by reading. A true complaint's finding says how long the fix takes (the ``need``
# working days after the callback). Each trainee draws a dozen from about three times as many.
# (source, item, rater's words, callback finding, working days the fix needs)
TRUE = (("hall", "社保卡补换", "排了一个多小时，窗口只开了一个，工作人员还在玩手机。",
         "调取当天排队记录和窗口监控：上午9:10—11:30只开了1个社保窗口，另1名工作人员请假未安排补位，其间窗口人员有约20分钟在看手机。"
         "调整排班、落实AB岗需 2 个工作日。", 2),
        ("online", "不动产登记", "网上提交了三次都被退回，每次只说材料不全，不说缺什么。",
         "调取网办记录：3次退回意见均只写“材料不全”，没有列明所缺材料。修改退回意见模板并培训审核人员需 3 个工作日。", 3),
        ("hotline", "物业服务质量", "反映的楼道灯问题说修好了，其实根本没人来。",  # hotline rows: the unit is the item's department
         "分别联系物业公司和评价人：物业公司称已维修，但拿不出维修记录和照片，评价人所在单元楼道灯至今不亮。督促物业维修并上传照片需 4 个工作日。", 4),
        ("hall", "个体工商户登记", "叫号机坏了没人管，大家乱成一团。",
         "现场查看：2号叫号机屏幕不显示，设备台账显示两天前已出故障，没有报修。厂家答复更换主板需 4 个工作日。", 4),
        ("online", "居民医保缴费", "手机上缴费页面一直打不开，客服电话也打不通。",
         "技术人员复现：部分安卓手机打开缴费页面白屏；当天客服电话接通率不到四成。服务商修复页面兼容问题需 3 个工作日。", 3),
        ("hotline", "农民工工资拖欠", "说好一周内给答复，过了半个月还没消息。",
         "查工单记录：承办单位签收后 11 个工作日没有联系来电人，也没有办理记录。督促承办单位核实答复需 2 个工作日。", 2),
        ("hall", "个体工商户登记", "窗口说我材料不全让我回去补，补了又说还差一样。",
         "调取受理记录：第一次只告知缺少租赁合同，没有同时告知还需经营场所证明，两次告知不一致。培训窗口人员、启用一次性告知单需 1 个工作日。", 1),
        ("hall", "社保卡补换", "中午十二点去办事，窗口一个人都没有。",
         "查排班表和监控：当天12:00—12:40综合窗口无人值守，午间轮岗没有落实。调整午间轮岗排班需 2 个工作日。", 2),
        ("online", "公租房申请", "网上申请提交一个月了，状态一直是“待审核”。",
         "查网办系统：该申请20天前已线下审核通过，网上状态因接口故障没有同步。服务商修复接口需 3 个工作日。", 3),
        ("hotline", "噪音扰民", "反映烧烤店晚上吵，回复说已经处理，当天晚上照样吵到一点。",
         "执法队员夜间复查：该店23:30后仍在室外经营，音响没有撤，上次处理只做了口头提醒。依法责令整改并复查需 3 个工作日。", 3),
        ("hall", "不动产登记", "工作人员态度很差，问两句就不耐烦。",
         "调取窗口录音录像：工作人员对评价人的询问两次答“自己看指南”，语气生硬。谈话提醒并调整岗位需 1 个工作日。", 1),
        ("online", "个体工商户登记", "网上办营业执照，说好三天，一个星期了还没审。",
         "查审批系统：该件在审核环节停留 5 个工作日，超过承诺时限，审核人员休假期间没有转办。指定人员审核并完善转办规则需 1 个工作日。", 1),
        ("hall", "居住证办理", "自助机拍照一直失败，工作人员也不会弄。",
         "现场查看：自助拍照机摄像头松动，窗口人员没有参加过设备使用培训。联系厂家维修并组织培训需 3 个工作日。", 3),
        ("hotline", "餐饮服务", "投诉饭馆卫生差，回复说查了没问题，我去看了还是一样。",
         "执法人员再次检查：后厨生熟不分，有1名员工没有健康证上岗，上次检查只看了前厅。责令整改并复查需 4 个工作日。", 4),
        ("online", "养老保险", "网上查缴费记录，少了两年的。",
         "查社保系统：评价人2016—2017年在外县参保的记录没有并入，系统迁移时遗漏。补录缴费记录需 3 个工作日。", 3),
        ("hall", "社保卡补换", "说好当场制卡，等了半天说机器坏了让明天再来。",
         "查设备日志：即时制卡机色带用完，备品没有及时补充。补充备品并建立耗材登记需 1 个工作日。", 1),
        ("hotline", "物业服务质量", "说给我们换单元门锁，到现在门还是坏的。",
         "核查：承办单位答复“已协调物业维修”，物业公司称配件未到，门锁至今没有修好。督促物业更换门锁需 3 个工作日。", 3),
        ("hall", "医保报销", "材料交了一大堆，还要我回原单位开证明。",
         "查受理记录：评价人交的材料都是办事指南所列，“原单位证明”不在指南材料清单中，是窗口多要的。取消这项要求并培训窗口人员需 1 个工作日。", 1),
        ("online", "不动产登记", "指南上根本没写要带户口簿，到了窗口才说要。",
         "查办事指南：材料清单只写“身份证明”，没有写明还须提供户口簿，网上指南和窗口要求不一致。修改办事指南需 2 个工作日。", 2))
EXPLAIN = (("hall", "身份证办理", "要我本人来拍照，家里人替我办都不行，太死板。",
            "查办理记录：评价人是首次申领居民身份证，《居民身份证法》规定须本人到场采集人像和指纹，窗口按规定受理。"),
           ("hall", "婚姻登记", "结婚登记非要两个人一起来，我对象在外地打工，就不能先给我办吗？",
            "查办理记录：评价人一方到场申请结婚登记；《婚姻登记条例》规定，办理结婚登记的男女双方应当共同到婚姻登记机关。"),
           ("hotline", "不动产登记", "问了三次都说要等公示期满，到底要等多久？",
            "查办件：该首次登记正在公告，公告期不少于 15 个工作日，距期满还有 6 个工作日；前三次答复内容一致。"),
           ("online", "居民医保缴费", "交了医保，去医院说还不能用。",
            "查缴费记录：评价人12月缴的是次年城乡居民医保，待遇自次年1月1日起享受，现在还没有到待遇期。"),
           ("hall", "个体工商户登记", "指南上说要租房合同，我带了，还让我带房东身份证复印件。",
            "查办事指南：材料清单第4项写明“租赁合同及出租方身份证明复印件”，窗口要求与指南一致，评价人没有看到后半句。"),
           ("online", "公租房申请", "申请公租房还要查我家的存款，侵犯隐私。",
            "查申请流程：核查家庭收入和资产是公租房准入审核的规定环节，评价人申请时已签署授权核查书。"),
           ("hall", "出入境证件", "办护照要等7个工作日，为什么不能当天拿？",
            "查办理记录：普通护照由出入境管理部门审批制证，承诺 7 个工作日，评价人的护照第 5 个工作日已制证完成并通知领取。"),
           ("hotline", "停水", "停了一整天水，打热线也没用。",
            "查供水记录：当天停水是提前三天在小区张贴公告的计划管网改造，10:00—19:00，按时恢复供水；评价人说没有看到公告。"),
           ("hall", "不动产登记", "房子过户要交那么多税，太贵了。",
            "查办件：所缴契税、增值税由税务部门依法核定，窗口收取金额与核定一致，评价人对税费标准有意见。"))
# (source, item, rater's words, callback finding, the level the finding implies or None)
PLANTED = (("hall", "社保卡补换", "点错了，本来想点非常满意。",
            "回访时评价人说：“当时手一滑点错了，办得挺好的，我本来想点非常满意。”", None),
           ("online", "个体工商户登记", "差差差差差",
            "查评价记录：同一手机号 3 分钟内对 6 个不相关事项均打“非常不满意”，其中 4 个事项该号码从未申办；回访时对方不愿说明。",
            "非常不满意"),
           ("hotline", "餐饮服务", "点错工单了，我本来要评的是另一家饭馆的投诉。",
            "回访时评价人说：想评的是另一张反映其他饭馆的工单，对本工单的办理没有意见。", None),
           ("hall", "不动产登记", "算的税不对。",
            "查窗口设置：计税、缴税由驻厅税务窗口办理，评价器绑定的是不动产登记窗口，评价内容与不动产登记服务无关。", None),
           ("online", "居民医保缴费", "我对医院的服务不满意。",
            "回访核实：评价内容是对定点医院诊疗服务的意见；评价人确认网上缴费当时一次就成功了。", None),
           ("hall", "身份证办理", "垃圾",
            "查评价器记录和监控：同一台评价器 10 分钟内被连续点了 9 次“非常不满意”，是一名没有办理业务的小孩在玩评价器。",
            "非常不满意"),
           ("online", "公租房申请", "孩子帮我点的。",
            "回访时评价人说：孩子帮忙操作时点成了“不满意”，自己对办理过程和结果都满意。", "不满意"),
           ("hotline", "农民工工资拖欠", "钱早就拿到了。",
            "回访时评价人说：工资已经全部拿到，回访短信里按错了键。", None),
           ("online", "个体工商户登记", "审核的人故意刁难。",
            "查评价记录：该账号当天没有在平台申办任何事项，却对同一审核人员经办的 5 个事项打差评；账号注册人与其中一家企业有经营纠纷。",
            None))


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
                "数据性质": "合成数据"}


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


def _draw(rng: np.random.Generator) -> list[tuple]:
    """A dozen cases from the pools: 2–4 planted, 2–4 misunderstandings, the rest true (the mix varies, so
    counting gives nothing away either)."""
    n_appeal, n_explain = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    n_true = 12 - n_appeal - n_explain
    rows = [("rectify", *TRUE[int(i)], None) for i in rng.choice(len(TRUE), n_true, replace=False)]
    rows += [("explain", *EXPLAIN[int(i)], 0, None) for i in rng.choice(len(EXPLAIN), n_explain, replace=False)]
    src, item, words, finding, level = 0, 1, 2, 3, 4
    rows += [("appeal", p[src], p[item], p[words], p[finding], 0, p[level])
             for p in (PLANTED[int(i)] for i in rng.choice(len(PLANTED), n_appeal, replace=False))]
    return [rows[int(i)] for i in rng.permutation(len(rows))]


def make_batch(seed: int, cal: WorkCalendar | None = None) -> list[BadRating]:
    """A dozen 差评 of one week drawn from ``seed`` (same seed, same batch; another seed, other cases)."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0xBAD]))
    cal = cal or default_calendar(True)
    start = date(2025, 3, 3) + timedelta(days=int(rng.integers(0, 230)))
    halls = [u for u in UNITS if u.endswith("政务服务中心")]
    out: list[BadRating] = []
    for kind, source, item, words, finding, need, fixed_level in _draw(rng):
        unit = _unit(rng, source, item, halls)
        level = fixed_level or ("非常不满意" if rng.random() < 0.5 else "不满意")
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
