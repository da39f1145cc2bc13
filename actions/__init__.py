"""Custom actions of the assistant: thin adapters from Rasa to `knowledge/` services.

Once the action server has started (actions/server.py calls `start_warm_up()` from
Sanic's `after_server_start`, in each worker), a background thread loads what the
first user would otherwise wait for (the place index, the spaCy model and the
passage index). Importing this package starts nothing; set ACTIONS_WARMUP=0 to
skip the warm-up (unit tests do).

Why not at import, as before: the thread then imported SQLAlchemy, spaCy… while
the main thread was still importing Sanic and rasa-sdk, and two threads importing
the same modules at once can deadlock in CPython. Seen here: the action server of
`make run-cluster` hung at start, never listening, its main thread in Sanic's
imports and the warm-up thread in SQLAlchemy's, both waiting on the `email`
package.
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


_started = threading.Event()


def start_warm_up() -> bool:
    """Starts the warm-up thread, once per process; False when ACTIONS_WARMUP=0 or already started."""
    if os.environ.get("ACTIONS_WARMUP", "1") == "0" or _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_warm_up, name="actions-warmup", daemon=True).start()
    return True
