# The two commands: `make up` (install what is missing, start the academy) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHP := hub_config/proxy/node_modules/.bin/configurable-http-proxy
export PATH := $(abspath $(VENV))/bin:$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install up test bench clean-state

# The dev/test virtualenv: exact versions from requirements.lock, project editable.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $(STAMP)

# configurable-http-proxy, pinned by the committed package-lock.json.
$(CHP): hub_config/proxy/package-lock.json
	cd hub_config/proxy && npm ci --no-audit --no-fund --loglevel=error
	@touch $(CHP)

install: $(STAMP) $(CHP)

up: install
	$(VPY) -m academy up

test: install
	$(VPY) -m pytest $(PYTEST_ARGS)

bench: install
	$(VPY) bench/run.py

clean-state:
	rm -rf var
