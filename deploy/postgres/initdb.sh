#!/bin/sh
# The postgres image runs this on the first start of an empty data volume (/docker-entrypoint-initdb.d):
# the two database roles and their database (deploy/postgres/roles.sql, README "Database roles").
# On a volume that already has data, run roles.sql by hand (README "Deployment").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v db="$POSTGRES_DB" \
  -v owner=correction_owner -v owner_password="$DB_OWNER_PASSWORD" \
  -v app=correction_app -v app_password="$DB_APP_PASSWORD" \
  -f /deploy/roles.sql
