"""The trained NLU on the held-out sets, and the rule that keeps them out of training.

Three held-out sets. `heldout.yml` (the first one) and `heldout_fresh.yml` (written blind in
issue 10) were looked at while the NLU was improved: tuning parts, optimistic. `heldout_fresh2.yml`
was written afterwards by another person who had seen neither data/ nor the other sets, and was
never looked at: the test part, on which issue 10's acceptance holds (intent accuracy ≥ 0.90,
place F1 ≥ 0.95). The tuning parts keep floors a little below what they measured, against
regressions.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.nlu.leaks import examples, leaks, training_examples

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = Path(__file__).parent / "heldout.yml"
FRESH = Path(__file__).parent / "heldout_fresh.yml"
FRESH2 = Path(__file__).parent / "heldout_fresh2.yml"


@pytest.mark.parametrize("path, size", [(HELDOUT, 150), (FRESH, 200), (FRESH2, 180)])
def test_heldout_set_is_large_and_never_trained_on(path: Path, size: int) -> None:
    messages = examples(path)
    assert len(messages) >= size
    leaked = leaks(messages, training_examples())
    assert not leaked, leaked[:5]


def _evaluate(data: Path, out: Path) -> dict:
    model = ROOT / "models" / "assistant.tar.gz"
    assert model.exists(), "lancez `make train` (make test le fait)"
    proc = subprocess.run([str(ROOT / ".venv/bot/bin/python"), "scripts/eval_nlu.py", "--model", str(model),
                           "--data", str(data), "--json", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    print(proc.stdout)
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("path, intent, place", [
    (FRESH2, 0.90, 0.95),   # the test part: issue 10's acceptance
    (FRESH, 0.88, 0.95),    # tuning part (measured 0.898 / 0.975)
    (HELDOUT, 0.91, 0.95),  # tuning part (measured 0.934 / 0.978)
])
def test_heldout_figures(tmp_root: Path, path: Path, intent: float, place: float) -> None:
    result = _evaluate(path, tmp_root / f"nlu_eval_{path.stem}.json")
    assert result["messages"] >= 150
    assert result["intent_accuracy"] >= intent, result["confusions"][:10]
    assert result["lieu_f1"] >= place, [e for e in result["erreurs"] if "lieux_attendus" in e][:10]
