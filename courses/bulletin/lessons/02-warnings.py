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
# # 第二课：发现苗头，提前预警
#
# **学习目标**
# 1. 分清 **苗头性问题** 和季节性、全市性的正常增长（供暖季全市“供暖不热”都会增加）；
# 2. 会看某县区某类诉求的日受理量，定一条 **预警规则**：当天件数至少几件、是前几天日均的几倍时预警；
# 3. 知道预警规则要在“早发现”和“不误报”之间取舍，并用历史月份检验。
#
# 本课数据是 **合成数据**。

# %% jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import bulletinkit as bk

ck.start()
ck.terms("苗头性问题", "预警", "热点诉求", "环比", "月度通报")
CASES = bk.month_cases(20250702)
bk.month_label(CASES)

# %% [markdown]
# ## 一、哪些是苗头
#
# 下表列出本月比上月增加最多的几个“县区·分类”。有的只是季节变化（其他县区也在涨），
# 有的是某个小区、某个乡镇突然集中反映的同一件事——这才是要预警的苗头。
# 用下面的图看看它们每天的受理量：苗头往往是某一天突然冒出很多件。

# %% jupyter={"source_hidden": true}
bk.candidate_table(CASES["苗头"])

# %% jupyter={"source_hidden": true}
bk.DailyChart(CASES["本月"], CASES["上月"])

# %% [markdown]
# ## 二、定一条规则，用历史月份检验
#
# 规则：某县区某二级分类 **当天件数 ≥ 最少件数**，并且 **≥ 倍数 × 前 N 天的日均件数** 时预警。
# - 最少件数太小、倍数太低：天天报警，大家就不看了（误报）；
# - 太大：等到问题闹大才发现（漏报、迟报）。
#
# 填好三个数并保存，点“用练习月份试一试”：前两个月份里藏了一个集中诉求，第三个月份是平稳的。

# %% jupyter={"source_hidden": true}
_q = bk.rule_form("lesson-rule")
_q

# %% jupyter={"source_hidden": true}
bk.RuleTrial("lesson-rule", seeds=(20250703, 20250704), clean=(20250705,))

# %% [markdown]
# ## 小结
# - 苗头看“突然”和“集中”：同一县区、同一类事、几天内大量出现，而其他县区没有同步变化；
# - 预警规则既要早，又要少误报，用历史月份检验后再用；
# - 发出预警后要写清：什么问题、在哪里、多少件、建议谁在什么时间内处置（未诉先办）。
