#!/usr/bin/env bash
# `make run`: the action server (5055), Rasa (5005: REST + socket.io) and the widget page (8080).
#
# - Conversations are kept in Rasa's SQLTrackerStore on var/tracker.db: a restart keeps them.
# - Rasa's HTTP API needs a token: RASA_AUTH_TOKEN, or a random one generated once into
#   var/rasa_auth_token (mode 600). The REST webhook of the widget needs none.
# - When the action server dies, Rasa keeps serving (the REST channel answers a French
#   "service perturbé" message) and the action server is started again.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
RUN_DIR=${RUN_DIR:-${ROOT}/var}
WIDGET_ORIGIN=${WIDGET_ORIGIN:-http://localhost:${WEB_PORT}}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTIONS_PORT}/webhook}
export TRACKER_DB=${TRACKER_DB:-${RUN_DIR}/tracker.db}
export SQLALCHEMY_SILENCE_UBER_WARNING=1
# Rasa 3.6 imports TensorFlow whatever the pipeline: keep it to the cores there are, and quiet.
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-2} TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-1}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} PYTHONUNBUFFERED=1
# No telemetry nor crash report sent to Rasa (and no network access needed).
export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="${ROOT}${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "${RUN_DIR}" "$(dirname "${TRACKER_DB}")"

if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  token_file="${RUN_DIR}/rasa_auth_token"
  if [ ! -s "${token_file}" ]; then
    (umask 077 && .venv/actions/bin/python -c "import secrets; print(secrets.token_urlsafe(32))" >"${token_file}")
  fi
  RASA_AUTH_TOKEN=$(cat "${token_file}")
  echo "==> Jeton de l'API HTTP de Rasa : ${token_file}"
fi

actions_pid=""
rasa_pid=""
web_pid=""
stopping=0
stop() {
  local rc=${1:-0}
  stopping=1
  trap - INT TERM EXIT
  echo
  echo "==> Arrêt de l'assistant…"
  for pid in ${actions_pid} ${rasa_pid} ${web_pid}; do kill "${pid}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> Arrêté."
  exit "${rc}"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

start_actions() {
  echo "==> Serveur d'actions sur :${ACTIONS_PORT}"
  .venv/actions/bin/python -m actions.server --host 127.0.0.1 --port "${ACTIONS_PORT}" &
  actions_pid=$!
  echo "${actions_pid}" >"${RUN_DIR}/actions.pid"
}
start_actions

echo "==> Rasa sur :${RASA_PORT} (REST et socket.io, CORS : ${WIDGET_ORIGIN}, conversations : ${TRACKER_DB})"
.venv/bot/bin/python -m bot.serve run --enable-api --auth-token="${RASA_AUTH_TOKEN}" --port "${RASA_PORT}" --cors "${WIDGET_ORIGIN}" \
  --model models/assistant.tar.gz --endpoints bot/endpoints.yml --credentials bot/credentials.yml &
rasa_pid=$!
echo "${rasa_pid}" >"${RUN_DIR}/rasa.pid"

echo "==> Page de démonstration sur http://localhost:${WEB_PORT}"
.venv/actions/bin/python -m http.server "${WEB_PORT}" --bind 127.0.0.1 --directory web >/dev/null 2>&1 &
web_pid=$!

# `/` needs no token (`/status` does).
ready=0
while [ "${stopping}" = 0 ]; do
  if ! kill -0 "${rasa_pid}" 2>/dev/null; then
    echo "ERREUR : Rasa s'est arrêté ; arrêt de l'assistant." >&2
    exit 1
  fi
  if ! kill -0 "${web_pid}" 2>/dev/null; then
    echo "ERREUR : la page de démonstration s'est arrêtée (port ${WEB_PORT} occupé ?)." >&2
    exit 1
  fi
  if ! kill -0 "${actions_pid}" 2>/dev/null; then
    echo "==> Le serveur d'actions s'est arrêté ; Rasa continue de répondre. Redémarrage…" >&2
    wait "${actions_pid}" 2>/dev/null || true
    sleep 1
    start_actions
  fi
  if [ "${ready}" = 0 ] && curl -fsS "http://127.0.0.1:${RASA_PORT}/" >/dev/null 2>&1; then
    ready=1
    echo "==> Prêt. Ouvrez http://localhost:${WEB_PORT} — Ctrl-C pour arrêter."
  fi
  sleep 1
done
