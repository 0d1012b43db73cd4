"""Fit the doubt model (``knowledge/doubt.py``) on the TUNING question sets and write
``knowledge/vocabulary/doubt.yaml``.

    .venv/bin/pip install -e .[fit]         # once: scikit-learn, which only this script needs
    .venv/bin/python benchmarks/fit_doubt.py [--index-dir DIR] [--max-refused 0.035] [--dry-run]

Only the sets the team may tune on are read: ``../shared/eval/dev.jsonl`` and the unseen,
held-out, tuning_t and scope_tuning sets here. The blind sets are never read: they measure the
result. Each question is searched once; where the subject rules left the verdict to the
retrieval's evidence (``RetrievalResult.evidence``), that evidence and whether the question is
out of scope are the training rows. A standardised logistic regression is fitted; the
threshold is the one that, in five-fold cross-validation, catches the most out-of-scope
questions while no more than ``--max-refused`` of all answerable questions would be refused (by
the rules or the model); of equal catches, the highest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from knowledge.doubt import DOUBT_FILE, FEATURES  # noqa: E402
from knowledge.index import KnowledgeIndex  # noqa: E402
from knowledge.lexicon import VOCABULARY_DIR  # noqa: E402
from knowledge.library import Library  # noqa: E402
from knowledge.retriever import HybridRetriever  # noqa: E402

TUNING_SETS = [REPO.parent / "shared" / "eval" / "dev.jsonl",
               *(REPO / "benchmarks" / f"{name}_questions.jsonl"
                 for name in ("unseen", "heldout", "tuning_t", "scope_tuning"))]
HEADER = """\
# The doubt model (knowledge/doubt.py): when the subject rules leave a question's verdict to
# the retrieval's evidence, refuse when this logistic model's probability that it is out of
# scope exceeds the threshold. Written by benchmarks/fit_doubt.py from the tuning question
# sets only ({rows} rows: {oos} out of scope, {answerable} answerable); refit it — do not edit
# it by hand — when the embedding, the corpus or the ranking changes.
"""


def rows(retriever: HybridRetriever) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Evidence rows with their label (1 = out of scope), and for all answerable questions:
    their number and how many the rules already refuse."""
    features, labels, answerable, refused = [], [], 0, 0
    for path in TUNING_SETS:
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            question = json.loads(line)
            result = retriever.search(question["q"], k=5)
            outside = not question["gold"]
            if not outside:
                answerable += 1
                rules_refused = not result.in_scope and result.verdict is not None \
                    and result.verdict.basis != "doubt"
                refused += rules_refused
            if result.evidence is not None:
                features.append([getattr(result.evidence, f) for f in FEATURES])
                labels.append(int(outside))
    return np.array(features), np.array(labels), answerable, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=REPO / "data" / "index")
    parser.add_argument("--max-refused", type=float, default=0.035)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args()
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_predict
        from sklearn.preprocessing import StandardScaler
    except ImportError:
        sys.exit("fit_doubt.py needs scikit-learn: .venv/bin/pip install -e .[fit]")

    library = Library.load()
    index = KnowledgeIndex.load(args.index_dir)
    retriever = HybridRetriever(library=library, index=index)
    X, y, answerable, refused = rows(retriever)
    scaler = StandardScaler().fit(X)
    Z = scaler.transform(X)
    model = LogisticRegression(C=1.0)
    cv = cross_val_predict(model, Z, y, cv=5, method="predict_proba")[:, 1]
    model.fit(Z, y)

    print(f"{len(y)} rows ({int(y.sum())} out of scope); {answerable} answerable, "
          f"{refused} refused by the rules")
    threshold, best = None, -1
    for t in np.arange(0.20, 0.91, 0.05):
        share = (refused + int(((cv > t) & (y == 0)).sum())) / answerable
        caught = int(((cv > t) & (y == 1)).sum())
        print(f"threshold {t:.2f}: answerable refused {share:.3f}, "
              f"out of scope caught by the model {caught}/{int(y.sum())} (cross-validated)")
        if share <= args.max_refused and caught >= best:
            threshold, best = round(float(t), 2), caught
    if threshold is None:
        sys.exit(f"no threshold keeps answerable refusals under {args.max_refused}")
    print(f"chosen threshold {threshold}")

    lines = [HEADER.format(rows=len(y), oos=int(y.sum()), answerable=int(len(y) - y.sum())).rstrip(),
             f"embedding: {index.dense_name}", f"threshold: {threshold}",
             f"bias: {float(model.intercept_[0]):.6g}", "features:"]
    for name, mean, scale, weight in zip(FEATURES, scaler.mean_, scaler.scale_, model.coef_[0]):
        lines.append(f"  {name}: {{mean: {mean:.6g}, scale: {max(scale, 1e-6):.6g}, "
                     f"weight: {weight:.6g}}}")
    text = "\n".join(lines) + "\n"
    if args.dry_run:
        print(text)
    else:
        (VOCABULARY_DIR / DOUBT_FILE).write_text(text, encoding="utf-8")
        print(f"written {VOCABULARY_DIR / DOUBT_FILE}")


if __name__ == "__main__":
    main()
