"""Is a question about something the indexed documents govern? Decided from the documents.

A question is answered when the provisions retrieved for it *govern* its main subject: the
subject's words stand in an article's headings (its document's chapter, its title), in the
everyday phrasings written for it, or recur in its text (twice or more — a subject mentioned
once in passing, "bị truy cứu trách nhiệm hình sự", is referred elsewhere, not governed).
Everything is computed from the loaded library and vocabulary, so when staff ingest a document
that governs a subject and rebuild the index, the subject stops being refused without any code
change.

What a question is about is read with ``vocabulary/law_areas.yaml``, a general map of areas
of law (labour and union law among them) to the words that name them and the kind of text
that governs them. The map only *names*: the in/out decision is whether the retrieved
provisions govern the words the question used. The main subject is the most specific area the
question names (its rarest word in the corpus): "lương bị trừ thuế thu nhập cá nhân" is about
tax, however often the corpus speaks of wages. A question that names no area is judged by how
much of it the first hits cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.lexicon import (
    VOCABULARY_DIR,
    VocabularyError,
    _line,
    _read,
    _text,
    vocabulary,
)
from knowledge.library import Library
from knowledge.textnorm import syllables

AREAS_FILE = "law_areas.yaml"
GOVERNING_MENTIONS = 3  # a subject recurring this often in an article's text is its matter
# ... not counting where the text hands it to another text: "theo (quy định của) Điều lệ Công
# đoàn", "pháp luật về bảo hiểm xã hội", "Luật Bảo hiểm xã hội" refer out, they do not govern.
REFERRING_WORDS = frozenset({"theo", "của", "tại", "về", "luật"})
SCOPE_DEPTH = 3  # the first hits whose provisions must govern the question's subject
# A question naming no known area is answered when the first hits cover this much of it
# (rarity-weighted share of its words and word pairs, see HybridRetriever) ...
GENERAL_MIN = 0.15
# ... and the corpus knows at least this share of its content words at all.
KNOWN_MIN = 0.7


@dataclass(frozen=True)
class LawArea:
    area: str  # "hôn nhân và gia đình"
    law: str  # "Luật Hôn nhân và gia đình"; "" when it is not a legal matter
    terms: tuple[str, ...]  # lowercase syllables: "ly hôn"


@dataclass(frozen=True)
class Verdict:
    in_scope: bool
    area: LawArea | None = None  # what the question is about, when an area was named
    term: str = ""  # the word that named it


def load_areas(path: Path | None = None) -> tuple[LawArea, ...]:
    """The area map, shape-checked (a VocabularyError names the file and line)."""
    path = path or VOCABULARY_DIR / AREAS_FILE
    data, lines = _read(path)
    if not isinstance(data, list):
        raise VocabularyError(path, 1, "tệp phải là một danh sách các lĩnh vực")
    areas = []
    for item in data:
        line = _line(lines, item, "area") if isinstance(item, dict) else None
        if not isinstance(item, dict) or set(item) != {"area", "law", "terms"}:
            raise VocabularyError(path, line, "mỗi lĩnh vực cần đúng ba mục: area, law, terms")
        law = item["law"]
        if not isinstance(law, str):
            raise VocabularyError(path, _line(lines, item, "law"), "«law» phải là một chuỗi chữ")
        terms = item["terms"]
        if not isinstance(terms, list) or not terms:
            raise VocabularyError(path, _line(lines, item, "terms"), "«terms» phải là một danh sách")
        words = tuple(" ".join(syllables(_text(path, _line(lines, item, "terms"), t, "một từ")))
                      for t in terms)
        areas.append(LawArea(_text(path, line, item["area"], "area"), law.strip(), words))
    return tuple(areas)


@lru_cache(maxsize=1)
def law_areas() -> tuple[LawArea, ...]:
    return load_areas()


class SubjectIndex:
    """What each article governs: its headings and phrasings, and its body, as lowercase
    syllables *with* their marks — folded, «tôi» would read as «tội» and «mưa» as «mua».
    Questions typed without marks are matched after the retriever restored them."""

    def __init__(self, library: Library, areas: tuple[LawArea, ...] | None = None) -> None:
        self.areas = law_areas() if areas is None else areas
        situations = vocabulary().article_situations
        self.heads: dict[str, str] = {}
        self.bodies: dict[str, str] = {}
        for article in library.articles():
            document = library.documents.get(article.doc_id)
            # An untitled unit (a paragraph of a free-form document) is headed by its document.
            title = article.title or (document.title if document else "")
            heading = " ".join(filter(None, [article.chapter, title, situations.get(article.ref, "")]))
            self.heads[article.ref] = _padded(heading)
            self.bodies[article.ref] = _padded(article.text)
        # Longest first, so "hợp đồng lao động" is read before "lao động".
        named = sorted(((t, a) for a in self.areas for t in a.terms), key=lambda x: -len(x[0]))
        self._terms = named
        self._pattern = re.compile(
            r"(?<!\S)(" + "|".join(re.escape(t) for t, _ in named) + r")(?!\S)") if named else None
        self._area_of = {t: a for t, a in named}
        self._df: dict[str, int] = {}
        self._governed: dict[str, bool] = {}

    # -- what the question names --

    def named(self, text: str) -> list[tuple[str, LawArea]]:
        """Area words in the question (whole words, longest match first)."""
        if self._pattern is None:
            return []
        text = " ".join(syllables(text))
        return [(m.group(1), self._area_of[m.group(1)]) for m in self._pattern.finditer(text)]

    # -- what the documents govern --

    def governs(self, article_ref: str, term: str) -> bool:
        needle = f" {term} "
        if needle in self.heads.get(article_ref, ""):
            return True
        body = self.bodies.get(article_ref, "")
        if body.count(needle) < GOVERNING_MENTIONS:
            return False
        own = 0
        start = body.find(needle)
        while start >= 0:
            own += body[:start].rsplit(" ", 1)[-1] not in REFERRING_WORDS
            start = body.find(needle, start + 1)
        return own >= GOVERNING_MENTIONS

    def frequency(self, term: str) -> int:
        """In how many articles the term occurs at all (how specific a subject it is)."""
        if term not in self._df:
            needle = f" {term} "
            self._df[term] = sum(1 for ref in self.heads
                                 if needle in self.heads[ref] or needle in self.bodies[ref])
        return self._df[term]

    # -- the verdict --

    def governed(self, term: str) -> bool:
        """Does any indexed article govern the term?"""
        if term not in self._governed:
            self._governed[term] = any(self.governs(ref, term) for ref in self.heads)
        return self._governed[term]

    def judge(self, text: str, top_refs: list[str], coverage: float, known: float,
              recognised: bool = False) -> Verdict:
        """``text``: the question with its marks (restored when typed without) and the
        expansions of its abbreviations; ``coverage``: how much of it the first hits cover;
        ``known``: the share of its content words the corpus has; ``recognised``: the
        vocabulary written for the indexed articles recognised a situation in it (a situation
        rule, or an article's everyday phrasings as its best match) — then a subject named in
        passing ("bị xe máy tông trên đường đi làm") does not make it a question about that
        subject, as long as the first hits govern one it names."""
        named = self.named(text)
        general = recognised or (coverage >= GENERAL_MIN and known >= KNOWN_MIN)
        if not named:
            return Verdict(general)
        top = top_refs[:SCOPE_DEPTH]
        # Subjects the first hits govern, and subjects no indexed document governs at all.
        covered = [(self.frequency(t), t, a) for t, a in named if any(self.governs(r, t) for r in top)]
        foreign = [(self.frequency(t), t, a) for t, a in named if not self.governed(t)]
        if foreign:
            # The main subject is the most specific one the question names (fewest articles
            # mention it): "lương bị trừ thuế thu nhập cá nhân" is about tax, not wages.
            main = min(foreign, key=lambda x: x[0])
            # ... unless the first hits govern a subject it names too and the other is named
            # in passing: the vocabulary recognised a situation, the governed subject is the
            # more specific, or the other is no legal matter ("du lịch bằng tiền công đoàn").
            if covered and (recognised or min(x[0] for x in covered) < main[0] or not main[2].law):
                best = min(covered, key=lambda x: x[0])
                return Verdict(True, best[2], best[1])
            return Verdict(False, main[2], main[1])
        if covered:
            best = min(covered, key=lambda x: x[0])
            return Verdict(True, best[2], best[1])
        # Every subject it names is governed somewhere, though not by the first hits: judged
        # like a question that names none.
        best = min(((self.frequency(t), t, a) for t, a in named), key=lambda x: x[0])
        return Verdict(general, best[2], best[1])


def _padded(text: str) -> str:
    return " " + " ".join(syllables(text)) + " "
