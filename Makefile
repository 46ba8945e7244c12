# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell md5sum requirements.txt | cut -c1-8)
PORT   ?= 8501

.PHONY: install browser demo run test bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Headless Chromium and CJK fonts for the browser tests (Debian packages; needs root).
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "chromium/fonts-noto-cjk missing and not root: browser tests will be skipped"; fi

# Demo data only when data/ has none.
demo: $(STAMP)
	@test -f data/store/CURRENT || $(PY) -m dashboard demo

# The demo, on this machine only: demo mode is asked for explicitly and binds to localhost. Serving on a
# network needs sign-in instead (docs/security.md).
run: demo
	COMPLAINTS_DEMO=1 $(PY) -m streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

test: $(STAMP) browser
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache
