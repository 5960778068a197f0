# Set-up and the two everyday commands (see README "Quick start").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JS := tests/js

.PHONY: maps test chromium postgis eslint bench

$(BIN)/geomap: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,plot]'
	touch $@

maps: $(BIN)/geomap  ## set up and build maps/ from seeds/
	$(BIN)/geomap build --articles seeds --out maps

chromium:  ## Debian's chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

postgis:  ## Debian's PostgreSQL and PostGIS for the PostGIS catalog tests, and GDAL's tools the README shows with them
	@{ ls /usr/share/postgresql/*/extension/postgis.control && command -v ogr2ogr; } >/dev/null 2>&1 || { \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql gdal-bin && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$$(ls /usr/lib/postgresql | sort -n | tail -1)-postgis-3"; }

eslint: $(JS)/node_modules/.package-lock.json  ## ESLint for the map's script, from $(JS)/package-lock.json

$(JS)/node_modules/.package-lock.json: $(JS)/package.json $(JS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd $(JS) && npm ci --no-audit --no-fund; \
	else echo "npm is missing: ESLint, which lints the map's script, is not installed"; fi

test: $(BIN)/geomap chromium postgis eslint  ## set up and run the whole test suite
	$(BIN)/pytest -q -n 2

bench: $(BIN)/geomap  ## benchmarks that print figures (see bench/README.md)
	$(BIN)/pip install --quiet -e '.[test,plot,bench]'
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done
