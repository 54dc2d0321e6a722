# The two commands of the README, and the steps they are made of.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test setup setup-test system-packages build lint bench clean

serve: setup build  ## set up, build the graph, and publish it at http://localhost:$(PORT)/
	$(BIN)/ombudsman-kg serve --host $(HOST) --port $(PORT)

test: system-packages setup-test  ## set up and run the whole test suite
	$(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(BIN)/python -m pytest -q

# A longer hunt than `make test`'s seeded budgets (issue 8): FUZZ_SCALE times the examples of
# the generated tests, new random ones each run (hypothesis remembers failures in
# .pytest_cache/hypothesis/), and a soak of SOAK_SECONDS.
FUZZ_SCALE ?= 20
SOAK_SECONDS ?= 300
.PHONY: fuzz
fuzz: setup-test  ## the fuzzing, runaway-query and soak tests with large budgets
	OKG_FUZZ_SCALE=$(FUZZ_SCALE) OKG_SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/python -m pytest -q \
		tests/test_fuzz_http.py tests/test_runaway_queries.py tests/test_soak.py

# The OWL 2 DL check (tests/test_owl_dl.py) runs the OWL API: Debian's libowlapi-java and a JDK;
# the browser test (tests/test_browser.py) runs Debian's Chromium headless.
# Installed only when missing and only as root; otherwise says what to install.
SYSTEM_PACKAGES := libowlapi-java default-jdk-headless chromium apache2-bin
system-packages:
	@if dpkg -s libowlapi-java chromium apache2-bin >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES); \
	else \
		echo "tests/test_owl_dl.py and tests/test_browser.py need: apt-get install --no-install-recommends $(SYSTEM_PACKAGES) (as root)" >&2; \
	fi

# The browser side (issue 11): npm installs Yasgui, Apache ECharts, d3-geo and the world outline
# at the versions package-lock.json pins; esbuild bundles our assets/ into static/build/, which a
# wheel carries and git ignores.
WEB := src/ombudsman_kg/web
WEB_BUILD := $(WEB)/static/build
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20+ and npm (apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_BUILD)/.built: node_modules/.package-lock.json $(wildcard $(WEB)/assets/*)
	npm run --silent build
	touch $@

# The site's messages: extract them from the code and templates, and add the new ones to each
# catalog (translations/<language>/LC_MESSAGES/messages.po) for a translator to fill in.
setup: $(BIN)/ombudsman-kg $(WEB_BUILD)/.built

.PHONY: messages
messages: setup
	$(BIN)/pybabel extract -F pyproject.toml --no-location --omit-header --sort-output \
		-o $(WEB)/translations/messages.pot $(WEB)
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching --width 100 \
		-i $(WEB)/translations/messages.pot -d $(WEB)/translations

setup-test: setup
	$(BIN)/pip install --quiet -e '.[test,dev]'

$(BIN)/ombudsman-kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

build: setup
	$(BIN)/ombudsman-kg build

lint: setup
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pre-commit run --all-files

clean:
	rm -rf dist
