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
# 大厅运行: hall figures per month, city → county → hall → item, from the read model only
# (academy.readmodel: aggregates made with the definitions of sandbox.hall.metrics.summary).
# The page carries the aggregates as JSON and draws them in the browser (plotly.js), so drill-down,
# month change, hover and PNG export need no kernel (academy.dashpages explains why).
import pandas as pd
from IPython.display import HTML, display

from academy.dashpages import header, meta, read_model, to_json

con = read_model()
info = meta(con)
hm = pd.read_sql("SELECT * FROM hall_month", con)
items = pd.read_sql("SELECT * FROM item_month", con)
heat = pd.read_sql("SELECT * FROM heat", con)
display(HTML(header("大厅运行", info.get("city_label", "城市数据尚未准备（合成数据）"))))


# %%
def node_key(level: str, county: str, hall: str) -> str:
    return {"市": "市", "县区": f"县:{county}", "大厅": f"厅:{hall}"}[level]


FIGS = ["visitors", "mean_wait", "p90_wait", "abandonment_rate", "one_visit_rate", "corrections",
        "correction_rate", "refusals", "refusal_rate", "bad_window", "utilisation"]
months = sorted(hm["month"].unique().tolist())
figs: dict = {m: {} for m in months}
for r in hm.itertuples(index=False):
    figs[r.month][node_key(r.level, r.county, r.hall)] = {f: getattr(r, f) for f in FIGS}
tree: dict = {}
for r in hm[hm["level"] == "大厅"][["county", "hall"]].drop_duplicates().sort_values(["county", "hall"]).itertuples():
    tree.setdefault(r.county, []).append(r.hall)


def heat_matrix(df: pd.DataFrame) -> dict:
    g = df.groupby(["weekday", "hour"])["visitors"].sum()
    w = (df.assign(t=df["visitors"] * df["mean_wait"].fillna(0)).groupby(["weekday", "hour"])["t"].sum()
         / df.groupby(["weekday", "hour"])["visitors"].sum())
    hours = list(range(int(df["hour"].min()), int(df["hour"].max()) + 1)) if len(df) else []
    return {"hours": hours,
            "visitors": [[int(g.get((d, h), 0)) for h in hours] for d in range(7)],
            "wait": [[round(float(w.get((d, h), float("nan"))), 1) if (d, h) in w.index else None
                      for h in hours] for d in range(7)]}


heats: dict = {m: {} for m in months}
for m, hmo in heat.groupby("month"):
    heats[m]["市"] = heat_matrix(hmo)
    for c, hc in hmo.groupby("county"):
        heats[m][f"县:{c}"] = heat_matrix(hc)
    for h, hh in hmo.groupby("hall"):
        heats[m][f"厅:{h}"] = heat_matrix(hh)


# %%
def item_lists(df: pd.DataFrame, key_cols: list[str], keyer) -> dict:
    """The 15 items with the longest mean wait (at least 20 visitors) per node and month."""
    df = df.assign(tw=df["visitors"] * df["mean_wait"].fillna(0))
    g = df.groupby(["month", *key_cols, "item"]).agg(visitors=("visitors", "sum"), tw=("tw", "sum"),
                                                     corrections=("corrections", "sum"),
                                                     refusals=("refusals", "sum")).reset_index()
    g["mean_wait"] = g["tw"] / g["visitors"]
    out: dict = {}
    prev_of = {m: (months[i - 1] if i else None) for i, m in enumerate(months)}
    index = g.set_index(["month", *key_cols, "item"])
    for keys, part in g[g["visitors"] >= 20].groupby(["month", *key_cols]):
        keys = keys if isinstance(keys, tuple) else (keys,)
        month, rest = keys[0], keys[1:]
        rows = []
        for r in part.sort_values("mean_wait", ascending=False).head(15).itertuples():
            p = prev_of[month]
            pk = (p, *rest, r.item)
            prev = index.loc[pk] if p and pk in index.index else None
            rows.append({"item": r.item, "visitors": int(r.visitors), "mean_wait": round(r.mean_wait, 1),
                         "corrections": int(r.corrections), "refusals": int(r.refusals),
                         "prev_visitors": int(prev["visitors"]) if prev is not None else None,
                         "prev_wait": round(float(prev["mean_wait"]), 1) if prev is not None else None})
        out.setdefault(month, {})[keyer(*rest)] = rows
    return out


item_data: dict = {}
for cols, keyer in (([], lambda: "市"), (["county"], lambda c: f"县:{c}"), (["hall"], lambda h: f"厅:{h}")):
    for m, d in item_lists(items, cols, keyer).items():
        item_data.setdefault(m, {}).update(d)
data = {"months": months, "tree": tree, "figs": figs, "heat": heats, "items": item_data}

# %% [markdown]
# 选择月份与范围（全市 → 县区 → 大厅），点击事项查看明细。环比为与上月相比。补正（一次性告知后补齐再来）与不予受理（终局）分开统计。

# %%
APP = r"""
<div class="controls">
 <label>月份<select id="month"></select></label>
 <label>县区<select id="county"><option value="">全市</option></select></label>
 <label>大厅<select id="hall"><option value="">（全部大厅）</option></select></label>
</div>
<p id="scope-title" class="note"></p>
<div class="kpis" id="kpis"></div>
<h2>各单位等候时间</h2><div id="bars" class="chart"></div>
<h2>到访热力图（星期 × 时段）</h2><div id="heat" class="chart"></div>
<h2>近月走势</h2><div id="trend" class="chart"></div>
<h2>等候最长的事项</h2><div class="scroll"><table id="items"></table></div>
<div id="item-detail" class="kpis"></div>
<p class="note">等候：取号到叫号的分钟数；一次办成率：已办结事项中到厅不超过一次的比例；窗口利用率：窗口忙碌时间 / 开放时间。数据为合成数据。</p>
<script>
(function(){
const D = __DATA__;
const $ = id => document.getElementById(id);
const DAYS = ["周一","周二","周三","周四","周五","周六","周日"];
const KPI = [["visitors","到访人次","n"],["mean_wait","平均等候（分钟）","m"],["p90_wait","90%等候（分钟）","m"],
 ["abandonment_rate","放弃离开率","p"],["one_visit_rate","一次办成率","p"],["corrections","补正（件）","n"],
 ["correction_rate","补正率","p"],["refusals","不予受理（件）","n"],["refusal_rate","不予受理率","p"],
 ["bad_window","办不成事反映（人次）","n"],["utilisation","窗口利用率","p"]];
const CFG = {responsive:true, displaylogo:false, toImageButtonOptions:{format:"png", filename:"大厅运行-合成数据"}};
const LAY = {margin:{l:60,r:10,t:30,b:60}, font:{family:"WenQuanYi Micro Hei, sans-serif"}, paper_bgcolor:"#fff", plot_bgcolor:"#fff"};
function fmt(v,k){ if(v===null||v===undefined||Number.isNaN(v)) return "—";
  return k==="p" ? (v*100).toFixed(1)+"%" : k==="m" ? v.toFixed(1) : Math.round(v).toLocaleString("zh-CN"); }
function node(){ const c=$("county").value, h=$("hall").value; return h ? "厅:"+h : c ? "县:"+c : "市"; }
function prevMonth(m){ const i=D.months.indexOf(m); return i>0 ? D.months[i-1] : null; }
function init(){
  D.months.forEach(m => $("month").add(new Option(m, m)));
  $("month").value = D.months[D.months.length-1] || "";
  Object.keys(D.tree).forEach(c => $("county").add(new Option(c, c)));
  $("month").onchange = draw; $("county").onchange = () => { fillHalls(); draw(); }; $("hall").onchange = draw;
  fillHalls(); draw();
}
function fillHalls(){ const c=$("county").value, s=$("hall"); s.length=1; (D.tree[c]||[]).forEach(h => s.add(new Option(h,h))); }
function kpis(){
  const m=$("month").value, p=prevMonth(m), k=node(), f=(D.figs[m]||{})[k]||{}, g=p?((D.figs[p]||{})[k]||{}):{};
  $("scope-title").textContent = m+" · "+($("hall").value||$("county").value||"全市")+(p?"（环比："+p+"）":"");
  $("kpis").innerHTML = KPI.map(([key,label,t]) => {
    const v=f[key], o=g[key]; let d="";
    if(o!==undefined && o!==null && v!==null){ const diff=v-o; d='<div class="d '+(diff>=0?"up":"down")+'">'+(t==="p"?(diff*100).toFixed(1)+" 个百分点":fmt(Math.abs(diff),t))+"</div>"; }
    return '<div class="kpi" id="kpi-'+key+'" data-value="'+(v===null||v===undefined?"":v)+'"><div class="k">'+label+'</div><div class="v">'+fmt(v,t)+"</div>"+d+"</div>";
  }).join("");
}
function bars(){
  const m=$("month").value, c=$("county").value, h=$("hall").value, F=D.figs[m]||{};
  let names = h ? [h] : c ? D.tree[c] : Object.keys(D.tree);
  const key = n => (h||c) ? "厅:"+n : "县:"+n;
  const mean = names.map(n => (F[key(n)]||{}).mean_wait), p90 = names.map(n => (F[key(n)]||{}).p90_wait);
  window.Plotly && Plotly.react("bars", [
    {type:"bar", name:"平均等候", x:names, y:mean, marker:{color:"#333"}},
    {type:"bar", name:"90%等候", x:names, y:p90, marker:{color:"#fff", line:{color:"#000",width:1.5}, pattern:{shape:"/"}}}],
    Object.assign({}, LAY, {barmode:"group", yaxis:{title:"分钟"}, legend:{orientation:"h"}}), CFG);
  document.querySelectorAll("#bars .xtick").forEach(t => t.style.cursor="pointer");
  $("bars").on && $("bars").removeAllListeners && $("bars").removeAllListeners("plotly_click");
  $("bars").on && $("bars").on("plotly_click", ev => { const n=ev.points[0].x;
    if(!c){ $("county").value=n; fillHalls(); } else if(!h){ $("hall").value=n; } draw(); });
}
function heat(){
  const H=((D.heat[$("month").value]||{})[node()])||{hours:[],visitors:[],wait:[]};
  window.Plotly && Plotly.react("heat", [{type:"heatmap", x:H.hours.map(h=>h+"时"), y:DAYS, z:H.visitors, customdata:H.wait,
    colorscale:"Greys", reversescale:true, hovertemplate:"%{y} %{x}<br>到访 %{z} 人次<br>平均等候 %{customdata} 分钟<extra></extra>",
    colorbar:{title:"人次"}}], Object.assign({}, LAY, {yaxis:{autorange:"reversed"}}), CFG);
}
function trend(){
  const k=node(), xs=D.months, v=xs.map(m=>((D.figs[m]||{})[k]||{}).visitors), w=xs.map(m=>((D.figs[m]||{})[k]||{}).mean_wait);
  window.Plotly && Plotly.react("trend", [{type:"bar", name:"到访人次", x:xs, y:v, marker:{color:"#bbb"}},
    {type:"scatter", mode:"lines+markers", name:"平均等候（分钟）", x:xs, y:w, yaxis:"y2", line:{color:"#000",dash:"dash"}}],
    Object.assign({}, LAY, {margin:{l:60,r:60,t:30,b:60}, xaxis:{type:"category"}, yaxis:{title:"人次"}, yaxis2:{title:"分钟", overlaying:"y", side:"right"}, legend:{orientation:"h"}}), CFG);
}
function itemsTable(){
  const rows=((D.items[$("month").value]||{})[node()])||[];
  $("items").innerHTML = "<tr><th>事项</th><th>到访</th><th>平均等候</th><th>上月等候</th><th>补正</th><th>不予受理</th></tr>" +
    rows.map((r,i) => '<tr class="pick" data-i="'+i+'"><td>'+r.item+"</td><td>"+r.visitors+"</td><td>"+r.mean_wait+"</td><td>"+(r.prev_wait??"—")+"</td><td>"+r.corrections+"</td><td>"+r.refusals+"</td></tr>").join("");
  $("item-detail").innerHTML = "";
  document.querySelectorAll("#items tr.pick").forEach(tr => tr.onclick = () => {
    const r=rows[+tr.dataset.i];
    $("item-detail").innerHTML = '<div class="kpi" id="item-name"><div class="k">事项</div><div class="v" style="font-size:1.1em">'+r.item+"</div></div>" +
      [["到访人次",r.visitors,r.prev_visitors],["平均等候（分钟）",r.mean_wait,r.prev_wait],["补正（件）",r.corrections,null],["不予受理（件）",r.refusals,null]]
      .map(([k,v,o]) => '<div class="kpi"><div class="k">'+k+'</div><div class="v">'+v+"</div>"+(o!==null&&o!==undefined?'<div class="d">上月 '+o+"</div>":"")+"</div>").join("");
  });
}
function draw(){ kpis(); bars(); heat(); trend(); itemsTable(); }
if (window.Plotly || document.readyState === "complete") init(); else window.addEventListener("load", init);
})();
</script>
"""
display(HTML(APP.replace("__DATA__", to_json(data))))
