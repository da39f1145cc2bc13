"""Check docker-compose.yml against the native cluster (scripts/run_cluster.sh), without Docker.

No Docker engine runs on the development machines, so the native cluster is the tested truth
and this script checks that the compose file mirrors it: same services, only the load
balancer published (on the same ports), secrets required with `${VAR:?…}`, every variable of
bot/endpoints.cluster.yml and deploy/haproxy/haproxy.cfg set, one haproxy server per Rasa
service, health checks on endpoints that need no token, non-root images, a .dockerignore.

    python scripts/validate_compose.py        # prints the problems, exit 1 if any
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"db", "redis", "actions", "web", "lb"}
RASA_SERVICE = re.compile(r"^rasa-(\d+)$")
SECRETS = ("RASA_AUTH_TOKEN", "POSTGRES_PASSWORD")
NON_ROOT_IMAGES = {  # official images that drop root themselves (entrypoint or USER)
    "postgres", "redis", "haproxy", "nginxinc/nginx-unprivileged"}
PG_MAX_CONNECTIONS = 100
TOKEN_FREE_HEALTH = ("/webhooks/rest/", "/health", "pg_isready", "redis-cli", "http://127.0.0.1:8080/")


def native_defaults(script: str) -> dict[str, str]:
    """`NAME=${NAME:-value}` lines of run_cluster.sh."""
    return dict(re.findall(r"^([A-Z_0-9]+)=\$\{\1:-([^}]*)\}", script, flags=re.M))


def _variables(path: Path) -> set[str]:
    """The ${VAR} of a configuration file, comments left out."""
    lines = [line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()]
    return set(re.findall(r"\$\{(\w+)\}", "\n".join(lines)))


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def _health_text(service: dict[str, Any]) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    return " ".join(test) if isinstance(test, list) else str(test or "")


def validate(compose_text: str, root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    try:
        compose = yaml.safe_load(compose_text)
    except yaml.YAMLError as exc:
        return [f"docker-compose.yml n'est pas du YAML valide : {exc}"]
    services: dict[str, dict[str, Any]] = compose.get("services") or {}
    rasa = sorted(name for name in services if RASA_SERVICE.match(name))
    native = native_defaults((root / "scripts" / "run_cluster.sh").read_text(encoding="utf-8"))
    native_rasa = native.get("RASA_PORTS", "").split()

    # Topology
    if set(services) - set(rasa) != SERVICES:
        problems.append(f"services attendus {sorted(SERVICES)} + rasa-N, trouvés {sorted(services)}")
    if len(rasa) != len(native_rasa):
        problems.append(f"{len(rasa)} services Rasa, {len(native_rasa)} serveurs Rasa dans run_cluster.sh")
    servers = (root / "deploy" / "haproxy" / "servers-compose.cfg").read_text(encoding="utf-8")
    listed = re.findall(r"^\s*server\s+\S+\s+(rasa-\d+):5005\b", servers, flags=re.M)
    if sorted(listed) != rasa:
        problems.append(f"deploy/haproxy/servers-compose.cfg liste {sorted(listed)}, compose a {rasa}")

    # Published ports: the load balancer only, on the native ports.
    for name, service in services.items():
        ports = [str(p) for p in service.get("ports") or []]
        if name == "lb":
            wanted = {f"{native.get(key)}:{native.get(key)}" for key in ("LB_PORT", "WEB_PORT")}
            if set(ports) != wanted:
                problems.append(f"lb doit publier {sorted(wanted)} (comme run_cluster.sh), publie {ports}")
        elif ports:
            problems.append(f"{name} ne doit publier aucun port (publie {ports})")

    # Secrets: required, never defaulted.
    for secret in SECRETS:
        for match in re.finditer(r"\$\{" + secret + r"(:?[-?])?([^}]*)\}", compose_text):
            if match.group(1) != ":?":
                problems.append(f"${{{secret}}} doit s'écrire ${{{secret}:?…}} (trouvé {match.group(0)})")
        if f"${{{secret}:?" not in compose_text:
            problems.append(f"{secret} n'est pas exigé")
    if "change-me" in compose_text:
        problems.append("mot de passe par défaut « change-me »")

    # Environment: every ${VAR} of the cluster endpoints (Rasa fails on an undefined one) and of
    # haproxy.cfg is set; pool sizes keep the servers under PostgreSQL's connection limit.
    endpoint_vars = _variables(root / "bot" / "endpoints.cluster.yml")
    haproxy_vars = _variables(root / "deploy" / "haproxy" / "haproxy.cfg")
    connections = 0
    for name in rasa:
        env = _env(services[name])
        missing = endpoint_vars - set(env)
        if missing:
            problems.append(f"{name} : variables de bot/endpoints.cluster.yml absentes : {sorted(missing)}")
        try:
            connections += int(env.get("SQL_POOL_SIZE", "50")) + int(env.get("SQL_MAX_OVERFLOW", "100"))
        except ValueError:
            problems.append(f"{name} : SQL_POOL_SIZE / SQL_MAX_OVERFLOW ne sont pas des nombres")
        if not env.get("ACTION_ENDPOINT_URL", "").startswith("http://actions:5055/"):
            problems.append(f"{name} : ACTION_ENDPOINT_URL doit viser le service actions")
    if connections >= PG_MAX_CONNECTIONS - 10:
        problems.append(f"les serveurs Rasa peuvent ouvrir {connections} connexions PostgreSQL (limite "
                        f"{PG_MAX_CONNECTIONS})")
    if "lb" in services:
        missing = haproxy_vars - set(_env(services["lb"]))
        if missing:
            problems.append(f"lb : variables de haproxy.cfg absentes : {sorted(missing)}")
    if "actions" in services:
        env = _env(services["actions"])
        if env.get("ACTION_SERVER_SANIC_WORKERS") != "2":
            problems.append("actions : ACTION_SERVER_SANIC_WORKERS doit valoir 2 (comme run_cluster.sh)")
        if not env.get("DATABASE_URL", "").startswith("postgresql"):
            problems.append("actions : le référentiel doit être dans PostgreSQL")

    # Health checks, on endpoints that need no token.
    for name, service in services.items():
        health = _health_text(service)
        if not health:
            problems.append(f"{name} : pas de healthcheck")
        elif "/status" in health:
            problems.append(f"{name} : /status exige le jeton de Rasa, il ne convient pas au healthcheck")
        elif not any(marker in health for marker in TOKEN_FREE_HEALTH):
            problems.append(f"{name} : healthcheck inattendu : {health}")

    # Images: pinned tags, non-root.
    for name, service in services.items():
        image = service.get("image")
        build = service.get("build")
        if image:
            base, _, tag = str(image).partition(":")
            if not tag or tag == "latest":
                problems.append(f"{name} : image {image} sans version")
            if base not in NON_ROOT_IMAGES:
                problems.append(f"{name} : image {image} : utilisateur non-root non vérifié")
        elif build:
            dockerfile = root / str(build.get("dockerfile", "Dockerfile"))
            users = re.findall(r"^USER\s+(\S+)", dockerfile.read_text(encoding="utf-8"), flags=re.M)
            if not users or users[-1] in ("root", "0"):
                problems.append(f"{name} : {dockerfile.name} tourne en root (pas de USER)")
        else:
            problems.append(f"{name} : ni image ni build")
    bot_dockerfile = (root / "deploy" / "Dockerfile.bot").read_text(encoding="utf-8")
    if "bot/endpoints.cluster.yml" not in bot_dockerfile or "--auth-token" not in bot_dockerfile:
        problems.append("Dockerfile.bot doit lancer Rasa avec bot/endpoints.cluster.yml et --auth-token")

    ignore = root / ".dockerignore"
    if not ignore.exists():
        problems.append(".dockerignore absent")
    else:
        entries = {line.strip() for line in ignore.read_text(encoding="utf-8").splitlines()}
        for needed in (".git", ".venv", "var", ".env"):
            if needed not in entries:
                problems.append(f".dockerignore doit exclure {needed}")
    return problems


def main() -> int:
    problems = validate((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    for problem in problems:
        print(f"docker-compose.yml : {problem}")
    if not problems:
        print("docker-compose.yml : conforme à la topologie native (scripts/run_cluster.sh).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
