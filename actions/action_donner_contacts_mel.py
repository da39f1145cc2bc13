"""MEL thematic contacts for projets métropolitains."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, latest_text, text_of
from knowledge.services.contacts import mel_contacts
from knowledge.services.referentiel import readable_source


class ActionDonnerContactsMel(Action):
    def name(self) -> str:
        return "action_donner_contacts_mel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        themes = entity_values(tracker, "theme")
        query = " ".join(themes) if themes else latest_text(tracker)
        answer = mel_contacts(query)
        if answer.status == "indisponible":
            dispatcher.utter_message(response="utter_service_indisponible")
        elif answer.status == "themes":
            buttons = [
                {"title": theme, "payload": f'/demander_contact_mel{{"theme": "{theme}"}}'} for theme in answer.themes
            ]
            dispatcher.utter_message(response="utter_contacts_mel_themes", buttons=buttons)
        else:
            lines = []
            for contact in answer.contacts:
                if not contact.nom:
                    lines.append(text_of(domain, "utter_ligne_contact_vacant", role=contact.theme,
                                         note=contact.note or "—"))
                    continue
                details = f", {contact.email}" if contact.email else ""
                if contact.email_derive:
                    details += f" ({text_of(domain, 'utter_libelle_email_deduit')})"
                if contact.note:
                    details += f" – {contact.note}"
                lines.append(text_of(domain, "utter_ligne_contact", role=contact.theme, nom=contact.nom,
                                     details=details))
            sources = " ; ".join(dict.fromkeys(readable_source(c.source) for c in answer.contacts))
            dispatcher.utter_message(response="utter_contacts_mel", theme=answer.theme, campagne=answer.campagne,
                                     liste="\n".join(lines), source=sources)
            dispatcher.utter_message(json_message=answer.to_payload())
            if any(c.email_derive for c in answer.contacts):
                dispatcher.utter_message(response="utter_contacts_mel_derive")
        return [SlotSet("theme", None)]
