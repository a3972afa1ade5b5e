#!/usr/bin/env bash
# A private PostgreSQL for the tests: its own cluster under a temporary directory, listening on loopback only, trusted
# local connections (nothing outside this machine can reach it), stopped and deleted afterwards.
#   source tools/postgres/private-postgres.sh
#   private_postgres_start   sets AIGC_TEST_POSTGRES (a connection string) and PRIVATE_POSTGRES_DIR
#   private_postgres_stop    stops the server and deletes its directory
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user and runs through runuser.

private_postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/pg_ctl" ] || return 1
  printf '%s\n' "$bin"
}

private_postgres_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

private_postgres_start() {
  local bin port
  bin=$(private_postgres_bin) || { echo "private-postgres: no PostgreSQL server found (apt install postgresql)" >&2; return 1; }
  PRIVATE_POSTGRES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aigc-postgres.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PRIVATE_POSTGRES_DIR"
  private_postgres_as_owner "$bin/initdb" -D "$PRIVATE_POSTGRES_DIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$PRIVATE_POSTGRES_DIR/initdb.log" 2>&1 \
    || { cat "$PRIVATE_POSTGRES_DIR/initdb.log" >&2; return 1; }
  # Other builds may run beside this one: try ports until one is free.
  for port in $(shuf -i 20000-60000 -n 20); do
    if private_postgres_as_owner "$bin/pg_ctl" -D "$PRIVATE_POSTGRES_DIR/data" -l "$PRIVATE_POSTGRES_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PRIVATE_POSTGRES_DIR -c max_connections=300 -c fsync=off" \
        start >/dev/null 2>&1; then
      export AIGC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      return 0
    fi
  done
  cat "$PRIVATE_POSTGRES_DIR/server.log" >&2
  return 1
}

private_postgres_stop() {
  [ -n "${PRIVATE_POSTGRES_DIR:-}" ] && [ -d "$PRIVATE_POSTGRES_DIR" ] || return 0
  local bin
  bin=$(private_postgres_bin) && private_postgres_as_owner "$bin/pg_ctl" -D "$PRIVATE_POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$PRIVATE_POSTGRES_DIR"
  unset PRIVATE_POSTGRES_DIR AIGC_TEST_POSTGRES
}
