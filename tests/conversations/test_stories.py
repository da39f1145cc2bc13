"""Conversation tests: Rasa test stories, predictions must all be right."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _user_turns() -> list[str]:
    import yaml

    turns = []
    for path in sorted(Path(__file__).parent.glob("*.yml")):
        for story in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("stories") or []:
            turns += [str(step["user"]).strip() for step in story.get("steps") or [] if "user" in step]
    return turns


def test_conversation_user_turns_are_not_training_examples() -> None:
    """The stories test the assistant on wordings it was not trained on (same rule as the held-out sets)."""
    from tests.nlu.leaks import leaks, training_examples

    turns = _user_turns()
    assert len(turns) >= 30
    leaked = leaks(turns, training_examples())
    assert not leaked, leaked


@pytest.mark.e2e
def test_conversation_stories_pass(stack, tmp_root: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_root / "rasa-test"
    env = dict(os.environ, ACTION_ENDPOINT_URL=f"{stack.actions_url}/webhook", SQLALCHEMY_SILENCE_UBER_WARNING="1",
               PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [str(ROOT / ".venv/bot/bin/rasa"), "test", "core", "--model", str(ROOT / "models/assistant.tar.gz"),
         "--stories", str(ROOT / "tests/conversations"), "--endpoints", "bot/endpoints.yml",
         "--out", str(out), "--fail-on-prediction-errors", "--no-plot"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}\n{detail}"
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    assert report["conversation_accuracy"]["accuracy"] == 1.0
