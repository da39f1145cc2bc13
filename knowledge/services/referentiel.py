"""Read-only look-ups of reference texts (ambitions, enjeux)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from knowledge import repositories as repo
from knowledge.db import read_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AmbitionDetail:
    id: str
    enjeu: int
    enjeu_libelle: str
    libelle: str
    texte: str
    source: str


def ambition_detail(ambition_id: object, url: str | None = None) -> AmbitionDetail | None:
    """The full wording of an ambition ("1.2"), or None if unknown."""
    if not isinstance(ambition_id, str) or len(ambition_id) > 5:
        return None
    key = ambition_id.strip().replace(",", ".")
    try:
        with read_session(url) as session:
            enjeux = {e.id: e.libelle for e in repo.enjeux(session)}
            for a in repo.ambitions(session):
                if a.id == key:
                    return AmbitionDetail(a.id, a.enjeu_id, enjeux.get(a.enjeu_id, ""), a.libelle, a.texte, a.source)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour ambition_detail")
    return None
