# Every command a person or CI runs. `make run` and `make test` set up whatever is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
BOT     := $(VENV)/bot
ACT     := $(VENV)/actions
BOT_PY  := $(BOT)/bin/python
ACT_PY  := $(ACT)/bin/python
RASA    := $(BOT)/bin/rasa
MODEL   := models/assistant.tar.gz
PIP_FLAGS ?= --disable-pip-version-check
# The origin of the page that embeds the widget (CORS of the Rasa server).
WIDGET_ORIGIN ?= http://localhost:8080

BOT_SOURCES := $(shell find bot data -type f -not -name '*.pyc' -not -name '*.md' 2>/dev/null)

.PHONY: help install run test test-unit test-e2e load check-data lookups train validate lint eval-nlu eval-ambitions bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# --- environments -------------------------------------------------------------

$(BOT)/.installed: requirements/bot.txt
	@echo "==> [1/3] Environnement 'bot' (Rasa 3.6.21, spaCy 3.8) : installation, quelques minutes la première fois…"
	@PY=$$(scripts/find_python310.sh) || exit 1; [ -x $(BOT_PY) ] || "$$PY" -m venv $(BOT)
	@$(BOT_PY) -m pip install $(PIP_FLAGS) -q --upgrade pip
	@$(BOT_PY) -m pip install $(PIP_FLAGS) -r requirements/bot.txt
	@touch $@
	@echo "==> Environnement 'bot' prêt."

$(ACT)/.installed: requirements/actions.txt
	@echo "==> [2/3] Environnement 'actions' (rasa-sdk, SQLAlchemy 2, spaCy, tests)…"
	@PY=$$(scripts/find_python310.sh) || exit 1; [ -x $(ACT_PY) ] || "$$PY" -m venv $(ACT)
	@$(ACT_PY) -m pip install $(PIP_FLAGS) -q --upgrade pip
	@$(ACT_PY) -m pip install $(PIP_FLAGS) -r requirements/actions.txt
	@touch $@
	@echo "==> Environnement 'actions' prêt."

$(VENV)/.chromium:
	@echo "==> [3/3] Chromium (tests du widget dans un vrai navigateur)…"
	@if command -v chromium >/dev/null 2>&1; then echo "    chromium déjà présent : $$(command -v chromium)"; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "ERREUR: impossible d'installer chromium (apt-get). Installez-le puis relancez."; exit 1; }; \
	else echo "ERREUR: chromium introuvable et apt-get absent. Installez Chromium (/usr/bin/chromium)."; exit 1; fi
	@mkdir -p $(VENV) && touch $@

install: $(BOT)/.installed $(ACT)/.installed ## Build both Python 3.10 environments (idempotent)

# --- référentiel ----------------------------------------------------------------

load: $(ACT)/.installed ## Build the database from knowledge/data/ (DATABASE_URL, default var/referentiel.db)
	@$(ACT_PY) -m knowledge.loader

check-data: $(ACT)/.installed ## Report doubtful or invalid reference data (non-zero on errors)
	@$(ACT_PY) -m knowledge.checks

lookups: $(ACT)/.installed ## Regenerate the NLU lookup tables from the référentiel
	@$(ACT_PY) -m knowledge.lookups

# --- assistant -------------------------------------------------------------------

$(MODEL): $(BOT)/.installed $(BOT_SOURCES)
	@echo "==> Entraînement du modèle Rasa (bot/ ou data/ a changé)…"
	@PYTHONPATH=$(CURDIR) SQLALCHEMY_SILENCE_UBER_WARNING=1 $(RASA) train --config bot/config.yml --domain bot/domain --data data --out models \
	  --fixed-model-name assistant
	@touch $@

train: $(MODEL) ## Train the Rasa model if bot/ or data/ changed

validate: $(BOT)/.installed ## rasa data validate; every warning fails but responses sent by actions
	@$(BOT_PY) scripts/validate.py

run: install load $(MODEL) ## Run the assistant: Rasa :5005, actions :5055, widget page :8080
	@WIDGET_ORIGIN=$(WIDGET_ORIGIN) scripts/run.sh

# --- tests -----------------------------------------------------------------------

test-unit: $(ACT)/.installed ## Tests of knowledge/ and actions/ (no server)
	@$(ACT_PY) -m pytest tests/knowledge tests/actions -q

test: install $(VENV)/.chromium $(MODEL) ## Every test: units, data, NLU, conversations, REST and browser end to end
	@$(ACT_PY) -m pytest tests -q

lint: $(ACT)/.installed ## ruff + mypy on knowledge/ and actions/
	@$(ACT_PY) -m ruff check knowledge actions scripts tests
	@$(ACT_PY) -m mypy knowledge actions

eval-nlu: $(MODEL) ## Intent accuracy and place F1 on the held-out set
	@PYTHONPATH=$(CURDIR) $(BOT_PY) scripts/eval_nlu.py

eval-ambitions: $(ACT)/.installed ## Ambition matcher accuracy and latency
	@$(ACT_PY) scripts/eval_ambitions.py

bench: $(ACT)/.installed ## Place resolution latency
	@$(ACT_PY) scripts/bench_resolve.py

clean: ## Remove built artefacts (models, database), keep the environments
	rm -rf models var results .pytest_cache
