#!/usr/bin/env bash
# `make bench`: bench/run.py on a throwaway PostgreSQL cluster (scripts/pg.sh, as
# `make test` uses) and on a temporary SQLite file. Installs the load generator
# wrk (Debian) when it is missing. Arguments go to bench/run.py (e.g. --quick).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if ! command -v wrk >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing wrk (load generator) with apt-get..." >&2
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "wrk is missing: install it (sudo apt-get install wrk) and run again." >&2
    exit 1
  fi
fi

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
if ! pg_find_bindir; then
  echo "PostgreSQL binaries not found: install postgresql to run the PostgreSQL leg." >&2
  exit 1
fi
pg_start
trap pg_stop EXIT
"$PY" bench/run.py --pg-url "$PG_URL" "$@"
