"""The knowledge base as the bot and the CLI see it: ``answer(question)`` and ``article(ref)``.

Loading is cheap (the index is built beforehand by ``cdcs index``); answering is CPU-bound and
synchronous, so async callers run it in a thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kernel.settings import Settings
from knowledge import texts
from knowledge.answer import Answer
from knowledge.composer import Composer, Retrieved
from knowledge.index import BuildReport, IndexNotBuilt, KnowledgeIndex, make_chunks
from knowledge.lead import LeadWriter
from knowledge.lexicon import check_references, use_staff_file, vocabulary
from knowledge.library import Library
from knowledge.retriever import HybridRetriever, RetrievalResult
from knowledge.rewrite import QueryRewriter
from knowledge.staff_phrasings import staff_file

log = logging.getLogger(__name__)

# Questions are short; a pasted page is cut here for retrieval (the bot tells the user).
MAX_QUESTION_CHARS = 1000
HITS = 5


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

    @classmethod
    def open(cls, settings: Settings) -> "KnowledgeBase":
        use_staff_file(staff_file(settings.data_dir))
        library = Library.load(settings.user_corpus_dir)
        index = KnowledgeIndex.from_settings(settings)
        if not index.is_current(library):
            raise IndexNotReady("chỉ mục tìm kiếm chưa được xây dựng hoặc đã cũ: hãy chạy `cdcs index`")
        return cls.from_index(library, _load(index), settings)

    def reload(self, settings: Settings) -> None:
        """Answer from the index as it is now (after a document was added): swapped under the
        lock, so a question in flight finishes on the old index and the next uses the new one."""
        fresh = KnowledgeBase.open(settings)
        with self._lock:
            self.library, self.retriever, self.composer = fresh.library, fresh.retriever, fresh.composer

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
    index = KnowledgeIndex.from_settings(settings)
    if index.is_current(library):
        chunks = len(make_chunks(library))
        return BuildReport(unchanged=chunks, chunks=chunks)
    return index.build(library, progress=progress)


def _load(index: KnowledgeIndex) -> KnowledgeIndex:
    try:
        return KnowledgeIndex.load(index.index_dir, provider_kind=index.provider_kind,
                                   provider=index.provider, chroma_host=index.chroma_host,
                                   chroma_port=index.chroma_port)
    except IndexNotBuilt as error:
        raise IndexNotReady(str(error)) from error
