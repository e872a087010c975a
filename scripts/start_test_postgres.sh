#!/usr/bin/env bash
# Start (or reuse) a throw-away PostgreSQL server on loopback for the test suite.
#
#   eval "$(scripts/start_test_postgres.sh)"    # exports CHILDPLAN_TEST_PG_URL
#
# Needs Debian's `postgresql` package (apt-get install -y postgresql). Idempotent: a server
# already running on the port is reused. Settings: CHILDPLAN_PG_DIR (data folder,
# default /tmp/childplan-pg), CHILDPLAN_PG_PORT (default 54329). Stop it with
#   pg_ctl -D /tmp/childplan-pg stop     (as the postgres user when started by root)
# Only the export line goes to stdout; progress goes to stderr.
set -euo pipefail

DIR="${CHILDPLAN_PG_DIR:-/tmp/childplan-pg}"
PORT="${CHILDPLAN_PG_PORT:-54329}"
DB="childplan_test"

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2
    exit 1
fi

# postgres refuses to run as root: run the server as the postgres user then.
if [ "$(id -u)" = 0 ]; then
    as_owner() { runuser -u postgres -- "$@"; }
    OWNER=postgres
else
    as_owner() { "$@"; }
    OWNER="$(id -un)"
fi

mkdir -p "$DIR"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"

if [ ! -f "$DIR/PG_VERSION" ]; then
    echo "initialising PostgreSQL cluster in $DIR" >&2
    as_owner "$BIN/initdb" -D "$DIR" -U postgres -A trust --encoding=UTF8 --locale=C >/dev/null
fi

if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    echo "starting PostgreSQL on 127.0.0.1:$PORT" >&2
    as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
fi

PSQL=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >/dev/null
fi

echo "export CHILDPLAN_TEST_PG_URL=postgresql://postgres@127.0.0.1:$PORT/$DB"
