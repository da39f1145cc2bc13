"""SIRET checks (python-stdnum Luhn key) and the help for associations."""

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.services.siret import AIDE_SANS_SIRET, check_siret, format_siret


@pytest.mark.parametrize("text", [
    "732 829 320 00074", "73282932000074", "732.829.320.00074",
    " 732 829 320 00074 ", "732\u00a0829\u00a0320\u00a000074", "732-829-320-00074",
])
def test_valid_siret_in_any_layout(text: str) -> None:
    check = check_siret(text)
    assert check.statut == "ok" and check.ok
    assert check.siret == "73282932000074"
    assert check.siren == "732829320"
    assert "732 829 320 00074" in check.message


def test_bad_check_key() -> None:
    check = check_siret("123 456 789 00012")
    assert check.statut == "cle_invalide"
    assert check.siret == "12345678900012"
    assert "clé de contrôle" in check.message and "Recopiez" in check.message


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
    assert hint in check.message


def test_la_poste_special_rule_is_accepted() -> None:
    assert check_siret("356 000 000 00048").ok


def test_format_and_help_text() -> None:
    assert format_siret("73282932000074") == "732 829 320 00074"
    assert "Insee" in AIDE_SANS_SIRET and "RNA" in AIDE_SANS_SIRET
    assert "répertoire Sirene" in AIDE_SANS_SIRET


def test_services_import_neither_rasa_nor_spacy() -> None:
    """Importing the services is light: spaCy is loaded lazily, Rasa never."""
    code = ("import sys, knowledge.services.siret, knowledge.services.calendar, "
            "knowledge.services.objectives, knowledge.services.eligibility; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('rasa', 'rasa_sdk', 'spacy')]; print(bad); sys.exit(bool(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stdout + done.stderr
