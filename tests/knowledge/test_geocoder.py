"""The BAN client against a local HTTP server that replays BAN-format answers.

The answers below are written from the documented schema of api-adresse.data.gouv.fr
`/search/` (GeoJSON FeatureCollection; coordinates [lon, lat]; properties label, score,
type, citycode, postcode, city…). The addresses are examples: only their shape matters.
No live network: the server listens on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from knowledge.services import geocoder as geocoder_module
from knowledge.services.geocoder import BanGeocoder, get_geocoder
from knowledge.services.qpv_check import check_message


def feature(lon: float, lat: float, label: str, score: float, kind: str, citycode: str, postcode: str,
            city: str) -> dict[str, object]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"label": label, "score": score, "type": kind, "citycode": citycode, "postcode": postcode,
                       "city": city, "context": "59, Nord, Hauts-de-France", "importance": 0.6, "x": 0, "y": 0,
                       "id": f"{citycode}_xxxx", "name": label.split(f" {postcode}")[0]},
    }


def collection(query: str, *features: dict[str, object]) -> dict[str, object]:
    return {"type": "FeatureCollection", "version": "draft", "features": list(features),
            "attribution": "BAN", "licence": "ETALAB-2.0", "query": query, "limit": 5}


# Query (folded) -> (HTTP status, body, delay in seconds).
ANSWERS: dict[str, tuple[int, object, float]] = {
    "10 rue du faubourg des postes lille": (200, collection(
        "10 rue du faubourg des postes lille",
        feature(3.0530, 50.6130, "10 Rue du Faubourg des Postes 59000 Lille", 0.93, "housenumber", "59350", "59000",
                "Lille"),
    ), 0.0),
    "rue du faubourg des postes lille": (200, collection(
        "rue du faubourg des postes lille",
        feature(3.0530, 50.6130, "Rue du Faubourg des Postes 59000 Lille", 0.88, "street", "59350", "59000", "Lille"),
    ), 0.0),
    "2 place du general de gaulle lille": (200, collection(
        "2 place du general de gaulle lille",
        feature(3.0633, 50.6367, "2 Place du Général de Gaulle 59800 Lille", 0.95, "housenumber", "59350", "59800",
                "Lille"),
    ), 0.0),
    "rue qui nexiste pas": (200, collection(
        "rue qui nexiste pas",
        feature(2.35, 48.85, "Rue Quinet 75014 Paris", 0.21, "street", "75114", "75014", "Paris"),
    ), 0.0),
    "rien du tout ici": (200, collection("rien du tout ici"), 0.0),
    "erreur serveur": (500, {"code": 500, "message": "Internal Server Error"}, 0.0),
    "json casse": (200, "{not json", 0.0),
    "trop lent": (200, collection("trop lent"), 3.0),
}


class Replay(BaseHTTPRequestHandler):
    seen: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        params = parse_qs(url.query)
        Replay.seen.append({"path": [url.path], **params})
        query = (params.get("q") or [""])[0].lower().replace("'", "").replace("é", "e")
        status, body, delay = ANSWERS.get(query, (200, collection(query), 0.0))
        if url.path != "/search/":
            status, body = 404, {"code": 404, "message": "Not found"}
        time.sleep(delay)
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def ban_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_house_number_is_found_and_sent_as_ban_expects(ban_url: str) -> None:
    Replay.seen.clear()
    found = BanGeocoder(ban_url).geocode("10 rue du Faubourg des Postes Lille")
    assert found is not None and found.precise
    assert (found.lat, found.lon) == (50.6130, 3.0530)  # [lon, lat] in GeoJSON, read the right way round
    assert found.label == "10 Rue du Faubourg des Postes 59000 Lille"
    assert found.citycode == "59350" and found.postcode == "59000" and found.city == "Lille"
    request = Replay.seen[-1]
    assert request["path"] == ["/search/"] and request["q"] == ["10 rue du Faubourg des Postes Lille"]
    assert request["limit"] == ["5"]


@pytest.mark.parametrize("query", ["rue qui n'existe pas", "rien du tout ici", "erreur serveur", "json casse"])
def test_no_sure_answer_gives_none(ban_url: str, query: str) -> None:
    assert BanGeocoder(ban_url).geocode(query) is None


def test_a_slow_server_is_given_up_quickly(ban_url: str) -> None:
    started = time.perf_counter()
    assert BanGeocoder(ban_url, timeout=0.3).geocode("trop lent") is None
    assert time.perf_counter() - started < 2.0


def test_an_unreachable_server_gives_none() -> None:
    assert BanGeocoder("http://127.0.0.1:9", timeout=0.5).geocode("10 rue du Faubourg des Postes Lille") is None


def test_no_geocoder_unless_configured(monkeypatch: pytest.MonkeyPatch, ban_url: str) -> None:
    monkeypatch.delenv("GEOCODER_URL", raising=False)
    assert get_geocoder() is None
    monkeypatch.setenv("GEOCODER_URL", ban_url)
    configured = get_geocoder()
    assert isinstance(configured, BanGeocoder) and configured.base_url == ban_url
    assert get_geocoder() is configured  # one client (and one HTTP session) per URL
    geocoder_module._GEOCODERS.clear()


def test_an_address_in_a_covered_qpv_through_the_conversation_service(ban_url: str) -> None:
    answer = check_message("10 rue du Faubourg des Postes Lille", geocoder=BanGeocoder(ban_url))
    assert answer.kind == "en_qpv" and answer.check is not None and answer.check.nom == "Secteur Sud"
    payload = answer.payload()
    assert payload is not None and payload["quartier"] == {"code": "QN05972M", "nom": "Secteur Sud"}
    assert payload["adresse"] == "10 Rue du Faubourg des Postes 59000 Lille" and payload["a_verifier"] is False


def test_a_street_only_is_never_a_sure_answer(ban_url: str) -> None:
    answer = check_message("rue du Faubourg des Postes Lille", geocoder=BanGeocoder(ban_url))
    assert answer.kind == "frontiere" and answer.adresse_approximative
    assert answer.payload() is not None and answer.payload()["a_verifier"] is True


def test_an_address_outside_every_qpv(ban_url: str) -> None:
    answer = check_message("2 place du Général de Gaulle Lille", geocoder=BanGeocoder(ban_url))
    assert answer.kind == "hors_qpv" and answer.payload() is not None and answer.payload()["en_qpv"] is False


def test_an_address_not_found_says_so_with_the_commune(ban_url: str) -> None:
    answer = check_message("rue qui n'existe pas à Roubaix", geocoder=BanGeocoder(ban_url))
    assert answer.kind == "adresse_introuvable" and "Nouveau Roubaix" in answer.qpv_du_lieu
