"""`make check-data`: report invalid or doubtful reference data.

Errors (exit 1): an invalid e-mail, a row without source, a QPV code that is
not official, a MEL QPV part without a city contact or without a délégué du
préfet entry (a vacancy counts) in a campaign, a dangling reference.
Warnings: one person with several e-mails (both forms and their sources), an
e-mail flagged doubtful, an e-mail derived from the MEL rule.

Gaps found by the audit of issue 13, errors from now on: a campaign with an
annexe 3 whose rules lack its detail (period, 2 to 5 operational objectives,
mandatory key figures, budget and its lines); a signature date without its
status (`prevue` for a planned date of a calendar, `signee` only with a
document that confirms it); an e-mail printed in a versioned source document
that no contact file holds (general MEL contacts, préfecture mailboxes…); a
contract fact or general contact without source; a campaign with a CPO rule
that does not say who CPOs are for; an ambition text that is not its source
line word for word (a lost final punctuation); a matcher example citing an
unknown document or using words its cited document does not contain.
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
    for name in ("territoires", "communes", "qpv", "qpv_communes", "quartiers", "contacts", "contacts_mel",
                 "contacts_generaux"):
        if not (data_dir / f"{name}.csv").exists() and name == "contacts_generaux":
            report.error("contacts_generaux.csv absent : les contacts généraux de la MEL et de la préfecture manquent.")
            tables[name] = []
            continue
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
    _check_signatures(report, tables["territoires"])
    _check_general_contacts(report, tables["contacts_generaux"])
    _check_document_emails(report, data_dir, tables)
    _check_contract_facts(report, data_dir, territoires)
    _check_ambitions_verbatim(report, data_dir)
    _check_examples(report, data_dir)
    _check_passage_questions(report, data_dir)
    return report


def _check_passage_questions(report: Report, data_dir: Path) -> None:
    """`passages_questions.csv`: each question names a document and lines of one of its passages.

    A question whose lines no longer fall on a passage (the document's text or the splitter changed) is
    an error: the search would silently lose it. Passages that answer something but have no question yet
    (after a new year's call is added) are counted, as a reminder to write some.
    """
    from knowledge.loader import QUESTIONS_CSV, line_range
    from knowledge.services.passages import document_passages

    path = data_dir / QUESTIONS_CSV
    if not path.exists():
        report.warn(f"{QUESTIONS_CSV} absent : la recherche ne s'appuie que sur le texte des passages.")
        return
    ranges = {doc.id: [(p.ligne_debut, p.ligne_fin, p.genre) for p in drafts]
              for doc, drafts in document_passages(data_dir)}
    covered: set[tuple[str, int, int]] = set()
    seen: set[tuple[str, str]] = set()
    for line, row in read_csv(path):
        where = _where(QUESTIONS_CSV, line)
        document, question = row.get("document", ""), row.get("question", "")
        if document not in ranges:
            report.error(f"{where} : document inconnu {document!r}.")
            continue
        if not question:
            report.error(f"{where} : question vide.")
            continue
        lines = line_range(row.get("lignes", ""))
        if lines is None:
            report.error(f"{where} : lignes mal formées {row.get('lignes')!r} (attendu « 12-15 »).")
            continue
        a, b = lines
        hits = [(f, t) for f, t, _ in ranges[document] if f <= b and a <= t]
        if not hits:
            report.error(f"{where} : aucun passage de {document} aux lignes {a}-{b} (le texte a changé ?).")
        covered.update((document, f, t) for f, t in hits)
        if (document, fold(question)) in seen:
            report.warn(f"{where} : question en double pour {document}.")
        seen.add((document, fold(question)))
    answering = {(d, f, t) for d, items in ranges.items() for f, t, genre in items
                 if genre in ("paragraphe", "liste", "element", "chiffres")}
    left = answering - covered
    if left:
        report.infos.append(f"{len(left)} passages (paragraphes, listes, chiffres) sans question écrite sur "
                            f"{len(answering)} : la recherche les trouve par leur seul texte.")


# --- gaps of the audit (issue 13) ---------------------------------------------------------------

# The detail of an annexe 3 (bilan intermédiaire) that a campaign with a `bilan` rule must hold as data.
ANNEXE3_RULES = ("bilan_periode", "bilan_contenu", "bilan_objectifs_operationnels", "objectif_operationnel_definition",
                 "bilan_chiffres_cles", "bilan_budget", "bilan_budget_lignes")
SIGNATURE_STATUSES = ("prevue", "signee")
GENERAL_ROLES = ("mel", "prefecture")
GENERAL_USES = ("presse", "politique_de_la_ville")
GENERAL_SCOPES = ("MEL", "NORD")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _documents(data_dir: Path) -> dict[str, Path]:
    """Versioned text of each source document, by the file name rows cite (`documents.csv`)."""
    path = data_dir / "documents.csv"
    if not path.exists():
        return {}
    out = {}
    for _, row in read_csv(path):
        if row.get("chemin") and (data_dir / row["chemin"]).exists():
            out[row["fichier"]] = data_dir / row["chemin"]
    return out


def _annexe3_problems(campagne: dict) -> list[str]:
    rules = {r.get("id"): r for r in campagne.get("regles") or []}
    bilan = rules.get("bilan")
    if not bilan or "annexe 3" not in (bilan.get("source") or ""):
        return []
    problems = [f"règle {rule!r} absente (annexe 3 en détail)" for rule in ANNEXE3_RULES if rule not in rules]
    objectives = (rules.get("bilan_objectifs_operationnels") or {}).get("valeurs") or {}
    if "bilan_objectifs_operationnels" in rules and not (
            isinstance(objectives.get("min"), int) and isinstance(objectives.get("max"), int)
            and 0 < objectives["min"] <= objectives["max"]):
        problems.append("bilan_objectifs_operationnels : valeurs {min, max} entières attendues (2 et 5 en 2026)")
    key_figures = (rules.get("bilan_chiffres_cles") or {}).get("valeurs") or {}
    if "bilan_chiffres_cles" in rules and key_figures.get("obligatoire") is not True:
        problems.append("bilan_chiffres_cles : la rubrique est obligatoire (valeurs: {obligatoire: true})")
    return problems


def _check_signatures(report: Report, rows: list[tuple[int, dict[str, str]]]) -> None:
    for line, row in rows:
        where = _where("territoires.csv", line)
        status = row.get("date_signature_statut", "")
        if row.get("date_signature") and status not in SIGNATURE_STATUSES:
            report.error(f"{where} : {row['id']} a une date de signature sans statut (date_signature_statut : "
                         "« prevue » pour une date annoncée par un calendrier, « signee » si un document la confirme).")
        if not row.get("date_signature") and status:
            report.error(f"{where} : {row['id']} a un statut de signature {status!r} sans date.")
        if status == "signee":
            confirming = [part for part in (row.get("source") or "").split(";")
                          if part.strip() and "calendrier de signature" not in part.lower()
                          and not part.strip().startswith("qpv2024")]
            if not confirming:
                report.error(f"{where} : {row['id']} est « signee » mais sa seule source est un calendrier "
                             "prévisionnel : écrire « prevue », ou citer le document qui confirme la signature.")


def _check_general_contacts(report: Report, rows: list[tuple[int, dict[str, str]]]) -> None:
    for line, row in rows:
        where = _where("contacts_generaux.csv", line)
        if row.get("role") not in GENERAL_ROLES:
            report.error(f"{where} : rôle {row.get('role')!r} (attendu : {', '.join(GENERAL_ROLES)}).")
        if row.get("usage") not in GENERAL_USES:
            report.error(f"{where} : usage {row.get('usage')!r} (attendu : {', '.join(GENERAL_USES)}).")
        if row.get("portee") not in GENERAL_SCOPES:
            report.error(f"{where} : portée {row.get('portee')!r} (attendu : {', '.join(GENERAL_SCOPES)}).")
        if not row.get("email") and not row.get("telephone"):
            report.error(f"{where} : contact sans e-mail ni téléphone.")
        if row.get("email") and not EMAIL.match(row["email"]):
            report.error(f"{where} : e-mail invalide {row['email']!r}.")


def _check_document_emails(report: Report, data_dir: Path, tables: dict[str, list[tuple[int, dict[str, str]]]]) -> None:
    """Every address printed in a source document is in a contact file (or is the « pnom@ » rule)."""
    known = {
        (row.get(column) or "").lower()
        for name in ("contacts", "contacts_mel", "contacts_generaux")
        for _, row in tables.get(name, [])
        for column in ("email", "email_confirme")
    }
    for fichier, path in sorted(_documents(data_dir).items()):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for email in {e.rstrip(".").lower() for e in _EMAIL_IN_TEXT.findall(line)}:
                if email.startswith("pnom@") or email in known:
                    continue
                report.error(f"{fichier}, L{number} : l'adresse {email!r} est imprimée dans la source mais "
                             "n'est dans aucun fichier de contacts "
                             "(contacts.csv, contacts_mel.csv, contacts_generaux.csv).")


def _check_contract_facts(report: Report, data_dir: Path, territoires: set[str]) -> None:
    path = data_dir / "contrats.yaml"
    if not path.exists():
        report.error("contrats.yaml absent : périmètres d'attention et volets locaux du contrat manquent.")
        return
    seen: set[tuple[str, str]] = set()
    for contrat in (read_yaml(path) or {}).get("contrats") or []:
        territoire = contrat.get("territoire")
        if territoire not in territoires:
            report.error(f"contrats.yaml : territoire inconnu {territoire!r}.")
        for fait in contrat.get("faits") or []:
            label = f"contrats.yaml {territoire} {fait.get('id')!r}"
            if (territoire, fait.get("id")) in seen:
                report.error(f"{label} : identifiant en double.")
            seen.add((territoire, fait.get("id")))
            if not fait.get("source"):
                report.error(f"{label} : fait sans source.")
            if not fait.get("texte"):
                report.error(f"{label} : fait sans texte.")


def _source_lines(path: Path) -> set[str]:
    """Lines of a document as the référentiel quotes them: list arrows, bullets and bold marks removed."""
    lines = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\s*-\s*(?:⇒\s*)?", "", line).replace("**", "").strip()
        if line:
            lines.add(line)
    return lines


def _check_ambitions_verbatim(report: Report, data_dir: Path) -> None:
    documents = _documents(data_dir)
    raw = read_yaml(data_dir / "ambitions.yaml") or {}
    cache: dict[str, set[str]] = {}
    for ambition in raw.get("ambitions") or []:
        fichier = (ambition.get("source") or "").split(",")[0].strip()
        if fichier not in documents:
            continue
        lines = cache.setdefault(fichier, _source_lines(documents[fichier]))
        texte = ambition.get("texte") or ""
        if texte in lines:
            continue
        longer = sorted(line[len(texte):] for line in lines if line.startswith(texte))
        detail = (f" : la source continue par « {longer[0].strip()} » (ponctuation finale perdue ?)" if longer else
                  " : le texte n'est pas une ligne de la source, mot pour mot")
        report.error(f"ambitions.yaml {ambition.get('id')} : texte différent de {fichier}{detail}")


def _stem(word: str) -> str:
    return word[:6]


def _check_examples(report: Report, data_dir: Path) -> None:
    """A matcher example that cites a document says only what that document says."""
    path = data_dir / "ambitions_descripteurs.yaml"
    if not path.exists():
        return
    documents = _documents(data_dir)
    stems: dict[str, set[str]] = {}
    for ambition, descriptor in (read_yaml(path) or {}).items():
        for example in (descriptor or {}).get("exemples") or []:
            source = example.get("source") or ""
            if source == "action type":
                continue
            fichier = source.split(",")[0].strip()
            label = f"ambitions_descripteurs.yaml {ambition} « {(example.get('texte') or '')[:60]}… »"
            if fichier not in documents:
                report.error(f"{label} : source {fichier!r} inconnue (ni « action type », ni un document versionné).")
                continue
            if fichier not in stems:
                text = re.sub(r"[*_#<>\[\]|]", " ", documents[fichier].read_text(encoding="utf-8"))
                stems[fichier] = {_stem(w) for w in fold(text).split()}
            words = fold(example.get("texte") or "").split()
            absent = [w for w in words if len(w) >= 5 and _stem(w) not in stems[fichier]]
            if absent:
                report.error(f"{label} : mots absents de {fichier} : {', '.join(absent)} (mauvais fichier cité, "
                             "ou l'exemple en dit plus que sa source).")


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
            named = (str(campagne) in (commune.get("campagnes") or "").split("|")
                     or commune.get(f"appel_{campagne}") == "oui")
            if not named:
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
        for problem in _annexe3_problems(campagne):
            report.error(f"{label} : {problem}.")
        ids = {r.get("id") for r in campagne.get("regles") or []}
        if "cpo" in ids and "cpo_beneficiaires" not in ids:
            report.error(f"{label} : règle « cpo » sans « cpo_beneficiaires » "
                         "(à qui les CPO sont destinées, avec source).")


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
