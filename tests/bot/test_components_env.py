"""Runs tests/bot/test_components.py in the `bot` environment (Rasa is not in the main suite's environment)."""

from __future__ import annotations

from tests.bot.test_bot_environment import _run_in_bot_env


def test_nlu_components_in_the_bot_environment() -> None:
    result = _run_in_bot_env("tests/bot/test_components.py")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.count("ok test_") + result.stdout.count(" passed") >= 1, result.stdout[-2000:]
