"""MEL thematic contacts for projets métropolitains: thin wrapper over `answer_mel_contacts`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import ask_next
from actions.common import entity_values, in_thread, latest_text
from actions.rendering import utter_says
from knowledge.services.contacts_dialogue import answer_mel_contacts


class ActionDonnerContactsMel(Action):
    def name(self) -> str:
        return "action_donner_contacts_mel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        reponse = tracker.get_slot("reponse_attendue") if tracker.get_slot("attente") == "theme" else None
        themes = [] if reponse else entity_values(tracker, "theme")
        reply = await in_thread(answer_mel_contacts, reponse or latest_text(tracker), themes)
        utter_says(dispatcher, domain, reply.says)
        events: list[EventType] = [SlotSet("theme", None), SlotSet("reponse_attendue", None)]
        return events + (ask_next(reply.attente, tracker) if reply.attente else [])
