# `make demo` and `make test` do all set-up on a fresh machine (only Python needed).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.btkit-installed

.PHONY: install demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# constraints.txt pins torch to the release that installs fast here (CPU wheel);
# on other machines pip resolves the same pin from PyPI.
# setuptools' default (lenient) editable mode; `btkit --help` starts as fast as with the old compat
# mode (0.06 s both). Its one notice, "Editable installation ... folders in your working directory
# may take precedence", describes what we want (the checkout is the code), so it is silenced.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

install: $(STAMP)

# The demo's throwaway home is removed on exit; `make demo DEMO_ARGS=--keep` (or BTKIT_DEMO_KEEP=1) keeps it.
demo: install
	$(BIN)/python scripts/demo.py $(DEMO_ARGS)

test: install
	$(BIN)/python -m pytest -q

bench: install
	@for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
