# exoclinic: `make run` to try it, `make test` to check it. Both set everything up on a fresh machine.
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make-stamps/install

.PHONY: run test setup install migrate lint format browser-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	mkdir -p $(dir $(STAMP)) && touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

setup: migrate
	$(PY) manage.py seed_demo

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT)  (stop with Ctrl-C)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

browser-deps:
	bash scripts/ensure-chromium

test: setup browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .make-stamps var
