# The two entry points on a fresh machine: `make reproduce` and `make test`.
# Each creates .venv with the project installed on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= reports/thalidomide_2003

.PHONY: all venv test lint reproduce benchmark clean

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

venv: $(STAMP)

# --dist worksteal: a worker that runs out of tests takes pending ones from the other; the default `load`
# hands out large consecutive chunks, and one worker could be left with minutes of slow tests while the other idled.
test: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -n auto --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples generators
	$(BIN)/mypy src generators

reproduce: $(STAMP)
	$(BIN)/axspa reproduce --out $(OUT)

benchmark: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) reports build dist .pytest_cache .mypy_cache .ruff_cache
