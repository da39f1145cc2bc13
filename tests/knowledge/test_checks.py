"""`make check-data` passes on the référentiel and catches what it must."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from knowledge.checks import check
from knowledge.config import DATA_DIR
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
