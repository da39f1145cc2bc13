"""Calendar, SIRET, ambitions, MEL contacts and the two-stage fallback, as a user sees them."""

from __future__ import annotations

from typing import Any

import pytest

from actions.action_detail_ambition import ActionDetailAmbition
from actions.action_donner_calendrier import ActionDonnerCalendrier
from actions.action_donner_contacts_mel import ActionDonnerContactsMel
from actions.action_repondre_incompris import ActionRepondreIncompris
from actions.action_suggerer_ambitions import ActionSuggererAmbitions
from actions.action_verifier_siret import ActionVerifierSiret
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


@pytest.mark.parametrize(("text", "today", "response"), [
    ("on est le dernier jour aujourd'hui ?", "2025-10-15", "utter_calendrier_dernier_jour"),
    ("c'est aujourd'hui la date limite ?", "2025-10-01", "utter_calendrier_aujourdhui_non"),
    ("je peux encore envoyer demain ?", "2025-10-15", "utter_calendrier_demain_trop_tard"),
    ("est-ce qu'il est encore temps ?", "2025-10-20", "utter_calendrier_deja_clos"),
])
def test_deadline_questions_against_the_message_date(domain: dict[str, Any], text: str, today: str,
                                                     response: str) -> None:
    messages, _ = run(ActionDonnerCalendrier(), make_tracker(text, "demander_date_limite",
                                                             metadata={"today": today}), domain)
    assert messages[0]["response"] == response
    assert messages[0]["date_limite"] == "15 octobre 2025" and messages[0]["annee"] == 2026


def test_hazebrouck_deadline_is_not_the_mel_one(domain: dict[str, Any]) -> None:
    tracker = make_tracker("la date limite de l'appel à projets pour Hazebrouck ?", "demander_date_limite",
                           entities=[{"entity": "lieu", "value": "Hazebrouck"}], metadata={"today": "2025-09-20"})
    messages, _ = run(ActionDonnerCalendrier(), tracker, domain)
    assert messages[0]["response"] == "utter_calendrier_territoire_non_precise"
    assert "elvire.barreira@nord.gouv.fr" in messages[0]["contact"]
    assert payloads(messages) == []  # no MEL calendar card


@pytest.mark.parametrize(("text", "response", "statut"), [
    ("le siret de notre centre c'est 732 829 320 00074, il est valide ?", "utter_siret_texte_valide",
     "siret_valide"),
    ("552100554 suffit comme numéro ?", "utter_siren_texte_valide", "siren_valide"),
    ("ce siret 123.456.789.00012 marche ?", "utter_siret_texte_invalide", "siret_invalide"),
])
def test_siret_anywhere(domain: dict[str, Any], text: str, response: str, statut: str) -> None:
    messages, events = run(ActionVerifierSiret(), make_tracker(text, "verifier_siret"), domain)
    assert messages[0]["response"] == response and response in domain["responses"]
    assert payloads(messages)[0]["statut"] == statut
    assert "attente" not in slot_events(events)  # nothing more is awaited


def test_a_siret_asked_without_number_reads_the_next_message_as_the_number(domain: dict[str, Any]) -> None:
    messages, events = run(ActionVerifierSiret(), make_tracker("vous pouvez vérifier un siret ?", "verifier_siret"),
                           domain)
    assert messages[0]["response"] == "utter_siret_texte_aucun"
    assert slot_events(events)["attente"] == "siret"
    tracker = make_tracker("44306184100047", "verifier_adresse_qpv",
                           slots={"attente": "siret", "reponse_attendue": "44306184100047"})
    messages, _ = run(ActionVerifierSiret(), tracker, domain)
    assert payloads(messages)[0]["statut"] in ("siret_valide", "siret_invalide")


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
    assert "attente" not in slot_events(events)


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


def test_faq_hesitation_offers_both_readings_with_their_domain_labels(domain) -> None:  # type: ignore[no-untyped-def]
    from actions.action_repondre_faq import ActionRepondreFaq

    tracker = make_tracker("zzkk blorp vlimp", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "demander_info_redepot_cpo", "confidence": 0.40},
        {"name": "demander_info_structures_eligibles", "confidence": 0.38}]
    messages, _ = run(ActionRepondreFaq(), tracker, domain)
    buttons = [b for m in messages for b in m.get("buttons") or []]
    assert [b["payload"] for b in buttons] == ["/demander_info_redepot_cpo", "/demander_info_structures_eligibles"]
    assert [b["title"] for b in buttons] == ["J'ai une CPO : dois-je redéposer ?", "Qui peut déposer un projet ?"]
    assert messages[0]["response"] == "utter_faq_choix"


def test_an_unsure_project_goes_on_to_the_ambitions(domain) -> None:  # type: ignore[no-untyped-def]
    from actions.action_repondre_faq import ActionRepondreFaq

    tracker = make_tracker("on veut faire du porte à porte chez les personnes âgées isolées pour leurs droits, "
                           "ça rentre ?", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "demander_ambition", "confidence": 0.46},
        {"name": "demander_info_engagement_republicain", "confidence": 0.44}]
    messages, events = run(ActionRepondreFaq(), tracker, domain)
    assert not messages
    assert {"event": "followup", "name": "action_suggerer_ambitions"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events]
