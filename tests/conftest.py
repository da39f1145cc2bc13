"""Shared fixtures: a real SQLite référentiel built from knowledge/data/ once per run."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="cvs-tests-"))
TEST_DB_URL = f"sqlite:///{_TMP / 'referentiel.db'}"
# Set before any knowledge/ settings are read: services and actions use it by default.
os.environ["DATABASE_URL"] = TEST_DB_URL
os.environ.pop("BOT_TODAY", None)
os.environ.setdefault("ACTIONS_WARMUP", "0")


@pytest.fixture(scope="session", autouse=True)
def db_url() -> str:
    from knowledge.loader import load

    load(TEST_DB_URL)
    return TEST_DB_URL


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    return _TMP


# --- the running assistant (Rasa + action server + web page), for e2e tests ----

ROOT = Path(__file__).resolve().parent.parent
RASA_PORT, ACTIONS_PORT, WEB_PORT, PROXY_PORT = 15005, 15055, 18080, 15006


class Stack:
    """The real assistant on test ports (like `make run`), with a TCP proxy between the page and Rasa.

    Conversations go to Rasa's SQLTrackerStore on an SQLite file of the test directory
    (`tracker_url`, an SQLAlchemy URL); Rasa's HTTP API needs `token`. Tests that stop or
    restart a process (faults, persistence) use `stop_actions` / `start_actions` /
    `restart_rasa` and leave the stack running for the others.
    """

    def __init__(self, proxy: object, web_server: object, *, env: dict[str, str], logs: Path, token: str,
                 tracker_db: Path) -> None:
        self.rasa_url = f"http://127.0.0.1:{RASA_PORT}"
        self.actions_url = f"http://127.0.0.1:{ACTIONS_PORT}"
        self.web_url = f"http://127.0.0.1:{WEB_PORT}"
        self.widget_server_url = f"http://127.0.0.1:{PROXY_PORT}"
        self.proxy = proxy
        self.web_server = web_server
        self.token = token
        self.tracker_db = tracker_db
        self.tracker_url = f"sqlite:///{tracker_db}"
        self._env = env
        self._logs = logs
        self.actions: subprocess.Popen[bytes] | None = None
        self.rasa: subprocess.Popen[bytes] | None = None

    def send(self, sender: str, message: str, metadata: dict | None = None, timeout: float = 30) -> list[dict]:
        import requests

        payload: dict = {"sender": sender, "message": message}
        if metadata is not None:
            payload["metadata"] = metadata
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=payload, timeout=timeout)
        response.raise_for_status()
        return response.json()

    # --- processes ---------------------------------------------------------------------------

    def _start(self, name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        log = self._logs / f"{name}.log"
        return subprocess.Popen(cmd, cwd=ROOT, env=self._env, stdout=log.open("ab"), stderr=subprocess.STDOUT)

    def start_actions(self, wait: bool = True) -> None:
        self.actions = self._start("actions", [str(ROOT / ".venv/actions/bin/python"), "-m", "actions.server",
                                               "--host", "127.0.0.1", "--port", str(ACTIONS_PORT)])
        if wait:
            self.wait_actions()

    def wait_actions(self) -> None:
        assert self.actions is not None
        _wait_http(f"{self.actions_url}/health", 60, self.actions, self._logs / "actions.log", ok=200)

    def stop_actions(self) -> None:
        _stop(self.actions)

    def start_rasa(self) -> None:
        self.rasa = self._start("rasa", [
            # `--auth-token=…`: a generated token may start with "-", which argparse would take for an option.
            str(ROOT / ".venv/bot/bin/python"), "-m", "bot.serve", "run", "--enable-api", f"--auth-token={self.token}",
            "-i", "127.0.0.1", "--port", str(RASA_PORT),
            "--cors", f"http://127.0.0.1:{WEB_PORT}", f"http://localhost:{WEB_PORT}",
            "--model", str(ROOT / "models" / "assistant.tar.gz"), "--endpoints", "bot/endpoints.yml",
            "--credentials", "bot/credentials.yml"])
        # Rasa's token is the `token` query parameter.
        _wait_http(f"{self.rasa_url}/status?token={self.token}", 240, self.rasa, self._logs / "rasa.log", ok=200)

    def restart_rasa(self) -> None:
        _stop(self.rasa)
        self.start_rasa()

    def close(self) -> None:
        _stop(self.rasa)
        _stop(self.actions)


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_http(url: str, seconds: float, process: subprocess.Popen[bytes], log: Path, ok: int | None = None) -> None:
    import time

    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: le processus s'est arrêté ; journal {log}:\n{log.read_text()[-3000:]}")
        try:
            status = requests.get(url, timeout=2).status_code
            if (status == ok) if ok is not None else status < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} ne répond pas après {seconds:.0f} s ; journal {log}")


@pytest.fixture(scope="session")
def stack(db_url: str, tmp_root: Path):  # type: ignore[no-untyped-def]
    import secrets

    from tests.e2e.widget_helpers import StaticServer, TcpProxy

    model = ROOT / "models" / "assistant.tar.gz"
    if not model.exists():
        pytest.fail("Pas de modèle entraîné : lancez `make train` (make test le fait).")
    tracker_db = tmp_root / "tracker.db"
    env = dict(os.environ, DATABASE_URL=db_url, SQLALCHEMY_SILENCE_UBER_WARNING="1",
               ACTION_ENDPOINT_URL=f"http://127.0.0.1:{ACTIONS_PORT}/webhook", PYTHONUNBUFFERED="1",
               PYTHONPATH=str(ROOT), TRACKER_DB=str(tracker_db), RASA_TELEMETRY_ENABLED="false",
               # The 2 s budget of a reply is tested on the cluster (tests/e2e/test_cluster.py); here,
               # on 2 busy CI cores, a slow but correct answer must not become the fault message.
               REST_REPLY_TIMEOUT=os.environ.get("STACK_REST_REPLY_TIMEOUT", "30"))
    env.pop("BOT_TODAY", None)
    env["ACTIONS_WARMUP"] = "1"
    logs = tmp_root / "logs"
    logs.mkdir(exist_ok=True)
    proxy = TcpProxy("127.0.0.1", RASA_PORT, "127.0.0.1", PROXY_PORT).start()
    web = StaticServer(ROOT / "web", port=WEB_PORT).start()
    s = Stack(proxy, web, env=env, logs=logs, token=secrets.token_urlsafe(24), tracker_db=tracker_db)
    try:
        s.start_actions(wait=False)  # starts while Rasa loads its model
        s.start_rasa()
        s.wait_actions()
        yield s
    finally:
        proxy.stop()
        web.stop()
        s.close()
