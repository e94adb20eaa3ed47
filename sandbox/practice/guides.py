"""Standard service guides (办事指南) rendered from catalogue items, the defect kinds of course 1, and
the comparison of a trainee's findings with a guide's true defects (:func:`score_defects`).

A guide carries the fields of a Qinghai standard guide (DB63/T 1755-2019; DOMAIN §2): basic
information, 申请条件, 申请材料, 办理流程, 办理地点和时间, 收费及依据, 法定/承诺办结时限, 即办件或承诺件,
到现场次数, 是否网办, 跨省通办, 容缺受理 and 告知承诺, 咨询和监督投诉方式, 常见问题.

The checker that finds a guide's defects (``check_guide``), the injector that makes defective guides
(``make_defective_guide``) and ``grade_defects`` decide every graded guide: they live in
:mod:`sandbox.practice.keys.defects`, grader-only in root mode, and are still reachable under this
module's name where the keys are readable (graders, tests).
"""
from __future__ import annotations

import html
import random
from dataclasses import dataclass, replace
from typing import Sequence

from ..base.catalog import ITEM_TYPES, Material, ServiceItem
from . import forward_keys

__all__ = ["Guide", "Defect", "DEFECT_KINDS", "render_guide", "guide_markdown", "guide_html",
           "applicable_defects", "score_defects", "DefectGrade",
           "HALL_NAME"]

HALL_NAME = "海东市政务服务中心"
ONLINE_CHANNELS = "青海政务服务网（海东站）、“青松办”App"
# Zones of the city centre (DOMAIN §1: zones A–D) by window kind.
_ZONES = {"公安与车驾管": "A", "市场主体登记": "A", "企业开办": "A", "税务": "B", "不动产登记": "B",
          "住房公积金": "C", "社会保障": "C", "医疗保障": "C", "工程建设项目审批": "D", "综合审批": "D"}
HOURS = ("周一至周五 上午9:00—12:00，下午14:00—17:30（法定节假日除外）；"
         "周六上午9:00—12:00提供“周末不打烊”服务；中午及下班后可预约延时办理")


@dataclass(frozen=True)
class Guide:
    """A service guide as a trainee reads it. Numbers stay numbers so the checker can reason."""

    name: str  # 事项名称
    code: str  # 事项编码
    item_type: str  # 事项类型
    department: str  # 主管部门
    implementer: str  # 实施机关
    level: str  # 行使层级
    basis: str  # 设定和实施依据
    conditions: tuple[str, ...]  # 申请条件
    materials: tuple[Material, ...]  # 申请材料
    steps: tuple[str, ...]  # 办理流程
    location: str  # 办理地点
    hours: str  # 办理时间
    fee_yuan: float
    fee_basis: str  # 收费依据 ("" when free or missing)
    legal_days: int | None  # 法定办结时限 (None = not stated)
    promised_days: int | None  # 承诺办结时限 (0 = 当场办结; None = not stated)
    kind: str  # 办件类型：即办件 / 承诺件
    visits: int  # 到现场次数
    online: bool  # 是否网办（全程网办）
    online_channels: str  # 网办渠道
    cross_province: str  # 跨省通办：不支持 / 全程网办 / 异地代收代办 / 多地联办
    pledge: bool  # 是否实行告知承诺
    rongque: bool  # 是否可容缺受理
    consult: str  # 咨询方式
    complaint: str  # 监督投诉方式
    result: str  # 办理结果
    faq: tuple[tuple[str, str], ...]  # 常见问题

    @property
    def special_steps(self) -> tuple[str, ...]:
        """特别程序: steps with their own time (公示, 现场核查 …) and whether they count in the limit."""
        return tuple(st for st in self.steps if "计入办理时限" in st)

    @property
    def fee_text(self) -> str:
        return "不收费" if self.fee_yuan == 0 else f"{self.fee_yuan:g}元"

    @property
    def legal_text(self) -> str:
        return "（未载明）" if self.legal_days is None else f"{self.legal_days}个工作日"

    @property
    def promised_text(self) -> str:
        if self.promised_days is None:
            return "（未载明）"
        return "当场办结" if self.promised_days == 0 else f"{self.promised_days}个工作日"


@dataclass(frozen=True)
class Defect:
    code: str  # one of DEFECT_KINDS
    field: str  # the guide field concerned (Chinese label)
    explanation: str  # plain-Chinese statement of the rule that is broken
    detail: str = ""  # what exactly is wrong in this guide

    def __str__(self) -> str:
        return f"【{self.field}】{self.explanation}" + (f"（{self.detail}）" if self.detail else "")


# code -> (field label, plain-Chinese explanation)
DEFECT_KINDS: dict[str, tuple[str, str]] = {
    "MISSING_MATERIAL": ("申请材料", "漏列了必要的申请材料，或把必要材料写成了非必要材料，群众按指南准备会白跑一趟"),
    "PROMISED_OVER_LEGAL": ("承诺办结时限", "承诺办结时限超过了法定办结时限；承诺时限只能等于或短于法定时限"),
    "MISSING_LEGAL_LIMIT": ("法定办结时限", "没有写明法定办结时限"),
    "MISSING_PROMISED_LIMIT": ("承诺办结时限", "没有写明承诺办结时限"),
    "INSTANT_WITH_DAYS": ("办件类型", "标为即办件却写了若干个工作日；即办件应当场办结"),
    "COMMITMENT_WITHOUT_DAYS": ("办件类型", "标为承诺件却写当场办结；承诺件应写明几个工作日办结，当场办结的应标为即办件"),
    "WRONG_ITEM_TYPE": ("事项类型", "事项类型写错了，与事项编码和权责清单不一致"),
    "MISSING_FEE_BASIS": ("收费依据", "收费事项没有写明收费标准的依据"),
    "VISITS_ONLINE_MISMATCH": ("到现场次数", "到现场次数与是否网办矛盾：全程网办应为0次，不能网办的至少1次"),
    "MISSING_CONSULT": ("咨询方式", "没有写明咨询方式"),
    "MISSING_COMPLAINT": ("监督投诉方式", "没有写明监督投诉方式"),
    "MISSING_BASIS": ("设定和实施依据", "没有写明设定和实施依据"),
    "MISSING_CONDITIONS": ("申请条件", "没有写明申请条件"),
    "CORE_MATERIAL_RONGQUE": ("申请材料", "把核心材料标成了可容缺；核心材料和涉及安全的材料不得容缺"),
}
# Defects that touch the same fields; a random draw takes at most one of each group.
_GROUPS = (
    {"PROMISED_OVER_LEGAL", "MISSING_LEGAL_LIMIT", "MISSING_PROMISED_LIMIT", "INSTANT_WITH_DAYS",
     "COMMITMENT_WITHOUT_DAYS"},
    {"MISSING_MATERIAL", "CORE_MATERIAL_RONGQUE"},
)


def _defect(code: str, detail: str = "") -> Defect:
    field, explanation = DEFECT_KINDS[code]
    return Defect(code, field, explanation, detail)


# ---- rendering ------------------------------------------------------------------------------------

def render_guide(item: ServiceItem) -> Guide:
    """The standard guide of a catalogue item (correct by construction)."""
    zone = _ZONES.get(item.window_kind, "A")
    result = {"行政许可": f"{item.name}准予许可决定书或相应证照（含电子证照）",
              "行政确认": f"{item.name}确认结果（含电子证照或登记证明）",
              "行政给付": "待遇核定结果，款项发放至本人账户",
              "行政备案": "备案回执（电子）"}.get(item.item_type, "办理结果（纸质或电子）")
    return Guide(
        name=item.name,
        code=item.code,
        item_type=item.item_type,
        department=item.department,
        implementer=item.department,
        level=item.level,
        basis=item.basis,
        conditions=item.conditions,
        materials=item.materials,
        steps=item.steps,
        location=f"{HALL_NAME} {zone}区 {item.window_kind}窗口（综合窗口“一窗受理”亦可收件）",
        hours=HOURS,
        fee_yuan=item.fee_yuan,
        fee_basis="" if item.fee_yuan == 0 else item.fee_basis,
        legal_days=item.legal_days,
        promised_days=item.promised_days,
        kind=item.kind_label,
        visits=item.visits,
        online=item.online,
        online_channels=ONLINE_CHANNELS if item.online else "网上预约、现场办理",
        cross_province=item.cross_province or "不支持",
        pledge=item.pledge_allowed,
        rongque=item.rongque_allowed,
        consult=f"现场咨询：{HALL_NAME}{item.window_kind}窗口；电话咨询：12345政务服务便民热线；"
                f"网上咨询：{ONLINE_CHANNELS}“我要咨询”",
        complaint=f"{HALL_NAME}“办不成事”反映窗口；12345政务服务便民热线；政务服务“好差评”；"
                  f"{item.department}监督电话（经12345转接）",
        result=result,
        faq=item.faq,
    )


def _yn(v: bool) -> str:
    return "是" if v else "否"


def _copies_text(m: Material) -> str:
    if m.originals == 0 and m.copies == 0:
        return "电子文件1份"
    return f"原件{m.originals}份，复印件{m.copies}份"


def _material_rows(g: Guide) -> list[tuple[str, ...]]:
    rows = []
    for i, m in enumerate(g.materials, 1):
        rows.append((str(i), m.name, "必要" if m.required else "非必要（特定情形提供）", m.form,
                     _copies_text(m), m.source, _yn(m.elicence),
                     _yn(m.rongque and g.rongque), _yn(m.pledge and g.pledge)))
    return rows


_MATERIAL_HEAD = ("序号", "材料名称", "是否必要", "材料形式", "份数", "来源渠道", "可用电子证照免交",
                  "可容缺", "可告知承诺")


def _basic_rows(g: Guide) -> list[tuple[str, str]]:
    return [
        ("事项名称", g.name), ("事项编码", g.code), ("事项类型", g.item_type), ("主管部门", g.department),
        ("实施机关", g.implementer), ("行使层级", g.level), ("设定和实施依据", g.basis or "（未载明）"),
        ("办件类型", g.kind), ("法定办结时限", g.legal_text), ("承诺办结时限", g.promised_text),
        ("到现场次数", f"{g.visits}次"), ("是否网办", ("是（全程网办）" if g.online else "否")),
        ("网办渠道", g.online_channels), ("跨省通办", g.cross_province),
        ("收费标准", g.fee_text), ("收费依据", g.fee_basis or ("—" if g.fee_yuan == 0 else "（未载明）")),
        ("容缺受理", _yn(g.rongque)), ("告知承诺", _yn(g.pledge)),
        ("办理地点", g.location), ("办理时间", g.hours), ("办理结果", g.result),
        ("咨询方式", g.consult or "（未载明）"), ("监督投诉方式", g.complaint or "（未载明）"),
    ]


def guide_markdown(guide: Guide) -> str:
    """The guide as Chinese Markdown (for notebooks and exports)."""
    g = guide
    out = [f"# {g.name} 办事指南", "", "> 培训用模拟指南（合成数据），以青海政务服务网公布的指南为准。", "",
           "## 一、基本信息", "", "| 项目 | 内容 |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in _basic_rows(g)]
    out += ["", "## 二、申请条件", ""]
    out += [f"{i}. {c}" for i, c in enumerate(g.conditions, 1)] or ["（未载明）"]
    out += ["", "## 三、申请材料", "", "| " + " | ".join(_MATERIAL_HEAD) + " |",
            "|" + "---|" * len(_MATERIAL_HEAD)]
    out += ["| " + " | ".join(r) + " |" for r in _material_rows(g)]
    out += ["", "## 四、办理流程", ""]
    out += [f"{i}. {s}" for i, s in enumerate(g.steps, 1)]
    if g.special_steps:
        out += ["", "特别程序：" + "；".join(g.special_steps)]
    if g.faq:
        out += ["", "## 五、常见问题", ""]
        for q, a in g.faq:
            out += [f"**问：{q}**", "", f"答：{a}", ""]
    return "\n".join(out).rstrip() + "\n"


def guide_html(guide: Guide) -> str:
    """The guide as a self-contained HTML fragment (for ipywidgets.HTML and Voila)."""
    e = html.escape
    g = guide
    parts = [f'<div class="guide"><h3>{e(g.name)} 办事指南</h3>',
             '<p style="color:#a00">培训用模拟指南（合成数据）</p>',
             '<h4>一、基本信息</h4><table border="1" cellspacing="0" cellpadding="4">']
    parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in _basic_rows(g)]
    parts.append("</table><h4>二、申请条件</h4><ol>")
    parts += [f"<li>{e(c)}</li>" for c in g.conditions]
    parts.append('</ol><h4>三、申请材料</h4><table border="1" cellspacing="0" cellpadding="4"><tr>')
    parts += [f"<th>{e(h)}</th>" for h in _MATERIAL_HEAD]
    parts.append("</tr>")
    parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in _material_rows(g)]
    parts.append("</table><h4>四、办理流程</h4><ol>")
    parts += [f"<li>{e(s)}</li>" for s in g.steps]
    parts.append("</ol>")
    if g.special_steps:
        parts.append(f"<p>特别程序：{e('；'.join(g.special_steps))}</p>")
    if g.faq:
        parts.append("<h4>五、常见问题</h4>")
        parts += [f"<p><b>问：{e(q)}</b><br>答：{e(a)}</p>" for q, a in g.faq]
    parts.append("</div>")
    return "".join(parts)


# ---- defect injection --------------------------------------------------------------------------

def applicable_defects(item: ServiceItem) -> tuple[str, ...]:
    """Defect kinds that can be injected into this item's guide."""
    out = []
    for code in DEFECT_KINDS:
        if code == "PROMISED_OVER_LEGAL" and item.instant:
            continue  # an instant item with N days would also be INSTANT_WITH_DAYS
        if code == "CORE_MATERIAL_RONGQUE" and not any(m.core for m in item.materials):
            continue
        out.append(code)
    return tuple(out)


def _inject(g: Guide, code: str, r: random.Random, item: ServiceItem) -> Guide:
    if code == "MISSING_MATERIAL":
        required = [m for m in g.materials if m.required and not (m.core and m.rongque)]
        victim = r.choice(required)
        if r.random() < 0.7 or len(g.materials) == 1:
            return replace(g, materials=tuple(m for m in g.materials if m is not victim))
        return replace(g, materials=tuple(replace(m, required=False) if m is victim else m for m in g.materials))
    if code == "CORE_MATERIAL_RONGQUE":
        victim = r.choice([m for m in g.materials if m.core])
        return replace(g, materials=tuple(replace(m, rongque=True) if m is victim else m for m in g.materials))
    if code == "PROMISED_OVER_LEGAL":
        return replace(g, promised_days=item.legal_days + r.randint(1, max(2, item.legal_days // 2)))
    if code == "MISSING_LEGAL_LIMIT":
        return replace(g, legal_days=None)
    if code == "MISSING_PROMISED_LIMIT":
        return replace(g, promised_days=None)
    if code == "INSTANT_WITH_DAYS":
        if item.instant:
            return replace(g, promised_days=r.randint(1, item.legal_days))
        return replace(g, kind="即办件")
    if code == "COMMITMENT_WITHOUT_DAYS":
        return replace(g, kind="承诺件", promised_days=0)
    if code == "WRONG_ITEM_TYPE":
        return replace(g, item_type=r.choice([t for t in ITEM_TYPES if t != item.item_type]))
    if code == "MISSING_FEE_BASIS":
        fee = g.fee_yuan if g.fee_yuan > 0 else float(r.choice((10, 20, 50, 80)))
        return replace(g, fee_yuan=fee, fee_basis="")
    if code == "VISITS_ONLINE_MISMATCH":
        return replace(g, visits=r.randint(1, 2) if g.online else 0)
    if code == "MISSING_CONSULT":
        return replace(g, consult="")
    if code == "MISSING_COMPLAINT":
        return replace(g, complaint="")
    if code == "MISSING_BASIS":
        return replace(g, basis="")
    if code == "MISSING_CONDITIONS":
        return replace(g, conditions=())
    raise ValueError(f"未知的缺陷类型 {code!r}；可选：{'、'.join(DEFECT_KINDS)}")


# ---- grading a trainee's findings ---------------------------------------------------------------

@dataclass(frozen=True)
class DefectGrade:
    found: tuple[str, ...]  # defect codes the trainee named correctly
    missed: tuple[str, ...]  # defects in the guide the trainee did not name
    false_alarms: tuple[str, ...]  # codes named that are not defects of this guide
    score: float  # 0..1: found / (defects + false alarms)
    feedback: str  # plain Chinese

    @property
    def perfect(self) -> bool:
        return not self.missed and not self.false_alarms


def score_defects(truth: Sequence[str], answered: Sequence[str]) -> DefectGrade:
    """Compare the defect codes a trainee named with the guide's true defect codes (exact codes only).

    The comparison is public; what finds ``truth`` in a graded guide is not (keys.defects).
    """
    truth = list(truth)
    named = list(dict.fromkeys(answered))
    found = tuple(c for c in truth if c in named)
    missed = tuple(c for c in truth if c not in named)
    false_alarms = tuple(c for c in named if c not in truth)
    denom = len(truth) + len(false_alarms)
    score = 1.0 if denom == 0 else len(found) / denom
    lines = []
    for c in found:
        lines.append(f"✔ 找到了：【{DEFECT_KINDS[c][0]}】{DEFECT_KINDS[c][1]}")
    for c in missed:
        lines.append(f"✘ 漏掉了：【{DEFECT_KINDS[c][0]}】{DEFECT_KINDS[c][1]}")
    for c in false_alarms:
        label = DEFECT_KINDS[c][0] if c in DEFECT_KINDS else c
        lines.append(f"✘ 误判：【{label}】这一栏在本指南中没有问题")
    if not lines:
        lines.append("✔ 本指南没有问题，判断正确")
    return DefectGrade(found, missed, false_alarms, round(score, 4), "\n".join(lines))


# The grader-only checker under their old names (see the module docstring).
__getattr__ = forward_keys(__name__, "defects",
                           frozenset({"check_guide", "make_defective_guide", "grade_defects"}))
