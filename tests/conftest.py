"""Shared fixtures: a real SQLite référentiel built from knowledge/data/ once per run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="cvs-tests-"))
TEST_DB_URL = f"sqlite:///{_TMP / 'referentiel.db'}"
# Set before any knowledge/ settings are read: services and actions use it by default.
os.environ["DATABASE_URL"] = TEST_DB_URL
os.environ.pop("BOT_TODAY", None)


@pytest.fixture(scope="session", autouse=True)
def db_url() -> str:
    from knowledge.loader import load

    load(TEST_DB_URL)
    return TEST_DB_URL


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    return _TMP
