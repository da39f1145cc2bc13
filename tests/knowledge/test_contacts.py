"""2026 city contacts and délégués du préfet against annexe 1 of the 2026 call.

One row of tests/knowledge/data/contacts_2026_attendus.csv is one expectation,
written from the source independently of knowledge/data/.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knowledge.services.contacts import contacts_for, contacts_for_scope, mel_contacts
from knowledge.services.places import resolve_place

TABLE = Path(__file__).parent / "data" / "contacts_2026_attendus.csv"


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _id(row: dict[str, str]) -> str:
    return f"{row['commune']}-{row['code_qp']}-{row['quartier_id'] or '*'}-{row['role']}-{row['nom'] or 'vacant'}"


@pytest.mark.parametrize("row", _rows(), ids=_id)
def test_2026_contact_matches_the_call(row: dict[str, str]) -> None:
    answer = contacts_for_scope(row["insee"], row["code_qp"], row["quartier_id"] or None, campagne=2026,
                                role=row["role"])
    assert answer.status == "ok", f"{_id(row)}: {answer.status} {[o.nom for o in answer.options]}"
    assert answer.campagne == 2026
    if row["statut"] == "vacant":
        assert any(c.statut == "vacant" for c in answer.contacts), [c.nom for c in answer.contacts]
        return
    names = {c.nom: c for c in answer.contacts}
    assert row["nom"] in names, f"{row['nom']} absent: {list(names)}"
    assert names[row["nom"]].email.lower() == row["email"].lower()


def test_every_qpv_and_commune_of_annexe_1_is_covered(db_url: str) -> None:
    from sqlalchemy import select

    from knowledge import models as m
    from knowledge.db import read_session

    rows = _rows()
    assert len({r["code_qp"] for r in rows}) == 26
    with read_session(db_url) as session:
        named = session.scalars(select(m.Commune).join(m.CommuneCampagne, m.CommuneCampagne.insee == m.Commune.insee)
                                .where(m.CommuneCampagne.annee == 2026)).all()
        # The call's 19 communes; Hellemmes (associated commune) is answered as Lille (59350).
        assert len(named) == 19
        assert {c.associee_de or c.insee for c in named} == {r["insee"] for r in rows}


def test_latest_campaign_is_the_default_and_2025_stays_available() -> None:
    loos = resolve_place("Loos")
    latest = contacts_for(loos)
    assert latest.campagne == 2026
    old = contacts_for(loos, campagne=2025)
    assert old.campagne == 2025
    assert {c.nom for c in old.contacts} != {c.nom for c in latest.contacts}  # contacts changed in Loos


def test_order_is_city_then_prefect_then_region() -> None:
    answer = contacts_for(resolve_place("Wattignies"))
    roles = [c.role for c in answer.contacts]
    assert roles == sorted(roles, key=["ville", "delegue_prefet", "region", "mel", "prefecture", "autre"].index)
    assert roles[0] == "ville" and "region" in roles


def test_vacancy_is_a_fact() -> None:
    answer = contacts_for(resolve_place("Wattignies"), role="delegue_prefet")
    assert answer.contacts and all(c.statut == "vacant" for c in answer.contacts)


def test_intercommunal_qpv_asks_for_the_commune() -> None:
    answer = contacts_for(resolve_place("Hautchamps"))
    assert answer.status == "choix" and answer.choix_sur == "commune"
    assert {o.commune.nom for o in answer.options if o.commune} >= {"Hem", "Roubaix"}


def test_lille_neighbourhood_gets_its_own_contact() -> None:
    answer = contacts_for(resolve_place("Wazemmes"), role="ville")
    assert [c.nom for c in answer.contacts] == ["Hervé Verkest"]


def test_payload_follows_the_contract() -> None:
    payload = contacts_for(resolve_place("Loos")).to_payload()
    assert payload["type"] == "contacts" and payload["campagne"] == 2026 and payload["territoire"] == "MEL"
    assert payload["commune"] == {"nom": "Loos", "insee": "59360"}
    first = payload["contacts"][0]
    assert {"role", "nom", "email", "telephone", "structure", "statut", "source"} <= set(first)
    assert first["source"].startswith("002_d8b0c87053850c6b.txt")


def test_mel_thematic_contacts() -> None:
    answer = mel_contacts("sport")
    assert answer.status == "ok" and answer.campagne == 2026
    assert {c.nom for c in answer.contacts} >= {"Baptiste Debruyne"}
    assert all(c.email.endswith("@lillemetropole.fr") for c in answer.contacts if c.email)
    assert any(c.email_derive for c in answer.contacts)
    assert mel_contacts("").status == "themes"
