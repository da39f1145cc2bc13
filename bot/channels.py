"""Rasa's REST channel, plus the message `metadata` (contracts.md, section 2) and French faults.

Same name and URL as Rasa's own channel (`rest`, `/webhooks/rest/webhook`), with:

- the JSON object `metadata` passed through to the tracker (Rasa 3.6's `RestInput`
  drops it, so the "today" sent by a client would never reach the actions);
- malformed bodies (not JSON, empty, `[]`, `null`, a non-object, no usable `sender`)
  answered with HTTP 400 and a JSON error, instead of Rasa's HTTP 500;
- never an empty reply: when the action server is down, Rasa 3.6 logs the error and
  answers 200 with `[]`; when it hangs, Rasa waits up to 5 minutes. Both become, within
  `REST_REPLY_TIMEOUT` seconds (default 1.2), the French "service perturbé" message of
  `bot/messages.yml`. A turn that times out keeps running in the background, so its
  events still reach the tracker store;
- the same message when the tracker store (PostgreSQL, SQLite) failed during the turn: Rasa's
  `FailSafeTrackerStore` then answers from an empty in-memory tracker, i.e. without the
  conversation's context (it would ask again "Dans quelle commune … ?") and without storing
  anything. It tries the database again at every message, so service resumes by itself.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import comprehension

log = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 5000  # a pasted page of project description fits
MAX_SENDER_LENGTH = 255  # the `sender_id` column of Rasa's SQL tracker store
MESSAGES_FILE = Path(__file__).resolve().parent / "messages.yml"
DEFAULT_REPLY_TIMEOUT = 1.7  # seconds: the answer, or the fault message, within 2 s


@lru_cache(maxsize=1)
def messages() -> dict[str, str]:
    """The channel's French message catalogue, read once."""
    with MESSAGES_FILE.open(encoding="utf-8") as handle:
        return {str(k): str(v) for k, v in (yaml.safe_load(handle) or {}).items()}


def reply_timeout() -> float:
    try:
        return max(0.1, float(os.environ.get("REST_REPLY_TIMEOUT", DEFAULT_REPLY_TIMEOUT)))
    except ValueError:
        log.error("REST_REPLY_TIMEOUT=%r n'est pas un nombre ; %s s", os.environ.get("REST_REPLY_TIMEOUT"),
                  DEFAULT_REPLY_TIMEOUT)
        return DEFAULT_REPLY_TIMEOUT


def parse_body(request: Request) -> dict[str, Any] | None:
    """The webhook body if it is a JSON object with a usable `sender`, else None."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
        return None
    return body


# The tracker store errors of the current turn (set per request, shared with the turn's task).
_store_errors: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("store_errors", default=None)


def watch_tracker_store(app: Any) -> None:
    """Note, for the current turn, the errors that Rasa's FailSafeTrackerStore swallows.

    Wraps its two public error hooks (`on_tracker_store_error`, `on_tracker_store_retrieve_error`),
    which keep logging as before. Done once per tracker store object (a new model may bring one).
    """
    store = getattr(getattr(getattr(app, "ctx", None), "agent", None), "tracker_store", None)
    if store is None or getattr(store, "_cvs_watched", False):
        return
    for hook in ("on_tracker_store_error", "on_tracker_store_retrieve_error"):
        original = getattr(store, hook, None)
        if original is None:
            continue

        def noted(error: Exception, _original: Callable[[Exception], None] = original, _hook: str = hook) -> None:
            errors = _store_errors.get()
            if errors is not None:
                errors.append(f"{_hook}: {error!r}")
            _original(error)

        setattr(store, hook, noted)
    store._cvs_watched = True


def bad_request() -> HTTPResponse:
    return response.json({"erreur": "requete_invalide", "message": messages()["requete_invalide"]}, status=400)


class RestWithMetadata(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        body = parse_body(request) or {}
        metadata = body.get("metadata")
        return metadata if isinstance(metadata, dict) else None

    async def _extract_sender(self, req: Request) -> str | None:
        body = parse_body(req)
        return body["sender"] if body else None

    def _extract_message(self, req: Request) -> str:
        body = parse_body(req) or {}
        message = body.get("message")
        if message is None:
            return ""
        return (message if isinstance(message, str) else str(message))[:MAX_MESSAGE_LENGTH]

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        timeout = reply_timeout()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = parse_body(request)
            if body is None:
                return bad_request()
            sender = body["sender"]
            text = self._extract_message(request)
            metadata = self.get_metadata(request)
            if request.args.get("stream", "").lower() == "true":
                return response.stream(
                    self.stream_response(on_new_message, text, sender, self.name(), metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            watch_tracker_store(request.app)
            store_errors: list[str] = []
            reset = _store_errors.set(store_errors)
            agent = getattr(request.app.ctx, "agent", None)

            async def handle() -> None:
                # A long message is read sentence by sentence (bot/comprehension.py): the main request
                # is answered first, the others are passed on in the metadata.
                parse_data, understood = await comprehension.understand(agent, text)
                meta = {**(metadata or {}), "comprehension": understood} if understood else metadata
                await on_new_message(UserMessage(text, collector, sender, parse_data=parse_data,
                                                 input_channel=self.name(), metadata=meta))

            try:  # the task copies the context now: its tracker store errors land in store_errors
                turn = asyncio.ensure_future(handle())
            finally:
                _store_errors.reset(reset)
            turn.add_done_callback(_log_failure)
            try:
                # shield: on timeout the turn goes on (and is stored); only the wait stops.
                await asyncio.wait_for(asyncio.shield(turn), timeout=timeout)
            except asyncio.TimeoutError:
                log.error("rest: pas de réponse en %.1f s pour %s (serveur d'actions lent ?) : message de service "
                          "perturbé", timeout, sender)
            except Exception:  # noqa: BLE001 - logged by _log_failure; the user still gets an answer
                pass
            replies = list(collector.messages)
            if store_errors:
                log.error("rest: base des conversations indisponible pour %s (%s) : réponse sans contexte remplacée "
                          "par le message de service perturbé", sender, store_errors[0])
                replies = []
            if not turn.done() or not replies:
                if turn.done() and turn.exception() is None and not store_errors:
                    log.error("rest: réponse vide pour %s (serveur d'actions, référentiel ou base des conversations "
                              "indisponible ?) : message de service perturbé", sender)
                replies.append({"recipient_id": sender, "text": messages()["service_perturbe"]})
            return response.json(replies)

        return webhook


def _log_failure(turn: asyncio.Future[Any]) -> None:
    if not turn.cancelled() and turn.exception() is not None:
        log.error("rest: le tour de conversation a échoué : %r", turn.exception(), exc_info=turn.exception())
