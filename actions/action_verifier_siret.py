"""Checks a SIRET or SIREN written anywhere in a message, outside the pre-submission form."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import ask_next
from actions.common import in_thread, latest_text
from knowledge.services.siret import check_siret_in_text


class ActionVerifierSiret(Action):
    def name(self) -> str:
        return "action_verifier_siret"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        reponse = tracker.get_slot("reponse_attendue") if tracker.get_slot("attente") == "siret" else None
        result = await in_thread(check_siret_in_text, reponse or latest_text(tracker))
        dispatcher.utter_message(response=result.message.response, **result.message.values)
        if result.kind == "aucun_numero" and reponse is None:
            return ask_next("siret", tracker)  # "mon SIRET est-il bon ?": the next message is the number
        dispatcher.utter_message(json_message={"type": "siret", "statut": result.kind, "numero": result.numero})
        return [SlotSet("reponse_attendue", None)]
