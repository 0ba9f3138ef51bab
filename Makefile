# Two commands do all set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DB := insights.db
HOST ?= 127.0.0.1
PORT ?= 8001

# Datasette's settings live in settings.json (the tests read the same file).
SETTINGS = $(shell $(PY) -c 'import json; print(" ".join(f"--setting {k} {json.dumps(v)}" for k, v in json.load(open("settings.json")).items()))')

.PHONY: install build check serve test clean

$(INSTALLED): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "python3 >= 3.11 is required (found %s); set PYTHON=..." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --constraint requirements.lock --editable '.[test]'
	@touch $@

install: $(INSTALLED)

build: install
	$(PY) -m ingest build --notes notes --db $(DB)

check: install
	$(PY) -m ingest check --notes notes

serve: build
	$(VENV)/bin/datasette serve $(DB) --metadata metadata.json --plugins-dir plugins \
		--host $(HOST) --port $(PORT) $(SETTINGS)

test: install
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm $(DB)-analysis-cache
