# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: run test install lint format migrate seed check-deploy messages worker bench bench-toolkits clean

# Install the project into .venv; again only when the dependencies change.
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (apt-get install python3.11 python3.11-venv)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create .venv: apt-get install python3.11-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# Serve the seeded portal on http://$(HOST). Running it again keeps the data.
run: seed
	$(BIN)/python manage.py runserver $(HOST)

# Every test. With no DATABASE_URL/REDIS_URL it runs on SQLite; .ci/run points it at PostgreSQL
# and Redis.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

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
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/staff_costs.py $(BENCH_ARGS)

bench-toolkits: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/toolkits.py $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
