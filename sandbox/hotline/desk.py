"""A trainee's working queue at the 12345 desk, and the trainee's decisions applied through the API.

:func:`make_queue` draws about thirty tickets of one shift from a seed: new tickets to classify and
route by the 派单目录, consultations the 知识库 answers at once (直接办结), matters the hotline does not
accept (不予受理), duplicates of an earlier ticket (并单), tickets a unit returned (退单 → 改派) and
units' requests for 延期. Each ticket's *truth* (the right handling by the rules) is kept apart from
its public view (:meth:`Queue.public`), which is all a trainee sees.

:func:`apply` takes the trainee's decisions (JSON: one dict per ticket number), drives every ticket
through the state machine of :mod:`sandbox.hotline.tickets` (the same functions the simulated staff
use), lets the units work the tickets they receive, and returns what the trainee achieved: per-ticket
outcomes with Chinese reasons naming the rule, and the rates of the whole queue.
No I/O: plain data in, plain data out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from ..base.calendar import WorkCalendar, default_calendar
from ..base.geography import COUNTIES, STREETS, VILLAGE_STEMS
from ..base.ids import mask_name, mask_phone
from .routing import HOTLINE_CENTRE, county_prefix, route_for
from .taxonomy import BY_LEVEL2, CATEGORIES, TICKET_TYPES
from .texts import CLOSERS, ESTATES, REFUSED_BODIES, generate
from .tickets import NOT_ACCEPTED, Hotline, TransitionError, classify, close, close_direct, extend, follow_up
from .tickets import handle, merge, refuse, reply, return_ticket, route, sign

# What a decision may say (the form's options).
ACTIONS = ("派单", "直接办结", "不予受理", "并单", "改派", "驳回退单", "同意延期", "不同意延期")
STAGES = {"new": "新工单", "returned": "退单待审核", "extension": "延期申请"}

# The 知识库 at the desk: consultations with a ready answer (口径) are closed during the call.
KNOWLEDGE: dict[str, str] = {
    "社保卡": "社保卡可在各县区人社服务大厅或合作银行网点办理，补换卡携带身份证，即时制卡的网点当场领取。",
    "身份证办理": ("首次申领居民身份证到户籍所在地派出所办理；换领、补领可在居住地公安机关异地办理。本地办理承诺 5 个工作日制证，"
              "异地办理的制证和邮寄时间以受理地告知为准。"),
    "户口迁移": "户口迁移可在迁入地派出所“一站式”办理，携带身份证、户口簿及迁入条件证明，无需回迁出地开证明。",
    "居民医保缴费": "城乡居民医保每年集中征缴期内通过“青海税务”、银行或村（社区）代收点缴纳，缴费后次年 1 月 1 日起享受待遇。",
    "办事指南咨询": "事项的申请条件、材料和时限以青海政务服务网公布的办事指南为准，也可到政务服务中心综合窗口现场咨询。",
    "养老保险": "城乡居民养老保险按年缴费，档次自选；缴满 15 年、年满 60 周岁可按月领取养老金，可在人社大厅或网上查询缴费记录。",
    "出入境证件": "普通护照、往来港澳通行证在海东市公安局出入境接待大厅办理，携带身份证，全国通办，7 个工作日内制证。",
    "疫苗接种": "儿童免疫规划疫苗到户籍或居住地所在乡镇卫生院、社区卫生服务中心预防接种门诊接种，携带预防接种证。",
}
KB_TITLES = tuple(KNOWLEDGE)
# Consultations whose answer depends on the caller's own file: no ready answer, they go to the unit.
_OWN_FILE = ("惠农补贴", "不动产登记", "宅基地", "公租房", "工伤认定")
_ROUTINE = ("物业服务质量", "物业收费", "电梯故障", "商品质量", "预付卡退费", "噪音扰民", "环境卫生", "占道经营",
            "老旧小区改造", "农民工工资拖欠", "道路破损", "灌溉用水", "食品安全", "停水", "供暖不热", "医疗服务",
            "乡村道路", "学校收费", "出租车服务", "大气污染")
# 退单 that a functional department must keep: the wrong first unit and the bad push-down target.
_RETURNABLE = ("物业服务质量", "噪音扰民", "占道经营", "商品质量", "道路破损", "农民工工资拖欠", "灌溉用水", "食品安全")
# 延期 reasons: the good ones are the time the matter itself needs, so each category has its own; the bad
# ones are about the unit, not the matter, and sound just as official (no single word gives them away).
_EXT_REASONS_OK: dict[str, tuple[str, ...]] = {
    "物业服务质量": ("涉及多个产权单位，需现场勘查并协调维修资金", "需组织业委会、物业公司现场核查，并征求业主意见"),
    "农民工工资拖欠": ("需与施工企业、劳务公司三方对账，核实欠薪金额", "涉及 20 余名工人，需逐人核对考勤记录和工资表"),
    "食品安全": ("已抽样送第三方检测，检测报告约需 7 个工作日", "需调取进货台账，追溯外市上游供货商"),
    "老旧小区改造": ("需会同施工、监理单位现场勘查，确定整改方案", "涉及设计变更，需召开居民议事会征求意见"),
}
_EXT_REASONS_BAD = ("承办人本周休假，待其返岗后办理", "近期单位工作任务较重，人手紧张", "已电话联系来电人，待领导签批后答复",
                    "待下月例会研究", "来电人不在家，无法上门")
# Synthetic firms, named after the county they trade in (a 乐都 supermarket is never met in 互助).
_FIRM_STEMS = ("河湟商贸有限公司", "湟水超市", "驿站拉面馆", "鸿运建筑劳务有限公司", "青稞餐饮有限公司", "农产品有限公司")
# Urban matters (物业, 电梯, 供暖, 老旧小区, 城管 street issues…) happen in the county seat; farm matters
# in the rural townships (Category.urban: >1 more urban, <1 more rural).
_URBAN, _RURAL = 1.5, 0.9
# The heating season in Haidong (taxonomy's "heating" profile): mid-October to mid-April.
_HEATING_ENDS, _HEATING_STARTS = (4, 15), (10, 15)
# Sums the caller names for matters whose realistic size is known (yuan): a year's 暖气费 for a flat,
# a year's 物业费, what a 物业 overcharged in a year.
_MONEY = {"供暖不热": (1500, 3000), "物业撤场": (800, 2400), "物业收费": (200, 900)}
# 食品安全 cases of routine weight (a 15-day 投诉 may be extended); 病死畜禽 is an emergency 举报, not one of these.
_FOOD_ROUTINE = ("{when}在{firm}买的牦牛肉干，包装上没有生产日期和厂家，标签不全，商家说是散装的不用标。",
                 "{firm}卖的酸奶过期两天了还摆在货架上，我买回去才发现，找商家只肯换一盒。",
                 "{when}在{firm}买的熟食有异味，怀疑是过期的，商家不承认。")
SURNAMES = "王李张刘陈马韩祁鲁赵冶何"
GIVEN = ("建华", "秀兰", "玉梅", "国强", "海军", "文英", "永福", "德明", "桂花", "成林", "占鳌", "晓燕")


@dataclass(frozen=True)
class Truth:
    kind: str                      # new-dispatch / direct / refuse / duplicate / returned / extension
    ticket_type: str
    level2: str
    lead: str
    assist: tuple[str, ...] = ()
    kb: str | None = None          # knowledge entry of a direct consultation
    reason: str | None = None      # 不予受理 reason
    master: str | None = None      # number of the ticket a duplicate belongs to
    extension_ok: bool | None = None
    needs_time: bool | None = None  # 延期: the reason is time the matter itself needs (whether or not in time)
    return_ok: bool | None = None   # 退单: the returning unit is not the catalogue's lead (so 改派), or it is (驳回退单)


@dataclass(frozen=True)
class QueueTicket:
    number: str
    received_at: datetime
    channel: str
    caller_name: str
    caller_mobile: str
    county: str
    town: str
    text: str
    stage: str                     # key of STAGES
    truth: Truth
    first_unit: str | None = None  # the unit that returned it / the unit asking for 延期
    note: str = ""                 # the unit's words (退单 reason, 延期 request)
    request_at: datetime | None = None
    deadline: datetime | None = None

    def public(self) -> dict:
        """What the trainee sees (masked caller, no truth)."""
        return {"工单编号": self.number, "受理时间": f"{self.received_at:%Y-%m-%d %H:%M}", "渠道": self.channel,
                "来电人": f"{mask_name(self.caller_name)} {mask_phone(self.caller_mobile)}", "县区": self.county,
                "乡镇": self.town, "诉求内容": self.text, "环节": STAGES[self.stage],
                "原承办单位": self.first_unit or "", "单位意见": self.note,
                "申请时间": f"{self.request_at:%Y-%m-%d %H:%M}" if self.request_at else "",
                "办理时限": f"{self.deadline:%Y-%m-%d %H:%M}" if self.deadline else "", "数据性质": "合成数据"}


@dataclass(frozen=True)
class Queue:
    seed: int
    shift: date
    tickets: tuple[QueueTicket, ...]

    def public(self) -> dict:
        return {"seed_hint": None, "班次": self.shift.isoformat(), "知识库": dict(KNOWLEDGE),
                "工单": [t.public() for t in self.tickets], "数据性质": "合成数据"}

    def get(self, number: str) -> QueueTicket:
        return next(t for t in self.tickets if t.number == number)


def township_unit(county: str, town: str) -> str:
    """The township government a wrong 改派 pushes a matter down to."""
    c = next(c for c in COUNTIES if c.name == county)
    return f"{county_prefix(c)}{town}人民政府"


def working_days_back(cal: WorkCalendar, d: date, n: int) -> date:
    """The working day ``n`` working days before ``d`` (so that adding ``n`` working days gives ``d``)."""
    x = d
    while cal.working_days_between(x, d) < n or not cal.is_working_day(x):
        x -= timedelta(days=1)
    return x


def _shift_day(rng: np.random.Generator, cal: WorkCalendar) -> date:
    d = date(2025, 3, 3) + timedelta(days=int(rng.integers(0, 240)))
    return cal.next_working_day(d) if not cal.is_working_day(d) else d


def in_heating_season(d: date) -> bool:
    """Whether ``d`` falls in Haidong's heating season (no 供暖不热 complaints outside it)."""
    return (d.month, d.day) <= _HEATING_ENDS or (d.month, d.day) >= _HEATING_STARTS


def in_season(level2: str, d: date) -> bool:
    return level2 != "供暖不热" or in_heating_season(d)


def firms_of(county_i: int) -> tuple[str, ...]:
    c = COUNTIES[county_i]
    return tuple(f"{county_prefix(c)}{stem}" for stem in _FIRM_STEMS)


def _caller(rng: np.random.Generator) -> tuple[str, str]:
    name = SURNAMES[int(rng.integers(len(SURNAMES)))] + GIVEN[int(rng.integers(len(GIVEN)))]
    mobile = "1" + str(int(rng.choice([38, 39, 50, 58, 77, 87]))) + f"{int(rng.integers(0, 10**8)):08d}"
    return name, mobile


def _text(rng: np.random.Generator, level2: str, ttype: str, county_i: int, town: str,
          avoid: str = "") -> str:
    """The caller's words, ending with a closer that shows the ticket type (never an empty one);
    ``avoid``: a place (estate, firm, street, village) the words must not name (a decoy's other place)."""
    cat_i = [c.level2 for c in CATEGORIES].index(level2)
    over = {"town": np.array([town], dtype=object)}
    if avoid:
        pools = {"estate": ESTATES, "firm": firms_of(county_i), "street": STREETS, "village": VILLAGE_STEMS}
        for slot, pool in pools.items():
            left = [x for x in pool if x not in avoid and avoid not in x]
            over[slot] = np.array([left[int(rng.integers(len(left)))]], dtype=object)
    if level2 in _MONEY:
        lo, hi = _MONEY[level2]
        over["money"] = np.array([int(rng.integers(lo // 10, hi // 10)) * 10], dtype=object)
    body = generate(rng, np.array([cat_i]), np.array([county_i]), np.array([TICKET_TYPES.index(ttype)]),
                    np.array(["APP"], dtype=object), firms_of(county_i), overrides=over)[0]
    if level2 == "食品安全" and "病死" in body:  # an emergency 举报, never a routine desk case
        firm = [f for f in firms_of(county_i) if "超市" in f or "商贸" in f]
        body = _FOOD_ROUTINE[int(rng.integers(len(_FOOD_ROUTINE)))].format(
            when=str(rng.choice(["昨天", "前天", "上周"])), firm=firm[int(rng.integers(len(firm)))])
    for c in sorted(CLOSERS.get(ttype, ()), key=len, reverse=True):
        if c and body.endswith(c):
            body = body[: -len(c)]
            break
    closers = [c for c in CLOSERS.get(ttype, ()) if c]
    return body + (closers[int(rng.integers(len(closers)))] if closers else "")


def _type_for(level2: str, rng: np.random.Generator, exclude: tuple[str, ...] = ("咨询", "表扬", "其他")) -> str:
    cat = BY_LEVEL2[level2]
    w = np.array([0.0 if TICKET_TYPES[i] in exclude else p for i, p in enumerate(cat.types)])
    if w.sum() == 0:
        return "投诉"
    return TICKET_TYPES[int(rng.choice(len(w), p=w / w.sum()))]


@dataclass
class _Builder:
    rng: np.random.Generator
    cal: WorkCalendar
    shift: date
    out: list[QueueTicket] = field(default_factory=list)
    seq: int = 0

    def number(self, at: datetime) -> str:
        self.seq += 1
        return f"HD{at:%Y%m%d}-{self.seq:04d}"

    def moment(self) -> datetime:
        minutes = int(self.rng.integers(8 * 60 + 30, 17 * 60 + 30))
        return datetime.combine(self.shift, time()) + timedelta(minutes=minutes)

    def where(self, level2: str | None = None) -> tuple[int, str, str]:
        """A county and a township that fit the matter: urban matters in the county seat (the first
        township), farm matters in a rural township, the rest anywhere."""
        i = int(self.rng.integers(len(COUNTIES)))
        towns = COUNTIES[i].townships
        urban = BY_LEVEL2[level2].urban if level2 in BY_LEVEL2 else 1.0
        pool = towns[:1] if urban >= _URBAN else towns[1:] if urban <= _RURAL else towns
        return i, COUNTIES[i].name, pool[int(self.rng.integers(len(pool)))]

    def add(self, at: datetime, level2: str, ttype: str, truth: Truth, stage: str = "new", text: str | None = None,
            where: tuple[int, str, str] | None = None, caller: tuple[str, str] | None = None, **kw) -> QueueTicket:
        ci, county, town = where or self.where(level2)
        name, mobile = caller or _caller(self.rng)
        words = text if text is not None else _text(self.rng, level2, ttype, ci, town)
        t = QueueTicket(self.number(at), at, str(self.rng.choice(["电话", "电话", "微信", "APP", "网站"])), name, mobile,
                        county, town, words, stage, truth, **kw)
        self.out.append(t)
        return t


def _route_truth(level2: str, county: str, ttype: str, kind: str, **kw) -> Truth:
    r = route_for(level2, county)
    return Truth(kind, ttype, level2, r.lead, r.assist, **kw)


def make_queue(seed: int, *, n_dispatch: int = 14, n_direct: int = 4, n_refuse: int = 3, n_duplicate: int = 3,
               n_returned: int = 3, n_extension: int = 3, cal: WorkCalendar | None = None) -> Queue:
    """One shift's queue (about thirty tickets) drawn from ``seed``: same seed, same queue."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0xDE5C]))
    cal = cal or default_calendar(True)
    b = _Builder(rng, cal, _shift_day(rng, cal))
    masters = _new_tickets(b, n_dispatch)
    _direct(b, n_direct)
    _refused(b, n_refuse)
    _duplicates(b, masters, n_duplicate)
    _returned(b, n_returned)
    _extensions(b, n_extension)
    tickets = sorted(b.out, key=lambda t: (t.stage != "new", t.received_at, t.number))
    return Queue(int(seed), b.shift, tuple(tickets))


def _new_tickets(b: _Builder, n: int) -> list[QueueTicket]:
    pool = [c for c in _ROUTINE + _OWN_FILE if in_season(c, b.shift)]
    cats = list(b.rng.choice(pool, size=n, replace=False))
    out = []
    for level2 in cats:
        ttype = "咨询" if level2 in _OWN_FILE else _type_for(level2, b.rng)
        where = b.where(level2)
        out.append(b.add(b.moment(), level2, ttype, _route_truth(level2, where[1], ttype, "new-dispatch"), where=where))
    return out


def _direct(b: _Builder, n: int) -> None:
    for level2 in b.rng.choice(KB_TITLES, size=n, replace=False):
        where = b.where(str(level2))
        b.add(b.moment(), str(level2), "咨询", _route_truth(str(level2), where[1], "咨询", "direct", kb=str(level2)),
              where=where)


def _refused(b: _Builder, n: int) -> None:
    for reason in b.rng.choice(NOT_ACCEPTED, size=n, replace=False):
        where = b.where()
        text = REFUSED_BODIES[str(reason)].format(firm=firms_of(where[0])[0], town=where[2], cs=COUNTIES[where[0]].short)
        b.add(b.moment(), "其他事项", "其他", Truth("refuse", "其他", "其他事项", "", reason=str(reason)),
              text=text, where=where)


# How a repeat call sounds: the same caller chasing it up, or a neighbour in their own words. Matters that
# concern one person only (a purchase, wages, a taxi ride…) are repeated by that person alone.
_TOPIC = {"物业服务质量": "物业不管事、坏了没人修的问题", "物业收费": "物业乱收费问题", "电梯故障": "电梯老出故障的事",
          "商品质量": "商品质量问题", "预付卡退费": "预付卡退费问题", "噪音扰民": "噪音扰民问题",
          "环境卫生": "环境卫生问题", "占道经营": "占道经营问题", "老旧小区改造": "老旧小区改造问题",
          "农民工工资拖欠": "拖欠工钱的事", "道路破损": "路面破损问题", "灌溉用水": "浇地用水问题",
          "食品安全": "食品安全问题", "停水": "停水问题", "供暖不热": "暖气不热问题", "医疗服务": "看病遇到的问题",
          "乡村道路": "村道问题", "学校收费": "学校收费问题", "出租车服务": "打车遇到的问题", "大气污染": "烟熏呛人问题"}
_PERSONAL = ("商品质量", "预付卡退费", "农民工工资拖欠", "医疗服务", "出租车服务", "学校收费")
_AGAIN_SAME = ("我{hh}点多打过电话，反映{place}的{topic}，到现在还没人联系我，麻烦再催一下。",
               "还是{place}的{topic}，{hh}点多已经打过一次了，想问问转给哪个部门了？")


def spoken_hour(h: int) -> str:
    """An hour as a caller says it (上午10点, 下午4点), not a 24-hour clock."""
    return f"上午{h}" if h < 12 else "中午12" if h == 12 else f"下午{h - 12}"
_AGAIN_OTHER = ("{place}的{topic}，我家也受影响，{impact}", "我也想反映一下{place}的{topic}，{impact}")
_IMPACT = ("好几户都有意见，希望尽快处理。", "一直没人管，请有关部门抓紧解决。", "情况跟大家说的一样，请尽快派人来看看。")


def place_of(text: str, county_i: int, town: str) -> str:
    """The place a caller's words name (estate and building, firm, street or village), else the township."""
    for e in ESTATES:
        if e in text:
            m = re.search(re.escape(e) + r"(\d+号楼)", text)
            return e + (m.group(1) if m else "")
    for x in (*firms_of(county_i), *STREETS):
        if x in text:
            return x
    return next((v + "村" for v in VILLAGE_STEMS if v + "村" in text), town)


def _duplicates(b: _Builder, masters: list[QueueTicket], n: int) -> None:
    """The same caller chases the matter up, or a neighbour reports it in their own words, later in the
    shift; beside each, a decoy of the same category and township about another place (a new ticket)."""
    picks = [m for m in masters if m.truth.ticket_type != "咨询"][:n]
    for m in picks:
        at = m.received_at + timedelta(minutes=int(b.rng.integers(20, 90)))
        ci = next(i for i, c in enumerate(COUNTIES) if c.name == m.county)
        place = place_of(m.text, ci, m.town)
        same_caller = m.truth.level2 in _PERSONAL or bool(b.rng.random() < 0.4)
        caller = (m.caller_name, m.caller_mobile) if same_caller else None
        pool = _AGAIN_SAME if same_caller else _AGAIN_OTHER
        text = pool[int(b.rng.integers(len(pool)))].format(
            hh=spoken_hour(m.received_at.hour), place=place, topic=_TOPIC.get(m.truth.level2, "那件事"),
            impact=_IMPACT[int(b.rng.integers(len(_IMPACT)))])
        b.add(at, m.truth.level2, m.truth.ticket_type,
              Truth("duplicate", m.truth.ticket_type, m.truth.level2, m.truth.lead, m.truth.assist, master=m.number),
              text=text, where=(ci, m.county, m.town), caller=caller)
        if m.truth.level2 in _PERSONAL or place == m.town:
            continue
        decoy_at = m.received_at + timedelta(minutes=int(b.rng.integers(10, 120)))
        words = _text(b.rng, m.truth.level2, m.truth.ticket_type, ci, m.town, avoid=place)
        b.add(decoy_at, m.truth.level2, m.truth.ticket_type,
              _route_truth(m.truth.level2, m.county, m.truth.ticket_type, "new-dispatch"), text=words,
              where=(ci, m.county, m.town))


# A unit's 退单 words: the same official phrases whether the return is founded or not, so the trainee
# decides by the 派单目录 (is the returning unit the catalogue's lead?), never by the note.
_RETURN_NOTES = ("该事项不属于本单位职责，建议交属地{town}处理。", "该事项涉及属地管理，建议交{town}人民政府协调处理。",
                 "经核实，该事项不在本单位职责范围内，请中心重新派单。")


def _returned(b: _Builder, n: int) -> None:
    """A colleague routed it yesterday and the unit returned it this morning: to the wrong department
    (退单理由成立 → 改派 to the catalogue's lead), or to the right one (理由不成立 → 驳回退单), one a shift."""
    for i, level2 in enumerate(b.rng.choice(_RETURNABLE, size=n, replace=False)):
        level2 = str(level2)
        ttype = _type_for(level2, b.rng)
        where = b.where(level2)
        founded = i != 1  # the second returned ticket of a shift is the unfounded one (the queue is sorted by time)
        truth = _route_truth(level2, where[1], ttype, "returned", return_ok=founded)
        first = route_for(level2, where[1]).alternative if founded else truth.lead
        at = datetime.combine(working_days_back(b.cal, b.shift, 1), time(15, int(b.rng.integers(0, 59))))
        note = _RETURN_NOTES[int(b.rng.integers(len(_RETURN_NOTES)))].format(town=where[2])
        b.add(at, level2, ttype, truth, stage="returned", where=where, first_unit=first, note=note,
              request_at=datetime.combine(b.shift, time(8, 40)))


def _extensions(b: _Builder, n: int) -> None:
    """Units asking for 延期 on tickets due today: in time and for a good reason, or not."""
    cal, policy_cut = b.cal, 17
    kinds = [(True, True), (False, True), (True, False)][:n] + [(True, True)] * max(0, n - 3)
    for in_time, good in kinds:
        level2 = str(b.rng.choice(("物业服务质量", "农民工工资拖欠", "食品安全", "老旧小区改造")))
        ttype = "投诉"
        where = b.where(level2)
        recv = datetime.combine(working_days_back(cal, b.shift, 15), time(10, int(b.rng.integers(0, 59))))
        deadline = datetime.combine(b.shift, time(18))
        req = datetime.combine(b.shift, time(10, 30) if in_time else time(policy_cut, 25))
        reason = str(b.rng.choice(_EXT_REASONS_OK[level2] if good else _EXT_REASONS_BAD))
        truth = _route_truth(level2, where[1], ttype, "extension", extension_ok=in_time and good, needs_time=good)
        b.add(recv, level2, ttype, truth, stage="extension", where=where, first_unit=truth.lead,
              note=f"申请延期：{reason}。", request_at=req, deadline=deadline)
