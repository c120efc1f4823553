# vsm-widgets: two commands for a new user, `make readouts` and `make test`.
# Every target creates the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
SAMPLES := $(wildcard data/samples/*.csv)

.PHONY: help env readouts lab test test-fast lint format chromium samples bench clean

help:
	@echo "make readouts  build the environment if needed and render a readout for every sample into readouts/"
	@echo "make test      lint and run the whole test suite (browser tests included)"
	@echo "make lab       open the explorer notebook in JupyterLab"
	@echo "make bench     run the benchmarks (see docs/benchmarks.md)"

env: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,browser,dask,lab]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

readouts: $(STAMP)
	$(BIN)/vsm readout $(SAMPLES) --out readouts --workers 2

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/explore_map.ipynb

# Debian's chromium for the browser tests; never a downloaded browser.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check vsm_widgets tests benchmarks data/samples
	$(BIN)/ruff format --check vsm_widgets tests benchmarks data/samples

format: $(STAMP)
	$(BIN)/ruff check --fix vsm_widgets tests benchmarks data/samples
	$(BIN)/ruff format vsm_widgets tests benchmarks data/samples

# The suite, the docstring examples (they are the API's first documentation, so they must run),
# and every notebook through nbval.
test: $(STAMP) chromium lint
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider tests
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider --doctest-modules vsm_widgets
	$(BIN)/python -m pytest -n 2 --dist loadfile -p no:cacheprovider --nbval-lax notebooks

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e and not slow" tests

samples: $(STAMP)
	$(BIN)/python data/samples/generate.py

# Each script replaces only its own section of docs/benchmarks.md; the budgets are in DESIGN section 5.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_charts.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_widgets.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_readouts.py --write docs/benchmarks.md

clean:
	rm -rf $(VENV) readouts .pytest_cache .hypothesis
