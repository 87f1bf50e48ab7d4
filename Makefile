# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=$${DEBUG:-true}
PG_URL ?= postgres://postgres@127.0.0.1:5432/ufw_portal
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist processes for make test / test-services (each has its own test database).
TEST_PROCESSES ?= 2
# Tests marked `xdist_group` (a module's shared records) run on one worker.
XDIST := -n $(TEST_PROCESSES) --dist loadgroup

.PHONY: run install fonts migrate demo test coverage test-shifted lint test-fast test-services test-browser bench bench-smoke load load-smoke messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The PDFs need fonts with full Chinese coverage: Noto Serif/Sans CJK from Debian's
# fonts-noto-cjk. Installed when missing and apt is usable; otherwise a clear warning.
fonts:
	@if fc-list 2>/dev/null | grep -q "Noto Serif CJK SC"; then \
		echo "fonts: Noto CJK present"; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "fonts: installing fonts-noto-cjk"; \
		(apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk >/dev/null)) && fc-cache -f >/dev/null; \
	else \
		echo "fonts: WARNING Noto CJK fonts missing; install fonts-noto-cjk (PDFs would show boxes)"; \
	fi
	@# WeasyPrint subsets the fonts with HarfBuzz when libharfbuzz-subset0 is there; without
	@# it, with a slow fallback (seed_demo took some 90 s rendering on a fresh machine).
	@if ! command -v dpkg >/dev/null || dpkg -s libharfbuzz-subset0 >/dev/null 2>&1; then \
		true; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "fonts: installing libharfbuzz-subset0 (fast PDF font subsetting)"; \
		apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 >/dev/null) || \
		 echo "fonts: WARNING could not install libharfbuzz-subset0 (PDFs render slowly)"; \
	else \
		echo "fonts: WARNING libharfbuzz-subset0 missing; install it for fast PDFs"; \
	fi

migrate: install
	mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py demo_certificate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: install fonts demo
	$(DEV_ENV) exec $(BIN)/python manage.py run_portal

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PORTAL_TESTING=true $(BIN)/mypy .
	$(BIN)/lint-imports  # the dependency direction: pyproject.toml [tool.importlinter]

# The fast leg: lint, types, then the suite on SQLite with eager Celery, at the fixed
# test instant (PORTAL_TEST_NOW).
FAST := -m "not services and not browser"
test: lint
	mkdir -p var
	PORTAL_TESTING=true $(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest -q $(XDIST) $(FAST)

# Branch coverage per app with its floor: the fast suite again under coverage, half as
# slow again (4:13 -> 6:28 here), so not in CI's 25 minutes; run it before landing.
COVERAGE_FLOOR ?= 90
coverage: install
	mkdir -p var
	$(BIN)/pytest -q $(XDIST) $(FAST) --cov --cov-report=
	$(BIN)/python -m tests.coverage_by_app --fail-under $(COVERAGE_FLOOR)

# The fast leg again on the year's boundaries (CI): the annual report's and the quotas'
# last evening, then the first hour of a year with no official holiday schedule yet.
# Skips the tests marked `dateless` (permissions, escaping, PDFs, …; they run in make test
# and test-services): about a third of the suite runs on the last evening; the first hour
# of the new year runs the calendar's, deadlines', reminders' and year-end modules.
SHIFTED := -m "not services and not browser and not dateless"
NEW_YEAR := tests/test_clock.py tests/test_workdays.py tests/test_workday_pages.py \
	tests/test_deadlines.py tests/test_deadlines_pages.py tests/test_deadlines_transitions.py \
	tests/test_deadlines_demo.py tests/test_one_due_date.py tests/test_reminders.py \
	tests/test_reminders_services.py tests/test_outbox.py tests/test_meetings_quotas.py \
	tests/test_annual_report.py tests/test_work_points_year_end.py
test-shifted: install
	PORTAL_TEST_NOW=2026-12-31T23:30:00+08:00 $(BIN)/pytest -q $(XDIST) $(SHIFTED)
	PORTAL_TEST_NOW=2027-01-01T00:30:00+08:00 $(BIN)/pytest -q $(XDIST) $(SHIFTED) \
		$(NEW_YEAR)

# The same suite on real PostgreSQL and a real Celery worker on Redis; then the tests
# that start Celery clusters, alone (timing-sensitive, and they own the Redis queue).
test-services: install
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) CELERY_TASK_ALWAYS_EAGER=false \
		$(BIN)/pytest -q $(XDIST) -m "not browser and not services"
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) CELERY_TASK_ALWAYS_EAGER=false \
		$(BIN)/pytest -q -m services

# Two processes, each with its own live server, database and Chromium: most of a page's
# time is the browser waiting on the server and back, so two halve the leg. Playwright's
# tracing cost a minute and a half of the leg's five, so it is asked for when wanted:
# make test-browser BROWSER_ARGS="--tracing retain-on-failure --output var/traces"
BROWSER_ARGS ?=
test-browser: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -m browser -p no:randomly $(XDIST) \
		$(BROWSER_ARGS)

# Benchmarks: every page at scales 0.1 and 1 beside the floor, and every other benchmark
# module in bench/; the table goes to docs/performance.md. `bench-smoke` is CI's quick run.
bench: install
	$(BIN)/python -m bench

bench-smoke: install
	$(BIN)/python -m bench --smoke

# The January rush (bench/load): locust against gunicorn, PostgreSQL, Redis, a Celery
# worker and beat with DEBUG off, on the scale-1 benchmark data in PostgreSQL (rebuilt
# each time, about 4 minutes), at rising loads until p95 passes 300 ms; the report goes
# to var/load/report.md. `load-smoke` (CI, after the services leg): 60 s at scale 0.1,
# failing on any error, never on timings.
LOAD_DB_URL ?= postgres://postgres@127.0.0.1:5432/ufw_load
LOAD_USERS ?= 120,240,480,720,960
LOAD_SECONDS ?= 120
LOAD_WORKERS ?= 4
LOAD_THREADS ?= 2
load: install
	LOAD_DATABASE_URL=$(LOAD_DB_URL) $(BIN)/python -m bench.load.prepare --scale 1
	LOAD_DATABASE_URL=$(LOAD_DB_URL) $(BIN)/python -m bench.load.run --users $(LOAD_USERS) \
		--seconds $(LOAD_SECONDS) --workers $(LOAD_WORKERS) --threads $(LOAD_THREADS)

load-smoke: install
	LOAD_DATABASE_URL=$(LOAD_DB_URL) $(BIN)/python -m bench.load.prepare --scale 0.1 \
		--users 48 --documents 30
	LOAD_DATABASE_URL=$(LOAD_DB_URL) $(BIN)/python -m bench.load.run --users 48 --seconds 60 \
		--workers 2 --threads 2 --documents 30 --smoke

# The English catalogue: collect new strings into locale/en, translate them there, then
# compile; the .mo is committed so a fresh machine needs no gettext tools.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l en --no-obsolete \
		-i ".venv/*" -i "var/*" -i "bench/*" -i "tests/*"
	DEBUG=true $(BIN)/python manage.py compilemessages -l en -l zh_Hans -i ".venv"

clean:
	rm -rf var/celery var/portal.sqlite3* var/screenshots var/traces var/bench var/.coverage*
