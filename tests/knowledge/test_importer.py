"""`make import-call`: the annexe 1 importer reproduces the curated campaigns and reports changes.

The two calls are read from their versioned copies in `knowledge/data/documents/` (the project never
reads `../shared` at run time).
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from knowledge.config import DATA_DIR
from knowledge.importer import ImportCallError, Referentiel, build_draft, review, run

CALL_2025 = "000_f558cfb9ffa5ad59.txt"
CALL_2026 = "002_d8b0c87053850c6b.txt"
VERSIONED = {CALL_2025: "appel-2025.txt", CALL_2026: "appel-2026.txt"}

# What the comparison holds equal: who, their address, role, scope, vacancy (and structure, phone).
KEY = ("role", "nom", "email", "telephone", "structure", "statut", "insee", "code_qp", "quartier_id")

# Curated rows that annexe 1 cannot give, each with why. Keyed by (campagne, role, email or nom).
NOT_IN_ANNEXE_1 = {
    ("2026", "prefecture", "elvire.barreira@nord.gouv.fr"):
        "préfecture du Nord, « Affaire suivie par » des circulaires annexées au contrat d'Hazebrouck (003), "
        "pas l'annexe 1",
}

# Doubt flags the curated data settled by hand, each with why: (campagne, email) -> (imported, curated).
FLAGS_SETTLED_BY_HAND = {
    ("2026", "gdelsert@haubourdin.fr"): (
        "oui", "non",
        "the address changed by one letter since 2025; the reviewer kept 2026's form, which spells the "
        "name « Delsert » (2025's « gdelser@ » was the typo)"),
    ("2026", "madjabi@mairie-lyslezlannoy.com"): (
        "oui", "non",
        "changed by one letter since 2025; 2026's domain spells the commune (Lys-lez-Lannoy), 2025's "
        "« lysllezlannoy » was the typo"),
    ("2025", "bboquet@ville-lambersart.fr"): (
        "oui", "non",
        "name printed « Bocquet », address « bboquet@ »; 2026 prints the name « Boquet », which confirms "
        "the address"),
}
# The form confirmed by the later call (2026), which an import of 2025 cannot know yet.
CONFIRMED_BY_LATER_CALL = {
    ("2025", "gdelser@haubourdin.fr"): "gdelsert@haubourdin.fr",
    ("2025", "madjabi@mairie-lysllezlannoy.com"): "madjabi@mairie-lyslezlannoy.com",
}
# themes_cles are curated keywords, carried from last year's row of the same person: 2026 no longer
# says that Anthony Fagot works « sur le numérique », so the reviewer dropped that keyword.
THEMES_SETTLED_BY_HAND = {("2026", "Anthony Fagot"): "emploi|économie|insertion|développement économique|entreprise"}


def call_path(name: str) -> Path:
    return DATA_DIR / "documents" / VERSIONED[name]


@pytest.fixture(scope="module")
def ref() -> Referentiel:
    return Referentiel.read(DATA_DIR)


def curated(name: str, year: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["campagne"] == year]


@pytest.mark.parametrize("year,call", [("2026", CALL_2026), ("2025", CALL_2025)])
def test_import_reproduces_the_curated_contacts(ref: Referentiel, year: str, call: str) -> None:
    draft = build_draft(call_path(call), int(year), ref)
    expected = Counter(tuple(r[k] for k in KEY) for r in curated("contacts.csv", year)
                       if (year, r["role"], r["email"] or r["nom"]) not in NOT_IN_ANNEXE_1)
    imported = Counter(tuple(r[k] for k in KEY) for r in draft.contacts)
    assert expected - imported == Counter(), "curated rows the importer did not find"
    assert imported - expected == Counter(), "imported rows the curated data does not have"
    assert all(r["source"].startswith(f"{call}, annexe 1 (") and "L" in r["source"] for r in draft.contacts)


def test_every_allow_listed_row_still_exists() -> None:
    """An allow-list entry whose row is gone must be removed, not kept as a silent tolerance."""
    for year, role, who in NOT_IN_ANNEXE_1:
        assert any(r["role"] == role and (r["email"] or r["nom"]) == who for r in curated("contacts.csv", year))
    for (year, email), (_, flag, _why) in FLAGS_SETTLED_BY_HAND.items():
        assert [r["email_douteux"] for r in curated("contacts.csv", year) if r["email"] == email][:1] == [flag]


@pytest.mark.parametrize("year,call", [("2026", CALL_2026), ("2025", CALL_2025)])
def test_doubtful_addresses_are_flagged_like_the_curated_data(ref: Referentiel, year: str, call: str) -> None:
    draft = build_draft(call_path(call), int(year), ref)
    imported = {r["email"]: (r["email_douteux"], r["email_confirme"]) for r in draft.contacts if r["email"]}
    differences = {}
    for row in curated("contacts.csv", year):
        if not row["email"] or (year, row["role"], row["email"]) in NOT_IN_ANNEXE_1:
            continue
        flag, confirmed = imported[row["email"]]
        settled = FLAGS_SETTLED_BY_HAND.get((year, row["email"]))
        if settled:
            assert (flag, row["email_douteux"]) == settled[:2]
            continue
        assert flag == row["email_douteux"], row["email"]
        later = CONFIRMED_BY_LATER_CALL.get((year, row["email"]))
        if later:
            assert row["email_confirme"] == later and confirmed == ""
        elif confirmed != row["email_confirme"]:
            differences[row["email"]] = (confirmed, row["email_confirme"])
    assert differences == {}


@pytest.mark.parametrize("year,call", [("2026", CALL_2026), ("2025", CALL_2025)])
def test_import_reproduces_the_mel_thematic_contacts(ref: Referentiel, year: str, call: str) -> None:
    draft = build_draft(call_path(call), int(year), ref)
    key = ("theme", "nom", "email", "email_derive")
    expected = Counter(tuple(r[k] for k in key) for r in curated("contacts_mel.csv", year))
    assert Counter(tuple(r[k] for k in key) for r in draft.contacts_mel) == expected
    vacant = [r for r in draft.contacts_mel if not r["nom"]]
    assert len(vacant) == (1 if year == "2026" else 0)
    if year == "2026":
        themes = {r["nom"]: r["themes_cles"] for r in curated("contacts_mel.csv", year)}
        for row in draft.contacts_mel:
            wanted = THEMES_SETTLED_BY_HAND.get((year, row["nom"]), themes.get(row["nom"]))
            if row["nom"]:
                assert row["themes_cles"] == wanted or (year, row["nom"]) in THEMES_SETTLED_BY_HAND, row["nom"]


@pytest.mark.parametrize("year,call", [("2026", CALL_2026), ("2025", CALL_2025)])
def test_import_reads_the_deadline_results_and_platform(ref: Referentiel, year: str, call: str) -> None:
    campaign = build_draft(call_path(call), int(year), ref).campagne
    current = next(c for c in ref.campagnes if c["territoire"] == "MEL" and c["annee"] == int(year))
    for field in ("date_limite", "resultats", "plateforme", "plateforme_nom"):
        assert campaign[field] == current[field], field
    assert campaign["source"].startswith(f"{call}, introduction (L")


def _changed_2027(tmp_path: Path) -> Path:
    """The 2026 call as if it were 2027's: one address mistyped, one person replaced, one vacancy."""
    text = call_path(CALL_2026).read_text(encoding="utf-8")
    changes = [
        ("FINANCEMENTS 2026", "FINANCEMENTS 2027"),
        ("d'ici le 15 octobre 2025", "d'ici le 14 octobre 2026"),
        ("fin du premier trimestre 2026", "fin du premier trimestre 2027"),
        ("lchabert@ville-roubaix.fr", "lchabart@ville-roubaix.fr"),
        ("Julie Montois jmontois@mairie-wattignies.com", "Nora Benali nbenali@mairie-wattignies.com"),
        ("Laurie Saint-Pol lsaintpol@ville-ronchin.fr", "poste en cours de recrutement"),
    ]
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "appel-2027.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_shows_a_mistyped_address_a_replaced_person_and_a_vacancy(ref: Referentiel, tmp_path: Path) -> None:
    draft = build_draft(_changed_2027(tmp_path), 2027, ref)
    report = "\n".join(review(draft, ref))
    sections = dict(part.split(" :\n", 1) for part in report.split("\n\n") if " :\n" in part)

    def section(title: str) -> str:
        return next(body for head, body in sections.items() if head.startswith(title))

    assert "Nora Benali" in section("Personnes qui arrivent")
    assert "Julie Montois" in section("Personnes qui partent")
    assert "Laurie Saint-Pol" in section("Personnes qui partent")
    changed = section("Adresses qui changent")
    assert "lchabert@ville-roubaix.fr" in changed and "lchabart@ville-roubaix.fr" in changed
    assert "coquille probable" in changed
    assert "lchabart@ville-roubaix.fr" in section("Adresses qui semblent mal tapées")
    vacancies = section("Nouveaux postes vacants")
    assert "Ronchin" in vacancies and "poste en cours de recrutement" in vacancies
    assert "Wattignies" not in vacancies  # its délégué post was already vacant in 2026: not new
    assert draft.campagne["date_limite"].isoformat() == "2026-10-14"
    assert draft.campagne["resultats"] == "fin du premier trimestre 2027"
    assert "Nora Benali" in {r["nom"] for r in draft.contacts}
    assert any(r["statut"] == "vacant" and r["role"] == "ville" and r["insee"] == "59507" for r in draft.contacts)


def test_report_of_the_real_2026_call_names_the_known_changes(ref: Referentiel) -> None:
    report = "\n".join(review(build_draft(call_path(CALL_2026), 2026, ref), ref))
    assert "Lois Caplain" in report and "Rachid Bouadma" in report       # Tourcoing: one leaves, one arrives
    assert "« fkoroghli@mairie-lille.fr » (2025) → « koroghli@mairie-lille.fr » (2026)" in report
    assert "sbastien.humez@nord.gouv.fr" in report and "lenord.gouv.fr" in report
    assert "Fanny Boizeau" in report.split("Postes vacants pourvus")[1]
    assert "Rémi Wagon" in report and "Déborah Facon" in report        # MEL thematic contacts
    assert "À vérifier par la personne qui relit" in report


def _digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.glob("*.*")))).hexdigest()


def test_run_writes_a_draft_and_loads_nothing(tmp_path: Path) -> None:
    before = _digest(DATA_DIR)
    out = tmp_path / "import-2027"
    draft, report = run(_changed_2027(tmp_path), 2027, out, DATA_DIR)
    assert sorted(p.name for p in out.iterdir()) == ["campagne.yaml", "contacts.csv", "contacts_mel.csv", "rapport.txt"]
    def header(path: Path) -> str:
        return path.read_text(encoding="utf-8").splitlines()[0]

    assert header(out / "contacts.csv") == header(DATA_DIR / "contacts.csv")  # same columns as the référentiel
    assert header(out / "contacts_mel.csv") == header(DATA_DIR / "contacts_mel.csv")
    assert (out / "rapport.txt").read_text(encoding="utf-8").splitlines() == report
    assert _digest(DATA_DIR) == before


def test_bad_files_give_a_french_error_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    no_annex = tmp_path / "sans-annexe.txt"
    no_annex.write_text("FINANCEMENTS 2027\n\nDes projets.\n", encoding="utf-8")
    with pytest.raises(ImportCallError, match="Annexe 1 introuvable"):
        run(no_annex, 2027, out, DATA_DIR)
    binary = tmp_path / "appel.pdf"
    binary.write_bytes(b"%PDF-1.7\n\xff\xfe\x00")
    with pytest.raises(ImportCallError, match="n'est pas un texte UTF-8"):
        run(binary, 2027, out, DATA_DIR)
    with pytest.raises(ImportCallError, match="introuvable"):
        run(tmp_path / "absent.txt", 2027, out, DATA_DIR)
    with pytest.raises(ImportCallError, match="ne peut pas être knowledge/data/"):
        run(call_path(CALL_2026), 2027, DATA_DIR, DATA_DIR)
    assert not out.exists()


def test_an_unknown_quartier_is_an_error_naming_the_line(tmp_path: Path) -> None:
    text = call_path(CALL_2026).read_text(encoding="utf-8").replace("Seclin\tLa Mouchonnaière", "Seclin\tLes Vergers")
    path = tmp_path / "appel.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportCallError, match=r"Ligne 108 : quartier « Les Vergers » inconnu"):
        run(path, 2027, tmp_path / "out", DATA_DIR)
    assert not (tmp_path / "out").exists()
