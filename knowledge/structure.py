"""The units of a legal text (article, clause, point; plan parts and sections) with stable ids.

Ids are ``<doc_id>:d<article>[:k<clause>[:<point>]]`` for laws and decrees
(``blld-2019:d175:k1:b``) and ``<doc_id>:<part>.<section>[:g<bullet>]`` for the plan
(``kh-cdcs-2020:II.4:g1``). Free-form documents without either structure are cut into
paragraphs: ``<doc_id>:p<n>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["article", "clause", "point", "part", "section", "bullet", "paragraph"]

# The levels that answer "which article?" — what retrieval ranks and the eval's gold names.
ARTICLE_LEVELS: frozenset[str] = frozenset({"article", "section", "paragraph"})


@dataclass(frozen=True)
class Provision:
    ref: str
    doc_id: str
    level: Level
    number: str
    text: str
    article_ref: str
    parent_ref: str | None = None
    title: str = ""
    chapter: str = ""

    @property
    def is_article(self) -> bool:
        return self.ref == self.article_ref


@dataclass
class ParsedDocument:
    doc_id: str
    provisions: dict[str, Provision] = field(default_factory=dict)

    def add(self, provision: Provision) -> None:
        self.provisions[provision.ref] = provision

    @property
    def articles(self) -> list[Provision]:
        return [p for p in self.provisions.values() if p.is_article]

    def children(self, ref: str) -> list[Provision]:
        return [p for p in self.provisions.values() if p.parent_ref == ref]
