# Two commands set up everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv migrate bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

# A new database gets the province demo (2019–2023), so the first page is the 2023 report.
run: migrate
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py demo_data --if-empty --years 2019-2023
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	PY=$(PY) bash scripts/test.sh $(ARGS)

# The benchmark table on a throwaway PostgreSQL and on SQLite; ARGS=--quick for a short run.
bench: venv
	PY=$(PY) bash scripts/bench.sh $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
