"""Reading a position from a message or from `metadata.position`: good forms and bad ones."""

from __future__ import annotations

import pytest

from knowledge.services.positions import parse_position_metadata, parse_position_text

LILLE = (50.628, 3.058)


@pytest.mark.parametrize("text, origine", [
    ("50.6280, 3.0580", "texte"),
    ("50.628,3.058", "texte"),
    ("50,6280 3,0580", "texte"),           # French decimal commas
    ("50,6280, 3,0580", "texte"),
    ("50,6280;3,0580", "texte"),
    ("(50.628, 3.058)", "texte"),
    ("N 50.628 E 3.058", "texte"),
    ("50.628 N, 3.058 E", "texte"),
    ("50.628N 3.058E", "texte"),
    ("50°37'40.8\"N 3°03'28.8\"E", "texte"),  # as Google Maps copies a point
    ("mon public habite ici : 50.628, 3.058, c'est en QPV ?", "texte"),
    ("https://www.openstreetmap.org/#map=17/50.62800/3.05800", "osm"),
    ("https://www.openstreetmap.org/?mlat=50.628&mlon=3.058#map=15/50.6000/3.0000", "osm"),  # marker wins
    ("https://www.google.com/maps/@50.628,3.058,17z", "google"),
    ("https://maps.google.com/?q=50.628,3.058", "google"),
    ("https://www.google.com/maps/search/?api=1&query=50.628%2C3.058", "google"),
    ("https://www.google.com/maps/place/Lille/@50.60,3.00,15z/data=!3m1!4b1!4m6!3m5!8m2!3d50.628!4d3.058", "google"),
])
def test_positions_people_type_or_paste(text: str, origine: str) -> None:
    result = parse_position_text(text)
    assert result.ok and result.erreur is None
    assert result.position is not None
    assert (round(result.position.lat, 3), round(result.position.lon, 3)) == LILLE
    assert result.position.origine == origine


@pytest.mark.parametrize("text, erreur", [
    ("999, 999", "hors_bornes"),
    ("999 3.05", "hors_bornes"),
    ("150.5, 50.6", "inversee"),      # longitude first, out of the latitude range
    ("NaN, NaN", "invalide"),
    ("inf, 3.05", "invalide"),
    ("abc", "absente"),
    ("", "absente"),
    ("qui contacter à Loos ?", "absente"),
    ("3 ateliers, 2 fois par semaine", "absente"),   # small integers are not a position
    ("12 rue de Lille, 59100 Roubaix", "absente"),
    ("budget de 15 000 € pour 2026", "absente"),
])
def test_bad_or_missing_coordinates_give_an_error_kind(text: str, erreur: str) -> None:
    result = parse_position_text(text)
    assert not result.ok and result.erreur == erreur


@pytest.mark.parametrize("value", [None, 12, ["50.6", "3.0"], {"lat": 50.6}])
def test_non_text_never_raises(value: object) -> None:
    assert parse_position_text(value).erreur == "absente"


def test_metadata_position_numbers() -> None:
    result = parse_position_metadata({"lat": 50.628, "lon": 3.058})
    assert result.position is not None and (result.position.lat, result.position.lon) == LILLE
    assert result.position.origine == "metadata"
    assert parse_position_metadata({"lat": 50, "lng": 3}).ok


@pytest.mark.parametrize("value, erreur", [
    ("50.628, 3.058", "invalide"),                      # a position as a string
    ({"lat": "50.628", "lon": "3.058"}, "invalide"),
    ({"lat": "abc", "lon": 3.0}, "invalide"),
    ({"lat": float("nan"), "lon": 3.0}, "invalide"),
    ({"lat": 50.6, "lon": float("inf")}, "invalide"),
    ({"lat": True, "lon": 3.0}, "invalide"),
    ({"lat": 50.6}, "invalide"),
    ([50.6, 3.0], "invalide"),
    ({"lat": 999, "lon": 999}, "hors_bornes"),
    ({"lat": -91.0, "lon": 200.0}, "hors_bornes"),
    ({"lat": 150.0, "lon": 3.0}, "inversee"),
    (None, "absente"),
])
def test_bad_metadata_position_gives_an_error_kind(value: object, erreur: str) -> None:
    result = parse_position_metadata(value)
    assert not result.ok and result.erreur == erreur
