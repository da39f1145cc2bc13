"""The NLU components of bot/components.py (run in the `bot` environment by test_components_env.py)."""

from __future__ import annotations

from bot.components import FuzzyLookupEntityExtractor, clean_entities

NAMES = ["wattrelos", "tourcoing", "phalempins", "roubaix", "wazemmes", "villeneuvedascq", "lillesud", "lille"]


def _found(text: str, entities: list | None = None) -> list[str]:
    extractor = FuzzyLookupEntityExtractor({}, None, None, NAMES)  # type: ignore[arg-type]
    return [e["value"] for e in extractor.extract(text, entities or [])]


def test_a_place_with_one_typo_is_found_as_typed() -> None:
    assert _found("slt jcherche le deleguer du prefet pour wattrelo") == ["wattrelo"]
    assert _found("chef de projet tourcoin phalempin") == ["tourcoin", "phalempin"]
    assert _found("plutot roubais") == ["roubais"]


def test_common_words_and_short_words_are_never_places() -> None:
    assert _found("bonjour la ville de lille") == []
    assert _found("le projet du centre social") == []


def test_a_place_already_found_by_the_lookup_is_not_found_twice() -> None:
    taken = [{"entity": "lieu", "start": 0, "end": 7, "value": "roubaix"}]
    assert _found("roubaix", taken) == []


def test_nested_spans_keep_the_longest() -> None:
    entities = [{"entity": "lieu", "start": 0, "end": 5, "value": "lille", "extractor": "RegexEntityExtractor"},
                {"entity": "lieu", "start": 0, "end": 9, "value": "lille sud", "extractor": "RegexEntityExtractor"}]
    assert [e["value"] for e in clean_entities(entities, "lille sud")] == ["lille sud"]


def _intent_of(text: str, place: str) -> str:
    from rasa.shared.nlu.training_data.message import Message

    from bot.components import PlaceOnlyIntent

    start = text.index(place)
    entities = [{"entity": "lieu", "start": start, "end": start + len(place), "value": place}]
    message = Message(data={"text": text, "intent": {"name": "demander_ambition", "confidence": 0.6},
                            "entities": entities})
    PlaceOnlyIntent().process([message])
    return message.get("intent")["name"]


def test_a_message_that_is_only_a_place_is_a_place() -> None:
    assert _intent_of("Un projet au Virolois", "Virolois") == "informer_lieu"
    assert _intent_of("plutôt à Hem", "Hem") == "informer_lieu"
    assert _intent_of("un jardin partagé à Hem", "Hem") == "demander_ambition"


if __name__ == "__main__":  # .venv/bot has no pytest: run every test function
    for name, test in list(globals().items()):
        if name.startswith("test_") and callable(test):
            test()
            print(f"ok {name}")
