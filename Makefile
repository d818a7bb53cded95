# Community Policing portal. `make run` serves it with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
CODEPO ?= ../shared/data/codepo_gb.zip
EXTRACT := data/codepo_essex.zip
POSTCODES := data/codepo_gb.zip

.PHONY: run test test-sqlite test-postgres lint format migrations-check ci demo-data frontend \
	postcode-data postcode-extract places bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed  ## serve the portal at http://127.0.0.1:8000 on SQLite, with demo data
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data
	$(MANAGE) runserver $(HOST):$(PORT)

demo-data: $(VENV)/.installed  ## import the postcode extract (if empty) and load the demo data
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data

test: $(VENV)/.installed  ## the whole suite on SQLite, and on PostgreSQL when DATABASE_URL says so
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== again on $$DATABASE_URL"; \
		$(PY) -m pytest $(PYTEST_ARGS); \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

ci:  ## what CI runs
	bash .ci/run

frontend:  ## rebuild static/ from GOV.UK Frontend (needs Node and npm)
	bash frontend/build.sh

postcode-data:  ## check a new Code-Point Open release and ship it as data/codepo_gb.zip
	$(PY) -m zipfile -t $(CODEPO) > /dev/null
	cp $(CODEPO) $(POSTCODES)
	sha256sum $(POSTCODES)

postcode-extract:  ## cut data/codepo_essex.zip (the tests' extract) out of Code-Point Open
	$(PY) scripts/make_postcode_extract.py $(CODEPO) $(EXTRACT)

places: $(VENV)/.installed  ## rebuild data/places_gb.csv from GeoNames (needs .[data])
	$(PY) -m pip install --quiet -e '.[data]'
	$(PY) scripts/make_places.py data/places_gb.csv

bench: $(VENV)/.installed  ## every benchmark (PostgreSQL on 127.0.0.1; the import needs CODEPO)
	$(PY) bench/import_postcodes.py $(CODEPO)
	$(PY) bench/lookups_during_import.py --source $(POSTCODES)
	$(PY) bench/finder_load.py --redis redis://127.0.0.1:6379/0
	$(PY) bench/pages_load.py --redis redis://127.0.0.1:6379/0
	$(PY) bench/api_load.py
	$(PY) bench/survey_results.py --database postgres://postgres@127.0.0.1:5432/portal_bench_surveys

clean:
	rm -rf var/*.sqlite3 staticfiles .pytest_cache
