# `make demo` and `make test` do all set-up on a fresh machine (only Python needed).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.btkit-installed

.PHONY: install chopsticks demo test bench clean

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

# The subtensor engine's chopsticks, from the committed lockfile, once (its tests skip without Node.js).
CHOPSTICKS := localnet/chopsticks/node_modules/.btkit-installed

$(CHOPSTICKS): localnet/chopsticks/package-lock.json
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		cd localnet/chopsticks && npm ci --no-audit --no-fund && touch node_modules/.btkit-installed; \
	else echo "Node.js/npm not found: the subtensor engine's tests will be skipped"; fi

chopsticks: $(CHOPSTICKS)

# The demo's throwaway home is removed on exit; `make demo DEMO_ARGS=--keep` (or BTKIT_DEMO_KEEP=1) keeps it.
# `make demo ENGINE=subtensor`: the same story on the real subtensor runtime (needs Node.js and the fixture).
demo: install chopsticks
	$(BIN)/python scripts/demo.py $(if $(ENGINE),--engine $(ENGINE)) $(DEMO_ARGS)

test: install chopsticks
	$(BIN)/python -m pytest -q

bench: install
	@for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
