#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite (run as root on a Debian machine).
# Installs the `postgresql` package if missing, starts the cluster, makes a superuser role
# for the current user and a database `bitext_test`, and prints the URL to export:
#     export BITEXT_TEST_POSTGRES_URL="$(.ci/postgres.sh | tail -n 1)"
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
fi

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
    pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q" && break
    sleep 1
done

user="$(id -un)"
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$user'\"" | grep -q 1 \
    || su postgres -c "createuser -s '$user'" >&2
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'bitext_test'\"" | grep -q 1 \
    || su postgres -c "createdb -O '$user' bitext_test" >&2

socket_dir=/var/run/postgresql
echo "postgresql+psycopg://${user}@/bitext_test?host=${socket_dir}"
