# Two commands do all set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DB := insights.db
PUBLIC_DB := public/insights.db
HOST ?= 127.0.0.1
PORT ?= 8001
LOAD_SECONDS ?= 20

# Datasette's settings live in settings.json (the tests read the same files); a public
# instance overlays settings.public.json on it.
settings = $(shell $(PY) -c 'import json, sys; s = {}; [s.update(json.load(open(f))) for f in sys.argv[1:]]; print(" ".join(f"--setting {k} {json.dumps(v)}" for k, v in s.items()))' $(1))
SETTINGS = $(call settings,settings.json)
PUBLIC_SETTINGS = $(call settings,settings.json settings.public.json)

BENCH_FINDINGS ?= 100000
BENCH_ARGS ?=

.PHONY: bench suggest-eval browser install build watch draft check serve build-public serve-public test test-fast fuzz load faults clean

$(INSTALLED): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "python3 >= 3.11 is required (found %s); set PYTHON=..." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --constraint requirements.lock --editable '.[test]'
	@touch $@

install: $(INSTALLED)

build: install
	$(PY) -m ingest build --notes notes --db $(DB)

# Rebuild on every change under notes/ (beside a running `make serve`, in another terminal).
watch: install
	$(PY) -m ingest build --watch --notes notes --db $(DB)

# A draft note from a document: make draft REPORT=path/to/report.hwpx [TYPE=press-release] (see docs/draft.md).
draft: install
	@test -n "$(REPORT)" || { echo "usage: make draft REPORT=path/to/report.(hwpx|hwp|docx|pdf|html|txt|md) [TYPE=kind]"; exit 2; }
	$(PY) -m ingest draft "$(REPORT)" --notes notes $(if $(TYPE),--type "$(TYPE)")

check: install
	$(PY) -m ingest check --notes notes

# Editors sign in (docs/operations.md, *Editors*): the editors file (`python -m ingest editor add NAME`)
# and the secret that signs their sign-in cookie, kept in SECRET_FILE unless DATASETTE_SECRET is set,
# so that a sign-in survives a restart. Both are read from the environment, never the command line.
EDITORS ?= editors.json
SECRET_FILE ?= .datasette-secret
# (Expanded for each recipe line, the prerequisites' too: before `make install` has made $(PY), empty.)
serve: export INSIGHTS_EDITORS ?= $(abspath $(EDITORS))
serve: export DATASETTE_SECRET ?= $(shell command -v $(PY) >/dev/null 2>&1 && $(PY) -m ingest secret --file "$(SECRET_FILE)")
serve: build
	$(VENV)/bin/datasette serve $(DB) --metadata metadata.json --plugins-dir plugins --template-dir templates --static static:static \
		--host $(HOST) --port $(PORT) $(SETTINGS)

# Public: no internal note or finding, served immutable, no arbitrary SQL, robots allowed on pages.
build-public: install
	$(PY) -m ingest build --public --notes notes --db $(PUBLIC_DB)

serve-public: build-public
	$(VENV)/bin/datasette serve -i $(PUBLIC_DB) --metadata metadata.json --plugins-dir plugins --template-dir templates --static static:static \
		--host $(HOST) --port $(PORT) $(PUBLIC_SETTINGS)

# Debian's chromium and a Korean font, for the browser tests (Playwright drives /usr/bin/chromium;
# without fonts-nanum Korean renders as empty boxes). Installed when missing, with sudo unless root.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/nanum ]; then \
		if command -v apt-get >/dev/null; then \
			sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
			$$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y chromium fonts-nanum; \
		else \
			echo "No apt-get: install Chromium (at /usr/bin/chromium) and a Korean font for the browser tests."; \
		fi; \
	fi

# Everything, Hypothesis pinned (the same examples every run: tests/conftest.py): the quick tests on
# both cores (pytest-xdist), then the slow ones (browsers, kill loops, load, real servers) one at a
# time, as they time what they watch.
test: install browser
	$(PY) -m pytest -q -m "not slow" -n 2
	$(PY) -m pytest -q -m slow

# The inner loop: all but browsers, kill loops, load, scale and long real-server tests (-m "not slow"),
# on both cores (pytest-xdist).
test-fast: install
	$(PY) -m pytest -q -m "not slow" -n 2

# Property tests with many random examples (Hypothesis's fuzz profile; failures are kept in .hypothesis/).
fuzz: install
	$(PY) -m pytest -q -m hypothesis --hypothesis-profile=fuzz

# The load test at full length (make test runs it for 5 s): prints requests, errors, p50 and p99.
load: install
	LOAD_SECONDS=$(LOAD_SECONDS) $(PY) -m pytest tests/test_load.py -s -q

# The kill loops at length (make test kills 20 first and 20 incremental builds of 2,000 findings,
# and a writing-room save at its own points and 6 of its build's, in a plain folder and in git).
FAULT_KILLS ?= 100
FAULT_NOTES ?= 250
faults: install
	FAULT_KILLS=$(FAULT_KILLS) FAULT_NOTES=$(FAULT_NOTES) $(PY) -m pytest tests/test_faults_kill.py tests/test_write_kill.py -s -q

# The draft's suggestions on notes they did not learn from (leave one note out): a table.
suggest-eval: install
	$(PY) -m ingest.draft.suggest_eval

# Synthetic corpus, builds, floors and Datasette timings (not part of make test): bench/results.json.
bench: install
	$(PY) -m pip install --quiet --constraint requirements.lock --editable '.[bench]'
	$(PY) bench/run.py --findings $(BENCH_FINDINGS) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm $(DB)-analysis-cache public/
