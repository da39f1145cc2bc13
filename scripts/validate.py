"""`make validate`: `rasa data validate`, where every warning is an error but one kind.

Rasa warns that a response is "not used in any story or rule" when only a
custom action sends it (contact lines, calendar texts…). Those responses are
where the French text lives, by design. This script accepts that warning only
for responses that an action in actions/ really names; any other warning, or an
unused response that no action names, fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNUSED = re.compile(r"The utterance '(utter_[a-z0-9_]+)' is not used in any story or rule")
NOISE = ("DeprecationWarning", "MovedIn20Warning", "declarative_base", "pkg_resources", "declare_namespace")


def form_slot_questions() -> set[str]:
    """utter_ask_<slot> of every form's required slots: Rasa's forms send them."""
    import yaml

    names: set[str] = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        for form in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("forms") or {}).values():
            names |= {f"utter_ask_{slot}" for slot in form.get("required_slots") or []}
    return names


def names_in_actions() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))


def main() -> int:
    rasa = Path(sys.executable).parent / "rasa"
    cmd = [str(rasa), "data", "validate", "--config", "bot/config.yml", "--domain", "bot/domain", "--data", "data"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    code = ROOT / "actions"
    sources = names_in_actions()
    asked_by_forms = form_slot_questions()
    problems: list[str] = []
    accepted = 0
    for line in output.splitlines():
        if "Warning" not in line and "WARNING" not in line:
            continue
        if any(noise in line for noise in NOISE):
            continue
        match = UNUSED.search(line)
        if match:
            name = match.group(1)
            # utter_libelle_<x> are read by prefix (utter_libelle_role_ + role, utter_libelle_ + intent).
            if name in sources or name in asked_by_forms or any(prefix in sources for prefix in _prefixes(name)):
                accepted += 1
                continue
            problems.append(f"{name} n'est utilisé ni par une règle, ni par une histoire, ni par {code.name}/")
            continue
        problems.append(line.strip())
    if proc.returncode != 0:
        print(output)
        print("rasa data validate a échoué.")
        return 1
    for problem in problems:
        print(f"AVERTISSEMENT : {problem}")
    print(f"rasa data validate : {len(problems)} avertissement(s) ; {accepted} réponse(s) envoyée(s) par les "
          "actions (acceptées).")
    return 1 if problems else 0


def _prefixes(name: str) -> list[str]:
    return ["utter_libelle_role_"] if name.startswith("utter_libelle_role_") else (
        ["f\"utter_libelle_{intent}\""] if name.startswith("utter_libelle_") else []
    )


if __name__ == "__main__":
    sys.exit(main())
