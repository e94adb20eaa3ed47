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

# %% [markdown]
# # 海东政务服务效能学院 · 学员总览
#
# <span id="synthetic-badge" style="background:#fff3cd;border:1px solid #e0c36c;padding:2px 8px;border-radius:4px;">合成数据</span> 本页人员均为演示用的合成数据。

# %%
# Leader overview: who is in the academy (from the academy DB, via runtime.people).
import pandas as pd
from IPython.display import HTML, display
from runtime.people import ROLE_LABELS, people
from runtime.settings import current

rows = people(current().paths.academy_db_url)
df = pd.DataFrame([{"角色": ROLE_LABELS.get(p.role, p.role), "县区": p.county, "单位": p.unit,
                    "期次": p.cohort or "—", "状态": "在用" if p.active else "停用"} for p in rows])
active = df[df["状态"] == "在用"] if len(df) else df
display(HTML(f'<p id="total-people">在册人员 <b>{len(df)}</b> 人，其中在用 <b>{len(active)}</b> 人（合成数据）。</p>'))

# %% [markdown]
# ## 按角色

# %%
by_role = active.groupby("角色").size().rename("人数").to_frame() if len(active) else pd.DataFrame()
display(HTML(by_role.to_html(table_id="by-role")))

# %% [markdown]
# ## 学员按县区

# %%
trainees = active[active["角色"] == "学员"] if len(active) else active
by_county = trainees.groupby("县区").size().rename("学员人数").sort_values(ascending=False).to_frame() if len(trainees) else pd.DataFrame()
display(HTML(by_county.to_html(table_id="by-county")))
display(HTML('<p style="color:#6c757d">数据来源：学院名册（合成数据）。</p>'))
