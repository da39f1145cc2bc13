"""Read-only look-ups of reference texts (ambitions, enjeux)."""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.exc import SQLAlchemyError

from knowledge import repositories as repo
from knowledge.config import get_settings
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


@lru_cache(maxsize=1)
def _document_titles() -> dict[str, str]:
    path = get_settings().data_dir / "documents.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["fichier"]: row["titre"] for row in csv.DictReader(handle)}


_LINES = re.compile(r",?\s*\bL\d+(?:-\d+)?(?:\s*(?:/|,|\bet\b)\s*L?\d+(?:-\d+)?)*\b")


def readable_source(source: str) -> str:
    """"002_d8b0….txt, annexe 1 (Secteur Sud, L93-95)" → "appel à projets N de la MEL, annexe 1 (Secteur Sud)".

    The payloads keep the exact source (file and lines); the French text names the document. A list of
    lines (« L54 et L185 ») goes as a whole, with the comma or parentheses left around it.
    """
    titles = _document_titles()
    out = source
    for fichier, titre in titles.items():
        out = out.replace(fichier, titre)
    out = _LINES.sub("", out)
    out = re.sub(r"\(\s*\)", "", out)
    out = re.sub(r"\s+", " ", out)
    out = re.sub(r"\s+([,)])", r"\1", out)
    out = re.sub(r"\s*;\s*", " ; ", out)
    out = re.sub(r"\(\s+", "(", out)
    out = re.sub(r",\s*\(", " (", out)
    out = re.sub(r"\s+et\s*(?=[;,]|$)", "", out)
    out = re.sub(r"\s+et\s+\(", " (", out)
    return out.strip(" ,;")
