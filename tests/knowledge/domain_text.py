"""What the user reads: a service's message rendered with the real domain responses (bot/domain)."""

from __future__ import annotations

from pathlib import Path

import yaml

from knowledge.services.messages import Message, domain_templates, render

DOMAIN = Path(__file__).parents[2] / "bot" / "domain"
TEMPLATE = domain_templates({"responses": {k: v for p in DOMAIN.glob("*.yml")
                                           for k, v in (yaml.safe_load(p.read_text()).get("responses") or {}).items()}})


def french(message: Message) -> str:
    text = render(message, TEMPLATE)
    assert text and "{" not in text, message
    return text
