"""`rasa data validate` finds nothing wrong in bot/ and data/ (scripts/validate.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_rasa_data_validate_has_no_warning() -> None:
    proc = subprocess.run([str(ROOT / ".venv/bot/bin/python"), "scripts/validate.py"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "0 avertissement(s)" in proc.stdout
