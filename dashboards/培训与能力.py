# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %%
# 培训与能力: enrolment, completion, 学时, pass and certificate rates, the five competence dimensions
# with their levels, who is overdue — by 县区, 单位 and cohort. Rendered once per scope
# (academy.dashpages): DASH_SCOPE = 全市 or a county; a county leader's page holds their county only.
import pandas as pd
from IPython.display import HTML, display

from academy.dashpages import header, meta, read_model, to_json

DASH_SCOPE = globals().get("DASH_SCOPE", "全市")
con = read_model()
info = meta(con)
tr = pd.read_sql("SELECT * FROM training", con)
comp = pd.read_sql("SELECT * FROM competence", con)
dims = [d for (d,) in con.execute("SELECT dimension FROM dimensions")]
if DASH_SCOPE != "全市":
    tr, comp = tr[tr["county"] == DASH_SCOPE], comp[comp["county"] == DASH_SCOPE]
label = f"合成数据 · 学院名册与评分（更新于 {info.get('training_at', '—')} UTC）· 范围：{DASH_SCOPE}"
display(HTML(header("培训与能力", label)))


# %%
def by(key: str) -> list[dict]:
    """Per group: people enrolled, course completions, 学时, pass and certificate rates, overdue."""
    if tr.empty:
        return []
    g = tr.groupby(key).agg(people=("account", "nunique"), enrolments=("course", "size"),
                            completed=("completed", "sum"), passed=("passed", "sum"),
                            certificates=("certificate", "sum"), hours=("hours", "sum"),
                            overdue=("overdue", "sum")).reset_index()
    g["completion_rate"] = g["completed"] / g["enrolments"]
    g["pass_rate"] = g["passed"] / g["enrolments"]
    g["certificate_rate"] = g["certificates"] / g["enrolments"]
    return g.rename(columns={key: "group"}).to_dict("records")


levels = (comp.groupby(["dimension", "level"]).size().unstack(fill_value=0).reindex(dims).fillna(0)
          if len(comp) else pd.DataFrame(index=dims))
people = []
for acc, g in tr.groupby("account"):
    first = g.iloc[0]
    lv = comp[comp["account"] == acc].set_index("dimension")["level"].to_dict()
    people.append({"name": first["name"], "account": acc, "county": first["county"], "unit": first["unit"],
                   "cohort": first["cohort"], "hours": float(g["hours"].sum()), "overdue": int(g["overdue"].sum()),
                   "certificates": int(g["certificate"].sum()), "levels": [lv.get(d, "—") for d in dims]})
data = {"dims": dims, "levels": {lvl: [int(levels.at[d, lvl]) if lvl in levels.columns else 0 for d in dims]
                                 for lvl in ("未达标", "合格", "良好", "优秀")},
        "groups": {"县区": by("county"), "单位": by("unit"), "期次": by("cohort")}, "people": people,
        "total": {"people": int(tr["account"].nunique()) if len(tr) else 0, "enrolments": int(len(tr)),
                  "completed": int(tr["completed"].sum()) if len(tr) else 0,
                  "hours": float(tr["hours"].sum()) if len(tr) else 0.0,
                  "passed": int(tr["passed"].sum()) if len(tr) else 0,
                  "certificates": int(tr["certificate"].sum()) if len(tr) else 0,
                  "overdue": int(tr["overdue"].sum()) if len(tr) else 0}}

# %% [markdown]
# 能力维度按学院能力框架的中文名称统计（业务办理、平台操作、数据分析与技术应用、服务意识与流程优化、信息安全）。选择分组方式查看各县区、单位、期次。

# %%
APP = r"""
<div class="kpis" id="kpis"></div>
<h2>能力维度等级分布</h2><div id="levels" class="chart"></div>
<div class="controls"><label>分组<select id="group"><option>县区</option><option>单位</option><option>期次</option></select></label></div>
<div class="scroll"><table id="groups"></table></div>
<h2>人员明细</h2><div class="scroll"><table id="people"></table></div>
<p class="note">完成：课程作业全部提交；通过：总分达到课程及格线；逾期：截止时间已过仍未提交的作业数。学时按完成课程计。数据为合成数据。</p>
<script>
(function(){
const T = __DATA__;
const $ = id => document.getElementById(id);
const pct = v => v===null||v===undefined||Number.isNaN(v) ? "—" : (v*100).toFixed(1)+"%";
const esc = s => String(s).replace(/[&<>]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;"}[c]));
const CFG = {responsive:true, displaylogo:false, toImageButtonOptions:{format:"png", filename:"培训与能力-合成数据"}};
const t=T.total, rate=(a)=>t.enrolments?a/t.enrolments:null;
$("kpis").innerHTML = [["people","在训人数",t.people],["enrolments","选课人次",t.enrolments],["completion","完成率",pct(rate(t.completed))],
  ["hours","累计学时",t.hours],["pass","通过率",pct(rate(t.passed))],["certificate","结业证明发放率",pct(rate(t.certificates))],["overdue","逾期未交（份）",t.overdue]]
  .map(([k,l,v]) => '<div class="kpi" id="kpi-'+k+'"><div class="k">'+l+'</div><div class="v">'+v+"</div></div>").join("");
const SH={"未达标":"x","合格":"/","良好":".","优秀":""}, COL={"未达标":"#fff","合格":"#ddd","良好":"#999","优秀":"#333"};
function draw(){
  window.Plotly && Plotly.react("levels", Object.keys(T.levels).map(l => ({type:"bar", name:l, x:T.dims, y:T.levels[l],
    marker:{color:COL[l], line:{color:"#000",width:1}, pattern:{shape:SH[l]}}})),
    {barmode:"stack", margin:{l:50,r:10,t:20,b:90}, yaxis:{title:"人数"}, legend:{orientation:"h"}, font:{family:"WenQuanYi Micro Hei, sans-serif"}}, CFG);
  const rows=T.groups[$("group").value]||[];
  $("groups").innerHTML = "<tr><th>"+$("group").value+"</th><th>人数</th><th>选课</th><th>完成率</th><th>学时</th><th>通过率</th><th>结业证明</th><th>逾期</th></tr>" +
    rows.map(r => "<tr><td>"+esc(r.group||"—")+"</td><td>"+r.people+"</td><td>"+r.enrolments+"</td><td>"+pct(r.completion_rate)+"</td><td>"+r.hours+"</td><td>"+pct(r.pass_rate)+"</td><td>"+pct(r.certificate_rate)+"</td><td>"+r.overdue+"</td></tr>").join("");
}
$("people").innerHTML = "<tr><th>姓名</th><th>账号</th><th>县区</th><th>单位</th><th>期次</th><th>学时</th><th>逾期</th>"+T.dims.map(d=>"<th>"+esc(d)+"</th>").join("")+"</tr>" +
  T.people.map(p => "<tr"+(p.overdue?' class="overdue"':"")+"><td>"+esc(p.name)+"</td><td>"+esc(p.account)+"</td><td>"+esc(p.county)+"</td><td>"+esc(p.unit)+"</td><td>"+esc(p.cohort||"—")+"</td><td>"+p.hours+"</td><td>"+(p.overdue?"<b>"+p.overdue+"</b>":"0")+"</td>"+p.levels.map(l=>"<td>"+esc(l)+"</td>").join("")+"</tr>").join("");
$("group").onchange = draw;
if (window.Plotly || document.readyState === "complete") draw(); else window.addEventListener("load", draw);
})();
</script>
"""
display(HTML(APP.replace("__DATA__", to_json(data))))
