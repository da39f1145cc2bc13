"""Is a point in a QPV? The official contours, an STRtree index and distances in metres.

The contours are read once per process and database from the référentiel, projected
once to Lambert-93 (EPSG:2154, metres) and indexed with a shapely STRtree. A query
projects its one point and asks the tree: no per-polygon projection, no query to the
database. `clear_cache()` forgets the index (the loader calls it after a rebuild).
"""

from __future__ import annotations

import json
import logging
import math
import threading
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from knowledge import repositories as repo
from knowledge.db import read_session

log = logging.getLogger(__name__)

HorsZone = Literal["hors_nord", "hors_france", "invalide"]
LAMBERT_93 = "EPSG:2154"


@dataclass(frozen=True)
class QpvCheck:
    """Where a point lies with respect to the QPV of the Nord.

    `code`/`nom` name the QPV the point is in or, when it is in none, the nearest one.
    `nom` is the display name (the call's name for the covered QPV).
    """

    en_qpv: bool
    code: str | None = None
    nom: str | None = None
    territoire_id: str | None = None
    territoire: str | None = None
    couvert: bool = False
    communes: tuple[str, ...] = ()
    distance_frontiere_m: float | None = None
    a_verifier: bool = False
    hors_zone: HorsZone | None = None

    def payload(self) -> dict[str, Any]:
        """The `qpv` card of contracts.md §4 (+ optional fields)."""
        quartier = {"code": self.code, "nom": self.nom} if self.en_qpv and self.code else None
        proche = {"code": self.code, "nom": self.nom} if not self.en_qpv and self.code and self.a_verifier else None
        distance = None if self.distance_frontiere_m is None else round(self.distance_frontiere_m, 1)
        return {
            "type": "qpv", "en_qpv": self.en_qpv, "quartier": quartier, "distance_frontiere_m": distance,
            "a_verifier": self.a_verifier,
            "quartier_proche": proche, "territoire_id": self.territoire_id if self.code else None,
            "territoire": self.territoire if self.code else None, "couvert": self.couvert,
            "communes": list(self.communes), "hors_zone": self.hors_zone,
        }


@dataclass(frozen=True)
class _Zone:
    code: str
    nom: str
    territoire_id: str
    territoire: str
    couvert: bool
    communes: tuple[str, ...]
    marge_m: float


class _Index:
    """Projected contours, their boundaries and the STRtree, built once."""

    def __init__(self, url: str | None) -> None:
        with read_session(url) as session:
            territoires = {t.id: t for t in repo.territoires(session)}
            communes = {c.insee: c.nom for c in repo.communes(session)}
            by_qpv: dict[str, list[str]] = {}
            for pair in repo.qpv_communes(session):
                by_qpv.setdefault(pair.code_qp, []).append(communes.get(pair.insee, pair.insee))
            qpvs = {q.code: q for q in repo.qpvs(session)}
            contours = [(c.code_qp, c.geojson, c.marge_m) for c in repo.qpv_contours(session)]
            limites = {lim.id: (lim.geojson, lim.tolerance_m) for lim in repo.limite_contours(session)}
        if not contours:
            raise LookupError("aucun contour de QPV dans le référentiel (make load)")
        self.zones: list[_Zone] = []
        geometries = []
        for code, geojson, marge in contours:
            q = qpvs[code]
            t = territoires.get(q.territoire_id)
            self.zones.append(_Zone(code, q.nom_appel, q.territoire_id, t.nom if t else "", bool(t and t.couvert),
                                    tuple(sorted(by_qpv.get(code, []))), float(marge)))
            geometries.append(self._project(shape(json.loads(geojson))))
        self.polygons = np.array(geometries, dtype=object)
        self.boundaries = shapely.boundary(self.polygons)
        shapely.prepare(self.polygons)
        shapely.prepare(self.boundaries)
        self.tree = shapely.STRtree(self.polygons)
        nord, self.nord_tolerance = limites["nord"]
        self.nord = self._project(shape(json.loads(nord)))
        france, self.france_tolerance = limites["france_metropolitaine"]
        self.france = self._project(shape(json.loads(france)))
        shapely.prepare(self.nord)
        shapely.prepare(self.france)

    def in_nord(self, point: Any) -> bool:
        # Within the tolerance of the outline: a simplified outline must not put a French street in Belgium.
        return bool(shapely.dwithin(self.nord, point, self.nord_tolerance))

    def in_france(self, point: Any) -> bool:
        return bool(shapely.dwithin(self.france, point, self.france_tolerance))

    @staticmethod
    def _project(geometry: Any) -> Any:
        to_l93 = _transformer()
        return shapely.transform(geometry, lambda xy: np.column_stack(to_l93.transform(xy[:, 0], xy[:, 1])))


_LOCK = threading.Lock()
_INDEXES: dict[str | None, _Index] = {}
_LOCAL = threading.local()


def _transformer() -> Transformer:
    # One transformer per thread: pyproj objects are not meant to be shared across threads.
    found = getattr(_LOCAL, "to_l93", None)
    if found is None:
        found = _LOCAL.to_l93 = Transformer.from_crs("EPSG:4326", LAMBERT_93, always_xy=True)
    return found


def _index(url: str | None = None) -> _Index:
    found = _INDEXES.get(url)
    if found is None:
        with _LOCK:
            found = _INDEXES.get(url)
            if found is None:
                found = _INDEXES[url] = _Index(url)
    return found


def clear_cache() -> None:
    with _LOCK:
        _INDEXES.clear()


def warm_up(url: str | None = None) -> None:
    qpv_at(50.63, 3.06, url)


def valid_coordinates(lat: object, lon: object) -> bool:
    return (isinstance(lat, (int, float)) and isinstance(lon, (int, float))
            and not isinstance(lat, bool) and not isinstance(lon, bool)
            and math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180)


def qpv_at(lat: float, lon: float, url: str | None = None) -> QpvCheck:
    """The QPV at (lat, lon) in WGS84 degrees. Never raises on bad input: `hors_zone="invalide"`.

    Raises LookupError / SQLAlchemyError only when the référentiel itself is missing.
    """
    if not valid_coordinates(lat, lon):
        return QpvCheck(en_qpv=False, hors_zone="invalide")
    index = _index(url)
    x, y = _transformer().transform(lon, lat)
    if not (math.isfinite(x) and math.isfinite(y)):
        return QpvCheck(en_qpv=False, hors_zone="hors_france")
    point = shapely.Point(x, y)
    inside = index.tree.query(point, predicate="intersects")
    if len(inside):
        i = int(inside[0])
        return _check(index.zones[i], True, float(shapely.distance(index.boundaries[i], point)))
    nearest, distances = index.tree.query_nearest(point, return_distance=True)
    i, distance = int(nearest[0]), float(distances[0])
    # Near a QPV the answer is « à vérifier » even across a border: the outlines are simplified too.
    if distance >= index.zones[i].marge_m and not index.in_nord(point):
        zone: HorsZone = "hors_nord" if index.in_france(point) else "hors_france"
        return QpvCheck(en_qpv=False, distance_frontiere_m=distance, hors_zone=zone)
    return _check(index.zones[i], False, distance)


def _check(zone: _Zone, inside: bool, distance: float) -> QpvCheck:
    return QpvCheck(en_qpv=inside, code=zone.code, nom=zone.nom, territoire_id=zone.territoire_id,
                    territoire=zone.territoire, couvert=zone.couvert, communes=zone.communes,
                    distance_frontiere_m=distance, a_verifier=distance < zone.marge_m)


def contours_wgs84(url: str | None = None) -> dict[str, Any]:
    """code → shapely geometry in WGS84, for tests and maps (read from the référentiel)."""
    with read_session(url) as session:
        return {c.code_qp: shape(json.loads(c.geojson)) for c in repo.qpv_contours(session)}


def margins(url: str | None = None) -> dict[str, float]:
    return {z.code: z.marge_m for z in _index(url).zones}

