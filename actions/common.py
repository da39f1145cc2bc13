"""Helpers shared by the actions: domain texts, entities, message metadata."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker

log = logging.getLogger(__name__)
T = TypeVar("T")


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


async def in_thread(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a `knowledge` service (SQLAlchemy reads, spaCy, the passage search) in a worker thread, so that
    the action server's event loop keeps answering other conversations meanwhile."""
    return await asyncio.to_thread(service, *args, **kwargs)
