# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    serve the app with demo data at http://127.0.0.1:8000
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# One test process per core (pytest-xdist); PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= auto

.PHONY: run test install bench messages lint clean loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

install: $(RUNTIME_STAMP)

run: $(RUNTIME_STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	$(BIN)/python -m bench --scale 1 --json bench/results.json

# A few minutes of load on gunicorn + PostgreSQL (loopback); figures in docs/load-test.md.
# Not part of `make test`. Needs PostgreSQL on 127.0.0.1:5432 (PGURL to change it) and locust.
loadtest: $(DEV_STAMP)
	$(BIN)/pip install --quiet -r requirements-loadtest.txt
	scripts/load_test.sh

# Compiles the translation catalogs (.po -> .mo) without GNU gettext; the .mo files are
# committed so that running the app never needs this step.
messages: $(DEV_STAMP)
	$(BIN)/python scripts/compile_messages.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
