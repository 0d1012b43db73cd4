"""Answers provincial staff wrote to earlier questions, cited when a new question closely
matches one: labelled as the staff's answer with its date, and always shown beside the verbatim
law (or beside the honest "the texts do not answer this"), never in place of it.

Matching is on the question's content words, folded (no diacritics), as a Jaccard overlap of
words and word pairs: "công đoàn cơ sở có được thu phí của công nhân không" and "cdcs co dc
thu phi cong nhan ko" match; a question that merely shares the topic does not.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from knowledge.lexicon import vocabulary
from knowledge.textnorm import folded_syllables, with_pairs
from storage.db import Database
from storage.models import StandardAnswer

MATCH = 0.6  # share of the two questions' words and pairs in common, to cite the staff answer


@dataclass(frozen=True)
class StaffAnswer:
    text: str
    created_at: datetime
    similarity: float


class StandardAnswers:
    """The staff's standard answers, read from the database when they change."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None  # (count, newest id) of what is loaded
        self._entries: list[tuple[frozenset[str], str, datetime]] = []

    def match(self, question: str) -> StaffAnswer | None:
        terms = _terms(question)
        if len(terms) < 2:
            return None
        best: StaffAnswer | None = None
        for words, text, created in self._current():
            similarity = len(terms & words) / len(terms | words)
            if similarity >= MATCH and (best is None or similarity > best.similarity):
                best = StaffAnswer(text, created, similarity)
        return best

    def _current(self) -> list[tuple[frozenset[str], str, datetime]]:
        with self.db.session() as session:
            seen = tuple(session.execute(select(func.count(StandardAnswer.id),
                                                func.coalesce(func.max(StandardAnswer.id), 0))).one())
            with self._lock:
                if seen != self._seen:
                    rows = session.execute(select(StandardAnswer.question_text,
                                                  StandardAnswer.answer_text,
                                                  StandardAnswer.created_at)).all()
                    self._entries = [(_terms(q), a, created) for q, a, created in rows]
                    self._seen = seen
                return self._entries


def _terms(text: str) -> frozenset[str]:
    abbreviations = vocabulary().abbreviations
    words = []
    for token in folded_syllables(text):  # "cdcs" and "công đoàn cơ sở" are the same words
        words += folded_syllables(abbreviations[token]) if token in abbreviations else [token]
    content = [w for w in words if w not in vocabulary().stopwords]
    return frozenset(with_pairs(content))
