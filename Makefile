# Golden Thread: `make demo` serves the demo, `make test` runs the whole suite.
# Both set everything up on a fresh clone.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= golden-thread-demo
export DJANGO_SETTINGS_MODULE := goldenthread.settings

.PHONY: demo test setup browser lint check bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Debian's Chromium for the browser journeys (never a downloaded browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core poppler-utils; \
	  else \
	    echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests"; exit 1; \
	  fi; \
	fi

demo: setup
	mkdir -p data
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --password '$(DEMO_PASSWORD)'
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo
	@echo "Serving the demo on http://127.0.0.1:8000 with gunicorn, a worker and the scheduler"
	@echo "(Procfile; Ctrl+C stops all three)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PYTHONUNBUFFERED=1 $(VENV)/bin/honcho start

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: setup
	mkdir -p data
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	GT_MODE=production SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-0123456789abcdefghij ALLOWED_HOSTS=example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

test: setup browser lint check
	$(VENV)/bin/pytest -q

bench: setup
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) data
