"""The Kubernetes values (deploy/z2jh/values.yaml) are valid for the Zero to JupyterHub chart."""
from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SCHEMA_CANDIDATES = [REPO / "deploy" / "z2jh" / "values.schema.yaml", Path("/work/shared/z2jh/values.schema.yaml")]

pytestmark = pytest.mark.timeout(60)


def schema():
    for path in SCHEMA_CANDIDATES:
        if path.exists():
            return yaml.safe_load(path.read_text(encoding="utf-8"))
    pytest.skip("Zero to JupyterHub values schema not available")


# The schema checks the chart's merged values (its defaults + ours); these are the chart's own
# defaults for the keys the schema requires and our file leaves alone.
CHART_DEFAULTS = {
    "imagePullSecrets": [], "hub": {"baseUrl": "/"}, "proxy": {}, "singleuser": {},
    "ingress": {"enabled": False}, "prePuller": {"hook": {"enabled": True}, "continuous": {"enabled": True}},
    "custom": {}, "cull": {"enabled": True}, "debug": {"enabled": False}, "rbac": {"create": True},
    "global": {},
}


def merged(values: dict, defaults: dict = CHART_DEFAULTS) -> dict:
    out = dict(defaults)
    for key, value in values.items():
        out[key] = merged(value, defaults[key]) if isinstance(value, dict) and isinstance(defaults.get(key), dict) else value
    return out


def test_values_validate_against_the_chart_schema():
    values = yaml.safe_load((REPO / "deploy" / "z2jh" / "values.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(merged(values), schema())
    roles = values["hub"]["loadRoles"]
    assert roles["academy-leader"]["scopes"] == ["access:services!service=dashboards"]


def test_schema_catches_a_typo():
    bad = merged({"hub": {"confg": {}}})
    with pytest.raises(jsonschema.ValidationError, match="confg"):
        jsonschema.validate(bad, schema())
