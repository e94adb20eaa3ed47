"""The export cell of a code assignment (grading.code_export) as the jailed kernel runs it: each
exported call stands alone, so one bad value costs that call and nothing else."""
from __future__ import annotations

import pytest

from grading.code_export import export_source, parse_export

pytestmark = pytest.mark.timeout(60)


def _run(exports: dict, namespace: dict, capsys) -> dict:
    exec(export_source(exports), namespace)  # what the kernel runs after the trainee's cells
    values, tags = parse_export(capsys.readouterr().out, over_cap=False)
    assert values is not None, tags
    return values


def test_a_nan_value_costs_only_its_own_call(capsys):
    values = _run({"rate": {"call": "rate", "args": [[]]}, "count": {"call": "count", "args": [[1, 2]]}},
                  {"rate": lambda rows: float("nan"), "count": lambda rows: len(rows)}, capsys)
    assert values["count"] == {"value": 2}
    assert "NaN" in values["rate"]["error"] and "除以 0" in values["rate"]["error"]


def test_infinity_and_plain_values(capsys):
    values = _run({"inf": {"call": "inf"}, "ok": {"value": "table"}},
                  {"inf": lambda: float("inf"), "table": [1.5, None, "合成数据"]}, capsys)
    assert values["ok"] == {"value": [1.5, None, "合成数据"]}
    assert "error" in values["inf"]
