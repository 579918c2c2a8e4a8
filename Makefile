# The two commands of the README: `make demo` (the main job) and `make test` (the whole suite).
# Each creates the environment from the lock file (uv.lock) when it is missing or stale.
PYTHON ?= python3
UV := .tools/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# Compiled once at install: this machine sets PYTHONDONTWRITEBYTECODE, so every run would recompile.
export UV_COMPILE_BYTECODE := 1
DEMO_DIR := demo
# The browser tests drive Debian's Chromium (playwright only drives it; it downloads nothing).
CHROMIUM := /usr/bin/chromium

.PHONY: demo test bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

demo: .venv/.synced
	.venv/bin/dondoc demo --dir $(DEMO_DIR)

$(CHROMIUM):
	-@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || \
		{ apt-get update -qq >/dev/null 2>&1 && \
		  apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }; \
	fi
	-@[ -x $(CHROMIUM) ] || echo "No $(CHROMIUM): the browser tests will be skipped (apt-get install chromium)"

test: .venv/.synced $(CHROMIUM)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy
	.venv/bin/python -m pytest

bench: .venv/.synced
	.venv/bin/python bench/run.py

clean:
	rm -rf .venv .tools $(DEMO_DIR)
