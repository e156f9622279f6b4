# fzparse — every install step lives here, so a fresh clone needs only `make run` / `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install run test bench lint fuzz score fixtures browser parity clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(PY) -m fzparse parse corpus -o outputs

# The accuracy gates first (they need ../shared and say so when it is absent), then the tests:
# pytest's summary is the run's closing line.
test: install browser
	$(PY) tools/score_gate.py --shared $(SHARED)
	@if [ -f $(SHARED)/eval/score.py ]; then $(PY) tools/pdf_parity.py --shared $(SHARED); \
	  else echo "pdf_parity: $(SHARED) absent, skipped"; fi
	$(PY) -m pytest

score: install
	$(PY) tools/score_gate.py --shared $(SHARED) --show

bench: install
	$(PY) tools/bench.py

fuzz: install
	$(PY) tools/fuzz.py --examples 10000

# The gov.cn notices printed to PDF by Chromium and by our GB/T 9704 renderer must score within
# 0.02 of their HTML parse on every field.
parity: install browser
	$(PY) tools/pdf_parity.py --shared $(SHARED)

fixtures: install
	$(PY) tools/make_fixtures.py --out tests/generated

# Headless Chromium (and a CJK font) for the report and browser-printed-PDF tests. Debian's
# packages, as root (CI and the dev machines are); elsewhere those tests skip and say so.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei) >/dev/null 2>&1; } || \
	  echo "chromium could not be installed: the browser tests will skip"

lint: install
	$(PY) -m ruff check fzparse tests tools

clean:
	rm -rf $(VENV) outputs/*.json outputs/*.csv
