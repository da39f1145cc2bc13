"""Draft next year's contacts and campaign from the text of a MEL call, with a review report.

    python -m knowledge.importer FILE --campagne 2027 [--out var/import-2027/]
    make import-call FILE=… CAMPAGNE=2027 [OUT=…]

The call's text is read in the format of the 2025 and 2026 calls (annexe 1 as a tab-separated
table whose third column is an HTML fragment; the thematic MEL contacts with the « pnom@ » rule;
the deadline and the results date in the introduction). It writes a DRAFT into the output folder,
never into `knowledge/data/`:

- `contacts.csv` and `contacts_mel.csv` (same columns as `knowledge/data/`, one `source` per row
  with the document and its line numbers),
- `campagne.yaml` (the campaign entry; its rules are copied from the previous campaign and must be
  re-read against the new call),
- `rapport.txt` (the review report, also printed): who arrives, leaves, changes e-mail or scope,
  new and filled vacancies, e-mails that look mistyped, and what the reviewer must check.

Nothing is loaded: a person reviews the draft, then copies the rows into `knowledge/data/` and runs
`make check-data` and `make load`. On a bad file nothing is written and the error is in French.

Names of places are resolved with the référentiel (`communes.csv`, `qpv.csv`, `quartiers.csv` and
their aliases), so a new spelling is added there, not here.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from knowledge.loader import read_csv, read_yaml
from knowledge.text import fold

CONTACT_COLUMNS = [
    "campagne",
    "territoire_id",
    "role",
    "nom",
    "email",
    "telephone",
    "structure",
    "statut",
    "insee",
    "code_qp",
    "quartier_id",
    "email_douteux",
    "email_confirme",
    "email_derive",
    "note",
    "source",
]
MEL_COLUMNS = ["campagne", "theme", "themes_cles", "nom", "email", "email_derive", "note", "source"]

# French month names of the dates printed in the calls (« d'ici le 15 octobre 2025 »).
_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*")
_PHONE = re.compile(r"\(?\b(0\d(?:[ .]?\d{2}){4})\b\)?")
_DELEGUE = re.compile(r"^d[eé]l[eé]gu", re.IGNORECASE)
# Edit distance under which two forms of one person's address are "probably the same address,
# one of them mistyped" rather than a real change of address.
TYPO_DISTANCE = 3


class ImportCallError(Exception):
    """The call cannot be imported; the message is French and says what to do."""


# --- reading ---------------------------------------------------------------------------------


class _CellText(HTMLParser):
    """Text of an HTML cell; every list item or paragraph becomes a new « - » item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"li", "p", "br"}:
            self.parts.append("\n- ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def cell_text(fragment: str) -> str:
    parser = _CellText()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    # « <li>- Ville » gives « - - Ville »: one dash is enough.
    text = re.sub(r"-\s+-\s", "- ", text)
    return re.sub(r"[ \t\xa0]+", " ", text)


def _markdown_links(text: str) -> str:
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)


def read_call(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportCallError(f"Le fichier « {path} » est introuvable.") from exc
    except IsADirectoryError as exc:
        raise ImportCallError(f"« {path} » est un dossier : indiquez le fichier texte de l'appel.") from exc
    except OSError as exc:
        raise ImportCallError(f"Le fichier « {path} » est illisible (droits d'accès ou disque).") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportCallError(
            f"Le fichier « {path} » n'est pas un texte UTF-8 (octet {exc.start}). "
            "Exportez l'appel en texte brut UTF-8 puis relancez."
        ) from exc
    if not text.strip():
        raise ImportCallError(f"Le fichier « {path} » est vide.")
    return text.splitlines()


# --- the référentiel's names -------------------------------------------------------------------


@dataclass
class Referentiel:
    """Names and aliases of communes, QPV and neighbourhoods, and last campaigns' rows."""

    communes: dict[str, str]  # insee -> nom
    commune_names: dict[str, str]  # folded name or alias -> insee
    qpv_names: dict[str, str]  # folded name or alias -> code
    qpv_display: dict[str, str]  # code -> nom_appel
    qpv_communes: dict[str, set[str]]  # code -> insee set
    quartiers: dict[str, tuple[str, str]]  # folded name or alias -> (id, code_qp)
    contacts: list[dict[str, str]]
    contacts_mel: list[dict[str, str]]
    campagnes: list[dict[str, Any]]
    documents: dict[str, str] = field(default_factory=dict)  # file name (or its versioned copy) -> fichier

    @classmethod
    def read(cls, data_dir: Path) -> Referentiel:
        communes: dict[str, str] = {}
        commune_names: dict[str, str] = {}
        parent: dict[str, str] = {}
        for _, r in read_csv(data_dir / "communes.csv"):
            communes[r["insee"]] = r["nom"]
            if r.get("associee_de"):
                parent[r["insee"]] = r["associee_de"]
            for name in [r["nom"], *r.get("aliases", "").split("|")]:
                if name.strip():
                    commune_names.setdefault(fold(name), r["insee"])
        qpv_names: dict[str, str] = {}
        qpv_display: dict[str, str] = {}
        for _, r in read_csv(data_dir / "qpv.csv"):
            qpv_display[r["code"]] = r.get("nom_appel") or r["nom_officiel"]
            for name in [r["nom_officiel"], r.get("nom_appel", ""), *r.get("aliases", "").split("|")]:
                if name.strip():
                    qpv_names.setdefault(fold(name), r["code"])
        qpv_communes: dict[str, set[str]] = defaultdict(set)
        for _, r in read_csv(data_dir / "qpv_communes.csv"):
            qpv_communes[r["code_qp"]].add(r["insee"])
        quartiers: dict[str, tuple[str, str]] = {}
        for _, r in read_csv(data_dir / "quartiers.csv"):
            # An associated commune's neighbourhood also belongs to its parent (Hellemmes → Lille).
            qpv_communes[r["code_qp"]].add(parent.get(r["commune_insee"], r["commune_insee"]))
            for name in [r["nom"], *r.get("aliases", "").split("|")]:
                if name.strip():
                    quartiers.setdefault(fold(name), (r["id"], r["code_qp"]))
        contacts = [r for _, r in read_csv(data_dir / "contacts.csv")]
        contacts_mel = [r for _, r in read_csv(data_dir / "contacts_mel.csv")]
        campagnes = list(read_yaml(data_dir / "campagnes.yaml")["campagnes"])
        documents: dict[str, str] = {}
        for _, r in read_csv(data_dir / "documents.csv"):
            documents[r["fichier"]] = r["fichier"]
            if r.get("chemin"):
                documents[Path(r["chemin"]).name] = r["fichier"]
        return cls(
            communes,
            commune_names,
            qpv_names,
            qpv_display,
            dict(qpv_communes),
            quartiers,
            contacts,
            contacts_mel,
            campagnes,
            documents,
        )

    def structure(self, insee: str) -> str:
        """« Ville de … » as the référentiel already writes it (elision included)."""
        for row in self.contacts:
            if row["insee"] == insee and row["role"] == "ville" and row.get("structure"):
                return row["structure"]
        return f"Ville de {self.communes.get(insee, insee)}"


def _find_names(text: str, names: dict[str, str], allowed: set[str] | None = None) -> list[str]:
    """Keys of `names` found in `text`, longest first, without overlap, in reading order."""
    folded = f" {fold(text)} "
    found: list[tuple[int, str]] = []
    for name in sorted(names, key=len, reverse=True):
        key = names[name]
        if allowed is not None and key not in allowed:
            continue
        needle = f" {name} "
        start = folded.find(needle)
        while start >= 0:
            folded = folded[:start] + " " + "#" * (len(needle) - 2) + " " + folded[start + len(needle) :]
            found.append((start, key))
            start = folded.find(needle)
    ordered: list[str] = []
    for _, key in sorted(found):
        if key not in ordered:
            ordered.append(key)
    return ordered


# --- annexe 1 ----------------------------------------------------------------------------------


@dataclass
class Person:
    role: str
    nom: str
    email: str = ""
    telephone: str = ""
    statut: str = "en_poste"
    note: str = ""
    insee: str = ""
    codes: tuple[str, ...] = ()
    quartier_id: str = ""
    line: int = 0


@dataclass
class Group:
    """Consecutive table rows whose contacts apply together to their QPV."""

    communes: list[str]
    codes: list[str]
    first_line: int
    last_line: int
    text: str = ""
    persons: list[Person] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def roles(self) -> set[str]:
        return {p.role for p in self.persons}


def _section(lines: list[str], start: re.Pattern[str], end: re.Pattern[str]) -> tuple[int, int]:
    begin = next((i for i, line in enumerate(lines) if start.search(line)), None)
    if begin is None:
        return -1, -1
    stop = next((i for i in range(begin + 1, len(lines)) if end.search(lines[i])), len(lines))
    return begin, stop


_ANNEXE1 = re.compile(r"^\W*ANNEXE\s*1\b", re.IGNORECASE)
_THEMATIQUES = re.compile(r"R[ée]f[ée]rents th[ée]matiques", re.IGNORECASE)
_ANNEXE2 = re.compile(r"^\W*ANNEXE\s*2\b", re.IGNORECASE)


def _split_items(text: str) -> list[tuple[str, str]]:
    """« - Label : content » items of a cell, in order; an unlabeled item continues the last one."""
    pieces = re.split(r"(?:^|\s)-\s+(?![^\s@]+@)", text)
    items: list[tuple[str, str]] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        match = re.match(r"^([^:@()]{1,80}?)\s*:\s*(.*)$", piece, re.DOTALL)
        if match:
            items.append((match.group(1).strip(), match.group(2).strip()))
        elif items:
            label, content = items[-1]
            items[-1] = (label, f"{content} - {piece}")
        else:
            items.append(("", piece))
    return items


def _persons_in(content: str) -> list[tuple[str, str, str, str]]:
    """(sub-label, name, e-mail, phone) of each person of an item's content, in order."""
    out: list[tuple[str, str, str, str]] = []
    sublabel = ""
    chunks: list[tuple[str, str]] = []
    # « MQ J. Brel (03 20 43 20 60) - Maryline Couhez … »: a dash not followed by an address
    # separates two entries; « Marianne Reboul - mreboul@… » is one.
    for segment in re.split(r"\s-\s(?![^\s@]+@)", content):
        position = 0
        for match in _EMAIL.finditer(segment):
            chunks.append((segment[position : match.start()], match.group(0).rstrip(".")))
            position = match.end()
        tail = segment[position:]
        if tail.strip(" ,.-"):
            chunks.append((tail, ""))
    for before, email in chunks:
        # « , Faubourg de Béthune : Saliha Benaouda » / « et Vauban – Esquermes : Fatima Hasni »
        before = re.sub(r"^[\s,;]*(?:et\s+)?", "", before)
        if ":" in before:
            sublabel, before = (part.strip() for part in before.rsplit(":", 1))
            sublabel = re.sub(r"^[\s,;]*(?:et\s+)?", "", sublabel)
        phone = ""
        phone_match = _PHONE.search(before)
        if phone_match:
            phone = phone_match.group(1)
            before = before[: phone_match.start()] + before[phone_match.end() :]
        name = re.sub(r"\s+", " ", before).strip(" ,;-–")
        name = re.sub(r"\s+et$", "", name)
        if name or email or phone:
            out.append((sublabel, name, email, phone))
    return out


def _looks_like_person(name: str) -> bool:
    """A printed name (« Julie Montois ») rather than a sentence (« En attente de recrutement »)."""
    words = name.split()
    return 1 < len(words) <= 5 and all(w[:1].isupper() for w in words if len(w) > 3)


def parse_annexe1(lines: list[str], ref: Referentiel) -> tuple[list[Group], int, int]:
    begin, stop = _section(lines, _ANNEXE1, _THEMATIQUES)
    if begin < 0:
        raise ImportCallError(
            "Annexe 1 introuvable : le texte ne contient pas de ligne « ANNEXE 1 : TABLEAU DES QUARTIERS… ». "
            "Vérifiez que le fichier est bien l'appel à projets complet."
        )
    groups: list[Group] = []
    current: Group | None = None
    for index in range(begin + 1, stop):
        line_no = index + 1
        line = lines[index]
        if "\t" not in line:
            continue
        cols = [c.strip() for c in line.split("\t")]
        cols += [""] * (3 - len(cols))
        communes_col, qpv_col, cell = cell_text(cols[0]).strip(" -\n"), cols[1], " ".join(cols[2:])
        if fold(qpv_col).startswith("quartiers prioritaires"):
            continue  # header row
        text = cell_text(cell)
        if not communes_col and not qpv_col:
            if current is not None and text.strip():
                # The cell spills over onto the next table row.
                current.text += " " + text
                current.last_line = line_no
            continue
        communes = (
            _find_names(communes_col, ref.commune_names) if communes_col else (current.communes if current else [])
        )
        allowed = {code for code, insees in ref.qpv_communes.items() if insees & set(communes)}
        codes = _find_names(qpv_col, ref.qpv_names, allowed)
        if not codes:
            raise ImportCallError(
                f"Ligne {line_no} : quartier « {qpv_col} » inconnu du référentiel "
                f"pour {communes_col or 'la commune précédente'}. "
                "Ajoutez ce nom (ou son orthographe) dans knowledge/data/qpv.csv (colonne aliases) puis relancez."
            )
        if not communes:
            raise ImportCallError(f"Ligne {line_no} : commune « {communes_col} » inconnue du référentiel.")
        same_communes = current is not None and (not communes_col or communes == current.communes)
        if current is not None and same_communes and (not text.strip() or not _complete(current, ref)):
            # A QPV listed under the previous cell (2026: « Virolois », « Pont Rompu »), or a list of
            # contacts spread over several rows of the same commune (2025: Tourcoing, Loos).
            current.codes += [c for c in codes if c not in current.codes]
            current.text += " " + text
            current.last_line = line_no
            continue
        current = Group(communes=communes, codes=codes, first_line=line_no, last_line=line_no, text=text)
        groups.append(current)
    if not groups:
        raise ImportCallError(
            "Annexe 1 trouvée mais vide : aucune ligne de tableau (colonnes séparées par des tabulations)."
        )
    for group in groups:
        _read_group(group, ref)
    return groups, begin + 1, stop


def _complete(group: Group, ref: Referentiel) -> bool:
    """Whether a group's cell already names a city contact, a délégué and the Région."""
    _read_group(group, ref)
    return {"ville", "delegue_prefet", "region"} <= group.roles()


def _read_group(group: Group, ref: Referentiel) -> None:
    group.persons, group.problems = [], []
    insee = group.communes[0] if len(group.communes) == 1 else ""
    codes: tuple[str, ...] = tuple(group.codes)

    def codes_of(commune: str) -> tuple[str, ...]:
        return tuple(c for c in group.codes if commune in ref.qpv_communes.get(c, set()))

    if insee:
        codes = codes_of(insee)
    for label, content in _split_items(group.text):
        folded = fold(label)
        if not label or folded in {"ville", "etat", "region"} and not content:
            continue
        if folded.startswith("region"):
            role, scope_insee, scope_codes = "region", "", tuple(group.codes)
        elif _DELEGUE.match(label):
            # The délégués named after a commune's list cover all of that commune's QPV of the row.
            role, scope_insee, scope_codes = "delegue_prefet", insee, codes_of(insee) if insee else ()
        else:
            role = "ville"
            qpv = _find_names(label, ref.qpv_names, set(group.codes))
            commune = _find_names(label, ref.commune_names, set(group.communes))
            if folded == "ville" and len(group.communes) == 1:
                commune = group.communes
            if commune:
                insee = commune[0]
                codes = tuple(c for c in qpv if c in codes_of(insee)) or codes_of(insee)
            elif qpv and len({i for c in qpv for i in ref.qpv_communes[c]} & set(group.communes)) >= 1:
                insee = next(i for i in group.communes if i in ref.qpv_communes[qpv[0]])
                codes = tuple(qpv)
            else:
                group.problems.append(f"libellé « {label} » non reconnu (ni commune, ni quartier de la ligne)")
                continue
            scope_insee, scope_codes = insee, codes
        if not scope_insee and role != "region":
            group.problems.append(f"« {label} » : commune introuvable (plusieurs communes dans la ligne)")
            continue
        persons = _persons_in(content)
        if not any(email or phone for _, _, email, phone in persons) and not any(
            _looks_like_person(n) for _, n, _, _ in persons
        ):
            # No address, no name: the source words of a vacancy (« En attente de recrutement »).
            group.persons.append(
                Person(
                    role,
                    "",
                    statut="vacant",
                    note=f"{label} : {content.strip(' .-')}",
                    insee=scope_insee,
                    codes=scope_codes,
                    line=group.first_line,
                )
            )
            continue
        for sublabel, name, email, phone in persons:
            quartier_id, person_codes = "", scope_codes
            if sublabel:
                hit = _find_names(sublabel, {k: v[0] for k, v in ref.quartiers.items() if v[1] in scope_codes})
                if hit:
                    quartier_id = hit[0]
                    person_codes = tuple(v[1] for v in ref.quartiers.values() if v[0] == quartier_id)[:1]
                else:
                    qpv_hit = _find_names(sublabel, ref.qpv_names, set(scope_codes))
                    if qpv_hit:
                        person_codes = tuple(qpv_hit)
                    elif role == "ville" and phone:
                        pass
                    else:
                        group.problems.append(f"sous-libellé « {sublabel} » non reconnu (quartier ?)")
            person_role = "autre" if phone and not email else role
            group.persons.append(
                Person(
                    person_role,
                    name,
                    email=email,
                    telephone=phone,
                    insee=scope_insee,
                    codes=person_codes,
                    quartier_id=quartier_id,
                    line=group.first_line,
                )
            )


# --- thematic MEL contacts ---------------------------------------------------------------------


@dataclass
class MelPerson:
    theme: str
    nom: str
    email: str
    derive: bool
    role: str = ""
    vacant: bool = False


def _top_level_split(text: str) -> list[str]:
    parts, depth, buf = [], 0, ""
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        # « …, Claire Obré » / « … et Julie Nicolas », but not « écologique et solidaire ».
        if depth == 0 and (text.startswith(", ", i) or re.match(r" et [A-ZÀ-Ý]", text[i : i + 5])):
            parts.append(buf)
            buf = ""
            i += 2 if text.startswith(", ", i) else 4
            continue
        buf += ch
        i += 1
    parts.append(buf)
    return [p.strip() for p in parts if p.strip()]


def derive_email(nom: str, pattern: str) -> str:
    """« pnom@lillemetropole.fr »: first letter of the first name + the last name, folded."""
    words = nom.split()
    local, domain = pattern.split("@", 1)
    if len(words) < 2 or local != "pnom":
        return ""
    return f"{fold(words[0])[:1]}{fold(' '.join(words[1:])).replace(' ', '')}@{domain}"


def parse_mel(lines: list[str]) -> tuple[list[MelPerson], str, int, int]:
    begin, stop = _section(lines, _THEMATIQUES, _ANNEXE2)
    if begin < 0:
        return [], "", -1, -1
    pattern = ""
    people: list[MelPerson] = []
    last = begin
    started = False
    for index in range(begin + 1, stop):
        line = _markdown_links(lines[index]).strip()
        match = re.search(r"Format adresse mail\s*:.*?([a-z]+@[\w.\-]+)", line, re.IGNORECASE)
        if match:
            pattern = match.group(1)
            continue
        if line.startswith("- ") and ":" in line:
            started = True
            last = index
            theme, names = (part.strip() for part in line[2:].split(":", 1))
            for item in _top_level_split(names):
                paren = re.search(r"\(([^)]*)\)\s*$", item)
                inside = paren.group(1).strip() if paren else ""
                nom = item[: paren.start()].strip() if paren else item
                printed = _EMAIL.search(inside)
                if not _looks_like_person(nom):
                    people.append(MelPerson(theme, "", "", False, role=item, vacant=True))
                elif printed:
                    people.append(MelPerson(theme, nom, printed.group(0), False))
                else:
                    people.append(
                        MelPerson(theme, nom, derive_email(nom, pattern) if pattern else "", bool(pattern), role=inside)
                    )
        elif started and line and not line.startswith("- "):
            break
    return people, pattern, begin + 1, last + 1


# --- introduction: deadline, results, platform ------------------------------------------------


def parse_campaign(lines: list[str], annee: int, source_file: str) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    entry: dict[str, Any] = {"territoire": "MEL", "annee": annee}
    text_lines = [(i + 1, _markdown_links(line)) for i, line in enumerate(lines)]
    title = next((line for _, line in text_lines if re.search(r"FINANCEMENTS\s+\d{4}", line)), "")
    year_match = re.search(r"FINANCEMENTS\s+(\d{4})", title)
    if year_match and int(year_match.group(1)) != annee:
        problems.append(f"le titre de l'appel dit « {year_match.group(0).title()} » mais CAMPAGNE={annee}")
    deadline_line = next(((n, line) for n, line in text_lines if re.search(r"d'ici le \d", line)), None)
    lines_used: list[int] = []
    if deadline_line:
        n, line = deadline_line
        m = re.search(r"d'ici le (\d{1,2})(?:er)?\s+(\w+)\s+(\d{4})", line)
        month = _MONTHS.get(fold(m.group(2))) if m else None
        if m and month:
            entry["date_limite"] = date(int(m.group(3)), month, int(m.group(1)))
            lines_used.append(n)
        url = re.search(r"<?(https?://[^\s>]+)>?", line)
        if url:
            entry["plateforme"] = url.group(1)
        if "démarches simplifiées" in line.lower():
            entry["plateforme_nom"] = "Démarches Simplifiées"
    if "date_limite" not in entry:
        problems.append("date limite de dépôt introuvable (« d'ici le JJ mois AAAA »)")
    results = next(((n, line) for n, line in text_lines if re.search(r"seront informés pour (.+?)\.", line)), None)
    if results:
        n, line = results
        found = re.search(r"seront informés pour (?:la )?(.+?)\.", line)
        if found:
            entry["resultats"] = found.group(1)
            lines_used.append(n)
    else:
        problems.append("date des résultats introuvable (« seront informés pour … »)")
    span = f"L{min(lines_used)}-{max(lines_used)}" if lines_used else "introduction"
    entry["source"] = f"{source_file}, introduction ({span})"
    return entry, problems


# --- the draft ---------------------------------------------------------------------------------


@dataclass
class Draft:
    annee: int
    source_file: str
    contacts: list[dict[str, str]]
    contacts_mel: list[dict[str, str]]
    campagne: dict[str, Any]
    problems: list[str]
    groups: list[Group]


def _yes(value: bool) -> str:
    return "oui" if value else "non"


def build_draft(path: Path, annee: int, ref: Referentiel, source_file: str | None = None) -> Draft:
    # Rows cite the référentiel's name of the document (documents.csv), e.g. its versioned copy
    # documents/appel-2026.txt is cited as 002_d8b0c87053850c6b.txt like the curated rows.
    source_file = source_file or ref.documents.get(path.name, path.name)
    lines = read_call(path)
    groups, _, _ = parse_annexe1(lines, ref)
    problems: list[str] = []
    if source_file not in ref.documents.values():
        problems.append(
            f"« {source_file} » n'est pas dans knowledge/data/documents.csv : ajoutez-le avec son titre "
            "lisible (« Appel à projets … de la MEL ») et sa copie dans knowledge/data/documents/"
        )
    rows: list[dict[str, str]] = []
    regions: dict[tuple[str, str], set[str]] = defaultdict(set)
    all_codes = {c for g in groups for c in g.codes}
    for group in groups:
        names = " / ".join(ref.qpv_display[c] for c in group.codes)
        span = (
            f"L{group.first_line}" if group.first_line == group.last_line else f"L{group.first_line}-{group.last_line}"
        )
        source = f"{source_file}, annexe 1 ({names}, {span})"
        problems += [f"annexe 1 {span} : {p}" for p in group.problems]
        for person in group.persons:
            if person.role == "region":
                regions[(person.nom, person.email)] |= set(person.codes)
                continue
            for code in person.codes:
                structure = {
                    "ville": ref.structure(person.insee),
                    "delegue_prefet": "Préfecture du Nord",
                    "autre": f"{person.nom} (maison de quartier)" if person.nom.startswith("MQ ") else person.nom,
                }[person.role]
                note = f"Source : « {person.note} »." if person.statut == "vacant" else ""
                rows.append(
                    {
                        "campagne": str(annee),
                        "territoire_id": "MEL",
                        "role": person.role,
                        "nom": person.nom,
                        "email": person.email,
                        "telephone": person.telephone,
                        "structure": structure,
                        "statut": person.statut,
                        "insee": person.insee,
                        "code_qp": code,
                        "quartier_id": person.quartier_id,
                        "email_douteux": "non",
                        "email_confirme": "",
                        "email_derive": "non",
                        "note": note,
                        "source": source,
                    }
                )
    for (nom, email), codes in regions.items():
        everywhere = codes >= all_codes
        rows.append(
            {
                "campagne": str(annee),
                "territoire_id": "MEL",
                "role": "region",
                "nom": nom,
                "email": email,
                "telephone": "",
                "structure": "Région Hauts-de-France",
                "statut": "en_poste",
                "insee": "",
                "code_qp": "",
                "quartier_id": "",
                "email_douteux": "non",
                "email_confirme": "",
                "email_derive": "non",
                "note": "Même référente Région pour tous les QPV de la MEL." if everywhere else "",
                "source": f"{source_file}, annexe 1 ("
                + ("toutes les cellules" if everywhere else "certaines cellules")
                + f", L{groups[0].first_line}-{groups[-1].last_line})",
            }
        )
        if not everywhere:
            problems.append(f"Région : {nom} n'est pas dans toutes les cellules ; ligne sans périmètre à préciser")
    _dedupe(rows)
    _flag_emails(rows, ref, annee)

    mel_people, pattern, mel_first, mel_last = parse_mel(lines)
    if not mel_people:
        problems.append("référents thématiques de la MEL introuvables (section « Référents thématiques … »)")
    mel_rows = _mel_rows(
        mel_people,
        pattern,
        annee,
        ref,
        f"{source_file}, Référents thématiques au sein des services de la MEL pour les projets métropolitains "
        f"(L{mel_first}-{mel_last})",
    )
    campagne, campaign_problems = parse_campaign(lines, annee, source_file)
    problems += campaign_problems
    previous = _previous_campaign(ref, annee)
    if previous:
        campagne = {
            "territoire": campagne.pop("territoire"),
            "annee": campagne.pop("annee"),
            "intitule": re.sub(str(previous["annee"]), str(annee), previous.get("intitule", "")),
            **campagne,
            "regles": [dict(r) for r in previous.get("regles") or []],
        }
        problems += [
            f"règle « {r['id']} » copiée de {previous['annee']} : elle cite {previous['annee']} ou "
            f"{previous['annee'] - 1}, à réécrire pour {annee}"
            for r in campagne["regles"]
            if re.search(rf"\b({previous['annee']}|{previous['annee'] - 1})\b", r["texte"])
        ]
    return Draft(annee, source_file, rows, mel_rows, campagne, problems, groups)


def _dedupe(rows: list[dict[str, str]]) -> None:
    seen: set[tuple[str, ...]] = set()
    keep = []
    for row in rows:
        key = (row["role"], row["nom"], row["email"], row["insee"], row["code_qp"], row["quartier_id"], row["statut"])
        if key not in seen:
            seen.add(key)
            keep.append(row)
    rows[:] = keep


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def _person_key(nom: str) -> str:
    return fold(nom)


def _same_person(a: str, b: str) -> bool:
    return bool(a and b) and (fold(a) == fold(b) or fuzz.token_set_ratio(fold(a), fold(b)) >= 90)


def _name_parts(nom: str) -> tuple[str, list[str]]:
    words = fold(nom).split()
    return (words[0] if words else ""), words[1:]


def _address_vs_name(email: str, nom: str) -> str:
    """Why the address does not spell the printed name the usual way, or ''."""
    local = fold(email.split("@", 1)[0]).replace(" ", "")
    first, last = _name_parts(nom)
    if not first or not last or any(len(w) > 2 and w in local for w in last):
        surname = "".join(last)
        if surname and local == surname:
            return f"initiale du prénom absente (« {local}@ » ; attendu « {first[:1]}{surname}@ »)"
        if surname and local.endswith(surname) and not first.startswith(local[: len(local) - len(surname)]):
            return f"initiale « {local[: len(local) - len(surname)]} » inattendue pour « {nom} »"
        return ""
    segments = [fold(part).replace(" ", "") for part in email.split("@", 1)[0].split(".")]
    candidates = [seg for seg in segments] + [seg[1:] for seg in segments if len(seg) > 3]
    surname = "".join(last)
    if any(0 < Levenshtein.distance(seg, surname) <= 2 for seg in candidates):
        return f"l'adresse ne reprend pas exactement le nom imprimé « {nom} »"
    return ""


def _flag_emails(rows: list[dict[str, str]], ref: Referentiel, annee: int) -> None:
    """Mark addresses that look mistyped, and the confirmed form when one exists.

    Four signs, each reported with both forms: another form printed for the same person in the same
    call; a domain unusual for the commune (or for the préfecture); an address that does not spell
    the printed name the usual way; a small edit distance from last year's form. `email_confirme`
    is set only when another printed, undisputed form exists.
    """
    # Counted once per table cell (its source), not per QPV the cell covers.
    others_years = [r for r in ref.contacts if r["campagne"] != str(annee)]
    undisputed = {r["email"] for r in others_years if r.get("email_douteux") != "oui" and r["email"]}
    by_person: dict[str, Counter[str]] = defaultdict(Counter)
    for email, nom, _ in {(r["email"], r["nom"], r["source"]) for r in rows if r["email"]}:
        by_person[_person_key(nom)][email] += 1
    domains: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for email, role, insee, _ in {(r["email"], r["role"], r["insee"], r["source"]) for r in [*rows, *others_years]}:
        if email and role in {"ville", "delegue_prefet"}:
            domains[(role, insee if role == "ville" else "")][_domain(email)] += 1
    last_year: dict[str, set[str]] = defaultdict(set)
    previous = max((int(r["campagne"]) for r in others_years if int(r["campagne"]) < annee), default=None)
    for r in others_years:
        if previous and int(r["campagne"]) == previous and r["email"]:
            last_year[f"{r['role']}|{_person_key(r['nom'])}"].add(r["email"])
    for row in rows:
        if not row["email"]:
            continue
        email, reasons, confirmed = row["email"], [], ""
        forms = by_person[_person_key(row["nom"])]
        others = [e for e in forms if e != email and Levenshtein.distance(e.lower(), email.lower()) <= TYPO_DISTANCE]
        if others and forms[email] < forms[others[0]]:
            confirmed = others[0]
            reasons.append(f"« {others[0]} » est imprimé ailleurs dans le même appel pour la même personne")
        usual = domains.get((row["role"], row["insee"] if row["role"] == "ville" else ""))
        own = _domain(email)
        if usual and row["role"] in {"ville", "delegue_prefet"}:
            for other, count in usual.most_common():
                if other == own or count < usual[own]:
                    continue
                if count > usual[own] or Levenshtein.distance(other, own) <= 2:
                    reasons.append(f"domaine « {own} » au lieu de « {other} » ({count} fois contre {usual[own]})")
                    candidate = email.rsplit("@", 1)[0] + "@" + other
                    if not confirmed and count > usual[own] and (candidate in undisputed or candidate in forms):
                        confirmed = candidate
                    break
        mismatch = _address_vs_name(email, row["nom"]) if row["role"] in {"ville", "delegue_prefet", "region"} else ""
        if mismatch:
            reasons.append(mismatch)
        before = last_year.get(f"{row['role']}|{_person_key(row['nom'])}", set())
        near = [e for e in before if 0 < Levenshtein.distance(e.lower(), email.lower()) <= TYPO_DISTANCE]
        if near and email not in before:
            reasons.append(
                f"« {near[0]} » l'an dernier "
                f"({Levenshtein.distance(near[0].lower(), email.lower())} caractère(s) d'écart)"
            )
            first, last = _name_parts(row["nom"])
            usual_form = f"{first[:1]}{''.join(last)}@{own}"
            if not confirmed and mismatch and usual_form in near:
                confirmed = usual_form
        if reasons:
            row["email_douteux"] = "oui"
            row["email_confirme"] = confirmed
            row["note"] = (row["note"] + " " if row["note"] else "") + "À vérifier : " + " ; ".join(reasons) + "."


def _previous_campaign(ref: Referentiel, annee: int) -> dict[str, Any] | None:
    years = [c for c in ref.campagnes if c.get("territoire") == "MEL" and c.get("annee") and c["annee"] < annee]
    return max(years, key=lambda c: c["annee"]) if years else None


def _mel_rows(people: list[MelPerson], pattern: str, annee: int, ref: Referentiel, source: str) -> list[dict[str, str]]:
    previous_year = max((int(r["campagne"]) for r in ref.contacts_mel if int(r["campagne"]) < annee), default=None)
    previous = [r for r in ref.contacts_mel if previous_year and int(r["campagne"]) == previous_year]
    rows = []
    for person in people:
        same_theme = [r for r in previous if fold(r["theme"]) == fold(person.theme)]
        match = next((r for r in same_theme if _same_person(r["nom"], person.nom)), None)
        if match is None and (person.role or person.vacant):
            scored = [(fuzz.partial_ratio(fold(person.role), fold(r.get("note", ""))), r) for r in same_theme]
            best = max(scored, key=lambda s: s[0], default=(0, None))
            match = best[1] if best[0] >= 80 else None
        keys = match["themes_cles"] if match else (same_theme[0]["themes_cles"] if same_theme else "")
        if person.vacant:
            note = f"Poste vacant : « {person.role} »."
        elif person.derive:
            note = f"Adresse déduite de la règle « Format adresse mail : sauf précisé, {pattern} », non imprimée."
        else:
            note = "Adresse imprimée dans l'appel."
        if person.role and not person.vacant:
            note += f" Rôle : « {person.role} »."
        rows.append(
            {
                "campagne": str(annee),
                "theme": person.theme,
                "themes_cles": keys,
                "nom": person.nom,
                "email": person.email,
                "email_derive": _yes(person.derive),
                "note": note,
                "source": source,
            }
        )
    return rows


# --- the review report -------------------------------------------------------------------------


def _scopes(rows: Iterable[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(r["insee"], r["code_qp"], r["quartier_id"]) for r in rows}


def review(draft: Draft, ref: Referentiel) -> list[str]:
    """The French review report, one line per item, against the previous campaign's contacts."""
    annee = draft.annee
    years = sorted(
        {int(r["campagne"]) for r in ref.contacts if r["territoire_id"] == "MEL" and int(r["campagne"]) < annee}
    )
    out = [f"Rapport de relecture — import de « {draft.source_file} » comme campagne {annee}", ""]
    people_new = [r for r in draft.contacts if r["nom"] and r["role"] != "autre"]
    if not years:
        out += [f"Aucune campagne antérieure à {annee} dans knowledge/data/ : toutes les lignes sont nouvelles.", ""]
        old: list[dict[str, str]] = []
        previous = None
    else:
        previous = years[-1]
        old = [r for r in ref.contacts if r["territoire_id"] == "MEL" and int(r["campagne"]) == previous]
        out += [f"Comparaison avec la campagne {previous} de knowledge/data/contacts.csv.", ""]
    people_old = [r for r in old if r["nom"] and r["role"] != "autre"]

    def identity(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
        ids: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            ids[f"{row['role']}|{fold(row['nom'])}"].append(row)
        return ids

    new_ids, old_ids = identity(people_new), identity(people_old)
    # One person may be printed under two spellings (« Deshayé » / « Deshayes »): every old
    # spelling that shares an address or nearly the name joins the new person.
    matched: dict[str, list[str]] = defaultdict(list)
    for old_key, old_rows in old_ids.items():
        if old_key in new_ids:
            matched[old_key].append(old_key)
            continue
        role = old_key.split("|")[0]
        emails = {r["email"].lower() for r in old_rows}
        for key, rows in new_ids.items():
            if key.split("|")[0] == role and (
                emails & {r["email"].lower() for r in rows} or _same_person(rows[0]["nom"], old_rows[0]["nom"])
            ):
                matched[key].append(old_key)
                break
    matched_old = {k for keys in matched.values() for k in keys}

    def where(rows: Iterable[dict[str, str]]) -> str:
        parts = []
        for insee, code, quartier in sorted(_scopes(rows)):
            label = ref.qpv_display.get(code, "tous les QPV") if code else "tous les QPV"
            commune = ref.communes.get(insee, "")
            parts.append(" ".join(p for p in [commune, f"« {label} »", f"({quartier})" if quartier else ""] if p))
        return ", ".join(parts)

    arrivals = [k for k in new_ids if k not in matched]
    departures = [k for k in old_ids if k not in matched_old]
    section: list[str] = []
    for key in arrivals:
        rows = new_ids[key]
        section.append(
            f"  + {rows[0]['nom']} ({rows[0]['role']}, {rows[0]['email'] or 'sans adresse'}) : {where(rows)}"
        )
    out += [f"Personnes qui arrivent ({len(arrivals)}) :", *(section or ["  (aucune)"]), ""]
    section = []
    for key in departures:
        rows = old_ids[key]
        section.append(f"  - {rows[0]['nom']} ({rows[0]['role']}, {rows[0]['email']}) : {where(rows)}")
    out += [f"Personnes qui partent ({len(departures)}) :", *(section or ["  (aucune)"]), ""]

    changed_email, changed_scope, renamed = [], [], []
    for key, old_keys in matched.items():
        rows, old_rows = new_ids[key], [r for k in old_keys for r in old_ids[k]]
        name = rows[0]["nom"]
        for old_name in sorted({r["nom"] for r in old_rows} - {name}):
            renamed.append(f"  ~ « {old_name} » ({previous}) imprimé « {name} » ({annee})")
        new_emails = {r["email"] for r in rows}
        old_emails = {r["email"] for r in old_rows}
        if new_emails != old_emails:
            for email in sorted(new_emails - old_emails):
                closest = min(old_emails, key=lambda e: Levenshtein.distance(e.lower(), email.lower()))
                distance = Levenshtein.distance(closest.lower(), email.lower())
                hint = (
                    f" — {distance} caractère(s) d'écart : coquille probable d'une des deux années"
                    if distance <= TYPO_DISTANCE
                    else ""
                )
                changed_email.append(f"  ! {name} : « {closest} » ({previous}) → « {email} » ({annee}){hint}")
        added, removed = _scopes(rows) - _scopes(old_rows), _scopes(old_rows) - _scopes(rows)
        if added or removed:
            detail = []
            if added:
                detail.append(
                    "en plus : " + where(r for r in rows if (r["insee"], r["code_qp"], r["quartier_id"]) in added)
                )
            if removed:
                detail.append(
                    "en moins : "
                    + where(r for r in old_rows if (r["insee"], r["code_qp"], r["quartier_id"]) in removed)
                )
            changed_scope.append(f"  ~ {name} : " + " ; ".join(detail))
    out += [f"Adresses qui changent ({len(changed_email)}) :", *(changed_email or ["  (aucune)"]), ""]
    out += [f"Périmètres qui changent ({len(changed_scope)}) :", *(changed_scope or ["  (aucun)"]), ""]
    out += [f"Noms imprimés autrement ({len(renamed)}) :", *(renamed or ["  (aucun)"]), ""]

    def vacancies(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], dict[str, str]]:
        return {(r["role"], r["insee"], r["code_qp"]): r for r in rows if r["statut"] == "vacant"}

    new_vac, old_vac = vacancies(draft.contacts), vacancies(old)
    section = []
    for (role, insee, code), row in new_vac.items():
        if (role, insee, code) not in old_vac:
            section.append(
                f"  + {role} vacant à {ref.communes.get(insee, insee)} « {ref.qpv_display.get(code, code)} » : "
                f"{row['note']}"
            )
    out += [f"Nouveaux postes vacants ({len(section)}) :", *(section or ["  (aucun)"]), ""]
    section = []
    for role, insee, code in old_vac:
        if (role, insee, code) not in new_vac:
            filled = [
                r["nom"]
                for r in draft.contacts
                if (r["role"], r["insee"], r["code_qp"]) == (role, insee, code) and r["nom"]
            ]
            section.append(
                f"  ✓ {role} à {ref.communes.get(insee, insee)} « {ref.qpv_display.get(code, code)} » : "
                + (", ".join(sorted(set(filled))) if filled else "ni vacant ni pourvu dans le nouvel appel")
            )
    out += [f"Postes vacants pourvus ({len(section)}) :", *(section or ["  (aucun)"]), ""]

    section = []
    seen: set[str] = set()
    for row in draft.contacts:
        if row["email_douteux"] == "oui" and row["email"] not in seen:
            seen.add(row["email"])
            section.append(
                f"  ? {row['nom']} « {row['email']} »"
                + (f" (forme confirmée : « {row['email_confirme']} »)" if row["email_confirme"] else "")
                + f" — {row['note'].split('À vérifier : ')[-1]}"
            )
    out += [f"Adresses qui semblent mal tapées ({len(section)}) :", *(section or ["  (aucune)"]), ""]

    missing = []
    for code in sorted({c for g in draft.groups for c in g.codes}):
        for insee in sorted(
            ref.qpv_communes.get(code, set()) & {r["insee"] for r in draft.contacts if r["code_qp"] == code}
        ):
            roles = {r["role"] for r in draft.contacts if r["code_qp"] == code and r["insee"] == insee}
            for role in ("ville", "delegue_prefet"):
                if role not in roles:
                    missing.append(f"  ? {ref.communes[insee]} « {ref.qpv_display[code]} » : aucun contact « {role} »")
    mel_known = {
        c
        for c, insees in ref.qpv_communes.items()
        if any(r["code_qp"] == c for r in ref.contacts if r["territoire_id"] == "MEL")
    }
    for code in sorted(mel_known - {c for g in draft.groups for c in g.codes}):
        missing.append(f"  ? « {ref.qpv_display[code]} » ({code}) absent de l'annexe 1 importée")

    old_mel = [r for r in ref.contacts_mel if previous and int(r["campagne"]) == previous]
    section = []
    for row in draft.contacts_mel:
        before = [r for r in old_mel if fold(r["theme"]) == fold(row["theme"])]
        if not row["nom"]:
            section.append(f"  + {row['theme']} : poste vacant — {row['note']}")
        elif not any(_same_person(r["nom"], row["nom"]) for r in before):
            section.append(
                f"  + {row['theme']} : {row['nom']} ({row['email']}"
                + (", adresse déduite" if row["email_derive"] == "oui" else "")
                + ")"
            )
        else:
            same = next(r for r in before if _same_person(r["nom"], row["nom"]))
            if same["nom"] != row["nom"] or same["email"] != row["email"]:
                section.append(
                    f"  ~ {row['theme']} : « {same['nom']} » <{same['email']}> → « {row['nom']} » <{row['email']}>"
                )
    for r in old_mel:
        if r["nom"] and not any(
            fold(n["theme"]) == fold(r["theme"]) and _same_person(n["nom"], r["nom"]) for n in draft.contacts_mel
        ):
            section.append(f"  - {r['theme']} : {r['nom']} ({r['email']})")
    if previous is not None:
        out += [f"Référents thématiques de la MEL qui changent ({len(section)}) :", *(section or ["  (aucun)"]), ""]

    checks = [
        "  1. Relire chaque ligne de contacts.csv contre l'annexe 1 (la colonne source donne les lignes).",
        "  2. Pour chaque adresse ci-dessus « mal tapée » : garder la forme imprimée dans « email », "
        "écrire la forme confirmée dans « email_confirme » seulement si une autre ligne ou année la confirme.",
        "  3. Les adresses « email_derive: oui » de contacts_mel.csv sont déduites de la règle pnom@ : "
        "elles ne sont pas imprimées.",
        "  4. campagne.yaml : date limite, résultats, plateforme, et CHAQUE règle (copiée de la campagne "
        "précédente, source comprise) à relire contre le nouvel appel.",
        "  5. Compléter les notes (débordements de cellules, cellules couvrant plusieurs quartiers).",
        "  6. Copier les lignes relues dans knowledge/data/, puis make check-data, make lookups et make load.",
    ]
    problems = [f"  ! {p}" for p in draft.problems]
    out += [f"Lectures incertaines ({len(problems) + len(missing)}) :", *(problems + missing or ["  (aucune)"]), ""]
    out += ["À vérifier par la personne qui relit (rien n'est chargé avant) :", *checks]
    return out


# --- output ------------------------------------------------------------------------------------


def _csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_draft(draft: Draft, report: list[str], out: Path) -> list[Path]:
    campaign_yaml = (
        f"# BROUILLON généré par `make import-call` depuis {draft.source_file} : à relire avant de l'ajouter\n"
        "# à knowledge/data/campagnes.yaml. Les règles sont celles de la campagne précédente.\n"
        + yaml.safe_dump({"campagnes": [draft.campagne]}, allow_unicode=True, sort_keys=False, width=110)
    )
    files = {
        "contacts.csv": _csv_text(draft.contacts, CONTACT_COLUMNS),
        "contacts_mel.csv": _csv_text(draft.contacts_mel, MEL_COLUMNS),
        "campagne.yaml": campaign_yaml,
        "rapport.txt": "\n".join(report) + "\n",
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        target = out / name
        tmp = out / f".{name}.tmp"
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(target)
        written.append(target)
    return written


def run(path: Path, annee: int, out: Path, data_dir: Path, progress: Any = None) -> tuple[Draft, list[str]]:
    def step(message: str) -> None:
        if progress:
            print(message, file=progress, flush=True)

    if out.resolve() == data_dir.resolve() or data_dir.resolve() in out.resolve().parents:
        raise ImportCallError(
            "Le dossier de sortie ne peut pas être knowledge/data/ : l'import produit un brouillon à relire."
        )
    step(f"[1/4] Lecture du référentiel ({data_dir}) …")
    ref = Referentiel.read(data_dir)
    step(f"[2/4] Lecture de l'appel « {path} » (annexe 1, référents MEL, calendrier) …")
    draft = build_draft(path, annee, ref)
    step(f"      {len(draft.contacts)} lignes de contacts, {len(draft.contacts_mel)} référents MEL.")
    step("[3/4] Comparaison avec la campagne précédente …")
    report = review(draft, ref)
    step(f"[4/4] Écriture du brouillon dans {out}/ …")
    write_draft(draft, report, out)
    return draft, report


def main(argv: list[str] | None = None) -> int:
    from knowledge.config import get_settings

    parser = argparse.ArgumentParser(
        description="Brouillon de campagne à partir du texte d'un appel à projets de la MEL."
    )
    parser.add_argument("file", type=Path, help="texte de l'appel (format des appels 2025 et 2026)")
    parser.add_argument("--campagne", type=int, required=True, help="année de programmation, ex. 2027")
    parser.add_argument("--out", type=Path, help="dossier du brouillon (défaut : var/import-<campagne>/)")
    args = parser.parse_args(argv)
    out = args.out or Path("var") / f"import-{args.campagne}"
    try:
        draft, report = run(args.file, args.campagne, out, get_settings().data_dir, progress=sys.stderr)
    except ImportCallError as exc:
        print(f"ERREUR : {exc} Rien n'a été écrit.", file=sys.stderr)
        return 1
    print("\n".join(report))
    print(
        f"\nBrouillon écrit dans {out}/ (contacts.csv, contacts_mel.csv, campagne.yaml, rapport.txt). "
        "Rien n'est chargé : relisez-le, puis copiez-le dans knowledge/data/."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
