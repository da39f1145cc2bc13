"""The trained NLU on the held-out set: intent accuracy ≥ 0.93, place F1 ≥ 0.95."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = Path(__file__).parent / "heldout.yml"


def test_heldout_set_is_large_and_never_trained_on() -> None:
    import yaml

    heldout = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    examples = [line[2:].strip() for block in heldout["nlu"] if "examples" in block
                for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    assert len(examples) >= 150
    training = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "data").rglob("*.yml")).lower()
    leaked = [e for e in examples if f"- {e.lower()}\n" in training]
    assert not leaked, leaked[:5]


@pytest.mark.slow
def test_heldout_figures(tmp_root: Path) -> None:
    model = ROOT / "models" / "assistant.tar.gz"
    assert model.exists(), "lancez `make train` (make test le fait)"
    out = tmp_root / "nlu_eval.json"
    proc = subprocess.run([str(ROOT / ".venv/bot/bin/python"), "scripts/eval_nlu.py", "--model", str(model),
                           "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    print(proc.stdout)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["messages"] >= 150
    assert result["intent_accuracy"] >= 0.93, proc.stdout
    assert result["lieu_f1"] >= 0.95, proc.stdout
