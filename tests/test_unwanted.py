"""requirements.unwanted: what a dependency pulls in and the installs remove again.

rfc3987-syntax costs ~3 s of CPU in every process that imports jsonschema (the hub, each user
server, nbgrader, voila); with it gone `import nbformat` takes ~0.4 s instead of ~3.4 s. These tests
fail if an install path (the Makefile's dev venv, academy.runtime's runtime venv) forgets the list.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from academy.runtime import unwanted_distributions
from tests.conftest import REPO

pytestmark = pytest.mark.timeout(300)

# What each unwanted distribution would put into sys.modules when jsonschema's formats load.
MODULES = {"rfc3987-syntax": "rfc3987_syntax"}

PROBE = """
import importlib.metadata as md, json, sys
import nbformat, jsonschema._format  # what pulled the unwanted module in
names = json.loads(sys.argv[1]); modules = json.loads(sys.argv[2])
present = []
for n in names:
    try:
        md.distribution(n); present.append(n)
    except md.PackageNotFoundError:
        pass
print(json.dumps({"installed": present, "imported": [m for m in modules if m in sys.modules]}))
"""


def probe(python: str) -> dict:
    names = unwanted_distributions(REPO)
    out = subprocess.run([python, "-c", PROBE, json.dumps(names), json.dumps([MODULES[n] for n in names])],
                         capture_output=True, text=True, timeout=120, cwd="/")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_list_names_rfc3987_syntax_and_every_name_has_its_module():
    names = unwanted_distributions(REPO)
    assert "rfc3987-syntax" in names
    assert set(names) <= set(MODULES), "add the module each unwanted distribution brings to MODULES"


def test_the_dev_venv_is_without_them():
    assert probe(sys.executable) == {"installed": [], "imported": []}


@pytest.mark.slow
def test_the_runtime_venv_is_without_them():
    from tests.hubfixture import shared_runtime_venv

    assert probe(str(shared_runtime_venv() / "bin" / "python")) == {"installed": [], "imported": []}
