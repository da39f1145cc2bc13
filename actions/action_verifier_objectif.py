"""Checks an operational objective (annexe 3 of the call) and proposes a rewrite."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import ask_next
from actions.common import in_thread, is_button_payload, latest_text
from knowledge.services.messages import domain_templates, render
from knowledge.services.objectives import review_objective

# The words that ask for the check, before the objective itself.
_ASK = re.compile(r"^.*?\bobjectif[^:]*?(?::|c['’]est\s+d['’e]|est\s+d['’e])\s*", re.IGNORECASE)
_TAIL = re.compile(
    r"[,;]?\s*(?:c'est\s+(?:bien|ok|correct)[^?]*|ça\s+va|est-ce\s+bon|c'est\s+bien\s+formul[ée])\s*\??$",
    re.IGNORECASE,
)


def objective_in(text: str) -> str:
    """The objective inside a message ("voici mon objectif : X, c'est ok ?" → "X")."""
    if not _ASK.search(text):
        return ""
    candidate = _TAIL.sub("", _ASK.sub("", text, count=1)).strip(" ?")
    return candidate if len(candidate.split()) >= 3 else ""


class ActionVerifierObjectif(Action):
    def name(self) -> str:
        return "action_verifier_objectif"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = latest_text(tracker)
        reponse = tracker.get_slot("reponse_attendue") if tracker.get_slot("attente") == "objectif" else None
        objective = reponse.strip() if reponse else ("" if is_button_payload(text) else objective_in(text))
        review = await in_thread(review_objective, objective)
        check = review.check
        if check is None:
            dispatcher.utter_message(response="utter_ask_objectif", annee=review.annee)
            return ask_next("objectif", tracker)
        dispatcher.utter_message(response="utter_objectif_complet" if check.complet else "utter_objectif_incomplet",
                                 message=render(check.message, domain_templates(domain)), annee=review.annee)
        dispatcher.utter_message(json_message={
            "type": "objectif", "texte": check.texte, "complet": check.complet, "manquants": list(check.manquants),
            "verbe": check.verbe, "chiffre": check.chiffre, "unite": check.unite, "temporalite": check.temporalite,
            "proposition": check.proposition, "cle": check.message.key,
        })
        return [SlotSet("reponse_attendue", None)]
