"""The pre-submission form: each answer read, checked, and the verdict with its fiche."""

from __future__ import annotations

from typing import Any

import pytest

from actions.action_verdict_eligibilite import ActionVerdictEligibilite
from actions.validate_formulaire_eligibilite import ValidateFormulaireEligibilite
from knowledge.services.eligibility import parse_amount
from tests.actions.conftest import make_tracker, payloads, run, slot_events

FORM_DOMAIN_SLOTS = ["elig_structure", "elig_siret", "elig_lieu", "elig_description", "elig_egalite",
                     "elig_engagement", "elig_droit_commun", "elig_partenariats", "elig_indicateurs",
                     "elig_finance_precedente", "elig_cpo", "elig_montant", "elig_metropolitain"]


def form_domain(domain: dict[str, Any]) -> dict[str, Any]:
    return {**domain, "forms": {"formulaire_eligibilite": {"required_slots": FORM_DOMAIN_SLOTS}}}


def answer(domain: dict[str, Any], slot: str, text: str, intent: str = "informer_reponse",
           slots: dict[str, Any] | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    tracker = make_tracker(text, intent, slots={"requested_slot": slot, **(slots or {})})
    messages, events = run(ValidateFormulaireEligibilite(), tracker, form_domain(domain))
    return messages, slot_events(events)


def test_association_is_accepted(domain: dict[str, Any]) -> None:
    _, slots = answer(domain, "elig_structure", "nous sommes une association loi 1901",
                      "demander_info_structures_eligibles")
    assert slots["elig_structure"] == "nous sommes une association loi 1901"


def test_company_is_refused_kindly_and_the_form_ends(domain: dict[str, Any]) -> None:
    messages, slots = answer(domain, "elig_structure", "une SARL")
    assert messages[0]["response"] == "utter_elig_structure_refusee"
    assert "ne peut pas déposer" in messages[0]["message"] and "association loi 1901" in messages[0]["message"]
    assert slots["requested_slot"] is None


def test_invalid_then_valid_siret(domain: dict[str, Any]) -> None:
    messages, slots = answer(domain, "elig_siret", "123 456 789 00012", slots={"elig_structure": "association"})
    assert messages[0]["response"] == "utter_elig_siret_invalide" and "clé de contrôle" in messages[0]["message"]
    assert slots["elig_siret"] is None and slots["elig_siret_essais"] == 1
    messages, slots = answer(domain, "elig_siret", "732 829 320 00074",
                             slots={"elig_structure": "association", "elig_siret_essais": 1})
    assert slots["elig_siret"] == "73282932000074"


def test_twice_invalid_siret_moves_on(domain: dict[str, Any]) -> None:
    messages, slots = answer(domain, "elig_siret", "123 456 789 00012",
                             slots={"elig_structure": "association", "elig_siret_essais": 1})
    assert messages[0]["response"] == "utter_elig_siret_abandon"
    assert slots["elig_siret"].startswith("invalide:")


def test_no_siret_gets_help(domain: dict[str, Any]) -> None:
    messages, slots = answer(domain, "elig_siret", "pas de siret", slots={"elig_structure": "association"})
    assert messages[0]["response"] == "utter_siret_aide_sans_siret"
    assert slots["elig_siret"] == "aucun"


def test_a_question_is_not_taken_for_an_answer(domain: dict[str, Any]) -> None:
    _, slots = answer(domain, "elig_structure", "c'est quoi un QPV ?", "demander_info_qpv")
    assert "elig_structure" not in slots or slots["elig_structure"] is None


@pytest.mark.parametrize(("text", "value"), [("12 000 €", 12000), ("environ 8000 euros", 8000), ("20k", 20000),
                                             ("15.000", 15000)])
def test_amounts(text: str, value: float) -> None:
    assert parse_amount(text) == value


def test_verdict_and_fiche(domain: dict[str, Any]) -> None:
    slots = {"elig_structure": "association loi 1901", "elig_siret": "73282932000074", "elig_lieu": "Wazemmes",
             "elig_description": "des ateliers vélo pour les mamans du quartier", "elig_egalite": "oui",
             "elig_engagement": "oui", "elig_droit_commun": "oui", "elig_partenariats": "oui",
             "elig_indicateurs": "oui", "elig_finance_precedente": "oui", "elig_cpo": "non", "elig_montant": "20000",
             "elig_metropolitain": "non"}
    tracker = make_tracker("/affirmer", "affirmer", slots=slots, metadata={"today": "2025-09-20"})
    messages, events = run(ActionVerdictEligibilite(), tracker, domain)
    verdict = next(p for p in payloads(messages) if p["type"] == "eligibilite")
    assert verdict["verdict"] == "eligible"
    assert {c["id"] for c in verdict["criteres"]} >= {"structure", "siret", "ambitions"}
    fiche = next(p for p in payloads(messages) if p["type"] == "fiche")
    recipients = fiche["mailto"].split("?")[0].removeprefix("mailto:").split(",")
    assert "hverkest@mairie-lille.fr" in recipients and "sebastien.humez@nord.gouv.fr" in recipients
    assert "15 octobre 2025" in fiche["texte"]
    assert any("annexe 3" in m.get("obligations", "") or "bilan" in m.get("obligations", "").lower()
               for m in messages if m.get("response") == "utter_elig_obligations")
    assert all(e["value"] in (None, 0) for e in events if e.get("event") == "slot")


def test_refused_structure_gets_no_fiche(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionVerdictEligibilite(), make_tracker("une sarl", "informer_reponse",
                                                               slots={"elig_structure": "une sarl"}), domain)
    assert [p["type"] for p in payloads(messages)] == ["eligibilite"]
    assert payloads(messages)[0]["verdict"] == "non_eligible"


def test_verdict_texts_take_the_campaign_from_the_referentiel(domain: dict[str, Any]) -> None:
    slots = {"elig_structure": "association", "elig_siret": "73282932000074", "elig_lieu": "Loos",
             "elig_finance_precedente": "oui", "elig_montant": "16000"}
    messages, _ = run(ActionVerdictEligibilite(), make_tracker("non", "nier", slots=slots,
                                                               metadata={"today": "2025-09-20"}), domain)
    obligations = next(m for m in messages if m.get("response") == "utter_elig_obligations")["obligations"]
    assert "bilan intermédiaire 2025" in obligations and "supérieur à 15" in obligations
    card = next(p for p in payloads(messages) if p["type"] == "eligibilite")
    assert card["campagne"] == 2026 and all(c["message"] and "{" not in c["message"] for c in card["criteres"])
    fiche = next(p for p in payloads(messages) if p["type"] == "fiche")
    assert fiche["texte"].startswith("Pré-dépôt – Contrat de ville et des solidarités, programmation 2026")
    assert "cdemartin@ville-loos.fr" in fiche["mailto"]


def test_yes_no_answer_is_read_only_when_asked(domain: dict[str, Any]) -> None:
    _, slots = answer(domain, "elig_cpo", "oui", "affirmer")
    assert slots == {"elig_cpo": "oui"}
    tracker = make_tracker("oui", "affirmer", slots={"requested_slot": "elig_egalite"})
    messages, events = run(ValidateFormulaireEligibilite(), tracker, form_domain(domain))
    assert slot_events(events).get("elig_cpo") is None and slot_events(events)["elig_egalite"] == "oui"


def test_a_siret_question_while_the_form_asks_another_question_is_no_answer(domain: dict[str, Any]) -> None:
    _, slots = answer(domain, "elig_description", "le siret 73282932000074 est bon ?", "verifier_siret")
    assert slots.get("elig_description") is None
