"""tests/bot/ tests Rasa-side code (bot/), which needs the `bot` environment (Rasa 3.6).

The main suite runs with the `actions` environment, which has no Rasa: there,
test_rasa_patches.py is not collected directly but run by test_bot_environment.py in a
subprocess with .venv/bot/bin/python (so it always runs, and a failure fails the suite).
"""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("rasa") else ["test_rasa_patches.py", "test_components.py"]
