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
# # 作业：办理一个班次的工单
#
# 本作业全部为 **合成数据**。每位学员拿到的是 **自己的一个班次**（约 30 件工单），和别人的都不一样。你不需要写代码：
# 1. 从学院门户打开时本页会自动运行（在 JupyterLab 中打开时，先点击菜单 **“运行 → 运行所有单元格”**）；
# 2. 在工单台里逐件办理：选处理方式、类型、分类，派单的查派单目录确定主办、协办，每件点 **“保存本单”**；
# 3. 写好第二题的回访答复并保存；全部做完，点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。
#
# 评分时，系统把你保存的每个决定通过热线系统真正执行一遍（派错了会被退单、错误延期会被系统拒绝、
# 不同意正当延期会导致超期），按结果计分，并逐件告诉你错在哪里、依据哪条规则。
#
# | 评分项 | 内容 | 分值 |
# |---|---|---|
# | 分类 | 类型和二级分类 | 3 分 |
# | 一次派准 | 主办、协办单位按派单目录 | 4 分 |
# | 直接办结 | 知识库能答的咨询当场办结、口径选对 | 2 分 |
# | 不予受理 | 依法应通过其他程序解决、涉密、涉及他人隐私、违反公序良俗的诉求不予受理，理由选对；错误不予受理不得分 | 3 分 |
# | 并单 | 重复诉求并入正确的工单 | 2 分 |
# | 退单审核 | 理由成立的改派给目录主办职能部门、不推给乡镇；理由不成立的驳回退单 | 2 分 |
# | 延期审核 | 同意或不同意延期申请 | 2 分 |
# | 按期办结 | 你的办理使工单按期办结的比例 | 4 分 |
# | 回访答复 | 写一段回访答复（培训老师评分） | 5 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import assigned
from coursekit import tickets as tk
from sandbox.hotline.desk import make_queue

ck.start()
ck.terms("派单目录", "主办单位", "协办单位", "直接办结", "知识库", "并单", "不予受理", "退单", "改派", "延期", "回访")
CASES = assigned.cases(lambda: make_queue(20250602).public())

# %% [markdown] nbgrader={"grade": false, "grade_id": "desk-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：办理你的工单（共 22 分）
#
# 下面是你的工单台。左上角显示已保存的件数。“新工单”要选处理方式；“退单待审核”要先查派单目录，再选改派（并选改派单位）或驳回退单；
# “延期申请”要选同意或不同意。派单目录可以在工单台里直接查，也可以用下面的目录查询。

# %% nbgrader={"grade": false, "grade_id": "desk-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
tk.catalogue_lookup()

# %% jupyter={"source_hidden": true}
_desk = tk.QueueDesk("queue", CASES)
_desk

# %% nbgrader={"grade": true, "grade_id": "classify-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：分类（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% nbgrader={"grade": true, "grade_id": "route-check", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：一次派准（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% nbgrader={"grade": true, "grade_id": "direct-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：直接办结（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% nbgrader={"grade": true, "grade_id": "refuse-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：不予受理（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% nbgrader={"grade": true, "grade_id": "merge-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：并单（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% nbgrader={"grade": true, "grade_id": "return-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：退单审核（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% nbgrader={"grade": true, "grade_id": "extend-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：延期审核（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% nbgrader={"grade": true, "grade_id": "ontime-check", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：按期办结（评分时由系统按你保存的处理决定把工单真正走一遍）
_a = ck.saved("queue")

# %% [markdown] nbgrader={"grade": false, "grade_id": "reply-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：回访答复（5 分，培训老师评分）
#
# 从你的队列里选 **一件投诉类工单**，假设承办单位已经办结，请你以热线话务员的身份写一段 **回访时对来电人说的话**
# （含工单编号）：核实办理结果、说明依据、询问是否解决和满意、告诉对方还有问题怎么办。
#
# **评分要点（培训老师按此评分）：**
#
# | 评分要点 | 分值 |
# |---|---|
# | 写明工单编号，称呼得体，来电人信息不外泄（不写全名、全号码） | 1 |
# | 说清承办单位做了什么、依据是什么，和诉求一一对应 | 2 |
# | 询问是否解决、是否满意，未解决的说明会重新交办 | 1 |
# | 语言通俗、态度诚恳，告知后续反映渠道 | 1 |

# %% nbgrader={"grade": false, "grade_id": "reply-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
_q = ck.ask("reply", "回访答复", ck.text("", rows=10, placeholder="您好，我是12345热线……"))
display(_q)
ck.show_saved_text("reply", "已保存的回访答复（培训老师据此评分）")

# %% [markdown] nbgrader={"grade": false, "grade_id": "reply-task", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": true} academy={"competence": "服务意识与流程优化", "rubric": [{"criterion": "写明工单编号，称呼得体，来电人信息不外泄", "points": 1}, {"criterion": "说清承办单位做了什么、依据是什么，与诉求对应", "points": 2}, {"criterion": "询问是否解决、是否满意，未解决的重新交办", "points": 1}, {"criterion": "语言通俗、态度诚恳，告知后续反映渠道", "points": 1}]}
# **第二题（5 分，培训老师评分）** 培训老师根据上面“已保存”的内容评分。
#
# 评分要点：工单编号、称呼得体、信息不外泄 1 分；说清办理结果和依据 2 分；询问是否解决和满意 1 分；语言通俗、告知后续渠道 1 分。

# %% [markdown] nbgrader={"grade": false, "grade_id": "end", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 提交之前
#
# 下面列出两道题是否已经保存。工单台显示“已保存 30 / 30”左右、回访答复已保存后，点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。

# %% nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.saved_summary(["queue", "reply"])
