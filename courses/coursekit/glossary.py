"""Official terms in plain words, as a pop-up trainees can open next to any exercise."""
from __future__ import annotations

import ipywidgets as W

from .testing import register as register_for_tests
from .display import esc

TERMS: dict[str, str] = {
    "办事指南": "告诉群众“办这件事要什么条件、带什么材料、去哪里、多久办完、收不收费”的说明书。每个政务服务事项都要有一份，内容要准确、完整、看得懂。",
    "受理": "窗口收下申请、开始办理。条件符合、材料齐全，就应当受理。",
    "不予受理": "申请事项依法不需要取得许可的，即时告知不受理；不属于本机关职权范围的，作出不予受理决定，告知向有关机关申请（《行政许可法》第三十二条）。申请人明显不具备申请主体资格（如不在本辖区、年龄不符）的，按本地受理规范告知不予受理。是否符合实体条件，是受理后审查的事，不符合的作出不予许可决定，说明理由并告知复议、诉讼权利（第三十八条）。材料不全不是不予受理的理由（那是补正）；有失信记录也不是（只是不能适用告知承诺和容缺受理）。",
    "补正": "材料不齐全或者不符合法定形式的，窗口当场或者在5日内一次性告知需要补正的全部内容，群众补齐后受理。逾期不告知的，自收到材料之日起即为受理。",
    "当场更正": "材料里能当场改的错误（复印件不清楚、漏了签名、表格没填全、份数不够），窗口允许申请人当场更正：帮着复印、指导补签补填，不让群众为这些小问题回家再跑一趟。",
    "一次性告知": "材料不全或不合要求时，窗口一次把缺的全部材料和要求讲清楚、写在告知单上，不让群众来回跑。法律规定要当场或者5日内告知，否则视为受理。",
    "容缺受理": "基本条件具备、主要材料齐全，只缺一两样次要材料时，先受理、先办理；申请人签承诺书，窗口出具容缺受理通知书，写明所缺材料和补齐期限。核心材料和涉及安全的材料不能容缺；失信申请人不适用。",
    "告知承诺": "政府把要求讲清楚，申请人书面承诺自己符合条件，就不用再交证明材料。承诺不实要停止办理、撤销决定并记入信用记录。由申请人自己选择要不要用。有严重失信记录或曾作出虚假承诺的，以及涉及国家安全、公共安全、生态环境、人身健康生命财产安全等事项，不适用。",
    "即办件": "材料齐全、当场就能办完的事项，指南里写“当场办结”。",
    "承诺件": "不能当场办完、承诺在若干个工作日内办结的事项，指南里写“N个工作日”。",
    "法定办结时限": "法律法规规定的最长办理期限。",
    "承诺办结时限": "窗口对外承诺的办理期限，只能比法定时限短或相等，不能更长。",
    "到现场次数": "办完这件事群众最多需要到大厅跑几次，“最多跑一次”就是1次，全程网办是0次。",
    "好差评": "群众对每次办事打分，分五级：非常满意、满意、基本满意、不满意、非常不满意。后两级是差评，要回访、整改、反馈。",
    "跨省通办": "在外省也能办家乡的事，或者在家乡办外省的事。有三种方式：全程网办、异地代收代办（这边收件、那边审批、结果寄回）、多地联办。",
    "一件事": "“高效办成一件事”：把一件事涉及的多个部门、多个事项打包，一次告知、一表申请、一套材料、一窗受理，比如新生儿出生一件事。",
    "帮办代办": "工作人员帮群众填表、准备材料、在网上操作，或者替群众跑腿代办，特别照顾老年人、残疾人和企业。",
    "免申即享": "符合条件的人不用申请，政府比对数据后直接兑现政策，本人确认一下就行。",
    "电子证照": "证件的电子版，和纸质证件一样有效。已经有电子证照的，窗口不应再要纸质复印件（免证办）。",
    "一窗受理": "不分部门，在综合窗口统一收件，后台分给各部门办理，群众只排一次队。",
    "绿色通道": "老年人、残疾人、孕妇等优先叫号、优先办理的安排。",
    "延时服务": "工作日下班时间到了，窗口延长服务时间（比如延到19:00），方便上班的群众下班后来办；到点还在排队的群众也继续办完。",
    "错峰服务": "中午不休息、错开上下班时间安排窗口（错时服务），让群众在午休时间也能办事，把高峰分散开。",
    "周末不打烊": "周六（或周末）开放部分窗口，办理高频事项，方便平时上班、上学的群众。",
    "首问负责": "群众第一个问到的工作人员负责到底：能办的马上办，不能办的讲清楚、带到或联系到负责的窗口，不推诿。",
    "梗阻": "办事路上卡住的地方：办不了、被退回、要来回跑、部门之间推来推去。",
    "迟滞": "办事路上慢下来的地方：排队太久、审批拖延、材料流转慢。",
    "我陪群众走流程": "干部以群众的身份（或陪着群众）从头到尾走一遍办事流程，亲身发现问题并整改。",
    "一把手进大厅": "部门主要负责人到政务大厅坐窗口、走流程、现场解决问题。",
    "政务服务体验员": "请群众、企业代表当体验员，亲自办事后反馈体验和建议。",
    "12345": "12345政务服务便民热线：群众反映问题、咨询、投诉的统一电话，7×24小时。",
}


def explain(term: str) -> str:
    try:
        return TERMS[term]
    except KeyError:
        raise KeyError(f"术语表里还没有“{term}”") from None


def term_html(term: str) -> str:
    """Inline HTML: the term underlined, its plain explanation on hover."""
    return (f'<abbr title="{esc(explain(term))}" style="text-decoration:underline dotted;cursor:help;">'
            f"{esc(term)}</abbr>")


class Glossary(W.VBox):
    """A 术语小词典 button; a click opens the plain explanation of the chosen term."""

    def __init__(self, terms: list[str] | None = None):
        names = list(terms or TERMS)
        for name in names:
            explain(name)
        self.picker = W.Dropdown(options=names, description="术语", layout=W.Layout(width="260px"))
        self.toggle = W.ToggleButton(value=False, description="术语小词典", icon="book",
                                     tooltip="打开或关闭术语解释")
        self.text = W.HTML()
        self.box = W.VBox([self.picker, self.text],
                          layout=W.Layout(display="none", border="1px solid #cbd5e0", padding="6px"))
        self.toggle.observe(self._on_toggle, names="value")
        self.picker.observe(self._on_pick, names="value")
        self._on_pick(None)
        super().__init__([self.toggle, self.box])
        register_for_tests(self)

    def _selftest(self) -> str:
        for t in self.picker.options:
            self.show(t)
        return self.text.value[:20]

    def _on_toggle(self, _change) -> None:
        self.box.layout.display = "flex" if self.toggle.value else "none"

    def _on_pick(self, _change) -> None:
        t = self.picker.value
        self.text.value = f"<b>{esc(t)}</b>：{esc(explain(t))}"

    def show(self, term: str) -> None:
        """Open the pop-up on one term (also a test hook)."""
        self.picker.value = term
        self.toggle.value = True


def glossary(*terms: str) -> Glossary:
    return Glossary(list(terms) or None)
