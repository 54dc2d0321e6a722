# The two commands of the README, and the steps they are made of.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test setup setup-test build lint bench clean

serve: setup build  ## set up, build the graph, and publish it at http://localhost:$(PORT)/
	$(BIN)/ombudsman-kg serve --host $(HOST) --port $(PORT)

test: setup-test  ## set up and run the whole test suite
	$(BIN)/python -m pytest -q

setup: $(BIN)/ombudsman-kg

setup-test: setup
	$(BIN)/pip install --quiet -e '.[test]'

$(BIN)/ombudsman-kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

build: setup
	$(BIN)/ombudsman-kg build

lint: setup
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

clean:
	rm -rf dist
