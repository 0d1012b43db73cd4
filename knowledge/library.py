"""All parsed documents, by ref: what the index is built from and what answers quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge.manifest import DocumentInfo, all_documents
from knowledge.parser import parse_text
from knowledge.structure import Provision


@dataclass
class Library:
    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    provisions: dict[str, Provision] = field(default_factory=dict)

    @classmethod
    def load(cls, user_corpus_dir: Path | None = None) -> "Library":
        return cls.from_documents(all_documents(user_corpus_dir))

    @classmethod
    def from_documents(cls, documents: list[DocumentInfo]) -> "Library":
        library = cls()
        for info in documents:
            library.add(info, info.text())
        return library

    def add(self, info: DocumentInfo, text: str) -> None:
        self.documents[info.doc_id] = info
        self.provisions.update(parse_text(info.doc_id, text).provisions)

    def get(self, ref: str) -> Provision | None:
        return self.provisions.get(ref)

    def articles(self) -> list[Provision]:
        return [p for p in self.provisions.values() if p.is_article and p.level != "part"]

    def children(self, ref: str) -> list[Provision]:
        return [p for p in self.provisions.values() if p.parent_ref == ref]
