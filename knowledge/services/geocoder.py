"""Turn a typed address into a position, behind a small interface.

`BanGeocoder` asks the national address API (Base Adresse Nationale,
api-adresse.data.gouv.fr, `GET /search/?q=…&limit=…`), whose answer is a GeoJSON
FeatureCollection: `features[].geometry.coordinates` = [lon, lat] (WGS84),
`features[].properties` = label, score (0-1), type (housenumber | street |
locality | municipality), citycode (INSEE), postcode, city…

It is used only when GEOCODER_URL is set (e.g. https://api-adresse.data.gouv.fr):
by default `get_geocoder()` returns None and the assistant says plainly that it
cannot place an address. Every failure (timeout, HTTP error, bad JSON, no
result) gives None and one log line, never an exception to the caller.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

TIMEOUT_S = 2.0
MIN_SCORE = 0.5  # below this BAN score the match is usually another street or commune
# Bias towards Lille: BAN ranks nearby homonyms first ("rue de la Gare" exists everywhere).
BIAS_LAT, BIAS_LON = 50.63, 3.06
MAX_QUERY = 200


@dataclass(frozen=True)
class GeocodedAddress:
    lat: float
    lon: float
    label: str
    score: float
    type: str  # housenumber | street | locality | municipality
    citycode: str = ""
    postcode: str = ""
    city: str = ""

    @property
    def precise(self) -> bool:
        """A door (house number). A street or a locality is a line or an area, not a point."""
        return self.type == "housenumber"


class Geocoder(Protocol):
    def geocode(self, query: str) -> GeocodedAddress | None: ...


class BanGeocoder:
    """Client of the BAN `/search/` endpoint (one HTTP session per instance, made on first use)."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_S, min_score: float = MIN_SCORE) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.min_score = min_score
        self._session: Any = None
        self._lock = threading.Lock()

    def _http(self) -> Any:
        with self._lock:
            if self._session is None:
                import requests  # imported when first used: nothing heavy at import

                self._session = requests.Session()
                self._session.headers["User-Agent"] = "assistant-cvs-mel (contrat de ville, MEL)"
            return self._session

    def geocode(self, query: str) -> GeocodedAddress | None:
        query = " ".join(str(query).split())[:MAX_QUERY]
        if len(query) < 3:
            return None
        params: dict[str, str | int | float] = {"q": query, "limit": 5, "lat": BIAS_LAT, "lon": BIAS_LON}
        try:
            response = self._http().get(f"{self.base_url}/search/", params=params, timeout=self.timeout)
            response.raise_for_status()
            data = response.json()
        except Exception as exc:  # noqa: BLE001 - network, HTTP, JSON: the caller gets None
            log.warning("géocodeur BAN indisponible (%s) : %s", self.base_url, exc.__class__.__name__)
            return None
        return self._best(data, query)

    def _best(self, data: Any, query: str) -> GeocodedAddress | None:
        features = data.get("features") if isinstance(data, dict) else None
        if not isinstance(features, list):
            log.warning("géocodeur BAN : réponse sans `features` pour %r", query[:60])
            return None
        for feature in features:  # BAN sorts by score, best first
            found = _address(feature)
            if found is not None and found.score >= self.min_score:
                return found
        log.info("géocodeur BAN : aucune adresse sûre pour %r", query[:60])
        return None


def _address(feature: Any) -> GeocodedAddress | None:
    try:
        lon, lat = feature["geometry"]["coordinates"][:2]
        props = feature.get("properties") or {}
        lat, lon, score = float(lat), float(lon), float(props.get("score", 0))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return GeocodedAddress(lat=lat, lon=lon, label=str(props.get("label") or ""), score=score,
                           type=str(props.get("type") or ""), citycode=str(props.get("citycode") or ""),
                           postcode=str(props.get("postcode") or ""), city=str(props.get("city") or ""))


_GEOCODERS: dict[str, BanGeocoder] = {}
_LOCK = threading.Lock()


def get_geocoder() -> Geocoder | None:
    """The BAN geocoder when GEOCODER_URL is set, else None (no network on these machines)."""
    url = os.environ.get("GEOCODER_URL", "").strip()
    if not url:
        return None
    with _LOCK:
        if url not in _GEOCODERS:
            _GEOCODERS[url] = BanGeocoder(url)
        return _GEOCODERS[url]
