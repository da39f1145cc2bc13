"""The widget's 👍 / 👎 on an answer, stored with the conversation.

An input channel that takes no message for the assistant: `POST /webhooks/avis/webhook`
with ``{"sender": "web-…", "note": "positif" | "negatif", "commentaire": "…",
"message_id": "…" or "timestamp": 1700000000.0, "extrait": "start of the judged answer"}``
appends ``SlotSet("avis", {...})`` to that conversation's tracker, through Rasa's own tracker
store (SQL in production), so that `make report` reads the judgement beside the messages.

Why a channel and not the HTTP API: `--enable-api` would let any page rewrite a conversation
(with a token that would then live in the page); this route can only add an ``avis`` and only to a
conversation that exists. Answers: 200 ``{"statut": "enregistre"}``, 400 ``{"erreur": …}`` for a
bad body, 404 for an unknown conversation.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

NOTES = ("positif", "negatif")
MAX_COMMENT_LENGTH = 500  # a short comment, not a second conversation
MAX_EXCERPT_LENGTH = 300
MAX_ID_LENGTH = 128
SLOT = "avis"


class BadRequest(ValueError):
    """The body of the request is not a valid avis."""


def parse_avis(body: Any) -> tuple[str, dict[str, Any]]:
    """The conversation id and the slot value, or `BadRequest` with a reason code."""
    if not isinstance(body, dict):
        raise BadRequest("corps_invalide")
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_ID_LENGTH:
        raise BadRequest("sender_invalide")
    note = body.get("note")
    if note not in NOTES:
        raise BadRequest("note_invalide")
    comment = body.get("commentaire") or ""
    if not isinstance(comment, str):
        raise BadRequest("commentaire_invalide")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise BadRequest("commentaire_trop_long")
    message_id = body.get("message_id")
    if message_id is not None and (not isinstance(message_id, str) or len(message_id) > MAX_ID_LENGTH):
        raise BadRequest("message_id_invalide")
    stamp = body.get("timestamp")
    if stamp is not None and (isinstance(stamp, bool) or not isinstance(stamp, (int, float))):
        raise BadRequest("timestamp_invalide")
    if message_id is None and stamp is None:
        raise BadRequest("message_id_ou_timestamp_requis")
    excerpt = body.get("extrait") or ""
    if not isinstance(excerpt, str):
        raise BadRequest("extrait_invalide")
    value = {
        "note": note,
        "commentaire": comment if note == "negatif" else "",
        "message_id": message_id,
        "timestamp": float(stamp) if stamp is not None else None,
        "extrait": excerpt.strip()[:MAX_EXCERPT_LENGTH],
        "recu": time.time(),
    }
    return sender.strip(), value


def _error(status: int, code: str) -> HTTPResponse:
    return response.json({"erreur": code}, status=status)


class FeedbackInput(InputChannel):
    """`avis` channel: appends the user's judgement of an answer to the conversation."""

    @classmethod
    def name(cls) -> str:
        return "avis"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("avis_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises on a body that is not JSON
                return _error(400, "json_invalide")
            try:
                sender, value = parse_avis(body)
            except BadRequest as err:
                return _error(400, str(err))
            agent = getattr(request.app.ctx, "agent", None)
            store = getattr(agent, "tracker_store", None)
            if store is None:
                return _error(503, "assistant_indisponible")
            async with agent.lock_store.lock(sender):
                if not await store.exists(sender):
                    return _error(404, "conversation_inconnue")
                tracker = await store.retrieve(sender)
                if tracker is None:
                    return _error(404, "conversation_inconnue")
                tracker.update(SlotSet(SLOT, value))
                await store.save(tracker)
            logger.info("avis %s enregistré pour la conversation %s", value["note"], sender)
            return response.json({"statut": "enregistre"})

        return hook
