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
# # 小测：受理决定
#
# 合成数据。每道题作答后点“保存答案”，全部保存后回到门户点“提交”。

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck

ck.start()

# %% [markdown] nbgrader={"grade": false, "grade_id": "d-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：受理决定（2 分）

# %% nbgrader={"grade": false, "grade_id": "d-answer", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_q = ck.ask("d1", "申请材料齐全、符合法定形式，应当：", ck.choice("", ["当场受理", "不予受理", "让群众改天再来"]))
with ck.answer_key():
    ### BEGIN SOLUTION
    _q.set("当场受理"); _q.save()
    ### END SOLUTION
_q

# %% nbgrader={"grade": true, "grade_id": "d-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"} jupyter={"source_hidden": true}
# 检查：受理决定
_a = ck.saved("d1")
### BEGIN HIDDEN TESTS
_a = ck.require("d1")
assert _a == "当场受理", "材料齐全、符合法定形式的申请应当当场受理（《优化营商环境条例》第三十五条）"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "note-form", "locked": false, "schema_version": 3, "solution": true, "task": false} jupyter={"source_hidden": true}
_n = ck.ask("note", "第二题：用一句话说明什么是一次性告知（3 分，培训老师评分）", ck.text("", rows=3))
with ck.answer_key():
    ### BEGIN SOLUTION
    _n.set("一次性告知全部缺少的材料。"); _n.save()
    ### END SOLUTION
_n

# %% [markdown] nbgrader={"grade": false, "grade_id": "note", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": true} academy={"competence": "服务意识与流程优化"}
# **第二题（3 分，培训老师评分）** 培训老师根据上面保存的内容评分。
