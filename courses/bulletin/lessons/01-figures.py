# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 第一课：一个月的数字——口径决定结果
#
# **学习目标**
# 1. 说出月度通报的六个部分：基本情况、办理情况、回访评价、热点分析、单位排名、预警与下步工作；
# 2. 掌握 **受理量、按期办结率、满意率、响应率** 的口径：哪些工单算进分子、哪些算进分母，基本满意怎么折算；
# 3. 会用筛选和分组表单（不用写代码）从工单明细算出这些数，会算 **环比**。
#
# 本课的工单都是 **合成数据**（一个月约 1,500 件，约为海东市估算月工单量的十二分之一）。

# %% jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import bulletinkit as bk
from coursekit import tables

ck.start()
ck.terms("月度通报", "按期办结率", "响应率", "满意率", "解决率", "环比", "热点诉求")
CASES = bk.month_cases(20250701)
bk.month_label(CASES)

# %% [markdown]
# ## 一、口径
#
# | 指标 | 分子 | 分母 |
# |---|---|---|
# | 受理量（来件总量） | 本月登记的全部诉求，含不予受理、并单、直接办结 | — |
# | 有效工单量 | 受理量 − 不予受理 − 并单 | — |
# | 响应率 | 在签收时限内签收的派单工单 | 派单工单 |
# | 按期办结率 | 在时限内办结的派单工单（同意延期的，按延期后的时限） | 派单工单 |
# | 满意率 | 满意（含非常满意）+ 0.6 × 基本满意 | 回访量 |
# | 环比 | 本月 − 上月 | 上月 |
#
# 受理量说明群众来了多少诉求，有效工单量说明真正要办的有多少，两者差距可能很大（如唐山市 2024 年 11 月受理 284,406 件、有效工单 195,532 件），通报里要写清用的是哪一个。
#
# 为什么按期办结率的分母是“派单工单”而不是全部受理？直接办结、不予受理、并单的工单没有交给单位办，
# 不能拿来考核单位；为什么满意率里基本满意只算 0.6？这是本地的考核口径，“基本满意”说明还有不足。
# 口径写进通报里，年年一致，各单位才能比。

# %% [markdown]
# ## 二、动手算
#
# 用下面的透视表单算本月的按期办结率：先筛选“派单 = 是”，统计列选“按延期后时限办结”，统计方式选“为‘是’的占比”。
# 再试试不筛选、或者换成“按原始时限办结”，看数字差多少。

# %% jupyter={"source_hidden": true}
tables.PivotForm(CASES["本月"], "本月工单透视（练习）")

# %% [markdown]
# 再选一选口径（不计分），保存后点下面的按钮，用你的口径算出本月数字，和通报比一比。

# %% jupyter={"source_hidden": true}
_q = bk.definitions_form("lesson-defs")
_q

# %% jupyter={"source_hidden": true}
import ipywidgets as W
from sandbox.hotline import drill
_out = W.HTML()
_run = drill.month_run(20250701)
_cur, _prev = drill.frames(_run)

def _compare(_b=None):
    mine = drill.figures(_cur, _prev, ck.load("lesson-defs") or {})
    ref = drill.figures(_cur, _prev, drill.BULLETIN_DEFINITIONS)
    rows = [(k, mine[k], ref[k]) for k in ("受理量", "按期办结率", "满意率", "响应率")]
    rows += [(f"热点 {h['分类']} 环比（%）", m["环比"], h["环比"]) for m, h in zip(mine["热点"], ref["热点"])]
    _out.value = ck.display.panel("你的口径和通报口径", ck.display.table_html(rows, ["指标", "你的口径", "通报口径"])).value
    return rows

_btn = W.Button(description="用我的口径算一算", button_style="success")
_btn.on_click(_compare)
_btn._selftest = lambda: _compare()  # driven headless by the tests
ck.testing.register(_btn)
W.VBox([_btn, _out])

# %% [markdown]
# ## 小结
# - 先定口径再算数：分母是派单还是全部、时限是原始还是延期后、基本满意折多少，都会改变结果；
# - 环比是和上个月比，同比才是和去年同月比；
# - 下一课学习怎样从日受理量里发现 **苗头性问题** 并及时预警。
