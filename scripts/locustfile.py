"""Locust users for `make bench-load` (scripts/bench_load.py drives them as a library).

Usable alone too, against a running stack (127.0.0.1 only):

    .venv/actions/bin/locust -f scripts/locustfile.py --headless -u 20 -r 20 -t 30s \
        --host http://127.0.0.1:5005 ContactSender

Each simulated person has its own sender id, so each one is a separate Rasa conversation.
"""

from __future__ import annotations

import itertools
import sys
import uuid
from pathlib import Path

from locust import FastHttpUser, constant, constant_pacing, task
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


class Conversation(_Sender):
    """Open loop: one message every 5 s whatever the answer time (constant pacing)."""

    wait_time = constant_pacing(5)

    def on_start(self) -> None:
        super().on_start()
        self.messages = itertools.cycle(MIXED_CONVERSATION)

    @task
    def talk(self) -> None:
        self.say(next(self.messages), "conversation")
