"""Campaigns (calls for projects) from the référentiel: their rules, and their calendar.

Every year, threshold or list a rule applies is read here from ``knowledge/data/campagnes.yaml``
(table ``regle``, structured ``valeurs``): adding next year's campaign there is enough for the
services to answer with it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from knowledge import repositories as repo
from knowledge.db import read_session
from knowledge.services.calendar import (
    Calendar,
    CampaignInfo,
    calendar_for,
    deadline_message,
    question_kind,
)
from knowledge.services.contacts import contacts_for
from knowledge.services.messages import Message, keyed
from knowledge.services.places import Place, decode, resolve_place
from knowledge.services.referentiel import readable_source

log = logging.getLogger(__name__)

DEFAULT_TERRITORY = "MEL"

MESSAGE_KEYS = (
    "calendrier_territoire_non_precise", "calendrier_hors_territoire", "calendrier_lieu_inconnu",
    "service_indisponible",
)
_msg = keyed(MESSAGE_KEYS)


@dataclass(frozen=True)
class Rule:
    code: str
    texte: str
    source: str
    valeurs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Campaign:
    """One call of a territory with its rules, by code (``siret``, ``budget_detaille``…)."""

    territoire: str
    annee: int | None
    date_limite: date | None
    resultats: str
    plateforme: str
    plateforme_nom: str
    source: str
    rules: Mapping[str, Rule] = field(default_factory=dict)

    def has(self, code: str) -> bool:
        return code in self.rules

    def value(self, code: str, name: str, default: Any = None) -> Any:
        rule = self.rules.get(code)
        return rule.valeurs.get(name, default) if rule is not None else default

    @property
    def annee_precedente(self) -> int | None:
        return self.annee - 1 if self.annee else None


def campaigns(territoire: str = DEFAULT_TERRITORY, url: str | None = None) -> list[CampaignInfo]:
    with read_session(url) as session:
        return [
            CampaignInfo(territoire=c.territoire_id, annee=c.annee or 0, date_limite=c.date_limite,
                         resultats=c.resultats, plateforme=c.plateforme, source=c.source,
                         plateforme_nom=c.plateforme_nom)
            for c in repo.campagnes(session, territoire)
        ]


def campaign(territoire: str = DEFAULT_TERRITORY, annee: int | None = None,
             url: str | None = None) -> Campaign | None:
    """The campaign asked (``annee``), else the latest one of the territory that has a year."""
    with read_session(url) as session:
        rows = [c for c in repo.campagnes(session, territoire) if c.annee is not None]
        if annee is not None:
            rows = [c for c in rows if c.annee == annee]
        if not rows:
            return None
        row = max(rows, key=lambda c: c.annee or 0)
        rules = {r.code: Rule(r.code, r.texte, r.source, dict(r.valeurs or {})) for r in repo.regles(session, row.id)}
    return Campaign(row.territoire_id, row.annee, row.date_limite, row.resultats, row.plateforme,
                    row.plateforme_nom, row.source, rules)


def calendar(today: date, territoire: str = DEFAULT_TERRITORY, url: str | None = None) -> Calendar | None:
    """The call's status on `today`; None when the référentiel cannot be read."""
    try:
        return calendar_for(campaigns(territoire, url), today, territoire)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour le calendrier")
        return None


@dataclass(frozen=True)
class CalendarReply:
    """What to say about the deadline (one message) and the ``calendrier`` card, if any."""

    message: Message
    payload: dict[str, Any] | None = None


def _place(lieu: str | None, lieu_contexte: str | None, lieu_precedent: str | None, url: str | None) -> Place | None:
    if lieu:
        return resolve_place(lieu, url)
    context = decode(lieu_contexte, url) if lieu_contexte else None
    if context is None and lieu_precedent:
        earlier = resolve_place(lieu_precedent, url)
        return earlier if earlier.found or earlier.kind == "hors_territoire" else None
    return context


def _contact_line(place: Place, url: str | None) -> str:
    answer = contacts_for(place, url=url)
    people = [c for c in answer.contacts if c.statut == "en_poste" and (c.email or c.telephone)]
    return " ; ".join(", ".join(p for p in (c.nom, c.structure, c.email, c.telephone) if p) for c in people)


def answer_calendar(question: str, today: date, *, lieu: str | None = None, lieu_contexte: str | None = None,
                    lieu_precedent: str | None = None, resultats: bool = False,
                    url: str | None = None) -> CalendarReply:
    """The deadline (or results) answer for the territory of the place asked or discussed.

    ``lieu``: the place named in the message; ``lieu_contexte``: the encoded place the conversation
    is about (``commune:59295``); ``lieu_precedent``: a place named earlier (used when it resolves).

    The MEL's calendar never answers for another territory: Hazebrouck's contract gives no call
    deadline, so the answer says so with the contact the sources give; another contract gets
    its name and the préfecture.
    """
    try:
        place = _place(lieu, lieu_contexte, lieu_precedent, url)
        if place is not None and place.kind == "inconnu" and lieu:
            return CalendarReply(_msg("calendrier_lieu_inconnu", saisie=place.saisie))
        territoire = DEFAULT_TERRITORY
        if place is not None and place.found and place.territoire is not None:
            territoire = place.territoire.id
        if place is not None and place.kind == "hors_territoire":
            contrat = place.territoire.nom if place.territoire else ""
            return CalendarReply(_msg("calendrier_hors_territoire", lieu=place.label, contrat=contrat,
                                      contact=_contact_line(place, url)))
        cal = calendar_for(campaigns(territoire, url), today, territoire)
        if cal.date_limite is None and territoire != DEFAULT_TERRITORY and place is not None:
            nom = place.territoire.nom if place.territoire else territoire
            return CalendarReply(_msg("calendrier_territoire_non_precise", lieu=place.label, territoire=nom,
                                      contact=_contact_line(place, url),
                                      source=readable_source(cal.source or "")))
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour le calendrier")
        return CalendarReply(_msg("service_indisponible"))
    kind = "resultats" if resultats else question_kind(question)
    message = deadline_message(cal, today, kind, source=readable_source(cal.source or ""))
    return CalendarReply(message, cal.to_payload() if cal.date_limite is not None else None)


def campaign_values(territoire: str = DEFAULT_TERRITORY, url: str | None = None) -> dict[str, Any]:
    """The variables of the answers that depend on the latest call: its year, the previous one, the
    budget threshold, the contract's signature date, how many operational objectives a report gives.
    Nothing of a year is written in the domain."""
    from babel.numbers import format_decimal

    from knowledge.services.calendar import format_date_fr

    try:
        current = campaign(territoire, url=url)
        with read_session(url) as session:
            contract = next((t for t in repo.territoires(session) if t.id == territoire), None)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour campaign_values")
        return {}
    seuil = current.value("budget_detaille", "seuil") if current else None
    objectifs = [current.value("bilan_objectifs_operationnels", k) if current else None for k in ("min", "max")]
    return {
        "annee": current.annee if current else "",
        "annee_precedente": current.annee_precedente if current else "",
        "seuil_budget": format_decimal(float(seuil), format="#,##0", locale="fr_FR") if seuil is not None else "",
        "date_signature_cvs": format_date_fr(contract.date_signature) if contract and contract.date_signature else "",
        "objectifs_min": objectifs[0] if objectifs[0] is not None else "",
        "objectifs_max": objectifs[1] if objectifs[1] is not None else "",
    }
