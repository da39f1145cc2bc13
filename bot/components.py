"""A small NLU component: one place mention gives one `lieu` entity.

The lookup table makes RegexEntityExtractor find "lille" inside "lille sud" and
"faches" inside "faches thumesnil", and DIET often finds the same span again.
This component keeps, for each entity type, the longest spans and drops the
spans inside them and exact duplicates (the first extractor's is kept).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def keep_outermost(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if start is None or end is None:
            kept.append(entity)
            continue
        inside = any(
            other is not entity and other.get("entity") == entity.get("entity")
            and other.get("start") is not None and other["start"] <= start and end <= other["end"]
            and (other["end"] - other["start"]) > (end - start)
            for other in entities
        )
        duplicate = any(
            k.get("entity") == entity.get("entity") and k.get("start") == start and k.get("end") == end for k in kept
        )
        if not inside and not duplicate:
            kept.append(entity)
    return kept


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
                message.set(ENTITIES, keep_outermost(entities), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
