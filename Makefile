# The KLA platform. `make run` and `make test` are all a newcomer needs; see README.md for the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
PY := .venv/bin/python
MANAGE := $(PY) manage.py
# Development defaults; a deployment sets its own environment (docs/deploy.md).
export DEBUG ?= 1

.PHONY: help env run setup test check lint types pytest test-browser test-postgres mutation regions-all messages schema clean bench bench-national bench-capacity loadtest drill audit audit-osv backup

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

env: ## create/refresh .venv from uv.lock (finds Python >= 3.12 and uv by itself)
	@bin/bootstrap

setup: env ## migrate the database and load regions, the instrument and the demo data (idempotent)
	@mkdir -p var
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) seed_demo --quiet-logins

run: env ## set everything up, print the demo logins and serve http://$(HOST):$(PORT)
	@mkdir -p var
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) seed_demo
	@echo ""
	@echo "Platform KLA berjalan di http://$(HOST):$(PORT)  (Ctrl+C untuk berhenti)"
	@$(MANAGE) runserver $(HOST):$(PORT) --skip-checks

test: env check pytest ## lint, type checks and the whole test suite (browser tests: make test-browser)

check: env lint types ## lint (ruff), types (mypy), Django checks and missing migrations
	@$(MANAGE) check --fail-level WARNING
	@$(MANAGE) makemigrations --check --dry-run -v 0 || (echo "Ada perubahan model tanpa migrasi: jalankan manage.py makemigrations" && exit 1)

lint: env
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check --quiet . || (echo "Format kode belum rapi: jalankan .venv/bin/ruff format ." && exit 1)

types: env
	@.venv/bin/mypy kla config

pytest: env ## the test suite without the browser (DATABASE_URL selects PostgreSQL)
	@$(PY) -m pytest -q -m "not browser" $(PYTEST_ARGS)

test-browser: env ## end-to-end journeys in Debian chromium (Playwright, no browser download)
	@$(PY) -m pytest -q -m browser $(PYTEST_ARGS)

mutation: env ## mutation testing of the pure rule modules (~50 min for all; MODULES="seal tally" for some), not part of make test
	@$(PY) bin/mutation.py $(MODULES)

bench: env ## benchmarks (not timed tests): upload throughput and server memory, results in bench/results.json
	@$(PY) -m bench.upload

bench-national: env ## national-scale benchmarks (seeds 514 kab/kota in a scratch database, ~15 min): re-scoring, page latency, exports, recaps
	@$(PY) -m bench.national

bench-capacity: env ## CPU per page of the peak-hour mix at national scale (PostgreSQL, production settings, ~2 min), projected to 3×
	@$(PY) -m bench.capacity $(CAPACITY_ARGS)

loadtest: env ## deadline surge on nginx → gunicorn → PostgreSQL at 1× and 3×, the knee, faults, deadline burst, integrity (~18 min, root)
	@$(PY) -m bench.loadtest.run $(LOADTEST_ARGS)

drill: env ## restore drill: national data set → backup → restore into an empty database, identical counts and hashes; damaged backups refused (PostgreSQL, ~3 min)
	@bin/restore-drill

regions-all: env ## load all four region levels (kecamatan and desa/kelurahan too, about 91,600 rows)
	@$(MANAGE) load_regions --level desa

messages: env ## refresh and compile the translation files in locale/
	@$(MANAGE) makemessages -l en --ignore ".venv/*" --ignore ".tools/*" --no-location
	@$(MANAGE) compilemessages -l en --ignore ".venv/*" --ignore ".tools/*"

schema: env ## regenerate the JSON Schema of framework files
	@$(MANAGE) framework_schema

clean: ## remove the local database, uploaded files and the environment
	rm -rf var .venv .tools

audit: env ## known vulnerabilities in the locked dependencies, from PyPI's JSON API (bin/audit_lock.py; exit 1 on any)
	@mkdir -p var
	@$(PY) bin/audit_lock.py --json var/audit-lock.json

audit-osv: env ## the same with pip-audit, where OSV or PyPI's per-release JSON is reachable (not from this build machine)
	@mkdir -p var
	@UV=$$(command -v uv || echo .tools/bin/uv); $$UV export --frozen --no-hashes --format requirements-txt > var/requirements-audit.txt && $$UV tool run pip-audit --strict --disable-pip --no-deps -r var/requirements-audit.txt

backup: env ## database dump + manifest of table counts and media hashes into var/backups (restore: manage.py restore DIR)
	@$(MANAGE) backup --out var/backups
