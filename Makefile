# The two commands that matter: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test lint format messages messages-update lock migrate seed clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# xstatic-bootstrap ships as an sdist whose setup.py needs pkg_resources, gone from setuptools 81.
$(STAMP): requirements.lock build-constraints.txt | $(BIN)/python
	PIP_CONSTRAINT=build-constraints.txt $(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP) messages

# Babel compiles the catalogues in pure Python, so no system gettext is needed to install.
messages: $(STAMP)
	for dir in locale locale_overrides; do \
		if [ -d $$dir ]; then $(BIN)/pybabel -q compile -d $$dir -D django || exit 1; fi; \
	done

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0

seed: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

run: seed
	PORT=$(PORT) bin/run-dev

# Test-time tools from npm (axe-core checks every page the browser journeys open).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: install node_modules/.package-lock.json
	$(BIN)/pytest $(PYTEST_ARGS)

# Speed targets with figures: the matching engine on a 10,000 x 4,000 cohort, scoring, and
# the program dashboard on 2,000 pairs, and emails sent per second by the periodic job (a
# temporary SQLite file unless DATABASE_URL is set).
bench: install
	$(BIN)/python -m bench.matching
	DEBUG=1 $(BIN)/python -m bench.dashboards
	DEBUG=1 $(BIN)/python -m bench.notifications
	DEBUG=1 $(BIN)/python -m bench.notifications --smtp --emails 2000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 DATABASE_URL=sqlite:////tmp/mentoring-makemigrations-check.sqlite3 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate requirements.lock from pyproject.toml (needs network access to PyPI).
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var staticfiles

# Extract new messages into the Spanish catalogue (needs GNU gettext), then translate them.
messages-update: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l es --no-obsolete --no-location \
		-i .venv -i var -i staticfiles -i tests -i node_modules
