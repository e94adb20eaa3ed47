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
# 12345月度通报: each month's bulletin exactly as `python -m sandbox bulletin` builds it (the read
# model keeps its bulletin.json / .html and a PDF print of it), shown with charts; month picked
# in the browser. Callers are masked by the bulletin itself and once more by the read model.
import json

from IPython.display import HTML, display

from academy.dashpages import header, meta, read_model, to_json
from academy.readmodel import data_dir
from runtime.settings import current

con = read_model()
info = meta(con)
months = [m for (m,) in con.execute("SELECT month FROM bulletin_months ORDER BY month")]
folder = data_dir(current().paths) / "bulletins"
display(HTML(header("12345热线月度通报", info.get("city_label", "城市数据尚未准备（合成数据）"))))


# %%
def slim(d: dict) -> dict:
    """What the page shows of a bulletin (every figure as the bulletin states it)."""
    return {"月份": d["月份"], "上月": d["上月"], "run_id": d["run_id"], "基本情况": d["基本情况"],
            "办理情况": d["办理情况"], "回访评价": d["回访评价"], "热点": d["热点分析"]["二级分类前列"][:10],
            "一级分类": d["热点分析"]["一级分类"], "预警": d["预警"], "预测": d["预测"],
            "单位": d["单位排名"]["单位"], "未达标单位": d["单位排名"]["未达标单位"], "下步工作": d.get("下步工作", []),
            "pdf": (folder / d["月份"] / "bulletin.pdf").exists()}


bulletins = {m: slim(json.loads((folder / m / "bulletin.json").read_text(encoding="utf-8"))) for m in months}

# %% [markdown]
# 选择月份查看当月通报；可下载与 `python -m sandbox bulletin` 相同的通报文件（HTML、PDF）。

# %%
APP = r"""
<div class="controls"><label>月份<select id="month"></select></label>
 <a id="dl-html" href="#" download>下载通报（HTML）</a> <a id="dl-pdf" href="#" download>下载通报（PDF）</a></div>
<div class="kpis" id="kpis"></div>
<h2>每日受理量</h2><div id="daily" class="chart"></div>
<h2>诉求分类（一级）本月与上月</h2><div id="cats" class="chart"></div>
<h2>各县区受理量</h2><div id="counties" class="chart"></div>
<h2>热点诉求</h2><div class="scroll"><table id="hot"></table></div>
<h2>预警</h2><ul id="warnings"></ul>
<h2>下月预测</h2><p id="forecast"></p>
<h2>承办单位排名</h2><div class="scroll"><table id="units"></table></div>
<h2>下步工作</h2><ul id="steps"></ul>
<p class="note">口径与 python -m sandbox bulletin 相同：满意率 =（满意 + 0.6 × 基本满意）/ 回访量；响应率 = 按时签收 / 派单。数据为合成数据。</p>
<script>
(function(){
const B = __DATA__;
const $ = id => document.getElementById(id);
const CFG = {responsive:true, displaylogo:false, toImageButtonOptions:{format:"png", filename:"12345月度通报-合成数据"}};
const LAY = {margin:{l:60,r:10,t:20,b:60}, font:{family:"WenQuanYi Micro Hei, sans-serif"}, paper_bgcolor:"#fff", plot_bgcolor:"#fff"};
const pct = v => v===null||v===undefined ? "—" : (v*100).toFixed(1)+"%";
const num = v => v===null||v===undefined ? "—" : Number(v).toLocaleString("zh-CN");
const esc = s => String(s).replace(/[&<>]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;"}[c]));
function init(){
  const ms = Object.keys(B).sort(); ms.forEach(m => $("month").add(new Option(m, m)));
  $("month").value = ms[ms.length-1] || ""; $("month").onchange = draw; draw();
}
function kpi(id, label, v){ return '<div class="kpi" id="kpi-'+id+'"><div class="k">'+label+'</div><div class="v">'+v+"</div></div>"; }
function draw(){
  const m=$("month").value, d=B[m]; if(!d) return;
  $("dl-html").href = "download/bulletin/"+m+".html"; $("dl-html").setAttribute("download", "12345月度通报-"+m+"-合成数据.html");
  $("dl-pdf").href = "download/bulletin/"+m+".pdf"; $("dl-pdf").setAttribute("download", "12345月度通报-"+m+"-合成数据.pdf");
  $("dl-pdf").style.display = d.pdf ? "" : "none";
  const b=d.基本情况, h=d.办理情况, r=d.回访评价;
  $("kpis").innerHTML = kpi("received","受理量",num(b.受理量)) + kpi("mom","环比",b.环比===null?"—":((b.环比>=0?"+":"")+(b.环比*100).toFixed(1)+"%")) +
    kpi("valid","有效工单",num(b.有效工单)) + kpi("refused","不予受理",num(b.不予受理)) + kpi("direct","直接办结率",pct(b.直接办结率)) +
    kpi("response","响应率",pct(h.响应率)) + kpi("reply","按时回复率",pct(h.按时回复率)) + kpi("close","按期办结率",pct(h.按期办结率)) +
    kpi("satisfaction","满意率",pct(r.满意率)) + kpi("solved","解决率",pct(r.解决率)) + kpi("bad","差评率",pct(r.差评率));
  const days=Object.keys(b.日受理量);
  window.Plotly && Plotly.react("daily", [{type:"scatter", mode:"lines+markers", x:days, y:days.map(k=>b.日受理量[k]), line:{color:"#000"}, name:"受理量"}], Object.assign({}, LAY, {yaxis:{title:"件"}}), CFG);
  const l1=d.一级分类.slice().reverse();
  window.Plotly && Plotly.react("cats", [{type:"bar", orientation:"h", name:"本月", y:l1.map(x=>x.分类), x:l1.map(x=>x.本月), marker:{color:"#444"}},
    {type:"bar", orientation:"h", name:"上月", y:l1.map(x=>x.分类), x:l1.map(x=>x.上月), marker:{color:"#fff", line:{color:"#000",width:1.2}, pattern:{shape:"/"}}}],
    Object.assign({}, LAY, {barmode:"group", margin:{l:140,r:10,t:20,b:40}, height:Math.max(360, l1.length*34), legend:{orientation:"h"}}), CFG);
  const cs=Object.keys(b.县区);
  window.Plotly && Plotly.react("counties", [{type:"bar", x:cs, y:cs.map(k=>b.县区[k]), marker:{color:"#666"}}], Object.assign({}, LAY, {yaxis:{title:"件"}}), CFG);
  const hk = d.热点.length ? Object.keys(d.热点[0]).filter(k => typeof d.热点[0][k] !== "object") : [];
  $("hot").innerHTML = "<tr>"+hk.map(k=>"<th>"+esc(k)+"</th>").join("")+"</tr>" + d.热点.map(x => "<tr>"+hk.map(k=>"<td>"+esc(x[k]??"—")+"</td>").join("")+"</tr>").join("");
  const W=[]; Object.entries(d.预警).forEach(([kind, list]) => (list||[]).forEach(w => W.push("<li><b>"+esc(kind)+"</b>："+esc(w.说明||w.原因||Object.entries(w).map(([k,v])=>k+" "+(typeof v==="object"?JSON.stringify(v):v)).join("，"))+"</li>")));
  $("warnings").innerHTML = W.length ? W.join("") : "<li>本月无预警。</li>";
  const f=d.预测, t=f.合计||{};
  $("forecast").innerHTML = esc(f.月份||"—")+" 预测受理量 <b id='forecast-value'>"+num(t.预测值)+"</b> 件（方法："+esc(t.方法||"—")+"；回测 MAPE "+(t.MAPE===null||t.MAPE===undefined?"—":(t.MAPE*100).toFixed(1)+"%")+"；质量："+esc(t.强度||"—")+"）。"+esc(f.说明||"");
  $("units").innerHTML = "<tr><th>名次</th><th>单位</th><th>派单</th><th>响应率</th><th>按时回复率</th><th>满意率</th><th>未达标</th></tr>" +
    d.单位.map(u => "<tr><td>"+u.名次+"</td><td>"+esc(u.单位)+"</td><td>"+u.派单+"</td><td>"+pct(u.响应率)+"</td><td>"+pct(u.按时回复率)+"</td><td>"+pct(u.满意率)+"</td><td>"+esc(u.未达标.join("；")||"—")+"</td></tr>").join("");
  $("steps").innerHTML = d.下步工作.map(s => "<li>"+esc(s)+"</li>").join("");
}
if (window.Plotly || document.readyState === "complete") init(); else window.addEventListener("load", init);
})();
</script>
"""
display(HTML(APP.replace("__DATA__", to_json(bulletins))))
