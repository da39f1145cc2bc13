"""The whole assistant through its REST channel: real Rasa, real action server, real SQLite référentiel."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any

import pytest

from knowledge.services.contacts import contacts_for
from knowledge.services.contacts_dialogue import with_source_titles
from knowledge.services.places import resolve_place

pytestmark = pytest.mark.e2e

MEL_COMMUNES = [
    "Armentières", "Croix", "Faches-Thumesnil", "Haubourdin", "Hellemmes", "Hem", "Lambersart", "Lille", "Loos",
    "Lys-lez-Lannoy", "Marcq-en-Barœul", "Mons-en-Barœul", "Ronchin", "Roubaix", "Seclin", "Tourcoing",
    "Villeneuve-d'Ascq", "Wattignies", "Wattrelos", "Lomme", "Lezennes",
]


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def cards(replies: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind]


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def ask_contacts(stack, who: str, message: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Ask, and answer the quartier question with its first option if there is one."""
    replies = stack.send(who, message)
    if cards(replies, "choix_quartier"):
        button = next(b for r in replies for b in r.get("buttons", []))
        replies = stack.send(who, button["payload"])
    return replies


@pytest.mark.parametrize("commune", MEL_COMMUNES)
def test_contacts_of_every_mel_commune(stack, commune: str) -> None:  # type: ignore[no-untyped-def]
    replies = ask_contacts(stack, sender(), f"Qui contacter à {commune} ?")
    found = cards(replies, "contacts")
    assert found, texts(replies)
    card = found[0]
    assert card["campagne"] == 2026 and card["territoire"] == "MEL"
    expected = resolve_place(commune)
    assert card["commune"]["insee"] == (expected.commune.insee_cog if expected.commune else None)
    assert any(c["role"] == "region" for c in card["contacts"])
    if commune not in ("Lezennes",):  # the 2026 call names no city contact for Lezennes
        assert any(c["role"] == "ville" and c["email"] for c in card["contacts"]), card
    for contact in card["contacts"]:
        assert contact["source"]
    assert "appel à projets 2026" in texts(replies)


@pytest.mark.parametrize(("quartier", "person"), [
    ("Wazemmes", "Hervé Verkest"), ("lille sud", "Sylvain Delannoy"), ("Fives", "Mathieu Guittet"),
    ("bois blancs", "Géraldine Emotte"), ("Vieux-Lille", "Biova Sagbohan"), ("les oliveaux", "Céline Demartin"),
    ("la bourgogne", "Alice Demaison"), ("Blanc Riez", "Julie Montois"),
])
def test_neighbourhoods(stack, quartier: str, person: str) -> None:  # type: ignore[no-untyped-def]
    replies = ask_contacts(stack, sender(), f"je cherche un contact pour {quartier}")
    names = [c["nom"] for card in cards(replies, "contacts") for c in card["contacts"]]
    assert person in names, texts(replies)


def test_answers_match_the_referentiel(stack) -> None:  # type: ignore[no-untyped-def]
    card = cards(stack.send(sender(), "qui contacter à Loos ?"), "contacts")[0]
    expected = with_source_titles(contacts_for(resolve_place("Loos")).to_payload())
    assert card["contacts"] == expected["contacts"]


def test_follow_ups_keep_context(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    first = stack.send(who, "je cherche un interlocuteur")
    assert "quelle commune" in texts(first).lower()
    second = stack.send(who, "Wattignies")
    assert cards(second, "contacts")[0]["commune"]["nom"] == "Wattignies"
    third = stack.send(who, "et la région ?")
    roles = {c["role"] for c in cards(third, "contacts")[0]["contacts"]}
    assert roles == {"region"}
    fourth = stack.send(who, "et à Roubaix ?")
    assert cards(fourth, "choix_quartier") or cards(fourth, "contacts")


def test_outside_and_unknown_places(stack) -> None:  # type: ignore[no-untyped-def]
    outside = stack.send(sender(), "qui contacter à Valenciennes ?")
    assert "Valenciennes Métropole" in texts(outside) and "12 avril 2024" in texts(outside)
    for card in cards(outside, "contacts"):
        assert {c["role"] for c in card["contacts"]} <= {"prefecture"}
    unknown = stack.send(sender(), "qui contacter à Paris 18e ?")
    assert "ne connais pas « Paris 18e »" in texts(unknown) and not cards(unknown, "contacts")
    haz = stack.send(sender(), "qui contacter à Hazebrouck ?")
    assert "Cœur de Flandre" in texts(haz)


@pytest.mark.parametrize(("today", "statut", "jours"), [
    ("2025-09-20", "ouvert", 25), ("2025-10-15", "ouvert", 0), ("2025-10-16", "clos", None),
    ("2026-11-22", "clos", None),
])
def test_calendar_with_message_date(stack, today: str, statut: str, jours: int | None) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "quelle est la date limite ?", metadata={"today": today})
    card = cards(replies, "calendrier")[0]
    assert (card["statut"], card["jours_restants"], card["date_limite"]) == (statut, jours, "2025-10-15")
    if statut == "clos":
        assert "pas encore publié" in texts(replies)


def test_faq_names_its_source(stack) -> None:  # type: ignore[no-untyped-def]
    for question in ("c'est quoi une CPO ?", "qui peut déposer un projet ?", "que doit contenir mon budget ?"):
        reply = texts(stack.send(sender(), question))
        assert "Source" in reply, (question, reply)


HOSTILE = [
    "", " ", "a" * 5000, "🙂🙂🙂🙂", "<script>alert('x')</script>", "<img src=x onerror=alert(1)>",
    "'; DROP TABLE contact; --", "\x00\x01\x1b[31m", "What is the weather like in London?", "{{7*7}} ${7*7}",
    json.dumps({"message": "nested"}),
]


@pytest.mark.parametrize("message", HOSTILE, ids=lambda m: repr(m)[:25])
def test_hostile_input_gets_a_french_reply_and_the_next_question_works(stack, message: str) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    replies = stack.send(who, message)
    body = json.dumps(replies, ensure_ascii=False)
    assert "Traceback" not in body and "Exception" not in body
    if message.strip():
        assert texts(replies).strip(), f"no reply to {message!r}"
    follow = stack.send(who, "qui contacter à Loos ?")
    assert "cdemartin@ville-loos.fr" in json.dumps(follow)


def test_answer_time_under_a_second(stack) -> None:  # type: ignore[no-untyped-def]
    stack.send(sender(), "qui contacter à Roubaix ?")  # warm-up
    durations = []
    for place in ("Loos", "wazemmes", "tourcoin", "villeneuve dascq", "Hem", "Seclin", "marcq en baroeul", "Croix"):
        start = time.perf_counter()
        stack.send(sender(), f"qui contacter à {place} ?")
        durations.append(time.perf_counter() - start)
    assert statistics.median(durations) < 1.0, durations


def test_ambitions_from_a_description(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    replies = stack.send(who, "mon projet : des ateliers vélo pour les mamans du quartier pour aller au travail")
    card = cards(replies, "ambitions")[0]
    assert not card["aucune"] and "5.5" in [i["id"] for i in card["items"][:3]]
    detail = stack.send(who, '/demander_detail_ambition{"ambition_id": "5.5"}')
    assert "mobilité" in texts(detail).lower()


def test_ambition_without_description_asks_for_it(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    first = stack.send(who, "je ne sais pas quelle ambition choisir")
    assert "Décrivez votre projet" in texts(first)
    second = stack.send(who, "soutien scolaire et aide aux devoirs pour les collégiens du quartier")
    card = cards(second, "ambitions")[0]
    assert card["items"][0]["id"] == "1.1"
