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
# # 选做：用 pandas 编通报、定预警（数据分析入门）
#
# 本作业是 **选做** 的，不影响本课程的结业：结业只看“编一个月的通报，定一条预警规则”那份表单作业。
# 想学着用代码做数据分析的学员可以做这一份，它是学院“数据分析”系列的第一步。
#
# 本作业全部为 **合成数据**。你要用 pandas 写几个函数，算出一个月的通报数字，并写一条每日预警规则。
# 下面先用一个 **练习月份** 示范，每道题后面的“检查”单元格可以自查。
#
# 评分时 **只运行你写的代码**，检查单元格不运行：评分程序把 **几个你没见过的月份** 的工单表交给你的函数，
# 把结果和按本课通报口径算出的数字比对（率不要自己四舍五入，保留原始小数即可；允许的误差只有 0.0006），
# 并把你的预警规则放到没见过的月份上试运行：看它能否在集中诉求的高峰当天或之前发出预警，在平稳的月份里是否误报。
#
# | 评分项 | 分值 |
# |---|---|
# | 第一题 受理量 | 1 分 |
# | 第二题 按期办结率 | 2 分 |
# | 第三题 满意率 | 2 分 |
# | 第四题 响应率 | 2 分 |
# | 第五题 热点前五名和环比 | 3 分 |
# | 第六题 预警规则 | 4 分 |
# | 第七题 通报段落（培训老师评分） | 4 分 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# 练习月份（合成数据）：本月和上月的工单明细，列和课上的工单表相同
import pandas as pd

from sandbox.hotline import bulletin, drill

_cur, _prev, PRACTICE_MONTH, _hot = drill.month_frames(20250703)
this_month = pd.DataFrame(drill.public_rows(_cur))
last_month = pd.DataFrame(drill.public_rows(_prev))
OFFICIAL = bulletin.month_figures(_cur, _prev)  # 练习月份的通报数字，供自查
print(f"练习月份 {PRACTICE_MONTH}：本月 {len(this_month)} 件，上月 {len(last_month)} 件（合成数据）")
this_month.head()

# %% [markdown] nbgrader={"grade": false, "grade_id": "example-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 示范：在表里筛选、计数
#
# 工单表每行一件工单。“派单”“已回访”“按时签收”等列的值是“是”或“否”。用 pandas 筛选和计数的写法：
#
# - `this_month[this_month["派单"] == "是"]`：只留下派单的工单；
# - `len(表)`：件数；`(表["列"] == "是").sum()`：某列为“是”的件数；
# - `表["状态"].isin(["不予受理", "已并单"])`：状态是其中之一的为 True；前面加 `~` 表示“不是”，即排除这些工单；
# - `表["二级分类"].value_counts()`：每个二级分类的件数，从多到少排好。
#
# 下面这个示范函数算 **直接办结率**（直接办结 / 有效工单；有效工单 = 受理量 − 不予受理 − 并单），
# 和通报的数字比对。后面的题目照这个样子写。率一律返回 **0 到 1 之间的小数**
# （和表单作业不同：这里不换算成百分数，91.5% 写成 0.915）；分母为 0 时返回 `None`（通报上写“—”）。

# %% nbgrader={"grade": false, "grade_id": "example", "locked": true, "schema_version": 3, "solution": false, "task": false}
def direct_rate(df):
    valid = df[~df["状态"].isin(["不予受理", "已并单"])]
    if len(valid) == 0:
        return None
    return (valid["直接办结"] == "是").sum() / len(valid)


print("你的直接办结率：", round(direct_rate(this_month), 4), " 通报：", OFFICIAL["rates"]["直接办结率"])

# %% [markdown] nbgrader={"grade": false, "grade_id": "q1-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第一题：受理量（1 分）
#
# 写出 `received(df)`：返回本月的 **受理量**（整数）。受理量是本月登记的全部工单，
# 不予受理的、并单的、直接办结的都算在内。

# %% nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def received(df):
    ### BEGIN SOLUTION
    return int(len(df))
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "volume-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"}
# 检查：受理量（练习月份）
assert received(this_month) == OFFICIAL["rates"]["受理量"], "受理量应为本月登记的全部工单"
print("受理量正确")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q2-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第二题：按期办结率（2 分）
#
# 写出 `on_time_rate(df)`。通报口径：**派单工单中按时限办结的比例**，时限以 **延期后的时限** 为准
# （列“按延期后时限办结”；同意延期的按延期后的时限，没有延期的按原时限）；直接办结、不予受理、并单的工单
# 没有派单，不在分母里。没有派单时返回 `None`。

# %% nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def on_time_rate(df):
    ### BEGIN SOLUTION
    dispatched = df[df["派单"] == "是"]
    if len(dispatched) == 0:
        return None
    return (dispatched["按延期后时限办结"] == "是").sum() / len(dispatched)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ontime-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"}
# 检查：按期办结率（练习月份）
_r = on_time_rate(this_month)
assert _r is not None and abs(_r - OFFICIAL["rates"]["按期办结率"]) < 0.0006, "分母是派单工单，分子按延期后的时限算"
print("按期办结率正确：", round(_r, 4))

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第三题：满意率（2 分）
#
# 写出 `satisfaction_rate(df)`。通报口径：**（满意 + 0.6 × 基本满意）/ 回访量**，其中“满意”包括
# “非常满意”和“满意”两档，回访量是“已回访”为“是”的工单数，评价看“回访评价”列。没有回访时返回 `None`。
# （0.6 是本课采用的一种地方考核口径，各地做法不同，不是全国统一标准。）

# %% nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def satisfaction_rate(df):
    ### BEGIN SOLUTION
    followed = df[df["已回访"] == "是"]
    if len(followed) == 0:
        return None
    rating = followed["回访评价"]
    return (rating.isin(["非常满意", "满意"]).sum() + 0.6 * (rating == "基本满意").sum()) / len(followed)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "satisfaction-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"}
# 检查：满意率（练习月份）
_r = satisfaction_rate(this_month)
assert _r is not None and abs(_r - OFFICIAL["rates"]["满意率"]) < 0.0006, "基本满意按 0.6 计入，分母是回访量"
print("满意率正确：", round(_r, 4))

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第四题：响应率（2 分）
#
# 写出 `response_rate(df)`。通报口径：**按时签收 / 派单工单**（签收了但超过签收时限的不算）。
# 没有派单时返回 `None`。

# %% nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def response_rate(df):
    ### BEGIN SOLUTION
    dispatched = df[df["派单"] == "是"]
    if len(dispatched) == 0:
        return None
    return (dispatched["按时签收"] == "是").sum() / len(dispatched)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "response-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"}
# 检查：响应率（练习月份）
_r = response_rate(this_month)
assert _r is not None and abs(_r - OFFICIAL["rates"]["响应率"]) < 0.0006, "分子是按时签收，分母是派单工单"
print("响应率正确：", round(_r, 4))

# %% [markdown] nbgrader={"grade": false, "grade_id": "q5-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第五题：热点前五名和环比（3 分）
#
# 写出 `hot_topics(this_month, last_month)`：按 **二级分类** 统计本月件数，取前五名，返回一个列表，
# 每项是 `{"分类": 分类名, "本月": 本月件数, "环比": 环比}`。
# **环比是与上月比**：（本月件数 − 上月同类件数）/ 上月同类件数，小数；上月没有这类工单时环比不计算，写 `None`。
# 提示：`上月计数 = last_month["二级分类"].value_counts()` 之后，`上月计数.get(分类, 0)` 取上月件数，没有时得 0。

# %% nbgrader={"grade": false, "grade_id": "q5-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hot_topics(this_month, last_month):
    ### BEGIN SOLUTION
    before = last_month["二级分类"].value_counts()
    out = []
    for category, n in this_month["二级分类"].value_counts().head(5).items():
        p = int(before.get(category, 0))
        out.append({"分类": category, "本月": int(n), "环比": (n - p) / p if p else None})
    return out
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "hot-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"}
# 检查：热点前五名和环比（练习月份）
_mine = hot_topics(this_month, last_month)
for _i, _h in enumerate(OFFICIAL["热点"][:5]):
    assert _mine[_i]["分类"] == _h["分类"] and _mine[_i]["本月"] == _h["本月"], f"第{_i + 1}名应为「{_h['分类']}」"
    assert (_h["环比"] is None and _mine[_i]["环比"] is None) or abs(_mine[_i]["环比"] - _h["环比"]) < 0.0006, \
        f"第{_i + 1}名的环比应与上月比"
print("热点前五名和环比正确")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q6-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第六题：每日预警规则（4 分）
#
# 预警看的是 **每天、每个县区的每个二级分类** 来了多少件。下面的 `daily` 表就是这样的表：每行是某一天某个县区
# 某个二级分类的件数（没有来件记 0），前 10 天是上月月底的数，只用来算“平时有多少”。
#
# 写出 `warning_rule(daily)`：返回要预警的行，一个有“日期”“县区”“二级分类”三列的表。规则由你定，
# 比如：某天的件数 **不少于 6 件**，且 **不少于前 7 天平均数的 4 倍**（平均数不足 0.5 按 0.5 算）时预警。
# 好的规则能在集中诉求的高峰当天或之前发出预警，在平稳的月份里不误报。
#
# **评分（4 分）：** 在两个有集中诉求的没见过的月份，高峰当天或之前发现得满分，晚 1 天得一半、晚 2 天得四分之一，
# 更晚或没有发现不得分，两个月取平均；两个平稳月份的误报合计（同一县区·分类在一个月里报几天都只算一处）
# 一处以内不扣分，其后每处扣 0.8 分；规则在平稳月份运行出错，按误报 2 处计。得分最低为 0。
# 练习月份里确有一处集中诉求，下面的检查看你的规则是否在高峰前后发现了它。
#
# **提示：** `for (县区, 分类), g in daily.groupby(["县区", "二级分类"]):` 逐个取出每个县区·分类的日表；
# `g["件数"].shift(1).rolling(7, min_periods=1).mean()` 是“前 7 天的日均件数”（不含当天）；
# `.clip(lower=0.5)` 把不足 0.5 的按 0.5 算。

# %% nbgrader={"grade": false, "grade_id": "daily", "locked": true, "schema_version": 3, "solution": false, "task": false}
def daily_counts(cur, prev, cells, history=10):
    """练习用的每日件数表：每天 × 县区 × 二级分类一行，没有来件记 0。"""
    first = cur["received_at"].min().normalize()
    days = pd.date_range(first - pd.Timedelta(days=history), cur["received_at"].max().normalize(), freq="D")
    both = pd.concat([prev, cur])
    rows = []
    for county, category in cells:
        sub = both[(both["county"] == county) & (both["level2"] == category)]
        n = sub["received_at"].dt.normalize().value_counts().reindex(days, fill_value=0)
        rows += [{"日期": f"{d:%Y-%m-%d}", "县区": county, "二级分类": category, "件数": int(v)} for d, v in n.items()]
    return pd.DataFrame(rows)


_cells = [(_hot.county, _hot.level2)] + [(c["县区"], c["分类"]) for c in drill.candidates(_cur, _prev, n=3)]
daily = daily_counts(_cur, _prev, list(dict.fromkeys(_cells)))
print("每日件数表（合成数据）")
daily.head()

# %% nbgrader={"grade": false, "grade_id": "q6-answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def warning_rule(daily):
    ### BEGIN SOLUTION
    alerts = []
    for (county, category), g in daily.sort_values("日期").groupby(["县区", "二级分类"]):
        n = g["件数"].reset_index(drop=True)
        usual = n.shift(1).rolling(7, min_periods=1).mean().fillna(0).clip(lower=0.5)
        fire = (n >= 6) & (n >= 4 * usual)
        alerts += [(day, county, category) for day in g["日期"].reset_index(drop=True)[fire]]
    return pd.DataFrame(alerts, columns=["日期", "县区", "二级分类"])
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "rule-check", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false} academy={"competence": "数据分析与技术应用"}
# 检查：预警规则（练习月份）
_found = pd.DataFrame(warning_rule(daily))
_month = _found[_found["日期"].astype(str).str[:7] == PRACTICE_MONTH]
_hits = _month[(_month["县区"] == _hot.county) & (_month["二级分类"] == _hot.level2)]
assert len(_hits), f"规则没有发现 {_hot.county}「{_hot.level2}」的集中诉求"
_peak = drill.hot_peak(_cur, _hot)
_lead = (_peak - pd.Timestamp(str(_hits["日期"].iloc[0])[:10]).date()).days
_when = "高峰当天发现" if _lead == 0 else f"提前 {_lead} 天发现" if _lead > 0 else f"高峰后 {-_lead} 天才发现"
print(f"高峰（{_peak}）：{_when}；本月其他预警 {len(_month) - len(_hits)} 处")

# %% [markdown] nbgrader={"grade": false, "grade_id": "wrappers-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 评分时怎样调用你的函数
#
# 下面两个函数不用改：评分程序把没见过的月份的工单表交给 `month_report`、每日件数表交给 `rule_alerts`，
# 它们再调用你写的函数。某个函数出错时，只有那一项不得分，出错的原因会写在评分反馈里。

# %% nbgrader={"grade": false, "grade_id": "wrappers", "locked": true, "schema_version": 3, "solution": false, "task": false}
def _plain(v):
    """把结果变成评分程序能读的普通数据：表变成列表，numpy 数字变成普通数字，NaN 记为 None。"""
    if isinstance(v, pd.DataFrame):
        v = v.to_dict("records")
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    return v


def month_report(this_rows, last_rows):
    this_df, last_df = pd.DataFrame(this_rows), pd.DataFrame(last_rows)
    out = {}
    for key, run in (("受理量", lambda: received(this_df)), ("按期办结率", lambda: on_time_rate(this_df)),
                     ("满意率", lambda: satisfaction_rate(this_df)), ("响应率", lambda: response_rate(this_df)),
                     ("热点", lambda: hot_topics(this_df, last_df))):
        try:
            out[key] = _plain(run())
        except Exception as exc:  # 只有这一项不得分
            out[key] = {"出错": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def rule_alerts(rows):
    found = pd.DataFrame(warning_rule(pd.DataFrame(rows)))
    return [[str(d)[:10], str(c), str(k)] for d, c, k in found[["日期", "县区", "二级分类"]].itertuples(index=False)]

# %% [markdown] nbgrader={"grade": false, "grade_id": "q7-text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 第七题：写一段通报（4 分，培训老师评分）
#
# 用你在练习月份算出的数字，写一段 150 字左右的月度通报，包括本月办理情况、热点诉求和预警提示。
# 双击本题下面的单元格即可编辑，写完按 Shift+Enter 保存显示。
#
# **评分要点（培训老师按此评分）：**
#
# | 评分要点 | 分值 |
# |---|---|
# | 用准确的口径写出受理量、按期办结率、满意率、响应率，与自己算出的一致 | 1 |
# | 点出前几位热点诉求及其环比变化 | 1 |
# | 对发现的苗头提出具体的下步工作建议（督促主办单位、统一答复口径、未诉先办） | 1 |
# | 标明合成数据，不出现来电人信息 | 1 |

# %% [markdown] nbgrader={"grade": true, "grade_id": "brief-answer", "locked": false, "points": 4, "schema_version": 3, "solution": true, "task": false} academy={"competence": "数据分析与技术应用", "rubric": [{"criterion": "用准确的口径写出受理量、按期办结率、满意率、响应率，与自己算出的一致", "points": 1}, {"criterion": "点出前几位热点诉求及其环比变化", "points": 1}, {"criterion": "对发现的苗头提出具体的下步工作建议", "points": 1}, {"criterion": "标明合成数据，不出现来电人信息", "points": 1}]}
# 在这里写下你的通报段落。
#
# === BEGIN MARK SCHEME ===
# 参考要点：本月受理量及按期办结率、满意率、响应率（按通报口径）；前两三位热点诉求及与上月比的增减；
# 对预警发现的集中诉求，督促主办单位查明原因、统一答复口径、做到未诉先办；注明合成数据。
# === END MARK SCHEME ===
