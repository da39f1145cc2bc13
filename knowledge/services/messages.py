"""What a service says, as a key and its values: the French text lives in the domain responses.

A service returns ``Message("elig_siret_manquant", {...})``; the action sends the response
``utter_elig_siret_manquant`` with those values. A value may itself be a Message (a label
such as ``libelle_structure_association``) or a list of them: :func:`render` fills them first.

Each service declares the keys it can return in a literal ``MESSAGE_KEYS`` tuple, which
``scripts/validate.py`` reads (without importing the service) and the tests check against
the domain. Building a Message with an undeclared key fails at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

Template = Callable[[str], str]
"""Response name (``utter_<key>``) → its French template (``"{annee}"`` placeholders)."""


@dataclass(frozen=True)
class Message:
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def response(self) -> str:
        return f"utter_{self.key}"


@dataclass(frozen=True)
class Listing:
    """Several values shown as one, joined by ``sep`` (messages are rendered first)."""

    items: tuple[Any, ...]
    sep: str = ", "


def keyed(keys: Collection[str]) -> Callable[..., Message]:
    """A Message factory that refuses keys outside ``keys`` (a service's MESSAGE_KEYS)."""
    allowed = frozenset(keys)

    def make(key: str, **values: Any) -> Message:
        if key not in allowed:
            raise KeyError(f"clé de message non déclarée : {key}")
        return Message(key, values)

    return make


def render_value(value: Any, template: Template) -> Any:
    if isinstance(value, Message):
        return render(value, template)
    if isinstance(value, Listing):
        return value.sep.join(str(render_value(v, template)) for v in value.items)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Message) for v in value):
        return ", ".join(str(render_value(v, template)) for v in value)
    return value


def values_of(message: Message, template: Template) -> dict[str, Any]:
    """The message's values with every nested Message rendered (for ``utter_message(**values)``)."""
    return {k: render_value(v, template) for k, v in message.values.items()}


def render(message: Message, template: Template) -> str:
    """The French text of a message; an unfilled placeholder is left visible rather than crash."""
    text = template(message.response)
    try:
        return text.format(**values_of(message, template))
    except (KeyError, IndexError, ValueError):
        return text


def domain_templates(domain: Mapping[str, Any]) -> Template:
    """Templates read from a Rasa domain dict (its ``responses``): the first text of each response."""
    responses = domain.get("responses") or {}

    def template(name: str) -> str:
        variants = responses.get(name) or []
        return str(variants[0].get("text", "")) if variants else ""

    return template
