"""Campaigns (calls for projects) from the référentiel, and their calendar."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from knowledge import repositories as repo
from knowledge.db import read_session
from knowledge.services.calendar import Calendar, CampaignInfo, calendar_for

log = logging.getLogger(__name__)


def campaigns(territoire: str = "MEL", url: str | None = None) -> list[CampaignInfo]:
    with read_session(url) as session:
        return [
            CampaignInfo(territoire=c.territoire_id, annee=c.annee or 0, date_limite=c.date_limite,
                         resultats=c.resultats, plateforme=c.plateforme, source=c.source)
            for c in repo.campagnes(session, territoire)
        ]


def calendar(today: date, territoire: str = "MEL", url: str | None = None) -> Calendar | None:
    """The call's status on `today`; None when the référentiel cannot be read."""
    try:
        return calendar_for(campaigns(territoire, url), today, territoire)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour le calendrier")
        return None


def rule_text(code: str, territoire: str = "MEL", url: str | None = None) -> tuple[str, str] | None:
    """(texte, source) of a rule of the latest campaign that states it."""
    with read_session(url) as session:
        for campagne in reversed(repo.campagnes(session, territoire)):
            for regle in repo.regles(session, campagne.id):
                if regle.code == code:
                    return regle.texte, regle.source
    return None
