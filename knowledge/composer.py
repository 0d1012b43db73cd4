"""Extractive answers: only verbatim source text, each quote with its precise citation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from knowledge import texts
from knowledge.answer import Answer, Citation, Hit
from knowledge.citation import citation_for, unit_label
from knowledge.library import Library
from knowledge.scope import Verdict

MAX_QUOTES_FROM_TOP = 2
MAX_RELATED = 2
# A quote longer than this is cut at a line boundary; the whole article is one button away.
MAX_QUOTE_CHARS = 1500

LeadWriter = Callable[[str, list[tuple[str, str]]], str | None]


@dataclass(frozen=True)
class Retrieved:
    """What the composer needs of a retrieval: ranked hits and whether to answer at all."""

    hits: list[Hit]
    answerable: bool
    confidence: float = 0.0
    note: str = ""  # e.g. which document was assumed for "điều 36" without a document name
    verdict: Verdict | None = None  # what the question is about, when the documents do not govern it


class Composer:
    def __init__(self, library: Library, lead_writer: LeadWriter | None = None) -> None:
        self.library = library
        self.lead_writer = lead_writer

    def compose(self, question: str, retrieved: Retrieved) -> Answer:
        if not retrieved.answerable or not retrieved.hits:
            if retrieved.verdict is not None and not retrieved.verdict.in_scope:
                if retrieved.verdict.basis == "doubt" and retrieved.hits:
                    return self.doubtful(question, retrieved.hits[0], retrieved.confidence)
                return self.out_of_scope(question, retrieved.verdict, retrieved.confidence)
            return self.not_found(question, retrieved.confidence)
        top = retrieved.hits[0]
        quoted = [self._cite(ref) for ref in self._quoted_refs(top)]
        related = [self._cite(self._best_unit(hit)) for hit in retrieved.hits[1:1 + MAX_RELATED]]
        lead = self._lead(question, top, quoted, retrieved.note)
        text = "\n\n".join(filter(None, [lead, *map(self._quote_block, quoted), _related_block(related)]))
        return Answer(question=question, answered=True, text=text, citations=quoted + related,
                      related=related, confidence=retrieved.confidence)

    def not_found(self, question: str, confidence: float = 0.0, reason: str = "not_found") -> Answer:
        documents = self._documents()
        return Answer(question=question, answered=False, confidence=confidence, reason=reason,
                      text=texts.NOT_FOUND.format(documents=documents))

    def out_of_scope(self, question: str, verdict: Verdict, confidence: float = 0.0) -> Answer:
        """A subject no document held governs: say what it is about and which law governs it
        (when an area was named), that the text is not held; the bot offers to send it to staff."""
        answer = self.not_found(question, confidence, reason="out_of_scope")
        if verdict.area is not None:
            documents = self._documents()
            template = texts.OUT_OF_SCOPE if verdict.area.law else texts.OUT_OF_SCOPE_NOT_LAW
            answer.text = template.format(area=verdict.area.area, law=verdict.area.law,
                                          documents=documents)
        return answer

    def doubtful(self, question: str, nearest: Hit, confidence: float = 0.0) -> Answer:
        """The retrieval's evidence doubts that the texts answer it (``knowledge.doubt``): no
        quote (a confident quote of the nearest labour article is the worst wrong answer), but
        the nearest article is named — to read and judge — beside the offer to send it to staff."""
        answer = self.not_found(question, confidence, reason="out_of_scope")
        article = self.library.get(nearest.article_ref)
        if article is None:
            return answer
        citation = self._cite(article.ref)
        documents = self._documents()
        named = f"{citation.label} ({article.title})" if article.title else citation.label
        answer.text = texts.DOUBTFUL.format(documents=documents, nearest=named)
        answer.related = [citation]
        return answer

    def _documents(self) -> str:
        """The documents held, as the refusals list them."""
        return ", ".join(d.short_title for d in self.library.documents.values())

    def article(self, ref: str) -> Answer | None:
        """The whole article (or plan section) a ref belongs to, verbatim."""
        unit = self.library.get(ref)
        if unit is None:
            return None
        article = self.library.get(unit.article_ref) or unit
        document = self.library.documents[article.doc_id]
        label = unit_label(article.ref)
        header = texts.ARTICLE_HEADER.format(label=label[:1].upper() + label[1:], title=article.title)
        source = texts.ARTICLE_SOURCE.format(document=document.short_title, number=document.number,
                                             status=document.status_label)
        citation = citation_for(article, document)
        return Answer(question=ref, answered=True, text=f"{header}\n{source}\n\n{article.text}",
                      citations=[citation], confidence=1.0)

    # -- pieces ---------------------------------------------------------------------------

    def _quoted_refs(self, hit: Hit) -> list[str]:
        refs = [ref for ref in hit.matched_refs if self.library.get(ref) is not None]
        refs = _drop_nested(refs)[:1 if hit.via == "lookup" else MAX_QUOTES_FROM_TOP]
        return refs or [hit.article_ref]

    def _best_unit(self, hit: Hit) -> str:
        return self._quoted_refs(hit)[0]

    def _cite(self, ref: str) -> Citation:
        unit = self.library.get(ref)
        return citation_for(unit, self.library.documents[unit.doc_id], self.library.get(unit.article_ref))

    def _quote_block(self, citation: Citation) -> str:
        source = (texts.SOURCE_LINE if citation.number else texts.SOURCE_LINE_NO_NUMBER).format(
            label=citation.label, number=citation.number, status=citation.status)
        return f"«{self.shown(citation)}»\n{source}"

    def shown(self, citation: Citation) -> str:
        """The quoted text as the user sees it: a point under its clause's lead-in, a long
        quote cut at a line."""
        return f"{self._context(citation)}{_shorten(citation.quote)}"

    def _context(self, citation: Citation) -> str:
        """A point read alone loses its clause's lead-in ("…, bao gồm:"), so show that line too."""
        unit = self.library.get(citation.ref)
        parent = self.library.get(unit.parent_ref) if unit and unit.level == "point" else None
        return f"{parent.text.splitlines()[0]}\n[…]\n" if parent else ""

    def _lead(self, question: str, top: Hit, quoted: list[Citation], note: str) -> str:
        if top.via == "lookup":
            return " ".join(filter(None, [note, texts.LEAD_LOOKUP.format(label=quoted[0].label)]))
        if self.lead_writer is not None:
            written = self.lead_writer(question, [(c.label, c.quote) for c in quoted])
            if written:
                return f"{written.strip()}\n{texts.LEAD_GENERATED_NOTE}"
        article = self.library.get(top.article_ref)
        where = f"{unit_label(article.ref)} {self.library.documents[article.doc_id].short_title}"
        if article.title:
            return texts.LEAD_FOUND.format(where=where, title=article.title)
        return texts.LEAD_FOUND_UNTITLED.format(where=where)


def _drop_nested(refs: list[str]) -> list[str]:
    """A clause and one of its own points both matched: quoting the clause covers the point."""
    kept: list[str] = []
    for ref in refs:
        if any(ref.startswith(k + ":") or k.startswith(ref + ":") for k in kept):
            continue
        kept.append(ref)
    return kept




def _shorten(quote: str) -> str:
    if len(quote) <= MAX_QUOTE_CHARS:
        return quote
    kept: list[str] = []
    for line in quote.splitlines():
        if sum(len(k) + 1 for k in kept) + len(line) > MAX_QUOTE_CHARS and kept:
            break
        kept.append(line)
    if len(kept) == 1 and len(kept[0]) > MAX_QUOTE_CHARS:
        kept[0] = kept[0][:MAX_QUOTE_CHARS].rsplit(" ", 1)[0]
    return "\n".join(kept + [texts.QUOTE_CUT])


def _related_block(related: list[Citation]) -> str:
    if not related:
        return ""
    items = [texts.SEE_ALSO_ITEM.format(label=c.label, title=c.article_title or c.quote[:80]) for c in related]
    return "\n".join([texts.SEE_ALSO, *items])
