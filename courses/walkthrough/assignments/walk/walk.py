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
# 本作业全部为 **合成数据**。你不需要写代码：点击菜单 **“运行 → 运行全部单元格”**，
# 在每道题的表单里作答，**每道题都要点“保存答案”**（评分只看保存的内容），最后回到作业列表点 **“提交”**。
#
# | 题目 | 内容 | 分值 |
# |---|---|---|
# | 第一题 | 两段办事路：梗阻和迟滞 | 4 分 |
# | 第二题 | 拉面店老板：跨省通办 | 2 分 |
# | 第三题 | 新生儿出生一件事 | 2 分 |
# | 第四题 | 问题交给谁：四种角色 | 2 分 |
# | 第五题 | 周一高峰改进方案（用没见过的日子检验效果） | 6 分 |
# | 第六题 | 改进建议书（培训老师评分） | 6 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import journeys as jr

ck.start()
ck.terms("梗阻", "迟滞", "跨省通办", "一件事", "帮办代办", "一次性告知", "好差评", "延时服务", "一把手进大厅",
         "政务服务体验员")

# %% [markdown] nbgrader={"grade": false, "grade_id": "j-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：两段办事路上的梗阻和迟滞（4 分）
#
# 1. 一位从化隆来的老人，不会说普通话（只会说本民族语言或方言），到县政务服务中心办事。
#    请勾出他路线图里 **所有梗阻** 的环节（被卡住：回家补材料、转办交接、放弃离开）。（2 分）
# 2. 一家新企业的经办人到市政务服务中心办事，正赶上周一高峰、人手不足。
#    请勾出路线图里 **所有迟滞** 的环节（慢下来：排队等候 30 分钟以上，或者后台办理超过承诺时限、超期办结）。（2 分）

# %% nbgrader={"grade": false, "grade_id": "j-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_steps = jr.exercise_journey("farmer")
jr.show_journey(_steps, "化隆老农的办事路线图")
_q1 = ck.ask("blockage", "老农的路线图里，哪些环节是梗阻？", ck.checklist("", jr.step_labels(_steps)))
_steps2 = jr.exercise_journey("firm")
jr.show_journey(_steps2, "新企业经办人的办事路线图")
_q2 = ck.ask("delay", "企业的路线图里，哪些环节是迟滞？", ck.checklist("", jr.step_labels(_steps2)))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q1.set(jr.expected_blockages(_steps)); _q1.save()
    _q2.set(jr.expected_delays(_steps2)); _q2.save()
    ### END SOLUTION
display(_q1, _q2)

# %% nbgrader={"grade": true, "grade_id": "blockage-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：梗阻
_a = ck.saved("blockage")
### BEGIN HIDDEN TESTS
_a = ck.require("blockage")
assert sorted(_a) == sorted(jr.expected_blockages(jr.exercise_journey("farmer"))), "梗阻环节没有找全或找错了"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "delay-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：迟滞
_a = ck.saved("delay")
### BEGIN HIDDEN TESTS
_a = ck.require("delay")
assert sorted(_a) == sorted(jr.expected_delays(jr.exercise_journey("firm"))), "迟滞环节没有找全或找错了"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "x-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：拉面店老板的跨省通办（2 分）
#
# 一位化隆籍的拉面店老板常年在外省经营，身份证快到期了。请查看下面这个事项的指南，选出他 **不用回海东**
# 就能办成所用的跨省通办方式。

# %% nbgrader={"grade": false, "grade_id": "x-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_owner, _item = jr.noodle_case()
jr.show_noodle_case(_owner, _item)
_q = ck.ask("xsheng", "用哪种跨省通办方式？", ck.choice("", ["全程网办", "异地代收代办", "多地联办"]))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(_item.cross_province); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "xsheng-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：跨省通办方式
_a = ck.saved("xsheng")
### BEGIN HIDDEN TESTS
_a = ck.require("xsheng")
assert _a == jr.noodle_case()[1].cross_province, "这个事项的跨省通办方式不对"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "b-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：新生儿出生一件事（2 分）
#
# 一对新手父母要给孩子办出生医学证明、预防接种证、户口登记、医保参保、社保卡等。
# 分开办，每个事项都要交一遍材料；打包成“新生儿出生一件事”后，**重复的材料只交一次**。
# 请数一数：打包办理比分开办理 **一共少交几份材料**？（下表列出了每个事项的材料。）

# %% nbgrader={"grade": false, "grade_id": "b-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
jr.show_bundle("新生儿出生")
_q = ck.ask("bundle", "打包后一共少交几份材料？", ck.number("", minimum=0, maximum=50))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(jr.bundle_saving("新生儿出生")); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "bundle-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：一件事少交的材料
_a = ck.saved("bundle")
### BEGIN HIDDEN TESTS
_a = ck.require("bundle")
assert _a == jr.bundle_saving("新生儿出生"), "少交材料的份数不对"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "r-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第四题：问题交给谁（2 分）
#
# 走流程时发现了下面四个问题。按照四种角色的分工，每个问题 **首先由谁来解决**？四个都对才得分。

# %% nbgrader={"grade": false, "grade_id": "r-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_q = ck.ask("roles", "每个问题首先由谁来解决？",
            {p: ck.choice(p, jr.ROLES) for p in jr.ROLE_PROBLEMS})
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(dict(jr.ROLE_PROBLEMS)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "roles-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：四种角色
_a = ck.saved("roles")
### BEGIN HIDDEN TESTS
_a = ck.require("roles")
assert _a == dict(jr.ROLE_PROBLEMS), "有问题交错了角色"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "p-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第五题：周一高峰改进方案（6 分）
#
# 场景是 **“周一高峰/缺员”** 下的市政务服务中心。请在下面的方案表里选择你的改进措施，
# 先看下面的表：哪几类窗口排队最长？再选择措施，点 **“试一试”** 在模拟大厅里看效果（用的是练习用的日子），
# 满意后点 **“保存答案”**。
#
# **评分办法**：评分时会用 **你没见过的几段日子** 重新模拟你的方案。只要同时做到：
# - **90%群众的等候** 平均缩短 **三成（30%）以上**；
# - 新增窗口 **不超过两个**（延时、预约等措施不限）；
#
# 就得满分。所以要找真正管用的办法，而不是碰运气。

# %% nbgrader={"grade": false, "grade_id": "p-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
jr.show_queues()
_form = jr.proposal_form("proposal")
with ck.answer_key():
    ### BEGIN SOLUTION
    _form.set(jr.reference_proposal()); _form.save()
    ### END SOLUTION
_form

# %% nbgrader={"grade": true, "grade_id": "proposal-check", "locked": true, "points": 6, "schema_version": 3, "solution": false, "task": false} academy={"competence": "服务意识与流程优化"} jupyter={"source_hidden": true}
# 检查：改进方案（这里只看是否已保存；效果在评分时用没见过的日子检验）
_a = ck.saved("proposal")
### BEGIN HIDDEN TESTS
_a = ck.require("proposal")
_levers = jr.proposal_levers(_a)
assert jr.windows_added(_levers) <= 2, "新增窗口超过了两个"
_r = jr.evaluate_proposal(_levers, seeds=(9103, 9217, 9349))
assert _r["passed"], f"在检验用的日子里，90%群众的等候只缩短了 {_r['reduction']:.0%}，没有达到三成"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "w-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第六题：改进建议书（6 分，培训老师评分）
#
# 以 **一把手进大厅** 或 **政务服务体验员** 的身份，给大厅写一份改进建议书（300 字左右），
# 写在下面的表单里并保存。
#
# **评分要点（培训老师按此评分）：**
#
# | 评分要点 | 分值 |
# |---|---|
# | 说明以什么角色、走了哪段流程，发现了哪些梗阻和迟滞（引用路线图或数据） | 2 |
# | 提出具体、可执行的改进措施（谁来做、什么时候完成） | 2 |
# | 用模拟的前后对比说明效果，并说明可能的代价或风险 | 1 |
# | 体现群众视角：照顾老年人、说方言的群众或外地务工人员，说明怎样回访和公开整改结果 | 1 |

# %% nbgrader={"grade": false, "grade_id": "improve-form", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
# 第六题（人工评分，6 分）。评分要点：角色和流程、梗阻和迟滞并引用数据 2 分；具体可执行的措施 2 分；
# 前后对比说明效果及代价或风险 1 分；群众视角、回访和公开整改 1 分。培训老师看本格下方保存的建议书评分。
_q = ck.ask("improve", "改进建议书", ck.text("", rows=14, placeholder="我以……的身份……"))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(jr.sample_proposal_text()); _q.save()
    ### END SOLUTION
display(_q)
ck.show_saved_text("improve", "已保存的改进建议书（培训老师据此评分）")

# %% [markdown] nbgrader={"grade": false, "grade_id": "improve", "locked": true, "points": 6, "schema_version": 3, "solution": false, "task": true} academy={"competence": "服务意识与流程优化", "rubric": [{"criterion": "说明角色和流程，指出梗阻和迟滞并引用数据", "points": 2}, {"criterion": "具体可执行的改进措施（责任人、完成时限）", "points": 2}, {"criterion": "用前后对比说明效果及代价或风险", "points": 1}, {"criterion": "群众视角：照顾特殊群体，回访和公开整改", "points": 1}]}
# **第六题（6 分，培训老师评分）** 培训老师根据上面“已保存”的内容评分。
#
# 评分要点：角色和流程、梗阻和迟滞并引用数据 2 分；具体可执行的改进措施（责任人、完成时限）2 分；前后对比说明效果及代价或风险 1 分；群众视角、回访和公开整改 1 分。

# %% [markdown] nbgrader={"grade": false, "grade_id": "end", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 提交之前
#
# 下面的表格列出每道题是否已经保存。全部显示“已保存”后，回到作业列表点 **“提交”**。

# %% nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.saved_summary(["blockage", "delay", "xsheng", "bundle", "roles", "proposal", "improve"])
