"""Run actions with a tracker built in code and the real domain texts."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "bot" / "domain"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    merged: dict[str, Any] = {"responses": {}, "slots": {}}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["responses"].update(part.get("responses") or {})
        merged["slots"].update(part.get("slots") or {})
    return merged


def make_tracker(text: str, intent: str, entities: list[dict[str, Any]] | None = None,
                 slots: dict[str, Any] | None = None, metadata: dict[str, Any] | None = None,
                 events: list[dict[str, Any]] | None = None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or [],
              "intent_ranking": [{"name": intent, "confidence": 0.99}]}
    if metadata is not None:
        latest["metadata"] = metadata
    return Tracker("test", slots or {}, latest, events or [], False, None, {}, "action_listen")


def run(action: Action, tracker: Tracker, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def slot_events(events: list[Any]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def payloads(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if m.get("custom")]
