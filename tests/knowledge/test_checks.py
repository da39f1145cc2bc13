"""`make check-data` passes on the référentiel and catches what it must."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from knowledge.checks import check
from knowledge.config import DATA_DIR
from knowledge.loader import read_csv
from knowledge.lookups import LOOKUP_PATH, render


def test_reference_data_has_no_error() -> None:
    report = check()
    assert report.errors == []


def test_doubtful_emails_are_reported_with_both_forms() -> None:
    warnings = "\n".join(check().warnings)
    assert "sbastien.humez@nord.gouv.fr" in warnings and "sebastien.humez@nord.gouv.fr" in warnings
    assert "lenord.gouv.fr" in warnings


def _edit_contacts(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "contacts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return data


def test_invalid_email_missing_source_and_missing_prefect_are_errors(tmp_path: Path) -> None:
    def change(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        rows[0]["email"] = "pas-une-adresse"
        rows[1]["source"] = ""
        return [r for r in rows if not (r["insee"] == "59648" and r["role"] == "delegue_prefet")]

    errors = "\n".join(check(_edit_contacts(tmp_path, change)).errors)
    assert "pas-une-adresse" in errors
    assert "sans source" in errors
    assert "Blanc-Riez" in errors and "délégué du préfet" in errors


def test_committed_lookup_table_is_up_to_date() -> None:
    assert LOOKUP_PATH.read_text(encoding="utf-8") == render(), "lancez `make lookups`"


# --- the gaps of the audit (issue 13): each kind is caught from now on -------------------------


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def _edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    import yaml

    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit_csv(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_annexe_3_detail_and_cpo_beneficiaries_are_required(tmp_path: Path) -> None:
    data = _copy(tmp_path)

    def drop(content: dict) -> None:
        mel_2026 = next(c for c in content["campagnes"] if c["annee"] == 2026)
        mel_2026["regles"] = [r for r in mel_2026["regles"]
                              if r["id"] not in ("bilan_chiffres_cles", "cpo_beneficiaires")]
        objectives = next(r for r in mel_2026["regles"] if r["id"] == "bilan_objectifs_operationnels")
        objectives["valeurs"] = {"min": 5, "max": 2}

    _edit_yaml(data / "campagnes.yaml", drop)
    errors = "\n".join(check(data).errors)
    assert "MEL 2026 : règle 'bilan_chiffres_cles' absente" in errors
    assert "bilan_objectifs_operationnels : valeurs {min, max}" in errors
    assert "MEL 2026 : règle « cpo » sans « cpo_beneficiaires »" in errors
    assert "MEL 2025" not in errors


def test_the_annexe_3_rules_hold_what_the_2026_call_prints() -> None:
    import yaml

    content = yaml.safe_load((DATA_DIR / "campagnes.yaml").read_text(encoding="utf-8"))
    rules = {r["id"]: r for r in next(c for c in content["campagnes"] if c["annee"] == 2026)["regles"]}
    assert rules["bilan_objectifs_operationnels"]["valeurs"] == {"min": 2, "max": 5}
    assert rules["bilan_chiffres_cles"]["valeurs"]["obligatoire"] is True
    assert "dates de début et de fin" in rules["bilan_periode"]["texte"]
    assert all("002_d8b0c87053850c6b.txt, annexe 3" in rules[r]["source"] for r in rules if r.startswith("bilan_"))


def test_a_planned_signature_date_cannot_be_called_signed(tmp_path: Path) -> None:
    data = _copy(tmp_path)

    def change(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["id"] == "CAMBRAI":
                row["date_signature_statut"] = "signee"  # only the press kit's calendar says so
            if row["id"] == "CAUDRY":
                row["date_signature_statut"] = ""
        return rows

    _edit_csv(data / "territoires.csv", change)
    report = check(data)
    errors = "\n".join(report.errors)
    assert "CAMBRAI est « signee » mais sa seule source est un calendrier prévisionnel" in errors
    assert "CAUDRY a une date de signature sans statut" in errors
    # The MEL's 7 May 2024 is confirmed by the calls: « signee » is accepted there.
    assert not [e for e in report.errors if e.startswith("territoires.csv:2 ")]


def test_signature_statuses_of_the_referentiel() -> None:
    rows = {row["id"]: row for _, row in read_csv(DATA_DIR / "territoires.csv")}
    assert rows["MEL"]["date_signature_statut"] == "signee" and rows["MEL"]["date_signature"] == "2024-05-07"
    assert rows["HAZEBROUCK"]["date_signature_statut"] == "prevue"
    assert {r["date_signature_statut"] for r in rows.values() if r["id"] != "MEL" and r["date_signature"]} == {"prevue"}


def test_an_address_printed_in_a_source_must_be_in_a_contact_file(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit_csv(data / "contacts_generaux.csv",
              lambda rows: [r for r in rows if r["email"] != "pref-communication@nord.gouv.fr"])
    errors = "\n".join(check(data).errors)
    assert "001_dcf96bdd28db9db6.txt, L726 : l'adresse 'pref-communication@nord.gouv.fr'" in errors
    assert "004_951ce83850a62834.txt, L379" in errors


def test_general_contacts_need_a_known_role_and_a_source(tmp_path: Path) -> None:
    data = _copy(tmp_path)

    def change(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        rows[0]["role"] = "ville"
        rows[1]["source"] = ""
        return rows

    _edit_csv(data / "contacts_generaux.csv", change)
    errors = "\n".join(check(data).errors)
    assert "contacts_generaux.csv:2 : rôle 'ville'" in errors
    assert "contacts_generaux.csv:3 : ligne sans source" in errors


def test_contract_facts_need_a_source(tmp_path: Path) -> None:
    data = _copy(tmp_path)

    def change(content: dict) -> None:
        content["contrats"][0]["faits"][0]["source"] = ""

    _edit_yaml(data / "contrats.yaml", change)
    assert "contrats.yaml MEL 'perimetres_attention' : fait sans source." in check(data).errors


def test_an_ambition_text_that_lost_its_final_punctuation_is_an_error(tmp_path: Path) -> None:
    data = _copy(tmp_path)

    def change(content: dict) -> None:
        ambition = next(a for a in content["ambitions"] if a["id"] == "6.4")
        ambition["texte"] = ambition["texte"].rstrip(" ;")

    _edit_yaml(data / "ambitions.yaml", change)
    errors = "\n".join(check(data).errors)
    assert "ambitions.yaml 6.4 : texte différent de 002_d8b0c87053850c6b.txt : la source continue par « ; »" in errors


def test_a_matcher_example_citing_the_wrong_file_or_saying_more_is_an_error(tmp_path: Path) -> None:
    data = _copy(tmp_path)

    def change(content: dict) -> None:
        examples = content["4.5"]["exemples"]
        sourced = next(e for e in examples if "stupéfiants" in e["texte"])
        sourced["source"] = "001_dcf96bdd28db9db6.txt, enjeu n°4"  # the press kit does not name the trafficking
        content["2.4"]["exemples"].append({"texte": "Augmenter de 5 % le nombre de places en crèches d'ici 2027 "
                                                    "pour les parents qui reprennent un emploi",
                                           "source": "004_951ce83850a62834.txt, exemples de mesures (emploi)"})
        content["1.1"]["exemples"].append({"texte": "Aide aux devoirs", "source": "005_inconnu.txt"})

    _edit_yaml(data / "ambitions_descripteurs.yaml", change)
    errors = "\n".join(check(data).errors)
    assert "ambitions_descripteurs.yaml 4.5" in errors and "trafics, stupefiants" in errors
    assert "ambitions_descripteurs.yaml 2.4" in errors and "reprennent" in errors
    assert "source '005_inconnu.txt' inconnue" in errors
