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
# # 第二课：评估考核——四个率怎么算
#
# **学习目标**
# 1. 会按统一口径计算 **差评率、回访率、整改率、按期整改率**，知道每个率的分子分母；
# 2. 会用筛选和分组表单从一个季度的评价中算出各单位的指标；
# 3. 能据此写出评估结论：哪个单位整改不及时、问题出在哪。
#
# 本课数据是 **合成数据**。

# %% jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import tables
from sandbox.practice.rating_batch import quarter_table

ck.start()
ck.terms("差评率", "回访率", "整改率", "按期整改率", "申诉")

# %% [markdown]
# ## 一、口径（一个指标只有一个意思）
#
# | 指标 | 分子 | 分母 |
# |---|---|---|
# | 差评率 | 差评（申诉作废的除外） | 全部评价（申诉作废的除外） |
# | 回访率 | 已回访核实的差评 | 全部差评（**含** 后来作废的：回访在先） |
# | 整改率 | 已整改的 | 核实属实、需要整改的（未作废） |
# | 按期整改率 | 期限内整改完的 | 核实属实、需要整改的（未作废） |
#
# 常见错误：整改率的分母用了全部差评（把解释说明、申诉作废的也算进去）；差评率没剔除作废的。

# %% [markdown]
# ## 二、动手算
#
# 下面是一个季度（练习数据）的全部评价，每行一条。选“筛选列 = 单位”，再选统计“为‘是’的占比”，
# 统计列选“按期整改”，分组选“单位”……想一想：分母对不对？需要先筛选“核实属实需整改 = 是”吗？

# %% jupyter={"source_hidden": true}
_rows, _ = quarter_table(20250401)
tables.PivotForm(_rows, "季度评价透视（练习）")

# %% [markdown]
# ## 小结
# - 先定口径、再算数；分母错了，排名就错了；
# - 按期整改率低的单位，要查是回访慢、整改慢，还是答复慢；评估结论要有数、有因、有措施。
