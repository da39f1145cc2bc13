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
from sqlalchemy import Engine, delete, inspect

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


def split_years(value: str) -> list[int]:
    """`2025|2026` → [2025, 2026] (the calls whose list of communes names a commune)."""
    return [int(part) for part in value.split("|") if part.strip()]


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
            "date_signature_statut": r.get("date_signature_statut", ""),
            "couvert": yes(r.get("couvert", "")), "note": r.get("note", ""), "source": r["source"],
        }
        for _, r in read_csv(data_dir / "territoires.csv")
    ]
    communes = [
        {
            "insee": r["insee"], "nom": r["nom"], "aliases": r.get("aliases", ""),
            "territoire_id": r["territoire_id"], "associee_de": none_if_empty(r.get("associee_de", "")),
            "note": r.get("note", ""), "source": r["source"],
        }
        for _, r in read_csv(data_dir / "communes.csv")
    ]
    # The calls whose list of communes names each commune (`campagnes`: "2025|2026").
    out[m.CommuneCampagne] = [
        {"insee": r["insee"], "annee": year}
        for _, r in read_csv(data_dir / "communes.csv") for year in split_years(r.get("campagnes", ""))
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
                           "valeurs": regle.get("valeurs") or {}, "source": regle.get("source", "")})
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
    out.update(_geo_rows(data_dir))
    out.update(_document_rows(data_dir))
    out.update(_general_rows(data_dir))
    return out


def _general_rows(data_dir: Path) -> dict[type[m.Base], list[dict[str, Any]]]:
    """General MEL / préfecture contacts and the facts of each contract (watch zones, local strategies)."""
    contacts = [
        {
            "rang": line, "portee": r["portee"], "role": r["role"], "usage": r["usage"], "nom": r.get("nom", ""),
            "fonction": r.get("fonction", ""), "email": r.get("email", ""), "telephone": r.get("telephone", ""),
            "structure": r.get("structure", ""), "note": r.get("note", ""), "source": r["source"],
        }
        for line, r in read_csv(data_dir / "contacts_generaux.csv")
    ]
    faits = [
        {"territoire_id": contrat["territoire"], "code": fait["id"], "texte": fait["texte"],
         "valeurs": fait.get("valeurs") or {}, "source": fait["source"]}
        for contrat in read_yaml(data_dir / "contrats.yaml")["contrats"]
        for fait in contrat.get("faits") or []
    ]
    return {m.ContactGeneral: contacts, m.FaitContrat: faits}


def _geo_rows(data_dir: Path) -> dict[type[m.Base], list[dict[str, Any]]]:
    """QPV contours and administrative outlines (GeoJSON text), with the margin of `qpv_geo.yaml`."""
    import json

    geo = read_yaml(data_dir / "qpv_geo.yaml")
    marge, par_qpv = float(geo["marge_a_verifier_m"]), geo.get("marges_par_qpv") or {}
    with (data_dir / geo["contours"]["fichier"]).open(encoding="utf-8") as handle:
        contours = json.load(handle)["features"]
    with (data_dir / geo["limites"]["fichier"]).open(encoding="utf-8") as handle:
        limites = json.load(handle)["features"]
    return {
        m.QpvContour: [
            {"code_qp": f["properties"]["code_qp"], "geojson": json.dumps(f["geometry"], separators=(",", ":")),
             "marge_m": float(par_qpv.get(f["properties"]["code_qp"], marge)), "source": geo["contours"]["source"]}
            for f in contours
        ],
        m.LimiteContour: [
            {"id": f["properties"]["id"], "nom": f["properties"]["nom"],
             "geojson": json.dumps(f["geometry"], separators=(",", ":")),
             "tolerance_m": float(geo["limites"]["tolerance_m"]), "source": f["properties"]["source"]}
            for f in limites
        ],
    }


QUESTIONS_CSV = "passages_questions.csv"


def line_range(text: str) -> tuple[int, int] | None:
    """« 12-15 » or « 12 » → (12, 15) / (12, 12); None when malformed (`make check-data` reports it)."""
    first, _, last = (text or "").strip().partition("-")
    if not first.isdigit() or not (last or first).isdigit():
        return None
    return int(first), int(last or first)


def _document_rows(data_dir: Path) -> dict[type[m.Base], list[dict[str, Any]]]:
    """The official documents of `documents.csv` and their passages (split by `services.passages`)."""
    from knowledge.services.passages import document_passages

    documents: list[dict[str, Any]] = []
    passages: list[dict[str, Any]] = []
    for doc, drafts in document_passages(data_dir):
        documents.append({
            "id": doc.id, "fichier": doc.fichier, "titre": doc.titre, "titre_court": doc.titre_court,
            "territoire": doc.territoire, "portee": "|".join(doc.portee), "campagne": doc.campagne,
            "url": doc.url, "chemin": doc.chemin, "source": doc.source,
        })
        passages.extend(
            {
                "document_id": doc.id, "rang": p.rang, "section": p.section, "titre": p.titre,
                "ligne_debut": p.ligne_debut, "ligne_fin": p.ligne_fin, "texte": p.texte, "contexte": p.contexte,
                "genre": p.genre, "source": f"{doc.fichier}, {p.section}, L{p.ligne_debut}-{p.ligne_fin}",
            }
            for p in drafts
        )
    known = {d["id"] for d in documents}
    questions: list[dict[str, Any]] = []
    path = data_dir / QUESTIONS_CSV
    if path.exists():
        for line, row in read_csv(path):
            if row["document"] not in known:
                raise ValueError(f"{QUESTIONS_CSV} ligne {line} : document inconnu {row['document']!r}")
            lines = line_range(row["lignes"])
            if lines is None:
                raise ValueError(f"{QUESTIONS_CSV} ligne {line} : lignes mal formées {row['lignes']!r}")
            questions.append({"document_id": row["document"], "ligne_debut": lines[0],
                              "ligne_fin": lines[1], "question": row["question"].strip(),
                              "origine": row.get("origine", "").strip()})
    return {m.Document: documents, m.Passage: passages, m.PassageQuestion: questions}


def _schema_changed(engine: Engine) -> bool:
    existing = inspect(engine)
    for table in m.Base.metadata.sorted_tables:
        if existing.has_table(table.name) and \
                {c["name"] for c in existing.get_columns(table.name)} != set(table.columns.keys()):
            return True
    return False


def load(url: str | None = None, data_dir: Path | None = None) -> LoadReport:
    """(Re)build the database at `url` from the files in `data_dir`."""
    started = time.perf_counter()
    data_dir = data_dir or get_settings().data_dir
    try:
        rows = _rows(data_dir)
    except (KeyError, ValueError, OSError, yaml.YAMLError) as exc:
        raise DataError(f"{data_dir}: {exc!r}") from exc
    engine = get_engine(url)
    if _schema_changed(engine):
        # A database built by an older version (a column added or removed): rebuild its tables.
        m.Base.metadata.drop_all(engine)
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
    from knowledge.services import geo

    geo.clear_cache()
    from knowledge.services import passages

    passages.clear_cache()
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
    # The passage search's sentence vectors: only texts never embedded before are computed (all of them
    # on a new machine, about 2.5 minutes), then kept in var/cache for every later start.
    from knowledge.services import passages

    started = time.perf_counter()
    tty = sys.stdout.isatty()
    shown: dict[int, int] = {}  # quarters already printed, per batch of texts

    def progress(done: int, total: int) -> None:
        if tty:  # one line rewritten in a terminal, a line per quarter in a log
            print(f"\r  vecteurs des textes nouveaux : {done}/{total}", end="" if done < total else "\n", flush=True)
        elif done * 4 // total > shown.get(total, 0):
            shown[total] = done * 4 // total
            print(f"  vecteurs des textes nouveaux : {done}/{total}", flush=True)

    counts = passages.prepare_vectors(url, progress=progress)
    if counts is None:
        print("Vecteurs des passages indisponibles : la recherche reste lexicale.")
    else:
        print(f"Vecteurs de la recherche prêts en {time.perf_counter() - started:.1f} s "
              f"({counts[0]} passages, {counts[1]} questions écrites).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
