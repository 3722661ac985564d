# Two commands do all the set-up on a fresh machine (Python >= 3.11 and make):
#   make lab    create .venv, install, open the notebooks in JupyterLab (English; make lab-zh: 简体中文)
#   make test   create .venv, install, run the whole test suite (unit, nbval, browser)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Jupyter refuses to run as root without --allow-root (containers, CI machines, Binder-like hosts)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab lab-zh test install notebooks present bench bench-widgets bench-compare clean site

# Every package at its tested version (constraints.txt, written by `make pins`)
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed, this is " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,site]'
	touch $(STAMP)

install: $(STAMP)

# The server's root is the repository (both editions, benchmarks/, the READMEs), opened on the map.
# (Passing the notebook as an argument would make its folder the root: nothing else reachable.)
LAB := $(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=$(CURDIR)

# no "official Jupyter news?" prompt over the first notebook in class, no update check
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_OVERRIDES): scripts/lab-overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp scripts/lab-overrides.json $@

lab: $(STAMP) $(LAB_OVERRIDES)
	$(LAB) --LabApp.default_url=/lab/tree/notebooks/en/00_start_here.ipynb

# 简体中文版: the Chinese edition's map, with JupyterLab's own interface in Chinese
# (jupyterlab-language-pack-zh-CN; its own settings folder in .venv, so `make lab` stays English)
ZH_SETTINGS := $(VENV)/lab-zh-settings
lab-zh: $(STAMP) $(LAB_OVERRIDES)
	mkdir -p $(ZH_SETTINGS)/@jupyterlab/translation-extension
	test -f $(ZH_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings || \
	  echo '{"locale": "zh_CN"}' > $(ZH_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings
	BP_LANG=zh JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/$(ZH_SETTINGS) \
	  $(LAB) --LabApp.default_url=/lab/tree/notebooks/zh/00_start_here.ipynb

test: $(STAMP)
	bash scripts/ensure_browser.sh
	$(BIN)/python -m pytest

present: $(STAMP)
	bash scripts/present.sh $(NB)

notebooks: $(STAMP)
	$(BIN)/python scripts/build_notebooks.py

# The course as a static website in site/ (both editions, widgets precomputed, nothing from a CDN);
# try it with: python3 -m http.server -d site. BP_SITE_QUICK=1 precomputes fewer widget states (tests).
site: $(STAMP)
	$(BIN)/python scripts/site/build_site.py

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

.PHONY: lint test-core

# ruff (configured in pyproject.toml [tool.ruff]) over the package, tests, scripts and benchmarks
lint: $(STAMP)
	$(BIN)/python -m ruff check backprop_core tests scripts benchmarks

# the fast edit-test loop: unit tests only, no notebooks (nbval off) and no browser
test-core: $(STAMP)
	$(BIN)/python -m pytest tests -q -p no:cacheprovider -o addopts="" --ignore=tests/browser \
	  --ignore=tests/test_any_machine.py

# the developer's loop without a browser: unit tests and the notebooks (nbval), no tests/browser
# (CI still runs `make test`, the browser included)
.PHONY: test-fast
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --ignore=tests/browser --ignore=tests/test_any_machine.py

# Upgrade the tested versions: a fresh environment with the newest packages pyproject.toml allows,
# written to constraints.txt and environment.yml, then both editions rebuilt and the whole suite run.
.PHONY: pins
pins:
	rm -rf .venv-pins
	$(PYTHON) -m venv .venv-pins
	.venv-pins/bin/python -m pip install --quiet --upgrade pip
	.venv-pins/bin/python -m pip install --quiet -e '.[test,site]'
	.venv-pins/bin/python scripts/pins.py .venv-pins
	rm -rf .venv-pins $(STAMP)
	$(MAKE) notebooks test
