# The two commands: `make up` (install what is missing, start the academy) and `make test`;
# `make test-long` runs the long matrices (pytest marker `long`), which `make test` leaves out.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian 12's venv brings pip 23.0.1, which cannot resolve the lock (extras with constraints):
# the venv's pip is brought to this exact version first (the one academy.runtime uses too).
PIP_PIN := pip==26.2.1
CHP := hub_config/proxy/node_modules/.bin/configurable-http-proxy
export PATH := $(abspath $(VENV))/bin:$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install up test test-long bench clean-state system-up system-test

# Debian packages, from the one list in scripts/system-packages.txt (apt-get as root, else a message).
system-up:
	@scripts/system-packages.sh up
system-test:
	@scripts/system-packages.sh test

# The dev/test virtualenv: exact versions from requirements.lock, project editable.
# requirements.unwanted: what a dependency pulls in that we remove again (the file says why).
$(STAMP): pyproject.toml requirements.lock requirements.unwanted | system-up
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check '$(PIP_PIN)'
	$(VPY) -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
	$(VPY) -m pip uninstall -q -y $$(sed 's/#.*//' requirements.unwanted)
	@touch $(STAMP)

# configurable-http-proxy, pinned by the committed package-lock.json.
$(CHP): hub_config/proxy/package-lock.json | system-up
	cd hub_config/proxy && npm ci --no-audit --no-fund --loglevel=error
	@touch $(CHP)

install: $(STAMP) $(CHP)

up: system-up install
	$(VPY) -m academy up

# make test runs on TEST_WORKERS pytest-xdist workers (0: one process). The suite mostly waits on
# hubs, kernels and subprocesses, so three workers keep two cores busy; tests/conftest.py groups the
# tests that share a costly set-up onto one worker.
TEST_WORKERS ?= 3
test: system-test install
	$(VPY) -m pytest -m "not long" -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Exit 5 (no test carries the marker yet) is not a failure.
test-long: system-test install
	$(VPY) -m pytest -m long $(PYTEST_ARGS) || test $$? -eq 5

bench: install
	$(VPY) bench/run.py

clean-state:
	rm -rf var
