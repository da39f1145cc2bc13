"""Calendar, ambitions, MEL contacts and the two-stage fallback, as a user sees them."""

from __future__ import annotations

from typing import Any

import pytest

from actions.action_detail_ambition import ActionDetailAmbition
from actions.action_donner_calendrier import ActionDonnerCalendrier
from actions.action_donner_contacts_mel import ActionDonnerContactsMel
from actions.action_repondre_incompris import ActionRepondreIncompris
from actions.action_suggerer_ambitions import ActionSuggererAmbitions
from tests.actions.conftest import make_tracker, payloads, run, slot_events


@pytest.mark.parametrize(("today", "response", "statut", "jours"), [
    ("2025-09-20", "utter_calendrier_ouvert", "ouvert", 25),
    ("2025-10-15", "utter_calendrier_dernier_jour", "ouvert", 0),
    ("2025-10-16", "utter_calendrier_clos", "clos", None),
    ("2026-11-22", "utter_calendrier_clos", "clos", None),
])
def test_calendar_uses_the_message_date(domain: dict[str, Any], today: str, response: str, statut: str,
                                        jours: int | None) -> None:
    tracker = make_tracker("date limite ?", "demander_date_limite", metadata={"today": today})
    messages, _ = run(ActionDonnerCalendrier(), tracker, domain)
    assert messages[0]["response"] == response
    card = payloads(messages)[0]
    assert (card["type"], card["statut"], card["jours_restants"], card["campagne"]) == ("calendrier", statut, jours,
                                                                                         2026)
    assert card["date_limite"] == "2025-10-15" and messages[0]["date_limite"] == "15 octobre 2025"


def test_results_date(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionDonnerCalendrier(), make_tracker("quand les résultats ?", "demander_info_resultats",
                                                             metadata={"today": "2025-09-20"}), domain)
    assert messages[0]["response"] == "utter_calendrier_resultats"
    assert "premier trimestre 2026" in messages[0]["resultats"]


def test_ambitions_for_a_description(domain: dict[str, Any]) -> None:
    tracker = make_tracker("quelle ambition pour des ateliers vélo pour les mamans du quartier ?",
                           "demander_ambition")
    messages, events = run(ActionSuggererAmbitions(), tracker, domain)
    assert messages[0]["response"] == "utter_ambitions"
    card = payloads(messages)[0]
    assert card["type"] == "ambitions" and not card["aucune"]
    assert "5.5" in [item["id"] for item in card["items"][:3]]
    assert messages[0]["buttons"][0]["payload"].startswith("/demander_detail_ambition")
    assert slot_events(events)["attente"] is None


def test_no_description_asks_for_one(domain: dict[str, Any]) -> None:
    messages, events = run(ActionSuggererAmbitions(), make_tracker("je ne sais pas quelle ambition choisir",
                                                                    "demander_ambition"), domain)
    assert messages[0]["response"] == "utter_ask_description_projet"
    assert slot_events(events)["attente"] == "description"
    assert any(e.get("event") == "followup" and e.get("name") == "formulaire_reponse" for e in events)


def test_the_description_given_after_our_question_is_read_whatever_the_intent(domain: dict[str, Any]) -> None:
    text = "on voudrait monter un potager collectif au pied des immeubles avec les habitants"
    tracker = make_tracker(text, "demander_contact", slots={"attente": "description", "reponse_attendue": text})
    messages, _ = run(ActionSuggererAmbitions(), tracker, domain)
    assert messages[0]["response"] == "utter_ambitions"


def test_an_incidental_word_suggests_no_ambition(domain: dict[str, Any]) -> None:
    text = "je voudrais acheter une voiture de sport pour mon entreprise"
    tracker = make_tracker(text, "demander_ambition", slots={"attente": "description", "reponse_attendue": text})
    messages, _ = run(ActionSuggererAmbitions(), tracker, domain)
    assert messages[0]["response"] == "utter_ambitions_aucune"


def test_ambition_detail(domain: dict[str, Any]) -> None:
    tracker = make_tracker('/demander_detail_ambition{"ambition_id": "1.2"}', "demander_detail_ambition",
                           [{"entity": "ambition_id", "value": "1.2"}])
    messages, _ = run(ActionDetailAmbition(), tracker, domain)
    assert messages[0]["response"] == "utter_detail_ambition"
    assert "parentalité" in messages[0]["texte"].lower()


def test_mel_theme(domain: dict[str, Any]) -> None:
    tracker = make_tracker("référent sport à la MEL", "demander_contact_mel", [{"entity": "theme", "value": "sport"}])
    messages, _ = run(ActionDonnerContactsMel(), tracker, domain)
    assert messages[0]["response"] == "utter_contacts_mel"
    assert "Baptiste Debruyne" in messages[0]["liste"]
    assert any(m.get("response") == "utter_contacts_mel_derive" for m in messages)


def test_fallback_first_guesses_then_human(domain: dict[str, Any]) -> None:
    first = make_tracker("blabla", "nlu_fallback")
    messages, events = run(ActionRepondreIncompris(), first, domain)
    assert messages[0]["response"] == "utter_incompris_suggestions"
    assert all(not b["title"].startswith("utter_") and b["title"] for b in messages[0]["buttons"])
    previous = [{"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}},
                {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    second = make_tracker("blabla encore", "nlu_fallback", slots={"nb_incompris": 1}, events=previous)
    messages, _ = run(ActionRepondreIncompris(), second, domain)
    assert messages[0]["response"] == "utter_incompris_contact_humain"
    assert "@lillemetropole.fr" in messages[0]["contact"]
