"""Reads each answer of the pre-submission form from the message itself when its slot is the one asked,
whatever the NLU's intent ("association" or a SIRET is an answer here); a non-answer leaves the slot empty:
the interruption rules answer it and the form asks again. Where the public lives may be a position."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, is_button_payload, latest_intent, latest_text, message_metadata
from knowledge.services import eligibility as elig
from knowledge.services.messages import Message, domain_templates, values_of
from knowledge.services.qpv_check import qpv_name_for_form

QUESTIONS: dict[str, elig.Question] = {"elig_structure": "structure", "elig_siret": "siret", "elig_lieu": "lieu",
             "elig_description": "description", "elig_montant": "montant",
             **{slot: "oui_non" for slot in ("elig_egalite", "elig_engagement", "elig_droit_commun",
                                             "elig_partenariats", "elig_indicateurs", "elig_finance_precedente",
                                             "elig_cpo", "elig_metropolitain")}}
_NOT_A_DESCRIPTION = {"demander_contact", "demander_contact_mel", "demander_date_limite", "demander_info_resultats",
                      "demander_aide", "arreter_verification", "verifier_siret"}


def answer_text(tracker: Tracker) -> str:
    """The user's answer: a button's `reponse` entity, else the text typed."""
    values = entity_values(tracker, "reponse")
    text = values[0] if values else latest_text(tracker)
    return "" if is_button_payload(text) else text.strip()


def _say(dispatcher: CollectingDispatcher, message: Message | None, domain: dict[str, Any]) -> None:
    if message is not None:
        dispatcher.utter_message(response=message.response, **values_of(message, domain_templates(domain)))


class ValidateFormulaireEligibilite(FormValidationAction):
    def name(self) -> str:
        return "validate_formulaire_eligibilite"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict[str, Any]) -> list[str]:
        criterion = elig.assess_structure(tracker.get_slot("elig_structure"))
        return ["elig_structure"] if criterion is not None and criterion.statut == "ko" else domain_slots

    async def validate_elig_structure(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: dict[str, Any]) -> dict[str, Any]:
        result = elig.validate_structure(value if isinstance(value, str) else None)
        _say(dispatcher, result.message, domain)
        return {"elig_structure": result.valeur}

    async def validate_elig_siret(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: dict[str, Any]) -> dict[str, Any]:
        result = elig.validate_siret(str(value), int(tracker.get_slot("elig_siret_essais") or 0))
        _say(dispatcher, result.message, domain)
        return {"elig_siret": result.valeur, "elig_siret_essais": result.essais}


def _extractor(slot: str, question: elig.Question):  # type: ignore[no-untyped-def]
    async def extract(self: ValidateFormulaireEligibilite, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != slot:
            return {}
        intent, lieux = latest_intent(tracker), entity_values(tracker, "lieu")
        position = message_metadata(tracker).get("position")
        if slot == "elig_lieu" and (qpv := qpv_name_for_form(answer_text(tracker), position)):
            lieux = [qpv]  # a position or coordinates (contracts §2) inside a covered QPV
        value = elig.read_answer(question, answer_text(tracker), said={"affirmer": True, "nier": False}.get(intent),
                                 lieu=lieux[0] if lieux else None,
                                 is_question=intent in _NOT_A_DESCRIPTION or intent.startswith("demander_info_"))
        return {slot: value} if value is not None else {}

    return extract


# rasa_sdk calls extract_<slot> for each required slot: one reader per question kind.
for _slot, _question in QUESTIONS.items():
    setattr(ValidateFormulaireEligibilite, f"extract_{_slot}", _extractor(_slot, _question))
