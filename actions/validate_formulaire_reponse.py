"""Reads the next message as the answer to the question the assistant asked (slot `attente`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import in_thread, latest_intent, latest_text
from knowledge.services.answers import read_answer


class ValidateFormulaireReponse(FormValidationAction):
    def name(self) -> str:
        return "validate_formulaire_reponse"

    async def extract_reponse_attendue(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "reponse_attendue":
            return {}  # the form is being started (asking.ask_next resets it): the message is the question
        message = tracker.latest_message
        confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
        reading = await in_thread(read_answer, tracker.get_slot("attente") or "", latest_text(tracker),
                                  latest_intent(tracker), confidence, message.get("entities") or [])
        return {"reponse_attendue": reading.value} if reading.answer else {}


class ActionAskReponseAttendue(Action):
    """The asking action has already asked (with its own words and buttons): nothing to add."""

    def name(self) -> str:
        return "action_ask_reponse_attendue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return []
