"""Load tests run only when asked for: `pytest -m long` (what `make test-long` runs)."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "long" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="long load test: run with -m long (make test-long)")
    for item in items:
        if item.get_closest_marker("long"):
            item.add_marker(skip)
