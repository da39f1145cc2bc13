"""`make check-data`: report invalid or doubtful reference data.

Errors (exit 1): an invalid e-mail, a row without source, a QPV code that is
not official, a MEL QPV part without a city contact or without a délégué du
préfet entry (a vacancy counts) in a campaign, a dangling reference.
Warnings: one person with several e-mails (both forms and their sources), an
e-mail flagged doubtful, an e-mail derived from the MEL rule.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.config import ROOT, get_settings
from knowledge.loader import read_csv, read_yaml
from knowledge.text import fold

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
QPV_CODE = re.compile(r"^QN\d{3}\d{2}[A-Z]$|^QN\d{5}[A-Z]$")
OFFICIAL_CSV = ROOT.parent / "shared" / "data" / "qpv2024_nord.csv"
ROLES = {"ville", "delegue_prefet", "region", "mel", "prefecture", "autre"}


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def _where(file: str, line: int) -> str:
    return f"{file}:{line}"


def check(data_dir: Path | None = None, official_csv: Path | None = OFFICIAL_CSV) -> Report:
    data_dir = data_dir or get_settings().data_dir
    report = Report()
    tables: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for name in ("territoires", "communes", "qpv", "qpv_communes", "quartiers", "contacts", "contacts_mel"):
        tables[name] = list(read_csv(data_dir / f"{name}.csv"))
        for line, row in tables[name]:
            if not row.get("source"):
                report.error(f"{_where(name + '.csv', line)} : ligne sans source (provenance).")

    territoires = {row["id"] for _, row in tables["territoires"]}
    communes = {row["insee"]: row for _, row in tables["communes"]}
    qpvs = {row["code"]: row for _, row in tables["qpv"]}
    quartiers = {row["id"]: row for _, row in tables["quartiers"]}

    for line, row in tables["communes"]:
        if row["territoire_id"] not in territoires:
            report.error(f"{_where('communes.csv', line)} : territoire inconnu {row['territoire_id']!r}.")
    for line, row in tables["qpv"]:
        if not QPV_CODE.match(row["code"]):
            report.error(f"{_where('qpv.csv', line)} : code QPV mal formé {row['code']!r}.")
    _check_official(report, qpvs, official_csv)
    for line, row in tables["qpv_communes"]:
        if row["code_qp"] not in qpvs or row["insee"] not in communes:
            report.error(f"{_where('qpv_communes.csv', line)} : paire inconnue {row['code_qp']} / {row['insee']}.")
    for line, row in tables["quartiers"]:
        if row["code_qp"] not in qpvs:
            report.error(f"{_where('quartiers.csv', line)} : le quartier {row['nom']!r} renvoie au QPV "
                         f"{row['code_qp']!r}, qui n'est pas un code officiel.")
        if row["commune_insee"] not in communes:
            report.error(f"{_where('quartiers.csv', line)} : commune inconnue {row['commune_insee']!r}.")

    _check_contacts(report, tables["contacts"], communes, qpvs, quartiers, territoires)
    _check_emails_per_person(report, tables["contacts"], tables["contacts_mel"])
    _check_coverage(report, tables["contacts"], tables["qpv_communes"], qpvs, communes)
    _check_campaigns(report, data_dir)
    return report


def _check_official(report: Report, qpvs: dict[str, dict[str, str]], official_csv: Path | None) -> None:
    """Codes and names against the ANCT file, when shared/ is beside the checkout."""
    if official_csv is None or not official_csv.exists():
        report.infos.append("Liste officielle ANCT absente (../shared/data) : codes vérifiés sur leur seule forme.")
        return
    official: dict[str, str] = {}
    with official_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            official[row["codeQPV"].strip()] = row["lib_qp"].strip()
    for code, row in qpvs.items():
        if code not in official:
            report.error(f"qpv.csv : {row.get('nom_appel') or row['nom_officiel']!r} ({code}) n'a pas de code "
                         "officiel dans la liste ANCT 2024.")
        elif " ".join(official[code].split()) != " ".join(row["nom_officiel"].split()):
            report.warn(f"qpv.csv : {code} s'appelle {official[code]!r} dans la liste ANCT, "
                        f"{row['nom_officiel']!r} ici.")
    missing = set(official) - set(qpvs)
    if missing:
        report.warn(f"qpv.csv : {len(missing)} QPV officiels du Nord absents : {', '.join(sorted(missing))}.")


def _check_contacts(report: Report, rows: list[tuple[int, dict[str, str]]], communes: dict[str, dict[str, str]],
                    qpvs: dict[str, dict[str, str]], quartiers: dict[str, dict[str, str]],
                    territoires: set[str]) -> None:
    for line, row in rows:
        where = _where("contacts.csv", line)
        if row["role"] not in ROLES:
            report.error(f"{where} : rôle inconnu {row['role']!r}.")
        if row.get("statut") not in ("en_poste", "vacant"):
            report.error(f"{where} : statut {row.get('statut')!r} (attendu en_poste ou vacant).")
        if row.get("statut") == "en_poste" and not (row.get("nom") or row.get("telephone") or row.get("email")):
            report.error(f"{where} : contact en poste sans nom, ni e-mail, ni téléphone.")
        if row["territoire_id"] not in territoires:
            report.error(f"{where} : territoire inconnu {row['territoire_id']!r}.")
        if row.get("insee") and row["insee"] not in communes:
            report.error(f"{where} : commune inconnue {row['insee']!r}.")
        if row.get("code_qp") and row["code_qp"] not in qpvs:
            report.error(f"{where} : le QPV {row['code_qp']!r} ne correspond à aucun code officiel.")
        if row.get("quartier_id") and row["quartier_id"] not in quartiers:
            report.error(f"{where} : quartier inconnu {row['quartier_id']!r}.")
        email = row.get("email", "")
        if email and not EMAIL.match(email):
            report.error(f"{where} : e-mail invalide {email!r} ({row.get('nom')}).")
        if row.get("email_confirme") and not EMAIL.match(row["email_confirme"]):
            report.error(f"{where} : e-mail confirmé invalide {row['email_confirme']!r}.")
        if row.get("email_douteux") == "oui":
            confirmed = row.get("email_confirme") or "aucune forme confirmée"
            report.warn(f"{where} : e-mail douteux de {row.get('nom')} : imprimé {email!r}, "
                        f"retenu {confirmed!r} (source : {row.get('source')}).")


def _check_emails_per_person(report: Report, contacts: list[tuple[int, dict[str, str]]],
                             mel: list[tuple[int, dict[str, str]]]) -> None:
    forms: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for file, rows in (("contacts.csv", contacts), ("contacts_mel.csv", mel)):
        for line, row in rows:
            email = (row.get("email") or "").lower()
            if row.get("nom") and email:
                forms[fold(row["nom"])][email].append(
                    f"{file}:{line} ({row.get('campagne')}, {row.get('source')})"
                )
                if file == "contacts_mel.csv" and row.get("email_derive") == "oui":
                    pass
            if file == "contacts_mel.csv" and email and not EMAIL.match(email):
                report.error(f"{file}:{line} : e-mail invalide {email!r}.")
    for person, emails in sorted(forms.items()):
        if len(emails) > 1:
            detail = " ; ".join(f"{email} ← {where[0]}{' …' if len(where) > 1 else ''}"
                                for email, where in sorted(emails.items()))
            report.warn(f"{person} a {len(emails)} e-mails différents : {detail}")
    derived = sum(1 for _, row in mel if row.get("email_derive") == "oui")
    report.infos.append(f"{derived} e-mails MEL déduits de la règle « pnom@lillemetropole.fr » (à signaler).")


def _check_coverage(report: Report, contacts: list[tuple[int, dict[str, str]]],
                    pairs: list[tuple[int, dict[str, str]]], qpvs: dict[str, dict[str, str]],
                    communes: dict[str, dict[str, str]]) -> None:
    """Each MEL QPV has a city contact and a délégué du préfet entry (a vacancy counts) per campaign.

    A QPV with none is an error; a commune part of a QPV that the call names
    without a contact (Lezennes in 2025) is a point to check.
    """
    campaigns = sorted({int(row["campagne"]) for _, row in contacts if row["territoire_id"] == "MEL"})
    roles = (("ville", "contact de la ville"), ("delegue_prefet", "délégué du préfet"))
    for campagne in campaigns:
        rows = [row for _, row in contacts if int(row["campagne"]) == campagne and row["territoire_id"] == "MEL"]
        for code, zone in qpvs.items():
            if zone["territoire_id"] != "MEL":
                continue
            in_qpv = [r for r in rows if r.get("code_qp") == code]
            for role, label in roles:
                if not any(r["role"] == role for r in in_qpv):
                    report.error(f"{campagne} : {zone['nom_appel']} ({code}) : aucun {label} (ni poste vacant).")
        for _, pair in pairs:
            qpv = qpvs.get(pair["code_qp"])
            commune = communes.get(pair["insee"])
            if qpv is None or commune is None or qpv["territoire_id"] != "MEL":
                continue
            if commune.get(f"appel_{campagne}") != "oui":
                report.infos.append(f"{campagne} : {commune['nom']} ({qpv['nom_appel']}) n'est pas nommée "
                                    "par l'appel : pas de contact attendu.")
                continue
            part = [r for r in rows if r.get("insee") == pair["insee"] and r.get("code_qp") in ("", pair["code_qp"])]
            for role, label in roles:
                if not any(r["role"] == role for r in part):
                    report.warn(f"{campagne} : {qpv['nom_appel']} ({pair['code_qp']}), partie {commune['nom']} : "
                                f"la commune est nommée par l'appel mais aucun {label} n'y est indiqué.")


def _check_campaigns(report: Report, data_dir: Path) -> None:
    raw = read_yaml(data_dir / "campagnes.yaml") or {}
    for campagne in raw.get("campagnes") or []:
        label = f"campagnes.yaml {campagne.get('territoire')} {campagne.get('annee')}"
        if not campagne.get("source"):
            report.error(f"{label} : campagne sans source.")
        for regle in campagne.get("regles") or []:
            if not regle.get("source"):
                report.error(f"{label} : règle {regle.get('id')!r} sans source.")


def main() -> int:
    report = check()
    print("Contrôle du référentiel (knowledge/data/)")
    print("=" * 44)
    for title, items in (("ERREURS", report.errors), ("À VÉRIFIER", report.warnings), ("INFORMATIONS", report.infos)):
        print(f"\n{title} ({len(items)})")
        for item in items:
            print(f"  - {item}")
    print(f"\n{len(report.errors)} erreur(s), {len(report.warnings)} point(s) à vérifier.")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
