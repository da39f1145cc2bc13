"""Two-stage fallback: first guesses with readable buttons, then a human contact."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import text_of
from knowledge.services.contacts import mel_contacts

# Intents never offered as a guess (they need context or mean nothing alone).
NOT_SUGGESTED = {"nlu_fallback", "affirmer", "nier", "saluer", "remercier", "dire_au_revoir", "hors_sujet",
                 "informer_lieu", "demander_detail_ambition"}
DEFAULT_SUGGESTIONS = ["demander_contact", "demander_date_limite", "demander_ambition", "demander_aide"]


class ActionRepondreIncompris(Action):
    def name(self) -> str:
        return "action_repondre_incompris"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        misses = int(tracker.get_slot("nb_incompris") or 0) + 1
        if misses >= 2 and self._previous_was_miss(tracker):
            contact = self._mel_contact()
            if contact:
                dispatcher.utter_message(response="utter_incompris_contact_humain", contact=contact)
            else:
                dispatcher.utter_message(response="utter_incompris_contact_humain_sans_nom")
            return [SlotSet("nb_incompris", 0)]
        guesses = [
            item.get("name") for item in tracker.latest_message.get("intent_ranking") or []
            if item.get("name") not in NOT_SUGGESTED
        ][:2]
        for intent in DEFAULT_SUGGESTIONS:
            if len(guesses) >= 3:
                break
            if intent not in guesses:
                guesses.append(intent)
        buttons = []
        for intent in guesses:
            title = text_of(domain, f"utter_libelle_{intent}")
            if title:
                buttons.append({"title": title, "payload": f"/{intent}"})
        dispatcher.utter_message(response="utter_incompris_suggestions", buttons=buttons)
        return [SlotSet("nb_incompris", misses)]

    @staticmethod
    def _previous_was_miss(tracker: Tracker) -> bool:
        """Was the user message before this one also not understood?"""
        seen_current = False
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                if not seen_current:
                    seen_current = True
                    continue
                return (event.get("parse_data") or {}).get("intent", {}).get("name") == "nlu_fallback"
        return False

    @staticmethod
    def _mel_contact() -> str:
        answer = mel_contacts("politique de la ville")
        for contact in answer.contacts:
            if contact.nom and contact.email:
                return f"{contact.nom}, {contact.email}"
        return ""
