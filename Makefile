# Two entry points for a fresh machine: `make demo` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_OUT ?= demo-output
# Label Studio lives in its own virtual environment so that its pins never touch ours.
LS_VENV ?= .venv-label-studio
LABEL_STUDIO_VERSION ?= 1.23.2

.PHONY: demo test benchmark venv clean .venv-label-studio

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,pretrained]'
	touch $@

venv: $(VENV)/.installed

$(LS_VENV)/bin/label-studio:
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet label-studio==$(LABEL_STUDIO_VERSION)

.venv-label-studio: $(LS_VENV)/bin/label-studio

demo: $(VENV)/.installed
	$(BIN)/toolkit train --defaults --data annotations/records.jsonl --out models/default
	$(BIN)/toolkit annotate examples/articles --out $(DEMO_OUT)
	$(BIN)/toolkit validate $(DEMO_OUT)
	@echo "The dataset is in $(DEMO_OUT)/ (records.jsonl, documents/, ner/, data/); the default models in models/default/."

test: $(VENV)/.installed-test $(LS_VENV)/bin/label-studio
	$(BIN)/python -m pytest -q

benchmark: $(VENV)/.installed-test
	$(BIN)/python benchmarks/train_benchmark.py
	$(BIN)/python benchmarks/run_benchmarks.py

clean:
	rm -rf $(DEMO_OUT) .pytest_cache .hypothesis
