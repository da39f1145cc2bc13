"""Helpers for the chat widget's end-to-end tests.

- ``FakeRasa``: a tiny stand-in for Rasa's REST channel
  (``POST /webhooks/rest/webhook``) with canned French answers, including one
  structured payload of each type of ``shared/docs/contracts.md`` section 4.
  It is for developing the widget without the real assistant (``WIDGET_FAKE=1``).
- ``TcpProxy``: a localhost-only TCP relay with ``stop()`` / ``start()``, used
  to make the assistant unreachable from the page and then reachable again. The
  real ``stack`` fixture (tests/e2e/conftest.py) reuses it between the page and
  Rasa.
- ``StaticServer``: serves ``web/`` like ``python -m http.server``.

Everything listens on the loopback interface only. Standard library only.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import functools
import ipaddress
import json
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

WEBHOOK_PATH = "/webhooks/rest/webhook"
AVIS_PATH = "/webhooks/avis/webhook"
DEADLINE_2026 = _dt.date(2025, 10, 15)


def _check_loopback(host: str) -> None:
    """Refuse to listen anywhere but on this machine."""
    if host == "localhost":
        return
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"{host!r} is not a loopback address: the test servers stay on localhost")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 10.0) -> None:
    """Block until something accepts TCP connections on host:port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError as err:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s") from err
            time.sleep(0.05)


# --------------------------------------------------------------------------
# Canned payloads (shapes from contracts.md section 4)
# --------------------------------------------------------------------------

SOURCE_2026 = "002_d8b0c87053850c6b.txt, annexe 1"
TITRE_2026 = "Appel à projets 2026 de la MEL, annexe 1"
URL_MEL = "https://www.lillemetropole.fr/politique-de-la-ville"
# What a user must never read (contracts.md §4): a file name of the seeds or a bare line range.
RAW_SOURCE_RE = re.compile(r"\b\d{3}_[0-9a-f]{16}\b|\.txt\b|\bL\d+(?:-\d+)?\b|\blignes? \d+", re.I)

CONTACTS_LOOS: dict[str, Any] = {
    "type": "contacts",
    "territoire": "MEL",
    "campagne": 2026,
    "commune": {"nom": "Loos", "insee": "59360"},
    "quartier": {"code": "QN05975M", "nom": "Les Oliveaux"},
    "contacts": [
        {
            "role": "ville",
            "nom": "Céline Demartin",
            "email": "cdemartin@ville-loos.fr",
            "telephone": None,
            "structure": "Ville de Loos",
            "statut": "en_poste",
            "source": SOURCE_2026,
        },
        {
            "role": "delegue_prefet",
            "nom": "Fanny Boizeau",
            "email": "fanny.boizeau@nord.gouv.fr",
            "telephone": None,
            "structure": "Préfecture du Nord",
            "statut": "en_poste",
            "source": SOURCE_2026,
        },
        {
            "role": "region",
            "nom": "Emma Bécuwe",
            "email": "Emma.becuwe@hautsdefrance.fr",
            "telephone": None,
            "structure": "Région Hauts-de-France",
            "statut": "en_poste",
            "source": SOURCE_2026,
        },
    ],
}

CONTACTS_VACANT: dict[str, Any] = {
    "type": "contacts",
    "territoire": "MEL",
    "campagne": 2026,
    "commune": {"nom": "Villeneuve-d'Ascq", "insee": "59009"},
    "quartier": {"code": "QN05970M", "nom": "Pont de Bois - Hôtel de ville"},
    "contacts": [
        {
            "role": "ville",
            "nom": "Maryline Couhez",
            "email": "mcouhez@villeneuveascq.fr",
            "telephone": "03 20 43 20 60",
            "structure": "MQ J. Brel",
            "statut": "en_poste",
            "source": SOURCE_2026,
            "source_titre": TITRE_2026,
            "source_url": URL_MEL,
        },
        {
            "role": "delegue_prefet",
            "nom": None,
            "email": None,
            "telephone": None,
            "structure": "Préfecture du Nord",
            "statut": "vacant",
            "source": SOURCE_2026,
            "source_titre": TITRE_2026,
            "source_url": URL_MEL,
        },
    ],
}

CHOIX_ROUBAIX: dict[str, Any] = {
    "type": "choix_quartier",
    "commune": {"nom": "Roubaix", "insee": "59512"},
    "options": [
        {"code": "QN05981M", "nom": "Nouveau Roubaix"},
        {"code": "QN05982M", "nom": "Quartier Intercommunal Roubaix-Tourcoing-Blanc Seau"},
        {"code": "QN05983M", "nom": "Hautchamps-Longchamp - Lionderie - 3 Baudets"},
    ],
}

AMBITIONS: dict[str, Any] = {
    "type": "ambitions",
    "aucune": False,
    "items": [
        {
            "id": "1.2",
            "enjeu": 1,
            "libelle": "Soutenir la parentalité",
            "score": 0.82,
            "termes": ["parents", "parentalité"],
        },
        {
            "id": "6.1",
            "enjeu": 6,
            "libelle": "Faciliter l'accès aux droits et accompagner les habitants aux usages numériques",
            "score": 0.41,
            "termes": ["numérique"],
        },
    ],
}

ELIGIBILITE: dict[str, Any] = {
    "type": "eligibilite",
    "verdict": "incomplet",
    "criteres": [
        {"id": "structure", "statut": "ok", "message": "Association loi 1901 : structure éligible."},
        {"id": "siret", "statut": "ko", "message": "Numéro SIRET manquant."},
        {
            "id": "public",
            "statut": "a_verifier",
            "message": "Vérifiez que votre public réside en quartier prioritaire.",
        },
    ],
}

QPV_POINT: dict[str, Any] = {
    "type": "qpv",
    "en_qpv": True,
    "quartier": {"code": "QN05972M", "nom": "Secteur Sud"},
    "distance_frontiere_m": 35.2,
    "a_verifier": True,
}

EXTRAIT: dict[str, Any] = {
    "type": "extrait",
    "document": "appel-2026",
    "titre": "Appel à projets 2026 de la MEL, annexe 3 — Bilan intermédiaire",
    "section": "Annexe 3 › Objectifs opérationnels",
    "lignes": [276, 285],
    "texte": "Les objectifs opérationnels sont formulés avec un verbe d'action, un chiffre et une échéance.",
    "url": URL_MEL,
    "score": 0.71,
    "source": "002_d8b0c87053850c6b.txt (L276-285)",
}

FICHE: dict[str, Any] = {
    "type": "fiche",
    "texte": "FICHE DE PRÉ-DÉPÔT\nProjet : Atelier parents-enfants\nCommune : Loos\nAmbition : 1.2",
    "mailto": "mailto:cdemartin@ville-loos.fr?subject=Fiche%20de%20pr%C3%A9-d%C3%A9p%C3%B4t",
}


def calendrier(today: _dt.date | None = None) -> dict[str, Any]:
    """The 2026 MEL calendar as seen on ``today``."""
    today = today or _dt.date.today()
    days = (DEADLINE_2026 - today).days
    ouvert = days >= 0
    return {
        "type": "calendrier",
        "territoire": "MEL",
        "campagne": 2026,
        "date_limite": DEADLINE_2026.isoformat(),
        "statut": "ouvert" if ouvert else "clos",
        "jours_restants": days if ouvert else None,
        "resultats": "fin du premier trimestre 2026",
        "plateforme": "https://www.lillemetropole.fr/politique-de-la-ville",
    }


def all_card_payloads(today: _dt.date | None = None) -> list[dict[str, Any]]:
    """One REST item per card type, as Rasa's REST channel would return them."""
    customs = [
        CONTACTS_VACANT,
        CHOIX_ROUBAIX,
        AMBITIONS,
        ELIGIBILITE,
        calendrier(today or _dt.date(2025, 9, 20)),
        QPV_POINT,
        FICHE,
        EXTRAIT,
    ]
    return [{"recipient_id": "test", "custom": copy.deepcopy(c)} for c in customs]


# --------------------------------------------------------------------------
# FakeRasa
# --------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


_INTENT_RE = re.compile(r"^/(\w+)(\{.*\})?$", re.S)


class FakeRasa:
    """Answers like Rasa's REST channel with canned replies.

    ``requests`` keeps every JSON body received (to check ``sender`` and
    ``metadata.today``). ``delay`` (seconds) slows every answer down.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0) -> None:
        _check_loopback(host)
        self.host = host
        self._port = port
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.avis: list[dict[str, Any]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeRasa is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeRasa:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: Any) -> None:  # keep test output quiet
                pass

            def _cors(self) -> None:
                self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
                self.send_header("Access-Control-Max-Age", "600")
                self.send_header("Vary", "Origin")

            def _send_json(self, status: int, data: Any) -> None:
                body = json.dumps(data, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self._cors()
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_OPTIONS(self) -> None:  # CORS preflight
                self.send_response(204)
                self._cors()
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                if self.path in ("/", ""):
                    body = b"Hello from Rasa: 3.6.21 (fake)"
                    self.send_response(200)
                    self._cors()
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self._send_json(404, {"status": "failure", "reason": "not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                if path not in (WEBHOOK_PATH, AVIS_PATH):
                    self._send_json(404, {"status": "failure", "reason": "not found"})
                    return
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._send_json(400, {"erreur": "json_invalide"})
                    return
                if path == AVIS_PATH:  # like bot/feedback.py, without the tracker store
                    if not isinstance(body, dict) or body.get("note") not in ("positif", "negatif"):
                        self._send_json(400, {"erreur": "note_invalide"})
                    elif body.get("sender") not in {r.get("sender") for r in fake.requests}:
                        self._send_json(404, {"erreur": "conversation_inconnue"})
                    else:
                        fake.avis.append(body)
                        self._send_json(200, {"statut": "enregistre"})
                    return
                fake.requests.append(body)
                if fake.delay:
                    time.sleep(fake.delay)
                sender = str(body.get("sender") or "default")
                metadata = body.get("metadata") or {}
                replies = fake.reply(str(body.get("message") or ""), metadata)
                for r in replies:
                    r.setdefault("recipient_id", sender)
                self._send_json(200, replies)

        self._httpd = ThreadingHTTPServer((self.host, self._port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="FakeRasa", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeRasa:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ---- canned dialogue -------------------------------------------------

    @staticmethod
    def _today(metadata: dict[str, Any]) -> _dt.date:
        try:
            return _dt.date.fromisoformat(str(metadata.get("today")))
        except ValueError:
            return _dt.date.today()

    def reply(self, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        text = message.strip()
        m = _INTENT_RE.match(text)
        if m:
            intent, raw_entities = m.group(1), m.group(2)
            try:
                entities = json.loads(raw_entities) if raw_entities else {}
            except ValueError:
                entities = {}
            return self._intent(intent, entities, metadata)
        n = _norm(text)
        if not n:
            return []
        if re.search(r"\b(bonjour|salut|bonsoir|hello)\b", n):
            return [
                {
                    "text": "Bonjour ! Que souhaitez-vous savoir ?",
                    "buttons": [
                        {"title": "Qui contacter à Loos ?", "payload": "Qui contacter à Loos ?"},
                        {"title": "Date limite de dépôt", "payload": "/demander_date_limite"},
                    ],
                }
            ]
        if "loos" in n or "oliveaux" in n:
            return self._contacts_loos()
        if "villeneuve" in n or "pont de bois" in n:
            return [
                {"text": "Voici les contacts pour Pont de Bois (campagne 2026) :"},
                {"custom": copy.deepcopy(CONTACTS_VACANT)},
            ]
        if "roubaix" in n:
            return [
                {"text": "Roubaix compte plusieurs quartiers prioritaires. Lequel vous concerne ?"},
                {"custom": copy.deepcopy(CHOIX_ROUBAIX)},
            ]
        if "date limite" in n or "calendrier" in n or "quand" in n:
            return self._intent("demander_date_limite", {}, metadata)
        if "ambition" in n or "projet" in n:
            return [{"text": "Votre projet peut répondre à ces ambitions :"}, {"custom": copy.deepcopy(AMBITIONS)}]
        if "eligib" in n or "verifier" in n:
            return [{"text": "Voici le point sur votre dossier :"}, {"custom": copy.deepcopy(ELIGIBILITE)}]
        if "fiche" in n:
            return [{"text": "Voici votre fiche de pré-dépôt :"}, {"custom": copy.deepcopy(FICHE)}]
        if "adresse" in n or "qpv" in n:
            return [{"text": "Voici ce que je sais de cette adresse :"}, {"custom": copy.deepcopy(QPV_POINT)}]
        return [{"text": f"Vous avez dit : {text}"}]

    def _contacts_loos(self) -> list[dict[str, Any]]:
        return [
            {"text": "Pour Loos (Les Oliveaux), campagne 2026, vos contacts sont :"},
            {"custom": copy.deepcopy(CONTACTS_LOOS)},
        ]

    def _intent(self, intent: str, entities: dict[str, Any], metadata: dict[str, Any]) -> list[dict[str, Any]]:
        if intent == "demander_date_limite":
            cal = calendrier(self._today(metadata))
            return [{"text": "Date limite de dépôt pour la campagne 2026 : 15 octobre 2025."}, {"custom": cal}]
        if intent == "informer_lieu":
            lieu = _norm(str(entities.get("lieu") or ""))
            if "loos" in lieu or "oliveaux" in lieu:
                return self._contacts_loos()
            data = copy.deepcopy(CONTACTS_LOOS)
            data["commune"] = {"nom": "Roubaix", "insee": "59512"}
            data["quartier"] = {"code": "QN05981M", "nom": str(entities.get("lieu") or "")}
            data["contacts"] = [
                {
                    "role": "ville",
                    "nom": "Laurane Chabert",
                    "email": "lchabert@ville-roubaix.fr",
                    "telephone": None,
                    "structure": "Ville de Roubaix",
                    "statut": "en_poste",
                    "source": SOURCE_2026,
                }
            ]
            return [{"text": f"Contacts pour {entities.get('lieu')} :"}, {"custom": data}]
        if intent == "demander_detail_ambition":
            aid = str(entities.get("ambition_id") or "")
            if aid == "1.2":
                return [
                    {
                        "text": "Ambition 1.2 — Soutenir la parentalité : apporter les ressources "
                        "nécessaires aux parents pour qu'ils accompagnent leurs enfants dans "
                        "les différents âges de la vie et contribuent à leur épanouissement."
                    }
                ]
            return [{"text": f"Ambition {aid} : voir l'annexe 2 de l'appel à projets 2026."}]
        if intent in ("saluer",):
            return self.reply("bonjour", metadata)
        return [{"text": f"(intention {intent} reçue)"}]


# --------------------------------------------------------------------------
# TcpProxy
# --------------------------------------------------------------------------


class TcpProxy:
    """Relays TCP connections from ``listen_host:listen_port`` to a target.

    ``stop()`` closes the listening socket *and* every open connection, so
    that the browser sees "connection refused" (not a kept-alive socket still
    reaching the server). ``start()`` listens again on the same port.
    """

    def __init__(
        self, target_host: str, target_port: int, listen_host: str = "127.0.0.1", listen_port: int = 0
    ) -> None:
        _check_loopback(listen_host)
        _check_loopback(target_host)
        self.target = (target_host, int(target_port))
        self.listen_host = listen_host
        self._port = int(listen_port)
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self.connections_total = 0

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self.listen_host}:{self._port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> TcpProxy:
        with self._lock:
            if self._server is not None:
                return self
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            deadline = time.monotonic() + 5
            while True:
                try:
                    srv.bind((self.listen_host, self._port))
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        srv.close()
                        raise
                    time.sleep(0.1)
            srv.listen(64)
            srv.settimeout(0.2)
            self._port = int(srv.getsockname()[1])
            self._server = srv
            self._stopping.clear()
            self._accept_thread = threading.Thread(
                target=self._accept_loop, args=(srv,), name=f"TcpProxy:{self._port}", daemon=True
            )
            self._accept_thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            srv, self._server = self._server, None
            self._stopping.set()
            conns = list(self._conns)
            self._conns.clear()
        if srv is not None:
            with contextlib.suppress(OSError):
                srv.close()
        for c in conns:
            self._close(c)
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=5)
            self._accept_thread = None

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def _accept_loop(self, srv: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            if self._stopping.is_set():
                self._close(client)
                break
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                self._close(client)
                continue
            client.settimeout(None)
            with self._lock:
                if self._stopping.is_set():
                    self._close(client)
                    self._close(upstream)
                    break
                self._conns.update((client, upstream))
                self.connections_total += 1
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._conns.discard(src)
                self._conns.discard(dst)
            self._close(src)
            self._close(dst)


# --------------------------------------------------------------------------
# Static web server (what `python -m http.server --directory web` does)
# --------------------------------------------------------------------------


class StaticServer:
    def __init__(self, directory: str | Path, host: str = "127.0.0.1", port: int = 0) -> None:
        _check_loopback(host)
        self.directory = str(directory)
        self.host = host
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("StaticServer is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> StaticServer:
        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, fmt: str, *args: Any) -> None:
                pass

        handler: Callable[..., Any] = functools.partial(Quiet, directory=self.directory)
        self._httpd = ThreadingHTTPServer((self.host, self._port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="StaticServer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class BusyBalancer:
    """A load balancer that answers every POST with 429 and, if given, the JSON body of the real one."""

    def __init__(self, message: str | None = None, host: str = "127.0.0.1") -> None:
        _check_loopback(host)
        self.host = host
        self.message = message
        self.hits = 0
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None, "BusyBalancer is not started"
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def start(self) -> BusyBalancer:
        lb = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: Any) -> None:
                pass

            def _headers(self, status: int, length: int) -> None:
                self.send_response(status)
                self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
                self.send_header("Content-Length", str(length))

            def do_OPTIONS(self) -> None:
                self._headers(204, 0)
                self.end_headers()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                lb.hits += 1
                data = {"erreur": "trop_de_requetes"}
                if lb.message is not None:
                    data["message"] = lb.message
                body = json.dumps(data, ensure_ascii=False).encode("utf-8")
                self._headers(429, len(body))
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Retry-After", "5")
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer((self.host, 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, name="BusyBalancer", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> BusyBalancer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class FakeStack:
    """What the real ``stack`` fixture yields, built from the fakes above."""

    def __init__(self, web_dir: str | Path) -> None:
        self.rasa = FakeRasa().start()
        self.proxy = TcpProxy("127.0.0.1", self.rasa.port).start()
        self.web = StaticServer(web_dir).start()
        self.web_url = self.web.url
        self.rasa_url = self.rasa.url
        self.widget_server_url = self.proxy.url

    def close(self) -> None:
        self.proxy.stop()
        self.web.stop()
        self.rasa.stop()


if __name__ == "__main__":  # manual demo: python tests/e2e/widget_helpers.py
    import sys

    web_dir = Path(__file__).resolve().parents[2] / "web"
    stack = FakeStack(web_dir)
    print(f"page:   {stack.web_url}  (set window.CVSWidgetConfig = {{server: '{stack.widget_server_url}'}})")
    print(f"rasa:   {stack.rasa_url}")
    print(f"proxy:  {stack.widget_server_url}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stack.close()
        sys.exit(0)
