-- The two database roles and the database they share (README "Database roles"). Idempotent: run it by a
-- PostgreSQL superuser, once per installation and again whenever in doubt:
--
--   psql -v ON_ERROR_STOP=1 -v db=correction -v owner=correction_owner -v owner_password=... \
--        -v app=correction_app -v app_password=... -f deploy/postgres/roles.sql
--
-- `owner` owns the database, its public schema and everything in it, and runs `manage.py migrate`;
-- `app` is what the application connects as (DATABASE_URL). Neither is a superuser, and `app` owns
-- nothing, so it can neither ALTER (DISABLE TRIGGER), TRUNCATE nor DROP the audit table, nor SET
-- session_replication_role. The grants on tables are the owner's, made after every migrate
-- (accounts/db_roles.py): ordinary tables read and written, the audit trail only read and added to.
-- An installation that ran migrate as another role is taken over: its tables and functions pass to `owner`.

\set ON_ERROR_STOP on

-- The roles: able to sign in, nothing more (whatever they were before).
SELECT format('CREATE ROLE %I', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner')
\gexec
SELECT format('CREATE ROLE %I', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app')
\gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'owner', NULLIF(:'owner_password', ''))
\gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'app', NULLIF(:'app_password', ''))
\gexec
-- The application is not the owner under another name.
SELECT format('REVOKE %I FROM %I', :'owner', :'app')
  WHERE pg_has_role(:'app', :'owner', 'MEMBER')
\gexec

-- The database, owned by the owner.
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner')
\gexec

\connect :"db"

-- The schema: the owner creates in it, the application only uses it, nobody else may create.
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- Taking over an installation migrated as another role (before there were two): tables (with the
-- sequences of their columns), other sequences, views and functions, among them the audit trigger's, pass
-- to the owner, so that the application role does not keep an owner's rights over any of them.
SELECT format('ALTER TABLE public.%I OWNER TO %I', c.relname, :'owner')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND pg_get_userbyid(c.relowner) <> :'owner'
\gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', c.relname, :'owner')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> :'owner'
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
\gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner'
\gexec
