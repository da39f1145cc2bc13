"""No raw file name nor bare line number reaches a user (issues 9 and 15, contracts §4).

Walks every response of the domain, the human form of every source stored in the référentiel,
and the payloads the services build for every commune and every passage.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from sqlalchemy import select

from knowledge import models as m
from knowledge.db import read_session
from knowledge.services.contacts_dialogue import ContactsRequest, answer_contacts, answer_mel_contacts
from knowledge.services.referentiel import readable_source

ROOT = Path(__file__).resolve().parents[2]
RAW = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b|\.txt\b|\.csv\b|\bL\d+(?:-\d+)?\b")


def test_no_domain_response_names_a_file() -> None:
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            for variant in variants:
                assert not RAW.search(str(variant.get("text", ""))), (path.name, name)


def test_every_stored_source_has_a_human_form(db_url: str) -> None:
    with read_session(db_url) as session:
        sources = {row for model in (m.Contact, m.ContactMel, m.Ambition, m.Regle, m.Campagne)
                   for row in session.scalars(select(model.source)).all() if row}
    assert len(sources) > 50
    for source in sources:
        human = readable_source(source)
        assert human and not RAW.search(human), (source, human)


def test_contact_payloads_carry_human_source_titles(db_url: str) -> None:
    with read_session(db_url) as session:
        communes = [c.nom for c in session.scalars(select(m.Commune).where(m.Commune.territoire_id == "MEL")).all()]
    for commune in communes:
        reply = answer_contacts(ContactsRequest(text=commune, intent="informer_lieu", lieux=(commune,)))
        for say in reply.says:
            for contact in (say.payload or {}).get("contacts") or []:
                assert contact.get("source_titre") and not RAW.search(contact["source_titre"]), commune
    for theme in ("sport", "culture", "habitat"):
        for say in answer_mel_contacts(theme).says:
            for contact in (say.payload or {}).get("contacts") or []:
                assert not RAW.search(contact["source_titre"])


def test_every_passage_citation_is_a_human_title(db_url: str) -> None:
    with read_session(db_url) as session:
        titles = session.scalars(select(m.Passage.titre)).all()
    assert len(titles) > 100
    for title in titles:
        assert not RAW.search(title), title
