# Two commands do all the set-up on a fresh machine (Python >= 3.11 and make):
#   make lab    create .venv, install, open the notebooks in JupyterLab
#   make test   create .venv, install, run the whole test suite (unit, nbval, browser)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Jupyter refuses to run as root without --allow-root (containers, CI machines, Binder-like hosts)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test install notebooks present bench bench-widgets bench-compare clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed, this is " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(STAMP)
	bash scripts/ensure_browser.sh
	$(BIN)/python -m pytest

present: $(STAMP)
	bash scripts/present.sh $(NB)

notebooks: $(STAMP)
	$(BIN)/python scripts/build_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/core_speed.py

bench-compare: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/compare.py
	$(BIN)/python benchmarks/scaling.py

bench-widgets: $(STAMP)
	$(BIN)/python benchmarks/widget_latency.py --all

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
