#!/usr/bin/env bash
# The whole suite twice: on SQLite, then on a real PostgreSQL.
# PostgreSQL comes from DATABASE_URL when it names one; otherwise this script
# starts a throwaway cluster in a temporary folder on a free port and stops it
# afterwards. Without PostgreSQL binaries it runs SQLite only, except under
# CI=true, where a missing PostgreSQL leg fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

echo "== SQLite =="
env -u DATABASE_URL "$PY" -m pytest "$@"

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  echo "== PostgreSQL ($DATABASE_URL) =="
  "$PY" -m pytest "$@"
  exit 0
fi

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
if ! pg_find_bindir; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "PostgreSQL binaries not found: the PostgreSQL leg cannot run under CI." >&2
    exit 1
  fi
  echo "PostgreSQL binaries not found: skipped the PostgreSQL leg (install postgresql to run it)." >&2
  exit 0
fi
pg_start
trap pg_stop EXIT
echo "== PostgreSQL (throwaway cluster on port $PG_PORT) =="
DATABASE_URL="$PG_URL" "$PY" -m pytest "$@"
