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
# # 作业：一周差评的整改与季度评估
#
# 本作业全部为 **合成数据**，每位学员的差评和季度数据都不一样。你不需要写代码：逐条办理差评、
# 用透视表单算出指标、写一份整改报告，每道题点“保存”，最后点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。
# 评分时系统把你的处理决定按好差评整改流程真正走一遍，按实际达到的回访率、按期整改率计分。
#
# | 评分项 | 分值 |
# |---|---|
# | 回访率 | 2 分 |
# | 整改还是解释说明 | 2 分 |
# | 只对误评、恶意差评申诉 | 3 分 |
# | 按期整改率 | 3 分 |
# | 季度指标计算 | 4 分 |
# | 按期整改率未达标单位 | 2 分 |
# | 整改报告（培训老师评分） | 5 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import assigned, tables
from coursekit import ratingdesk as rd
from sandbox.practice.rating_batch import exercise_cases

ck.start()
ck.terms("差评", "回访", "申诉", "差评率", "回访率", "整改率", "按期整改率")
CASES = assigned.cases(lambda: exercise_cases(20250302))

# %% [markdown] nbgrader={"grade": false, "grade_id": "batch-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：办理本周差评（共 10 分）
#
# 每条差评：先打勾“已回访核实”并保存，读核实情况（只写查到的事实，定性要你自己判断）；再选 **整改 / 解释说明 / 申诉**；
# 整改的选整改完成日期（核实情况里写了整改需要几个工作日：不早于这个时间，不晚于差评后 5 个工作日），点“保存本条”。

# %% nbgrader={"grade": false, "grade_id": "batch-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
rd.RatingDesk("batch", CASES["差评"])

# %% nbgrader={"grade": true, "grade_id": "callback-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：回访率
_a = ck.saved("batch")

# %% nbgrader={"grade": true, "grade_id": "handling-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：整改还是解释说明
_a = ck.saved("batch")

# %% nbgrader={"grade": true, "grade_id": "appeal-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：申诉
_a = ck.saved("batch")

# %% nbgrader={"grade": true, "grade_id": "ontime-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：按期整改率
_a = ck.saved("batch")

# %% [markdown] nbgrader={"grade": false, "grade_id": "eval-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：季度评估（共 6 分）
#
# 下面是本季度全部评价（每行一条）。用透视表单计算 **指定两个单位** 的四个指标，按百分数填写、保留一位小数（如 87.5；没有需整改的差评时整改率不计算，填“—”），
# 再勾选 **按期整改率低于 90%** 的全部单位。口径见第二课。

# %% nbgrader={"grade": false, "grade_id": "eval-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
display(tables.PivotForm(CASES["季度评价"], "本季度评价透视"))
_fields = {f"{u}·{m}": ck.text(f"{u} {m}（%）", rows=1, placeholder="如 87.5")
           for u in CASES["评估单位"] for m in ("差评率", "回访率", "整改率", "按期整改率")}
display(ck.ask("eval", "两个单位的四个指标", _fields))
_units = sorted({r["单位"] for r in CASES["季度评价"]})
ck.ask("floor", "按期整改率低于 90% 的单位", ck.checklist("", _units))

# %% nbgrader={"grade": true, "grade_id": "eval-check", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：季度指标
_a = ck.saved("eval")

# %% nbgrader={"grade": true, "grade_id": "floor-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"} jupyter={"source_hidden": true}
# 检查：未达标单位
_a = ck.saved("floor")

# %% [markdown] nbgrader={"grade": false, "grade_id": "report-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：整改报告（5 分，培训老师评分）
#
# 以单位好差评工作联络员的身份，写一份 **本季度差评整改情况和评估结论**（300 字左右）。
#
# | 评分要点 | 分值 |
# |---|---|
# | 用数据说明情况：差评数、回访率、整改率、按期整改率，口径正确 | 2 |
# | 点明未达标单位和主要问题（回访慢、整改慢、申诉不当等） | 1 |
# | 提出具体、可检查的整改措施和完成时限 | 1 |
# | 实事求是，不回避问题，不以申诉代替整改 | 1 |

# %% nbgrader={"grade": false, "grade_id": "report-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
display(ck.ask("report", "整改报告", ck.text("", rows=12, placeholder="本季度……")))
ck.show_saved_text("report", "已保存的整改报告（培训老师据此评分）")

# %% [markdown] nbgrader={"grade": false, "grade_id": "report-task", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": true} academy={"competence": "服务意识与流程优化", "rubric": [{"criterion": "用数据说明情况，口径正确", "points": 2}, {"criterion": "点明未达标单位和主要问题", "points": 1}, {"criterion": "具体可检查的整改措施和时限", "points": 1}, {"criterion": "实事求是，不以申诉代替整改", "points": 1}]}
# **第三题（5 分，培训老师评分）** 评分要点：数据和口径 2 分；未达标单位和问题 1 分；整改措施和时限 1 分；实事求是 1 分。

# %% nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.saved_summary(["batch", "eval", "floor", "report"])
