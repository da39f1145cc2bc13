"""Helpers shared by the actions: domain texts, entities, message metadata."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker

from knowledge.text import fold

log = logging.getLogger(__name__)


def text_of(domain: dict[str, Any], response: str, **values: Any) -> str:
    """The first text of a domain response, filled with `values`.

    Used for pieces of a message (a contact line, a role label) so that every
    French word stays in the domain files.
    """
    variants = (domain.get("responses") or {}).get(response) or []
    template = variants[0].get("text", "") if variants else ""
    if not template:
        log.error("réponse %s absente du domaine", response)
        return ""
    try:
        return str(template).format(**values)
    except (KeyError, IndexError, ValueError):
        log.exception("réponse %s mal remplie", response)
        return str(template)


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of an entity in the latest message, without duplicates, in order."""
    values: list[str] = []
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == entity and isinstance(item.get("value"), str):
            value = item["value"].strip()
            if value and value not in values:
                values.append(value)
    return values


def latest_intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def latest_text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text")
    return text if isinstance(text, str) else ""


def message_metadata(tracker: Tracker) -> dict[str, Any]:
    """Metadata sent with the latest user message (REST `metadata`)."""
    metadata = tracker.latest_message.get("metadata")
    if isinstance(metadata, dict):
        return metadata
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            found = event.get("metadata")
            return found if isinstance(found, dict) else {}
    return {}


def is_button_payload(text: str) -> bool:
    return text.startswith("/")


_ROLE_WORDS = [
    ("delegue_prefet", re.compile(r"\bdeleg\w*\b.*\bpref\w*|\bdp\b")),
    ("prefecture", re.compile(r"\bprefecture\b")),
    ("region", re.compile(r"\bregion\b|hauts de france")),
]  # not "ville" nor "métropole": "politique de la ville" and "Métropole Européenne de Lille" name no role


def role_in_text(text: str) -> str | None:
    """The kind of contact named in a message when the NLU missed it ("et le deleguer du prefet ?")."""
    folded = fold(text)
    for role, pattern in _ROLE_WORDS:
        if pattern.search(folded):
            return role
    return None


def render_message(domain: dict[str, Any], message: Any, sep: str = ", ") -> str:
    """The French text of a service's Message (`utter_<key>`), nested Messages filled first."""
    return text_of(domain, message.response, **message_values(domain, message))


def message_values(domain: dict[str, Any], message: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in message.values.items():
        if hasattr(value, "response") and hasattr(value, "values"):
            out[key] = render_message(domain, value)
        elif isinstance(value, (list, tuple)) and value and all(hasattr(v, "response") for v in value):
            out[key] = ("\n" if key == "liste" else ", ").join(render_message(domain, v) for v in value)
        else:
            out[key] = value
    return out


def utter_says(dispatcher: Any, domain: dict[str, Any], says: Any) -> None:
    """Send what a service decided to say: each response with its values, buttons and payload."""
    for item in says:
        buttons = [{"title": title, "payload": payload} for title, payload in item.buttons]
        dispatcher.utter_message(response=item.message.response, buttons=buttons or None,
                                 **message_values(domain, item.message))
        if item.payload is not None:
            dispatcher.utter_message(json_message=item.payload)


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
