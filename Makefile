# Entry points. `make report` and `make test` set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PLANS  ?= params/national_children_2021_2030.yaml
DATA   ?= data/national
OUT    ?= reports
# Synthetic demo data (合成演示数据) for every regional plan: reports go to $(OUT)/demo
DEMO_PLANS ?= $(filter-out params/indicators.yaml params/national_%,$(wildcard params/*.yaml))
DEMO_DATA  ?= data/demo

.PHONY: setup report test lint benchmarks clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Run the annual monitoring report on the bundled data -> reports/index.html
report: $(STAMP)
	$(if $(strip $(DEMO_PLANS)),$(VENV)/bin/childplan report $(foreach p,$(DEMO_PLANS),--plan $(p)) --data $(DEMO_DATA) --out $(OUT)/demo --xlsx --title "演示地区（合成演示数据 / synthetic demo data）")
	$(VENV)/bin/childplan report $(foreach p,$(PLANS),--plan $(p)) --data $(DATA) --out $(OUT) --xlsx
	@echo "Open $(OUT)/index.html"

## Run the whole test suite: pytest (unit, property, integration) + nbval over notebooks/
test: $(STAMP)
	$(PY) -m pytest tests notebooks --nbval-lax -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/lint-imports

benchmarks: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
