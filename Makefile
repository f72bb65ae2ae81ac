# `make run` sets everything up and runs the flagship scenario; `make test` sets up and runs the tests;
# `make dashboard` starts the classroom dashboard on http://127.0.0.1:8501 (SCENARIO=file.yaml opens that one);
# `make notebooks` opens the lesson's notebooks in JupyterLab (the `notebooks` extra).
# Python 3.12 is selected by .python-version (pyenv); PYTHON=... overrides it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test check clean dashboard notebooks

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "alignsim needs Python 3.12+ (found %s); install it or set PYTHON=" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,parquet,dask,dashboard,browser,notebooks]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/alignsim run scenarios/article_timeline_2024.yaml

dashboard: $(STAMP)
	$(BIN)/alignsim dashboard $(SCENARIO)

notebooks: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) runs .pytest_cache
