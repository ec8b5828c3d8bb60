#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on their default local ports: starts them when they are
# installed but down, installs them with apt-get when missing, and says exactly what is wrong when
# neither is possible. Used by `npm test`, `npm run demo` and .ci/run.
set -euo pipefail

PGHOST_ADDR=127.0.0.1
log() { echo "[services] $*" >&2; }
die() { echo "[services] ERROR: $*" >&2; exit 1; }

pg_up() { pg_isready -h "$PGHOST_ADDR" -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

apt_install() {
  command -v apt-get >/dev/null || die "$1 is missing and apt-get is not available to install it; install $1 yourself."
  [ "$(id -u)" = 0 ] || die "$1 is missing; installing it needs root (run: sudo apt-get install -y $*)."
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed; cannot install $*."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed."
}

ensure_postgres() {
  if command -v pg_isready >/dev/null && pg_up; then return; fi
  if [ ! -d /etc/postgresql ] || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    apt_install postgresql postgresql-client
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || die "PostgreSQL does not answer on $PGHOST_ADDR:5432 (tried to start cluster $version main)."
  # Our machines use trust auth for local TCP; a fresh apt install does not.
  if ! psql -h "$PGHOST_ADDR" -U postgres -c 'select 1' >/dev/null 2>&1; then
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    log "enabling trust auth for local connections in $hba (development machine)"
    sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(host\s+all\s+all\s+::1\/128\s+)\S+/\1trust/; s/^(local\s+all\s+(postgres|all)\s+)\S+/\1trust/' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    psql -h "$PGHOST_ADDR" -U postgres -c 'select 1' >/dev/null 2>&1 || die "cannot connect to PostgreSQL as user postgres on $PGHOST_ADDR:5432."
  fi
}

ensure_redis() {
  if command -v redis-cli >/dev/null && redis_up; then return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || die "Redis does not answer on 127.0.0.1:6379."
}

ensure_postgres
ensure_redis
log "PostgreSQL and Redis are up"
