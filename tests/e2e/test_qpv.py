"""« Est-ce en QPV ? » through the REST channel: real Rasa, real action server, real référentiel.

Needs a model trained with data/nlu/qpv.yml (the typed coordinates, links and addresses
must be classified `verifier_adresse_qpv`); the widget's button sends the intent itself.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

SIG_VILLE = "https://sig.ville.gouv.fr"


def sender() -> str:
    return f"test-qpv-{uuid.uuid4().hex[:10]}"


def cards(replies: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind]


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture(scope="module")
def oliveaux() -> dict[str, float]:
    """A point well inside Les Oliveaux (Loos), from the official contour."""
    from knowledge.services.geo import contours_wgs84, qpv_at

    point = contours_wgs84()["QN05975M"].representative_point()
    position = {"lat": round(point.y, 6), "lon": round(point.x, 6)}
    assert qpv_at(position["lat"], position["lon"]).code == "QN05975M"
    return position


def test_widget_position_button_gives_the_card_and_the_contacts(stack, oliveaux) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "/verifier_adresse_qpv", metadata={"position": oliveaux})
    card = cards(replies, "qpv")
    assert card, texts(replies)
    assert card[0]["en_qpv"] is True and card[0]["quartier"] == {"code": "QN05975M", "nom": "Les Oliveaux"}
    assert {"distance_frontiere_m", "a_verifier"} <= set(card[0])
    assert "Les Oliveaux" in texts(replies) and SIG_VILLE in texts(replies)
    contacts = cards(replies, "contacts")
    assert contacts and contacts[0]["quartier"]["code"] == "QN05975M"


@pytest.mark.parametrize("message", [
    "50.6130, 3.0530",
    "50,6130 3,0530",
    "https://www.openstreetmap.org/#map=18/50.61300/3.05300",
    "https://www.google.com/maps/@50.613,3.053,17z",
])
def test_coordinates_typed_or_pasted_give_the_card(stack, message: str) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), message)
    card = cards(replies, "qpv")
    assert card, texts(replies)
    assert card[0]["quartier"] == {"code": "QN05972M", "nom": "Secteur Sud"}
    assert "Secteur Sud" in texts(replies) and SIG_VILLE in texts(replies)


def test_position_outside_every_qpv(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "/verifier_adresse_qpv", metadata={"position": {"lat": 50.6367, "lon": 3.0633}})
    card = cards(replies, "qpv")
    assert card and card[0]["en_qpv"] is False and card[0]["quartier"] is None
    assert texts(replies).startswith("Non")


def test_address_without_geocoder_is_answered_honestly(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "le 12 rue Jean Jaurès à Loos est-il en QPV ?")
    text = texts(replies)
    assert "Je ne peux pas situer une adresse ici" in text, text
    assert "Les Oliveaux" in text and SIG_VILLE in text
    assert any(b.get("payload") == "/verifier_adresse_qpv" for r in replies for b in r.get("buttons", []))
    assert not cards(replies, "qpv")


@pytest.mark.parametrize("message, metadata, words", [
    ("999, 999", None, "ne sont pas valides"),
    ("/verifier_adresse_qpv", {"position": {"lat": 999, "lon": 999}}, "ne sont pas valides"),
    ("/verifier_adresse_qpv", {"position": {"lat": "abc", "lon": "abc"}}, "Je n'ai pas pu lire cette position"),
    ("/verifier_adresse_qpv", {"position": {"lat": "NaN", "lon": "NaN"}}, "Je n'ai pas pu lire cette position"),
    ("/verifier_adresse_qpv", {"position": "50.6130, 3.0530"}, "Je n'ai pas pu lire cette position"),
])
def test_bad_coordinates_get_a_french_message(stack, message: str, metadata: dict[str, Any] | None,  # type: ignore[no-untyped-def]
                                              words: str) -> None:
    replies = stack.send(sender(), message, metadata=metadata)
    assert words in texts(replies), texts(replies)
    assert not cards(replies, "qpv")
