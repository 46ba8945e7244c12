# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | md5sum | cut -c1-8)
PORT   ?= 8501

.PHONY: install browser demo run lint test test-fast bench lock clean

# Exactly the locked versions (hashes checked), then the package itself, editable, without dependencies.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# After editing requirements.txt or requirements-dev.txt (needs pip-tools: pip install pip-tools==7.6.2).
lock:
	pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock requirements-dev.txt

# Headless Chromium and CJK fonts for the browser tests, HAProxy for the two-replica test (Debian packages;
# needs root).
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
		&& { command -v haproxy || test -x /usr/sbin/haproxy; } >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk haproxy >/dev/null; \
	else echo "chromium/fonts-noto-cjk/haproxy missing and not root: browser and replica tests will be skipped"; fi

# Demo data only when data/ has none.
demo: $(STAMP)
	@test -f data/store/CURRENT || $(PY) -m dashboard demo

# The demo, on this machine only: demo mode is asked for explicitly and binds to localhost. Serving on a
# network needs sign-in instead (docs/security.md).
run: demo
	COMPLAINTS_DEMO=1 $(PY) -m streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

# Lint, format, types and the import layers (pyproject.toml); `ruff format .` fixes the format.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Tests may cache their compiled modules even where the environment says not to (PYTHONDONTWRITEBYTECODE):
# pytest otherwise rewrites every test module's asserts anew in every worker (collection 15 s -> 7 s).
TEST_ENV = PYTHONDONTWRITEBYTECODE=

# Everything: the checks, then every test (unit, integration, demo, app, browser, load).
test: lint browser
	$(TEST_ENV) $(PY) -m pytest

# The inner loop: unit tests only (hand-made fixtures; tests/conftest.py assigns the markers).
test-fast: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -m unit -n auto

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
