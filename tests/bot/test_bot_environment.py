"""Runs the tests of tests/bot/ that need Rasa in the `bot` environment (.venv/bot), in a subprocess.

The main suite runs with .venv/actions (no Rasa). `.venv/bot` has no pytest (requirements/bot.txt
does not list it), so the file is run as a script, which calls each test function; with pytest
installed there, `.venv/bot/bin/python -m pytest tests/bot/test_rasa_patches.py --noconftest` is used.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOT_PY = ROOT / ".venv/bot/bin/python"


def _run_in_bot_env(test_file: str) -> subprocess.CompletedProcess[str]:
    assert BOT_PY.exists(), "environnement .venv/bot absent : lancez `make install`"
    has_pytest = subprocess.run([str(BOT_PY), "-c", "import pytest"], capture_output=True).returncode == 0
    command = ([str(BOT_PY), "-m", "pytest", test_file, "-q", "--noconftest", "-p", "no:cacheprovider"]
               if has_pytest else [str(BOT_PY), test_file])
    env = dict(os.environ, PYTHONPATH=str(ROOT), SQLALCHEMY_SILENCE_UBER_WARNING="1", TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_rasa_patches_agree_with_rasa_in_the_bot_environment() -> None:
    result = _run_in_bot_env("tests/bot/test_rasa_patches.py")
    report = result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, report
    assert " passed" in result.stdout and " failed" not in result.stdout.replace("0 failed", ""), report
