"""Load benchmark of the whole assistant (issue 12): `make bench-load`.

    .venv/actions/bin/python scripts/bench_load.py               # starts Rasa :28005 + actions :28055, then stops them
    .venv/actions/bin/python scripts/bench_load.py --url http://127.0.0.1:5005 --actions-url http://127.0.0.1:5055
    .venv/actions/bin/python scripts/bench_load.py --quick       # shorter runs (a smoke test of the benchmark)

It measures, and prints as ONE markdown table (also written to results/bench_load.json):
- time to ready: process start → Rasa `/status` answers (model already trained), and the first answer;
- long conversation: one sender, 200 mixed turns; mean of turns 6–15 vs 191–200 and their ratio;
- closed loop: 20 concurrent senders, 400 contact questions (Locust), p50 / p95 / msg/s;
- open loop: N conversations, one message every 5 s each (Locust `constant_pacing`), the largest N
  with p95 ≤ 300 ms (a bounded search: at most 5 runs);
- the action server's event loop: /health answer time while 10 `/webhook` calls run at once;
- RSS of every process (psutil; the peak seen during the run and the value at the end).

The load generator runs on the same machine (only 127.0.0.1 is contacted): on 2 cores it takes CPU
from the servers, so absolute figures are pessimistic; the load average is printed with each phase.
Locust is used as a library (`Environment` + `events.request`) so that one script can start the
stack, run the phases in order and compute exact percentiles from every request.
"""

from __future__ import annotations

# Locust patches the standard library with gevent: it must be imported first.
from locust.env import Environment  # isort: skip

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import gevent
import psutil
import requests
from gevent.pool import Pool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from locustfile import MIXED_CONVERSATION, TODAY, ContactSender, Conversation  # noqa: E402

WEBHOOK = "/webhooks/rest/webhook"
P95_TARGET_MS = 300.0


def log(message: str) -> None:
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"[{time.strftime('%H:%M:%S')} load {load}] {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


def machine() -> dict[str, Any]:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "loadavg_start": [round(x, 2) for x in os.getloadavg()]}


# --- the stack ---------------------------------------------------------------------------------


class Stack:
    """Rasa + action server started here (or found by port with --url), with an RSS sampler."""

    def __init__(self, rasa_url: str, actions_url: str, ports: dict[str, int] | None = None,
                 api_url: str | None = None, token: str | None = None) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.actions_url = actions_url.rstrip("/")
        # Rasa's HTTP API (tracker, domain): a Rasa server itself, not the load balancer, with its token.
        self.api_url = (api_url or rasa_url).rstrip("/")
        self.token = token
        self.ports = ports or {"rasa": urlparse(self.rasa_url).port or 80,
                               "actions": urlparse(self.actions_url).port or 80}
        self.processes: list[subprocess.Popen[bytes]] = []
        self.pids: dict[str, int] = {}
        self.peak_rss: dict[str, int] = {}
        self.ready: dict[str, float] = {}
        self._sampler: gevent.Greenlet | None = None

    def start(self, args: argparse.Namespace, workdir: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), SQLALCHEMY_SILENCE_UBER_WARNING="1", PYTHONUNBUFFERED="1",
                   ACTION_ENDPOINT_URL=f"{self.actions_url}/webhook", ACTIONS_WARMUP="1",
                   RASA_TELEMETRY_ENABLED="false")  # nothing leaves 127.0.0.1
        env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'referentiel.db'}")
        env.setdefault("TRACKER_DB", str(workdir / "tracker.db"))  # bot/endpoints.yml: SQL tracker store
        log(f"référentiel → {env['DATABASE_URL']}")
        subprocess.run([str(ROOT / ".venv/actions/bin/python"), "-m", "knowledge.loader"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
        actions_port = str(urlparse(self.actions_url).port)
        rasa_port = str(urlparse(self.rasa_url).port)
        for url in (self.actions_url, self.rasa_url):
            try:
                requests.get(url, timeout=1)
                raise RuntimeError(f"{url} répond déjà : arrêtez ce serveur ou utilisez --url")
            except requests.ConnectionError:
                pass
        started = time.monotonic()
        self._spawn("actions", [str(ROOT / ".venv/actions/bin/python"), "-m", "actions.server",
                                "--host", "127.0.0.1", "--port", actions_port], env, workdir)
        self._spawn("rasa", [str(ROOT / ".venv/bot/bin/python"), "-m", "bot.serve", "run", "--enable-api",
                             "--port", rasa_port,
                             "--interface", "127.0.0.1", "--model", str(args.model), "--endpoints", str(args.endpoints),
                             "--credentials", str(args.credentials)], env, workdir)
        self.ready["actions_s"] = self._wait(f"{self.actions_url}/health", started, 120, "actions")
        self.ready["rasa_s"] = self._wait(f"{self.rasa_url}/status", started, 300, "rasa")
        log(f"prêt : action server {self.ready['actions_s']:.1f} s, Rasa {self.ready['rasa_s']:.1f} s")

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str], workdir: Path) -> None:
        logfile = (workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)
        self.processes.append(process)
        self.pids[name] = process.pid

    def _wait(self, url: str, started: float, seconds: float, name: str) -> float:
        process = self.processes[list(self.pids).index(name)] if self.processes else None
        while time.monotonic() - started < seconds:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{name} s'est arrêté (code {process.returncode}) : voir son journal")
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            gevent.sleep(0.2)
        raise RuntimeError(f"{url} ne répond pas après {seconds:.0f} s")

    def find(self) -> None:
        """With --url or --cluster: the processes listening on the ports (for their RSS and CPU time)."""
        for conn in psutil.net_connections(kind="tcp"):
            for name, port in self.ports.items():
                if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                    self.pids[name] = self._main_process(conn.pid)
        missing = sorted(set(self.ports) - set(self.pids))
        if missing:
            raise RuntimeError(f"aucun processus n'écoute pour {', '.join(missing)} "
                               f"({', '.join(str(self.ports[m]) for m in missing)}) : la pile tourne-t-elle ?")

    @staticmethod
    def _main_process(pid: int) -> int:
        """A Sanic worker listens on the port its main process opened: count the main process and all
        its workers (the highest ancestor running the same command)."""
        try:
            process = psutil.Process(pid)
            command = process.cmdline()
            parent = process.parent()
            while parent is not None and parent.cmdline() == command:
                process, parent = parent, parent.parent()
            return process.pid
        except psutil.Error:
            return pid

    def rss(self) -> dict[str, int]:
        """RSS in bytes of each process and of its children (a process tree per server)."""
        result: dict[str, int] = {}
        for name, pid in self.pids.items():
            try:
                root = psutil.Process(pid)
                tree = [root, *root.children(recursive=True)]
                result[name] = sum(p.memory_info().rss for p in tree if p.is_running())
            except psutil.Error:
                continue
        return result

    def start_sampler(self) -> None:
        def sample() -> None:
            while True:
                for name, value in self.rss().items():
                    self.peak_rss[name] = max(self.peak_rss.get(name, 0), value)
                gevent.sleep(1.0)

        self._sampler = gevent.spawn(sample)

    def stop(self) -> None:
        if self._sampler is not None:
            self._sampler.kill()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def say(url: str, sender: str, message: str) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    response = requests.post(f"{url}{WEBHOOK}", json={"sender": sender, "message": message, "metadata": TODAY},
                             timeout=60)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000, response.json()


# --- phases ------------------------------------------------------------------------------------


def first_answer(stack: Stack) -> float:
    elapsed, _ = say(stack.rasa_url, f"bench-first-{os.getpid()}", "Bonjour")
    return elapsed


def cpu_by_process(pids: dict[str, int]) -> dict[str, float]:
    """User + system CPU time (s) of each server and its children (Sanic workers, PostgreSQL
    backends): unlike the answer time, it hardly moves with the load other people put on the machine."""
    result: dict[str, float] = {}
    for name, pid in pids.items():
        try:
            root = psutil.Process(pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        total = 0.0
        for process in tree:
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                continue
        result[name] = total
    return result


def cpu_seconds(pids: dict[str, int]) -> float:
    return sum(cpu_by_process(pids).values())


def long_conversation(url: str, turns: int, pids: dict[str, int]) -> dict[str, Any]:
    sender = f"bench-long-{os.getpid()}-{int(time.time())}"
    latencies: list[float] = []
    cpu: list[float] = []
    samples: list[dict[str, Any]] = []
    empty = 0
    deadline = time.monotonic() + 30 * 60
    for turn in range(1, turns + 1):
        before = cpu_seconds(pids)
        message = MIXED_CONVERSATION[(turn - 1) % len(MIXED_CONVERSATION)]
        elapsed, replies = say(url, sender, message)
        latencies.append(elapsed)
        if turn <= len(MIXED_CONVERSATION) or turn > turns - len(MIXED_CONVERSATION):
            # What was answered, first and last round: a broken stack answers fast but wrong.
            samples.append({"tour": turn, "message": message,
                            "réponse": " / ".join(str(r.get("text", ""))[:160] for r in replies)})
        cpu.append((cpu_seconds(pids) - before) * 1000)
        empty += not replies
        if turn % 25 == 0:
            log(f"  conversation longue : tour {turn}/{turns}, dernier {elapsed:.0f} ms, "
                f"moyenne des 25 derniers {statistics.mean(latencies[-25:]):.0f} ms")
        if time.monotonic() > deadline:
            log("  conversation longue : arrêt à 30 min")
            break
    early = latencies[5:15]
    late = latencies[-10:] if len(latencies) >= 30 else []
    result = {"turns": len(latencies), "mean_6_15_ms": round(statistics.mean(early), 1),
              "mean_last10_ms": round(statistics.mean(late), 1) if late else None,
              "last_turn_ms": round(latencies[-1], 1), "empty_answers": empty,
              "per_turn_ms": [round(x, 1) for x in latencies], "samples": samples}
    result["ratio"] = round(result["mean_last10_ms"] / result["mean_6_15_ms"], 2) if late else None
    if late and cpu:
        result["cpu_mean_6_15_ms"] = round(statistics.mean(cpu[5:15]), 1)
        result["cpu_mean_last10_ms"] = round(statistics.mean(cpu[-10:]), 1)
        result["cpu_ratio"] = round(result["cpu_mean_last10_ms"] / max(result["cpu_mean_6_15_ms"], 0.1), 2)
        result["cpu_per_turn_ms"] = [round(x, 1) for x in cpu]
    return result


def run_locust(url: str, user_class: type, users: int, spawn_rate: float, seconds: float,
               stop: Callable[[int], bool] | None = None, label: str = "", warmup: float = 0.0) -> dict[str, Any]:
    """Runs Locust users for at most `seconds`; every request's time is kept for exact percentiles.

    Requests sent in the first `warmup` seconds (while users are still starting) are left out of the
    percentiles and of the rate, not of the failures."""
    times: list[float] = []
    spans: list[tuple[float, float]] = []
    failures = 0
    counted_from = time.time() + warmup

    def on_request(response_time: float, exception: Exception | None = None, **_: Any) -> None:
        nonlocal failures
        end = time.time()
        if exception is not None:
            failures += 1
            return
        if end - response_time / 1000 < counted_from:
            return
        times.append(response_time)
        spans.append((end - response_time / 1000, end))

    env = Environment(user_classes=[user_class], host=url)
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    started = time.monotonic()
    next_report = started + 10
    while time.monotonic() - started < seconds:
        gevent.sleep(0.25)
        if stop is not None and stop(len(times) + failures):
            break
        if time.monotonic() >= next_report:
            next_report += 10
            log(f"  {label}: {len(times)} réponses, {failures} échecs, p95 {percentile(times, 95):.0f} ms")
    runner.quit()
    wall = (max(e for _, e in spans) - min(s for s, _ in spans)) if spans else float("nan")
    return {"users": users, "requests": len(times), "failures": failures,
            "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1) if times else None,
            "msg_per_s": round(len(times) / wall, 1) if spans and wall > 0 else None,
            "loadavg": [round(x, 2) for x in os.getloadavg()]}


def machine_busy_seconds() -> float:
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + getattr(times, "irq", 0.0) + getattr(times, "softirq", 0.0)


def closed_loop(url: str, pids: dict[str, int], users: int = 20, total: int = 400) -> dict[str, Any]:
    """20 senders, no think time. Also the CPU time each server spent per message, and how busy the
    whole machine was: with both, the ceiling of these cores is 1000 × cores / (CPU ms per message)."""
    ContactSender.quota = total // users
    before, busy_before, wall_before = cpu_by_process(pids), machine_busy_seconds(), time.monotonic()
    result = run_locust(url, ContactSender, users, spawn_rate=users, seconds=600,
                        stop=lambda done: done >= total, label="boucle fermée")
    after, busy, wall = cpu_by_process(pids), machine_busy_seconds() - busy_before, time.monotonic() - wall_before
    answered = max(1, result["requests"] + result["failures"])
    per_message = {name: round((after[name] - before.get(name, 0.0)) * 1000 / answered, 1) for name in after}
    result["cpu_ms_per_message"] = per_message
    result["cpu_ms_per_message_total"] = round(sum(per_message.values()), 1)
    result["machine_busy"] = round(busy / (wall * (os.cpu_count() or 1)), 2)
    cores = os.cpu_count() or 1
    result["ceiling_msg_per_s"] = round(1000 * cores / max(result["cpu_ms_per_message_total"], 0.1), 1)
    return result


def open_loop(url: str, seconds: float, max_runs: int = 5, target: int = 50) -> dict[str, Any]:
    """Largest N (conversations, 1 message / 5 s each) with p95 ≤ 300 ms: doubling then bisection.

    Conversations start at random moments (independent people, `Conversation.in_phase = False`);
    the first 10 s, while they start, are not counted. Then one run at the target N with every
    batch of conversations in step (bursts of N/5 messages at once), the worst case, for reference."""
    warmup = 10.0
    runs: list[dict[str, Any]] = []
    good, bad = 0, None
    n = target
    Conversation.in_phase = False
    for _ in range(max_runs):
        log(f"  boucle ouverte : {n} conversations pendant {seconds:.0f} s (+ {warmup:.0f} s de mise en route)")
        result = run_locust(url, Conversation, n, spawn_rate=max(1.0, n / 5), seconds=seconds + warmup,
                            label=f"N={n}", warmup=warmup)
        result["ok"] = result["failures"] == 0 and result["p95_ms"] <= P95_TARGET_MS
        runs.append(result)
        verdict = "ok" if result["ok"] else "trop lent"
        log(f"  N={n}: p95 {result['p95_ms']:.0f} ms, {result['requests']} réponses → {verdict}")
        if result["ok"]:
            good = max(good, n)
        else:
            bad = n if bad is None else min(bad, n)
        if bad is None:
            n = min(n * 2, 400)
            if n == good:
                break
        else:
            nxt = (good + bad) // 2
            if bad - good <= max(5, bad // 10) or nxt in (good, bad):
                break
            n = nxt
    log(f"  boucle ouverte, conversations en phase (rafales de {target // 5} messages) : N={target}")
    Conversation.in_phase = True
    try:
        in_phase = run_locust(url, Conversation, target, spawn_rate=max(1.0, target / 5),
                              seconds=seconds + warmup, label=f"N={target} en phase", warmup=warmup)
    finally:
        Conversation.in_phase = False
    in_phase["ok"] = in_phase["failures"] == 0 and in_phase["p95_ms"] <= P95_TARGET_MS
    return {"largest_n_p95_ok": good, "first_too_slow": bad, "seconds_per_run": seconds, "warmup_s": warmup,
            "runs": runs, "in_phase": in_phase}


def action_server_loop(stack: Stack, concurrency: int = 10) -> dict[str, Any]:
    """Does a /webhook call block the action server's event loop? /health time during 10 calls at once."""
    sender = f"bench-webhook-{os.getpid()}"
    say(stack.rasa_url, sender, "qui contacter à Loos ?")
    auth = {"token": stack.token} if stack.token else {}
    # Through the load balancer, the conversation lives on one Rasa server: ask a server that has it.
    tracker = requests.get(f"{stack.api_url}/conversations/{sender}/tracker", params=auth, timeout=30)
    tracker.raise_for_status()
    domain = requests.get(f"{stack.api_url}/domain", params=auth, headers={"Accept": "application/json"}, timeout=30)
    domain.raise_for_status()
    tracker, domain = tracker.json(), domain.json()
    body = {"next_action": "action_donner_contacts", "sender_id": sender, "tracker": tracker, "domain": domain,
            "version": "3.6.21"}

    def call() -> float:
        started = time.perf_counter()
        requests.post(f"{stack.actions_url}/webhook", json=body, timeout=60).raise_for_status()
        return (time.perf_counter() - started) * 1000

    def health() -> float:
        started = time.perf_counter()
        requests.get(f"{stack.actions_url}/health", timeout=60)
        return (time.perf_counter() - started) * 1000

    for _ in range(3):
        call()
    serial = [call() for _ in range(10)]
    idle_health = statistics.median(health() for _ in range(10))
    pool = Pool(concurrency + 1)
    started = time.perf_counter()
    jobs = [pool.spawn(call) for _ in range(concurrency)]
    gevent.sleep(0.005)
    during = [health() for _ in range(5)]
    pool.join(timeout=120)
    wall = (time.perf_counter() - started) * 1000
    return {"webhook_serial_median_ms": round(statistics.median(serial), 1), "concurrency": concurrency,
            "concurrent_wall_ms": round(wall, 1),
            "concurrent_mean_ms": round(statistics.mean(j.value for j in jobs if j.value), 1),
            "health_idle_ms": round(idle_health, 1), "health_during_load_max_ms": round(max(during), 1)}


# --- report ------------------------------------------------------------------------------------


def mb(value: int | None) -> str:
    return f"{value / 2**20:.0f} MB" if value else "?"


def table(res: dict[str, Any]) -> str:
    m = res["machine"]
    rows = [("machine", f"{m['nproc']} cœurs, {m['cpu']}, {m['ram_gb']} GB RAM, load {m['loadavg_start']}", "")]
    if res.get("ready"):
        r = res["ready"]
        rows.append(("Rasa prêt après le démarrage (modèle déjà entraîné)",
                     f"{r['rasa_s']:.1f} s (actions {r['actions_s']:.1f} s), 1re réponse {r['first_answer_ms']:.0f} ms",
                     "≤ 20 s"))
    if res.get("long"):
        lc = res["long"]
        last = f"{lc['turns'] - 9}–{lc['turns']}"
        rows.append((f"conversation longue ({lc['turns']} tours) : moyenne tours 6–15 → {last}",
                     f"{lc['mean_6_15_ms']:.0f} ms → {lc['mean_last10_ms']:.0f} ms (× {lc['ratio']}), "
                     f"dernier tour {lc['last_turn_ms']:.0f} ms ; temps CPU des serveurs par tour "
                     f"{lc.get('cpu_mean_6_15_ms', 0):.0f} → {lc.get('cpu_mean_last10_ms', 0):.0f} ms "
                     f"(× {lc.get('cpu_ratio')})", "ratio ≤ 1.3"))
    if res.get("closed"):
        c = res["closed"]
        rows.append((f"{c['requests']} questions contacts, {c['users']} expéditeurs simultanés",
                     f"p50 {c['p50_ms']:.0f} ms, p95 {c['p95_ms']:.0f} ms, {c['msg_per_s']} msg/s, "
                     f"{c['failures']} échecs", "≥ 30 msg/s, p95 ≤ 1 s"))
        if c.get("cpu_ms_per_message"):
            parts = " + ".join(f"{name} {value:.0f}" for name, value in sorted(c["cpu_ms_per_message"].items()))
            rows.append(("même charge : temps CPU par message, machine occupée",
                         f"{parts} = {c['cpu_ms_per_message_total']:.0f} ms ; machine occupée à "
                         f"{c['machine_busy'] * 100:.0f} % ; plafond de ces {res['machine']['nproc']} cœurs "
                         f"≈ {c['ceiling_msg_per_s']} msg/s", "pour mémoire"))
    if res.get("open"):
        o = res["open"]
        tried = ", ".join(f"N={r['users']}: p95 {r['p95_ms']:.0f} ms" for r in o["runs"])
        rows.append(("conversations simultanées, 1 message / 5 s chacune, débuts au hasard : plus grand N avec "
                     "p95 ≤ 300 ms", f"N = {o['largest_n_p95_ok']} ({tried})", "N ≥ 50"))
        if o.get("in_phase"):
            p = o["in_phase"]
            rows.append((f"même chose, conversations en phase (rafales de {p['users'] // 5} messages à la fois, "
                         "pire cas)", f"N={p['users']}: p50 {p['p50_ms']:.0f} ms, p95 {p['p95_ms']:.0f} ms",
                         "pour mémoire"))
    if res.get("actions_loop"):
        a = res["actions_loop"]
        rows.append((f"serveur d'actions : /health pendant {a['concurrency']} /webhook simultanés",
                     f"{a['health_during_load_max_ms']:.0f} ms (au repos {a['health_idle_ms']:.0f} ms) ; /webhook seul "
                     f"{a['webhook_serial_median_ms']:.0f} ms, {a['concurrency']} ensemble "
                     f"{a['concurrent_wall_ms']:.0f} ms",
                     "boucle non bloquée"))
    rss = res.get("rss_peak") or {}
    if rss:
        total = sum(rss.values())
        parts = " + ".join(f"{name} {mb(value)}" for name, value in sorted(rss.items()))
        rows.append(("mémoire (RSS, pic pendant le banc)", f"{parts} = {mb(total)}", "≤ 1.2 GB les deux"))
    lines = ["| mesure | résultat | cible |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running Rasa (then nothing is started), e.g. http://127.0.0.1:5005")
    parser.add_argument("--actions-url", default=None, help="its action server (default: port 5055 with --url)")
    parser.add_argument("--model", type=Path, default=ROOT / "models/assistant.tar.gz")
    parser.add_argument("--endpoints", type=Path, default=ROOT / "bot/endpoints.yml")
    parser.add_argument("--credentials", type=Path, default=ROOT / "bot/credentials.yml")
    parser.add_argument("--cluster", action="store_true",
                        help="measure a running `make run-cluster` (haproxy :5005, Rasa :5101/:5102, actions :5055, "
                             "PostgreSQL :5433, Redis :6380; start it with RATE_LIMIT_PER_10S=100000)")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--open-seconds", type=float, default=40.0)
    parser.add_argument("--quick", action="store_true", help="60 turns, 100 questions, 2 short open-loop runs")
    parser.add_argument("--skip", action="append", default=[], choices=["long", "closed", "open", "actions"])
    parser.add_argument("--json", type=Path, default=ROOT / "results/bench_load.json")
    parser.add_argument("--label", default="", help="a free note stored in the JSON (e.g. 'avant cache')")
    args = parser.parse_args()
    for url in filter(None, [args.url, args.actions_url]):
        if urlparse(url).hostname not in ("127.0.0.1", "localhost"):
            parser.error("le banc ne parle qu'à 127.0.0.1")

    if args.cluster:
        args.url = args.url or "http://127.0.0.1:5005"
    started_here = args.url is None
    if started_here and not args.model.exists():
        parser.error(f"pas de modèle {args.model} : lancez `make train` d'abord")
    rasa_url = args.url or "http://127.0.0.1:28005"
    actions_url = args.actions_url or ("http://127.0.0.1:5055" if args.url else "http://127.0.0.1:28055")
    turns, total, open_runs = (60, 100, 2) if args.quick else (args.turns, 400, 5)
    open_seconds = 20.0 if args.quick else args.open_seconds

    results: dict[str, Any] = {"label": args.label, "machine": machine(), "model": str(args.model),
                               "started_here": started_here, "date": time.strftime("%Y-%m-%d %H:%M:%S")}
    ports, api_url, token = None, None, None
    if args.url:  # the token `make run` or `make run-cluster` generated, unless given
        token_file = ROOT / ("var/cluster" if args.cluster else "var") / "rasa_auth_token"
        token = os.environ.get("RASA_AUTH_TOKEN") or (token_file.read_text().strip() if token_file.exists() else None)
    if args.cluster:
        ports = {"rasa-1": 5101, "rasa-2": 5102, "actions": 5055, "postgres": 5433, "redis": 6380, "haproxy": 5005}
        api_url = "http://127.0.0.1:5101"
    results["topology"] = "cluster" if args.cluster else ("running" if args.url else "started here")
    stack = Stack(rasa_url, actions_url, ports=ports, api_url=api_url, token=token)
    # Ctrl-C or kill: still stop the servers started here (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        if started_here:
            log(f"démarrage de la pile (journaux : {workdir})")
            stack.start(args, workdir)
        else:
            stack.find()
        stack.start_sampler()
        results["rss_ready"] = stack.rss()
        first = first_answer(stack)
        if started_here:
            results["ready"] = {**stack.ready, "first_answer_ms": round(first, 1)}
        if "long" not in args.skip:
            log(f"conversation longue : {turns} tours")
            results["long"] = long_conversation(rasa_url, turns, stack.pids)
        if "closed" not in args.skip:
            log(f"boucle fermée : {total} questions, 20 expéditeurs")
            results["closed"] = closed_loop(rasa_url, stack.pids, 20, total)
        if "open" not in args.skip:
            log("boucle ouverte : recherche du plus grand N")
            results["open"] = open_loop(rasa_url, open_seconds, open_runs)
        if "actions" not in args.skip:
            log("serveur d'actions : boucle d'événements sous charge")
            results["actions_loop"] = action_server_loop(stack)
        results["rss_end"] = stack.rss()
        results["rss_peak"] = dict(stack.peak_rss)
    finally:
        if started_here:
            log("arrêt de la pile")
            stack.stop()
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print()
    print(table(results))
    print(f"\n(détails : {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json})")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # gevent (imported by Locust) prints "greenlet is being finalized" noise at interpreter exit.
    os._exit(code)
