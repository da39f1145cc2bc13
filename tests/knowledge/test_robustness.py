"""Bad input never raises and never changes the database."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from knowledge.db import get_engine
from knowledge.services.contacts import contacts_for, mel_contacts
from knowledge.services.places import find_place, resolve_place
from knowledge.services.referentiel import ambition_detail

BAD_INPUTS = [
    "", "   ", "\n\t", "a" * 10_000, "'; DROP TABLE contact; --", "' OR '1'='1", "1; DELETE FROM qpv",
    "\x00\x01\x02\x1b[31m", "🙂🙂🙂", "<script>alert(1)</script>", None, 42, "%", "_", "\\",
]


def _fingerprint(url: str) -> str:
    digest = hashlib.sha256()
    with get_engine(url).connect() as connection:
        for table in ("territoire", "commune", "qpv", "quartier", "contact", "contact_mel", "campagne"):
            for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608 - fixed names
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.mark.parametrize("value", BAD_INPUTS, ids=lambda v: repr(v)[:30])
def test_bad_input_is_a_clean_not_found(value: object, db_url: str) -> None:
    before = _fingerprint(db_url)
    place = resolve_place(value)
    assert place.kind == "inconnu"
    assert find_place(value).kind == "inconnu"
    assert contacts_for(place).status == "inconnu"
    assert mel_contacts(value if isinstance(value, str) else None).status in ("themes", "ok")
    assert ambition_detail(value) is None
    assert _fingerprint(db_url) == before
