"""Vietnamese text normalisation for retrieval: NFC, diacritic folding, syllables, accent restoring.

Users often type without diacritics ("sa thai chu tich"), so lexical matching works on the
*folded* form (no marks, đ→d, lowercase) of both the corpus and the query. Dense embeddings, on
the other hand, need real Vietnamese: the ``AccentRestorer`` puts the marks back on a folded
query using the corpus's own most frequent spellings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

_WORD = re.compile(r"\w+", re.UNICODE)
# đ/Đ are letters of their own (not a d with a combining mark), so NFD leaves them alone.
_D_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """'Điều 36 BLLĐ' → 'dieu 36 blld'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def syllables(text: str) -> list[str]:
    """Lowercase NFC syllables (Vietnamese words are written syllable by syllable)."""
    return _WORD.findall(nfc(text).lower())


def folded_syllables(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def with_pairs(tokens: list[str]) -> list[str]:
    """Syllables plus adjacent pairs: most Vietnamese words are two syllables ('hợp_đồng')."""
    return tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:])]


def bm25_tokens(text: str) -> list[str]:
    return with_pairs(folded_syllables(text))


def has_marks(syllable: str) -> bool:
    return fold(syllable) != syllable.lower()


class AccentRestorer:
    """Maps folded runs of 1–3 syllables to their most frequent accented spelling in a corpus.

    Longest match first, so 'nghi phep nam' becomes 'nghỉ phép năm' (a trigram seen in the
    corpus) rather than a word-by-word guess like 'nghị phép nam'. A run of 2–3 syllables seen
    only once is not trusted over shorter, better-attested ones.
    """

    MAX_N = 3
    MIN_RUN_COUNT = 2
    TYPED_WITH_MARKS = 0.3  # above this share of marked syllables, the user typed accents

    def __init__(self, table: dict[str, tuple[str, int]]) -> None:
        self.table = table

    @classmethod
    def learn(cls, texts: Iterable[str]) -> "AccentRestorer":
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            words = syllables(text)
            folded = [fold(w) for w in words]
            for n in range(1, cls.MAX_N + 1):
                for i in range(len(words) - n + 1):
                    counts[" ".join(folded[i:i + n])][" ".join(words[i:i + n])] += 1
        table = {key: forms.most_common(1)[0] for key, forms in counts.items()}
        return cls(table)

    def restore(self, text: str) -> str:
        """Restore marks on a query typed without them; a query typed with marks is kept."""
        words = syllables(text)
        marked = sum(1 for w in words if has_marks(w))
        if words and marked / len(words) >= self.TYPED_WITH_MARKS:
            return " ".join(words)
        out: list[str] = []
        i = 0
        while i < len(words):
            i += self._restore_at(words, i, out)
        return " ".join(out)

    def _restore_at(self, words: list[str], i: int, out: list[str]) -> int:
        for n in range(min(self.MAX_N, len(words) - i), 0, -1):
            span = words[i:i + n]
            found = self.table.get(" ".join(fold(w) for w in span))
            if found is None or (n > 1 and found[1] < self.MIN_RUN_COUNT):
                continue
            form = found[0].split(" ")
            # Syllables the user did mark must agree with the spelling we would restore.
            if all(f == w for f, w in zip(form, span) if has_marks(w)):
                out.extend(form)
                return n
        out.append(words[i])
        return 1
