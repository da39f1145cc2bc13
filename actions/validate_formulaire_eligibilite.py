"""Reads and checks each answer of the pre-submission form.

Every answer is read from the message itself when its slot is the one asked
(`requested_slot`), whatever intent the NLU gave it: "association" or a SIRET
is an answer here, not a question. A message that is no answer leaves the slot
empty; the form then lets the interruption rules answer it and asks again.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, is_button_payload, latest_intent, latest_text
from knowledge.services.eligibility import classify_structure
from knowledge.services.places import find_place, resolve_place
from knowledge.services.siret import AIDE_SANS_SIRET, check_siret

YES_NO_SLOTS = ("elig_egalite", "elig_engagement", "elig_droit_commun", "elig_partenariats", "elig_indicateurs",
                "elig_finance_2025", "elig_cpo", "elig_metropolitain")
UNKNOWN = "inconnu"
_DONT_KNOW = re.compile(r"\b(je\s+(ne\s+)?sais\s+pas|jsp|aucune\s+id[ée]e|pas\s+encore|ne\s+sais\s+pas)\b", re.I)
_NO_SIRET = re.compile(r"\b(pas\s+(de|d')\s*(num[ée]ro\s+)?siret|sans\s+siret|aucun\s+siret|"
                       r"n'?\s*avons\s+pas|n'?\s*ai\s+pas|pas\s+encore)\b", re.I)
_YES = re.compile(r"^\s*(oui|ouais|yes|oui\s+oui|bien\s+s[uû]r|tout\s+[àa]\s+fait|c'est\s+fait|exact)\b", re.I)
_NO = re.compile(r"^\s*(non|nan|no|pas\s+du\s+tout|pas\s+encore|aucun)\b", re.I)
_AMOUNT = re.compile(r"(\d[\d\s.\u202f\u00a0]*(?:,\d+)?)\s*(k|k€|mille)?", re.I)


def answer_text(tracker: Tracker) -> str:
    """The user's answer: a button's `reponse` entity, else the text typed."""
    values = entity_values(tracker, "reponse")
    if values:
        return values[0]
    text = latest_text(tracker)
    return "" if is_button_payload(text) else text.strip()


def yes_no(tracker: Tracker) -> str | None:
    intent = latest_intent(tracker)
    text = answer_text(tracker)
    if intent == "affirmer" or _YES.match(text):
        return "oui"
    if intent == "nier" or _NO.match(text):
        return "non"
    if _DONT_KNOW.search(text):
        return UNKNOWN
    return None


def parse_amount(text: str) -> float | None:
    match = _AMOUNT.search(text)
    if not match:
        return None
    digits = re.sub(r"[\s.\u202f\u00a0]", "", match.group(1)).replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    if match.group(2):
        value *= 1000
    return value


class ValidateFormulaireEligibilite(FormValidationAction):
    def name(self) -> str:
        return "validate_formulaire_eligibilite"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict[str, Any]) -> list[str]:
        structure = classify_structure(tracker.get_slot("elig_structure"))
        if structure is not None and structure.eligible is False:
            return ["elig_structure"]  # a company: the check stops here, the verdict says why
        return domain_slots

    def _asked(self, tracker: Tracker, slot: str) -> bool:
        return tracker.get_slot("requested_slot") == slot

    # --- extraction: one method per slot, only when that slot is asked ----------

    async def extract_elig_structure(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> dict[str, Any]:
        if not self._asked(tracker, "elig_structure"):
            return {}
        text = answer_text(tracker)
        return {"elig_structure": text} if classify_structure(text) is not None else {}

    async def extract_elig_siret(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: dict[str, Any]) -> dict[str, Any]:
        if not self._asked(tracker, "elig_siret"):
            return {}
        text = answer_text(tracker)
        if _NO_SIRET.search(text) or latest_intent(tracker) == "nier":
            return {"elig_siret": "aucun"}
        return {"elig_siret": text} if len(re.sub(r"\D", "", text)) >= 9 else {}

    async def extract_elig_lieu(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: dict[str, Any]) -> dict[str, Any]:
        if not self._asked(tracker, "elig_lieu"):
            return {}
        lieux = entity_values(tracker, "lieu")
        place = resolve_place(lieux[0]) if lieux else find_place(answer_text(tracker))
        if place.kind == "inconnu" and latest_intent(tracker) == "informer_lieu":
            place = resolve_place(answer_text(tracker))
        if place.kind in ("inconnu", "ambigu"):
            return {}
        return {"elig_lieu": lieux[0] if lieux else answer_text(tracker)}

    async def extract_elig_description(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: dict[str, Any]) -> dict[str, Any]:
        if not self._asked(tracker, "elig_description"):
            return {}
        text = answer_text(tracker)
        interrupts = {"demander_contact", "demander_contact_mel", "demander_date_limite", "demander_info_resultats",
                      "demander_aide", "arreter_verification"}
        if latest_intent(tracker) in interrupts or latest_intent(tracker).startswith("demander_info_"):
            return {}
        return {"elig_description": text} if len(text.split()) >= 3 else {}

    async def extract_elig_montant(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: dict[str, Any]) -> dict[str, Any]:
        if not self._asked(tracker, "elig_montant"):
            return {}
        text = answer_text(tracker)
        if _DONT_KNOW.search(text):
            return {"elig_montant": UNKNOWN}
        amount = parse_amount(text)
        return {"elig_montant": str(int(amount))} if amount is not None else {}

    async def _extract_yes_no(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        if not self._asked(tracker, slot):
            return {}
        value = yes_no(tracker)
        return {slot: value} if value else {}

    # --- validation ------------------------------------------------------------

    async def validate_elig_structure(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: dict[str, Any]) -> dict[str, Any]:
        structure = classify_structure(value if isinstance(value, str) else None)
        if structure is None:
            dispatcher.utter_message(response="utter_elig_structure_inconnue")
            return {"elig_structure": None}
        if structure.eligible is False:
            dispatcher.utter_message(response="utter_elig_structure_refusee", message=structure.message)
        return {"elig_structure": value}

    async def validate_elig_siret(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: dict[str, Any]) -> dict[str, Any]:
        if value == "aucun":
            dispatcher.utter_message(response="utter_elig_sans_siret", aide=AIDE_SANS_SIRET)
            return {"elig_siret": "aucun"}
        check = check_siret(str(value))
        if check.ok:
            return {"elig_siret": check.siret or str(value), "elig_siret_essais": 0}
        tries = int(tracker.get_slot("elig_siret_essais") or 0) + 1
        if tries >= 2:
            dispatcher.utter_message(response="utter_elig_siret_abandon")
            return {"elig_siret": f"invalide:{value}", "elig_siret_essais": tries}
        dispatcher.utter_message(response="utter_elig_siret_invalide", message=check.message)
        return {"elig_siret": None, "elig_siret_essais": tries}


def _yes_no_extractor(slot: str):  # type: ignore[no-untyped-def]
    async def extract(self: ValidateFormulaireEligibilite, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: dict[str, Any]) -> dict[str, Any]:
        return await self._extract_yes_no(slot, tracker)

    return extract


# rasa_sdk calls extract_<slot> for each required slot: the yes/no questions share one reader.
for _slot in YES_NO_SLOTS:
    setattr(ValidateFormulaireEligibilite, f"extract_{_slot}", _yes_no_extractor(_slot))
