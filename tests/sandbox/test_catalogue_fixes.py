"""Names and catalogue facts a Haidong official would correct (issue 14 point 12). Each test fails on the old behaviour."""
from __future__ import annotations

import sandbox as sb
from sandbox.base.geography import county


def test_pingan_townships_are_hui_townships():
    towns = county("平安区").townships
    for t in ("洪水泉回族乡", "石灰窑回族乡", "古城回族乡", "沙沟回族乡", "巴藏沟回族乡"):
        assert t in towns


def test_credit_report_is_not_a_government_licence():
    cat = sb.get_catalog()
    for it in cat.items.values():
        for m in it.materials:
            if m.name == "个人征信报告":
                assert m.source == "申请人" and not m.elicence
