# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_DEV  := $(VENV)/.installed-dev
STAMP_DEMO := $(VENV)/.installed-demo

.PHONY: demo test lint typecheck unit clean browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(STAMP_DEMO): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebook]'
	touch $@

lint: $(STAMP_DEV)
	$(BIN)/ruff check atribu_pandas tests benchmarks
	$(BIN)/ruff format --check atribu_pandas tests benchmarks

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

test: $(STAMP_DEV) browser-deps lint typecheck
	$(BIN)/python -m pytest -n 2 --dist loadgroup

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
