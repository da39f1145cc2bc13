"""No stranger in: Rasa's HTTP API wants the token; compose publishes only the load balancer.

The cluster's published ports (load balancer, page) are checked in tests/e2e/test_cluster.py,
on the cluster started once for the session; here, the `make run`-like stack and the compose
file (scripts/validate_compose.py, which needs no Docker).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SIRET = "73282932000074"


def _api_calls(sender: str) -> list[tuple[str, str, dict | None]]:
    return [("GET", f"/conversations/{sender}/tracker", None),
            ("PUT", "/model", {"model_file": "/tmp/autre-modele.tar.gz"}),
            ("POST", f"/conversations/{sender}/execute", {"name": "utter_saluer"})]


@pytest.mark.e2e
def test_without_the_token_the_api_answers_401_and_leaks_nothing(stack) -> None:  # type: ignore[no-untyped-def]
    sender = f"secu-{uuid.uuid4().hex}"
    stack.send(sender, f"mon SIRET est {SIRET}")
    for base in (stack.rasa_url, stack.widget_server_url):
        for method, path, body in _api_calls(sender):
            for params in ({}, {"token": "pas-le-bon-jeton"}, {"token": ""}):
                response = requests.request(method, base + path, json=body, params=params, timeout=10)
                assert response.status_code in (401, 403), (base, method, path, response.status_code)
                assert SIRET not in response.text
    # The right token opens it (the operators' access).
    tracker = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker", timeout=10,
                           params={"token": stack.token})
    assert tracker.status_code == 200 and SIRET in tracker.text


@pytest.mark.e2e
def test_the_webhook_needs_no_token_and_health_needs_none(stack) -> None:  # type: ignore[no-untyped-def]
    assert stack.send(f"secu-{uuid.uuid4().hex}", "bonjour")
    assert requests.get(f"{stack.rasa_url}/webhooks/rest/", timeout=10).json() == {"status": "ok"}
    assert requests.get(f"{stack.actions_url}/health", timeout=10).json()["referentiel"] == "ok"


def test_compose_mirrors_the_native_cluster_and_requires_its_secrets() -> None:
    from scripts.validate_compose import validate

    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert validate(compose) == []


def test_the_compose_check_catches_a_published_database_and_a_default_password() -> None:
    from scripts.validate_compose import validate

    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    broken = compose.replace("${POSTGRES_PASSWORD:?POSTGRES_PASSWORD est obligatoire}",
                             "${POSTGRES_PASSWORD:-change-me}")
    broken = broken.replace("  db:\n    image: postgres:16-alpine\n",
                            "  db:\n    image: postgres:16-alpine\n    ports:\n      - \"5432:5432\"\n")
    problems = "\n".join(validate(broken))
    assert "db ne doit publier aucun port" in problems
    assert "change-me" in problems and "POSTGRES_PASSWORD" in problems
