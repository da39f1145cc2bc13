"""Explicit monkeypatches of Rasa 3.6.21 that keep the cost of a turn flat (issue 12).

Applied once, when Rasa imports `bot.components` (a pipeline component module, so it is loaded in
the server process with the model), by `apply()`; `apply()` is idempotent and each patch keeps the
original function in `ORIGINALS` for tests and for `revert()`.

1. `Event.resolve_by_type` walks every subclass of `Event` (`all_subclasses`, ~40 classes, built
   anew on each call) for every stored event each time a tracker is rebuilt from its events: the
   cost grows with the length of the conversation. The patch remembers the class found for each
   type name. It only caches what Rasa's own function returned, so the answer is the same: the
   first class in Rasa's order whose `type_name` matches; unknown names, "topic" and `default` go
   to Rasa's function every time (nothing is cached for them).
2. `RemoteAction._validate_action_result` calls `jsonschema.validate`, which checks the schema
   itself (the large EVENTS_SCHEMA) before checking the action server's answer, on every custom
   action: about 15 % of the Rasa process in a profile. The patch checks the schema once and builds
   one validator per action class, then raises the same `ValidationError` (same best-match error,
   same message suffix) when an answer is invalid.
3. `MessageProcessor._has_session_expired` also says "expired" when the current session holds
   `BOT_SESSION_MAX_USER_TURNS` user turns (default 20, 0 = off) and the conversation is at a safe
   point: no active form, no requested slot, and the bot's last message asked nothing (no final "?",
   no buttons). Only when the domain carries slots over (`session_config` of bot/domain/base.yml):
   the place, the form answers… stay. Why: the SQL tracker store loads the last session only, and
   `applied_events` / `past_states` (each policy, each action) read the session only, so the work of
   a turn is bounded by the limit instead of growing with the whole conversation.
4. `ActionSessionStart._slot_set_events_from_tracker` carries one `SlotSet` per slot (its last
   value) instead of every `SlotSet` of the session, which re-carries the carried ones and grows with
   each new session. The slot values of the new session are the same.

5. `SpacyNLP.load_model` loads `fr_core_news_md` without its parser (Rasa's choice) and, with the
   patch, without its named-entity recogniser too: no component of bot/config.yml reads
   `doc.ents` (the places come from the CRF, the lookup tables and bot/components.py), and the
   NER was 60 % of spaCy's time per message (5.3 → 2.0 ms). Tokens, lemmas and vectors, what the
   featurizers read, are the same (tested).
6. `SQLTrackerStore._retrieve` builds an ORM object (7 columns) for every stored event of the
   session, then reads only its `data` column: 13 % of the Rasa process under load, in SQLAlchemy's
   instance construction. The patch selects that one column with the same query (same filter on the
   last session, same order), so the events and the tracker are the same (tested).

All six are private Rasa internals: `tests/bot/test_rasa_patches.py` fails if a Rasa upgrade changes
their behaviour (the pin is rasa==3.6.21).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

ORIGINALS: dict[str, Callable[..., Any]] = {}
_EVENT_CLASSES: dict[str, type[Any]] = {}
_VALIDATORS: dict[type, Any] = {}


def _cached_resolve_by_type(type_name: str, default: type[Any] | None = None) -> type[Any] | None:
    cls = _EVENT_CLASSES.get(type_name)
    if cls is not None:
        return cls
    cls = ORIGINALS["resolve_by_type"](type_name, default)
    # Cache only a real match (not `default`, not the None of "topic").
    if cls is not None and getattr(cls, "type_name", None) == type_name:
        _EVENT_CLASSES[type_name] = cls
    return cls


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.shared.constants import DOCS_BASE_URL

    validator = _VALIDATORS.get(type(self))
    if validator is None:
        schema = self.action_response_format_spec()
        validator_class = validator_for(schema)
        validator_class.check_schema(schema)  # what jsonschema.validate does on every call
        validator = _VALIDATORS[type(self)] = validator_class(schema)
    error = best_match(validator.iter_errors(result))  # the error jsonschema.validate raises
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


DEFAULT_SESSION_MAX_USER_TURNS = 20


def session_max_user_turns() -> int:
    """`BOT_SESSION_MAX_USER_TURNS` (default 20; 0 turns the limit off)."""
    try:
        return max(0, int(os.environ.get("BOT_SESSION_MAX_USER_TURNS", DEFAULT_SESSION_MAX_USER_TURNS)))
    except ValueError:
        return DEFAULT_SESSION_MAX_USER_TURNS


def at_safe_session_break(tracker: Any, limit: int) -> bool:
    """True when the current session holds `limit` user turns or more and nothing is pending.

    Nothing pending: no active form or loop, no requested slot, and the bot's last message was not a
    question nor a choice (no "?" at its end, no buttons), so the next user message answers nothing.
    Only the current session is read, from its end: the cost is bounded by the limit.
    """
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

    if limit <= 0 or tracker.active_loop_name or tracker.get_slot("requested_slot"):
        return False
    user_turns = 0
    last_bot: Any = None
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            user_turns += 1
        elif isinstance(event, BotUttered) and last_bot is None:
            last_bot = event
        elif isinstance(event, ActionExecuted) and event.action_name == "action_session_start":
            break
    if user_turns < limit:
        return False
    if last_bot is not None:
        text = (last_bot.text or "").rstrip()
        if text.endswith("?") or (last_bot.data or {}).get("buttons"):
            return False
    return True


def _has_session_expired(self: Any, tracker: Any) -> bool:
    if ORIGINALS["_has_session_expired"](self, tracker):
        return True
    session_config = self.domain.session_config
    # Only when slots are carried over: a break must never make the assistant forget the place.
    if not session_config.are_sessions_enabled() or not session_config.carry_over_slots:
        return False
    return at_safe_session_break(tracker, session_max_user_turns())


def _slot_set_events_from_tracker(tracker: Any) -> list[Any]:
    """One SlotSet per slot (its last value), in order: the same slot values as Rasa's list of every
    SlotSet of the session, which otherwise grows with each new session (it re-carries the carried)."""
    events = ORIGINALS["_slot_set_events_from_tracker"](tracker)
    last: dict[str, Any] = {}
    for event in events:
        last.pop(event.key, None)
        last[event.key] = event
    return list(last.values())


def _load_spacy_model(spacy_model_name: str) -> Any:
    model = ORIGINALS["load_model"](spacy_model_name)
    if "ner" in model.model.pipe_names:
        model.model.disable_pipe("ner")
    return model


async def _retrieve(self: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
    """Rasa's `SQLTrackerStore._retrieve`, with the `data` column only instead of whole rows."""
    import json

    from rasa.shared.core.trackers import DialogueStateTracker

    with self.session_scope() as session:
        rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
                                 ).with_entities(self.SQLEvent.data).all()
        events = [json.loads(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None


def apply() -> None:
    """Installs every patch (once); `BOT_RASA_PATCHES=0` leaves Rasa as it is (to measure the gain)."""
    if ORIGINALS or os.environ.get("BOT_RASA_PATCHES", "1") == "0":
        return
    from rasa.core.actions.action import ActionSessionStart, RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.core.events import Event

    ORIGINALS["load_model"] = SpacyNLP.load_model
    ORIGINALS["_retrieve"] = SQLTrackerStore._retrieve
    ORIGINALS["resolve_by_type"] = Event.resolve_by_type
    ORIGINALS["_validate_action_result"] = RemoteAction._validate_action_result
    ORIGINALS["_has_session_expired"] = MessageProcessor._has_session_expired
    ORIGINALS["_slot_set_events_from_tracker"] = ActionSessionStart._slot_set_events_from_tracker
    Event.resolve_by_type = staticmethod(_cached_resolve_by_type)  # type: ignore[method-assign]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    MessageProcessor._has_session_expired = _has_session_expired  # type: ignore[method-assign]
    ActionSessionStart._slot_set_events_from_tracker = staticmethod(  # type: ignore[method-assign]
        _slot_set_events_from_tracker)
    SpacyNLP.load_model = staticmethod(_load_spacy_model)  # type: ignore[method-assign]
    SQLTrackerStore._retrieve = _retrieve  # type: ignore[method-assign]
    logger.debug("Rasa patches applied (bot/rasa_patches.py)")


def revert() -> None:
    """Puts Rasa's own functions back (tests)."""
    if not ORIGINALS:
        return
    from rasa.core.actions.action import ActionSessionStart, RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.core.events import Event

    SpacyNLP.load_model = staticmethod(ORIGINALS.pop("load_model"))  # type: ignore[method-assign]
    SQLTrackerStore._retrieve = ORIGINALS.pop("_retrieve")  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(ORIGINALS.pop("resolve_by_type"))  # type: ignore[method-assign]
    RemoteAction._validate_action_result = ORIGINALS.pop("_validate_action_result")  # type: ignore[method-assign]
    MessageProcessor._has_session_expired = ORIGINALS.pop("_has_session_expired")  # type: ignore[method-assign]
    ActionSessionStart._slot_set_events_from_tracker = staticmethod(  # type: ignore[method-assign]
        ORIGINALS.pop("_slot_set_events_from_tracker"))
    _EVENT_CLASSES.clear()
    _VALIDATORS.clear()


apply()
