# The two commands of the README:
#   make demo   install, then build a knowledge graph from the sample articles and show it
#   make test   install (with the test tools and the browser), then run the whole test suite
# Both work on a fresh machine with Python 3.11; `make test` is exactly what CI runs (.ci/run).

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STORE   ?= kg

.PHONY: demo test install install-compiled install-dev system-deps lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is pinned to the CPU build first, so that nothing pulls the CUDA wheels.
install: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .

# The same package with its extraction modules compiled by mypyc (setup.py): linking, dates and
# event rules 1.3-1.7x faster, the same output. Not editable: run `make install` again to go back to editing.
install-compiled: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0 'mypy>=1.10' 'setuptools>=69' wheel
	DIPLOGRAPH_COMPILE=1 $(BIN)/pip install --quiet --no-build-isolation .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'

# Debian packages the browser test needs (headless Chromium and Arabic fonts).
system-deps:
	@if command -v apt-get >/dev/null 2>&1 && { ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Noto Naskh Arabic"; }; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-core >/dev/null; \
	fi

demo: install
	$(BIN)/diplograph build examples/articles examples/articles.jsonl --store $(STORE)
	$(BIN)/diplograph events --store $(STORE) --format csv
	$(BIN)/diplograph query --store $(STORE) events_by_type
	$(BIN)/diplograph html --store $(STORE) -o $(STORE)/graph.html
	@echo "Open $(STORE)/graph.html in a browser; ask more with: $(BIN)/diplograph query --store $(STORE) --list"

test: install-dev system-deps
	$(BIN)/pytest -q

lint:
	$(BIN)/ruff check .
	$(BIN)/mypy extract graph ontology diplograph

clean:
	rm -rf $(STORE) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
