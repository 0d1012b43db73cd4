"""Helpers for the retrieval tests: a small library, and a copy of it with one unit changed.

The fixtures built on them (``knowledge_small_library``, ``knowledge_small_index``, and the bot
tests' ``real_kb``) are in ``conftest.py``.
"""

from __future__ import annotations

from dataclasses import replace

from knowledge.library import Library

# A handful of articles people ask about most: dismissal, overtime, leave, discipline, union
# protection — enough for ranking to mean something, small enough to embed in seconds.
SMALL_ARTICLES = (
    "blld-2019:d35", "blld-2019:d36", "blld-2019:d107", "blld-2019:d112", "blld-2019:d113",
    "blld-2019:d127", "blld-2019:d175", "blld-2019:d70", "blld-2019:d202", "luat-cd-2024:d10",
    "luat-cd-2024:d27", "luat-cd-2024:d28", "nd-12-2022:d16",
)


def small_library(articles: tuple[str, ...] = SMALL_ARTICLES) -> Library:
    full = Library.load()
    provisions = {ref: p for ref, p in full.provisions.items() if p.article_ref in articles}
    return Library(documents=dict(full.documents), provisions=provisions)


def with_unit_text(library: Library, ref: str, text: str) -> Library:
    """A copy of the library where one unit (and only it) has a new text."""
    provisions = dict(library.provisions)
    provisions[ref] = replace(provisions[ref], text=text)
    return Library(documents=dict(library.documents), provisions=provisions)
