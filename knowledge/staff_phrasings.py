"""Phrasings staff teach the assistant: when they answer a question it could not answer (or one
a user marked «👎 Chưa đúng»), they may link it to articles; its wording then becomes an everyday
phrasing of those articles, searched like the shipped ones after the index is brought up to date.

Kept in ``DATA_DIR/vocabulary/staff.yaml`` beside the documents staff added (shared by every
worker through ``DATA_DIR``), in the same format as ``knowledge/vocabulary/situations``, and
checked the same way: a ref that names no article, or an article of a repealed document, is
refused with a message for the page.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import yaml

from knowledge.lexicon import MAX_PHRASING
from knowledge.library import Library
from knowledge.lookup import find_reference

_writing = threading.Lock()  # one writer at a time in this process; the file is replaced whole


class PhrasingRefused(ValueError):
    """Why a link cannot be kept, in Vietnamese, for the staff page."""


def staff_file(data_dir: Path) -> Path:
    return Path(data_dir) / "vocabulary" / "staff.yaml"


def resolve(text: str, library: Library | None) -> list[str]:
    """Article refs from what staff typed: "Điều 36 BLLĐ; điều 10 luật công đoàn" or
    "blld-2019:d36". Each must be an article of a document in force."""
    if library is None:
        raise PhrasingRefused("Kho văn bản chưa sẵn sàng nên chưa kiểm tra được điều luật; hãy thử lại sau.")
    refs = []
    for part in (p.strip() for p in re.split(r"[;\n]", text) if p.strip()):
        ref = part if part in library.provisions else None
        if ref is None:
            found = find_reference(part, library.provisions)
            ref = found.ref if found is not None and found.found else None
        provision = library.get(ref) if ref else None
        if provision is None:
            raise PhrasingRefused(f"Không tìm thấy điều luật «{part[:80]}» trong các văn bản hiện có.")
        document = library.documents.get(provision.doc_id)
        if document is not None and document.status == "superseded":
            raise PhrasingRefused(f"«{part[:80]}» thuộc văn bản đã hết hiệu lực; hãy gắn với văn bản đang có hiệu lực.")
        refs.append(provision.article_ref)
    if not refs:
        raise PhrasingRefused("Chưa nêu điều luật nào.")
    return list(dict.fromkeys(refs))


def add(path: Path, refs: list[str], phrasing: str) -> None:
    """Append the phrasing under each ref (refs already resolved against the library)."""
    phrasing = " ".join(phrasing.split())
    if not phrasing:
        raise PhrasingRefused("Câu hỏi trống, không có gì để ghi nhớ.")
    if len(phrasing) > MAX_PHRASING:
        raise PhrasingRefused(f"Câu hỏi dài quá {MAX_PHRASING} ký tự để ghi nhớ thành cách nói.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _writing:
        existing = path.read_text("utf-8") if path.exists() else ""
        # Each ref may appear once per file: merge under an existing key rather than repeat it.
        data = yaml.safe_load(existing) or {}
        for ref in refs:
            data.setdefault(ref, [])
            if phrasing not in data[ref]:
                data[ref].append(phrasing)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        temporary = path.with_suffix(".tmp")
        temporary.write_text("# Phrasings linked to articles by provincial staff (web page).\n" + text, "utf-8")
        temporary.replace(path)  # whole or not at all: a reader never sees half a file


def entries(path: Path) -> list[tuple[str, str]]:
    """(ref, phrasing) of the file, newest last."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return [(ref, text) for ref, texts in data.items() for text in texts]
