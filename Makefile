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

# What the trained model depends on (not the channel, endpoints or messages: they are read at run time).
BOT_SOURCES := bot/config.yml bot/components.py $(shell find bot/domain data -type f -not -name '*.pyc' -not -name '*.md' 2>/dev/null)

.PHONY: help install run test test-unit test-e2e load check-data lookups train validate lint eval-nlu eval-nlu-cv eval-ambitions eval-passages bench bench-qpv bench-load report import-call run-cluster cluster-deps clean

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

# PostgreSQL, Redis and haproxy for `make run-cluster` and its end-to-end test (Debian packages).
CLUSTER_TOOLS_OK = command -v haproxy >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 \
  && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
cluster-deps: ## Install PostgreSQL, Redis and haproxy (Debian packages) when missing
	@if $(CLUSTER_TOOLS_OK); then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "==> PostgreSQL, Redis, haproxy (paquets Debian, pour make run-cluster)…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    postgresql redis-server haproxy >/dev/null) \
	  || { echo "ERREUR: impossible d'installer postgresql, redis-server, haproxy (apt-get)."; exit 1; }; \
	else echo "ERREUR: installez postgresql, redis-server et haproxy (ex. sudo apt-get install postgresql redis-server haproxy)."; exit 1; fi

install: $(BOT)/.installed $(ACT)/.installed ## Build both Python 3.10 environments (idempotent)

# --- référentiel ----------------------------------------------------------------

load: $(ACT)/.installed ## Build the database from knowledge/data/ (DATABASE_URL, default var/referentiel.db)
	@$(ACT_PY) -m knowledge.loader

check-data: $(ACT)/.installed ## Report doubtful or invalid reference data (non-zero on errors)
	@$(ACT_PY) -m knowledge.checks

lookups: $(ACT)/.installed ## Regenerate the NLU lookup tables from the référentiel
	@$(ACT_PY) -m knowledge.lookups

import-call: $(ACT)/.installed ## Draft a campaign from a call's text: make import-call FILE=… CAMPAGNE=2027 [OUT=var/import-2027/]
	@if [ -z "$(FILE)" ] || [ -z "$(CAMPAGNE)" ]; then echo "ERREUR : indiquez le texte de l'appel et l'année, ex. make import-call FILE=appel-2027.txt CAMPAGNE=2027"; exit 2; fi
	@$(ACT_PY) -m knowledge.importer "$(FILE)" --campagne "$(CAMPAGNE)" --out "$(or $(OUT),var/import-$(CAMPAGNE)/)"

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

run-cluster: install cluster-deps $(MODEL) ## Production topology: haproxy :5005/:8080, 2 Rasa, PostgreSQL, Redis, actions
	@WIDGET_ORIGIN=$(WIDGET_ORIGIN) scripts/run_cluster.sh

# --- tests -----------------------------------------------------------------------

test-unit: $(ACT)/.installed ## Tests of knowledge/ and actions/ (no server)
	@$(ACT_PY) -m pytest tests/knowledge tests/actions -q

test: install load $(VENV)/.chromium cluster-deps $(MODEL) ## Every test: units, data, NLU, conversations, REST and browser end to end
	@$(ACT_PY) -m pytest tests -q

lint: $(ACT)/.installed ## ruff + mypy on knowledge/ and actions/
	@$(ACT_PY) -m ruff check knowledge actions scripts tests
	@$(ACT_PY) -m mypy knowledge actions

eval-nlu: $(MODEL) ## Intent accuracy and place F1 on the three held-out sets (the test part last)
	@for set in heldout heldout_fresh heldout_fresh2; do \
	  PYTHONPATH=$(CURDIR) $(BOT_PY) scripts/eval_nlu.py --data tests/nlu/$$set.yml --json results/nlu_eval_$$set.json \
	    2>/dev/null | grep -E "^(Jeu|Messages|Exactitude|Lieux|Temps)"; done

eval-nlu-cv: $(BOT)/.installed ## 5-fold cross-validation of the NLU on data/nlu (5 trainings: a few minutes)
	@PYTHONPATH=$(CURDIR) SQLALCHEMY_SILENCE_UBER_WARNING=1 $(RASA) test nlu --nlu data/nlu --config bot/config.yml \
	  --cross-validation --folds 5 --out results/nlu_cv >/dev/null 2>&1 && \
	  $(BOT_PY) -c "import json; r=json.load(open('results/nlu_cv/intent_report.json')); print('intentions (5 plis) : exactitude %.3f, F1 pondérée %.3f' % (r['accuracy'], r['weighted avg']['f1-score']))"

eval-ambitions: $(ACT)/.installed ## Ambition matcher accuracy and latency
	@$(ACT_PY) scripts/eval_ambitions.py

eval-passages: $(ACT)/.installed ## Passage search: recall@1/@3, honest « no answer » rate, p95 latency
	@$(ACT_PY) scripts/eval_passages.py

bench: $(ACT)/.installed ## Place resolution latency
	@$(ACT_PY) scripts/bench_resolve.py

bench-qpv: $(ACT)/.installed ## QPV check latency (qpv_at p95 after warm-up, target 1 ms)
	@$(ACT_PY) scripts/bench_qpv.py

# Starts Rasa :28005 + actions :28055 on the trained model, never retrains it (or BENCH_ARGS="--url http://127.0.0.1:5005").
bench-load: $(ACT)/.installed $(BOT)/.installed ## Load benchmark: long conversation, 20 senders, open loop, RSS, start time
	@$(ACT_PY) scripts/bench_load.py $(BENCH_ARGS)

# The MEL team's report: TRACKER_DB_URL (default sqlite:///var/tracker.db), FROM/TO (AAAA-MM-JJ, default the last 30 days).
report: $(ACT)/.installed ## What people asked, fallbacks, 👎, places, slow turns: var/report/index.html
	@$(ACT_PY) scripts/report.py $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO))

clean: ## Remove built artefacts (models, database), keep the environments
	rm -rf models var results .pytest_cache
