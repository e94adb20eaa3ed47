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
# # 作业：走流程、找梗阻、提改进
#
# **本作业考查**（与两课的学习目标一一对应）：
# 1. 能从一段办事路里找出梗阻，说清它的根子（第一课）；
# 2. 能按定义找出迟滞：排队 30 分钟以上，或后台办理超过承诺时限（第一课）；
# 3. 知道跨省通办的三种方式各适合什么事项，会数一件事打包后少交的材料（第一课）；
# 4. 知道四种角色走流程时各自最先看到什么问题（第一课）；
# 5. 会用模拟大厅比较改进措施，提出真正管用的方案，写出改进建议书（第二课）。
#
# 本作业全部为 **合成数据**，每位学员拿到的办事路和事项都不一样。你不需要写代码：从学院门户打开时本页会自动运行（在 JupyterLab 中打开时，先点击菜单 **“运行 → 运行所有单元格”**），
# 在每道题的表单里作答，**每道题都要点“保存答案”**（评分只看保存的内容），最后点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。
# 每道题按答对的部分给分，提交评分后能看到每道题得了几分、扣分的原因；正式评分的次数有限，请核对好再提交。
#
# | 题目 | 内容 | 分值 |
# |---|---|---|
# | 第一题 | 化隆老人的办事路：梗阻和它的根子 | 2 分 |
# | 第二题 | 企业的办事路：迟滞 | 2 分 |
# | 第三题 | 跨省通办的方式 | 2 分 |
# | 第四题 | 一件事少交几份材料 | 2 分 |
# | 第五题 | 问题由哪种角色最先发现 | 2 分 |
# | 第六题 | 周一高峰改进方案（用你没见过的日子检验效果） | 6 分 |
# | 第七题 | 改进建议书（培训老师评分） | 6 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import journeys as jr
from coursekit.cases import my_cases

ck.start()
ck.terms("梗阻", "迟滞", "一次性告知", "跨省通办", "一件事", "帮办代办", "好差评", "延时服务", "错峰服务",
         "周末不打烊", "一把手进大厅", "政务服务体验员")
CASES = my_cases()

# %% [markdown] nbgrader={"grade": false, "grade_id": "b-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：化隆老人的办事路（2 分）
#
# 一位从化隆来的老人，不会说普通话，到县政务服务中心办事。下面是他的路线图、他第一次带来的材料，和窗口先后给他的两张告知书。
# 请回答：他一共跑了几趟？按照一次性告知的要求，**第一次** 到窗口时告知书上就该写哪些材料？他多跑的趟数，根子在哪里？
#
# 趟数 0.5 分，第一次就该告知的材料 1 分（按列对的比例给分），根子 0.5 分。

# %% nbgrader={"grade": false, "grade_id": "b-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
jr.show_farmer_case(CASES.get("blockage"))
jr.blockage_form("blockage", CASES.get("blockage"))

# %% nbgrader={"grade": true, "grade_id": "blockage-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化", "checker": true} jupyter={"source_hidden": true}
# 第一题（2 分） 趟数 0.5 分，第一次就该告知的材料 1 分，根子 0.5 分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("blockage")

# %% [markdown] nbgrader={"grade": false, "grade_id": "d-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：企业的办事路：迟滞（2 分）
#
# 一家企业的经办人到市政务服务中心办事，正赶上周一高峰、人手不足。下面的路线图只写了时刻和承诺时限。
# 请按定义勾出 **所有迟滞** 的环节：**排队等候 30 分钟以上**，或者 **后台办理超过了承诺的工作日**。
# 窗口办理时间长不算迟滞（复杂事项本来就要办得久）。找对的得分，漏找、误判都扣分。

# %% nbgrader={"grade": false, "grade_id": "d-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
_labels = jr.show_path_case(CASES.get("delay"), "企业经办人的办事路线图")
ck.ask("delay", "企业的路线图里，哪些环节是迟滞？", ck.checklist("", _labels))

# %% nbgrader={"grade": true, "grade_id": "delay-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化", "checker": true} jupyter={"source_hidden": true}
# 第二题（2 分） 找对的得分，漏找、误判扣分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("delay")

# %% [markdown] nbgrader={"grade": false, "grade_id": "x-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：跨省通办的方式（2 分）
#
# 三位在外地的群众要办家乡的事。请看每个事项“要怎样办”，选出它适合的跨省通办方式：
# **全程网办**、**异地代收代办**（务工地大厅收件，家乡审批，结果寄回）、**多地联办**（只去一地窗口，几地部门协同办理）。
# 每个事项判断对得 2/3 分。

# %% nbgrader={"grade": false, "grade_id": "x-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
_names = jr.show_cross_case(CASES.get("xsheng"))
ck.ask("xsheng", "每个事项用哪种跨省通办方式？", {n: ck.choice(n, ["全程网办", "异地代收代办", "多地联办"]) for n in _names})

# %% nbgrader={"grade": true, "grade_id": "xsheng-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第三题（2 分） 每个事项判断对得 2/3 分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("xsheng")

# %% [markdown] nbgrader={"grade": false, "grade_id": "bn-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第四题：一件事少交几份材料（2 分）
#
# 下面这件事涉及几个事项，表里列出每个事项分开办时要交的材料。请数一数：
# 1. **分开办**，一共要交几份材料（同一份材料在不同事项里各交一次，就算几份）；
# 2. **打包成一件事** 以后，一共还要交几份。
#
# 想一想：不同事项里名字不一样、其实是同一个人的同一张证件，要交几次？一件事里前一个事项办出来的证件，还要群众交吗？
# 每个数对得 1 分。

# %% nbgrader={"grade": false, "grade_id": "bn-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
jr.show_bundle_case(CASES.get("bundle"))
ck.ask("bundle", "一共交几份材料？", {"分开办": ck.number("分开办，一共交几份", minimum=0, maximum=60),
                                    "打包办": ck.number("打包成一件事以后，一共交几份", minimum=0, maximum=60)})

# %% nbgrader={"grade": true, "grade_id": "bundle-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化", "checker": true} jupyter={"source_hidden": true}
# 第四题（2 分） 分开办的份数 1 分，打包后的份数 1 分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("bundle")

# %% [markdown] nbgrader={"grade": false, "grade_id": "r-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第五题：问题由哪种角色最先发现（2 分）
#
# 以 **企业群众、帮办人员、经办人员、监督人员** 四种角色走流程，各自的眼光不一样（见第一课的表）。
# 下面四个问题，最可能是以哪种角色走流程时最先发现的？每个对得 0.5 分。

# %% nbgrader={"grade": false, "grade_id": "r-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
_problems = (CASES.get("roles") or {}).get("problems", [])
ck.ask("roles", "每个问题最先由哪种角色发现？", {p: ck.choice(p, jr.ROLES) for p in _problems})

# %% nbgrader={"grade": true, "grade_id": "roles-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化", "checker": true} jupyter={"source_hidden": true}
# 第五题（2 分） 每个问题对得 0.5 分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("roles")

# %% [markdown] nbgrader={"grade": false, "grade_id": "p-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第六题：周一高峰改进方案（6 分）
#
# 场景是 **“周一高峰/缺员”** 下的市政务服务中心。先看下面的表：哪几类窗口排队最长？再选择措施，
# 点 **“试一试”** 在模拟大厅里看效果（用的是练习用的日子），满意后点 **“保存答案”**。
#
# **评分办法**：评分时用 **你没见过的另外几周** 重新模拟你的方案：
# - 新增窗口 **不超过两个**（延时、预约等措施不限），超过两个不得分；
# - **90%群众的等候** 平均缩短 **三成五（35%）以上** 得满分，缩短得少的按比例给分（例如缩短两成，得 3 分）。
#
# 延时服务会让一部分群众改到傍晚来办，白天的长队才会变短；只加窗口、只延时，往往都不够，要组合起来。

# %% nbgrader={"grade": false, "grade_id": "p-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
jr.show_queues()
jr.proposal_form("proposal")

# %% nbgrader={"grade": true, "grade_id": "proposal-check", "locked": true, "points": 6, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化", "checker": true} jupyter={"source_hidden": true}
# 第六题（6 分） 用没见过的日子模拟：缩短三成五以上满分，不足的按比例给分；新增窗口超过两个不得分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("proposal")

# %% [markdown] nbgrader={"grade": false, "grade_id": "w-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第七题：改进建议书（6 分，培训老师评分）
#
# 以 **一把手进大厅** 或 **政务服务体验员** 的身份，给大厅写一份改进建议书（300 字左右），写在下面的表单里并保存。
# 可以引用第一题、第二题的路线图和第六题的模拟结果。
#
# **评分要点（培训老师按此评分）：**
#
# | 评分要点 | 分值 |
# |---|---|
# | 说明以什么角色、走了哪段流程，发现了哪些梗阻和迟滞（引用路线图或数据） | 2 |
# | 提出具体、可执行的改进措施（谁来做、什么时候完成） | 2 |
# | 用模拟的前后对比说明效果，并说明可能的代价或风险 | 1 |
# | 体现群众视角：照顾老年人、说方言的群众或外地务工人员，说明怎样回访和公开整改结果 | 1 |

# %% nbgrader={"grade": false, "grade_id": "improve-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.ask("improve", "改进建议书", ck.text("", rows=14, placeholder="我以……的身份……"))

# %% nbgrader={"grade": false, "grade_id": "improve-show", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.show_saved_text("improve", "已保存的改进建议书（培训老师据此评分）")

# %% [markdown] nbgrader={"grade": false, "grade_id": "improve", "locked": true, "points": 6, "schema_version": 3, "solution": false, "task": true} academy={"competence": "服务意识与流程优化", "checker": true, "rubric": [{"criterion": "说明角色和流程，指出梗阻和迟滞并引用数据", "points": 2}, {"criterion": "具体可执行的改进措施（责任人、完成时限）", "points": 2}, {"criterion": "用前后对比说明效果及代价或风险", "points": 1}, {"criterion": "群众视角：照顾特殊群体，回访和公开整改", "points": 1}]}
# **第七题（6 分，培训老师评分）** 培训老师根据上面“已保存”的内容评分。
#
# 评分要点：角色和流程、梗阻和迟滞并引用数据 2 分；具体可执行的改进措施（责任人、完成时限）2 分；前后对比说明效果及代价或风险 1 分；群众视角、回访和公开整改 1 分。

# %% [markdown] nbgrader={"grade": false, "grade_id": "end", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 提交之前
#
# 下面的表格列出每道题是否已经保存。全部显示“已保存”后，点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。

# %% nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.saved_summary(["blockage", "delay", "xsheng", "bundle", "roles", "proposal", "improve"])
