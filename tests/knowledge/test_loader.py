"""The loader builds the same database every time, and fails cleanly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge import models as m
from knowledge.config import DATA_DIR
from knowledge.db import get_engine, read_session
from knowledge.loader import DataError, load


def _counts(url: str) -> dict[str, int]:
    with read_session(url) as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in m.ALL_TABLES}


def test_loading_twice_gives_the_same_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    first = load(url)
    second = load(url)
    assert first.counts == second.counts == _counts(url)
    assert first.counts["qpv"] >= 94 and first.counts["ambition"] == 31 and first.counts["enjeu"] == 6


def test_reference_counts(db_url: str) -> None:
    with read_session(db_url) as session:
        mel = session.scalars(select(m.Qpv).where(m.Qpv.territoire_id == "MEL")).all()
        assert len(mel) == 26
        assert session.get(m.Qpv, "QN05941I").territoire_id == "HAZEBROUCK"  # type: ignore[union-attr]
        assert session.get(m.Commune, "59298").associee_de == "59350"  # type: ignore[union-attr]  # Hellemmes
        assert session.get(m.Commune, "59355").associee_de == "59350"  # type: ignore[union-attr]  # Lomme
        campaigns = {c.annee: c for c in session.scalars(select(m.Campagne).where(m.Campagne.territoire_id == "MEL"))}
        assert str(campaigns[2026].date_limite) == "2025-10-15"
        assert str(campaigns[2025].date_limite) == "2024-10-15"


def test_broken_data_leaves_the_previous_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keep.db'}"
    load(url)
    before = _counts(url)
    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    (broken / "qpv.csv").write_text("code,nom_officiel\nQN0,\n", encoding="utf-8")
    with pytest.raises(DataError):
        load(url, broken)
    assert _counts(url) == before
    get_engine(url).dispose()
