"""`make run` (scripts/run.sh) keeps conversations across a restart, and survives its action server.

scripts/run.sh itself, on test ports (25205 Rasa, 25255 actions, 25280 page) and in a temporary
RUN_DIR: Rasa's SQLTrackerStore on an SQLite file, a token generated into RUN_DIR.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
RASA, ACTIONS, WEB = 25205, 25255, 25280
RASA_URL = f"http://127.0.0.1:{RASA}"


class MakeRun:
    def __init__(self, run_dir: Path, db_url: str) -> None:
        self.run_dir = run_dir
        self.env = dict(os.environ, RASA_PORT=str(RASA), ACTIONS_PORT=str(ACTIONS), WEB_PORT=str(WEB),
                        RUN_DIR=str(run_dir), DATABASE_URL=db_url, ACTIONS_WARMUP="0")
        self.env.pop("RASA_AUTH_TOKEN", None)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.run_dir / "run.out").open("ab")
        self.process = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 300
        while b"Pr\xc3\xaat." not in (self.run_dir / "run.out").read_bytes().split(b"==> Arr")[-1]:
            assert self.process.poll() is None, (self.run_dir / "run.out").read_text()[-3000:]
            assert time.monotonic() < deadline, "make run n'est pas prêt après 300 s"
            time.sleep(0.5)
        self.wait_actions()

    def wait_actions(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{ACTIONS}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "le serveur d'actions ne répond pas"
            time.sleep(0.5)

    def stop(self) -> int:
        """Ctrl-C, as a person would."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                raise
        return self.process.returncode

    def say(self, sender: str, message: str) -> str:
        response = requests.post(f"{RASA_URL}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                 timeout=30)
        assert response.status_code == 200
        return "\n".join(m.get("text") or "" for m in response.json())


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_a_restart_of_make_run_keeps_the_conversation_and_its_action_server_comes_back(
        tmp_path: Path, db_url: str) -> None:
    run = MakeRun(tmp_path, db_url)
    sender = f"persist-{uuid.uuid4().hex}"
    run.start()
    try:
        token_file = tmp_path / "rasa_auth_token"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        token = token_file.read_text().strip()
        assert len(token) >= 32
        assert requests.get(f"{RASA_URL}/conversations/{sender}/tracker", timeout=10).status_code == 401

        assert "Wattignies" in run.say(sender, "le délégué du préfet de Wattignies")

        # The action server dies: Rasa keeps answering (in French), run.sh starts it again.
        old = int((tmp_path / "actions.pid").read_text())
        os.kill(old, signal.SIGKILL)
        time.sleep(0.3)
        assert "perturbé" in run.say(sender, "et la région ?")
        deadline = time.monotonic() + 30
        while int((tmp_path / "actions.pid").read_text()) == old:
            assert time.monotonic() < deadline, "le serveur d'actions n'a pas été relancé"
            time.sleep(0.5)
        run.wait_actions()
    finally:
        assert run.stop() == 0
    for port in (RASA, ACTIONS, WEB):
        assert not _listening(port), f"le port {port} écoute encore après Ctrl-C"

    run.start()
    try:
        # Same token (kept in RUN_DIR), same conversation: the follow-up knows the commune.
        assert (tmp_path / "rasa_auth_token").read_text().strip() == token
        text = run.say(sender, "et le délégué du préfet ?")
        assert "Wattignies" in text, text
        tracker = requests.get(f"{RASA_URL}/conversations/{sender}/tracker", timeout=10,
                               params={"token": token}).json()
        users = [e["text"] for e in tracker["events"] if e["event"] == "user"]
        assert users == ["le délégué du préfet de Wattignies", "et la région ?", "et le délégué du préfet ?"]
    finally:
        run.stop()
