"""Precise Vietnamese citations: "điểm b khoản 1 Điều 175 Bộ luật Lao động 2019"."""

from __future__ import annotations

from knowledge.answer import Citation
from knowledge.manifest import DocumentInfo
from knowledge.structure import Provision


def unit_label(ref: str) -> str:
    """The in-document part of a citation, read from the ref itself."""
    _, _, path = ref.partition(":")
    parts = path.split(":")
    head = parts[0]
    if head.startswith("d") and head[1:2].isdigit():
        words = [f"Điều {head[1:]}"]
        for part in parts[1:]:
            words.append(f"khoản {part[1:]}" if part.startswith("k") else f"điểm {part}")
        return " ".join(reversed(words))
    if head.startswith("p") and head[1:].isdigit():
        return f"đoạn {head[1:]}"
    part_no, _, section = head.partition(".")
    words = [f"phần {part_no}"] + ([f"mục {section}"] if section else [])
    if len(parts) > 1 and parts[1].startswith("g"):
        words.append(f"ý thứ {parts[1][1:]}")
    return ", ".join(reversed(words))


def citation_for(provision: Provision, document: DocumentInfo, article: Provision | None = None) -> Citation:
    return Citation(
        ref=provision.ref,
        doc_id=provision.doc_id,
        title=document.short_title,
        label=f"{unit_label(provision.ref)} {document.short_title}",
        quote=provision.text,
        article_ref=provision.article_ref,
        article_title=(article or provision).title,
        number=document.number,
        status=document.status_label,
    )
