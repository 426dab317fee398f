# Pregonero — the two commands a new machine needs:
#   make run    install everything, prepare the database, start web server and worker
#   make test   install what tests need and run the whole suite (SQLite, then PostgreSQL)

VENV     := .venv
BIN      := $(VENV)/bin
PIP      := $(BIN)/python -m pip --disable-pip-version-check -q
PYTHON   ?=
export PYTHON

.PHONY: run test install install-test messages translations lint format clean-venv help

help:
	@echo "make run    start Pregonero on http://127.0.0.1:8000 (installs on first use;"
	@echo "            another address: make run HOST=0.0.0.0 PORT=8080)"
	@echo "make test   run the whole test suite"

$(BIN)/python:
	@py=$$(scripts/find-python) || exit 1; \
	  echo "Creating the virtual environment with $$py"; \
	  "$$py" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(PIP) install --upgrade pip
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(PIP) install -r requirements-test.lock
	@touch $@

install: $(VENV)/.installed messages

install-test: $(VENV)/.installed-test messages

# Translations are compiled with Babel (from the lock file), so no system gettext is needed.
messages: $(VENV)/.installed
	@$(BIN)/python -m pregonero.catalogues

# Developers: extract new strings into the catalogues (needs GNU gettext's xgettext).
translations: $(VENV)/.installed
	$(BIN)/pregonero makemessages -l es -l ca -l gl -l eu -l en --no-location \
	  --ignore ".venv/*" --ignore "var/*" --ignore "test-artifacts/*" --ignore "deploy/*"

# Machine translation is optional in production: without Apertium the rest runs as usual.
run: install
	@scripts/ensure-apertium || echo "Apertium is not installed: the Translate action will say so (see docs/admin.md)."
	$(BIN)/pregonero run

test: install-test
	@scripts/test

lint: install-test
	$(BIN)/ruff check pregonero
	$(BIN)/ruff format --check pregonero

format: install-test
	$(BIN)/ruff format pregonero
	$(BIN)/ruff check --fix pregonero

clean-venv:
	rm -rf $(VENV)
