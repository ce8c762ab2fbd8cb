#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the integration tests and prints the
# TEST_DATABASE_URL to use (last line of stdout, nothing else goes to stdout):
#
#   export TEST_DATABASE_URL="$(.ci/postgres.sh)"
#
# Installs Debian's `postgresql` package when missing, starts the default cluster with
# pg_ctlcluster, and creates a `passdesk` role (password `passdesk`) owning a `passdesk`
# database. Idempotent: safe to run again. Needs root (apt-get, su postgres).
set -euo pipefail

log() { echo "[postgres.sh] $*" >&2; }

ROLE="${PASSDESK_PG_ROLE:-passdesk}"
PASSWORD="${PASSDESK_PG_PASSWORD:-passdesk}"
DATABASE="${PASSDESK_PG_DATABASE:-passdesk}"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

# The newest installed major version and its (only) cluster, usually "main".
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if [ ! -d "/etc/postgresql/${VERSION}" ] || [ -z "$(ls "/etc/postgresql/${VERSION}")" ]; then
  log "creating cluster ${VERSION}/main…"
  pg_createcluster "${VERSION}" main >&2
fi
CLUSTER="$(ls "/etc/postgresql/${VERSION}" | head -n 1)"
PORT="$(pg_lsclusters -h | awk -v v="${VERSION}" -v c="${CLUSTER}" '$1 == v && $2 == c { print $3 }')"

if ! pg_lsclusters -h | awk -v v="${VERSION}" -v c="${CLUSTER}" '$1 == v && $2 == c { print $4 }' | grep -q online; then
  log "starting cluster ${VERSION}/${CLUSTER} on port ${PORT}…"
  pg_ctlcluster "${VERSION}" "${CLUSTER}" start >&2
fi

# Wait until it accepts connections (fresh clusters take a moment).
for _ in $(seq 1 30); do
  if su postgres -c "pg_isready -q -p ${PORT}"; then break; fi
  sleep 1
done
su postgres -c "pg_isready -q -p ${PORT}" || { log "PostgreSQL did not become ready"; exit 1; }

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -t -A -p ${PORT} $*"; }

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'\"")" != "1" ]; then
  log "creating role ${ROLE}…"
  psql_admin "-c \"CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'\"" >&2
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'\"")" != "1" ]; then
  log "creating database ${DATABASE}…"
  psql_admin "-c \"CREATE DATABASE ${DATABASE} OWNER ${ROLE}\"" >&2
fi

log "ready: PostgreSQL ${VERSION} on port ${PORT}"
echo "postgresql://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/${DATABASE}"
