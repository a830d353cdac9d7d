# exoclinic: `make run` to try it, `make test` to check it. Both set everything up on a fresh machine.
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make-stamps/install

.PHONY: run dev test test-race setup install migrate static lint format browser-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	mkdir -p $(dir $(STAMP)) && touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Static files are collected into var/static and served by whitenoise from there, in every mode.
static: install
	$(PY) manage.py collectstatic --noinput -v0

setup: migrate static
	$(PY) manage.py seed_demo

# gunicorn (gthread workers from the CPU count) and the Huey worker; one Ctrl-C stops both. DEBUG is off
# (no tracebacks, no query log); DJANGO_DEBUG=1 make run turns it on.
run: setup
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(PY) manage.py serve --port $(PORT)

# Django's development server: reloads on every code change, serves static files from the apps.
dev: setup
	@echo "Development server on http://127.0.0.1:$(PORT) (background jobs: .venv/bin/python manage.py run_huey)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

browser-deps:
	bash scripts/ensure-chromium
	bash scripts/ensure-axe

# Two test processes by default (the CI machine has 2 CPUs); each test file stays in one process, so its
# module fixtures are built once. PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2
test: setup browser-deps
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-race

# The double-booking races need a file database: an in-memory SQLite locks tables instead of waiting.
test-race: install
	rm -f var/test_race.sqlite3*
	DATABASE_TEST_NAME=var/test_race.sqlite3 $(PY) -m pytest -m race -p no:cacheprovider

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .make-stamps var
