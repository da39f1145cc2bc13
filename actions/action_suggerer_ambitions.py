"""Suggest the ambitions of annexe 2 that a project description answers."""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import is_button_payload, latest_text, text_of
from knowledge.services.ambitions import match_ambitions

# Words that ask the question rather than describe the project.
_QUESTION = re.compile(
    r"^\s*(?:quelle?s?\s+ambitions?|quel\s+enjeu|dans\s+quel(?:le)?\s+(?:enjeu|ambition)|mon\s+projet|projet)"
    r"[^:?]*?(?:pour|:|\?)\s*",
    re.IGNORECASE,
)


class ActionSuggererAmbitions(Action):
    def name(self) -> str:
        return "action_suggerer_ambitions"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = latest_text(tracker)
        waiting = bool(tracker.get_slot("attente_description"))
        description = "" if is_button_payload(text) else _QUESTION.sub("", text, count=1)
        result = match_ambitions(description) if description.strip() else None
        if result is None or result.aucune:
            if not waiting:
                dispatcher.utter_message(response="utter_ask_description_projet")
                return [SlotSet("attente_description", True)]
            dispatcher.utter_message(response="utter_ambitions_aucune")
            dispatcher.utter_message(json_message=(result.to_payload() if result else
                                                   {"type": "ambitions", "aucune": True, "items": []}))
            return [SlotSet("attente_description", False)]
        top = result.items[:3]
        lines = []
        for item in top:
            if item.termes:
                pourquoi = text_of(domain, "utter_ambition_pourquoi",
                                   termes=", ".join(f"« {t} »" for t in item.termes[:4]))
            else:
                pourquoi = text_of(domain, "utter_ambition_pourquoi_sens")
            lines.append(text_of(domain, "utter_ligne_ambition", id=item.id, libelle=item.libelle,
                                 enjeu=item.enjeu, pourquoi=pourquoi))
        buttons = [
            {"title": f"Lire l'ambition {item.id}",
             "payload": "/demander_detail_ambition" + json.dumps({"ambition_id": item.id})}
            for item in top
        ]
        dispatcher.utter_message(response="utter_ambitions", liste="\n".join(lines), buttons=buttons)
        dispatcher.utter_message(json_message=result.to_payload())
        return [SlotSet("attente_description", False)]
