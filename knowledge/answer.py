"""What the knowledge base hands back: search hits, citations and answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hit:
    """One ranked article (or plan section) for a query, with the units inside it that matched."""

    article_ref: str
    score: float
    matched_refs: tuple[str, ...] = ()  # clause/point refs, best first; empty = whole article
    via: str = "hybrid"  # "lookup" for a direct "Điều N" request


@dataclass(frozen=True)
class Citation:
    ref: str  # the most precise unit quoted: "blld-2019:d175:k1:b"
    doc_id: str
    title: str  # the document's short title: "Bộ luật Lao động 2019"
    label: str  # "điểm b khoản 1 Điều 175 Bộ luật Lao động 2019"
    quote: str  # verbatim source text
    article_ref: str
    article_title: str = ""
    number: str = ""  # the document's number: "45/2019/QH14"
    status: str = ""  # "đang có hiệu lực"

    def as_json(self) -> dict:
        return {
            "ref": self.ref, "doc_id": self.doc_id, "title": self.title, "label": self.label,
            "quote": self.quote, "article_ref": self.article_ref,
            "article_title": self.article_title, "number": self.number, "status": self.status,
        }


@dataclass
class Answer:
    question: str
    answered: bool
    text: str  # the reply as the user sees it (plain text, split by channels as needed)
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    confidence: float = 0.0
    reason: str = ""  # why not answered: "out_of_scope", "empty", "too_long"…

    def as_json(self) -> dict:
        return {
            "question": self.question, "answered": self.answered, "text": self.text,
            "citations": [c.as_json() for c in self.citations],
            "related": [c.as_json() for c in self.related],
            "confidence": round(self.confidence, 4), "reason": self.reason,
        }
