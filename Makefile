# dichvucong — the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: PDFs need pango and Noto fonts (Vietnamese, ₫); uploads need libmagic1 (content
# checks); browser tests need chromium;
# messages need gettext; virtual environments need python3-venv; benchmarks need wrk (HTTP load).
RUN_APT := python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core libmagic1
TEST_APT := $(RUN_APT) chromium gettext
BENCH_APT := wrk
# The suite runs on every core (pytest-xdist; each worker has its own test database). PYTEST_ARGS=
# overrides, e.g. `make test PYTEST_ARGS="-n 0 -x"` for one process that stops at the first failure.
PYTEST_ARGS ?= -n auto

.PHONY: run test test-sqlite test-postgres bench lint format messages reference demo check-deploy clean help system-run system-test

help:
	@echo "make run    – install, migrate, load reference and demo data, serve http://$(HOST):$(PORT) with a worker"
	@echo "make test   – install test dependencies and run the whole suite (also on PostgreSQL if DATABASE_URL is set)"
	@echo "make bench  – performance benchmarks (docs/benchmarks.md)"
	@echo "make lint   – ruff"

# --- system packages ------------------------------------------------------------------------------
# Installs with apt-get when run as root; otherwise stops and prints the exact command to run.
system-run:
	@bash .ci/system-packages $(RUN_APT)

system-test:
	@bash .ci/system-packages $(TEST_APT)

# --- Python environment ---------------------------------------------------------------------------
$(VENV)/.installed-run: pyproject.toml | system-run
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | system-test
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

# --- Running ---------------------------------------------------------------------------------------
# The portal on one machine runs in development mode unless the environment says otherwise.
reference demo run: export DEBUG ?= true

reference: $(VENV)/.installed-run
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) directory_load_units
	$(MANAGE) directory_generate_agencies
	$(MANAGE) catalog_load
	$(MANAGE) catalog_generate_offerings

demo: reference
	$(MANAGE) accounts_load_demo
	$(MANAGE) documents_make_dev_ca

run: demo
	@echo "Cổng dịch vụ công: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	@trap 'kill 0' EXIT INT TERM; \
	$(MANAGE) db_worker --no-reload & \
	$(MANAGE) core_run_scheduler & \
	$(MANAGE) runserver $(HOST):$(PORT)

# --- Tests -------------------------------------------------------------------------------------------
# SQLite always; PostgreSQL too when DATABASE_URL is set. Both must pass.
test: $(VENV)/.installed-test
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL is not set: skipped the PostgreSQL run (CI runs it)."; fi

test-sqlite: $(VENV)/.installed-test
	@echo "=== Test suite on SQLite ==="
	env -u DATABASE_URL $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-test
	@echo "=== Test suite on PostgreSQL ($${DATABASE_URL%%@*}@…) ==="
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Search, lookup (1,000,000 dossiers, over HTTP with gunicorn and wrk), submission and the back-office
# inbox and deadline scan (1,000,000 dossiers), on SQLite and,
# when DATABASE_URL is set, on PostgreSQL (a separate <name>_bench database). See docs/benchmarks.md.
BENCHMARKS := bench/search.py bench/lookup.py bench/submission.py bench/inbox.py
bench: $(VENV)/.installed-test
	@bash .ci/system-packages $(BENCH_APT)
	set -e; for b in $(BENCHMARKS); do env -u DATABASE_URL $(PY) $$b; done
	@if [ -n "$$DATABASE_URL" ]; then set -e; for b in $(BENCHMARKS); do $(PY) $$b; done; fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract Vietnamese msgids and update the English catalogue, then compile it (needs gettext).
messages: $(VENV)/.installed-test
	$(MANAGE) makemessages -l en --no-obsolete --no-location --ignore='.venv/*' --ignore='var/*' --ignore='bench/*'
	$(MANAGE) compilemessages --ignore='.venv/*'

check-deploy: $(VENV)/.installed-run
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=dichvucong.example.vn \
		$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/static
