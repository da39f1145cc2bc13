"""action_verifier_qpv with trackers built in code and the real domain texts."""

from __future__ import annotations

from typing import Any

import pytest

from actions.action_verifier_qpv import RESPONSES, ActionVerifierQpv
from knowledge.services.geo import contours_wgs84
from tests.actions.conftest import make_tracker, payloads, run, slot_events

ACTION = ActionVerifierQpv()
SIG_VILLE = "https://sig.ville.gouv.fr"


@pytest.fixture(autouse=True)
def no_geocoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEOCODER_URL", raising=False)


def inside(code: str) -> dict[str, float]:
    point = contours_wgs84()[code].representative_point()
    return {"lat": point.y, "lon": point.x}


def render(messages: list[dict[str, Any]], domain: dict[str, Any]) -> list[str]:
    """The French texts as Rasa fills them: the domain response with the action's variables."""
    out = []
    for message in messages:
        if message.get("response"):
            out.append(domain["responses"][message["response"]][0]["text"].format(**message))
        elif message.get("text"):
            out.append(message["text"])
    return out


def buttons(messages: list[dict[str, Any]], domain: dict[str, Any]) -> list[dict[str, str]]:
    found = [b for m in messages for b in m.get("buttons") or []]
    for message in messages:
        if message.get("response"):
            found += domain["responses"][message["response"]][0].get("buttons") or []
    return found


def test_position_button_in_a_covered_qpv_gives_the_card_and_the_contacts(domain: dict[str, Any]) -> None:
    tracker = make_tracker("/verifier_adresse_qpv", "verifier_adresse_qpv",
                           metadata={"position": inside("QN05975M")})  # Les Oliveaux, Loos
    messages, events = run(ACTION, tracker, domain)
    first = render(messages, domain)[0]
    assert "Les Oliveaux" in first and "Loos" in first and SIG_VILLE in first
    cards = payloads(messages)
    assert cards[0]["type"] == "qpv" and cards[0]["en_qpv"] is True
    assert cards[0]["quartier"] == {"code": "QN05975M", "nom": "Les Oliveaux"}
    assert {"distance_frontiere_m", "a_verifier"} <= set(cards[0])
    contacts = [c for c in cards if c["type"] == "contacts"]
    assert contacts and contacts[0]["quartier"]["code"] == "QN05975M"
    assert any(c["role"] == "ville" for c in contacts[0]["contacts"])
    assert slot_events(events)["lieu_contexte"].startswith("qpv:QN05975M")


def test_typed_coordinates_in_an_intercommunal_qpv_ask_the_commune(domain: dict[str, Any]) -> None:
    tracker = make_tracker("50.6130, 3.0530", "verifier_adresse_qpv")  # Secteur Sud: Lille, Loos, Faches…
    messages, _ = run(ACTION, tracker, domain)
    assert "Secteur Sud" in render(messages, domain)[0]
    kinds = [c["type"] for c in payloads(messages)]
    assert kinds[0] == "qpv" and "choix_quartier" in kinds
    assert buttons(messages, domain)


def test_a_map_link_outside_every_qpv_names_the_nearest(domain: dict[str, Any]) -> None:
    tracker = make_tracker("https://www.openstreetmap.org/#map=18/50.63670/3.06330", "verifier_adresse_qpv")
    messages, events = run(ACTION, tracker, domain)
    text = render(messages, domain)[0]
    assert text.startswith("Non") and SIG_VILLE in text
    card = payloads(messages)[0]
    assert card["en_qpv"] is False and card["quartier"] is None
    assert events == []


def test_a_qpv_of_another_contract(domain: dict[str, Any]) -> None:
    tracker = make_tracker("ok", "verifier_adresse_qpv", metadata={"position": inside("QN05931M")})
    messages, _ = run(ACTION, tracker, domain)
    text = render(messages, domain)[0]
    assert "Faubourg De Cambrai" in text and "Valenciennes Métropole" in text and SIG_VILLE in text
    assert [c["type"] for c in payloads(messages)] == ["qpv"]


def test_an_address_without_geocoder_says_so_and_lists_the_commune_qpv(domain: dict[str, Any]) -> None:
    tracker = make_tracker("le 12 rue Jean Jaurès à Loos est-il en QPV ?", "verifier_adresse_qpv",
                           entities=[{"entity": "lieu", "value": "Loos"}])
    messages, _ = run(ACTION, tracker, domain)
    text = render(messages, domain)[0]
    assert text.startswith("Je ne peux pas situer une adresse ici")
    assert "Les Oliveaux" in text and "Clémenceau-Kiener" in text and SIG_VILLE in text
    assert {"title": "Utiliser ma position", "payload": "/verifier_adresse_qpv"} in buttons(messages, domain)
    assert payloads(messages) == []


@pytest.mark.parametrize("text, metadata, start", [
    ("999, 999", None, "Ces coordonnées ne sont pas valides"),
    ("3.0530, 50.6130", None, "Ces coordonnées semblent inversées"),
    ("NaN, NaN", None, "Je n'ai pas pu lire cette position"),
    ("/verifier_adresse_qpv", {"position": "50.6130, 3.0530"}, "Je n'ai pas pu lire cette position"),
    ("/verifier_adresse_qpv", {"position": {"lat": "abc", "lon": 3.05}}, "Je n'ai pas pu lire cette position"),
    ("/verifier_adresse_qpv", {"position": {"lat": 999, "lon": 3.05}}, "Ces coordonnées ne sont pas valides"),
])
def test_bad_positions_get_a_french_message_and_no_card(domain: dict[str, Any], text: str,
                                                         metadata: dict[str, Any] | None, start: str) -> None:
    messages, events = run(ACTION, make_tracker(text, "verifier_adresse_qpv", metadata=metadata), domain)
    assert render(messages, domain)[0].startswith(start)
    assert payloads(messages) == [] and events == []


def test_outside_france_and_outside_the_nord(domain: dict[str, Any]) -> None:
    belgium, _ = run(ACTION, make_tracker("50.6056, 3.3878", "verifier_adresse_qpv"), domain)
    assert "pas en France" in render(belgium, domain)[0] and payloads(belgium)[0]["hors_zone"] == "hors_france"
    paris, _ = run(ACTION, make_tracker("48.8566, 2.3522", "verifier_adresse_qpv"), domain)
    assert "hors du département du Nord" in render(paris, domain)[0]


def test_every_response_the_action_names_exists_in_the_domain(domain: dict[str, Any]) -> None:
    assert set(RESPONSES.values()) <= set(domain["responses"])
    for name, variants in domain["responses"].items():
        if name.startswith("utter_qpv_"):
            assert "tu " not in variants[0]["text"] and ".txt" not in variants[0]["text"]
