"""Is a question about something the indexed documents govern? Decided from the documents.

An article *governs* a subject when the subject's words stand in its headings (its document's
chapter, its title), in the everyday phrasings written for it, or recur in its text as its own
matter (three times, not counting «theo / của / về … luật X», which refer it elsewhere — a
subject mentioned in passing, "bị truy cứu trách nhiệm hình sự", is not governed). A fines
decree governs the sanctions, not the subject, unless fines are asked about. Everything is
computed from the loaded library and vocabulary, so when staff ingest a document that governs
a subject and rebuild the index, the subject stops being refused without any code change.

What a question is about is read with ``vocabulary/law_areas.yaml``, a general map of areas
of law (labour and union law among them) to the words that name their subjects and, apart,
their parties and setting («lương», «công đoàn»). The map only *names*. The subject a question
asks about is the last legal subject it names — a question ends on what it asks: "tiền tăng ca
có bị tính thuế thu nhập cá nhân không" is about tax, however often the corpus speaks of
overtime. It is refused when no indexed article governs that subject; a question that names no
subject is answered unless it names something that is no legal matter or the first hits cover
almost none of it.
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
from knowledge.rerank import document_kind
from knowledge.textnorm import fold, syllables

AREAS_FILE = "law_areas.yaml"
GOVERNING_MENTIONS = 3  # a subject recurring this often in an article's text is its matter
# ... not counting where the text hands it to another text: "theo (quy định của) Điều lệ Công
# đoàn", "pháp luật về bảo hiểm xã hội", "Luật Bảo hiểm xã hội" refer out, they do not govern.
REFERRING_WORDS = frozenset({"theo", "của", "tại", "về", "luật"})
SCOPE_DEPTH = 3  # the first hits whose provisions must govern the question's subject
# A question naming no subject is answered when the first hits cover this much of it
# (rarity-weighted share of its words and word pairs, see HybridRetriever): its words are
# the corpus's, it names nothing outside it — only a question of unknown words is refused ...
UNNAMED_MIN = 0.05
# ... and one that names something no legal matter, only when they cover much more of it.
OUTSIDE_MIN = 0.25
# ... and the corpus knows at least this share of its content words at all.
KNOWN_MIN = 0.7


@dataclass(frozen=True)
class LawArea:
    area: str  # "hôn nhân và gia đình"
    law: str  # "Luật Hôn nhân và gia đình"; "" when it is not a legal matter
    terms: tuple[str, ...]  # lowercase syllables: "ly hôn"
    context: tuple[str, ...] = ()  # the area's parties and setting: "lương", "công đoàn"


@dataclass(frozen=True)
class Verdict:
    in_scope: bool
    area: LawArea | None = None  # what the question is about, when an area was named
    term: str = ""  # the word that named it
    # why: "foreign" (a subject nothing indexed governs), "covered" (a subject the first hits
    # govern), "elsewhere" (a governed subject, in other provisions), "outside" (no legal
    # matter named), "unnamed" (no subject named); "doubt" when the retrieval's evidence
    # overturned an "unnamed" or "elsewhere" answer (knowledge.doubt)
    basis: str = ""


@dataclass(frozen=True)
class Mention:
    position: int  # syllable of the question where it starts
    term: str
    area: LawArea

    @property
    def subject(self) -> bool:
        """A legal subject, not a party or a setting ("thuế", not "lương")."""
        return bool(self.area.law) and self.term not in self.area.context


def load_areas(path: Path | None = None) -> tuple[LawArea, ...]:
    """The area map, shape-checked (a VocabularyError names the file and line)."""
    path = path or VOCABULARY_DIR / AREAS_FILE
    data, lines = _read(path)
    if not isinstance(data, list):
        raise VocabularyError(path, 1, "tệp phải là một danh sách các lĩnh vực")
    areas = []
    for item in data:
        line = _line(lines, item, "area") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not {"area", "law", "terms"} <= set(item) <= {
                "area", "law", "terms", "context"}:
            raise VocabularyError(path, line, "mỗi lĩnh vực cần đúng ba mục: area, law, terms "
                                              "(và có thể thêm context)")
        law = item["law"]
        if not isinstance(law, str):
            raise VocabularyError(path, _line(lines, item, "law"), "«law» phải là một chuỗi chữ")
        words = {}
        for key in ("terms", "context"):
            listed = item.get(key, [])
            if not isinstance(listed, list):
                raise VocabularyError(path, _line(lines, item, key), f"«{key}» phải là một danh sách")
            words[key] = tuple(" ".join(syllables(_text(path, _line(lines, item, key), t, "một từ")))
                               for t in listed)
        if not words["terms"] and not words["context"]:
            raise VocabularyError(path, _line(lines, item, "terms"), "lĩnh vực cần ít nhất một từ")
        areas.append(LawArea(_text(path, line, item["area"], "area"), law.strip(),
                             words["terms"] + words["context"], words["context"]))
    return tuple(areas)


@lru_cache(maxsize=1)
def law_areas() -> tuple[LawArea, ...]:
    return load_areas()


class SubjectIndex:
    """What each article governs: its headings and phrasings, and its body, as lowercase
    syllables *with* their marks — folded, «tôi» would read as «tội» and «mưa» as «mua».
    Questions typed without marks are matched after the retriever restored them, and by the
    area words whose folded spelling no other word of the corpus shares («ly hon», «xe may»)."""

    def __init__(self, library: Library, areas: tuple[LawArea, ...] | None = None) -> None:
        self.areas = law_areas() if areas is None else areas
        situations = vocabulary().article_situations
        self.heads: dict[str, str] = {}  # chapter, title and the everyday phrasings
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
        self._area_of = {t: a for t, a in named}
        self._pattern = _alternation([t for t, _ in named])
        unambiguous = _unambiguous_when_folded([t for t, _ in named], self.heads, self.bodies)
        self._folded_term = {fold(t): t for t in unambiguous}
        self._folded_pattern = _alternation(sorted(self._folded_term, key=len, reverse=True))
        self._governed: dict[tuple[str, bool], bool] = {}
        self.fines = {ref for ref in self.heads
                      if document_kind(library.documents.get(ref.split(":", 1)[0])) == "fines"}

    # -- what the question names --

    def mentions(self, text: str) -> list[Mention]:
        """Every area word the question says, in order (whole words, longest match first);
        a question typed without marks is also read folded."""
        words = syllables(text)
        found: dict[int, str] = {}  # start -> the longest term read there
        for pattern, lookup, source in ((self._pattern, None, words),
                                        (self._folded_pattern, self._folded_term,
                                         [fold(w) for w in words])):
            if pattern is None:
                continue
            joined = " ".join(source)
            for match in pattern.finditer(joined):
                start = joined.count(" ", 0, match.start())
                term = match.group(1) if lookup is None else lookup[match.group(1)]
                if len(term) > len(found.get(start, "")):
                    found[start] = term
        # A shorter word inside a longer one already read is not said again.
        taken: set[int] = set()
        out = []
        for start, term in sorted(found.items(), key=lambda x: (-len(x[1].split()), x[0])):
            span = set(range(start, start + len(term.split())))
            if not span & taken:
                taken |= span
                out.append(Mention(start, term, self._area_of[term]))
        return sorted(out, key=lambda m: m.position)

    # -- what the documents govern --

    def governs(self, article_ref: str, term: str) -> bool:
        """The term is in the article's headings — its chapter, its title or the everyday
        phrasings written for it (people say «tăng ca», the law «làm thêm giờ») — or its text
        says it as its own matter three times."""
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

    # -- the verdict --

    def governed(self, term: str, fines: bool = True) -> bool:
        """Does any indexed article govern the term? A fines decree governs the sanctions for
        breaking the rules on a subject, not the subject: unless the question asks about
        fines (``fines``), its articles do not count — the decree that fines false claims for
        unemployment benefit says nothing of how much the benefit is."""
        key = (term, fines)
        if key not in self._governed:
            self._governed[key] = any(self.governs(ref, term) for ref in self.heads
                                      if fines or ref not in self.fines)
        return self._governed[key]

    def judge(self, text: str, top_refs: list[str], coverage: float, known: float,
              about_fines: bool = False) -> Verdict:
        """``text``: the question with its marks (restored when typed without) and its
        abbreviations expanded in place; ``coverage``: how much of it the first hits cover;
        ``known``: the share of its content words the corpus has; ``about_fines``: it asks
        about fines.

        - A legal subject no indexed document governs is what the question asks about — and it
          is refused — unless a subject the first hits govern comes after it: a question ends
          on what it asks ("tiền tăng ca có bị tính thuế thu nhập cá nhân không" asks about
          tax; "bị xe máy tông trên đường đi làm, có được tính tai nạn lao động không" asks
          about a work accident).
        - Else it is answered when it names a subject the documents govern (the first hits,
          or other provisions: then the ranking answered from a neighbouring article).
        - Else (no subject named) it is answered when the first hits cover some of it — unless
          what it names is no legal matter at all (the weather, a football match).
        """
        top = top_refs[:SCOPE_DEPTH]
        mentions = self.mentions(text)
        subjects = [m for m in mentions if m.subject]
        covered = [m for m in subjects if any(self.governs(r, m.term) for r in top)]
        foreign = [m for m in subjects if not self.governed(m.term, about_fines)]
        if foreign:
            asked = foreign[-1]
            # ... a later subject of an area the foreign ones belong to is part of the same
            # matter ("cổ phiếu ngân hàng": a bank's shares, not wages paid through a bank).
            areas = [m.area for m in foreign]
            later = [m for m in covered if m.position > asked.position and m.area not in areas]
            if not later:
                return Verdict(False, asked.area, asked.term, "foreign")
            return Verdict(True, later[-1].area, later[-1].term, "covered")
        if covered:
            return Verdict(True, covered[-1].area, covered[-1].term, "covered")
        if subjects:
            # Subjects the documents govern, in other provisions than those found: a labour
            # question the ranking answered from a neighbouring article.
            return Verdict(True, subjects[-1].area, subjects[-1].term, "elsewhere")
        # No subject named: what it names is the setting ("lương", "công ty") or no legal
        # matter at all ("số điện thoại", "mưa"). The latter is what it asks about unless the
        # setting the first hits govern comes after it ("đi du lịch bằng tiền công đoàn").
        outside = [m for m in mentions if not m.area.law]
        if outside:
            asked = outside[-1]
            setting = [m for m in mentions if m.area.law and m.position > asked.position
                       and any(self.governs(r, m.term) for r in top)]
            if not setting or coverage < OUTSIDE_MIN:
                return Verdict(False, asked.area, asked.term, "outside")
        named = mentions[-1] if mentions else None
        answered = coverage >= UNNAMED_MIN and known >= KNOWN_MIN
        return Verdict(answered, named.area if named else None, named.term if named else "",
                       "unnamed")


def _alternation(terms: list[str]) -> re.Pattern | None:
    """Whole-word alternation of ``terms`` (give them longest first)."""
    if not terms:
        return None
    return re.compile(r"(?<!\S)(" + "|".join(re.escape(t) for t in terms) + r")(?!\S)")


def _unambiguous_when_folded(terms: list[str], *texts: dict[str, str]) -> list[str]:
    """Terms that may be read from a question typed without marks: of three syllables or
    more, or of two whose syllables each have one spelling only in the corpus — and whose
    folded spelling no other phrase of the corpus has. «vượt đèn đỏ» may be read from «vuot
    den do»; «cổ phiếu» may not be read from «co phieu» (it is also «có phiếu»), nor «thuế»
    from «thue» (it is also «thuê»)."""
    # Each text is folded once (folding keeps the spaces, so its words line up with the
    # text's), not word by word: this runs at start-up over every article and its phrasings.
    pairs = [(text.split(), fold(text).split()) for table in texts for text in table.values()]
    spellings: dict[str, set[str]] = {}
    for words, folded in pairs:
        for word, key in set(zip(words, folded)):
            spellings.setdefault(key, set()).add(word)
    for term in terms:
        for word in term.split():
            spellings.setdefault(fold(word), set()).add(word)
    wanted = {fold(t): t for t in terms
              if len(t.split()) >= 3 or (len(t.split()) == 2
                                         and all(len(spellings[fold(w)]) == 1 for w in t.split()))}
    lengths = sorted({len(f.split()) for f in wanted})
    firsts = {f.split()[0] for f in wanted}
    clash: set[str] = set()
    for words, folded in pairs:
        for i, first in enumerate(folded):
            if first not in firsts:
                continue
            for n in lengths:
                key = " ".join(folded[i:i + n])
                if key in wanted and " ".join(words[i:i + n]) != wanted[key]:
                    clash.add(key)
    return [t for f, t in wanted.items() if f not in clash]


def _padded(text: str) -> str:
    return " " + " ".join(syllables(text)) + " "
