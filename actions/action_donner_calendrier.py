"""Deadline and results of the call, for the date the user is on."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_intent, message_metadata
from knowledge.services.calendar import resolve_today
from knowledge.services.campaigns import calendar
from knowledge.services.referentiel import readable_source


class ActionDonnerCalendrier(Action):
    def name(self) -> str:
        return "action_donner_calendrier"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        today = resolve_today(message_metadata(tracker).get("today"))
        cal = calendar(today)
        if cal is None:
            dispatcher.utter_message(response="utter_service_indisponible")
            return []
        if cal.statut == "non_publie" or cal.date_limite is None:
            dispatcher.utter_message(response="utter_calendrier_inconnu")
            return []
        values = {
            "campagne": cal.campagne, "date_limite": cal.date_limite_fr, "jours": cal.jours_restants,
            "resultats": cal.resultats, "plateforme": cal.plateforme, "source": readable_source(cal.source or ""),
        }
        if latest_intent(tracker) == "demander_info_resultats":
            response = "utter_calendrier_resultats"
        elif cal.statut == "ouvert":
            response = "utter_calendrier_dernier_jour" if cal.jours_restants == 0 else "utter_calendrier_ouvert"
        else:
            response = "utter_calendrier_clos"
        dispatcher.utter_message(response=response, **values)
        dispatcher.utter_message(json_message=cal.to_payload())
        return []
