#!/usr/bin/env bash
# Starts the action server (5055), Rasa (5005: REST + socket.io) and the widget page (8080).
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
WIDGET_ORIGIN=${WIDGET_ORIGIN:-http://localhost:${WEB_PORT}}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://localhost:${ACTIONS_PORT}/webhook}
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONPATH="$(pwd)${PYTHONPATH:+:$PYTHONPATH}"

pids=()
stop() {
  echo
  echo "==> Arrêt de l'assistant…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> Arrêté."
}
trap stop INT TERM EXIT

echo "==> Serveur d'actions sur :${ACTIONS_PORT}"
.venv/actions/bin/python -m rasa_sdk --actions actions --port "${ACTIONS_PORT}" &
pids+=($!)

echo "==> Rasa sur :${RASA_PORT} (REST et socket.io, CORS : ${WIDGET_ORIGIN})"
.venv/bot/bin/rasa run --enable-api --port "${RASA_PORT}" --cors "${WIDGET_ORIGIN}" \
  --model models/assistant.tar.gz --endpoints bot/endpoints.yml --credentials bot/credentials.yml &
pids+=($!)

echo "==> Page de démonstration sur http://localhost:${WEB_PORT}"
.venv/actions/bin/python -m http.server "${WEB_PORT}" --bind 127.0.0.1 --directory web >/dev/null 2>&1 &
pids+=($!)

# Wait until Rasa answers, then say so.
for _ in $(seq 1 180); do
  if curl -fsS "http://localhost:${RASA_PORT}/status" >/dev/null 2>&1; then
    echo "==> Prêt. Ouvrez http://localhost:${WEB_PORT} — Ctrl-C pour arrêter."
    break
  fi
  sleep 1
done
wait -n "${pids[@]}"
