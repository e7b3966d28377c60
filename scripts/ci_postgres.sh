#!/usr/bin/env bash
# CI only: install Debian's PostgreSQL, start its cluster, create a test role and
# database, and print the SQLAlchemy URL the PostgreSQL tests read from
# DISCLOSURE_OCR_TEST_PG_URL. Works as root and as a sudo-capable user; safe to
# run again.
#   export DISCLOSURE_OCR_TEST_PG_URL="$(bash scripts/ci_postgres.sh)"
set -euo pipefail

ROLE=disclosure_ocr
PASSWORD=disclosure_ocr
DATABASE=disclosure_ocr_test

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
  as_postgres() { runuser -u postgres -- "$@"; }
else
  SUDO="sudo"
  as_postgres() { sudo -u postgres "$@"; }
fi

if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
  echo "installing Debian postgresql" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

# The package creates a cluster; on machines without systemd it is not running yet.
read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -1) || true
if [ -z "${VERSION:-}" ]; then
  VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  CLUSTER=main
  $SUDO pg_createcluster "$VERSION" "$CLUSTER" >&2
  read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -1) || true
fi
if [ "$STATUS" != "online" ]; then
  $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$PORT" && break
  sleep 1
done

psql_admin() { as_postgres psql -p "$PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
