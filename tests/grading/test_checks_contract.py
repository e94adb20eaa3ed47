"""The checker contract (grading.checks): what a course's checker may return."""
from __future__ import annotations

import pytest

from grading.checks import CheckerError, Item, as_item


def test_a_mapping_with_items_fields_is_an_item():
    item = as_item({"cell": "q1", "points": 1.5, "max_points": 2, "reasons": ["漏了一项材料"]})
    assert item == Item("q1", 1.5, 2, ("漏了一项材料",))


@pytest.mark.parametrize("bad", [
    {"cell": "q1", "points": 1, "max_points": 1, "score": 1},   # unknown field
    {"cell": "q1", "points": 3, "max_points": 2},               # more than the cell's points
    ("q1", 1, 1),                                               # neither Item nor mapping
])
def test_anything_else_is_refused(bad):
    with pytest.raises((CheckerError, ValueError)):
        as_item(bad)
