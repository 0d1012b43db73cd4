"""The documents the knowledge base holds: the shipped corpus and the ones staff add."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SHIPPED_CORPUS = Path(__file__).parent / "corpus"

STATUS_LABELS = {
    "in_force": "đang có hiệu lực",
    "superseded": "đã hết hiệu lực",
    "partly_superseded": "hết hiệu lực một phần",
}


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    short_title: str
    title: str
    number: str
    status: str
    file: Path
    issuer: str = ""
    date_issued: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def text(self) -> str:
        return self.file.read_text(encoding="utf-8")


def load_manifest(corpus_dir: Path) -> list[DocumentInfo]:
    path = corpus_dir / "manifest.json"
    if not path.exists():
        return []
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [
        DocumentInfo(
            doc_id=e["doc_id"], short_title=e.get("short_title") or e["title"], title=e["title"],
            number=e.get("number", ""), status=e.get("status", "in_force"),
            file=corpus_dir / e["file"], issuer=e.get("issuer", ""),
            date_issued=e.get("date_issued", ""),
        )
        for e in entries
    ]


def all_documents(user_corpus_dir: Path | None) -> list[DocumentInfo]:
    """The shipped documents, then those staff added under the data directory."""
    documents = load_manifest(SHIPPED_CORPUS)
    if user_corpus_dir is not None:
        known = {d.doc_id for d in documents}
        documents += [d for d in load_manifest(user_corpus_dir) if d.doc_id not in known]
    return documents
