# CME Track — `make run` starts the demo, `make test` runs the tests, `make check` lints.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test check bench system-deps migrate clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

system-deps:
	@scripts/system-deps

migrate: $(INSTALLED)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

## run: the embedded default (SQLite, Celery in-process, email on the console) with demo data
run: system-deps $(INSTALLED)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py createcachetable
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	@echo ""
	@echo "  CME Track is starting at http://127.0.0.1:8000/  (log in with a demo login above)"
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite (SQLite by default; PostgreSQL and Redis when DATABASE_URL etc. are set)
test: system-deps $(INSTALLED)
	$(PY) -m pytest $(PYTEST_ARGS)

## check: linters, who may import whom (docs/architecture.md), the migrations check and
## Django's deployment checks with production variables
check: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" \
	  DJANGO_ALLOWED_HOSTS=cme.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis .import_linter_cache

## bench: speed figures against their limits (var/bench.json); not part of `make test`.
## PostgreSQL: the load data (20,000 members) is generated once into BENCH_DATABASE_URL and kept.
BENCH_DATABASE_URL ?= postgres://cmetrack:cmetrack@127.0.0.1:5432/cmetrack_bench
bench: system-deps $(INSTALLED)
	$(PY) -c "import environ, psycopg2; db = environ.Env.db_url_config('$(BENCH_DATABASE_URL)'); \
	  c = psycopg2.connect(dbname='postgres', user=db['USER'], password=db['PASSWORD'], host=db['HOST'], port=db['PORT']); \
	  c.autocommit = True; cur = c.cursor(); cur.execute('SELECT 1 FROM pg_database WHERE datname = %s', [db['NAME']]); \
	  cur.fetchone() or cur.execute('CREATE DATABASE ' + db['NAME'])"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py $(BENCH_ARGS)
