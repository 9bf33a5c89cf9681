# newskg: two commands do everything on a fresh machine.
#   make demo   create .venv, install, build the graph from examples/, write exports/
#   make test   install what the tests need, run the suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_STORE := build/demo-store

.PHONY: install demo test lint bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[model,test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

demo: install
	rm -rf $(DEMO_STORE)
	$(BIN)/kg build examples --store $(DEMO_STORE) --out exports --no-progress
	$(BIN)/kg stats --store $(DEMO_STORE)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench

eval: install
	PATH="$(CURDIR)/$(BIN):$$PATH" ../shared/checks/eval.sh

bench: install
	$(BIN)/python bench/throughput.py

clean:
	rm -rf build $(VENV) .pytest_cache .ruff_cache
