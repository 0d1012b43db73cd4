"""Direct references typed by users: "Điều 36 BLLĐ", "k2 d36 blld", "ND 12/2022 dieu 38".

A direct reference short-cuts retrieval: the user already knows where to look. We return the
most precise unit that exists (point > clause > article) and the document; when no document is
named and several documents have that article, the Labor Code wins, then the Trade Union Law,
and the answer says it was ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from knowledge.lexicon import vocabulary
from knowledge.textnorm import fold, nfc

# Matched on lowercase NFC text, accented and unaccented spellings both accepted.
_ARTICLE = re.compile(r"(?<!\w)(?:điều|dieu|đ|d)\s*\.?\s*(\d{1,3}[a-z]?)(?![\w/])")
_CLAUSE = re.compile(r"(?<!\w)(?:khoản|khoan|k)\s*\.?\s*(\d{1,3}[a-z]?)(?![\w/])")
_POINT = re.compile(r"(?<!\w)(?:điểm|diem)\s+([a-zđ])(?!\w)")

# When the document is not named: the texts chairpersons mean most often come first.
DOC_PREFERENCE = ("blld-2019", "luat-cd-2024")
# Without a document, clause or point, "điều N" counts as a reference only in a short query:
# in Vietnamese "điều" is also a verb (to transfer) and a noun (a thing).
SHORT_REST = 5


@dataclass(frozen=True)
class LookupResult:
    article: str  # the article number as typed: "36"
    doc_id: str | None  # None when no document has that article
    ref: str | None  # the most precise existing unit; None = the article does not exist
    clause: str | None = None
    point: str | None = None
    ambiguous: bool = False  # no document named and several have that article

    @property
    def found(self) -> bool:
        return self.ref is not None

    @property
    def article_ref(self) -> str | None:
        return f"{self.doc_id}:d{self.article}" if self.ref else None


def find_reference(query: str, refs: Iterable[str] | set[str]) -> LookupResult | None:
    """The unit a query points at, or None when it names no article."""
    text = nfc(query).lower()
    article = _first(_ARTICLE, text)
    if article is None:
        return None
    known = refs if isinstance(refs, (set, frozenset, dict)) else set(refs)
    clause, point = _first(_CLAUSE, text), _first(_POINT, text)
    named = named_document(query)
    if not (named or clause or point or _is_short(text)):
        return None  # "công ty điều 5 người sang xưởng khác": 'điều' as a verb
    candidates = [named] if named else _documents_with_article(article, known)
    if not candidates or f"{candidates[0]}:d{article}" not in known:
        return LookupResult(article=article, doc_id=named, ref=None, clause=clause, point=point)
    doc_id = candidates[0]
    ref = _most_precise(f"{doc_id}:d{article}", clause, point, known)
    return LookupResult(article, doc_id, ref, clause, point, ambiguous=len(candidates) > 1)


def named_document(query: str) -> str | None:
    """The doc_id of the longest document alias in the query, if any."""
    folded = fold(query)
    for alias, doc_id in _aliases_longest_first():
        if re.search(rf"(?<![\w/]){re.escape(alias)}(?![\w/])", folded):
            return doc_id
    return None


@lru_cache(maxsize=1)
def _aliases_longest_first() -> tuple[tuple[str, str], ...]:
    folded = {fold(alias): doc_id for alias, doc_id in vocabulary().doc_aliases.items()}
    return tuple(sorted(folded.items(), key=lambda item: -len(item[0])))


def _is_short(text: str) -> bool:
    """A bare reference ("điều 36", "dieu 10 quy dinh gi"), not a sentence that says 'điều'."""
    rest = _ARTICLE.sub(" ", text, count=1)
    return len(re.findall(r"\w+", rest)) <= SHORT_REST


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _documents_with_article(article: str, known: set[str]) -> list[str]:
    docs = sorted({ref.split(":")[0] for ref in known if ref.endswith(f":d{article}")})
    rank = {doc: i for i, doc in enumerate(DOC_PREFERENCE)}
    return sorted(docs, key=lambda doc: rank.get(doc, len(rank)))


def _most_precise(article_ref: str, clause: str | None, point: str | None, known: set[str]) -> str:
    if clause is None or f"{article_ref}:k{clause}" not in known:
        return article_ref
    clause_ref = f"{article_ref}:k{clause}"
    if point is None:
        return clause_ref
    # "diem d" typed without marks may mean d or đ: try the letter as typed first.
    for letter in dict.fromkeys([point, "đ" if point == "d" else point]):
        if f"{clause_ref}:{letter}" in known:
            return f"{clause_ref}:{letter}"
    return clause_ref
