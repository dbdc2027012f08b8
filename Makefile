# Quartierswerkstatt – the two commands of the README, and a few helpers.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: messages run setup setup-dev lock vendor test test-sqlite test-postgres lint migrate seed bench loadtest worker clean

run: setup ## set up, migrate SQLite under var/, load demo data once, serve on http://127.0.0.1:8000
	$(BIN)/python -m app migrate
	$(BIN)/python -m app seed-demo
	@echo "Entwicklungsbetrieb: E-Mails (z. B. Bestätigungslinks) erscheinen nach wenigen Sekunden hier im Log."
	$(BIN)/python -m app serve --host $(HOST) --port $(PORT)

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

setup: $(BIN)/python vendor ## runtime dependencies (from the hashed lock file) and front-end libraries
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .

setup-dev: $(BIN)/python vendor ## runtime and development dependencies (from the hashed lock file)
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .

UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 -q
lock: ## after changing a pin in pyproject.toml: write requirements.lock and requirements-dev.lock (with hashes)
	test -x $(BIN)/uv || $(MAKE) setup-dev
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock

vendor: ## front-end libraries from the npm registry, copied to static/vendor (git-ignored)
	npm install --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	mkdir -p static/vendor/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css static/vendor/swagger-ui/

test: setup-dev ## the whole suite (SQLite; set QW_TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/ruff check app tests migrations
	$(BIN)/pytest

PG_TEST_URL = postgresql+psycopg://postgres@127.0.0.1:5432/test
test-postgres: setup-dev
	QW_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest

lint:
	$(BIN)/ruff check app tests migrations

bench: setup-dev ## benchmarks under tests/benchmarks (results printed as Markdown)
	$(BIN)/pytest tests/benchmarks -p no:cacheprovider -s --override-ini addopts=

LOADTEST_DB ?= both
BENCH8 = $(BIN)/pytest tests/benchmarks/test_section_page_benchmark.py -q -p no:cacheprovider -s --override-ini addopts=
loadtest: setup-dev ## load test of issues 7 and 12 with wrk (uvicorn 1 and 2 workers vs a bare Starlette ceiling), then benchmark 8 (~12 min)
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m tests.benchmarks.load --db $(LOADTEST_DB)
	if [ "$(LOADTEST_DB)" != postgres ]; then $(BENCH8); fi
	if [ "$(LOADTEST_DB)" != sqlite ]; then QW_TEST_DATABASE_URL=$(PG_TEST_URL) $(BENCH8); fi

worker: ## deliver queued e-mails continuously
	$(BIN)/python -m app deliver-mail --loop

clean:
	rm -rf $(VENV) node_modules static/vendor var

messages: ## extract German msgids and merge them into the English catalogue (app/locale/en)
	$(BIN)/pybabel extract -F app/locale/babel.cfg -k _ -k gettext -k ngettext:1,2 -k N_ --no-location --omit-header --sort-output -o var/messages.pot .
	$(BIN)/pybabel update -i var/messages.pot -d app/locale -l en -D messages --no-fuzzy-matching --ignore-obsolete
