#!/usr/bin/env bash
# `npm run demo`: the whole system on this machine. Makes sure PostgreSQL and Redis run, installs
# and builds if needed, creates and migrates the database, starts the API and the worker in the
# background (logs in .demo/), waits until the API is ready, prints where to go and how to log in,
# and stops both gracefully on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[demo] $*" >&2; }
die() { echo "[demo] ERROR: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
require() { command -v "$1" >/dev/null 2>&1 || die "$1 is required but not installed ($2)."; }

DEMO_START=$(now_ms)
require npm "install Node.js and npm"
require curl "apt-get install -y curl"
require date "coreutils"

bash scripts/ensure-services.sh || die "PostgreSQL and Redis are needed; see the message above."
require psql "apt-get install -y postgresql-client"

if [ ! -d node_modules/@nestjs/core ]; then
  log "node_modules is missing: npm ci"
  npm ci --no-audit --no-fund || die "npm ci failed."
fi
# The project runs on Node 24 from the pinned devDependency, whatever node the machine has.
NODE="$(pwd)/node_modules/.bin/node"
[ -x "$NODE" ] || die "node_modules/.bin/node (Node 24) is missing; run npm ci."
"$NODE" -v | grep -q '^v24\.' || die "node_modules/.bin/node is $("$NODE" -v), expected v24."

log "building"
npm run build --silent || die "the build failed."

export NODE_ENV="${NODE_ENV:-development}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jsd}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export PORT="${PORT:-3000}"
if [ "$NODE_ENV" = development ]; then
  export BOOTSTRAP_ADMIN_EMAIL="${BOOTSTRAP_ADMIN_EMAIL:-admin@example.org}"
  export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-demo-admin-password-2026}"
fi

DB_NAME="${DATABASE_URL##*/}"
DB_NAME="${DB_NAME%%\?*}"
ADMIN_URL="${DATABASE_URL%/*}/postgres"
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || die "DATABASE_URL must name a plain database (got \"$DB_NAME\")."
if ! psql "$ADMIN_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  log "creating database $DB_NAME"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $DB_NAME" || die "could not create database $DB_NAME."
fi
log "running migrations"
"$NODE" dist/src/database/migrate-cli.js run || die "migrations failed."
mkdir -p .demo
log "loading demo data (safe to repeat: nothing is duplicated)"
"$NODE" dist/src/demo/demo-data-cli.js | tee .demo/demo-data.txt || die "loading the demo data failed."

if curl -s -o /dev/null "http://127.0.0.1:$PORT/health/live"; then
  die "something already answers on port $PORT; stop it or set PORT."
fi

mkdir -p .demo
API_PID=""
WORKER_PID=""
stop() {
  local code="${1:-0}"
  trap - INT TERM
  log "stopping API and worker"
  for pid in $API_PID $WORKER_PID; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $API_PID $WORKER_PID; do wait "$pid" 2>/dev/null || true; done
  log "stopped"
  exit "$code"
}
trap stop INT TERM

API_START=$(now_ms)
"$NODE" dist/src/main.js >.demo/api.log 2>&1 &
API_PID=$!
"$NODE" dist/src/worker.js >.demo/worker.log 2>&1 &
WORKER_PID=$!

LISTENING=""
for _ in $(seq 1 600); do
  kill -0 "$API_PID" 2>/dev/null || { tail -20 .demo/api.log >&2; die "the API exited; log above (.demo/api.log)."; }
  kill -0 "$WORKER_PID" 2>/dev/null || { tail -20 .demo/worker.log >&2; kill -TERM "$API_PID" 2>/dev/null; die "the worker exited; log above (.demo/worker.log)."; }
  if [ -z "$LISTENING" ] && curl -s -o /dev/null "http://127.0.0.1:$PORT/health/live"; then LISTENING=$(now_ms); fi
  if curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready"; then LISTENING="${LISTENING:-$(now_ms)}"; break; fi
  sleep 0.05
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" || { kill -TERM "$API_PID" "$WORKER_PID" 2>/dev/null; die "the API did not become ready in 30 s; see .demo/api.log."; }
READY=$(now_ms)

cat <<INFO

  Justice and security dialogue case management is running.

  API        http://localhost:$PORT/api/v1
  Docs       http://localhost:$PORT/docs   (OpenAPI: http://localhost:$PORT/docs/openapi.json)
  Health     http://localhost:$PORT/health/ready
  Login      ${BOOTSTRAP_ADMIN_EMAIL:-<BOOTSTRAP_ADMIN_EMAIL>} / ${BOOTSTRAP_ADMIN_PASSWORD:+$BOOTSTRAP_ADMIN_PASSWORD}
             curl -s -X POST http://localhost:$PORT/api/v1/auth/login -H 'Content-Type: application/json' \\
               -d '{"email":"${BOOTSTRAP_ADMIN_EMAIL:-}","password":"${BOOTSTRAP_ADMIN_PASSWORD:-}"}'
  Logs       .demo/api.log, .demo/worker.log

$(sed 's/^/  /' .demo/demo-data.txt)

  API cold start (process start -> listening): $((LISTENING - API_START)) ms
  Demo time (command start -> ready):          $((READY - DEMO_START)) ms

  Press Ctrl-C to stop the API and the worker.
INFO

# Keep running while both processes do; stop both if either dies.
while kill -0 "$API_PID" 2>/dev/null && kill -0 "$WORKER_PID" 2>/dev/null; do sleep 1; done
log "a process exited unexpectedly; see .demo/*.log"
stop 1
