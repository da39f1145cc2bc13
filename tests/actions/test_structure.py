"""The rules of the code that issue 13 made checkable: thin actions, no campaign year nor threshold in code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A campaign year (2025, 2026…) or a euro threshold. Contract periods ("2024-2030") and the dates of
# documents and decrees ("mars 2024", "28 décembre 2023") are facts of the texts, not of a call.
_YEAR_OR_THRESHOLD = re.compile(r"(?<![\d-])20(2[5-9]|3\d)(?![\d-])|\b\d{1,3}[  \u202f]?000\s?(€|euros)")


def test_every_action_module_is_thin() -> None:
    for path in sorted((ROOT / "actions").glob("*.py")):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 80, path.name


def test_no_campaign_year_nor_threshold_outside_data() -> None:
    places = [*(ROOT / "knowledge" / "services").glob("*.py"), *(ROOT / "actions").glob("*.py"),
              *(ROOT / "bot" / "domain").glob("*.yml")]
    found = [f"{path.name}:{n}: {line.strip()[:80]}" for path in places
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if _YEAR_OR_THRESHOLD.search(line)]
    assert not found, found
