"""Checking an operational objective in the conversation."""

from __future__ import annotations

from typing import Any

import pytest

from actions.action_verifier_objectif import ActionVerifierObjectif, objective_in
from tests.actions.conftest import make_tracker, payloads, run, slot_events


@pytest.mark.parametrize(("message", "objective"), [
    ("voici mon objectif : accompagner 20 jeunes vers l'emploi d'ici juin 2026",
     "accompagner 20 jeunes vers l'emploi d'ici juin 2026"),
    ("objectif n°2 : mobiliser 30 parents sur l'année scolaire, c'est ok ?",
     "mobiliser 30 parents sur l'année scolaire"),
    ("mon objectif opérationnel est-il bien écrit ?", ""),
])
def test_objective_is_found_in_the_message(message: str, objective: str) -> None:
    assert objective_in(message) == objective


def test_asks_for_the_objective_then_checks_it(domain: dict[str, Any]) -> None:
    messages, events = run(ActionVerifierObjectif(), make_tracker("pouvez-vous vérifier mon objectif ?",
                                                                   "verifier_objectif"), domain)
    assert messages[0]["response"] == "utter_ask_objectif" and slot_events(events)["attente"] == "objectif"
    text = "organiser des ateliers cuisine pour les familles"
    tracker = make_tracker(text, "demander_contact_mel", slots={"attente": "objectif", "reponse_attendue": text})
    messages, events = run(ActionVerifierObjectif(), tracker, domain)
    assert messages[0]["response"] == "utter_objectif_incomplet"
    card = payloads(messages)[0]
    assert card["type"] == "objectif" and "chiffre" in card["manquants"] and "temporalite" in card["manquants"]
    assert card["proposition"].startswith("Organiser")
    assert slot_events(events)["reponse_attendue"] is None  # the answer is used once


def test_complete_objective(domain: dict[str, Any]) -> None:
    tracker = make_tracker("voici mon objectif : accompagner 20 jeunes vers l'emploi d'ici juin 2026",
                           "verifier_objectif")
    messages, _ = run(ActionVerifierObjectif(), tracker, domain)
    assert messages[0]["response"] == "utter_objectif_complet"
