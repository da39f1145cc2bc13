"""Does the référentiel answer? Checked once at start and again, while it does not, at most every few seconds.

Used by the action server's `/health` and by its gate on `/webhook` (actions/server.py): while the
database is unreachable, corrupt or empty, actions are not run one by one to fail, and the REST
channel answers the French "service perturbé" message; it recovers by itself when the base is back.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("actions.server")

RECHECK_SECONDS = 5.0


class ReferentielStatus:
    """Whether the référentiel answers, re-checked at most every RECHECK_SECONDS while it does not."""

    def __init__(self) -> None:
        self._ok: bool | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def check(self) -> bool:
        from knowledge.services.referentiel import ambition_detail

        # Ambition 1.1 is a fixed point of contracts.md (section 3): no answer means the
        # database is unreachable, corrupt or empty (the service logs the exact error).
        ok = ambition_detail("1.1") is not None
        if ok and self._ok is False:
            log.warning("référentiel de nouveau disponible")
        elif not ok and self._ok is not False:
            log.error("RÉFÉRENTIEL INDISPONIBLE (base injoignable, corrompue ou vide : DATABASE_URL, `make load`) ; "
                      "l'assistant répond par le message de service perturbé")
        self._ok, self._checked_at = ok, time.monotonic()
        return ok

    def ok(self) -> bool:
        with self._lock:
            if self._ok is None or (not self._ok and time.monotonic() - self._checked_at > RECHECK_SECONDS):
                return self.check()
            return self._ok
