"""Build the référentiel database from `knowledge/data/`.

Idempotent and atomic: the tables are created if missing, emptied and refilled
in one transaction, so running it twice gives the same database and a failed
run leaves the previous one untouched.

    python -m knowledge.loader            # DATABASE_URL or var/referentiel.db
"""

from __future__ import annotations

import csv
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete

from knowledge import models as m
from knowledge.config import get_settings
from knowledge.db import get_engine

log = logging.getLogger(__name__)


class DataError(ValueError):
    """A source file cannot be loaded; the message names the file and row."""


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with their line number, cells stripped."""
    with path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle), start=2):
            yield index, {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def yes(value: str) -> bool:
    return value.strip().lower() in {"oui", "yes", "true", "1"}


def yes_no_unknown(value: str) -> bool | None:
    value = value.strip().lower()
    if value in {"oui", "non"}:
        return value == "oui"
    return None


def iso_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def none_if_empty(value: str) -> str | None:
    return value or None


@dataclass
class LoadReport:
    counts: dict[str, int]
    seconds: float


def _rows(data_dir: Path) -> dict[type[m.Base], list[dict[str, Any]]]:
    """Read every source file into plain row dicts, per model."""
    out: dict[type[m.Base], list[dict[str, Any]]] = {}

    out[m.Territoire] = [
        {
            "id": r["id"], "nom": r["nom"], "porteur": r.get("porteur", ""),
            "siren_epci": r.get("siren_epci", ""), "date_signature": iso_date(r.get("date_signature")),
            "couvert": yes(r.get("couvert", "")), "note": r.get("note", ""), "source": r["source"],
        }
        for _, r in read_csv(data_dir / "territoires.csv")
    ]
    communes = [
        {
            "insee": r["insee"], "nom": r["nom"], "aliases": r.get("aliases", ""),
            "territoire_id": r["territoire_id"], "associee_de": none_if_empty(r.get("associee_de", "")),
            "appel_2025": yes(r.get("appel_2025", "")), "appel_2026": yes(r.get("appel_2026", "")),
            "note": r.get("note", ""), "source": r["source"],
        }
        for _, r in read_csv(data_dir / "communes.csv")
    ]
    # Parents before associated communes (self foreign key).
    out[m.Commune] = sorted(communes, key=lambda c: c["associee_de"] is not None)
    out[m.Qpv] = [
        {
            "code": r["code"], "nom_officiel": r["nom_officiel"], "nom_appel": r.get("nom_appel") or r["nom_officiel"],
            "territoire_id": r["territoire_id"],
            "population": int(r["population"]) if r.get("population") else None,
            "npnru": yes_no_unknown(r.get("npnru", "")), "aliases": r.get("aliases", ""),
            "note": r.get("note", ""), "source": r["source"],
        }
        for _, r in read_csv(data_dir / "qpv.csv")
    ]
    out[m.QpvCommune] = [
        {"code_qp": r["code_qp"], "insee": r["insee"], "source": r["source"]}
        for _, r in read_csv(data_dir / "qpv_communes.csv")
    ]
    out[m.Quartier] = [
        {
            "id": r["id"], "nom": r["nom"], "aliases": r.get("aliases", ""), "commune_insee": r["commune_insee"],
            "code_qp": r["code_qp"], "note": r.get("note", ""), "source": r["source"],
        }
        for _, r in read_csv(data_dir / "quartiers.csv")
    ]
    out[m.Contact] = [
        {
            "rang": line, "campagne": int(r["campagne"]), "territoire_id": r["territoire_id"], "role": r["role"],
            "nom": r.get("nom", ""), "email": r.get("email", ""), "telephone": r.get("telephone", ""),
            "structure": r.get("structure", ""), "statut": r.get("statut") or "en_poste",
            "insee": none_if_empty(r.get("insee", "")), "code_qp": none_if_empty(r.get("code_qp", "")),
            "quartier_id": none_if_empty(r.get("quartier_id", "")),
            "email_douteux": yes(r.get("email_douteux", "")), "email_confirme": r.get("email_confirme", ""),
            "email_derive": yes(r.get("email_derive", "")), "note": r.get("note", ""), "source": r.get("source", ""),
        }
        for line, r in read_csv(data_dir / "contacts.csv")
    ]
    out[m.ContactMel] = [
        {
            "rang": line, "campagne": int(r["campagne"]), "theme": r["theme"], "themes_cles": r.get("themes_cles", ""),
            "nom": r.get("nom", ""), "email": r.get("email", ""), "email_derive": yes(r.get("email_derive", "")),
            "note": r.get("note", ""), "source": r.get("source", ""),
        }
        for line, r in read_csv(data_dir / "contacts_mel.csv")
    ]

    campagnes: list[dict[str, Any]] = []
    regles: list[dict[str, Any]] = []
    for number, c in enumerate(read_yaml(data_dir / "campagnes.yaml")["campagnes"], start=1):
        campagnes.append({
            "id": number, "territoire_id": c["territoire"], "annee": c.get("annee"),
            "intitule": c.get("intitule") or "", "date_limite": iso_date(c.get("date_limite")),
            "resultats": c.get("resultats") or "", "plateforme": c.get("plateforme") or "",
            "plateforme_nom": c.get("plateforme_nom") or "", "source": c["source"],
        })
        for regle in c.get("regles") or []:
            regles.append({"campagne_id": number, "code": regle["id"], "texte": regle["texte"],
                           "source": regle.get("source", "")})
    out[m.Campagne] = campagnes
    out[m.Regle] = regles

    ambitions = read_yaml(data_dir / "ambitions.yaml")
    out[m.Enjeu] = [
        {"id": int(e["id"]), "libelle": e["libelle"], "source": e["source"]} for e in ambitions["enjeux"]
    ]
    out[m.Ambition] = [
        {"id": str(a["id"]), "enjeu_id": int(a["enjeu"]), "libelle": a["libelle"], "texte": a["texte"],
         "source": a["source"]}
        for a in ambitions["ambitions"]
    ]
    return out


def load(url: str | None = None, data_dir: Path | None = None) -> LoadReport:
    """(Re)build the database at `url` from the files in `data_dir`."""
    started = time.perf_counter()
    data_dir = data_dir or get_settings().data_dir
    try:
        rows = _rows(data_dir)
    except (KeyError, ValueError, OSError, yaml.YAMLError) as exc:
        raise DataError(f"{data_dir}: {exc!r}") from exc
    engine = get_engine(url)
    m.Base.metadata.create_all(engine)
    with engine.begin() as connection:
        for model in reversed(m.ALL_TABLES):
            connection.execute(delete(model))
        for model in m.ALL_TABLES:
            if rows[model]:
                connection.execute(model.__table__.insert(), rows[model])  # type: ignore[attr-defined]
    # Caches built from the previous content are now stale.
    from knowledge.services import places

    places.clear_cache()
    counts = {model.__tablename__: len(rows[model]) for model in m.ALL_TABLES}
    return LoadReport(counts=counts, seconds=time.perf_counter() - started)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    url = get_settings().database_url
    print(f"Chargement du référentiel dans {url.split('@')[-1]} …", flush=True)
    try:
        report = load(url)
    except DataError as exc:
        print(f"ERREUR: les données ne se chargent pas: {exc}", file=sys.stderr)
        return 1
    for table, count in report.counts.items():
        print(f"  {table:<12} {count:>5} lignes")
    print(f"Référentiel chargé en {report.seconds:.2f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
