#!/bin/sh
# Load test of the production set-up on loopback: gunicorn (3 workers) + PostgreSQL, driven by
# locust (scripts/locustfile.py). Writes the figures to docs/load-test.md.
#
#   scripts/load_test.sh                 # or: make loadtest
#   DURATION=5m USERS=50 scripts/load_test.sh
#
# Needs a PostgreSQL server the current user can create databases on (PGURL, by default
# postgres://postgres@127.0.0.1:5432) and the dev tools with locust (make loadtest installs them).
# It creates and drops a scratch database `ordipratique_load`; nothing else is touched.
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=ordipratique_load
PORT=${PORT:-8765}
DURATION=${DURATION:-3m}
USERS=${USERS:-30}
SPAWN=${SPAWN:-5}
WORKERS=${WORKERS:-3}
OUT=$(mktemp -d)

psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export DATABASE_URL="$PGURL/$DB" DEBUG=0 HTTPS=0 STATIC_MANIFEST=0 ALLOWED_HOSTS=127.0.0.1 \
       SECRET_KEY="load-test-$(date +%s)-not-a-real-secret-key-just-long-enough-for-django" \
       MEDIA_ROOT="$OUT/media" LOG_LEVEL=WARNING AXES_FAILURE_LIMIT=1000
$PY manage.py migrate --no-input -v 0
$PY manage.py load_demo >/dev/null
.venv/bin/gunicorn ordipratique.wsgi --bind 127.0.0.1:$PORT --workers "$WORKERS" --access-logfile /dev/null \
    --pid "$OUT/gunicorn.pid" --daemon
sleep 3
.venv/bin/locust -f scripts/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    --users "$USERS" --spawn-rate "$SPAWN" --run-time "$DURATION" --csv "$OUT/run" --only-summary \
    --loglevel WARNING || true
kill "$(cat "$OUT/gunicorn.pid")"
psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB"

$PY - "$OUT/run_stats.csv" "$DURATION" "$USERS" "$WORKERS" <<'PYEOF'
import csv, datetime, platform, os, sys
path, duration, users, workers = sys.argv[1:]
rows = list(csv.DictReader(open(path)))
def f(x): return float(x or 0)
lines = [
    "# Load test",
    "",
    "Production set-up on one machine, over loopback: gunicorn (%s sync workers) in front of" % workers,
    "Django with `DEBUG=0`, PostgreSQL, demo data (`load_demo`); locust drives %s simulated" % users,
    "staff (technicians browsing devices, trainers browsing households/courses/allocations,",
    "an API client with a token) for %s." % duration,
    "",
    "Reproduce with one command (needs PostgreSQL on 127.0.0.1:5432, see the script's header):",
    "",
    "```sh",
    "make loadtest        # = scripts/load_test.sh; DURATION=5m USERS=50 scripts/load_test.sh",
    "```",
    "",
    "Run on %s, %s, %s CPUs, Python %s." % (
        datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"), platform.system(), os.cpu_count(),
        platform.python_version()),
    "",
    "| request | count | errors | req/s | median ms | p95 ms | p99 ms | max ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for r in rows:
    name = "**all**" if r["Name"] == "Aggregated" else "%s %s" % (r["Type"], r["Name"])
    lines.append("| %s | %d | %d | %.1f | %.0f | %.0f | %.0f | %.0f |" % (
        name, f(r["Request Count"]), f(r["Failure Count"]), f(r["Requests/s"]), f(r["50%"]), f(r["95%"]),
        f(r["99%"]), f(r["Max Response Time"])))
lines += [
    "",
    "Reading it: signing in is slow on purpose (PBKDF2 password hashing costs about a second",
    "of CPU) and every simulated user signs in during the ramp-up, so the sign-in rows and the",
    "aggregated p99/max measure that burst; the browsing rows show the steady state.",
]
open("docs/load-test.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PYEOF
rm -rf "$OUT"
