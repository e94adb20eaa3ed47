"""Small pieces without a city: the span, masking, the leader's scope, and the read model's hall
figures against sandbox.hall.metrics.summary on a short run (same definitions)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.timeout(300)


def test_span_is_whole_months_before_this_one():
    from academy.citydata import span

    assert span(dt.date(2026, 12, 1), 12) == (dt.date(2025, 12, 1), dt.date(2026, 11, 30))
    assert span(dt.date(2026, 1, 31), 2) == (dt.date(2025, 11, 1), dt.date(2025, 12, 31))


def test_mask_text():
    from academy.readmodel import mask_text

    text = "身份证632102199001011234，手机13812345678。均值0.13812345678，编号a13812345678f"
    out = mask_text(text)
    assert "6321**********1234" in out and "138****5678" in out
    assert "632102199001011234" not in out and "手机13812345678" not in out
    assert "0.13812345678" in out and "a13812345678f" in out  # not identifiers


def test_leader_scope():
    from academy.readmodel import leader_scope

    assert leader_scope("海东市") == leader_scope("全市") == leader_scope("") == "全市"
    assert leader_scope("平安区") == "平安区"


def test_hall_figures_are_the_sandbox_summary():
    import sandbox as sb

    from academy.readmodel import _month_of, hall_tables

    rec = sb.simulate(sb.default_scenario().only_hall("平安区政务服务中心"), 6, 3, start=dt.date(2026, 10, 28),
                      online=False, workers=1)
    hm = hall_tables(rec)["hall_month"]
    c = rec.cases
    month = _month_of(np.where(c["t_number"] >= 0, c["t_number"], c["t_arrive"]))
    for m in ("2026-10", "2026-11"):
        s = sb.summary(rec, (c["hall"] == 0) & (month == m))
        row = hm[(hm["level"] == "大厅") & (hm["month"] == m)].iloc[0]
        assert row["visitors"] == s["hall_visits"]
        for mine, theirs in (("mean_wait", "mean_wait_min"), ("p90_wait", "p90_wait_min"),
                             ("abandonment_rate", "abandonment_rate"), ("correction_rate", "correction_rate"),
                             ("refusal_rate", "refusal_rate"), ("one_visit_rate", "one_visit_rate")):
            assert row[mine] == pytest.approx(s[theirs], nan_ok=True), (m, mine)


def test_up_prepares_the_service_home_and_read_model_folder_without_a_city(tmp_path):
    """The hub starts the dashboards service with HOME=dashboards-home (root mode: as academy-dash):
    `up` must make them even when no city is built (ACADEMY_CITY_MONTHS=0) or the city is reused."""
    from academy import citydata
    from academy.readmodel import data_dir
    from runtime.settings import Settings

    paths = Settings.single_account(tmp_path / "root").paths
    assert citydata.ensure(paths, months=0, log=lambda s: None) is None
    assert (paths.root / "dashboards-home").is_dir()
    assert (data_dir(paths) / "pages").is_dir()


def test_voila_preheats_a_kernel_for_the_whatif_only(repo_root):
    """Voila preheats a kernel for every notebook of its folder unless denied; the three pages
    rendered beforehand are never run by it (their kernels cost ~100 MB each, and 培训与能力's failed
    with "no such table: training"). Our command line through Voila's own parser and filter."""
    from types import SimpleNamespace

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets.config.loader import DeferredConfigString
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from hubext.dashboards import WHATIF, DashboardsApp, voila_args

    app = DashboardsApp()
    app.parse_command_line(voila_args("/services/dashboards/", "8090"))
    manager = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    value = app.config.VoilaKernelManager.get("preheat_denylist", [])
    # Not a class of the app's parser: traitlets defers the string and reads it like this at start.
    denylist = value.get_value(manager.class_traits()["preheat_denylist"]) if isinstance(value, DeferredConfigString) else value
    notebooks = sorted(f"{p.stem}.ipynb" for p in (repo_root / "dashboards").glob("*.py"))
    preheated = [nb for nb in notebooks if manager._notebook_filter(SimpleNamespace(preheat_denylist=denylist), Path(nb))]
    assert len(notebooks) == 4 and preheated == [WHATIF], (notebooks, preheated, denylist)
