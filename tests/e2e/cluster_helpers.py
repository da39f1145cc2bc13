"""The cluster of `make run-cluster` (scripts/run_cluster.sh) on test ports, started once per session.

PostgreSQL, Redis, the action server (2 Sanic workers), two Rasa servers and haproxy, all on
127.0.0.1, in a temporary directory. Ports: 25005 (load balancer), 25080 (page), 25101/25102
(Rasa), 25055 (actions), 25432 (PostgreSQL), 26379 (Redis); none collides with the `stack`
fixture nor with `make run`. Each test module declares a session fixture that calls
`shared_cluster(request)`, so the cluster starts once however many modules use it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"LB_PORT": 25005, "WEB_PORT": 25080, "WEB_BACKEND_PORT": 25081, "ACTIONS_PORT": 25055,
         "PG_PORT": 25432, "REDIS_PORT": 26379}
RASA_PORTS = (25101, 25102)
START_SECONDS = 420
WEBHOOK = "/webhooks/rest/webhook"


class Cluster:
    def __init__(self, run_dir: Path, process: subprocess.Popen[bytes]) -> None:
        self.run_dir = run_dir
        self.process = process
        self.lb_url = f"http://127.0.0.1:{PORTS['LB_PORT']}"
        self.web_url = f"http://127.0.0.1:{PORTS['WEB_PORT']}"
        self.rasa_urls = {f"rasa{i}": f"http://127.0.0.1:{port}" for i, port in enumerate(RASA_PORTS, start=1)}
        self.token = ""
        self.tracker_url = ""

    def read_secrets(self) -> None:
        self.token = (self.run_dir / "rasa_auth_token").read_text().strip()
        password = (self.run_dir / "postgres_password").read_text().strip()
        self.tracker_url = f"postgresql+psycopg://cvs:{password}@127.0.0.1:{PORTS['PG_PORT']}/tracker"

    # --- talking to it --------------------------------------------------------------------------

    def post(self, sender: str, message: str, timeout: float = 30) -> requests.Response:
        return requests.post(f"{self.lb_url}{WEBHOOK}", json={"sender": sender, "message": message},
                             timeout=timeout)

    def say(self, sender: str, message: str) -> tuple[str, str]:
        """(the joined text of the answer, the Rasa server that gave it)."""
        response = self.post(sender, message)
        assert response.status_code == 200, response.text
        texts = [m.get("text") or "" for m in response.json()]
        return "\n".join(texts), response.headers.get("X-Rasa-Server", "")

    # --- its processes --------------------------------------------------------------------------

    def pid(self, name: str) -> int:
        return int((self.run_dir / "pids" / f"{name}.pid").read_text())

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        pid = self.pid(name)
        os.kill(pid, sig)
        return pid

    def hold(self, name: str, held: bool = True) -> None:
        """While held, run_cluster.sh does not restart `name` when it stops."""
        path = self.run_dir / "hold" / name
        if held:
            path.touch()
        else:
            path.unlink(missing_ok=True)

    def signal_tree(self, name: str, sig: int) -> None:
        """Send `sig` to a process and its children (the action server's Sanic workers)."""
        import psutil

        parent = psutil.Process(self.pid(name))
        for process in [parent, *parent.children(recursive=True)]:
            process.send_signal(sig)

    def wait_restarted(self, name: str, old_pid: int, seconds: float = 240) -> None:
        """Wait until the supervisor of run_cluster.sh has started `name` again and it answers."""
        deadline = time.monotonic() + seconds
        url = self.rasa_urls.get(name)
        while time.monotonic() < deadline:
            try:
                if self.pid(name) != old_pid and (url is None or requests.get(f"{url}/webhooks/rest/",
                                                                             timeout=2).status_code == 200):
                    # haproxy marks a server up after 2 good checks, 1 s apart.
                    time.sleep(3)
                    return
            except (OSError, ValueError, requests.RequestException):
                pass
            time.sleep(0.5)
        raise AssertionError(f"{name} n'a pas redémarré en {seconds:.0f} s ; journaux {self.run_dir / 'logs'}")

    def events(self, sender: str) -> list[dict[str, Any]]:
        """The rows of Rasa's `events` table for one conversation, in order."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.tracker_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :s ORDER BY id"),
                    {"s": sender})
                return [dict(row._mapping) for row in rows]
        finally:
            engine.dispose()

    def stop(self) -> None:
        """Ctrl-C to run_cluster.sh (it stops its processes), then SIGKILL to its group if needed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything left of this cluster only
        self.process.wait(timeout=10)


_CLUSTER: Cluster | None = None


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def shared_cluster(request: pytest.FixtureRequest) -> Cluster:
    global _CLUSTER
    if _CLUSTER is not None:
        return _CLUSTER
    for tool in ("haproxy", "redis-server"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} absent : `make cluster-deps` installe les paquets Debian (make test le fait).")
    model = ROOT / "models" / "assistant.tar.gz"
    if not model.exists():
        pytest.fail("Pas de modèle entraîné : lancez `make train` (make test le fait).")
    run_dir = Path(tempfile.mkdtemp(prefix="cvs-cluster-"))
    run_dir.chmod(0o755)  # the postgres user runs PostgreSQL in it (the secrets inside are 600)
    env = dict(os.environ, RUN_DIR=str(run_dir), RASA_PORTS=" ".join(map(str, RASA_PORTS)),
               RATE_LIMIT_PER_10S="100",
               # No spaCy preloading in the 2 workers: these tests never match ambitions, and 2 cores
               # are already busy loading the two Rasa servers.
               ACTIONS_WARMUP="0", WIDGET_ORIGIN=f"http://127.0.0.1:{PORTS['WEB_PORT']}",
               **{k: str(v) for k, v in PORTS.items()})
    for key in ("RASA_AUTH_TOKEN", "POSTGRES_PASSWORD", "DATABASE_URL", "REFERENTIEL_DATABASE_URL", "BOT_TODAY"):
        env.pop(key, None)
    log = run_dir / "run_cluster.out"
    process = subprocess.Popen([str(ROOT / "scripts" / "run_cluster.sh")], cwd=ROOT, env=env,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    started = time.monotonic()
    cluster = Cluster(run_dir, process)
    try:
        while not (run_dir / "ready").exists():
            if process.poll() is not None:
                pytest.fail(f"run_cluster.sh s'est arrêté :\n{log.read_text()[-3000:]}")
            if time.monotonic() - started > START_SECONDS:
                pytest.fail(f"le cluster n'est pas prêt après {START_SECONDS} s ; journaux {run_dir / 'logs'}")
            time.sleep(1)
        cluster.read_secrets()
        # Both servers up in haproxy (the first one ready is enough for "ready").
        for url in cluster.rasa_urls.values():
            while not _answers(f"{url}/webhooks/rest/"):
                if time.monotonic() - started > START_SECONDS:
                    pytest.fail(f"{url} ne répond pas après {START_SECONDS} s ; journaux {run_dir / 'logs'}")
                time.sleep(1)
        time.sleep(3)
    except BaseException:
        cluster.stop()
        raise
    print(f"cluster prêt en {time.monotonic() - started:.0f} s ({run_dir})")
    _CLUSTER = cluster
    request.config.add_cleanup(cluster.stop)
    return cluster
