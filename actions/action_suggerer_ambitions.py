"""Suggest the ambitions of annexe 2 that a project description answers."""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import ask_next
from actions.common import in_thread, is_button_payload, latest_text, text_of
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
        reponse = tracker.get_slot("reponse_attendue") if tracker.get_slot("attente") == "description" else None
        text = reponse or latest_text(tracker)
        description = "" if is_button_payload(text) else _QUESTION.sub("", text, count=1)
        result = await in_thread(match_ambitions, description) if description.strip() else None
        done = [SlotSet("reponse_attendue", None)]  # `attente` is left: the rule that gave the answer reads it
        if result is None or result.aucune:
            if reponse is None:
                dispatcher.utter_message(response="utter_ask_description_projet")
                return ask_next("description", tracker)
            dispatcher.utter_message(response="utter_ambitions_aucune")
            dispatcher.utter_message(json_message=(result.to_payload() if result else
                                                   {"type": "ambitions", "aucune": True, "items": []}))
            return done
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
        return done
