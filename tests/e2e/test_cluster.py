"""The production topology of `make run-cluster`: haproxy, two Rasa servers, PostgreSQL, Redis.

One cluster for the whole session (tests/e2e/cluster_helpers.py). The tests run in file order:
the kill/restart test comes after the spread test, the rate limit test last (it fills the
client's quota for 10 s).
"""

from __future__ import annotations

import json
import signal
import time
import uuid

import pytest
import requests

from tests.e2e.cluster_helpers import Cluster, shared_cluster

pytestmark = pytest.mark.e2e

FAULT_WORDS = ("perturbé", "politique de la ville")


@pytest.fixture(scope="session")
def cluster(request: pytest.FixtureRequest) -> Cluster:
    return shared_cluster(request)


def new_sender() -> str:
    return f"cl-{uuid.uuid4().hex}"


def test_conversations_are_spread_over_both_servers_and_stay_on_theirs(cluster: Cluster) -> None:
    seen: dict[str, str] = {}
    for _ in range(24):
        sender = new_sender()
        text, server = cluster.say(sender, "bonjour")
        assert "Bonjour" in text
        seen[sender] = server
        if len(set(seen.values())) == 2 and len(seen) >= 6:
            break
    assert set(seen.values()) == {"rasa1", "rasa2"}, seen
    # Affinity: the next message of each conversation goes to the same server.
    for sender, server in list(seen.items())[:4]:
        assert cluster.say(sender, "merci")[1] == server


def test_a_server_killed_mid_conversation_the_other_goes_on_with_the_context(cluster: Cluster) -> None:
    sender = new_sender()
    sent = 0
    text, first = cluster.say(sender, "le délégué du préfet de Wattignies")
    sent += 1
    assert "Wattignies" in text
    other = "rasa2" if first == "rasa1" else "rasa1"

    old_pid = cluster.kill(first)
    text, server = cluster.say(sender, "et la région ?")
    sent += 1
    assert server == other
    # The context came from PostgreSQL: no "Dans quelle commune … ?" (the symptom of issue 11).
    assert "Wattignies" in text and "quelle commune" not in text, text

    cluster.wait_restarted(first, old_pid)
    old_other = cluster.kill(other)
    cluster.wait_restarted(other, old_other)

    # Both restarted: the conversation is back on its server, with its context.
    text, server = cluster.say(sender, "et le délégué du préfet ?")
    sent += 1
    assert server == first
    assert "Wattignies" in text and "quelle commune" not in text, text

    events = cluster.events(sender)
    users = [e for e in events if e["type_name"] == "user"]
    assert [json.loads(e["data"])["text"] for e in users] == [
        "le délégué du préfet de Wattignies", "et la région ?", "et le délégué du préfet ?"]
    assert len(users) == sent
    keys = [(e["type_name"], e["timestamp"], e["data"]) for e in events]
    assert len(keys) == len(set(keys)), "un événement est enregistré deux fois"


def test_a_hung_action_server_gets_a_french_answer_within_two_seconds(cluster: Cluster) -> None:
    sender = new_sender()
    cluster.say(sender, "bonjour")
    cluster.signal_tree("actions", signal.SIGSTOP)
    try:
        started = time.monotonic()
        text, _ = cluster.say(sender, "qui contacter à Loos ?")
        elapsed = time.monotonic() - started
    finally:
        cluster.signal_tree("actions", signal.SIGCONT)
    assert elapsed < 2.0, elapsed
    assert all(word in text for word in FAULT_WORDS), text


@pytest.mark.parametrize(("name", "sig"), [
    ("redis", signal.SIGKILL),
    ("postgres", signal.SIGQUIT),  # PostgreSQL's immediate shutdown, as in a crash (its backends go too)
])
def test_a_database_down_gets_a_french_answer_then_recovers_without_restart(
        cluster: Cluster, name: str, sig: int) -> None:
    cluster.hold(name)
    old_pid = cluster.kill(name, sig)
    try:
        time.sleep(1)
        for _ in range(2):  # both servers (a new conversation may go to either)
            started = time.monotonic()
            text, _ = cluster.say(new_sender(), "bonjour")
            elapsed = time.monotonic() - started
            assert elapsed < 2.0, elapsed
            assert all(word in text for word in FAULT_WORDS), text
    finally:
        cluster.hold(name, False)
    cluster.wait_restarted(name, old_pid, seconds=60)
    # Back without restarting Rasa: the pools reconnect (a turn or two may still fail on an old connection).
    deadline = time.monotonic() + 60
    while True:
        text, _ = cluster.say(new_sender(), "c'est quoi un QPV ?")
        if "perturbé" not in text or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert "quartier" in text and "perturbé" not in text, text


def test_without_the_token_no_published_port_opens_the_api(cluster: Cluster) -> None:
    sender = new_sender()
    cluster.say(sender, "mon SIRET est 73282932000074")
    calls = [("GET", f"/conversations/{sender}/tracker", None), ("PUT", "/model", {"model_file": "/tmp/x.tar.gz"}),
             ("POST", f"/conversations/{sender}/execute", {"name": "utter_saluer"})]
    for base in (cluster.lb_url, cluster.web_url):
        for method, path, body in calls:
            response = requests.request(method, base + path, json=body, timeout=10)
            assert response.status_code == 403, (base, method, path, response.status_code)
            assert "73282932000074" not in response.text
    # The Rasa servers themselves (127.0.0.1 only) want the token too.
    for url in cluster.rasa_urls.values():
        for method, path, body in calls:
            response = requests.request(method, url + path, json=body, timeout=10)
            assert response.status_code == 401, (url, method, path, response.status_code)
        authorised = requests.get(f"{url}/conversations/{sender}/tracker", timeout=10,
                                  params={"token": cluster.token})
        assert authorised.status_code == 200


def test_the_page_and_the_webhook_are_published(cluster: Cluster) -> None:
    page = requests.get(f"{cluster.web_url}/", timeout=10)
    assert page.status_code == 200 and "<script" in page.text
    assert requests.get(f"{cluster.web_url}/widget.js", timeout=10).status_code == 200
    assert requests.post(f"{cluster.lb_url}/webhooks/rest/webhook", data=b"[]", timeout=10).status_code == 400


def test_a_client_sending_too_fast_gets_a_french_429(cluster: Cluster) -> None:
    statuses = []
    body: dict = {}
    for _ in range(200):
        response = requests.get(f"{cluster.lb_url}/webhooks/rest/", timeout=10)
        statuses.append(response.status_code)
        if response.status_code == 429:
            body = response.json()
            break
    assert 429 in statuses
    assert body["erreur"] == "trop_de_requetes" and "Patientez" in body["message"]
    time.sleep(11)  # the quota of this client (127.0.0.1) comes back for whoever runs next
    assert requests.get(f"{cluster.lb_url}/webhooks/rest/", timeout=10).status_code == 200
