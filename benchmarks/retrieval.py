"""Retrieval benchmark on the development questions: ours versus the plain hybrid pipeline.

    .venv/bin/python benchmarks/retrieval.py [EVAL_JSONL] [--also FILE ...] [--index-dir DIR]
                                             [--full-build]

Prints, for the development set and for each ``--also`` set (by default our own questions:
``benchmarks/unseen_questions.jsonl``, written without looking at the development set and used
to tune the situation layer, and ``benchmarks/heldout_questions.jsonl``, written after that
tuning to check it generalises): recall@1/3/5 and MRR@10 overall and by style for the product
("ours") and, in the same run, for the plain pipeline ("plain": folded BM25 + e5 on whole
articles fused by reciprocal rank, no vocabulary layer, ``knowledge.plain``); out-of-scope
refusals; the clause rate (of the questions whose first article is right and that carry an
``answer_phrase`` — or, on the development set, a ``span`` — found in that article: how often
the first answer's quoted text, as the user reads it, holds the phrase, folded); then warm latency over all
questions, cold start (fresh process: load + first answer), index build times and peak
memory. A hit counts when its article_ref is one of the question's gold articles.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from knowledge.composer import Composer, Retrieved  # noqa: E402
from knowledge.index import KnowledgeIndex  # noqa: E402
from knowledge.library import Library  # noqa: E402
from knowledge.plain import PlainRanking  # noqa: E402
from knowledge.retriever import HybridRetriever  # noqa: E402
from knowledge.textnorm import bm25_tokens, fold  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval" / "dev.jsonl"
DEFAULT_ALSO = [REPO / "benchmarks" / "unseen_questions.jsonl",
                REPO / "benchmarks" / "heldout_questions.jsonl"]
COLD_START = """
import sys, time
t = time.perf_counter()
sys.path.insert(0, {repo!r})
from pathlib import Path
from knowledge.library import Library
from knowledge.index import KnowledgeIndex
from knowledge.retriever import HybridRetriever
library = Library.load()
retriever = HybridRetriever(library=library, index=KnowledgeIndex.load(Path({index!r})))
retriever.search("người lao động được nghỉ phép năm bao nhiêu ngày")
print(time.perf_counter() - t)
"""


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


class Plain:
    """The plain pipeline exactly as ``shared/tools/baseline_eval.py`` runs it: the question as
    typed, folded BM25 with pairs and e5 on whole articles, first ten of each fused (k=60)."""

    def __init__(self, library: Library, index: KnowledgeIndex) -> None:
        self.ranking = PlainRanking.from_library(library, index.article_vectors)
        self.provider = index.provider if self.ranking.dense else None

    def rank(self, query: str, k: int = 10) -> list[str]:
        vector = self.provider.query(query) if self.provider is not None else None
        return self.ranking.rank(bm25_tokens(query), vector, k)


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def clause_holds(question: dict, result, composer: Composer, library: Library) -> bool | None:
    """Whether the first answer's quotes hold the question's answer phrase; None when it does
    not count (no phrase, first article wrong, or the phrase is not in that article)."""
    phrase = question.get("answer_phrase") or question.get("span")
    if not phrase or not result.hits or not hits_gold(result.hits[0].article_ref, set(question["gold"])):
        return None
    article = library.get(result.hits[0].article_ref)
    if article is None or _folded(phrase) not in _folded(f"{article.title} {article.text}"):
        return None
    answer = composer.compose(question["q"], Retrieved(hits=result.hits[:1], answerable=True))
    # What the user reads: a point is shown under its clause's lead-in ("Phạt tiền từ … đối với
    # người sử dụng lao động có một trong các hành vi sau đây: […] b) …"), a long quote is cut.
    return any(_folded(phrase) in _folded(composer.shown(c)) for c in answer.citations)


def hits_gold(ref: str, gold: set[str]) -> bool:
    """A hit is right when it is a gold article or section, or a unit inside one: a plan's
    part I is cut into its two numbered paragraphs (I.1, I.2), a gold «I» is either."""
    return ref in gold or any(ref.startswith(f"{g}.") for g in gold)


def metrics(ranked: list[str], gold: set[str]) -> dict[str, float]:
    first = next((i for i, ref in enumerate(ranked[:10]) if hits_gold(ref, gold)), None)
    return {"r@1": float(first is not None and first < 1), "r@3": float(first is not None and first < 3),
            "r@5": float(first is not None and first < 5),
            "mrr@10": 0.0 if first is None else 1.0 / (first + 1)}


def table(rows: list[tuple[str, str, dict]]) -> None:
    """rows: (system, style, metrics); prints means by system and style."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for system, style, m in rows:
        groups[(system, style)].append(m)
        groups[(system, "ALL")].append(m)
    styles = sorted({s for _, s in groups}, key=lambda s: (s != "ALL", s))
    print(f"{'style':<15}{'n':>4}  {'system':<9}{'R@1':>6}{'R@3':>6}{'R@5':>6}{'MRR@10':>8}")
    for style in styles:
        for system in ("plain", "ours"):
            ms = groups.get((system, style))
            if ms:
                avg = {key: statistics.mean(m[key] for m in ms) for key in ms[0]}
                print(f"{style:<15}{len(ms):>4}  {system:<9}{avg['r@1']:>6.2f}{avg['r@3']:>6.2f}"
                      f"{avg['r@5']:>6.2f}{avg['mrr@10']:>8.2f}")


def evaluate(questions, retriever, plain, composer, misses: bool = False) -> tuple[list, list[float]]:
    rows, latencies = [], []
    for q in questions:
        started = time.perf_counter()
        result = retriever.search(q["q"], k=10)
        latencies.append(time.perf_counter() - started)
        q["_refused"] = not result.in_scope
        if not q["gold"]:
            continue
        q["_clause"] = clause_holds(q, result, composer, retriever.library)
        gold = set(q["gold"])
        ranked = [h.article_ref for h in result.hits]
        rows.append(("ours", q["style"], metrics(ranked, gold)))
        if misses and not any(hits_gold(ref, gold) for ref in ranked[:3]):
            print(f"   miss {q['id']} [{q['style']}] {q['q'][:70]!r}: {ranked[:3]} (gold {sorted(gold)})")
        rows.append(("plain", q["style"], metrics(plain.rank(q["q"]), gold)))
    return rows, latencies


def report_clauses(questions, show: bool = False) -> None:
    counted = [q for q in questions if q.get("_clause") is not None]
    held = sum(q["_clause"] for q in counted)
    print(f"clause rate (first article right, its quote holds the answer phrase): "
          f"{held / max(len(counted), 1):.2f} ({held} of {len(counted)})")
    for q in counted:
        if show and not q["_clause"]:
            print(f"   clause missed: {q['id']}")


def report_scope(questions, show: bool = True) -> None:
    out = [q for q in questions if not q["gold"]]
    inside = [q for q in questions if q["gold"]]
    refused_out = sum(q["_refused"] for q in out) / max(len(out), 1)
    refused_in = sum(q["_refused"] for q in inside) / max(len(inside), 1)
    print(f"out-of-scope refused: {refused_out:.2f} ({len(out)} questions); "
          f"in-scope wrongly refused: {refused_in:.2f} ({len(inside)})")
    for q in inside:
        if show and q["_refused"]:
            print(f"   wrongly refused: {q['id']}")


def warm_latency(questions, retriever) -> list[float]:
    for q in questions[:5]:
        retriever.search(q["q"])
    times = []
    for _ in range(3):
        for q in questions:
            started = time.perf_counter()
            retriever.search(q["q"], k=10)
            times.append(time.perf_counter() - started)
    return times


def cold_start(index_dir: Path) -> float:
    code = COLD_START.format(repo=str(REPO), index=str(index_dir))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def build_times(library: Library, index_dir: Path, full: bool) -> None:
    index = KnowledgeIndex(index_dir)
    started = time.perf_counter()
    report = index.build(library)
    print(f"index build (incremental on {index_dir}): {time.perf_counter() - started:.1f} s — {report}")
    if full:
        with tempfile.TemporaryDirectory() as tmp:
            report = KnowledgeIndex(Path(tmp)).build(library, progress=True)
            print(f"index build (full, empty folder): {report.seconds:.1f} s — {report}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval", nargs="?", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--index-dir", type=Path, default=REPO / "data" / "index")
    parser.add_argument("--also", type=Path, action="append", default=None,
                        help="another question set to report (default: our unseen and held-out sets; "
                             "'--also none' for the development set only)")
    parser.add_argument("--misses", action="store_true",
                        help="list the --also questions missed at rank 3 (never the dev set's: "
                             "it is for measuring, not tuning)")
    parser.add_argument("--full-build", action="store_true", help="also time a build from scratch")
    args = parser.parse_args()

    also = DEFAULT_ALSO if args.also is None else [p for p in args.also if str(p) != "none"]
    sets = [(args.eval, load_questions(args.eval))] + [(p, load_questions(p)) for p in also]
    library = Library.load()
    build_times(library, args.index_dir, args.full_build)
    retriever = HybridRetriever(library=library, index=KnowledgeIndex.load(args.index_dir))
    plain = Plain(library, retriever.index)
    composer = Composer(library)
    for path, questions in sets:
        print(f"\n== {path.name} ({len(questions)} questions) ==")
        # Blind sets are measured, never looked into: no question ids are printed for them.
        blind = path.name.startswith("blind")
        rows, _ = evaluate(questions, retriever, plain, composer,
                           args.misses and path != args.eval and not blind)
        table(rows)
        report_scope(questions, show=not blind)
        report_clauses(questions, show=not blind)
    print()
    times = warm_latency([q for _, questions in sets for q in questions], retriever)
    p50, p95 = np.percentile(times, 50) * 1000, np.percentile(times, 95) * 1000
    print(f"warm latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({len(times)} queries)")
    print(f"cold start to first answer (fresh process): {cold_start(args.index_dir):.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
