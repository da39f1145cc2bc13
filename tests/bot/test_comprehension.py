"""How the REST channel cuts a long message into requests (bot/comprehension.py, no Rasa needed)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.comprehension import analyse, is_long, sentences


def test_a_sentence_pointing_back_is_read_with_the_one_before() -> None:
    for text in [
        "Avec des mamans du quartier nous voulons monter un atelier de couture. Ça rentre dans quel enjeu ?",
        "Notre club propose du foot en salle aux collégiennes le mercredi. Est-ce que cela entre dans le contrat ?",
        "On lance une épicerie solidaire au pied des immeubles. Ce projet peut-il être financé ?",
        "Nous voulons former des bénévoles à l'accompagnement numérique. Est-ce qu'ça compte pour l'appel ?",
    ]:
        assert sentences(text) == [text], text
        assert not is_long(text), text  # one request: the NLU reads the whole message


def test_separate_requests_stay_separate() -> None:
    text = "Nous sommes un club de boxe à Lille-Sud. C'est quand la date limite ? Et qui faut-il contacter ?"
    assert sentences(text) == ["Nous sommes un club de boxe à Lille-Sud.", "C'est quand la date limite ?",
                               "Et qui faut-il contacter ?"]
    assert is_long(text)


class _Agent:
    """Stands in for Rasa's agent: the intent of each text it is asked to parse."""

    def __init__(self, intents: dict[str, str]) -> None:
        self.intents = intents
        self.asked: list[str] = []

    async def parse_message(self, text: str) -> dict[str, Any]:
        self.asked.append(text)
        name = next((intent for key, intent in self.intents.items() if key in text), "nlu_fallback")
        return {"intent": {"name": name, "confidence": 0.9}, "entities": [], "intent_ranking": []}


def test_a_project_followed_by_does_it_fit_keeps_the_whole_reading() -> None:
    text = ("Bonjour, avec des femmes du quartier on voudrait organiser des sorties pour aller au dépistage "
            "du cancer. Ça correspond à quoi dans le contrat ?")
    agent = _Agent({"dépistage": "demander_ambition", "contrat": "demander_info_cvs"})
    whole = {"intent": {"name": "demander_ambition", "confidence": 0.95}, "entities": []}
    parse, others = asyncio.run(analyse(agent, text, whole))
    assert parse["intent"]["name"] == "demander_ambition"
    assert others is None
    assert agent.asked == []  # no sentence read alone
