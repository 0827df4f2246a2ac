# Maillon: `make run` serves the demo site, `make test` runs the whole suite, `make bench` (QUICK=1) measures.
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test test-fast install install-dev lint messages bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(STAMP): requirements.txt $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(STAMP) $@

install: $(STAMP)
install-dev: $(VENV)/.installed-dev

run: install
	./scripts/run.sh

# make test runs the suite in one pytest-xdist process per core (TEST_WORKERS: `nproc`, when the machine
# has more than one), each with its own test database, Redis database, SMTP server, Celery worker, live
# server and Chromium (--dist loadgroup: see README, the groups have no effect with pytest 9.2 and
# pytest-xdist 3.8.0). TEST_WORKERS=0: one process, no pytest-xdist.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 1 ] && echo "$$n" || echo 0)
XDIST = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)

test: install-dev
	./scripts/ensure_chromium.sh
	./scripts/ensure_pango.sh
	$(VENV)/bin/python -m pytest $(XDIST) $(PYTEST_ARGS)

# Local runs: the test database is kept between runs (PYTEST_ARGS=--create-db after a new migration).
test-fast: install-dev
	./scripts/ensure_chromium.sh
	./scripts/ensure_pango.sh
	$(VENV)/bin/python -m pytest $(XDIST) --reuse-db $(PYTEST_ARGS)

# ruff, then the import contracts in pyproject.toml (which app may import which: README, "Layers").
lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

# Rebuild the message catalogues after changing interface strings, then translate locale/en.
messages: install-dev
	$(VENV)/bin/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	$(VENV)/bin/python manage.py compilemessages --ignore=.venv

bench: install-dev
	$(VENV)/bin/python -m bench $(if $(QUICK),--quick)

clean:
	rm -rf var/maillon.sqlite3 var/mail var/test-cache staticfiles
