# vsm-widgets: two commands for a new user, `make readouts` and `make test`.
# Every target creates the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
SAMPLES := $(wildcard data/samples/*.csv)

# uv, from PyPI into a virtual environment of its own, installs the two extra test environments:
# the lowest versions pyproject.toml allows (so a floor cannot rot) and the newest on Python 3.13.
UV_VENV  ?= .venv-uv
UV       := $(UV_VENV)/bin/uv
FLOORS   ?= .venv-floors
PY313    ?= .venv-py313
# The first candidate that runs: uv's own search, then pyenv's versions, then the PATH (pyenv's
# shims are on the PATH but fail outside a pyenv shell, so each is tried, not only found).
PYTHON313 ?= $(shell for p in "$$($(UV) python find 3.13 2>/dev/null)" $$HOME/.pyenv/versions/3.13*/bin/python3.13 \
  "$$(command -v python3.13)"; do [ -n "$$p" ] && "$$p" -c "" 2>/dev/null && { echo "$$p"; break; }; done)
FAST     := -m "not e2e and not slow" -n 2 -p no:cacheprovider tests

.PHONY: help env readouts lab test test-fast test-floors test-py313 lint format chromium samples bench clean

help:
	@echo "make readouts  build the environment if needed and render a readout for every sample into readouts/"
	@echo "make test      lint, the whole test suite (browser tests included), then the fast suite on the"
	@echo "               lowest dependency versions allowed (make test-floors) and on Python 3.13 (make test-py313)"
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
# Then the fast suite again on the lowest direct versions and on Python 3.13.
test: $(STAMP) chromium lint
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider tests
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider --doctest-modules vsm_widgets
	$(BIN)/python -m pytest -n 2 --dist loadfile -p no:cacheprovider --nbval-lax notebooks
	$(MAKE) test-floors test-py313

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e and not slow" tests

$(UV):
	@test -x $(UV_VENV)/bin/python || $(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet uv

# Rebuilt on every run: the point is what a fresh install of the floors gets today.
test-floors: $(UV)
	$(UV) venv --quiet --clear --python $(PYTHON) $(FLOORS)
	$(UV) pip install --quiet --python $(FLOORS)/bin/python --resolution lowest-direct -e ".[test]"
	$(FLOORS)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	$(FLOORS)/bin/python -m pytest $(FAST)

test-py313: $(UV)
	@test -n "$(PYTHON313)" || { echo "no Python 3.13 found: set PYTHON313=/path/to/python3.13"; exit 1; }
	UV_PYTHON_DOWNLOADS=never $(UV) venv --quiet --clear --python $(PYTHON313) $(PY313)
	$(UV) pip install --quiet --python $(PY313)/bin/python -e ".[test]"
	$(PY313)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	$(PY313)/bin/python -m pytest $(FAST)

samples: $(STAMP)
	$(BIN)/python data/samples/generate.py

# Each script replaces only its own section of docs/benchmarks.md; the budgets are in DESIGN section 5.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_charts.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_widgets.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_readouts.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_map.py

clean:
	rm -rf $(VENV) $(UV_VENV) $(FLOORS) $(PY313) readouts .pytest_cache .hypothesis
