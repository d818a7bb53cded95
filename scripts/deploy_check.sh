#!/usr/bin/env bash
# What the image does, checked without a container engine (CI runs this; so can anyone):
#   1. install the project as the Dockerfile does, into a fresh virtual environment, from the
#      files the image would get (tracked and new files, not ignored ones);
#   2. collectstatic with production settings and the Dockerfile's build-time values;
#   3. check --deploy;
#   4. first_run against a fresh PostgreSQL database, twice, and sample data refused;
#   5. gunicorn on production settings: the container's health check, /healthz, a static file,
#      and a finder lookup of CM1 1NQ that reaches its team's page;
#   6. the scheduler as compose runs it: each job once, a clean stop, its health check;
#   7. a backup with pg_dump and a restore with pg_restore into another fresh database, with every
#      table's row count compared.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trusted) and its client tools, and Redis on
# 127.0.0.1:6379 database 15 (DEPLOY_CHECK_REDIS_URL to change): production refuses to start
# without one. Creates and drops its own databases.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGOPTIONS="-c client_min_messages=warning"
DB=portal_deploy_check_$$
RESTORED=${DB}_restored
WORK=$(mktemp -d)
SITE=community-policing.example.org
GUNICORN_PID=

step() { echo "== deploy check: $*"; }
fail() { echo "deploy check FAILED: $*" >&2; exit 1; }
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  dropdb --if-exists "$RESTORED" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step "the image's files and a fresh virtual environment ($($PYTHON --version))"
mkdir "$WORK/app"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  [ -e "$file" ] && printf '%s\0' "$file"
done | tar --null -T - -cf - | tar -xf - -C "$WORK/app"
$PYTHON -m venv "$WORK/venv"
VENV=$WORK/venv/bin
cd "$WORK/app"
# As the Dockerfile: `pip install --upgrade pip && pip install .` (the pip cache is kept here).
"$VENV/python" -m pip install --quiet --upgrade pip
"$VENV/python" -m pip install --quiet .

# Production settings, and nothing of the caller's environment that the portal reads.
for name in $(env | grep -o '^\(DJANGO\|DATABASE\|REDIS\|GUNICORN\|POSTCODE\)_[A-Z_]*' || true); do
  unset "$name"
done
export DJANGO_SETTINGS_MODULE=portal.settings.prod PYTHONUNBUFFERED=1  # as the image
export DJANGO_SECRET_KEY="deploy-check-$("$VENV/python" -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DJANGO_ALLOWED_HOSTS=$SITE
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
REDIS=${DEPLOY_CHECK_REDIS_URL:-redis://127.0.0.1:6379/15}
if ! "$VENV/python" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$REDIS" 2>/dev/null; then
  fail "no Redis answers at $REDIS: production needs one (.ci/run starts it)"
fi
export REDIS_URL=$REDIS
MANAGE=("$VENV/python" manage.py)

step "collectstatic, with the Dockerfile's build-time values"
BUILD_ENV=$("$VENV/python" - <<'PY'
import pathlib, re
step = re.search(r"^RUN ((?:.*\\\n)*.*collectstatic.*)$", pathlib.Path("Dockerfile").read_text(), re.M)
print(" ".join(re.findall(r"\b([A-Z_]+=\S+)", step[1])))
PY
)
echo "   $BUILD_ENV"
# shellcheck disable=SC2086 # one word per variable
env $BUILD_ENV "${MANAGE[@]}" collectstatic --noinput -v 0
[ -s staticfiles/staticfiles.json ] || fail "collectstatic wrote no manifest"

step "check --deploy"
"${MANAGE[@]}" check --deploy --fail-level WARNING

step "first_run on a fresh database ($DB)"
dropdb --if-exists "$DB" && createdb "$DB"
start=$(date +%s)
"${MANAGE[@]}" first_run
echo "   first run took $(( $(date +%s) - start ))s"
"${MANAGE[@]}" first_run >"$WORK/again.log"
grep -q "Postcodes already imported" "$WORK/again.log" || fail "a second first_run imported again"
COUNTS=$("${MANAGE[@]}" shell -v 0 -c "
from meetings.models import Meeting
from surveys.models import Response, Survey
from teams.models import Officer, Postcode, Team
print(Postcode.objects.count(), Team.objects.count(), Officer.objects.count(),
      Meeting.objects.count(), Survey.objects.count(), Response.objects.count())")
read -r postcodes teams officers meetings surveys responses <<<"$COUNTS"
echo "   $postcodes postcodes, $teams teams; sample data: $officers officers, $meetings meetings, $surveys surveys, $responses responses"
[ "$postcodes" -gt 0 ] && [ "$teams" -eq 10 ] || fail "first_run left $postcodes postcodes, $teams teams"
[ "$officers$meetings$surveys$responses" = "0000" ] || fail "sample data in a production database"
if "${MANAGE[@]}" load_demo_data >"$WORK/demo.log" 2>&1; then fail "production loaded sample data"; fi
grep -q "sample data .* is never loaded here" "$WORK/demo.log" || fail "no clear refusal: $(cat "$WORK/demo.log")"

step "gunicorn on production settings"
PORT=$("$VENV/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=2
"$VENV/gunicorn" portal.wsgi --config gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  "$VENV/python" -m portal.healthcheck 2>/dev/null && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/gunicorn.log"; fail "gunicorn stopped"; }
  sleep 0.5
done
"$VENV/python" -m portal.healthcheck || { cat "$WORK/gunicorn.log"; fail "the container's health check"; }
get() {  # path -> "status location" and the body in $WORK/body, as through the TLS proxy
  curl -sS -o "$WORK/body" -w '%{http_code} %header{location}' \
    -H "Host: $SITE" -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT$1"
}
[ "$(get /healthz)" = "200 " ] && grep -q '"status": "ok"' "$WORK/body" || fail "/healthz: $(cat "$WORK/body")"
read -r status location <<<"$(get '/find/?postcode=cm1+1nq')"
[ "$status" = 302 ] && [[ "$location" == /teams/chelmsford-maldon/* ]] || fail "finder answered $status $location"
read -r status _ <<<"$(get "$location")"
[ "$status" = 200 ] && grep -q "Your team for CM1 1NQ" "$WORK/body" || fail "team page answered $status"
stylesheet=$(grep -o '/static/css/[^"]*\.[0-9a-f]\{12\}\.css' "$WORK/body" | head -n 1)
[ -n "$stylesheet" ] && [ "$(get "$stylesheet")" = "200 " ] || fail "hashed stylesheet ${stylesheet:-missing}"
echo "   /healthz ok; CM1 1NQ -> $location; $stylesheet served"
kill "$GUNICORN_PID" && wait "$GUNICORN_PID" 2>/dev/null || true
GUNICORN_PID=

step "the scheduler service: every job runs once, it stops cleanly, its health check passes"
"${MANAGE[@]}" run_scheduled_jobs >"$WORK/scheduler.log" 2>&1 &
SCHEDULER_PID=$!
for _ in $(seq 1 60); do
  grep -q "^clearsessions for .*: done" "$WORK/scheduler.log" && break
  kill -0 "$SCHEDULER_PID" 2>/dev/null || break
  sleep 0.5
done
kill -TERM "$SCHEDULER_PID" 2>/dev/null || true
wait "$SCHEDULER_PID" || { cat "$WORK/scheduler.log"; fail "the scheduler did not stop cleanly"; }
grep -v " INFO " "$WORK/scheduler.log" | sed 's/^/   /'
[ "$(grep -c ": done\." "$WORK/scheduler.log")" -eq 3 ] && grep -q "Scheduler stopped." "$WORK/scheduler.log" \
  || fail "the scheduler did not run its three jobs once"
"${MANAGE[@]}" run_scheduled_jobs --once >"$WORK/again.log"
[ ! -s "$WORK/again.log" ] || fail "jobs ran twice in a day: $(cat "$WORK/again.log")"
"${MANAGE[@]}" run_scheduled_jobs --check

step "backup (pg_dump) and restore (pg_restore) into $RESTORED"
pg_dump --format=custom --file="$WORK/portal.dump" "$DB"
dropdb --if-exists "$RESTORED" && createdb "$RESTORED"
pg_restore --no-owner --exit-on-error --dbname="$RESTORED" "$WORK/portal.dump"
count_rows() {
  psql -d "$1" -AtX -c "
    SELECT string_agg(table_name || '=' || (xpath('/row/c/text()',
      query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text,
      ' ' ORDER BY table_name)
    FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
}
before=$(count_rows "$DB")
after=$(count_rows "$RESTORED")
[ -n "$before" ] && [ "$before" = "$after" ] || fail "restored rows differ: $before / $after"
echo "   $(wc -w <<<"$before") tables, every row count equal ($(grep -o 'teams_postcode=[0-9]*' <<<"$after"))"
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$RESTORED "${MANAGE[@]}" migrate --check >/dev/null \
  || fail "the restored database is missing migrations"

step "passed"
