# The two commands a new user runs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_DEV  := $(VENV)/.installed-dev
STAMP_DEMO := $(VENV)/.installed-notebook
STAMP_DOCS := $(VENV)/.installed-docs
# Where apt-get is needed and we are not root, use sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo docs test lint typecheck browser-deps messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(STAMP_DOCS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

$(STAMP_DEMO): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebook]'
	touch $@

# Renders the campaign report from the sandbox (no API key needed) and prints its path.
demo: $(STAMP_DEMO)
	@mkdir -p reports
	@$(BIN)/atribu-pandas report campaign_performance --demo \
		-o reports/campaign_performance.html

# The browser tests open the HTML reports in a real headless Chromium, and drive a real
# JupyterLab with it through Selenium and chromedriver (Debian's packages, same version).
browser-deps:
	@{ command -v chromium && command -v chromedriver && command -v pdftoppm; } >/dev/null 2>&1 || { \
		echo "Installing Chromium, chromedriver and poppler-utils for the browser tests (apt-get)..."; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver poppler-utils >/dev/null; }

PY_SOURCES := atribu_pandas tests benchmarks $(wildcard notebooks/*.py docs/*.py docs/*/*.py)

lint: $(STAMP_DEV)
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

# The documentation site, into docs/_build/html: every page executed on the sandbox, the
# API reference from the docstrings; any warning (a failing example, a dangling reference
# to one of our names, a docstring numpydoc refuses) fails the build.
docs: $(STAMP_DOCS)
	rm -rf docs/_build docs/api/generated
	$(BIN)/sphinx-build -j 2 -W --keep-going -q -b html docs docs/_build/html
	@echo "The site: docs/_build/html/index.html"

# The site is built first: tests/browser/test_docs_site.py opens it.
test: $(STAMP_DEV) browser-deps lint typecheck docs
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# After changing a marked message or a template's Markdown: gather the messages into the
# catalogs (new ones untranslated, which the tests refuse) and compile them.
messages: $(STAMP_DEV)
	$(BIN)/python -c 'from atribu_pandas.reports.messages import main; main()'

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache docs/_build docs/api/generated
