"""Course 2 (我陪群众走流程) case material without widgets: the grader-side checker imports it too.

- :func:`farmer_story` — an elderly 化隆 resident who speaks no Mandarin is sent home twice, each time
  with a *partial* 一次性告知 (the first notice lists only part of what ``sandbox.acceptance.decide``
  finds missing): the real lesson of the farmer's path.
- :func:`path_rows` — a matter's path from the simulation (``sandbox.case_journey``) as neutral
  rows: clock times, places and promised/actual working days, no "等了N分钟" or "超期" labels.
- :func:`cross_case` — facts of a 跨省通办 item that decide its mode, without naming the mode.
- :func:`paper_count` — how many papers are handed in, separately or as one bundle (一件事).

Nothing here holds an assignment's answer key; the lessons use these with their own seeds.
"""
from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Sequence

from .cases import catalog, make_plausible, pick_citizen, population, score_list

__all__ = ["score_list", "farmer_story", "path_rows", "is_delay_row", "cross_case", "CROSS_FACTS", "CROSS_STEPS",
           "NATIONWIDE", "cross_items", "paper_of", "paper_count", "bundle_rows", "IMPROVE_HINTS", "improve_hits", "DELAY_WAIT_MIN", "ELDER_ITEMS"]

DELAY_WAIT_MIN = 30  # a queue this long is a 迟滞 (lesson 1 says so)
# What an elderly rural resident of 化隆 plausibly comes for (no housing fund, no firm, no retirement
# from a firm job); each item's eligibility profile still decides the age.
ELDER_ITEMS = ("高龄补贴申领", "城乡居民养老保险待遇申领", "零星医疗费用手工报销", "门诊慢特病待遇认定",
               "残疾人证办理", "困难残疾人生活补贴和重度残疾人护理补贴申领", "死亡注销户口",
               "丧葬补助金、抚恤金申领", "最低生活保障审核确认")
HUALONG = "化隆回族自治县"


# ---- the farmer's path: two partial 一次性告知 in a row ---------------------------------------------
def _elder_items() -> list:
    names = {it.name: it for it in catalog().items.values()}
    return [names[n] for n in ELDER_ITEMS if n in names and len(names[n].required_materials) >= 2]


def farmer_story(seed: int) -> dict[str, Any]:
    """(public story, application) from a seed: the notices, the path, the material options.

    Returns {"who", "item", "materials", "notices", "steps", "text", "_app", "_decision", "_trips"}; keys
    starting with "_" are for the grader and never go into a trainee's cases.
    """
    from sandbox import acceptance
    r = random.Random(f"{seed}:farmer")
    items = _elder_items()
    for _ in range(3000):
        item = r.choice(items)
        app = acceptance.make_application(item, r, population(), "hard")
        d = acceptance.decide(app)
        if d.kind == "补正" and len(d.one_time_list) >= 2 and not app.unmet_conditions:
            person = pick_citizen(r, item, app.applied_on, county=HUALONG, speaks_mandarin=False, min_age=60)
            if person is None:
                continue
            app = dataclasses.replace(make_plausible(app, r), applicant=person)
            break
    else:
        raise RuntimeError("no farmer story")
    entries = list(d.one_time_list)
    k = r.randrange(1, len(entries))  # the first notice lists only part of it
    first, second = entries[:k], entries[k:]
    waits = [r.randint(8, 45) for _ in range(3)]
    gaps = [r.randint(2, 5), r.randint(2, 5)]
    days = [1, 1 + gaps[0], 1 + gaps[0] + gaps[1]]
    steps = []
    notices = []
    for n, (day, wait) in enumerate(zip(days, waits)):
        start = r.randint(20, 150)
        steps.append([day, start, wait, "排队等候", f"第{n + 1}次到县政务服务中心综合窗口排队"])
        steps.append([day, start + wait, r.randint(8, 15), "窗口办理", f"第{n + 1}次在综合窗口办理"])
        if n < 2:
            listed = first if n == 0 else second
            notices.append("补正材料一次性告知书（合成数据）\n事项：" + item.name + "\n请补正以下材料：\n"
                           + "\n".join(f"{i}. {e.material}——{e.problem}" for i, e in enumerate(listed, 1)))
            steps.append([day, start + wait + 15, 5, "回家补材料", f"拿到告知书{'一二'[n]}，回家准备材料"])
        else:
            steps.append([day, start + wait + 15, 5, "办结" if item.instant else "后台办理",
                          "材料齐全，受理" + ("并当场办结" if item.instant else f"，承诺 {item.promised_days} 个工作日办结")])
    return {"who": _masked(person, app.applied_on), "item": item.name, "materials": [m.name for m in item.materials],
            "notices": notices, "steps": steps, "text": app.describe(),
            "_app": app, "_decision": d, "_trips": 3}


def _masked(person, day: date) -> dict[str, str]:
    from sandbox.ids import mask_id, mask_name
    return {"姓名": mask_name(person.name), "性别": person.gender, "年龄": str(person.age_on(day)), "县区": person.county,
            "民族": person.ethnicity, "常用语言": f"{person.language}（不会说普通话）" if not person.speaks_mandarin
            else person.language, "身份证号": mask_id(person.id_number)}


# ---- a simulated matter's path as neutral rows ---------------------------------------------------------
def _clock(t: datetime) -> str:
    return f"{t:%H:%M}"


def path_rows(journey: Sequence[Mapping[str, Any]], calendar=None) -> list[dict[str, Any]]:
    """Rows of a ``sandbox.case_journey`` path: {"day", "start_min", "minutes", "kind", "label",
    "wait", "promised", "actual"} — the labels give clock times, never a verdict."""
    from sandbox.base.calendar import default_calendar
    cal = calendar or default_calendar()
    if not journey:
        return []
    day0 = journey[0]["time"].date()
    dayn = lambda t: (t.date() - day0).days + 1  # noqa: E731
    mins = lambda t: t.hour * 60 + t.minute - 9 * 60  # noqa: E731
    rows: list[dict[str, Any]] = []
    number = called = accepted = None
    for s in journey:
        kind, t = s["step"], s["time"]
        if kind == "取号":
            number = s
        elif kind == "叫号" and number is not None:
            wait = (t - number["time"]).total_seconds() / 60
            where = s["place"].split(" ", 1)[-1]
            rows.append({"day": dayn(t), "start_min": mins(number["time"]), "minutes": wait, "kind": "排队等候",
                         "label": f"第{dayn(t)}天 {_clock(number['time'])} 取号，{_clock(t)} 叫到号（{where}）",
                         "wait": wait})
            number, called = None, s
        elif kind == "窗口办理结束" and called is not None:
            m = (t - called["time"]).total_seconds() / 60
            rows.append({"day": dayn(t), "start_min": mins(called["time"]), "minutes": m, "kind": "窗口办理",
                         "label": f"第{dayn(t)}天 {_clock(called['time'])}—{_clock(t)} 窗口办理：{s['detail'].split('；')[0]}"})
            called = None
        elif kind == "后台审批":
            import re
            m = re.search(r"承诺时限 (\d+) 个工作日", s["detail"])
            accepted = (s, int(m.group(1)) if m else 0)
        elif kind == "办结" and accepted is not None:
            start, promised = accepted
            actual = cal.working_days_between(start["time"].date(), t.date())
            rows.append({"day": dayn(start["time"]), "start_min": 480, "minutes": 480 * max(1, actual),
                         "kind": "后台办理",
                         "label": f"第{dayn(start['time'])}天—第{dayn(t)}天 后台审批：承诺 {promised} 个工作日，"
                                  f"实际用了 {actual} 个工作日", "promised": promised, "actual": actual})
            accepted = None
        elif kind in ("放弃离开", "闭厅未办"):
            if number is not None:
                wait = (t - number["time"]).total_seconds() / 60
                rows.append({"day": dayn(t), "start_min": mins(number["time"]), "minutes": wait, "kind": "排队等候",
                             "label": f"第{dayn(t)}天 {_clock(number['time'])} 取号，{_clock(t)} 还没叫到号，离开了",
                             "wait": wait})
                number = None
            rows.append({"day": dayn(t), "start_min": mins(t), "minutes": 5, "kind": "放弃离开",
                         "label": f"第{dayn(t)}天 {_clock(t)} 没办成，回去了"})
    return rows


def is_delay_row(row: Mapping[str, Any]) -> bool:
    """迟滞: a queue of DELAY_WAIT_MIN minutes or more, or back office past the promised working days."""
    if row["kind"] == "排队等候":
        return row.get("wait", 0) >= DELAY_WAIT_MIN
    if row["kind"] == "后台办理":
        return row.get("promised", 0) > 0 and row.get("actual", 0) > row["promised"]
    return False


# ---- 跨省通办: the facts that decide the mode ------------------------------------------------------------
CROSS_FACTS = {  # the three modes of 跨省通办 (the answer options); the question never shows these words
    "全程网办": "网上就能办完",
    "异地代收代办": "务工地收件、户籍地审批",
    "多地联办": "两地部门都要办手续",
}
# Each item's own steps, in its own words (review M20): no fixed phrase per mode gives the mode away.
CROSS_STEPS = {
    "个人参保证明及权益记录打印": "刷脸登录社保网上服务平台，自己下载带电子印章的参保证明，和窗口打印的一样有效",
    "住房公积金个人账户转移接续": "在转入地公积金中心的手机App上提出转移申请，两地中心通过全国转移接续平台划转账户余额",
    "住房公积金提取（偿还住房贷款）": "在公积金App上填写提取申请，借款合同和还款明细由系统调取核对，钱直接打到本人银行卡",
    "住房公积金提取（购买自住住房）": "在公积金App上提交申请，购房合同、契税凭证从不动产和税务部门调取，审核后钱转到本人账户",
    "住房公积金缴存证明、个人信息查询打印": "登录公积金网站查询缴存记录，生成带电子签章的缴存证明，自己打印或直接发给银行",
    "养老保险关系转移接续": "在国家社会保险公共服务平台向转入地申请，转出地社保机构在网上核对缴费记录后转移基金",
    "基本医疗保险关系转移接续": "在国家医保服务平台App上申请，转出地医保经办机构在线确认参保记录后直接接续",
    "异地就医备案": "在国家医保服务平台App上填表、在线签承诺书，当场备案，到外地看病直接结算",
    "机动车驾驶证换证（有效期满）": "在“交管12123”App上申请，医院把体检结果传到系统，新驾驶证由车管所邮寄到家",
    "社会保障卡启用及居民服务应用开通": "在手机上刷脸认证，激活社保卡的金融功能，开通电子社保卡",
    "社会保障卡申领": "在网上上传电子照片、提交申请，制好的卡邮寄给本人",
    "社会保障卡补换、挂失": "先在网上挂失原卡，再申请补卡，新卡制好后邮寄给本人",
    "职工参保登记": "单位在社保网上经办系统为新职工填报参保信息，上传劳动合同，当天生效",
    "补领、换领机动车行驶证": "在“交管12123”App上申请，车辆信息系统里都有，新行驶证邮寄到家",
    "跨区域涉税事项报告": "企业在电子税务局填报到外地经营的情况，经营地税务机关在系统里直接看到，不用去税务大厅",
    "居民身份证换领、补领": "需要现场采集人像和指纹，证件由户籍地公安机关审核签发，做好后寄到受理地领取",
    "居民身份证申领": "首次申领要本人到场留指纹、拍照，核对户口信息后由户口所在地公安机关审核制证",
    "户口迁移（市内及跨省迁入）": "迁入地派出所审核落户条件，迁出地派出所注销原户口，两地公安机关在网上传递迁移信息",
    "机动车转移登记（二手车过户）": "车要开到车管所查验，原登记地车管所办理转出，现在所在地的车管所办理转入登记、换发号牌",
}
# 普通护照签发 has been 全国通办 since 2019 (any 出入境 office, no 户籍地 step): none of the three modes,
# whatever the catalog's cross_province says, so it never appears in the 跨省通办 question (review M18).
NATIONWIDE = frozenset({"普通护照签发"})
_SITUATIONS = ("在江苏打工的化隆人", "在广州开拉面店的化隆人", "在新疆做生意的循化人", "在西宁上班的民和人",
               "在浙江务工的互助人")


def cross_case(item, r: random.Random) -> dict[str, Any]:
    """Public facts of a 跨省通办 item (the mode itself is not shown)."""
    who = r.choice(_SITUATIONS)
    return {"name": item.name, "who": who, "rows": [["事项名称", item.name], ["主管部门", item.department],
                                                     ["这件事要怎样办", CROSS_STEPS[item.name]]]}


def cross_items() -> dict[str, list]:
    out: dict[str, list] = {m: [] for m in CROSS_FACTS}
    for it in sorted(catalog().items.values(), key=lambda i: i.code):
        if it.cross_province in out and it.name not in NATIONWIDE:
            out[it.cross_province].append(it)
    return out


# ---- 一件事: counting papers -------------------------------------------------------------------------
def paper_of(name: str) -> str:
    """One paper, whatever the item calls it: the applicant's (parent's, legal representative's)
    identity card is one card in 父母居民身份证, 居民身份证 and 法定代表人身份证件."""
    if "或" not in name and ("居民身份证" in name or "身份证件" in name):
        return "申请人身份证件"
    return name


def bundle_rows(bundle_name: str) -> list[tuple[str, str]]:
    cat = catalog()
    return [(it.name, "、".join(m.name for m in it.required_materials))
            for it in cat.bundle_items(cat.bundle(bundle_name))]


def paper_count(bundle_name: str, produced: Iterable[str]) -> tuple[int, int]:
    """(handed in separately, handed in once as a bundle): separately every item takes its own
    copies; together each paper once, and none that the bundle itself produces or receives
    (``produced``: e.g. the 出生医学证明 the birth hospital pushes to the hall)."""
    cat = catalog()
    items = cat.bundle_items(cat.bundle(bundle_name))
    separately = sum(len(it.required_materials) for it in items)
    made = {paper_of(p) for p in produced}
    together = {paper_of(m.name) for it in items for m in it.required_materials} - made
    return separately, len(together)


# ---- the 改进建议书 rubric, mechanical part (hints for the trainer and the lesson's self-check) ---------
IMPROVE_HINTS = (("说明角色和流程，指出梗阻和迟滞并引用数据", ("一把手进大厅", "体验员", "梗阻", "迟滞", "分钟")),
                 ("具体可执行的改进措施（责任人、完成时限）", ("负责", "周内", "天内", "月内", "前完成")),
                 ("用前后对比说明效果及代价或风险", ("降到", "缩短", "代价", "风险")),
                 ("群众视角：照顾特殊群体，回访和公开整改", ("老年", "方言", "回访", "公开")))


def improve_hits(text: str) -> list[tuple[str, bool]]:
    """(rubric line, a word of it appears) — a machine can only see the words, a trainer grades."""
    return [(crit, any(w in (text or "") for w in words)) for crit, words in IMPROVE_HINTS]
