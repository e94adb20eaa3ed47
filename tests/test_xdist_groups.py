"""How `make test` spreads tests over its workers (tests/conftest.py): by the costly set-up they share."""
from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import xdist_group_of


def _item(nodeid: str, *fixtures: str) -> SimpleNamespace:
    return SimpleNamespace(nodeid=nodeid, fixturenames=list(fixtures))


def test_a_shared_hub_keeps_its_tests_on_one_worker():
    assert xdist_group_of(_item("tests/hub/test_access.py::test_x", "tmp_path", "academy_hub")) == "academy_hub"
    assert xdist_group_of(_item("tests/hub/test_staff.py::test_y[a]", "academy_hub")) == "academy_hub"


def test_the_dashboards_hub_and_the_city_share_one_city():
    dash = _item("tests/dashboards/test_dashboards_access.py::t", "dash_hub", "city_root")
    city = _item("tests/dashboards/test_citydata.py::t", "city_root")
    assert xdist_group_of(dash) == xdist_group_of(city) == "city_root"


def test_root_mode_academies_never_run_side_by_side():
    groups = {xdist_group_of(_item(f"{path}::t")) for path in
              ("tests/isolation/test_isolation_up.py", "tests/dashboards/test_root_mode.py", "tests/pg/test_pg_hub.py")}
    assert groups == {"root-academy"}


def test_other_tests_go_by_file():
    assert xdist_group_of(_item("tests/sandbox/test_hall_cli.py::t[1]", "tmp_path")) == "sandbox/test_hall_cli"
