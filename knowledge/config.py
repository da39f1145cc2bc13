"""Settings of the référentiel, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_DB_PATH = ROOT / "var" / "referentiel.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
    return Settings(database_url=url, data_dir=Path(os.environ.get("REFERENTIEL_DATA_DIR", DATA_DIR)))
