"""Read a position from what a person types or a client sends.

Accepted in text: "50.6280, 3.0580", "50,6280 3,0580" (French decimal commas),
"N 50.628 E 3.058", "50.628 N 3.058 E", degrees-minutes-seconds as Google Maps
copies them (50°37'40.8"N 3°03'28.8"E), OpenStreetMap links (#map=17/lat/lon,
?mlat=…&mlon=…) and Google Maps links (…/@lat,lon,17z, ?q=lat,lon, place links
with !3d<lat>!4d<lon>). From metadata: {"lat": …, "lon": …} (numbers; "lng" too).

No library covers map links and French decimal commas together (geopy's Point
parser handles neither), hence these few patterns. Nothing here raises on bad
input: the answer is a PositionResult with an error kind.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

Erreur = Literal["absente", "invalide", "hors_bornes", "inversee"]
MAX_TEXT = 2000

_NUM = r"[-+]?\d{1,3}(?:[.,]\d+)?"
_DEC = r"[-+]?\d{1,3}[.,]\d+"

_GOOGLE_PLACE = re.compile(rf"!3d({_DEC})!4d({_DEC})")
_GOOGLE_QUERY = re.compile(rf"[?&](?:q|query|ll|center|destination)=(?:loc:)?({_DEC})\s*,\s*({_DEC})")
_GOOGLE_AT = re.compile(rf"/@({_DEC}),({_DEC})")
_OSM_MAP = re.compile(rf"#map=\d{{1,2}}(?:\.\d+)?/({_DEC})/({_DEC})")
_OSM_MLAT = re.compile(rf"[?&]mlat=({_DEC})")
_OSM_MLON = re.compile(rf"[?&]mlon=({_DEC})")
_DMS = re.compile(
    r"(\d{1,3})\s*°\s*(\d{1,2})\s*['′’]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|″|''|”)?)?\s*([NSEOW])", re.IGNORECASE
)
_HEMI_BEFORE = re.compile(rf"(?<![A-Za-z])([NS])\s*({_NUM})\s*°?\s*[,;]?\s*([EOW])\s*({_NUM})\s*°?(?![\w])",
                          re.IGNORECASE)
_HEMI_AFTER = re.compile(rf"({_NUM})\s*°?\s*([NS])\s*[,;]?\s*({_NUM})\s*°?\s*([EOW])(?![A-Za-z])", re.IGNORECASE)
# Two numbers side by side: "50.628, 3.058", "50,628 3,058", "50.628;3.058", "50.628/3.058".
_PAIR = re.compile(rf"(?<![\w.,])({_NUM})\s*(?:[;/]\s*|,\s+|,(?=[-+]?\d{{1,3}}[.,]\d)|\s+)({_NUM})(?![\w]|[.,]\d)")
_NOT_A_NUMBER = re.compile(r"(?<![\w])(?:nan|[-+]?inf(?:inity)?)(?![\w])", re.IGNORECASE)
_ONLY_PAIR = re.compile(rf"^\s*\(?\s*{_NUM}\s*[,;/\s]\s*{_NUM}\s*\)?\s*$")


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    origine: str  # texte | osm | google | metadata


@dataclass(frozen=True)
class PositionResult:
    position: Position | None = None
    erreur: Erreur | None = None

    @property
    def ok(self) -> bool:
        return self.position is not None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _checked(lat: float, lon: float, origine: str) -> PositionResult:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return PositionResult(erreur="invalide")
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return PositionResult(Position(lat, lon, origine))
    if -90 <= lon <= 90 and -180 <= lat <= 180:
        return PositionResult(erreur="inversee")  # longitude first: said, never swapped silently
    return PositionResult(erreur="hors_bornes")


def parse_position_text(text: object) -> PositionResult:
    """A position found in a message, or why none (`absente` when the text holds no coordinates)."""
    if not isinstance(text, str) or not text.strip():
        return PositionResult(erreur="absente")
    text = unquote(text[:MAX_TEXT])
    # A marker (mlat/mlon, !3d!4d, ?q=) before the map's centre (#map=, /@).
    mlat, mlon = _OSM_MLAT.search(text), _OSM_MLON.search(text)
    if mlat and mlon:
        return _checked(_number(mlat.group(1)), _number(mlon.group(1)), "osm")
    for pattern, origine in ((_GOOGLE_PLACE, "google"), (_GOOGLE_QUERY, "google"), (_GOOGLE_AT, "google"),
                             (_OSM_MAP, "osm")):
        found = pattern.search(text)
        if found:
            return _checked(_number(found.group(1)), _number(found.group(2)), origine)
    dms = _DMS.findall(text)
    if len(dms) >= 2:
        values: dict[str, float] = {}
        for degrees, minutes, seconds, hemisphere in dms[:2]:
            value = int(degrees) + int(minutes) / 60 + (_number(seconds) if seconds else 0.0) / 3600
            axis = "lat" if hemisphere.upper() in "NS" else "lon"
            values[axis] = -value if hemisphere.upper() in "SWO" else value
        if len(values) == 2:
            return _checked(values["lat"], values["lon"], "texte")
    found = _HEMI_BEFORE.search(text)
    if found:
        lat, lon = _number(found.group(2)), _number(found.group(4))
        return _checked(_signed(lat, found.group(1)), _signed(lon, found.group(3)), "texte")
    found = _HEMI_AFTER.search(text)
    if found:
        lat, lon = _number(found.group(1)), _number(found.group(3))
        return _checked(_signed(lat, found.group(2)), _signed(lon, found.group(4)), "texte")
    for found in _PAIR.finditer(text):
        first, second = found.group(1), found.group(2)
        # Two bare integers are coordinates only when they are the whole message ("999 999"):
        # "3 ateliers 2 fois" must not become a position.
        if _has_decimals(first) or _has_decimals(second) or _ONLY_PAIR.match(text):
            return _checked(_number(first), _number(second), "texte")
    if _NOT_A_NUMBER.search(text):
        return PositionResult(erreur="invalide")  # "NaN, NaN", "inf 3.05"
    return PositionResult(erreur="absente")


def _has_decimals(value: str) -> bool:
    return "." in value or "," in value


def _signed(value: float, hemisphere: str) -> float:
    return -abs(value) if hemisphere.upper() in "SWO" else value


def parse_position_metadata(value: object) -> PositionResult:
    """`metadata.position` as sent by a client: {"lat": 50.628, "lon": 3.058} (numbers, WGS84)."""
    if value is None:
        return PositionResult(erreur="absente")
    if not isinstance(value, dict):
        return PositionResult(erreur="invalide")  # "50.6,3.0" as a string, a list…
    lat, lon = value.get("lat"), value.get("lon", value.get("lng"))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        return PositionResult(erreur="invalide")
    assert isinstance(lat, (int, float)) and isinstance(lon, (int, float))
    return _checked(float(lat), float(lon), "metadata")
