"""What the assistant waits for next: the awaited-answer form, and the other requests of a long message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.common import message_metadata, text_of


def ask_next(attente: str, tracker: Tracker) -> list[Any]:
    """Events that make the next message be read as the answer of kind `attente` (formulaire_reponse).

    Inside another form (the pre-submission check), that form keeps the floor: only the slot is set.
    """
    from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet

    active = (tracker.active_loop or {}).get("name")
    if active not in (None, "formulaire_reponse"):
        return [SlotSet("attente", attente)]
    reset = [ActiveLoop(None), SlotSet("requested_slot", None)] if active else []  # a lingering, rejected one
    return [SlotSet("attente", attente), SlotSet("reponse_attendue", None), *reset,
            FollowupAction("formulaire_reponse")]


def other_requests(dispatcher: Any, tracker: Tracker, domain: dict[str, Any], answered: str) -> list[Any]:
    """One line per other request a long message made (bot/comprehension.py), with a button for it.

    "Vous parlez aussi de « nous voulons lancer des ateliers de cuisine » : voulez-vous … ?"
    For ambitions, the sentence is kept as the project description the button will use.
    """
    from rasa_sdk.events import SlotSet

    info = message_metadata(tracker).get("comprehension") or {}
    events: list[Any] = []
    for other in (info.get("autres") or [])[:2]:
        intent, sentence = str(other.get("intent") or ""), str(other.get("texte") or "")
        label = text_of(domain, f"utter_libelle_{intent}")
        if not intent or intent == answered or not label:
            continue
        short = sentence if len(sentence) <= 90 else sentence[:89] + "…"
        dispatcher.utter_message(response="utter_autre_demande", extrait=short, sujet=label.rstrip(" ?").lower(),
                                 buttons=[{"title": label, "payload": f"/{intent}"}])
        if intent == "demander_ambition":
            events += [SlotSet("attente", "description"), SlotSet("reponse_attendue", sentence)]
    return events
