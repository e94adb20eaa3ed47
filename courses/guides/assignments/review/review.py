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
# **本作业考查**（与两课的学习目标一一对应）：
# 1. 能找出办事指南里的错误（第一课）；
# 2. 能根据办理环节判断即办件还是承诺件（第一课）；
# 3. 能作出受理、容缺受理、告知承诺、补正、不予受理的决定，分清哪些问题当场更正、哪些要写进告知书（第二课）；
# 4. 能开出一次列全的一次性告知清单，写出群众看得懂的一次性告知单（第二课）。
#
# 本作业全部为 **合成数据**，每位学员拿到的指南和申请人都不一样。你不需要写代码：
# 1. 从学院门户打开时本页会自动运行（在 JupyterLab 中打开时，先点击菜单 **“运行 → 运行所有单元格”**）；
# 2. 在每道题的表单里作答，**每道题都要点“保存答案”**，表单下方会显示已经保存的内容——评分只看保存的内容；
# 3. 全部做完，点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。提交以前可以反复修改、反复保存。
#
# 评分办法：每道题按答对的部分给分（漏选、多选都会扣一部分分），提交评分后能看到每道题得了几分、扣分的原因。
# 正式评分的次数有限（以培训班通知为准），请做完、核对好再提交。
#
# | 题目 | 内容 | 分值 |
# |---|---|---|
# | 第一题 | 三份指南挑错 | 6 分 |
# | 第二题 | 即办件还是承诺件 | 2 分 |
# | 第三题 | 三位申请人的受理决定 | 6 分 |
# | 第四题 | 一次性告知清单 | 4 分 |
# | 第五题 | 写一份一次性告知单（培训老师评分） | 5 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
import coursekit as ck
from coursekit import casework as cw
from coursekit.cases import my_cases

ck.start()
ck.terms("办事指南", "即办件", "承诺件", "法定办结时限", "承诺办结时限", "受理", "不予受理", "补正", "当场更正",
         "容缺受理", "告知承诺", "一次性告知", "电子证照", "帮办代办")
CASES = my_cases()

# %% [markdown] nbgrader={"grade": false, "grade_id": "g-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：指南挑错（每份 2 分，共 6 分）
#
# 下面三份办事指南都有错误（可能不止一处）。请对照第一课学过的规则，在每份指南下面 **勾选它有的全部错误**，
# 然后点“保存答案”。每找对一处得分，漏找、误判都会扣分。

# %% nbgrader={"grade": false, "grade_id": "g1-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_guide_case(CASES.get("g1"))
ck.ask("g1", "第1份指南有哪些错误？", ck.checklist("", cw.DEFECT_LABELS))

# %% nbgrader={"grade": true, "grade_id": "g1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第一题之1（2 分） 评分时对照系统按规则核对的结果：找对的得分，漏找、误判扣分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("g1")

# %% nbgrader={"grade": false, "grade_id": "g2-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_guide_case(CASES.get("g2"))
ck.ask("g2", "第2份指南有哪些错误？", ck.checklist("", cw.DEFECT_LABELS))

# %% nbgrader={"grade": true, "grade_id": "g2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第一题之2（2 分） 评分时对照系统按规则核对的结果：找对的得分，漏找、误判扣分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("g2")

# %% nbgrader={"grade": false, "grade_id": "g3-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_guide_case(CASES.get("g3"))
ck.ask("g3", "第3份指南有哪些错误？", ck.checklist("", cw.DEFECT_LABELS))

# %% nbgrader={"grade": true, "grade_id": "g3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第一题之3（2 分） 评分时对照系统按规则核对的结果：找对的得分，漏找、误判扣分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("g3")

# %% [markdown] nbgrader={"grade": false, "grade_id": "k-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：即办件还是承诺件（2 分）
#
# 下面四个事项的“即办件/承诺件”和办结时限都被遮住了。请看它的 **办理流程**：窗口核对后就能出结果的是即办件；
# 要经过后台审查、现场核查、采集制证等环节的是承诺件。每个事项判断对得 0.5 分。

# %% nbgrader={"grade": false, "grade_id": "k-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
_names = cw.show_kind_case(CASES.get("kind"))
ck.ask("kind", "每个事项是即办件还是承诺件？", {n: ck.choice(n, ["即办件", "承诺件"]) for n in _names})

# %% nbgrader={"grade": true, "grade_id": "kind-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第二题（2 分） 每个事项判断对得 0.5 分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("kind")

# %% [markdown] nbgrader={"grade": false, "grade_id": "d-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：受理决定（每位 2 分，共 6 分）
#
# 三位（合成的）申请人来窗口办事。请对照指南的申请条件和材料清单审查每份申请：
# 1. 在 **受理、容缺受理、告知承诺、补正（一次性告知补正材料）、不予受理** 中选出决定；
# 2. 勾选要写进告知书、请申请人补交的 **全部材料**（缺少的、有瑕疵又不能当场改的、容缺后补的；已用电子证照调取的不算；没有就都不勾）；
# 3. 勾选窗口 **当场更正** 的材料（复印件不清、漏签名、表格没填全、份数不够——当场改好，不让群众再跑）。
#
# 决定占四成，告知材料占四成，当场更正占两成。

# %% nbgrader={"grade": false, "grade_id": "d1-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_application_case(CASES.get("d1"))
cw.decision_form("d1", "第1位申请人：受理决定", CASES.get("d1"))

# %% nbgrader={"grade": true, "grade_id": "d1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第三题之1（2 分） 决定 0.8 分，告知材料 0.8 分，当场更正 0.4 分；材料按列对的比例给分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("d1")

# %% nbgrader={"grade": false, "grade_id": "d2-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_application_case(CASES.get("d2"))
cw.decision_form("d2", "第2位申请人：受理决定", CASES.get("d2"))

# %% nbgrader={"grade": true, "grade_id": "d2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第三题之2（2 分） 决定 0.8 分，告知材料 0.8 分，当场更正 0.4 分；材料按列对的比例给分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("d2")

# %% nbgrader={"grade": false, "grade_id": "d3-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_application_case(CASES.get("d3"))
cw.decision_form("d3", "第3位申请人：受理决定", CASES.get("d3"))

# %% nbgrader={"grade": true, "grade_id": "d3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第三题之3（2 分） 决定 0.8 分，告知材料 0.8 分，当场更正 0.4 分；材料按列对的比例给分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("d3")

# %% [markdown] nbgrader={"grade": false, "grade_id": "o-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第四题：一次性告知清单（每位 2 分，共 4 分）
#
# 下面两位申请人的材料都不全。请勾出 **一次性告知单上必须写的全部材料**（缺少的、不合要求又不能当场改的都要写，
# 已经有电子证照可以免交的不要写），勾出窗口当场就能更正的材料，并选出这次能否先受理。

# %% nbgrader={"grade": false, "grade_id": "o1-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_application_case(CASES.get("o1"))
cw.notice_form("o1", "第4位申请人：一次性告知清单", CASES.get("o1"))

# %% nbgrader={"grade": true, "grade_id": "o1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第四题之1（2 分） 告知材料 1 分，当场更正 0.5 分，能否先受理 0.5 分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("o1")

# %% nbgrader={"grade": false, "grade_id": "o2-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
cw.show_application_case(CASES.get("o2"))
cw.notice_form("o2", "第5位申请人：一次性告知清单", CASES.get("o2"))

# %% nbgrader={"grade": true, "grade_id": "o2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "业务办理", "checker": true} jupyter={"source_hidden": true}
# 第四题之2（2 分） 告知材料 1 分，当场更正 0.5 分，能否先受理 0.5 分。
# （这里只显示是否已保存；对错和得分由评分程序在提交后判定。）
_a = ck.saved("o2")

# %% [markdown] nbgrader={"grade": false, "grade_id": "letter-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第五题：写一份一次性告知单（5 分，培训老师评分）
#
# 请给 **第4位申请人** 写一份一次性告知单，写在下面的表单里并保存。要像真的交给群众那样写，用群众听得懂的话。
# 内部用语（比如“逾期未告知即为受理”）是写给窗口自己看的，不要写给群众。
#
# **评分要点（培训老师按此评分）：**
#
# | 评分要点 | 分值 |
# |---|---|
# | 写明事项名称和申请人（姓名要遮挡，如 张\*丰） | 1 |
# | 一次列全需要补正的材料，每份写明要求（原件/复印件份数、纸质或电子） | 2 |
# | 写明补交的地点或网上入口、补交期限，以及窗口联系电话 | 1 |
# | 语言通俗、态度友善，主动提出本事项可用的便民办法（帮办代办、电子证照免交、网上补交；本事项不实行容缺受理的，不能许诺容缺） | 1 |

# %% nbgrader={"grade": false, "grade_id": "letter-form", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.ask("letter", "第4位申请人的一次性告知单", ck.text("", rows=12, placeholder="补正材料一次性告知书：……"))

# %% nbgrader={"grade": false, "grade_id": "letter-show", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.show_saved_text("letter", "已保存的一次性告知单（培训老师据此评分）")

# %% [markdown] nbgrader={"grade": false, "grade_id": "letter", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": true} academy={"competence": "业务办理", "checker": true, "rubric": [{"criterion": "写明事项名称和申请人（姓名遮挡）", "points": 1}, {"criterion": "一次列全需要补正的材料，每份写明要求", "points": 2}, {"criterion": "写明补交地点或网上入口、补交期限和窗口联系电话", "points": 1}, {"criterion": "语言通俗友善，主动提出本事项可用的便民办法（不许诺本事项没有的容缺受理）", "points": 1}]}
# **第五题（5 分，培训老师评分）** 培训老师根据上面“已保存”的内容评分。
#
# 评分要点：事项名称和申请人（姓名遮挡）1 分；一次列全需要补正的材料并写明要求 2 分；补交地点或网上入口、补交期限和联系电话 1 分；语言通俗友善、主动提出本事项可用的便民办法 1 分。

# %% [markdown] nbgrader={"grade": false, "grade_id": "end", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 提交之前
#
# 下面的表格列出每道题是否已经保存。全部显示“已保存”后，点本页上方（或学院门户“我的课程”里）的 **“提交作业”**。

# %% nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false} jupyter={"source_hidden": true}
ck.saved_summary(["g1", "g2", "g3", "kind", "d1", "d2", "d3", "o1", "o2", "letter"])
