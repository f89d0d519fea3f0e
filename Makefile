# The two commands: `make train` (the main job) and `make test` (the test suite).
# Each runs scripts/setup.sh first, which is idempotent and fast once done.
VENV ?= .venv
PYTEST = $(VENV)/bin/python -m pytest

.PHONY: setup train test lint

setup:
	@bash scripts/setup.sh

train: setup
	$(PYTEST) --train $(ARGS)

test: setup
	$(PYTEST) $(ARGS)

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy plugin training
