"""cProfile of the Rasa side of a long conversation, in-process (issue 12).

    # an action server must answer on --actions-url (e.g. the one `make bench-load` starts, or):
    .venv/actions/bin/python -m actions.server --port 28055 &
    TRACKER_DB=/tmp/profile-tracker.db PYTHONPATH=. .venv/bot/bin/python scripts/profile_turns.py --turns 200

Loads the trained model with `Agent.load` and the tracker store of bot/endpoints.yml (the SQL
tracker store of `make run`), sends the mixed conversation of the load benchmark, and profiles only
the turns (not the model load) with cProfile. Prints the mean time (elapsed and CPU) of turns 6–15
and of the last 10, then the top functions by own time and by cumulative time (`--top`).
`BOT_RASA_PATCHES=0` profiles Rasa without bot/rasa_patches.py.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_messages import MIXED_CONVERSATION, TODAY  # noqa: E402


async def run(args: argparse.Namespace) -> None:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
    from rasa.utils.log_utils import configure_structlog

    # As `rasa run` does: without it, structlog prints every debug line (and the profile measures that).
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    tracker_config = read_endpoint_config(str(args.endpoints), "tracker_store")
    agent = Agent.load(str(args.model), action_endpoint=EndpointConfig(url=f"{args.actions_url}/webhook"),
                       tracker_store=TrackerStore.create(tracker_config) if tracker_config else None)
    if args.session:
        # The session_config of bot/domain/base.yml without retraining (it lives in the model's domain).
        from rasa.shared.core.domain import SessionConfig

        minutes, carry = args.session.split(":")
        agent.processor.domain.session_config = SessionConfig(float(minutes), carry.lower() == "true")
    sender = f"profile-{os.getpid()}"
    times: list[float] = []
    cpu: list[float] = []
    profile = cProfile.Profile()
    for turn in range(args.turns):
        message = UserMessage(MIXED_CONVERSATION[turn % len(MIXED_CONVERSATION)], CollectingOutputChannel(),
                              sender, metadata=TODAY)
        started, started_cpu = time.perf_counter(), time.process_time()
        if args.profile:
            profile.enable()
        await agent.handle_message(message)
        if args.profile:
            profile.disable()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    for name, values in (("temps écoulé", times), ("temps CPU de Rasa", cpu)):
        early, late = statistics.mean(values[5:15]), statistics.mean(values[-10:])
        print(f"{args.turns} tours, {name} : moyenne des tours 6–15 {early:.0f} ms, des 10 derniers {late:.0f} ms "
              f"(× {late / early:.2f})")
    if not args.profile:
        return
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
        print(f"\n--- par {key} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])
    if args.out:
        profile.dump_stats(str(args.out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models/assistant.tar.gz")
    parser.add_argument("--endpoints", type=Path, default=ROOT / "bot/endpoints.yml")
    parser.add_argument("--actions-url", default="http://127.0.0.1:28055")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path, default=None, help="write the raw profile (pstats) there")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="only the per-turn times")
    parser.add_argument("--session", default=None, metavar="MINUTES:CARRY_OVER",
                        help="override the model's session_config, e.g. 30:true (as in bot/domain/base.yml)")
    args = parser.parse_args()
    if not args.actions_url.startswith(("http://127.0.0.1", "http://localhost")):
        parser.error("127.0.0.1 seulement")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("ACTION_ENDPOINT_URL", f"{args.actions_url}/webhook")  # bot/endpoints.yml needs it
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
