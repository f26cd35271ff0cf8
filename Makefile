# Two commands set up everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# These targets are for a developer's machine: DEBUG on unless said otherwise.
# `make serve` runs with DEBUG off; production sets its own environment (README).
export DEBUG ?= true

.PHONY: run test lint venv migrate bench clean serve backup restore load

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

# A new database gets the province demo (2019–2026, through the 2025 reform), so the board's
# first page is the 2026 report; the demo's accounts (board, districts, a commune, the school) are printed.
run: migrate
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py demo_data --if-empty --years 2019-2026
	$(PY) manage.py runserver $(HOST):$(PORT)

# ruff (pyproject.toml [tool.ruff]); .ci/run runs it before the tests.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: venv
	PY=$(PY) bash scripts/test.sh $(ARGS)

# The benchmark table on a throwaway PostgreSQL and on SQLite; ARGS=--quick for a short run.
bench: venv
	PY=$(PY) bash scripts/bench.sh $(ARGS)

# gunicorn + WhiteNoise with DEBUG off against DATABASE_URL, or a throwaway PostgreSQL.
serve: venv
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

backup: venv
	PY=$(PY) bash scripts/backup.sh backup $(FILE)

restore: venv
	PY=$(PY) bash scripts/backup.sh restore $(FILE)

# 50 users for 60 s on gunicorn + a throwaway PostgreSQL (bench/load/run.sh).
load: venv
	PY=$(PY) bash bench/load/run.sh

clean:
	rm -rf $(VENV) .pytest_cache
