# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: run test install lint format migrate seed check-deploy messages worker bench bench-staff-costs bench-toolkits clean

# Install the project into .venv; again only when the dependencies change.
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (apt-get install python3.11 python3.11-venv)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create .venv: apt-get install python3.11-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

# The accessibility checkers the tests run (axe-core, vnu-jar; `make run` does not need them), at the versions package-lock.json
# pins; again only when it changes. Their install scripts stay off: vnu runs on the system's Java.
$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility tests (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# Serve the seeded portal on http://$(HOST). Running it again keeps the data. Links in e-mails
# and calendar feeds point at http://$(HOST) too, unless TANDEM_SITE_URL is given (in the
# environment, on the command line or in .env).
SITE_URL_IN_DOTENV := $(shell grep -Eqs '^[[:space:]]*(export[[:space:]]+)?TANDEM_SITE_URL=' .env && echo yes)
run: seed
	$(if $(TANDEM_SITE_URL)$(SITE_URL_IN_DOTENV),,TANDEM_SITE_URL=http://$(HOST) )$(BIN)/python manage.py runserver $(HOST)

# Every test, spread over the machine's cores by pytest-xdist (one test database per worker), then
# the 25 slowest. With no DATABASE_URL/REDIS_URL it runs on SQLite; .ci/run points it at
# PostgreSQL and Redis. PYTEST_ARGS come last and win: one file, serially, is
# `make test PYTEST_ARGS="-n0 tests/test_pages.py"`. Tests are handed to a worker four at a time:
# in bigger batches, the last one held some twenty browser and worker tests (four minutes) while
# the other worker, with nothing left to take, had stopped.
TEST_WORKERS ?= auto
test: install $(NODE_STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --maxschedchunk 4 --durations=25 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=$$(openssl rand -hex 32) \
	  DJANGO_ALLOWED_HOSTS=tandem.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# Update the translation catalogues after changing user-facing strings, then translate them.
messages: install
	$(BIN)/python manage.py makemessages -l fr -l de --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Benchmarks on a PostgreSQL database of their own (emptied first); figures in bench/RESULTS.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tandem_bench
# `make bench`: the programme at scale (500 cities, 1M time entries) under gunicorn and wrk, see
# bench/README.md; BENCH_ARGS="--skip-seed" measures the data already there.
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/scale.py $(BENCH_ARGS)

bench-staff-costs: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/staff_costs.py $(BENCH_ARGS)

bench-toolkits: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/toolkits.py $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
