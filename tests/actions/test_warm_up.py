"""The action server's warm-up starts once it serves, never while its modules are being imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_server_starts_no_thread_and_serving_starts_the_warm_up_once() -> None:
    script = """
import threading
import actions.server
assert [t.name for t in threading.enumerate()] == ["MainThread"], threading.enumerate()
import actions
app = actions.server.build_app()
assert "after_server_start" in {listener.event for listener in app._future_listeners}
assert actions.start_warm_up() is True
assert actions.start_warm_up() is False  # once per process
assert "actions-warmup" in [t.name for t in threading.enumerate()]
print("ok")
"""
    env = dict(os.environ, ACTIONS_WARMUP="1", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-2000:]


def test_the_warm_up_can_be_turned_off() -> None:
    script = "import actions; assert actions.start_warm_up() is False; print('ok')"
    env = dict(os.environ, ACTIONS_WARMUP="0", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
