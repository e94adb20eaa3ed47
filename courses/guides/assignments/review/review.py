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
# # 作业：指南挑错与受理审查
#
# 本作业全部为 **合成数据**。你不需要写代码：
# 1. 点击菜单 **“运行 → 运行全部单元格”**；
# 2. 在每道题的表单里作答，**每道题都要点“保存答案”**，表单下方会显示已经保存的内容——评分只看保存的内容；
# 3. 全部做完，回到作业列表点 **“提交”**。提交以前可以反复修改、反复保存。
#
# 带“检查”字样的单元格用于评分，不要修改；它们只告诉你“是否已保存、格式对不对”，对错在提交评分后才看得到。
#
# | 题目 | 内容 | 分值 |
# |---|---|---|
# | 第一题 | 三份指南挑错 | 6 分 |
# | 第二题 | 即办件还是承诺件 | 2 分 |
# | 第三题 | 三份申请的受理决定 | 6 分 |
# | 第四题 | 一次性告知清单 | 4 分 |
# | 第五题 | 写一份一次性告知单（培训老师评分） | 5 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import casework as cw

ck.start()
ck.terms("办事指南", "即办件", "承诺件", "法定办结时限", "承诺办结时限", "受理", "不予受理", "容缺受理",
            "告知承诺", "一次性告知", "电子证照")

# %% [markdown] nbgrader={"grade": false, "grade_id": "g-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：指南挑错（每份 2 分，共 6 分）
#
# 下面三份办事指南都有错误（可能不止一处）。请对照上一课学过的规则，在每份指南下面 **勾选它有的全部错误**，
# 然后点“保存答案”。漏选或多选都不得分。

# %% nbgrader={"grade": false, "grade_id": "g1-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
cw.show_exercise_guide(1)
_q = ck.ask("g1", "第1份指南有哪些错误？", ck.checklist("", cw.DEFECT_LABELS))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_defects(1)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "g1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第1份指南
_a = ck.saved("g1")
### BEGIN HIDDEN TESTS
_a = ck.require("g1")
assert sorted(_a) == sorted(cw.expected_defects(1)), "第1份指南的错误没有找全或找错了"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "g2-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
cw.show_exercise_guide(2)
_q = ck.ask("g2", "第2份指南有哪些错误？", ck.checklist("", cw.DEFECT_LABELS))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_defects(2)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "g2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第2份指南
_a = ck.saved("g2")
### BEGIN HIDDEN TESTS
_a = ck.require("g2")
assert sorted(_a) == sorted(cw.expected_defects(2)), "第2份指南的错误没有找全或找错了"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "g3-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
cw.show_exercise_guide(3)
_q = ck.ask("g3", "第3份指南有哪些错误？", ck.checklist("", cw.DEFECT_LABELS))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_defects(3)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "g3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第3份指南
_a = ck.saved("g3")
### BEGIN HIDDEN TESTS
_a = ck.require("g3")
assert sorted(_a) == sorted(cw.expected_defects(3)), "第3份指南的错误没有找全或找错了"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "k-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：即办件还是承诺件（2 分）
#
# 下面四个事项的指南里，“即办件/承诺件”一栏被遮住了。请看它的办理流程和时限，判断每个事项是即办件还是承诺件。
# 四个都判断对才得分。

# %% nbgrader={"grade": false, "grade_id": "k-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_items = cw.kind_exercise_items()
cw.show_kind_items(_items)
_q = ck.ask("kind", "每个事项是即办件还是承诺件？",
            {it.name: ck.choice(it.name, ["即办件", "承诺件"]) for it in _items})
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set({it.name: it.kind_label for it in _items}); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "kind-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：即办件还是承诺件
_a = ck.saved("kind")
### BEGIN HIDDEN TESTS
_a = ck.require("kind")
assert _a == {it.name: it.kind_label for it in cw.kind_exercise_items()}, "有事项判断错了"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "d-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：受理决定（每份 2 分，共 6 分）
#
# 三位（合成的）申请人来窗口办事。请对照指南的申请条件和材料清单审查每份申请，
# 在 **受理、容缺受理、告知承诺、补正（一次性告知补正材料）、不予受理** 中选择正确的决定，并勾选要写进告知书的 **全部材料**
# （缺少的、有瑕疵的、容缺后补的；已用电子证照调取的不算；没有就都不勾）。
# 决定和材料都对才得分。

# %% nbgrader={"grade": false, "grade_id": "d1-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_app = cw.exercise_application(1)
cw.show_application(_app)
_q = cw.decision_form("d1", "第1份申请", _app)
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_decision(_app)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "d1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第1份申请
_a = ck.saved("d1")
### BEGIN HIDDEN TESTS
_a = ck.require("d1")
_e = cw.expected_decision(cw.exercise_application(1))
assert _a["决定"] == _e["决定"], "决定不对"
assert sorted(_a["缺少材料"]) == sorted(_e["缺少材料"]), "缺少的材料没有找对"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "d2-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_app = cw.exercise_application(2)
cw.show_application(_app)
_q = cw.decision_form("d2", "第2份申请", _app)
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_decision(_app)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "d2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第2份申请
_a = ck.saved("d2")
### BEGIN HIDDEN TESTS
_a = ck.require("d2")
_e = cw.expected_decision(cw.exercise_application(2))
assert _a["决定"] == _e["决定"], "决定不对"
assert sorted(_a["缺少材料"]) == sorted(_e["缺少材料"]), "缺少的材料没有找对"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "d3-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_app = cw.exercise_application(3)
cw.show_application(_app)
_q = cw.decision_form("d3", "第3份申请", _app)
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_decision(_app)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "d3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第3份申请
_a = ck.saved("d3")
### BEGIN HIDDEN TESTS
_a = ck.require("d3")
_e = cw.expected_decision(cw.exercise_application(3))
assert _a["决定"] == _e["决定"], "决定不对"
assert sorted(_a["缺少材料"]) == sorted(_e["缺少材料"]), "缺少的材料没有找对"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "o-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第四题：一次性告知清单（每份 2 分，共 4 分）
#
# 下面两位申请人的材料都不全。请勾出 **一次性告知单上必须写的全部材料**（缺少的、不合要求的都要写，
# 已经有电子证照可以免交的不要写），并选出这次能否先受理。

# %% nbgrader={"grade": false, "grade_id": "o1-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_app = cw.exercise_application(4)
cw.show_application(_app)
_q = cw.notice_form("o1", "第4位申请人：一次性告知清单", _app)
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_notice(_app)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "o1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第4位申请人的一次性告知清单
_a = ck.saved("o1")
### BEGIN HIDDEN TESTS
_a = ck.require("o1")
_e = cw.expected_notice(cw.exercise_application(4))
assert sorted(_a["告知材料"]) == sorted(_e["告知材料"]), "告知单上的材料不全或有多余"
assert _a["能否先受理"] == _e["能否先受理"], "能否先受理判断不对"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "o2-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_app = cw.exercise_application(5)
cw.show_application(_app)
_q = cw.notice_form("o2", "第5位申请人：一次性告知清单", _app)
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.expected_notice(_app)); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "o2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：第5位申请人的一次性告知清单
_a = ck.saved("o2")
### BEGIN HIDDEN TESTS
_a = ck.require("o2")
_e = cw.expected_notice(cw.exercise_application(5))
assert sorted(_a["告知材料"]) == sorted(_e["告知材料"]), "告知单上的材料不全或有多余"
assert _a["能否先受理"] == _e["能否先受理"], "能否先受理判断不对"
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "letter-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第五题：写一份一次性告知单（5 分，培训老师评分）
#
# 请给 **第4位申请人** 写一份一次性告知单，写在下面的表单里并保存。要像真的交给群众那样写，用群众听得懂的话。
#
# **评分要点（培训老师按此评分）：**
#
# | 评分要点 | 分值 |
# |---|---|
# | 写明事项名称和申请人（姓名要遮挡，如 张\*丰） | 1 |
# | 一次列全缺少或不合要求的材料，每份写明要求（原件/复印件份数、纸质或电子） | 2 |
# | 写明补交的地点或网上入口、期限，以及窗口联系电话 | 1 |
# | 语言通俗、态度友善，主动提出帮办代办、容缺受理或电子证照等便民办法 | 1 |

# %% nbgrader={"grade": false, "grade_id": "letter-form", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
# 第五题（人工评分，5 分）。评分要点：事项名称和申请人（姓名遮挡）1 分；一次列全缺少或不合要求的材料并写明要求 2 分；
# 补交地点或网上入口、期限和联系电话 1 分；语言通俗友善、主动提出便民办法 1 分。
# 培训老师看本格下方“已保存的一次性告知单”评分。
_q = ck.ask("letter", "第4位申请人的一次性告知单", ck.text("", rows=12, placeholder="一次性告知单：……"))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set(cw.sample_notice_letter(cw.exercise_application(4))); _q.save()
    ### END SOLUTION
display(_q)
ck.show_saved_text("letter", "已保存的一次性告知单（培训老师据此评分）")

# %% [markdown] nbgrader={"grade": false, "grade_id": "letter", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": true} academy={"competence": "业务办理", "rubric": [{"criterion": "写明事项名称和申请人（姓名遮挡）", "points": 1}, {"criterion": "一次列全缺少或不合要求的材料并写明要求", "points": 2}, {"criterion": "写明补交地点或网上入口、期限和联系电话", "points": 1}, {"criterion": "语言通俗友善，主动提出便民办法", "points": 1}]}
# **第五题（5 分，培训老师评分）** 培训老师根据上面“已保存”的内容评分。
#
# 评分要点：事项名称和申请人（姓名遮挡）1 分；一次列全缺少或不合要求的材料并写明要求 2 分；补交地点或网上入口、期限和联系电话 1 分；语言通俗友善、主动提出便民办法 1 分。

# %% [markdown] nbgrader={"grade": false, "grade_id": "end", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 提交之前
#
# 下面的表格列出每道题是否已经保存。全部显示“已保存”后，回到作业列表点 **“提交”**。

# %% nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.saved_summary(["g1", "g2", "g3", "kind", "d1", "d2", "d3", "o1", "o2", "letter"])
