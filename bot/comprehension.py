"""Long messages: understand each sentence, answer the main request first, keep the others.

A pasted e-mail ("Bonjour, je suis la nouvelle coordinatrice d'un centre social à
Faches-Thumesnil… Nous voulons monter un jardin partagé… À qui dois-je m'adresser ?")
is classified as a whole by the NLU, which then answers on one word. Here the REST
channel parses each sentence with the same trained NLU (`agent.parse_message`), picks
the request to answer first by a fixed order (contacts before ambitions…), and passes
the other requests to the actions in the message metadata (`comprehension`), so that
the answer can say in one line what else it understood.

Only messages of at least two sentences and MIN_WORDS words are analysed; short
messages keep the NLU's own reading.
"""

from __future__ import annotations

import re
from typing import Any

MIN_WORDS = 14
MAX_SENTENCES = 8
MIN_CONFIDENCE = 0.5

# The order in which requests found in one message are answered (the first found is the main one).
PRIORITY = (
    "demander_contact", "demander_contact_mel", "verifier_adresse_qpv", "verifier_siret", "demander_date_limite",
    "demander_info_structures_eligibles", "demander_info_public_cible", "demander_info_depot",
    "demander_info_budget", "demander_info_bilan", "demander_info_redepot_cpo", "demander_info_cpo",
    "demander_info_evaluation", "demander_info_egalite", "demander_info_engagement_republicain",
    "demander_info_cofinanceurs", "demander_info_projets_metropolitains", "demander_info_resultats",
    "demander_info_droit_commun", "demander_info_npnru", "demander_info_qpv", "demander_info_cvs",
    "demander_info_delegue_prefet", "demander_info_enjeux", "verifier_eligibilite", "demander_ambition",
)
_RANK = {intent: rank for rank, intent in enumerate(PRIORITY)}
_SPLIT = re.compile(r"(?<=[.!?…;])\s+|\s*\n+\s*")
# A sentence that asks something (not the context around it: « nous sommes un club à Lille-Sud. »).
_ASKS = re.compile(
    r"\?|\b(qui|quel|quelle|quels|quelles|quand|comment|combien|pourquoi|est-ce|est ce|"
    r"pouvez-vous|pourriez-vous|pouvez vous|pourriez vous|je souhaite|je souhaiterais|je voudrais|j'aimerais|"
    r"nous souhaitons|nous voudrions|merci de|faut-il|faut il|dois-je|doit-on|peut-on|peut on)\b",
    re.IGNORECASE,
)


# A sentence that points back at what was just said (« … un jardin partagé. Ça rentre dans quel enjeu ? »,
# « Est-ce que cela entre dans le contrat ? ») means nothing alone: it is read with the sentence before it.
_REFERS_BACK = re.compile(
    r"^(?:et|mais|alors|donc|du coup)?\s*,?\s*(?:est[- ]ce\s+que\s+|est[- ]ce\s+qu[’']\s*)?"
    r"(?:ça|ca|cela|ceci|celui-ci|celle-ci|lesquel(?:le)?s?|laquelle|lequel|dans ce cas|"
    r"(?:ce|cet|cette|ces)\s+(?:projet|action|activité|atelier|initiative|dispositif|type|genre|public|idée)s?)\b",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SPLIT.split(text) if p and p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and _REFERS_BACK.match(part):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return [p for p in merged if len(p.split()) >= 2][:MAX_SENTENCES]


def is_long(text: str) -> bool:
    return not text.startswith("/") and len(text.split()) >= MIN_WORDS and len(sentences(text)) >= 2


async def analyse(agent: Any, text: str, parse: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The parse data to use for a message, and what else it asks (None for a short message)."""
    if not is_long(text):
        return parse, None
    requests: list[dict[str, Any]] = []
    entities = list(parse.get("entities") or [])
    offset = 0
    for sentence in sentences(text):
        start = text.find(sentence, offset)
        offset = start + len(sentence) if start >= 0 else offset
        sub = await agent.parse_message(sentence)
        intent = (sub.get("intent") or {}).get("name")
        confidence = float((sub.get("intent") or {}).get("confidence") or 0.0)
        if intent in _RANK and confidence >= MIN_CONFIDENCE and _ASKS.search(sentence):
            requests.append({"intent": intent, "confidence": round(confidence, 3), "texte": sentence})
        for entity in sub.get("entities") or []:
            if start >= 0 and not any(_same(entity, e) for e in entities):
                moved = dict(entity)
                if "start" in moved and "end" in moved:
                    moved["start"], moved["end"] = moved["start"] + start, moved["end"] + start
                entities.append(moved)
    if not requests:
        return parse, None
    requests.sort(key=lambda r: (_RANK[r["intent"]], -r["confidence"]))
    # The whole message's reading stands when one of its sentences asks the same thing; otherwise the
    # sentences' requests are answered in order (contacts first).
    whole = (parse.get("intent") or {}).get("name")
    main = next((r for r in requests if r["intent"] == whole), requests[0])
    combined = dict(parse)
    combined["intent"] = {"name": main["intent"], "confidence": main["confidence"]}
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != main["intent"]]
    combined["intent_ranking"] = [dict(combined["intent"]), *ranking]
    combined["entities"] = entities
    others: list[dict[str, Any]] = []
    for request in requests:
        if request["intent"] != main["intent"] and all(o["intent"] != request["intent"] for o in others):
            others.append(request)
    return combined, {"principale": main["intent"], "autres": others}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.get("entity") == b.get("entity") and str(a.get("value", "")).lower() == str(b.get("value", "")).lower()


async def understand(agent: Any, text: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """For the channel: (parse data to hand to Rasa, what else was asked), or (None, None) for a short message.

    A short message costs nothing here: Rasa parses it as usual.
    """
    if agent is None or not isinstance(text, str) or not is_long(text):
        return None, None
    try:
        parse = await agent.parse_message(text)
        combined, info = await analyse(agent, text, parse)
    except Exception:  # never lose the message: Rasa parses it as usual
        import logging

        logging.getLogger(__name__).exception("analyse phrase par phrase impossible")
        return None, None
    return (combined if info is not None else None), info
