"""Deadline and results of the call, for the date the user is on and the territory asked about."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, in_thread, latest_intent, latest_text, message_metadata, text_of
from knowledge.services.calendar import resolve_today
from knowledge.services.campaigns import answer_calendar
from knowledge.services.messages import values_of


class ActionDonnerCalendrier(Action):
    def name(self) -> str:
        return "action_donner_calendrier"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        lieux = entity_values(tracker, "lieu")
        reply = await in_thread(
            answer_calendar, latest_text(tracker), resolve_today(message_metadata(tracker).get("today")),
            lieu=lieux[0] if lieux else None, lieu_contexte=tracker.get_slot("lieu_contexte"),
            lieu_precedent=tracker.get_slot("lieu"),
            resultats=latest_intent(tracker) == "demander_info_resultats")
        message = reply.message
        dispatcher.utter_message(response=message.response,
                                 **values_of(message, lambda name: text_of(domain, name)))
        if reply.payload is not None:
            dispatcher.utter_message(json_message=reply.payload)
        return []
