"""Faults answered in French: malformed requests, action server down, référentiel unavailable.

On the `stack` of tests/conftest.py (one Rasa, one action server, SQLite). The hung action
server, Redis down and PostgreSQL down are tested on the cluster (tests/e2e/test_cluster.py).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK = "/webhooks/rest/webhook"
FAULT_WORDS = ("perturbé", "politique de la ville")


def new_sender() -> str:
    return f"faults-{uuid.uuid4().hex}"


@pytest.mark.parametrize("body", [b"", b"[]", b"null", b'"bonjour"', b"42", b"{pas du json",
                                  b'{"message": "bonjour"}', b'{"sender": "", "message": "bonjour"}',
                                  b'{"sender": ["x"], "message": "bonjour"}'])
def test_malformed_webhook_bodies_get_400_with_a_json_error(stack, body: bytes) -> None:  # type: ignore[no-untyped-def]
    response = requests.post(f"{stack.rasa_url}{WEBHOOK}", data=body, timeout=10,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.json()
    assert error["erreur"] == "requete_invalide"
    assert "sender" in error["message"]


def test_metadata_still_reaches_the_tracker(stack) -> None:  # type: ignore[no-untyped-def]
    sender = new_sender()
    stack.send(sender, "c'est quand la date limite ?", metadata={"today": "2025-09-20"})
    tracker = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker", timeout=10,
                           params={"token": stack.token}).json()
    assert tracker["latest_message"]["metadata"] == {"today": "2025-09-20"}


def test_action_server_stopped_gets_a_french_answer_in_under_two_seconds(stack) -> None:  # type: ignore[no-untyped-def]
    sender = new_sender()
    assert stack.send(sender, "bonjour")
    stack.stop_actions()
    try:
        started = time.monotonic()
        replies = stack.send(sender, "qui contacter à Loos ?")
        elapsed = time.monotonic() - started
    finally:
        stack.start_actions()
    assert elapsed < 2.0, elapsed
    text = "\n".join(r.get("text", "") for r in replies)
    assert all(word in text for word in FAULT_WORDS), replies
    # Back: the same conversation gets its real answer.
    replies = stack.send(sender, "qui contacter à Loos ?")
    assert any("Loos" in (r.get("text") or "") for r in replies), replies


def _start_action_server(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    import os

    env = dict(os.environ, DATABASE_URL=database_url, ACTIONS_WARMUP="0", PYTHONPATH=str(ROOT))
    return subprocess.Popen([str(ROOT / ".venv/actions/bin/python"), "-m", "actions.server", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)


def _health(port: int, seconds: float = 60) -> requests.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return requests.get(f"http://127.0.0.1:{port}/health", timeout=2)
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_corrupt_referentiel_is_reported_then_recovered_without_restart(tmp_path: Path, db_url: str) -> None:
    database = tmp_path / "referentiel.db"
    database.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    log = tmp_path / "actions.log"
    port = 25955
    server = _start_action_server(f"sqlite:///{database}", port, log)
    try:
        health = _health(port)
        assert health.status_code == 503
        assert health.json()["referentiel"] == "indisponible"
        assert "RÉFÉRENTIEL INDISPONIBLE" in log.read_text(encoding="utf-8")
        # Actions are refused (Rasa then gets no events: the REST channel answers in French).
        call = requests.post(f"http://127.0.0.1:{port}/webhook", json={"next_action": "action_donner_contacts",
                                                                      "tracker": {}, "domain": {}}, timeout=5)
        assert call.status_code == 503
        assert server.poll() is None  # no crash

        shutil.copyfile(db_url.removeprefix("sqlite:///"), database)
        deadline = time.monotonic() + 20
        while _health(port).status_code != 200 and time.monotonic() < deadline:
            time.sleep(1)
        assert _health(port).json() == {"status": "ok", "referentiel": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=20)
