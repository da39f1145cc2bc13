"""What the trained model (models/assistant.tar.gz, built by `make test` before the tests) carries."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[2] / "models" / "assistant.tar.gz"


def test_the_crf_training_set_in_the_model_carries_no_spacy_vectors() -> None:
    """Rasa stores the CRF's training set in the model and trains the CRF again from it at every
    start: with the spaCy vectors in it (no `featurizers: [regex]` in bot/config.yml) it was 74 MB
    of JSON, 4 s of start and memory, for features the CRF does not use."""
    if not MODEL.exists():
        pytest.fail("Pas de modèle entraîné : lancez `make train` (make test le fait).")
    with tarfile.open(MODEL) as archive:
        members = [m for m in archive.getmembers() if m.name.endswith("crf_dataset.json")]
        assert len(members) == 1, [m.name for m in members]
        assert members[0].size < 10_000_000, members[0].size
        handle = archive.extractfile(members[0])
        assert handle is not None
        dataset = json.load(handle)
    tokens = [token for sentence in dataset for token in sentence]
    assert len(tokens) > 1000  # the examples with places are all there
    assert all(token["dense_features"] == [] for token in tokens)
    assert any(token["entity_tag"] not in ("O", None, "") for token in tokens)
