"""The full wording of one ambition."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, latest_text
from knowledge.services.referentiel import ambition_detail, readable_source

_ID = re.compile(r"\b([1-6])\s*[.,]\s*([1-9])\b")


class ActionDetailAmbition(Action):
    def name(self) -> str:
        return "action_detail_ambition"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        ids = entity_values(tracker, "ambition_id")
        if not ids:
            found = _ID.search(latest_text(tracker))
            ids = [f"{found.group(1)}.{found.group(2)}"] if found else []
        detail = ambition_detail(ids[0]) if ids else None
        if detail is None:
            dispatcher.utter_message(response="utter_detail_ambition_inconnue")
        else:
            dispatcher.utter_message(response="utter_detail_ambition", id=detail.id, enjeu=detail.enjeu,
                                     enjeu_libelle=detail.enjeu_libelle, texte=detail.texte,
                                     source=readable_source(detail.source))
        return [SlotSet("ambition_id", None)]
