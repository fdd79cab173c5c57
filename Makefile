# The README names two targets: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
# Local runs use the development defaults (SQLite, in-process tasks) unless the
# environment says otherwise; production sets DEBUG=0 and a SECRET_KEY.
export DEBUG ?= 1

.PHONY: run test install lint typecheck check screenshots bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Set up, migrate, load the reference data and serve at http://127.0.0.1:8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py runserver 127.0.0.1:8000

## Set up and run the whole test suite (uses DATABASE_URL / REDIS_URL when set)
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy mineban states/services.py states/admin.py states/api/editing.py states/api/fields.py obligations/services.py reports/api states/policy.py states/api/policy.py states/policy_selectors.py reports/policy_profile.py reports/policy_charts.py

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi.yml

screenshots: install
	$(PY) tests/browser/screenshots.py

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
