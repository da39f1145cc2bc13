"""Locust users for `make bench-load` (scripts/bench_load.py drives them as a library).

Usable alone too, against a running stack (127.0.0.1 only):

    .venv/actions/bin/locust -f scripts/locustfile.py --headless -u 20 -r 20 -t 30s \
        --host http://127.0.0.1:5005 ContactSender

Each simulated person has its own sender id, so each one is a separate Rasa conversation.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
import uuid
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_messages import CONTACT_QUESTIONS, MIXED_CONVERSATION, TODAY  # noqa: E402,F401  (re-exported)

WEBHOOK = "/webhooks/rest/webhook"


class _Sender(FastHttpUser):
    abstract = True

    def on_start(self) -> None:
        self.sender = f"bench-{uuid.uuid4().hex[:10]}"

    def say(self, message: str, name: str) -> None:
        with self.client.post(WEBHOOK, json={"sender": self.sender, "message": message, "metadata": TODAY},
                              name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif not response.json():
                response.failure("réponse vide")


class ContactSender(_Sender):
    """Closed loop: the next question leaves as soon as the answer arrives (no think time)."""

    wait_time = constant(0)
    quota = 20  # messages per user; 20 users × 20 = 400 questions

    def on_start(self) -> None:
        super().on_start()
        self.sent = 0
        self.questions = itertools.cycle(CONTACT_QUESTIONS)

    @task
    def ask(self) -> None:
        if self.sent >= self.quota:
            raise StopUser()
        self.sent += 1
        self.say(next(self.questions), "contacts")


PACING_S = 5.0
_phases = random.Random(20261202)  # seeded: the same phases from one run to the next


class Conversation(_Sender):
    """Open loop: one message every 5 s whatever the answer time (a fixed pace per conversation).

    Each conversation starts at a random moment of its first 5 s (`in_phase = False`), as
    independent people do, and keeps that phase: its n-th message leaves at start + phase + 5n s.
    Locust starts users in batches of `spawn_rate` once a second; with its own `constant_pacing`
    every batch then stays in step for the whole run (the phase of the first message is lost at the
    second one), and every second a burst of N/5 messages arrives at the same instant.
    `in_phase = True` keeps that worst case (scripts/bench_load.py measures both).
    """

    in_phase = False

    def on_start(self) -> None:
        super().on_start()
        self.messages = itertools.cycle(MIXED_CONVERSATION)
        phase = 0.0 if self.in_phase else _phases.uniform(0, PACING_S)
        self.next_send = time.time() + phase
        gevent.sleep(phase)

    def wait_time(self) -> float:
        self.next_send += PACING_S
        return max(0.0, self.next_send - time.time())

    @task
    def talk(self) -> None:
        self.say(next(self.messages), "conversation")
