"""A small NLU component: one place mention gives one clean `lieu` entity.

The lookup table makes RegexEntityExtractor find "lille" inside "lille sud",
and DIET finds the same span again, or a stray word ("la", "tourner"). For each
entity type this component
- keeps the longest spans, drops the spans inside them and exact duplicates;
- when two spans overlap, keeps the one the lookup table confirms;
- joins "villeneuve" + "d" + "ascq" (a place split around a particle);
- drops a `lieu` that is a bare article or preposition, and a `lieu` that only
  DIET found with a low confidence (below 0.7) and no lookup entry confirms.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

REGEX = "RegexEntityExtractor"
MIN_CONFIDENCE = 0.7
_PARTICLE = re.compile(r"^\s*(?:d'|d’|d|de|du|en|lez|lès|sur|-)\s*$", re.IGNORECASE)
_ARRONDISSEMENT = re.compile(r"^\s+\d{1,2}\s*(?:e|er|eme|ème)\b", re.IGNORECASE)
_STOP = {"la", "le", "les", "l", "de", "du", "des", "d", "en", "a", "à", "au", "aux", "et", "ou", "sur", "pour",
         "dans", "chez", "quartier", "ville", "commune"}


def _span(entity: dict[str, Any]) -> tuple[int, int] | None:
    start, end = entity.get("start"), entity.get("end")
    return (start, end) if isinstance(start, int) and isinstance(end, int) else None


def _confirmed(entity: dict[str, Any], entities: list[dict[str, Any]]) -> bool:
    return any(o.get("extractor") == REGEX and o.get("entity") == entity.get("entity") and _span(o) == _span(entity)
               for o in entities)


def clean_entities(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for entity in entities:
        span = _span(entity)
        if span is None:
            kept.append(entity)
            continue
        start, end = span
        same = [o for o in entities if o is not entity and o.get("entity") == entity.get("entity") and _span(o)]
        inside = any(o["start"] <= start and end <= o["end"] and (o["end"] - o["start"]) > (end - start) for o in same)
        loses_overlap = any(
            o["start"] < end and start < o["end"] and not (o["start"] <= start and end <= o["end"])
            and not (start <= o["start"] and o["end"] <= end)
            and o.get("extractor") == REGEX and entity.get("extractor") != REGEX
            for o in same
        )
        duplicate = any(k.get("entity") == entity.get("entity") and _span(k) == span for k in kept)
        if inside or loses_overlap or duplicate:
            continue
        if entity.get("entity") == "lieu":
            words = text[start:end].strip().lower()
            if len(words) < 3 or words in _STOP:
                continue
            confidence = entity.get("confidence_entity")
            if (entity.get("extractor") != REGEX and isinstance(confidence, float) and confidence < MIN_CONFIDENCE
                    and not _confirmed(entity, entities)):
                continue
        if entity.get("entity") == "lieu":
            # "Paris 18e": the arrondissement belongs to the place.
            after = _ARRONDISSEMENT.match(text[end:])
            if after:
                entity = {**entity, "end": end + after.end(), "value": text[start:end + after.end()]}
        kept.append(entity)
    return _join_split_places(sorted(kept, key=lambda e: e.get("start") or 0), text)


def _join_split_places(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for entity in entities:
        previous = out[-1] if out else None
        if (previous is not None and entity.get("entity") == "lieu" and previous.get("entity") == "lieu"
                and _span(previous) and _span(entity) and _PARTICLE.match(text[previous["end"]:entity["start"]])):
            merged = dict(previous)
            merged["end"] = entity["end"]
            merged["value"] = text[previous["start"]:entity["end"]]
            out[-1] = merged
            continue
        out.append(entity)
    return out


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class NestedEntityFilter(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> NestedEntityFilter:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES)
            if entities:
                message.set(ENTITIES, clean_entities(entities, message.get(TEXT) or ""), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
