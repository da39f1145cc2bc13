"""Custom actions of the assistant: thin adapters from Rasa to `knowledge/` services.

When the action server imports this package it starts, in the background, the
loading of what the first user would otherwise wait for (the place index, the
spaCy model and the passage index). Importing stays instant; set
ACTIONS_WARMUP=0 to skip it (unit tests do).
"""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)


def _warm_up() -> None:
    try:
        from knowledge.services import passages
        from knowledge.services.ambitions import match_ambitions
        from knowledge.services.places import resolve_place

        resolve_place("Loos")
        match_ambitions("atelier vélo pour les habitants du quartier")
        passages.warm_up()  # the passage index (spaCy lemmas of 1,000 passages): 15–20 s, once
        log.info("actions : référentiel et modèle spaCy prêts")
    except Exception:  # noqa: BLE001 - a failed warm-up must never stop the server
        log.exception("préchargement des actions impossible ; il se fera à la première demande")


if os.environ.get("ACTIONS_WARMUP", "1") != "0":
    threading.Thread(target=_warm_up, name="actions-warmup", daemon=True).start()
