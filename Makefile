# Two commands a new user needs: `make demo` and `make test`. Each builds .venv from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck fuzz clean schema bench docs messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps record which install a venv has, so edits to pyproject.toml reinstall.
# compileall: an editable install is run from source; bytecode made once keeps every
# later start-up from recompiling (and PYTHONDONTWRITEBYTECODE from forbidding the cache).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q evaluator
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/evaluator compare proposals --panel panel/

# The tests' own needs (a browser, a PostgreSQL server) are installed if missing; the
# register's tests then must find the server (EVALUATOR_REQUIRE_POSTGRES=1: no skipping).
test: $(VENV)/.installed-test
	bash tests/setup-test-deps.sh
	EVALUATOR_REQUIRE_POSTGRES=1 $(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint typecheck

lint: $(VENV)/.installed-test
	$(BIN)/ruff check evaluator tests bench
	$(BIN)/ruff format --check evaluator tests bench
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# Speed and memory against the floors in ../shared/bench, measured in the same run.
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# A longer, freshly drawn run of the input fuzzers (tests/test_fuzz_input.py); the
# normal test run has a few fixed examples each. FUZZ_EXAMPLES=100000 for a night.
FUZZ_EXAMPLES ?= 5000
fuzz: $(VENV)/.installed-test
	EVALUATOR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q \
		tests/test_fuzz_input.py

# The JSON Schemas in schema/ are generated from the models; tests fail when they are stale.
schema: $(VENV)/.installed
	$(BIN)/evaluator schema proposal --output schema/proposal.schema.json --force
	$(BIN)/evaluator schema criteria --output schema/criteria.schema.json --force
	$(BIN)/evaluator schema panel --output schema/panel.schema.json --force

# The words for translation (babel.cfg) extracted into the catalogue template, and each
# language's catalogue brought up to date with it: then translate what is new in its .po
# (tests/test_i18n.py fails on a msgid without a translation). The build compiles the .po
# (hatch_build.py): nothing else to run.
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k Template -k gettext -k _F:3 -c TRANSLATORS: --sort-by-file \
		--project evaluator --copyright-holder "evaluator authors" \
		-o evaluator/locale/evaluator.pot .
	$(BIN)/pybabel update -i evaluator/locale/evaluator.pot -d evaluator/locale \
		-D evaluator --width 100

# The sample outputs quoted in README.md and docs/ are remade by the tool itself
# (tests/doc_samples.py); tests/test_doc_samples.py fails when one is out of date.
docs: $(VENV)/.installed
	$(BIN)/python -m tests.doc_samples

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
