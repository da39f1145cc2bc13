"""Is a point in a QPV? Checked against the official polygons of knowledge/data/ (issue 14).

For each of the 27 covered QPV: a point well inside, points within the margin on both
sides of its boundary, and a point 200 m outside it (and outside every QPV). The
expected answers come from the source GeoJSON file itself, projected here in the test;
`qpv_at` reads the same contours through the loader, the database and its index.
"""

from __future__ import annotations

import csv
import json
import threading
from functools import cache, lru_cache
from pathlib import Path

import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.ops import polylabel, unary_union

from knowledge.services import geo
from knowledge.services.geo import qpv_at
from knowledge.services.places import resolve_place
from knowledge.services.qpv_check import check_message, distance_fr, qpv_name_for_form

DATA = Path(__file__).resolve().parents[2] / "knowledge" / "data"
TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
TO_WGS84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


def _project(geometry, transformer):  # type: ignore[no-untyped-def]
    import numpy as np

    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


@lru_cache(maxsize=1)
def polygons_l93() -> dict[str, object]:
    features = json.loads((DATA / "qpv2024_contours.geojson").read_text(encoding="utf-8"))["features"]
    return {f["properties"]["code_qp"]: _project(shape(f["geometry"]), TO_L93) for f in features}


@lru_cache(maxsize=1)
def covered() -> dict[str, str]:
    with (DATA / "qpv.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return {r["code"]: r["nom_appel"] for r in rows if r["territoire_id"] in ("MEL", "HAZEBROUCK")}


@lru_cache(maxsize=1)
def nord_l93():  # type: ignore[no-untyped-def]
    features = json.loads((DATA / "limites_nord_france.geojson").read_text(encoding="utf-8"))["features"]
    return next(_project(shape(f["geometry"]), TO_L93) for f in features if f["properties"]["id"] == "nord")


def to_lat_lon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WGS84.transform(x, y)
    return lat, lon


@cache
def _others(code: str):  # type: ignore[no-untyped-def]
    return unary_union([g for c, g in polygons_l93().items() if c != code])


def point_at(code: str, offset_m: float) -> tuple[float, float]:
    """A point `offset_m` from the QPV's boundary (outside if > 0, inside if < 0), as far as
    possible from every other QPV, so the expected answer is unambiguous."""
    polygon = polygons_l93()[code]
    others = _others(code)
    ring = polygon.buffer(offset_m, quad_segs=16).boundary
    nord = nord_l93()
    best, best_gap = None, -1.0
    for fraction in [i / 400 for i in range(400)]:
        candidate = ring.interpolate(fraction, normalized=True)
        gap = others.distance(candidate)
        exact = abs(polygon.boundary.distance(candidate) - abs(offset_m)) < 0.5
        in_nord = nord.contains(candidate) and nord.boundary.distance(candidate) > 50  # not in Belgium
        if exact and in_nord and gap > best_gap:
            best, best_gap = candidate, gap
    assert best is not None and best_gap > abs(offset_m) + 5, f"{code}: no clean point at {offset_m} m"
    return to_lat_lon(best.x, best.y)


def test_the_referentiel_holds_the_94_contours_and_27_covered() -> None:
    assert len(polygons_l93()) == 94
    assert len(covered()) == 27
    assert set(covered()) <= set(polygons_l93())


@pytest.mark.parametrize("code", sorted(covered()))
def test_point_well_inside_a_covered_qpv(code: str) -> None:
    polygon = polygons_l93()[code]
    biggest = max(getattr(polygon, "geoms", [polygon]), key=lambda p: p.area)
    centre = polylabel(biggest, tolerance=1.0)
    depth = biggest.boundary.distance(centre)
    check = qpv_at(*to_lat_lon(centre.x, centre.y))
    assert check.en_qpv and check.code == code and check.couvert
    assert check.nom == covered()[code]
    assert check.distance_frontiere_m == pytest.approx(depth, abs=0.5)
    assert check.a_verifier is (depth < geo.margins()[code])
    assert check.payload()["quartier"] == {"code": code, "nom": covered()[code]}


@pytest.mark.parametrize("code", sorted(covered()))
def test_representative_point_is_inside(code: str) -> None:
    point = polygons_l93()[code].representative_point()
    check = qpv_at(*to_lat_lon(point.x, point.y))
    assert check.en_qpv and check.code == code


@pytest.mark.parametrize("code", sorted(covered()))
def test_point_200_m_outside_is_in_no_qpv(code: str) -> None:
    check = qpv_at(*point_at(code, 200.0))
    assert not check.en_qpv and check.hors_zone is None
    assert check.a_verifier is False
    assert check.distance_frontiere_m == pytest.approx(200.0, abs=1.0)
    assert check.payload()["quartier"] is None


@pytest.mark.parametrize("code", sorted(covered()))
def test_points_within_the_margin_are_to_be_checked(code: str) -> None:
    margin = geo.margins()[code]
    outside = qpv_at(*point_at(code, margin / 2))
    assert not outside.en_qpv and outside.a_verifier and outside.code == code
    assert outside.payload()["quartier"] is None
    assert outside.payload()["quartier_proche"] == {"code": code, "nom": covered()[code]}
    inside = qpv_at(*point_at(code, -margin / 2))
    assert inside.en_qpv and inside.a_verifier and inside.code == code
    assert inside.payload()["a_verifier"] is True


def test_just_across_the_border_is_not_said_outside_france() -> None:
    # Menen (Belgium), 300 m from the Nord outline: the simplified outlines cannot tell; the answer
    # is "in no QPV", which is true on both sides.
    check = qpv_at(50.7960, 3.1220)
    assert check.hors_zone is None and not check.en_qpv and check.code is not None


def test_margin_is_data_and_wider_where_copies_disagree() -> None:
    margins = geo.margins()
    assert margins["QN05972M"] == 30.0
    assert margins["QN05977M"] == 60.0


def test_point_in_a_qpv_of_another_nord_contract() -> None:
    point = polygons_l93()["QN05931M"].representative_point()  # Valenciennes, Faubourg de Cambrai
    check = qpv_at(*to_lat_lon(point.x, point.y))
    assert check.en_qpv and check.code == "QN05931M"
    assert not check.couvert and check.territoire_id == "VALENCIENNES_METROPOLE"
    answer = check_message(f"{to_lat_lon(point.x, point.y)[0]:.6f}, {to_lat_lon(point.x, point.y)[1]:.6f}")
    assert answer.kind == "autre_contrat" and answer.contacts is None


@pytest.mark.parametrize("lat, lon, zone", [
    (50.6056, 3.3878, "hors_france"),   # Tournai, Belgium
    (50.8280, 3.2650, "hors_france"),   # Kortrijk, Belgium
    (51.1500, 2.2000, "hors_france"),   # North Sea off Dunkerque
    (48.8566, 2.3522, "hors_nord"),     # Paris
    (50.2930, 2.7810, "hors_nord"),     # Arras, Pas-de-Calais
])
def test_outside_the_nord_or_france(lat: float, lon: float, zone: str) -> None:
    check = qpv_at(lat, lon)
    assert check.hors_zone == zone and not check.en_qpv and check.code is None
    assert check.payload()["quartier"] is None and check.payload()["a_verifier"] is False


@pytest.mark.parametrize("lat, lon", [
    (999, 3.05), (50.6, 999), (float("nan"), 3.05), (50.6, float("inf")), ("50.6", 3.05), (None, None), (True, 3.0),
])
def test_invalid_coordinates_never_raise(lat: object, lon: object) -> None:
    check = qpv_at(lat, lon)  # type: ignore[arg-type]
    assert check.hors_zone == "invalide" and not check.en_qpv


def test_payload_has_the_contract_fields() -> None:
    payload = qpv_at(50.6130, 3.0530).payload()
    assert {"type", "en_qpv", "quartier", "distance_frontiere_m", "a_verifier"} <= set(payload)
    assert payload["type"] == "qpv" and payload["en_qpv"] is True
    assert payload["quartier"] == {"code": "QN05972M", "nom": "Secteur Sud"}
    assert isinstance(payload["distance_frontiere_m"], float)
    json.dumps(payload)  # goes through Rasa's json_message as is


def test_index_is_built_once_under_concurrent_first_calls() -> None:
    geo.clear_cache()
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(qpv_at(50.6130, 3.0530))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len({r.code for r in results}) == 1  # type: ignore[attr-defined]
    assert len(geo._INDEXES) == 1


# --- the conversation's service --------------------------------------------------------------


def test_check_message_inside_a_covered_qpv_gives_its_contacts() -> None:
    point = polygons_l93()["QN05975M"].representative_point()  # Les Oliveaux, Loos
    lat, lon = to_lat_lon(point.x, point.y)
    answer = check_message("/verifier_adresse_qpv", {"lat": lat, "lon": lon})
    assert answer.kind in ("en_qpv", "frontiere") and answer.check is not None
    assert answer.check.nom == "Les Oliveaux"
    assert answer.contacts is not None and answer.contacts.contexte == "qpv:QN05975M:59360"
    cards = [s.payload for s in answer.contacts.says if s.payload]
    assert cards and cards[0]["type"] == "contacts" and cards[0]["quartier"]["code"] == "QN05975M"
    assert any(c["role"] == "ville" for c in cards[0]["contacts"])
    assert answer.payload() is not None and answer.payload()["quartier"]["code"] == "QN05975M"


@pytest.mark.parametrize("text, position, kind, erreur", [
    ("50.6130, 3.0530", None, "en_qpv", None),
    ("3.0530, 50.6130", None, "position_invalide", "inversee"),
    ("999, 999", None, "position_invalide", "hors_bornes"),
    ("NaN, NaN", None, "position_invalide", "invalide"),
    ("/verifier_adresse_qpv", "50.6130, 3.0530", "position_invalide", "invalide"),
    ("/verifier_adresse_qpv", {"lat": "abc", "lon": 3.05}, "position_invalide", "invalide"),
    ("/verifier_adresse_qpv", {"lat": 999, "lon": 3.05}, "position_invalide", "hors_bornes"),
    ("/verifier_adresse_qpv", None, "demande", None),
    ("est-ce que mon adresse est en qpv ?", None, "demande", None),
    ("50.6056, 3.3878", None, "hors_france", None),
    ("48.8566, 2.3522", None, "hors_nord", None),
])
def test_check_message_kinds(text: str, position: object, kind: str, erreur: str | None) -> None:
    answer = check_message(text, position, geocoder=None)
    assert answer.kind == kind and answer.erreur == erreur


def test_address_without_geocoder_lists_the_qpv_of_the_commune() -> None:
    answer = check_message("12 rue Jean Jaurès à Loos, est-ce en QPV ?", geocoder=None)
    assert answer.kind == "adresse_sans_geocodeur" and answer.check is None and answer.payload() is None
    assert answer.lieu is not None and answer.lieu.label == "Loos"
    assert set(answer.qpv_du_lieu) == {"Les Oliveaux", "Clémenceau-Kiener", "Secteur Sud"}


def test_address_without_any_commune() -> None:
    answer = check_message("14 rue des Fleurs", geocoder=None)
    assert answer.kind == "adresse_sans_geocodeur" and answer.qpv_du_lieu == ()


@pytest.mark.parametrize("code", sorted(covered()))
def test_form_gets_the_display_name_that_resolves_back(code: str) -> None:
    point = polygons_l93()[code].representative_point()
    lat, lon = to_lat_lon(point.x, point.y)
    name = qpv_name_for_form(f"{lat:.6f}, {lon:.6f}")
    assert name == covered()[code]
    assert qpv_name_for_form("ok", {"lat": lat, "lon": lon}) == name
    place = resolve_place(name)
    assert place.qpv is not None and place.qpv.code == code


@pytest.mark.parametrize("text, position", [
    ("Roubaix", None), ("50.6056, 3.3878", None), ("999 999", None), ("x", "50.6,3.0"),
    ("48.8566, 2.3522", None), ("12 rue de Lille à Roubaix", None),
])
def test_form_gets_none_outside_covered_qpv(text: str, position: object) -> None:
    assert qpv_name_for_form(text, position) is None


def test_distances_are_written_in_french() -> None:
    assert distance_fr(35.2) == "35 m"
    assert distance_fr(1234.0) == "1,2 km"


def test_loader_stores_every_contour_with_its_source_and_is_idempotent(tmp_path: Path) -> None:
    from knowledge import repositories as repo
    from knowledge.db import read_session
    from knowledge.loader import load

    url = f"sqlite:///{tmp_path / 'twice.db'}"
    first = load(url)
    second = load(url)
    assert first.counts["qpv_contour"] == second.counts["qpv_contour"] == 94
    assert first.counts["limite_contour"] == second.counts["limite_contour"] == 2
    with read_session(url) as session:
        contours = repo.qpv_contours(session)
        limites = repo.limite_contours(session)
    assert all(c.source and c.geojson.startswith('{"type":"MultiPolygon"') for c in contours)
    assert {lim.id for lim in limites} == {"nord", "france_metropolitaine"}
    assert all("Admin Express" in lim.source for lim in limites)
