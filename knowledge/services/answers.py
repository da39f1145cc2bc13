"""Is the user's message the answer to the question the assistant just asked?

When the assistant asks for something (a place, a quartier, an objective, a
project description, a SIRET, a MEL theme), the next message is read as that
answer whatever intent the NLU gives it ("Un projet au Virolois" is a place,
"Réaliser 24 séances de sport-santé…" is an objective, not a question about
the MEL's sport contacts), unless it is clearly a new question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from knowledge.services.places import find_place, resolve_place
from knowledge.text import fold

Awaited = Literal["lieu", "quartier", "objectif", "description", "siret", "theme"]
AWAITED: tuple[str, ...] = ("lieu", "quartier", "objectif", "description", "siret", "theme")

# Intents that, when confident, mean the user moved on to another question.
_QUESTION_INTENTS = re.compile(
    r"^(demander_info_\w+|demander_date_limite|demander_aide|verifier_eligibilite|verifier_siret|"
    r"verifier_adresse_qpv|demander_contact_mel|demander_ambition|demander_contact|arreter_verification)$"
)
_SMALL_TALK = {"saluer", "remercier", "dire_au_revoir", "affirmer", "nier"}
_QUESTION_START = re.compile(
    r"^(qui|que|quoi|quel|quelle|quels|quelles|quand|comment|ou|pourquoi|combien|est ce|est il|est elle|"
    r"peut on|puis je|dois je|faut il|c est quand|c est qui|et si)\b"
)
_DIGITS = re.compile(r"\d[\d\s.\-]{7,}\d")
_NO_NUMBER = re.compile(r"\b(pas|aucun|sans)\b.{0,20}\b(siret|siren|numero)\b")
NEW_QUESTION_CONFIDENCE = 0.6
MAX_PLACE_WORDS = 6  # "Saint-Glinglin-sur-Deûle" is an answer; a long sentence without a place is not


@dataclass(frozen=True)
class Reading:
    answer: bool
    value: str = ""


def _entity_values(entities: Iterable[Mapping[str, Any]], name: str) -> list[str]:
    return [str(e.get("value")) for e in entities or [] if e.get("entity") == name and e.get("value")]


def _looks_like_question(text: str, intent: str, confidence: float) -> bool:
    folded = fold(text)
    asks = text.rstrip().endswith("?") or bool(_QUESTION_START.match(folded))
    return bool(_QUESTION_INTENTS.match(intent or "")) and confidence >= NEW_QUESTION_CONFIDENCE and asks


def read_answer(kind: str, text: object, intent: str = "", confidence: float = 0.0,
                entities: Iterable[Mapping[str, Any]] = ()) -> Reading:
    """Read `text` as the answer of `kind`; `Reading(False)` when it is something else."""
    if kind not in AWAITED or not isinstance(text, str):
        return Reading(False)
    text = text.strip()
    if not text:
        return Reading(False)
    if text.startswith("/"):  # a button: only a place button answers a place question
        places = _entity_values(entities, "lieu")
        if kind in ("lieu", "quartier") and intent == "informer_lieu" and places:
            return Reading(True, places[0])
        themes = _entity_values(entities, "theme")
        if kind == "theme" and themes:
            return Reading(True, themes[0])
        return Reading(False)
    if intent in _SMALL_TALK and len(text.split()) <= 3:
        return Reading(False)
    if kind in ("lieu", "quartier"):
        return _read_place(text, intent, confidence, entities)
    if kind == "siret":
        folded = fold(text)
        return Reading(bool(_DIGITS.search(text) or _NO_NUMBER.search(folded)), text)
    if kind == "theme":
        themes = _entity_values(entities, "theme")
        if themes:
            return Reading(True, " ".join(themes))
        return Reading(not _looks_like_question(text, intent, confidence), text)
    # objectif, description: any text that is not clearly a new question.
    if _looks_like_question(text, intent, confidence) and len(text.split()) <= 20:
        return Reading(False)
    return Reading(True, text)


def _read_place(text: str, intent: str, confidence: float, entities: Iterable[Mapping[str, Any]]) -> Reading:
    places = _entity_values(entities, "lieu")
    for value in places:
        if resolve_place(value).kind != "inconnu":
            return Reading(True, text)
    if find_place(text).kind != "inconnu" or resolve_place(text).kind != "inconnu":
        return Reading(True, text)
    if _looks_like_question(text, intent, confidence):
        return Reading(False)
    if places or len(text.split()) <= MAX_PLACE_WORDS:
        return Reading(True, text)  # a place the référentiel does not know: answered as such, not asked again
    return Reading(False)
