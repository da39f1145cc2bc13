"""Entry point of the action server: rasa_sdk's own app, plus the référentiel status.

`python -m actions.server --port 5055` runs `rasa_sdk.endpoint.create_app("actions")` with
Sanic. The number of Sanic workers is rasa-sdk's own setting, ACTION_SERVER_SANIC_WORKERS
(the cluster uses 2). What this module adds:

- once it serves, each worker starts the warm-up of actions/__init__.py (never during the imports);
- at start, each worker checks the référentiel database once (one read through a
  `knowledge` service) and says in its log when it is unreachable or corrupt;
- `GET /health` reports it: 200 `{"status": "ok", "referentiel": "ok"}`, or 503 with
  `"referentiel": "indisponible"`; no token needed (it is used by health checks);
- while the référentiel is unavailable, `/webhook` answers 503: the REST channel then answers
  the French "service perturbé" message (knowledge/services/health.py re-checks, so the server
  recovers by itself).
"""

from __future__ import annotations

import argparse
import logging
import os

from rasa_sdk import utils
from rasa_sdk.constants import DEFAULT_SERVER_PORT
from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from knowledge.services.health import ReferentielStatus

log = logging.getLogger("actions.server")

def build_app(status: ReferentielStatus | None = None):  # type: ignore[no-untyped-def]
    status = status or ReferentielStatus()
    app = create_app("actions", cors_origins=os.environ.get("ACTIONS_CORS", ""))

    @app.listener("before_server_start")
    async def _check_at_start(*_: object) -> None:
        status.ok()

    @app.listener("after_server_start")
    async def _warm_up(*_: object) -> None:
        from actions import start_warm_up

        start_warm_up()

    @app.on_request
    async def _referentiel_gate(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            ok = status.ok()
            return response.json({"status": "ok" if ok else "degrade", "referentiel": "ok" if ok else "indisponible"},
                                 status=200 if ok else 503)
        if request.path == "/webhook" and not status.ok():
            return response.json({"error": "référentiel indisponible"}, status=503)
        return None

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serveur d'actions de l'assistant (rasa-sdk)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", DEFAULT_SERVER_PORT)))
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    args = parser.parse_args()
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = build_app()
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    log.info("serveur d'actions sur http://%s:%s (%s worker(s))", args.host, args.port,
             utils.number_of_sanic_workers())
    app.run(args.host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
