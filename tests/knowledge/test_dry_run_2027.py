"""The yearly dry run (issue 13, item 3): next year's call is data only.

A synthetic 2027 campaign is added to a copy of ``knowledge/data/`` the way the README's update
procedure says (a campaign entry with its rules, the contacts of annexe 1, the MEL referents, the
communes of the call, the document's title): dates moved, the budget threshold changed and the city
contact of Loos replaced. The real loader builds a fresh SQLite database from that copy, and the
services answer with 2027 everywhere (contacts, deadline, check, fiche) without any code change.
"""

from __future__ import annotations

import copy
import csv
import io
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.config import DATA_DIR, get_settings
from knowledge.loader import load
from knowledge.services import referentiel
from knowledge.services.campaigns import answer_calendar, campaign
from knowledge.services.contacts import contacts_for
from knowledge.services.eligibility import FormAnswers, check, rules_of
from knowledge.services.messages import Message, domain_templates, render
from knowledge.services.places import resolve_place

DOMAIN = Path(__file__).parents[2] / "bot" / "domain"
TEMPLATE = domain_templates({"responses": {k: v for p in DOMAIN.glob("*.yml")
                                           for k, v in (yaml.safe_load(p.read_text()).get("responses") or {}).items()}})
SOURCE_2027 = "009_appel_2027_synthetique.txt"
NEW_LOOS = ("Camille Nouvelle", "cnouvelle@ville-loos.fr")
OLD_LOOS = "cdemartin@ville-loos.fr"


def french(message: Message) -> str:
    text = render(message, TEMPLATE)
    assert text and "{" not in text, message
    return text


def _rewrite_csv(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Apply `change(rows) -> rows` to a CSV file, keeping its columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(change(rows))
    path.write_text(out.getvalue(), encoding="utf-8")


def _add_2027(data: Path) -> None:
    """What a person writes after reading the 2027 call (README, "Updating the référentiel")."""
    doc = yaml.safe_load((data / "campagnes.yaml").read_text(encoding="utf-8"))
    mel_2026 = next(c for c in doc["campagnes"] if c["territoire"] == "MEL" and c["annee"] == 2026)
    new = copy.deepcopy(mel_2026)
    new.update(annee=2027, date_limite=date(2026, 10, 9), resultats="fin du premier trimestre 2027",
               intitule=mel_2026["intitule"].replace("2026", "2027"), source=f"{SOURCE_2027}, introduction")
    for rule in new["regles"]:
        rule["source"] = rule["source"].replace("002_d8b0c87053850c6b.txt", SOURCE_2027)
        if rule["id"] == "budget_detaille":
            rule["valeurs"] = {"seuil": 20000}
            rule["texte"] = rule["texte"].replace("15 000", "20 000")
    doc["campagnes"].insert(0, new)
    (data / "campagnes.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def contacts(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        added = []
        for row in rows:
            if row["campagne"] != "2026":
                continue
            row = {**row, "campagne": "2027", "source": row["source"].replace("002_d8b0c87053850c6b.txt", SOURCE_2027)}
            if row["email"] == OLD_LOOS:
                row.update(nom=NEW_LOOS[0], email=NEW_LOOS[1], note="")
            added.append(row)
        return rows + added

    _rewrite_csv(data / "contacts.csv", contacts)
    _rewrite_csv(data / "contacts_mel.csv", lambda rows: rows + [
        {**r, "campagne": "2027"} for r in rows if r["campagne"] == "2026"])
    _rewrite_csv(data / "communes.csv", lambda rows: [
        {**r, "campagnes": r["campagnes"] + "|2027"} if "2026" in r["campagnes"].split("|") else r for r in rows])

    def documents(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        appel = next(r for r in rows if r["fichier"] == "002_d8b0c87053850c6b.txt")
        return rows + [{**appel, "fichier": SOURCE_2027, "id": "appel-2027", "campagne": "2027",
                        "titre": "appel à projets 2027 de la MEL (programmation 2027)",
                        "titre_court": "Appel à projets 2027 de la MEL"}]

    _rewrite_csv(data / "documents.csv", documents)


@pytest.fixture(scope="module")
def url_2027(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("dry-run-2027")
    data = root / "data"
    shutil.copytree(DATA_DIR, data)
    _add_2027(data)
    url = f"sqlite:///{root / 'referentiel-2027.db'}"
    report = load(url, data)
    assert report.counts["campagne"] >= 4
    # Titles of the sources are read from the data directory too (the 2027 call's title).
    patcher = pytest.MonkeyPatch()
    patcher.setenv("REFERENTIEL_DATA_DIR", str(data))
    get_settings.cache_clear()
    referentiel._document_titles.cache_clear()
    yield url
    patcher.undo()
    get_settings.cache_clear()
    referentiel._document_titles.cache_clear()


def test_the_latest_campaign_is_2027_with_its_threshold(url_2027: str) -> None:
    current = campaign(url=url_2027)
    assert current is not None and current.annee == 2027
    rules = rules_of(current)
    assert rules.seuil_budget == 20000 and rules.annee_precedente == 2026


def test_contacts_are_the_2027_ones(url_2027: str) -> None:
    answer = contacts_for(resolve_place("Loos", url_2027), url=url_2027)
    assert answer.status == "ok" and answer.campagne == 2027
    emails = {c.email for c in answer.contacts}
    assert NEW_LOOS[1] in emails and OLD_LOOS not in emails
    assert answer.to_payload()["campagne"] == 2027


def test_deadline_is_the_2027_one(url_2027: str) -> None:
    reply = answer_calendar("c'est quand la date limite ?", date(2026, 9, 20), url=url_2027)
    assert reply.payload is not None
    assert (reply.payload["campagne"], reply.payload["date_limite"], reply.payload["jours_restants"]) == (
        2027, "2026-10-09", 19)
    said = french(reply.message)
    assert "appel à projets 2027" in said.lower() and "9 octobre 2026" in said and "premier trimestre 2027" in said
    assert "Appel à projets 2027 de la MEL" in said or "appel à projets 2027 de la MEL" in said
    assert ".txt" not in said
    last_day = answer_calendar("aujourd'hui c'est le dernier jour ?", date(2026, 10, 9), url=url_2027)
    assert last_day.message.key == "calendrier_dernier_jour" and last_day.message.values["annee"] == 2027


FORM = FormAnswers(structure="association", siret="73282932000074", lieu="Loos",
                   description="des ateliers vélo pour les mamans du quartier", egalite="oui",
                   engagement_republicain="oui", droit_commun="oui", partenariats="oui", indicateurs="oui",
                   finance_precedente="oui", cpo="oui", montant="18000", metropolitain="non")


def test_check_and_fiche_say_2027(url_2027: str) -> None:
    result = check(FORM, date(2026, 9, 20), url=url_2027)
    assert result is not None and result.fiche is not None
    assert result.verdict.campagne == 2027
    # 18 000 € is above the 2026 threshold, not above the 2027 one.
    assert [o.id for o in result.verdict.obligations] == ["bilan", "cpo"]
    obligations = " ".join(french(o.message) for o in result.verdict.obligations)
    assert "bilan intermédiaire 2026" in obligations and "pour 2027" in obligations
    assert NEW_LOOS[1] in {e for _, e in result.destinataires}
    fiche = result.fiche.render(TEMPLATE)
    assert "programmation 2027" in fiche.texte and "9 octobre 2026" in fiche.texte
    assert fiche.sujet.startswith("Pré-dépôt CVS 2027")
    assert NEW_LOOS[1] in fiche.mailto and OLD_LOOS not in fiche.mailto
    above = check(replace(FORM, montant="25000"), date(2026, 9, 20), url=url_2027)
    assert above is not None and "budget_detaille" in [o.id for o in above.verdict.obligations]
    assert "20" in french(next(o.message for o in above.verdict.obligations if o.id == "budget_detaille"))


def test_the_real_referentiel_is_untouched(url_2027: str, db_url: str) -> None:
    current = campaign(url=db_url)
    assert current is not None and current.annee == 2026
