# fzparse — every install step lives here, so a fresh clone needs only `make run` / `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install run test bench lint fuzz score fixtures clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(PY) -m fzparse parse corpus -o outputs

test: install
	$(PY) -m pytest
	$(PY) tools/score_gate.py --shared $(SHARED)

score: install
	$(PY) tools/score_gate.py --shared $(SHARED) --show

bench: install
	$(PY) tools/bench.py

fuzz: install
	$(PY) tools/fuzz.py --examples 10000

fixtures: install
	$(PY) tools/make_fixtures.py --out tests/generated

lint: install
	$(PY) -m ruff check fzparse tests tools

clean:
	rm -rf $(VENV) outputs/*.json outputs/*.csv
