# Two commands: `make run` serves the demo site, `make test` runs every check.
# Both set up .venv from the pinned requirements first; nothing else to install by hand.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= localhost
# Links in emails and on the progress board are built from SITE_URL. Honcho hands each
# process its own PORT (the worker gets PORT+100), so the one address is set here, for
# the site and its worker alike, from the port the site is served on.
RUN_SITE_URL = $(or $(SITE_URL),http://$(HOST):$(PORT))
# A local site is plain HTTP without debug pages (`make run DEBUG=true` for those);
# tests run plain HTTP with their own var/ folder. Production sets neither (HTTPS on).
LOCAL_ENV = DEBUG=$(or $(DEBUG),false) HTTPS=$(or $(HTTPS),false) STATIC_FROM_FINDERS=true
TEST_ENV = DEBUG=true HTTPS=false VAR_DIR=$(CURDIR)/var/test

.PHONY: run test test-multihost setup setup-dev migrate lint deploy-check pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Compiled catalogues (.mo) are built, not committed: from every .po outside .venv
# (compilemessages refuses to run where there is none).
setup: $(VENV)/.runtime
	if find . -path ./$(VENV) -prune -o -name '*.po' -print | grep -q .; then \
	  $(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0; fi
setup-dev: $(VENV)/.dev setup

migrate: setup
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(LOCAL_ENV) $(BIN)/python manage.py createcachetable
	$(LOCAL_ENV) $(BIN)/python manage.py seed_demo

run: migrate
	@echo
	@echo "  cxmaturity is starting on $(RUN_SITE_URL)/  (Ctrl+C stops the site and its worker)"
	@echo
	$(LOCAL_ENV) SITE_URL=$(RUN_SITE_URL) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --port $(PORT)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

deploy-check: setup-dev
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run -v 1
	DEBUG=false HTTPS=true VAR_DIR=$(CURDIR)/var/test SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  ALLOWED_HOSTS=cx.example.com SITE_URL=https://cx.example.com \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

pytest: setup-dev
	$(TEST_ENV) $(BIN)/python -m pytest --basetemp=$(CURDIR)/var/test/pytest $(PYTEST_ARGS)

test: lint deploy-check pytest

# Two web processes and two workers on PostgreSQL + Redis + an S3 server (moto), each in a
# folder of its own (.ci/multihost.py says what it proves and which variables it reads).
test-multihost: setup-dev
	$(BIN)/python .ci/multihost.py

clean:
	rm -rf $(VENV) var
