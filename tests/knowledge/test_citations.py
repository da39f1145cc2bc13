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
LEFTOVER = re.compile(r"\bet\s*(?:$|[;,(])|\(\s*\)|\s{2}|\s,|\(\s")
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
        # What is left around removed line numbers reads as French: no « et » with nothing after it,
        # no empty parentheses, no doubled space or space before a comma.
        assert not LEFTOVER.search(human), (source, human)


def test_a_list_of_lines_goes_as_a_whole() -> None:
    hazebrouck = readable_source("003_791f1140564a3612.txt, L2237-2240 et L2403-2406 (circulaires du préfet annexées)")
    assert hazebrouck == ("contrat de ville 2024-2030 d'Hazebrouck (Cœur de Flandre agglo) "
                          "(circulaires du préfet annexées)")
    two = readable_source("002_d8b0c87053850c6b.txt, introduction (L34) ; 001_dcf96bdd28db9db6.txt, L54 et L185")
    assert two == ("appel à projets 2026 de la MEL (programmation 2026), introduction ; dossier de presse de "
                   "signature du Contrat de ville et des solidarités (7 mai 2024)")


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
