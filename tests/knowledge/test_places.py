"""Place resolution as users type places (table in tests/knowledge/data/orthographes.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knowledge.services.places import Place, find_place, resolve_place

TABLE = Path(__file__).parent / "data" / "orthographes.csv"


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _key(place: Place) -> str:
    if place.kind == "commune" or (place.kind == "hors_territoire" and place.commune is not None):
        return place.commune.insee if place.commune else ""
    if place.kind == "qpv":
        return place.qpv.code if place.qpv else ""
    if place.kind == "quartier":
        return place.quartier.id if place.quartier else ""
    return ""


def test_table_is_large_enough() -> None:
    assert len(_rows()) >= 60


def _keys(place: Place) -> set[str]:
    """Every key a candidate answers to (a QPV outside the territory: its communes too)."""
    keys = {place.quartier.id if place.quartier else "", place.qpv.code if place.qpv else "",
            place.commune.insee if place.commune else ""}
    if place.qpv is not None and place.kind == "hors_territoire":
        keys |= set(place.qpv.communes)
    return keys - {""}


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["saisie"])
def test_spelling_resolves(row: dict[str, str]) -> None:
    place = resolve_place(row["saisie"])
    got = f"{place.kind} {_key(place)}"
    if row["type"] == "qpv" and place.kind == "quartier":
        # A neighbourhood inside the expected QPV is a more precise answer, not a wrong one.
        assert place.qpv is not None and place.qpv.code == row["cle"], f"{row['saisie']!r} → {got}"
        return
    assert place.kind == row["type"], f"{row['saisie']!r} → {got} ({row['note']})"
    if row["type"] == "ambigu":
        expected = set(row["cle"].split("|"))
        candidates = set().union(*(_keys(c) for c in place.candidates))
        assert expected <= candidates, f"{row['saisie']!r}: candidates {candidates}"
    elif row["cle"]:
        assert _key(place) == row["cle"], f"{row['saisie']!r} → {got} ({row['note']})"


def test_commune_with_one_contact_set_does_not_need_a_quartier() -> None:
    from knowledge.services.contacts import contacts_for

    assert resolve_place("Loos").meme_contacts_tous_qpv is True
    assert resolve_place("roubaix").meme_contacts_tous_qpv is False
    assert resolve_place("Valenciennes").meme_contacts_tous_qpv is None

    assert contacts_for(resolve_place("Loos")).status == "ok"
    assert contacts_for(resolve_place("Roubaix")).status == "choix"
    assert contacts_for(resolve_place("Lille")).status == "choix"


def test_place_inside_a_sentence() -> None:
    assert find_place("qui contacter à loos ?").commune.insee == "59360"  # type: ignore[union-attr]
    assert find_place("et la région ?").kind == "inconnu"
    place = find_place("le quartier des oliveaux a loos")
    assert place.kind == "qpv" and place.qpv is not None and place.qpv.code == "QN05975M"


def test_outside_place_says_what_is_known() -> None:
    place = resolve_place("Valenciennes")
    assert place.kind == "hors_territoire"
    assert place.territoire is not None and not place.territoire.couvert
    assert "Valenciennes" in place.territoire.nom


def test_hazebrouck_is_its_own_territory() -> None:
    place = resolve_place("hazebrouck")
    assert place.kind == "commune"
    assert place.territoire is not None and place.territoire.id == "HAZEBROUCK"


def test_resolution_is_fast_after_warm_up() -> None:
    import time

    inputs = [row["saisie"] for row in _rows()]
    for text in inputs:
        resolve_place(text)
    timings = []
    for text in inputs * 3:
        start = time.perf_counter()
        resolve_place(text)
        timings.append(time.perf_counter() - start)
    timings.sort()
    assert timings[int(len(timings) * 0.95)] < 0.005  # p95 under 5 ms (scripts/bench_resolve.py prints it)
