# The two commands of the README: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test venv system migrate seed messages lint check-migrations ci clean screenshots docs bench

# The environment is rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(BIN)/.installed

# Pango and a CJK font for the documents' PDFs (scripts/system_packages.sh: installs them as root).
system:
	@bash scripts/system_packages.sh

# Compiled catalogues are committed, so a machine without GNU gettext still runs the app in Chinese;
# where msgfmt exists they are rebuilt from the .po files (tests check the two agree).
messages: venv
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt not found: using the committed .mo catalogues"; fi

migrate: venv
	$(BIN)/python manage.py migrate --no-input -v1

seed: migrate
	$(BIN)/python manage.py seed_demo
	@# Raise today's alerts at once; the beat runs the same sweep every day at 00:30 (Asia/Shanghai).
	$(BIN)/python manage.py supervision_sweep

run: system messages seed
	@echo ""
	@echo "  Community correction case system: http://$(HOST):$(PORT)/"
	@echo "  Sign in as officer, officer2, supervisor, procurator, judge, police or socialworker"
	@echo "  (password Correction-2026); admin/Correction-2026 for /admin/. Ctrl-C stops everything."
	@echo ""
	@# --insecure: the development server serves the static files with DEBUG off (config/settings/dev.py).
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A config worker -B --pool=solo --loglevel=INFO \
	  --schedule=var/celerybeat-schedule & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload --insecure & \
	wait

test: system venv messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh the screenshots the README links, from the browser tests.
screenshots: venv messages
	UPDATE_SCREENSHOTS=1 DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest tests/browser -q

# Regenerate docs/api.md from the OpenAPI document (tests/test_docs.py fails while it is stale). Phony:
# a folder of the same name exists.
docs: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python scripts/api_reference.py

# The figures of issue 14 beside hand-written SQL (benchmarks/README.md). PostgreSQL: BENCH_DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/correction_bench), BENCH_SUPERVISEES (default 700000).
bench: venv
	$(BIN)/python benchmarks/bench.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: venv
	$(BIN)/python manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/db.sqlite3 var/celery-broker var/celerybeat-schedule* var/staticfiles
