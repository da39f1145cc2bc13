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

import json
import re
from typing import Any

from rapidfuzz import fuzz, process
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import bot.rasa_patches  # noqa: F401  (applies the flat-per-turn patches once in the Rasa process)
from knowledge.text import NOT_PLACE_WORDS, fold

REGEX = "RegexEntityExtractor"
_WORD = re.compile(r"[\w’'-]+")
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



@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class FuzzyLookupEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Places of the lookup table typed with one typo ("wattrelo", "tourcoin", "roubais").

    RegexEntityExtractor finds the lookup entries as typed; this finds, in the words it left, a
    chunk of one to four words close to an entry (rapidfuzz ratio on folded, space-less text, a
    high cutoff, long chunks only, common words never: knowledge/text.py's NOT_PLACE_WORDS). The
    entity value is the text as typed; the action server resolves it to a place.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"entity": "lieu", "max_words": 4, "min_chars": 6, "cutoff_one_word": 85.0, "cutoff_short": 90.0,
                "cutoff_words": 86.0}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 names: list[str] | None = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._names = names or []

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> FuzzyLookupEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        entity = self._config["entity"]
        names = {fold(e).replace(" ", "") for table in training_data.lookup_tables if table.get("name") == entity
                 for e in table.get("elements") or [] if isinstance(e, str)}
        self._names = sorted(n for n in names if len(n) >= self._config["min_chars"] - 1)
        with self._storage.write_to(self._resource) as directory:
            (directory / "names.json").write_text(json.dumps(self._names), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> FuzzyLookupEntityExtractor:
        try:
            with model_storage.read_from(resource) as directory:
                names = json.loads((directory / "names.json").read_text(encoding="utf-8"))
        except (ValueError, OSError):
            names = []
        return cls(config, model_storage, resource, names)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = self.extract(message.get(TEXT) or "", message.get(ENTITIES) or [])
            if found:
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), *self.add_extractor_name(found)],
                            add_to_output=True)
        return messages

    def extract(self, text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not self._names or len(text) > 2000:
            return []
        taken = [(e["start"], e["end"]) for e in entities if e.get("entity") == self._config["entity"] and _span(e)]
        words = [(m.start(), m.end(), fold(m.group(0))) for m in _WORD.finditer(text)]
        out: list[dict[str, Any]] = []
        i = 0
        while i < len(words):
            best = None
            for size in range(min(self._config["max_words"], len(words) - i), 0, -1):
                chunk = words[i:i + size]
                start, end = chunk[0][0], chunk[-1][1]
                folded = [w for _, _, w in chunk]
                if any(start < b and a < end for a, b in taken) or folded[0] in _STOP or folded[-1] in _STOP:
                    continue
                if size == 1 and folded[0] in NOT_PLACE_WORDS:
                    continue
                query = "".join(folded).replace(" ", "")
                if len(query) < self._config["min_chars"]:
                    continue
                cutoff = self._config["cutoff_words"] if size > 1 else (
                    self._config["cutoff_one_word"] if len(query) >= 7 else self._config["cutoff_short"])
                match = process.extractOne(query, self._names, scorer=fuzz.ratio, score_cutoff=cutoff)
                if match and (best is None or match[1] > best[0] + 2.0):
                    best = (match[1], size, start, end)
            if best is None:
                i += 1
                continue
            score, size, start, end = best
            out.append({"entity": self._config["entity"], "start": start, "end": end, "value": text[start:end],
                        "confidence_entity": round(score / 100, 3)})
            taken.append((start, end))
            i += size
        return out


# Words around a place name that do not make a question ("un projet au Virolois", "plutôt à Hem").
_AROUND_A_PLACE = frozenset(fold(w) for w in {
    "un", "une", "le", "la", "les", "l", "au", "aux", "a", "à", "en", "sur", "dans", "du", "de", "des", "d", "projet",
    "mon", "ma", "notre", "nos", "quartier", "commune", "ville", "c", "c'est", "est", "ca", "ça", "se", "passe",
    "pour", "chez", "vers", "cote", "côté", "plutot", "plutôt", "et", "alors", "oui", "non", "nous", "sommes", "on",
    "situe", "situé", "situee", "située", "base", "basé", "basee", "basée", "ici", "là", "la-bas", "secteur",
})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PlaceOnlyIntent(GraphComponent):
    """A message that is only a place ("Un projet au Virolois", "centralité de beaulieu") gives a place.

    The classifier reads such short messages from their few other words ("projet" → ambitions); when
    every word of the message is a place entity or one of a few words around a place, the intent is
    `informer_lieu` — the contacts answer then reads the place.
    """

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> PlaceOnlyIntent:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            places = [e for e in message.get(ENTITIES) or [] if e.get("entity") == "lieu" and _span(e)]
            if not places or text.startswith("/") or len(text) > 120:
                continue
            rest = list(text)
            for entity in places:
                rest[entity["start"]:entity["end"]] = [" "] * (entity["end"] - entity["start"])
            words = [fold(w) for w in _WORD.findall("".join(rest))]
            if all(part in _AROUND_A_PLACE for w in words for part in w.split()):
                intent = {"name": "informer_lieu", "confidence": 1.0}
                others = [r for r in message.get("intent_ranking") or [] if r.get("name") != "informer_lieu"]
                ranking = [intent, *others]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
