# Two commands set up and check everything: `make demo` and `make test`.
# The only thing bootstrapped outside the lock file is uv itself (from PyPI).
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export MEDIAMON_DATA_DIR ?= $(CURDIR)/data

.PHONY: install demo test test-fast bench bench-crawl airflow clean

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --group dev
	@touch $@

demo: install
	$(UV) run --frozen mediamon demo

# Airflow UI + scheduler on http://127.0.0.1:$(PORT) until Ctrl-C
PORT ?= 8080
airflow: install
	$(UV) run --frozen mediamon airflow --port $(PORT)

test: install
	$(UV) run --frozen pytest -q

test-fast: install
	$(UV) run --frozen pytest -q -m "not e2e"

bench: install
	$(UV) run --frozen python -m benchmarks.enrich_throughput
	$(UV) run --frozen python -m benchmarks.crawl_throughput

bench-crawl: install
	$(UV) run --frozen python -m benchmarks.crawl_throughput

clean:
	rm -rf .venv data .pytest_cache
