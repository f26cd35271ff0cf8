#!/usr/bin/env bash
# Load test: 50 users for 60 seconds against gunicorn + PostgreSQL on 127.0.0.1.
#   bash bench/load/run.sh            (USERS, DURATION, WORKERS override)
# Starts a throwaway PostgreSQL (scripts/pg.sh), loads the province demo data,
# creates one account per district and one for the board, serves the app with
# gunicorn (DEBUG off, as `make serve`), runs locust headless, then counts the
# rows the users created and edited in the database and prints p95 per request.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
USERS=${USERS:-50}
DURATION=${DURATION:-60}
WORKERS=${WORKERS:-4}
OUT=${OUT:-bench/load/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$(dirname "$OUT")"

"$PY" -c "import locust" 2>/dev/null || "$PY" -m pip install --quiet -e ".[load]"

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
pg_find_bindir || { echo "PostgreSQL binaries not found (apt-get install postgresql)." >&2; exit 1; }
pg_start
server=""
cleanup() {
  [[ -n "$server" ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  pg_stop
  [[ -z "${static_dir:-}" ]] || rm -rf "$static_dir"
}
trap cleanup EXIT

export DATABASE_URL=$PG_URL DEBUG=false
export SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0
export LOAD_PASSWORD="Tai-thu-$(date +%s)-Ha-Tinh!" LOG_LEVEL=WARNING
static_dir=$(mktemp -d /tmp/hatinh-static.XXXXXX)
export STATIC_ROOT=$static_dir
# Many users share 127.0.0.1 here: a typo must not lock the whole run out.
export AXES_FAILURE_LIMIT=1000

"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py collectstatic --noinput >/dev/null
"$PY" manage.py demo_data >/dev/null
# The staff are logged in already in the last week of the year: each simulated
# user gets its own session, opened here, so the timed minute measures the work
# and not 50 password hashes at once (one login is timed separately below).
export LOAD_SESSIONS=$OUT-sessions.json
"$PY" manage.py shell --no-imports -c "
import json, os, time
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from classes import services
from classes.models import AdministrativeUnit
password = os.environ['LOAD_PASSWORD']
users = [services.user_save(username=f'load-{unit.code}', role='district', unit=unit, password=password)
         for unit in AdministrativeUnit.objects.filter(kind__in=['huyen', 'thi_xa', 'thanh_pho'])]
users.append(services.user_save(username='load-tinh', role='province', password=password))
sessions = {}
for user in users:
    for _ in range(int(os.environ.get('USERS', 50))):
        store = SessionStore()
        store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: 'django.contrib.auth.backends.ModelBackend',
                      HASH_SESSION_KEY: user.get_session_auth_hash(), '_seen': int(time.time())})
        store.create()
        sessions.setdefault(user.username, []).append(store.session_key)
json.dump(sessions, open(os.environ['LOAD_SESSIONS'], 'w'))
"
units=$("$PY" manage.py shell --no-imports -c "from classes.models import AdministrativeUnit as U; print(','.join(U.objects.filter(kind__in=['huyen','thi_xa','thanh_pho']).values_list('code', flat=True)))")
port=$(pg_free_port)
WEB_CONCURRENCY=$WORKERS BIND=127.0.0.1:$port "$PY" -m gunicorn hatinh_training.wsgi:application \
  -c hatinh_training/gunicorn_conf.py --access-logfile /dev/null >"$OUT-gunicorn.log" 2>&1 &
server=$!
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

load_before=$(cut -d' ' -f1 /proc/loadavg)
login_ms=$("$PY" - "$port" <<'PYEOF'
import os, re, sys, time, urllib.parse, urllib.request, http.cookiejar
base = f"http://127.0.0.1:{sys.argv[1]}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
opener.open(base + "/admin/login/").read()
token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
body = urllib.parse.urlencode({"username": "load-tinh", "password": os.environ["LOAD_PASSWORD"], "csrfmiddlewaretoken": token, "next": "/admin/"}).encode()
start = time.perf_counter()
opener.open(base + "/admin/login/", body).read()
print(round((time.perf_counter() - start) * 1000))
PYEOF
)
before=$("$PY" manage.py shell --no-imports -c "from classes.models import TrainingClass; print(TrainingClass.objects.count())")
LOAD_UNITS=$units LOAD_LEDGER=$OUT-ledger.json "$PY" -m locust -f bench/load/locustfile.py --headless \
  --host "http://127.0.0.1:$port" -u "$USERS" -r 10 -t "${DURATION}s" --stop-timeout 10 \
  --csv "$OUT" --only-summary --loglevel WARNING >"$OUT-locust.log" 2>&1 || true

BEFORE=$before LEDGER=$OUT-ledger.json STATS=$OUT"_stats.csv" "$PY" manage.py shell --no-imports -c "
import csv, json, os
from django.db.models import Count
from classes.models import TrainingClass
ledger = json.load(open(os.environ['LEDGER']))
created = ledger['created']
rows = TrainingClass.objects.filter(code__startswith='LOAD-')
stored = set(rows.values_list('code', flat=True))
duplicates = rows.values('code').annotate(n=Count('*')).filter(n__gt=1).count()
lost = set(created) - stored
unexpected = stored - set(created)
versions = dict(rows.values_list('code', 'version'))
edits_lost = sum(1 for code, edits in ledger['edits'].items() if versions.get(code) != 1 + edits)
total = TrainingClass.objects.count()
print(f'rows: {len(created)} created by the users, {len(stored)} in the database, {len(lost)} lost, '
      f'{len(unexpected)} unexpected, {duplicates} duplicated; classes {int(os.environ[\"BEFORE\"])} -> {total}')
print(f'edits: {sum(ledger[\"edits\"].values())} saved on {len(ledger[\"edits\"])} classes, '
      f'{edits_lost} classes whose version disagrees with their edits, {ledger[\"conflicts\"]} conflicts')
print()
print(f'{\"request\":28} {\"count\":>7} {\"fail\":>5} {\"req/s\":>6} {\"median\":>7} {\"p95\":>6} {\"max\":>7}  (ms)')
for row in csv.DictReader(open(os.environ['STATS'])):
    print(f'{row[\"Name\"]:28} {row[\"Request Count\"]:>7} {row[\"Failure Count\"]:>5} {float(row[\"Requests/s\"]):>6.1f} {row[\"50%\"]:>7} {row[\"95%\"]:>6} {float(row[\"Max Response Time\"]):>7.0f}')
" | tee "$OUT-summary.txt"
# Other work on the machine skews the figures: say how busy it was.
echo "one login (password hash included) before the run: ${login_ms} ms" | tee -a "$OUT-summary.txt"
echo "users $USERS for ${DURATION}s, $WORKERS gunicorn workers, $(nproc) cores; load average $load_before before, $(cut -d' ' -f1 /proc/loadavg) after" | tee -a "$OUT-summary.txt"
grep -iE "error|exception" "$OUT-gunicorn.log" | head -5 || true
