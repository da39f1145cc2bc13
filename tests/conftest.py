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
    """The real assistant on test ports, with a TCP proxy between the page and Rasa."""

    def __init__(self, proxy: object, web_server: object) -> None:
        self.rasa_url = f"http://127.0.0.1:{RASA_PORT}"
        self.actions_url = f"http://127.0.0.1:{ACTIONS_PORT}"
        self.web_url = f"http://127.0.0.1:{WEB_PORT}"
        self.widget_server_url = f"http://127.0.0.1:{PROXY_PORT}"
        self.proxy = proxy
        self.web_server = web_server

    def send(self, sender: str, message: str, metadata: dict | None = None, timeout: float = 30) -> list[dict]:
        import requests

        payload: dict = {"sender": sender, "message": message}
        if metadata is not None:
            payload["metadata"] = metadata
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=payload, timeout=timeout)
        response.raise_for_status()
        return response.json()


def _wait_http(url: str, seconds: float, process: subprocess.Popen[bytes], log: Path) -> None:
    import time

    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: le processus s'est arrêté ; journal {log}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} ne répond pas après {seconds:.0f} s ; journal {log}")


@pytest.fixture(scope="session")
def stack(db_url: str, tmp_root: Path):  # type: ignore[no-untyped-def]
    import subprocess

    from tests.e2e.widget_helpers import StaticServer, TcpProxy

    model = ROOT / "models" / "assistant.tar.gz"
    if not model.exists():
        pytest.fail("Pas de modèle entraîné : lancez `make train` (make test le fait).")
    env = dict(os.environ, DATABASE_URL=db_url, SQLALCHEMY_SILENCE_UBER_WARNING="1",
               ACTION_ENDPOINT_URL=f"http://127.0.0.1:{ACTIONS_PORT}/webhook", PYTHONUNBUFFERED="1",
               PYTHONPATH=str(ROOT))
    env.pop("BOT_TODAY", None)
    env["ACTIONS_WARMUP"] = "1"
    logs = tmp_root / "logs"
    logs.mkdir(exist_ok=True)
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        log = logs / f"{name}.log"
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    actions = start("actions", [str(ROOT / ".venv/actions/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
                                "--port", str(ACTIONS_PORT)])
    rasa = start("rasa", [str(ROOT / ".venv/bot/bin/rasa"), "run", "--enable-api", "--port", str(RASA_PORT),
                          "--cors", f"http://127.0.0.1:{WEB_PORT}", f"http://localhost:{WEB_PORT}",
                          "--model", str(model), "--endpoints", "bot/endpoints.yml",
                          "--credentials", "bot/credentials.yml"])
    proxy = TcpProxy("127.0.0.1", RASA_PORT, "127.0.0.1", PROXY_PORT).start()
    web = StaticServer(ROOT / "web", port=WEB_PORT).start()
    try:
        _wait_http(f"http://127.0.0.1:{ACTIONS_PORT}/health", 60, actions, logs / "actions.log")
        _wait_http(f"http://127.0.0.1:{RASA_PORT}/status", 240, rasa, logs / "rasa.log")
        yield Stack(proxy, web)
    finally:
        proxy.stop()
        web.stop()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
