#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests when this machine has the server binaries, and prints
# the export line for GOVCRED_TEST_DATABASE_URL (the PostgreSQL tests skip without it). Used by .ci/run:
#   eval "$(scripts/test-postgres.sh start)" … scripts/test-postgres.sh stop
set -euo pipefail
dir=${GOVCRED_PG_DIR:-/tmp/govcred-test-pg}
case "${1:-}" in
  start)
    command -v initdb >/dev/null && command -v pg_ctl >/dev/null || { echo "# no PostgreSQL server here: its tests will skip" >&2; exit 0; }
    as=()
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "# running as root without a postgres user: PostgreSQL tests will skip" >&2; exit 0; }
      as=(runuser -u postgres --)
    fi
    rm -rf "$dir"; mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    "${as[@]}" initdb -D "$dir/data" -A trust -U govcred >"$dir/initdb.log" 2>&1
    "${as[@]}" pg_ctl -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/server.log" -w start >/dev/null
    "${as[@]}" createdb -h 127.0.0.1 -p "$port" -U govcred govcred_test
    echo "export GOVCRED_TEST_DATABASE_URL=postgres://govcred@127.0.0.1:$port/govcred_test"
    ;;
  stop)
    [ -d "$dir/data" ] || exit 0
    as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
    "${as[@]}" pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
