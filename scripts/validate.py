"""`make validate`: `rasa data validate`, where every warning is an error but one kind.

Rasa warns that a response is "not used in any story or rule" when only a
custom action sends it (contact lines, calendar texts…). Those responses are
where the French text lives, by design. This script accepts that warning only
for responses that an action in actions/ really names; any other warning, or an
unused response that no action names, fails.

Services return message keys; actions send `utter_<key>`. Each service declares
its keys in `MESSAGE_KEYS` (read here without importing the service): a key
response is accepted when an action imports that service, and every declared
key must have its response in the domain.
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


def service_message_keys(constant: str = "MESSAGE_KEYS") -> dict[str, set[str]]:
    """Service module (``knowledge.services.x``) → the keys of its literal ``MESSAGE_KEYS`` (or `constant`).

    The module-level constants the tuple is built from are evaluated too, without builtins.
    """
    import ast

    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / "knowledge" / "services").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        namespace: dict[str, object] = {"__builtins__": {}}
        for node in tree.body:
            if not (isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if not names:
                continue
            try:
                value = eval(compile(ast.Expression(node.value), str(path), "eval"), namespace)  # noqa: S307
            except Exception:  # noqa: BLE001 - not a constant: not needed for MESSAGE_KEYS
                continue
            for name in names:
                namespace[name] = value
        if constant in namespace:
            out[f"knowledge.services.{path.stem}"] = {str(k) for k in namespace[constant]}  # type: ignore[attr-defined]
    return out


def curated_responses() -> dict[str, set[str]]:
    """The curated answers a service picks by intent: ``utter_info_x`` for each ``demander_info_x`` of its
    ``FAQ_INTENTS`` (knowledge/services/faq.py), sent by the action that imports it, in or out of a form."""
    return {module: {f"utter_{intent.removeprefix('demander_')}" for intent in intents}
            for module, intents in service_message_keys("FAQ_INTENTS").items()}


def domain_responses() -> set[str]:
    import yaml

    names: set[str] = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        names |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return names


def imported_by_actions(module: str, sources: str) -> bool:
    package, _, name = module.rpartition(".")
    return f"from {module} import" in sources or f"import {module}" in sources or \
        re.search(rf"from {re.escape(package)} import [^\n]*\b{name}\b", sources) is not None


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
    responses = domain_responses()
    sent_by_keys: set[str] = set()
    for module, keys in service_message_keys().items():
        for key in sorted(keys):
            if f"utter_{key}" not in responses:
                problems.append(f"{module} peut renvoyer la clé {key} : la réponse utter_{key} manque au domaine")
        if imported_by_actions(module, sources):
            sent_by_keys |= {f"utter_{key}" for key in keys}
    for module, names in curated_responses().items():
        for name in sorted(names - responses):
            problems.append(f"{module} peut choisir la réponse {name}, absente du domaine")
        if imported_by_actions(module, sources):
            sent_by_keys |= names
    for line in output.splitlines():
        if "Warning" not in line and "WARNING" not in line:
            continue
        if any(noise in line for noise in NOISE):
            continue
        match = UNUSED.search(line)
        if match:
            name = match.group(1)
            # utter_libelle_<x> are read by prefix (utter_libelle_role_ + role, utter_libelle_ + intent).
            if name in sources or name in asked_by_forms or name in sent_by_keys or \
                    any(prefix in sources for prefix in _prefixes(name)):
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
