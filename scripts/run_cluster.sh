#!/usr/bin/env bash
# `make run-cluster`: the production topology on this machine, from Debian packages.
#
#   haproxy :LB_PORT (5005) ── sender-id hash ──▶ Rasa :5101, Rasa :5102 ──▶ action server :5055 (2 workers)
#   haproxy :WEB_PORT (8080) ──▶ widget page         │ conversations: PostgreSQL :5433 (cluster under var/)
#                                                    │ locks:         Redis :6380
#
# Everything listens on 127.0.0.1; only the load balancer's two ports are meant to be published
# (LB_BIND=0.0.0.0 to publish them on the network). Every port, the directory (RUN_DIR) and the
# number of Rasa servers (RASA_PORTS="5101 5102 5103") come from the environment. A process that
# dies is started again (Rasa servers, action server, PostgreSQL, Redis), unless RUN_DIR/hold/NAME
# exists; Ctrl-C stops everything.
# Secrets: RASA_AUTH_TOKEN and POSTGRES_PASSWORD, or random ones generated once into RUN_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

LB_BIND=${LB_BIND:-127.0.0.1}
LB_PORT=${LB_PORT:-5005}
WEB_PORT=${WEB_PORT:-8080}
WEB_BACKEND_PORT=${WEB_BACKEND_PORT:-8081}
RASA_PORTS=${RASA_PORTS:-"5101 5102"}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
RUN_DIR=${RUN_DIR:-${ROOT}/var/cluster}
RATE_LIMIT_PER_10S=${RATE_LIMIT_PER_10S:-50}
WIDGET_ORIGIN=${WIDGET_ORIGIN:-http://localhost:${WEB_PORT}}
PG_OS_USER=${PG_OS_USER:-postgres}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PG_USER=cvs

mkdir -p "${RUN_DIR}/pids" "${RUN_DIR}/logs" "${RUN_DIR}/hold"
RUN_DIR=$(cd "${RUN_DIR}" && pwd)
rm -f "${RUN_DIR}/ready"
say() { echo "==> $*"; }
die() { echo "ERREUR : $*" >&2; exit 1; }
secret() {  # secret FILE: a random secret generated once, readable by this user only
  [ -s "$1" ] || (umask 077 && .venv/actions/bin/python -c "import secrets; print(secrets.token_urlsafe(32))" >"$1")
  cat "$1"
}

for tool in haproxy redis-server; do
  command -v "${tool}" >/dev/null || die "${tool} introuvable : lancez \`make cluster-deps\` (paquets Debian)."
done
[ -x "${PG_BIN}/postgres" ] || die "PostgreSQL introuvable (PG_BIN=${PG_BIN}) : lancez \`make cluster-deps\`."

for port in "${LB_PORT}" "${WEB_PORT}" "${WEB_BACKEND_PORT}" ${RASA_PORTS} "${ACTIONS_PORT}" "${PG_PORT}" "${REDIS_PORT}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
    die "le port ${port} est déjà utilisé (un autre cluster ?) : arrêtez-le ou changez les ports (voir l'en-tête)."
  fi
done

RASA_AUTH_TOKEN=${RASA_AUTH_TOKEN:-$(secret "${RUN_DIR}/rasa_auth_token")}
POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-$(secret "${RUN_DIR}/postgres_password")}

# --- PostgreSQL: our own cluster, run by a non-root user (initdb refuses root) -------------
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id -u "${PG_OS_USER}" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "${PG_OS_USER}"
  as_pg=(setpriv --reuid="${PG_OS_USER}" --regid="$(id -g "${PG_OS_USER}")" --init-groups --)
fi
PG_DATA=${PG_DATA:-${RUN_DIR}/pgdata}
mkdir -p "${PG_DATA}"
if [ "$(id -u)" = 0 ]; then
  chown "${PG_OS_USER}" "${PG_DATA}"
  if ! "${as_pg[@]}" test -w "${PG_DATA}"; then
    # e.g. a clone under /root, which the postgres user cannot enter: a directory of /tmp,
    # remembered in RUN_DIR so that the next start finds the same conversations.
    PG_DATA=$(cat "${RUN_DIR}/pgdata-location" 2>/dev/null || true)
    [ -n "${PG_DATA}" ] && [ -d "${PG_DATA}" ] || PG_DATA=$(mktemp -d /tmp/cvs-pgdata.XXXXXX)
    echo "${PG_DATA}" >"${RUN_DIR}/pgdata-location"
    chown "${PG_OS_USER}" "${PG_DATA}"
    say "PostgreSQL : ${RUN_DIR} n'est pas accessible à ${PG_OS_USER}, cluster dans ${PG_DATA}"
  fi
fi
chmod 700 "${PG_DATA}"
if [ ! -s "${PG_DATA}/PG_VERSION" ]; then
  say "PostgreSQL : création du cluster dans ${PG_DATA}"
  pwfile=$(mktemp) && printf '%s\n' "${POSTGRES_PASSWORD}" >"${pwfile}"
  [ "$(id -u)" = 0 ] && chown "${PG_OS_USER}" "${pwfile}"
  "${as_pg[@]}" "${PG_BIN}/initdb" -D "${PG_DATA}" -U "${PG_USER}" --pwfile="${pwfile}" --auth-host=scram-sha-256 \
    --auth-local=reject --encoding=UTF8 --locale=C.UTF-8 >"${RUN_DIR}/logs/initdb.log" 2>&1 \
    || { rm -f "${pwfile}"; die "initdb a échoué ; voir ${RUN_DIR}/logs/initdb.log"; }
  rm -f "${pwfile}"
fi

# --- supervision ------------------------------------------------------------------------------
declare -A cmd_of pid_of
names=()
stopping=0
start() {  # start NAME: (re)start the process NAME from its command line
  local name=$1
  bash -c "exec ${cmd_of[$name]}" >>"${RUN_DIR}/logs/${name}.log" 2>&1 &
  pid_of[$name]=$!
  echo "${pid_of[$name]}" >"${RUN_DIR}/pids/${name}.pid"
}
add() {  # add NAME COMMAND…: register and start
  local name=$1; shift
  cmd_of[$name]=$(printf '%q ' "$@")
  names+=("${name}")
  start "${name}"
}
stop() {
  local rc=${1:-0}
  stopping=1
  trap - INT TERM EXIT
  echo
  say "Arrêt du cluster…"
  local i name
  for ((i=${#names[@]}-1; i>=0; i--)); do
    name=${names[$i]}
    # PostgreSQL: SIGINT is its "fast" shutdown (SIGTERM waits for every client).
    if [ "${name}" = postgres ]; then kill -INT "${pid_of[$name]}" 2>/dev/null || true
    else kill "${pid_of[$name]}" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
  rm -f "${RUN_DIR}"/pids/*.pid
  say "Arrêté."
  exit "${rc}"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT
wait_until() {  # wait_until SECONDS WHAT COMMAND…
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 "$((seconds * 2))"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "${what} ne répond pas après ${seconds} s (journaux : ${RUN_DIR}/logs/)"
}
psql_cvs() { PGPASSWORD="${POSTGRES_PASSWORD}" "${PG_BIN}/psql" -h 127.0.0.1 -p "${PG_PORT}" -U "${PG_USER}" -v ON_ERROR_STOP=1 "$@"; }

say "PostgreSQL sur 127.0.0.1:${PG_PORT}"
add postgres "${as_pg[@]}" "${PG_BIN}/postgres" -D "${PG_DATA}" -p "${PG_PORT}" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories= -c max_connections=100
say "Redis sur 127.0.0.1:${REDIS_PORT}"
add redis redis-server --bind 127.0.0.1 --port "${REDIS_PORT}" --save "" --appendonly no --dir "${RUN_DIR}" \
  --protected-mode yes --daemonize no

export PYTHONPATH="${ROOT}${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 SQLALCHEMY_SILENCE_UBER_WARNING=1
# No telemetry nor crash report sent to Rasa (and no network access needed).
export RASA_TELEMETRY_ENABLED=false
# The Rasa servers take the longest to start (model, spaCy): they start now and wait for
# PostgreSQL by themselves (SQLTrackerStore retries every 5 s).
# Rasa: conversations in PostgreSQL, locks in Redis (bot/endpoints.cluster.yml). 2 servers x
# (5 + 5 overflow) connections stay far under max_connections=100.
export ACTION_ENDPOINT_URL="http://127.0.0.1:${ACTIONS_PORT}/webhook"
export TRACKER_DB_HOST=127.0.0.1 TRACKER_DB_PORT="${PG_PORT}" TRACKER_DB_NAME=tracker TRACKER_DB_USER="${PG_USER}"
export TRACKER_DB_PASSWORD="${POSTGRES_PASSWORD}" REDIS_HOST=127.0.0.1 REDIS_PORT
export SQL_POOL_SIZE=${SQL_POOL_SIZE:-5} SQL_MAX_OVERFLOW=${SQL_MAX_OVERFLOW:-5}
servers="${RUN_DIR}/haproxy-servers.cfg"
echo "backend rasa from rasa_servers" >"${servers}"
n=0
for port in ${RASA_PORTS}; do
  n=$((n + 1))
  say "Rasa n°${n} sur 127.0.0.1:${port}"
  add "rasa${n}" .venv/bot/bin/python -m bot.serve run --enable-api --auth-token="${RASA_AUTH_TOKEN}" -i 127.0.0.1 --port "${port}" \
    --cors "${WIDGET_ORIGIN}" --model models/assistant.tar.gz --endpoints bot/endpoints.cluster.yml \
    --credentials bot/credentials.yml
  echo "    server rasa${n} 127.0.0.1:${port}" >>"${servers}"
done

wait_until 60 PostgreSQL "${PG_BIN}/pg_isready" -h 127.0.0.1 -p "${PG_PORT}"
for db in tracker referentiel; do
  [ "$(psql_cvs -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${db}'")" = 1 ] \
    || psql_cvs -d postgres -qc "CREATE DATABASE ${db}"
done
wait_until 20 Redis redis-cli -h 127.0.0.1 -p "${REDIS_PORT}" ping


export DATABASE_URL=${REFERENTIEL_DATABASE_URL:-postgresql+psycopg://${PG_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${PG_PORT}/referentiel}
say "Référentiel : chargement dans PostgreSQL"
.venv/actions/bin/python -m knowledge.loader >"${RUN_DIR}/logs/loader.log" 2>&1 \
  || die "chargement du référentiel impossible ; voir ${RUN_DIR}/logs/loader.log"

say "Serveur d'actions sur 127.0.0.1:${ACTIONS_PORT} (2 workers Sanic)"
export ACTION_SERVER_SANIC_WORKERS=${ACTION_SERVER_SANIC_WORKERS:-2}
add actions .venv/actions/bin/python -m actions.server --host 127.0.0.1 --port "${ACTIONS_PORT}"

add web .venv/actions/bin/python -m http.server "${WEB_BACKEND_PORT}" --bind 127.0.0.1 --directory web
export LB_BIND LB_PORT WEB_PORT RATE_LIMIT_PER_10S HAPROXY_DIR="${ROOT}/deploy/haproxy"
export WEB_BACKEND="127.0.0.1:${WEB_BACKEND_PORT}"
haproxy -c -q -f deploy/haproxy/haproxy.cfg -f "${servers}" || die "configuration haproxy invalide"
say "haproxy : webhook sur ${LB_BIND}:${LB_PORT}, page sur http://localhost:${WEB_PORT}"
add haproxy haproxy -db -f deploy/haproxy/haproxy.cfg -f "${servers}"

ready=0
while [ "${stopping}" = 0 ]; do
  for name in "${names[@]}"; do
    # `touch RUN_DIR/hold/NAME` keeps a stopped process stopped (maintenance, fault tests).
    [ -e "${RUN_DIR}/hold/${name}" ] && continue
    if ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
      wait "${pid_of[$name]}" 2>/dev/null || true
      echo "==> ${name} s'est arrêté ; les autres continuent. Redémarrage… (journal : ${RUN_DIR}/logs/${name}.log)" >&2
      start "${name}"
    fi
  done
  if [ "${ready}" = 0 ] && curl -fsS "http://127.0.0.1:${LB_PORT}/webhooks/rest/" >/dev/null 2>&1; then
    ready=1
    echo "ready" >"${RUN_DIR}/ready"
    say "Prêt. Ouvrez http://localhost:${WEB_PORT} — Ctrl-C pour arrêter."
  fi
  sleep 1
done
