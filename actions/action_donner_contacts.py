"""Who to contact for a place: thin wrapper over `knowledge.services.contacts_dialogue`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import ask_next, other_requests
from actions.common import entity_values, in_thread, is_button_payload, latest_intent, latest_text
from actions.rendering import utter_says
from knowledge.services.contacts_dialogue import ContactsRequest, answer_contacts


class ActionDonnerContacts(Action):
    def name(self) -> str:
        return "action_donner_contacts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = latest_text(tracker)
        attente = tracker.get_slot("attente")
        reponse = tracker.get_slot("reponse_attendue") if attente in ("lieu", "quartier") else None
        request = ContactsRequest(
            text=text, intent=latest_intent(tracker), lieux=tuple(entity_values(tracker, "lieu")),
            roles=tuple(entity_values(tracker, "interlocuteur")), contexte=tracker.get_slot("lieu_contexte"),
            role_en_attente=tracker.get_slot("role_en_attente"), reponse=reponse,
            attente=attente if reponse is not None else None, is_button=is_button_payload(text),
        )
        reply = await in_thread(answer_contacts, request)
        events: list[EventType] = [SlotSet("lieu", None), SlotSet("interlocuteur", None),
                                   SlotSet("reponse_attendue", None)]
        utter_says(dispatcher, domain, reply.says)
        events += [SlotSet("lieu_contexte", reply.contexte), SlotSet("role_en_attente", reply.role_en_attente)]
        if not reply.attente:
            events += other_requests(dispatcher, tracker, domain, "demander_contact")
        return events + (ask_next(reply.attente, tracker) if reply.attente else [])
