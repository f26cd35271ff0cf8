#!/usr/bin/env bash
# The production stack on this machine: DEBUG off, gunicorn, static files
# collected and served by WhiteNoise, against DATABASE_URL — or, when none is
# given, a throwaway PostgreSQL cluster (scripts/pg.sh) removed on exit.
# Plain HTTP on 127.0.0.1, so the HTTPS-only settings are off unless set.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

export DEBUG=false
export SECRET_KEY=${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-false}
export CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-false}
export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
export BIND=${BIND:-${HOST:-127.0.0.1}:${PORT:-8000}}
export STATIC_ROOT=${STATIC_ROOT:-$PWD/staticfiles}

if [[ -z "${DATABASE_URL:-}" ]]; then
  # shellcheck source=scripts/pg.sh
  source scripts/pg.sh
  pg_find_bindir || { echo "No DATABASE_URL and no PostgreSQL binaries (apt-get install postgresql)." >&2; exit 1; }
  pg_start
  trap pg_stop EXIT
  export DATABASE_URL=$PG_URL
  echo "Throwaway PostgreSQL on port $PG_PORT (removed when this stops)."
fi

"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput >/dev/null
echo "gunicorn on http://$BIND/ (Ctrl-C stops it)"
"$PY" -m gunicorn hatinh_training.wsgi:application -c hatinh_training/gunicorn_conf.py "$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' INT TERM
wait "$server" || wait "$server" || true
