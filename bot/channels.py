"""Rasa's REST channel, plus the message `metadata` (contracts.md, section 2).

Rasa 3.6's `RestInput` drops the `metadata` of `POST /webhooks/rest/webhook`,
so the "today" sent by a client never reaches the tracker. This channel keeps
the same name and URL (`rest`, `/webhooks/rest/webhook`), passes a JSON object
`metadata` through, and turns a missing or non-text `message` into text so that
odd requests get an answer rather than a server error.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

MAX_MESSAGE_LENGTH = 5000  # a pasted page of project description fits


class RestWithMetadata(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def _extract_message(self, req: Request) -> str:
        body = req.json if isinstance(req.json, dict) else {}
        message = body.get("message")
        if message is None:
            return ""
        return (message if isinstance(message, str) else str(message))[:MAX_MESSAGE_LENGTH]
