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
# # 练习一：办件数据核对
#
# 本练习使用的全部数据均为**合成数据**，不涉及真实人员和企业。
#
# 某县政务服务大厅一周内的办件记录如下。请按提示补全代码，点击“运行”检查结果，
# 完成后在作业列表中点击“提交”。带有“检查”字样的单元格供你自查；提交后由评分程序用更多的数据
# 检查你写的函数（评分时只运行你的代码，检查单元格不运行）。

# %% nbgrader={"grade": false, "grade_id": "data", "locked": true, "schema_version": 3, "solution": false, "task": false}
# 合成数据：每条记录 = (办件编号, 承诺时限/工作日, 实际用时/工作日)
records = [
    ("HD2026-0001", 5, 3),
    ("HD2026-0002", 5, 6),
    ("HD2026-0003", 1, 1),
    ("HD2026-0004", 10, 12),
    ("HD2026-0005", 3, 2),
]

# %% [markdown] nbgrader={"grade": false, "grade_id": "q1-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：按时办结率（2 分）
#
# 写出函数 `on_time_rate(records)`，返回实际用时不超过承诺时限的办件所占比例（0 到 1 之间的小数）。

# %% nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def on_time_rate(records):
    ### BEGIN SOLUTION
    if not records:
        return 0.0
    on_time = sum(1 for _, promised, used in records if used <= promised)
    return on_time / len(records)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"}
# 检查：按时办结率
_r = on_time_rate(records)
assert type(_r) is float, "结果应当是小数（float）"
assert abs(_r - 0.6) < 1e-9, "示例数据的按时办结率应为 0.6"

# %% [markdown] nbgrader={"grade": false, "grade_id": "q2-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：找出超期办件（3 分）
#
# 写出函数 `overdue_ids(records)`，按原顺序返回所有超期办件（实际用时大于承诺时限）的办件编号列表。

# %% nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def overdue_ids(records):
    ### BEGIN SOLUTION
    return [case_id for case_id, promised, used in records if used > promised]
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理"}
# 检查：超期办件
_ids = overdue_ids(records)
assert type(_ids) is list, "结果应当是列表（list）"
assert [type(x) for x in _ids] == [str] * len(_ids), "列表里应当是办件编号（文字）"
assert list(_ids) == ["HD2026-0002", "HD2026-0004"], "示例数据中应有两件超期"

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：一次性告知（5 分，人工评分）
#
# 一位群众第三次来窗口补交材料。请用自己的话写出：窗口人员应当如何做到“一次性告知”，
# 以避免群众多次跑腿？
#
# **评分要点（培训师按此评分）：**
#
# | 评分要点 | 分值 |
# |---|---|
# | 一次性列明全部缺少的材料及要求 | 2 |
# | 提供书面告知单（或电子告知），并说明补交方式和时限 | 2 |
# | 体现服务意识：主动解释、提出容缺受理或帮办等便民措施 | 1 |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q3-answer", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} academy={"competence": "服务意识与流程优化", "rubric": [{"criterion": "一次性列明全部缺少的材料及要求", "points": 2}, {"criterion": "提供书面告知单并说明补交方式和时限", "points": 2}, {"criterion": "体现服务意识：主动解释、容缺受理或帮办", "points": 1}]}
# 在这里写下你的回答。
#
# === BEGIN MARK SCHEME ===
# 参考要点：一次性列明缺少材料；出具书面一次性告知单；说明补交渠道与时限；可容缺受理的先受理。
# === END MARK SCHEME ===
