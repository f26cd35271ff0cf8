#!/usr/bin/env bash
# Backup and restore of the database named by DATABASE_URL (default: the
# SQLite file db.sqlite3 in the project folder).
#   scripts/backup.sh backup [FILE]   PostgreSQL: pg_dump -Fc; SQLite: a copy
#                                     through SQLite's online backup API.
#                                     FILE defaults to $BACKUP_DIR/hatinh-<time>.{dump,sqlite3}
#   scripts/backup.sh restore FILE    replaces the database's contents with FILE
#                                     (pg_restore --clean in one transaction; SQLite backup API).
# The PostgreSQL tools come from pg_config or /usr/lib/postgresql/*/bin, as in scripts/pg.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
action=${1:-}
file=${2:-}

# Engine and location from the same parser the settings use.
read -r engine location < <("$PY" - <<'PYEOF'
import os
import dj_database_url
url = os.environ.get("DATABASE_URL") or f"sqlite:///{os.path.abspath('db.sqlite3')}"
config = dj_database_url.parse(url)
if "postgresql" in config["ENGINE"]:
    print("postgresql", url)
elif "sqlite3" in config["ENGINE"]:
    print("sqlite", config["NAME"])
else:
    print("unsupported", config["ENGINE"])
PYEOF
)

pg_tool() {
  # shellcheck source=scripts/pg.sh
  source scripts/pg.sh
  if pg_find_bindir; then
    echo "$PG_BIN/$1"
  elif command -v "$1" >/dev/null 2>&1; then
    command -v "$1"
  else
    echo "$1 not found: install the PostgreSQL client (apt-get install postgresql-client)." >&2
    return 1
  fi
}

sqlite_copy() {  # sqlite_copy FROM TO: a consistent copy even while the app writes
  "$PY" - "$1" "$2" <<'PYEOF'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
source.close(); target.close()
PYEOF
}

case "$action:$engine" in
  backup:postgresql|backup:sqlite)
    if [[ -z "$file" ]]; then
      dir=${BACKUP_DIR:-backups}
      mkdir -p "$dir"
      ext=$([[ $engine == postgresql ]] && echo dump || echo sqlite3)
      file="$dir/hatinh-$(date +%Y%m%d-%H%M%S).$ext"
    fi
    if [[ $engine == postgresql ]]; then
      "$(pg_tool pg_dump)" --format=custom --no-owner --no-privileges --file="$file" "$location"
    else
      [[ -f "$location" ]] || { echo "No SQLite database at $location." >&2; exit 1; }
      sqlite_copy "$location" "$file"
    fi
    echo "Backup written: $file ($(du -h "$file" | cut -f1))"
    ;;
  restore:postgresql|restore:sqlite)
    [[ -n "$file" && -f "$file" ]] || { echo "Usage: make restore FILE=backups/hatinh-….dump" >&2; exit 2; }
    if [[ $engine == postgresql ]]; then
      "$(pg_tool pg_restore)" --clean --if-exists --no-owner --no-privileges \
        --single-transaction --exit-on-error --dbname="$location" "$file"
    else
      sqlite_copy "$file" "$location"
    fi
    echo "Restored $file into the $engine database."
    ;;
  *:unsupported)
    echo "Backups support PostgreSQL and SQLite, not $location." >&2; exit 2 ;;
  *)
    echo "Usage: scripts/backup.sh backup [FILE] | restore FILE" >&2; exit 2 ;;
esac
