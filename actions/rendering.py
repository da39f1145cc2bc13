"""Sends what a service decided to say: its message keys rendered from the domain responses."""

from __future__ import annotations

from typing import Any

from actions.common import text_of


def render_message(domain: dict[str, Any], message: Any, sep: str = ", ") -> str:
    """The French text of a service's Message (`utter_<key>`), nested Messages filled first."""
    return text_of(domain, message.response, **message_values(domain, message))


def message_values(domain: dict[str, Any], message: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in message.values.items():
        if hasattr(value, "response") and hasattr(value, "values"):
            out[key] = render_message(domain, value)
        elif isinstance(value, (list, tuple)) and value and all(hasattr(v, "response") for v in value):
            out[key] = ("\n" if key == "liste" else ", ").join(render_message(domain, v) for v in value)
        else:
            out[key] = value
    return out


def utter_says(dispatcher: Any, domain: dict[str, Any], says: Any) -> None:
    """Send what a service decided to say: each response with its values, buttons and payload."""
    for item in says:
        buttons = [{"title": render_message(domain, title) if hasattr(title, "response") else title,
                    "payload": payload} for title, payload in item.buttons]
        dispatcher.utter_message(response=item.message.response, buttons=buttons or None,
                                 **message_values(domain, item.message))
        if item.payload is not None:
            dispatcher.utter_message(json_message=item.payload)
