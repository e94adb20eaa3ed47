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

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # 作业：编一个月的通报，定一条预警规则
#
# 本作业全部为 **合成数据**，每位学员拿到的是 **自己的一个月** 的工单明细（和上一个月的），和别人的不一样。
# 你不需要写代码：用透视表单算数，在表单里填写并保存；最后点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。
#
# 评分看的是 **口径和规则**：你的数字和系统按通报口径算出的数字比对（允许四舍五入误差）；
# 你选的口径会拿到 **另一个你没见过的月份** 上去算；你的预警规则会在 **几个你没见过的月份** 上试运行，
# 看它能否在集中诉求的高峰当天或之前发现、在平稳的月份里是否误报。
#
# | 评分项 | 分值 |
# |---|---|
# | 受理量 | 1 分 |
# | 按期办结率、满意率、响应率 | 3 分 |
# | 热点前五名和环比 | 2 分 |
# | 统计口径（在没见过的月份上复算） | 3 分 |
# | 预警规则（在没见过的月份上试运行） | 4 分 |
# | 本月哪些苗头应预警 | 2 分 |
# | 预警提示（培训老师评分） | 5 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import assigned, tables
from coursekit import bulletinkit as bk

ck.start()
ck.terms("月度通报", "按期办结率", "响应率", "满意率", "环比", "热点诉求", "苗头性问题", "预警")
CASES = assigned.cases(lambda: bk.month_cases(20250703))
bk.month_label(CASES)

# %% [markdown] nbgrader={"grade": false, "grade_id": "defs-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：统计口径（3 分）
#
# 为本月通报选定口径。评分时用你的口径去算另一个月，和通报的数字比对。

# %% nbgrader={"grade": false, "grade_id": "defs-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
bk.definitions_form("defs", order_key=CASES)

# %% nbgrader={"grade": true, "grade_id": "defs-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：统计口径
_a = ck.saved("defs")

# %% [markdown] nbgrader={"grade": false, "grade_id": "figures-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：本月主要指标和热点（6 分）
#
# 用透视表单从 **本月** 明细算出受理量和三个率（百分数保留一位小数，如 91.5），再找出件数最多的五个二级分类，
# 用 **上月** 明细算出它们的环比（百分数保留一位小数，下降填负数；上月没有这类工单的，环比不计算，填“—”）。

# %% nbgrader={"grade": false, "grade_id": "figures-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
display(tables.PivotForm(CASES["本月"], "本月工单透视"))
display(tables.PivotForm(CASES["上月"], "上月工单透视"))
display(bk.figures_form("figures"))
bk.hot_form("hot")

# %% nbgrader={"grade": true, "grade_id": "volume-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：受理量
_a = ck.saved("figures")

# %% nbgrader={"grade": true, "grade_id": "rates-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：三个率
_a = ck.saved("figures")

# %% nbgrader={"grade": true, "grade_id": "hot-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：热点前五名和环比
_a = ck.saved("hot")

# %% [markdown] nbgrader={"grade": false, "grade_id": "warn-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：苗头和预警规则（6 分）
#
# 先看本月增加较多的“县区·分类”和它们的日受理量，勾选 **应当发出预警** 的苗头（季节性、全市同步的增长不算）；
# 再定一条预警规则。规则会在你没见过的月份上试运行：在集中诉求高峰当天或之前发现得满分，晚了扣分，平稳月份误报扣分。

# %% nbgrader={"grade": false, "grade_id": "warn-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
display(bk.candidate_table(CASES["苗头"]))
display(bk.DailyChart(CASES["本月"], CASES["上月"]))
display(bk.flag_form("flags", CASES["苗头"]))
bk.rule_form("rule")

# %% nbgrader={"grade": true, "grade_id": "flag-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：本月苗头
_a = ck.saved("flags")

# %% nbgrader={"grade": true, "grade_id": "rule-check", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：预警规则
_a = ck.saved("rule")

# %% [markdown] nbgrader={"grade": false, "grade_id": "code-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 选做：用代码算（数据方向的起点，不另计分）
#
# 想用 pandas 的学员，可以在下面的空白单元格里把明细读成表格自己算，例如
# `import pandas as pd; df = pd.DataFrame(CASES["本月"]); df[df["派单"] == "是"]["按延期后时限办结"].eq("是").mean()`，
# 再用 `ck.save("figures", {"受理量": "…", "按期办结率": "…", "满意率": "…", "响应率": "…"})` 保存——
# 评分方法和用表单完全一样，只看保存的答案。

# %%


# %% [markdown] nbgrader={"grade": false, "grade_id": "brief-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第四题：预警提示（5 分，培训老师评分）
#
# 针对你勾选的苗头（没有就选增长最多的一个），以热线中心的名义写一份 **预警提示**（200 字左右），发给有关单位。
#
# | 评分要点 | 分值 |
# |---|---|
# | 写清什么问题、在哪里、什么时候起、多少件，数据和明细一致 | 2 |
# | 说明为什么是苗头（与上月、与其他县区相比） | 1 |
# | 明确承办单位和处置要求、反馈时限，体现未诉先办 | 1 |
# | 来电人信息不外泄，文字简明规范 | 1 |

# %% nbgrader={"grade": false, "grade_id": "brief-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
display(ck.ask("brief", "预警提示", ck.text("", rows=10, placeholder="关于……的预警提示")))
ck.show_saved_text("brief", "已保存的预警提示（培训老师据此评分）")

# %% [markdown] nbgrader={"grade": false, "grade_id": "brief-task", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": true} academy={"competence": "数据分析与技术应用", "rubric": [{"criterion": "写清问题、地点、起始时间和件数，与明细一致", "points": 2}, {"criterion": "说明为什么是苗头", "points": 1}, {"criterion": "明确承办单位、处置要求和反馈时限", "points": 1}, {"criterion": "信息不外泄，文字简明规范", "points": 1}]}
# **第四题（5 分，培训老师评分）** 评分要点：问题、地点、时间、件数 2 分；为什么是苗头 1 分；承办单位、处置要求和时限 1 分；信息不外泄、文字规范 1 分。

# %% nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.saved_summary(["defs", "figures", "hot", "flags", "rule", "brief"])
