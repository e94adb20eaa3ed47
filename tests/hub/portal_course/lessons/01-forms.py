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

# %% [markdown]
# # 第一课：窗口受理的三种决定
#
# 材料齐全、符合法定形式的，应当 **当场受理**。本课数据均为合成数据。

# %% jupyter={"source_hidden": true}
import coursekit as ck

ck.start()
_q = ck.ask("l1", "材料齐全、符合法定形式时，窗口应当怎么办？", ck.choice("", ["当场受理", "让群众改天再来"]))
_q

# %% jupyter={"source_hidden": true}
_a = ck.saved("l1")
