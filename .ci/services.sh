#!/usr/bin/env bash
# Installs (when missing) and starts the services the test suite runs against:
# PostgreSQL and Redis on loopback, plus Debian's Chromium for the browser tests.
# Idempotent: a service already answering on its port is left alone.
# Prints the environment to use, e.g.  eval "$(bash .ci/services.sh)"
set -euo pipefail

PGPORT=${MINEBAN_PGPORT:-55432}
REDISPORT=${MINEBAN_REDISPORT:-56379}
PGDATA=${MINEBAN_PGDATA:-/tmp/mineban-pg-$PGPORT}

missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
  as_pg "'$PGBIN/initdb' -D '$PGDATA' -A trust -U postgres -E UTF8 >/dev/null"
  # fsync off: a throwaway test cluster, speed matters more than durability here.
  as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -w -l '$PGDATA/server.log' \
    -o \"-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200\" start >/dev/null"
fi

if ! redis-cli -p "$REDISPORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDISPORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --logfile "/tmp/mineban-redis-$REDISPORT.log" >&2
  for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

"$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'mineban'" | grep -q 1 \
  || "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres mineban

echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/mineban"
echo "export REDIS_URL=redis://127.0.0.1:$REDISPORT/0"
