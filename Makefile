# Everything a fresh clone needs lives here: `make up` and `make test` install
# what is missing (idempotently) and then do their one job.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The portal: npm ci when the lockfile changes, a build when a source changes
# (portal/dist/index.html is the stamp), Debian's chromium for the browser tests.
PORTAL_DEPS   := portal/node_modules/.package-lock.json
PORTAL_BUILD  := portal/dist/index.html
PORTAL_SOURCES := $(shell find portal/src portal/public -type f ! -name '*.test.*' 2>/dev/null) \
	portal/index.html portal/vite.config.ts portal/tsconfig.json portal/package.json
CHROMIUM := /usr/bin/chromium
# Test processes: each starts its own stack on free ports when its tests need one,
# and takes whole files, so a module's fixtures are made once.
TEST_WORKERS ?= 2
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: up test bench lint install clean portal portal-check

up: $(STAMP) $(PORTAL_BUILD)
	$(BIN)/foyer up

test: $(STAMP) $(PORTAL_BUILD) $(CHROMIUM)
	$(BIN)/ruff check src tests examples bench scripts hatch_build.py
	$(BIN)/mypy
	$(MAKE) portal-check
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

portal: $(PORTAL_BUILD)

# Types, lint and unit tests of the portal.
portal-check: $(PORTAL_DEPS)
	cd portal && npm run --silent typecheck && npm run --silent lint && npm test --silent

$(PORTAL_DEPS): portal/package-lock.json portal/package.json
	cd portal && npm ci --no-audit --no-fund
	touch $@

$(PORTAL_BUILD): $(PORTAL_DEPS) $(PORTAL_SOURCES)
	cd portal && npm run --silent build
	touch $@

$(CHROMIUM):
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
		|| ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

bench: $(STAMP) $(PORTAL_BUILD) $(CHROMIUM)
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/portal.py
	$(BIN)/python bench/options.py
	$(BIN)/python bench/cli.py

lint: $(STAMP) $(PORTAL_DEPS)
	$(BIN)/ruff check src tests examples bench scripts hatch_build.py
	$(BIN)/ruff format --check src tests examples bench scripts hatch_build.py
	$(BIN)/mypy
	cd portal && npm run --silent typecheck && npm run --silent lint

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .foyer portal/node_modules portal/dist
