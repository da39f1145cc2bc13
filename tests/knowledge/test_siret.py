"""SIRET and SIREN checks (python-stdnum Luhn key), in the form and anywhere in a message."""

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.services.siret import AIDE_SANS_SIRET, MESSAGE_KEYS, check_siret, check_siret_in_text, format_siret
from tests.knowledge.domain_text import TEMPLATE, french


@pytest.mark.parametrize("text", [
    "732 829 320 00074", "73282932000074", "732.829.320.00074",
    " 732 829 320 00074 ", "732\u00a0829\u00a0320\u00a000074", "732-829-320-00074",
])
def test_valid_siret_in_any_layout(text: str) -> None:
    check = check_siret(text)
    assert check.statut == "ok" and check.ok
    assert check.siret == "73282932000074"
    assert check.siren == "732829320"
    assert "732 829 320 00074" in french(check.message)


def test_bad_check_key() -> None:
    check = check_siret("123 456 789 00012")
    assert check.statut == "cle_invalide"
    assert check.siret == "12345678900012"
    assert "clé de contrôle" in french(check.message) and "Recopiez" in french(check.message)


@pytest.mark.parametrize("text, hint", [
    ("", "14 chiffres"),
    ("732 829 320", "SIREN"),
    ("732 829 320 0007", "13 chiffres"),
    ("732 829 320 000744", "15 chiffres"),
    ("73282932O00074", "que des chiffres"),
    ("W592001234", "que des chiffres"),
])
def test_bad_format_says_how_to_fix(text: str, hint: str) -> None:
    check = check_siret(text)
    assert check.statut == "mauvais_format"
    assert check.siret is None
    assert hint in french(check.message)


def test_la_poste_special_rule_is_accepted() -> None:
    assert check_siret("356 000 000 00048").ok


def test_format_and_help_text() -> None:
    assert format_siret("73282932000074") == "732 829 320 00074"
    aide = french(AIDE_SANS_SIRET)
    assert "Insee" in aide and "RNA" in aide and "répertoire Sirene" in aide


def test_services_import_neither_rasa_nor_spacy() -> None:
    """Importing the services is light: spaCy is loaded lazily, Rasa never."""
    code = ("import sys, knowledge.services.siret, knowledge.services.calendar, "
            "knowledge.services.objectives, knowledge.services.eligibility; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('rasa', 'rasa_sdk', 'spacy')]; print(bad); sys.exit(bool(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stdout + done.stderr


# --- a number anywhere in a message (issue 10, item 6) -----------------------------------------

@pytest.mark.parametrize("text, kind, numero, words", [
    ("Bonjour, voici le SIRET de notre asso : 732 829 320 00074. C'est bon ?", "siret_valide", "73282932000074",
     ["732 829 320 00074 est valide", "SIREN", "732 829 320"]),
    ("le numéro 732.829.320.00074 convient-il ?", "siret_valide", "73282932000074", ["valide"]),
    ("La Poste a le 35600000000048", "siret_valide", "35600000000048", ["valide"]),
    ("on a mis 123-456-789-00012 dans le dossier, ça passe ?", "siret_invalide", "12345678900012",
     ["clé de contrôle est fausse"]),
    ("je n'ai que 552 100 554, est-ce assez ?", "siren_valide", "552100554",
     ["SIREN valide", "14 chiffres", "9 premiers"]),
    ("siren 123456789 ok ?", "siren_invalide", "123456789", ["clé de contrôle est fausse", "14 chiffres"]),
    ("notre siret 7328293200007 (il en manque ?)", "siret_invalide", "7328293200007", ["13 chiffres", "14"]),
    ("est-ce que mon siret est bon ?", "aucun_numero", None, ["14 chiffres", "9 chiffres"]),
])
def test_number_anywhere_in_a_message(text: str, kind: str, numero: str | None, words: list[str]) -> None:
    result = check_siret_in_text(text)
    assert (result.kind, result.numero) == (kind, numero)
    said = french(result.message)
    assert all(w in said for w in words), said


@pytest.mark.parametrize("text", [
    "appelez-nous au 03 20 91 81 74", "nous demandons 15 000 € pour 2026", "rendez-vous le 15/10/2025",
])
def test_phone_numbers_amounts_and_dates_are_not_identifiers(text: str) -> None:
    assert check_siret_in_text(text).kind == "aucun_numero"


def test_siret_wins_over_a_siren_in_the_same_message() -> None:
    result = check_siret_in_text("SIREN 552 100 554, SIRET 732 829 320 00074")
    assert result.kind == "siret_valide" and result.numero == "73282932000074"


def test_every_key_has_its_response_in_the_domain() -> None:
    for key in MESSAGE_KEYS:
        assert TEMPLATE(f"utter_{key}"), key
