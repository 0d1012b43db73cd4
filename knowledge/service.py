"""The knowledge base as the bot and the CLI see it: ``answer(question)`` and ``article(ref)``.

Loading is cheap (the index is built beforehand by ``cdcs index``); answering is CPU-bound and
synchronous, so async callers run it in a thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kernel.settings import Settings
from knowledge import texts
from knowledge.answer import Answer
from knowledge.composer import Composer, Retrieved
from knowledge.doubt import load_doubt
from knowledge.index import BuildReport, IndexNotBuilt, KnowledgeIndex, make_chunks
from knowledge.lead import LeadWriter
from knowledge.lexicon import check_references, use_staff_file, vocabulary
from knowledge.library import Library
from knowledge.retriever import HybridRetriever, RetrievalResult
from knowledge.rewrite import QueryRewriter
from knowledge.scope import load_areas
from knowledge.staff_phrasings import staff_file

log = logging.getLogger(__name__)

# Questions are short; a pasted page is cut here for retrieval (the bot tells the user).
MAX_QUESTION_CHARS = 1000
HITS = 5
# How often a worker looks whether another process rebuilt the index (a staff phrasing linked
# on the web page, a document added): then it reloads, so every worker answers alike within this.
FOLLOW_SECONDS = 30.0


class IndexNotReady(RuntimeError):
    """The index is missing or older than the documents: ``cdcs index`` builds it."""


class KnowledgeBase:
    def __init__(self, library: Library, retriever: HybridRetriever, composer: Composer,
                 threshold: float = 0.0, rewriter: Callable[[str], str | None] | None = None) -> None:
        self.library = library
        self.retriever = retriever
        self.composer = composer
        self.threshold = threshold
        self.rewriter = rewriter  # optional LLM rewrite into legal terms, searched beside the words
        # The bot answers from several worker threads; the embedding engine is native code
        # that is not documented as re-entrant, and a query takes tens of ms: take turns.
        self._lock = threading.Lock()
        # Set by ``open``: the settings to reload with and the build the index holds.
        self._settings: Settings | None = None
        self._built: float | None = None
        self._looked = time.monotonic()
        self._reloading = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> "KnowledgeBase":
        use_staff_file(staff_file(settings.data_dir))
        library = Library.load(settings.user_corpus_dir)
        index = KnowledgeIndex.from_settings(settings)
        built = _built(index)
        if not index.is_current(library):
            raise IndexNotReady("chỉ mục tìm kiếm chưa được xây dựng hoặc đã cũ: hãy chạy `cdcs index`")
        kb = cls.from_index(library, _load(index), settings)
        kb._settings, kb._built = settings, built
        return kb

    def reload(self, settings: Settings) -> None:
        """Answer from the index as it is now (after a document was added): swapped under the
        lock, so a question in flight finishes on the old index and the next uses the new one."""
        fresh = KnowledgeBase.open(settings)
        with self._lock:
            self.library, self.retriever, self.composer = fresh.library, fresh.retriever, fresh.composer
            self._settings, self._built = settings, fresh._built

    def follow(self) -> None:
        """Reload when another process rebuilt the index since this one loaded it; looked at
        most every ``FOLLOW_SECONDS``, by one thread at a time. A failed reload (a build still
        being written) keeps the current index and is tried again at the next look."""
        if self._settings is None or time.monotonic() - self._looked < FOLLOW_SECONDS:
            return
        if not self._reloading.acquire(blocking=False):
            return
        try:
            self._looked = time.monotonic()
            built = _built(KnowledgeIndex.from_settings(self._settings))
            if built is not None and built != self._built:
                vocabulary.cache_clear()  # the staff's phrasings may have changed with it
                self.reload(self._settings)
                log.info("knowledge: index rebuilt elsewhere, reloaded")
        except Exception as error:  # noqa: BLE001 — the current index keeps answering
            log.warning("knowledge: reload failed, current index kept: %s", type(error).__name__)
        finally:
            self._reloading.release()

    @classmethod
    def from_index(cls, library: Library, index: KnowledgeIndex,
                   settings: Settings | None = None) -> "KnowledgeBase":
        lead = LeadWriter.from_settings(settings) if settings is not None else None
        rewriter = QueryRewriter.from_settings(settings) if settings is not None else None
        return cls(library, HybridRetriever(library=library, index=index), Composer(library, lead),
                   threshold=settings.answer_threshold if settings is not None else 0.0,
                   rewriter=rewriter)

    def answer(self, question: str) -> Answer:
        question = question.strip()
        if not question:
            return self.composer.not_found(question, reason="empty")
        self.follow()
        searched = question[:MAX_QUESTION_CHARS]
        # The LLM is asked outside the lock: a slow endpoint must not hold up other questions.
        hints = (self.rewriter(searched) or "") if self.rewriter is not None else ""
        with self._lock:
            result = self.retriever.search(searched, k=HITS, hints=hints)
        if result.reason == "lookup_missing":
            return self._missing_article(question, result)
        return self.composer.compose(question, self._retrieved(result))

    def article(self, ref: str) -> Answer | None:
        return self.composer.article(ref)

    def _missing_article(self, question: str, result: RetrievalResult) -> Answer:
        """"Điều 999 BLLĐ": say plainly that the document has no such article."""
        document = self.library.documents.get(result.lookup.doc_id or "")
        where = document.short_title if document else texts.ANY_DOCUMENT
        answer = self.composer.not_found(question, result.confidence, reason="lookup_missing")
        answer.text = texts.ARTICLE_MISSING.format(article=result.lookup.article, document=where)
        return answer

    def _retrieved(self, result: RetrievalResult) -> Retrieved:
        answerable = result.in_scope and bool(result.hits) and result.confidence >= self.threshold
        note = ""
        if result.lookup is not None and result.lookup.ambiguous and result.lookup.doc_id:
            note = texts.LOOKUP_AMBIGUOUS.format(title=self.library.documents[result.lookup.doc_id].short_title)
        return Retrieved(hits=result.hits, answerable=answerable, confidence=result.confidence,
                         note=note, verdict=result.verdict)


def build_index(settings: Settings, *, progress: bool = True) -> BuildReport:
    """Build or update the index: only chunks whose text changed are embedded again. The
    vocabulary is checked against the corpus first: a bad file stops the build before anything
    is written (VocabularyError, naming the file and line)."""
    use_staff_file(staff_file(settings.data_dir))
    library = Library.load(settings.user_corpus_dir)
    check_references(vocabulary(), library)
    # The area map and the doubt model are read from files too: shape-checked here, so that
    # a spoilt one stops `cdcs index` with its line, not the bot at its next start.
    load_areas()
    load_doubt()
    index = KnowledgeIndex.from_settings(settings)
    if index.is_current(library):
        chunks = len(make_chunks(library))
        return BuildReport(unchanged=chunks, chunks=chunks)
    return index.build(library, progress=progress)


def _built(index: KnowledgeIndex) -> float | None:
    """When the index on disk was last written (its manifest is written last), or None."""
    try:
        return index.index_dir.joinpath("chunks.json").stat().st_mtime
    except OSError:
        return None


def _load(index: KnowledgeIndex) -> KnowledgeIndex:
    try:
        return KnowledgeIndex.load(index.index_dir, provider_kind=index.provider_kind,
                                   provider=index.provider, chroma_host=index.chroma_host,
                                   chroma_port=index.chroma_port)
    except IndexNotBuilt as error:
        raise IndexNotReady(str(error)) from error
