"""Staff add their own documents (the Union Charter, a new guideline) without a developer.

``ingest_file`` turns an uploaded .txt/.docx/.pdf into ``<doc_id>.txt`` under the user corpus
directory and records it in that directory's ``manifest.json`` — the same shape as the
shipped manifest, so ``manifest.all_documents`` and the library pick it up unchanged.
The index is not rebuilt here; whoever calls this decides when to reindex.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from knowledge.extract import ExtractError, extract_text
from knowledge.manifest import SHIPPED_CORPUS, STATUS_LABELS, load_manifest
from knowledge.parser import parse_text

MAX_BYTES = 20 * 1024 * 1024
DOC_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]")


class IngestError(ValueError):
    """Why a document was refused. ``code`` is stable for callers, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    file: Path  # the normalised text written into the user corpus
    articles: int  # "Điều N." units
    sections: int  # numbered sections of a plan
    paragraphs: int  # free-form paragraphs, when the text has neither structure
    characters: int
    replaced: bool  # an earlier upload with this doc_id was overwritten
    warnings: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """What the person who uploaded it is told (the CLI prints this)."""
        found = [f"{n} {label}" for n, label in ((self.articles, "điều"), (self.sections, "mục"),
                                                 (self.paragraphs, "đoạn")) if n]
        verb = "Đã thay" if self.replaced else "Đã thêm"
        lines = [f"{verb} văn bản {self.doc_id}: {', '.join(found)} ({self.characters} ký tự) "
                 f"→ {self.file}"]
        return "\n".join(lines + [f"Lưu ý: {warning}" for warning in self.warnings])


def ingest_file(
    path: Path, *, doc_id: str, title: str, user_corpus_dir: Path, number: str = "",
    status: str = "in_force", short_title: str | None = None, issuer: str = "",
    date_issued: str = "",
) -> IngestResult:
    path, user_corpus_dir = Path(path), Path(user_corpus_dir)
    title, number, issuer, date_issued = map(_clean, (title, number, issuer, date_issued))
    short_title = _clean(short_title or "") or title
    _check_request(path, doc_id, title, status)
    try:
        extracted = extract_text(path)
    except ExtractError as error:
        raise IngestError(error.code, str(error)) from None
    counts = _counts(doc_id, extracted.text)
    user_corpus_dir.mkdir(parents=True, exist_ok=True)
    target = user_corpus_dir / f"{doc_id}.txt"
    entry = {
        "doc_id": doc_id, "short_title": short_title, "title": title, "number": number,
        "status": status, "file": target.name, "date_issued": date_issued, "issuer": issuer,
        "articles_found": counts["article"],
        "source": {"original_name": path.name, "extraction": extracted.method,
                   "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds")},
    }
    with _manifest_lock(user_corpus_dir):
        _atomic_write(target, extracted.text)
        replaced = _upsert_entry(user_corpus_dir / "manifest.json", entry)
    return IngestResult(
        doc_id=doc_id, file=target, articles=counts["article"], sections=counts["section"],
        paragraphs=counts["paragraph"], characters=len(extracted.text), replaced=replaced,
        warnings=tuple(extracted.warnings),
    )


def _clean(value: str) -> str:
    """Metadata is shown in citations and matched by search: NFC, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).split())


# ---- checks ---------------------------------------------------------------------------------

def _check_request(path: Path, doc_id: str, title: str, status: str) -> None:
    if not DOC_ID.fullmatch(doc_id):
        raise IngestError("bad_doc_id",
                          f"Mã văn bản {doc_id!r} không hợp lệ: 3–40 ký tự a-z, 0-9, dấu '-' (không "
                          f"ở đầu/cuối), ví dụ 'dieu-le-cd-2023'. / Invalid doc_id: use 3-40 "
                          f"characters a-z, 0-9 and '-'.")
    if doc_id in shipped_doc_ids():
        raise IngestError("doc_id_taken",
                          f"Mã {doc_id!r} trùng một văn bản có sẵn của hệ thống; hãy chọn mã khác. "
                          f"/ doc_id {doc_id!r} belongs to a shipped document.")
    if not title:
        raise IngestError("no_title", "Cần nhập tên văn bản. / A title is required.")
    if status not in STATUS_LABELS:
        raise IngestError("bad_status", f"Trạng thái {status!r} không hợp lệ; dùng một trong "
                                        f"{', '.join(STATUS_LABELS)}. / Unknown status.")
    if not path.is_file():
        raise IngestError("not_found", f"Không thấy tệp {path.name}. / File not found.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise IngestError("too_large", f"Tệp {size / 1e6:.1f} MB vượt giới hạn "
                                       f"{MAX_BYTES // (1024 * 1024)} MB. / File too large.")
    if size == 0:
        raise IngestError("empty", "Tệp rỗng. / The file is empty.")


def shipped_doc_ids() -> set[str]:
    return {info.doc_id for info in load_manifest(SHIPPED_CORPUS)}


def _counts(doc_id: str, text: str) -> dict[str, int]:
    """Units per level; refuses a text that gives nothing to quote."""
    if not text.strip():
        raise IngestError("empty", "Không lấy được chữ nào từ tệp. / No text found in the file.")
    counts = {"article": 0, "section": 0, "paragraph": 0}
    for provision in parse_text(doc_id, text).provisions.values():
        if provision.level in counts:
            counts[provision.level] += 1
    if not any(counts.values()):
        raise IngestError("empty", "Văn bản không có điều khoản hay đoạn văn nào đủ dài để trích "
                                   "dẫn. / Nothing quotable found in the text.")
    return counts


# ---- writing --------------------------------------------------------------------------------

def _upsert_entry(manifest_path: Path, entry: dict) -> bool:
    """Replace the entry with the same doc_id or append; True when one was replaced."""
    entries = _read_entries(manifest_path)
    kept = [e for e in entries if e.get("doc_id") != entry["doc_id"]]
    _atomic_write(manifest_path, json.dumps(kept + [entry], ensure_ascii=False, indent=2) + "\n")
    return len(kept) != len(entries)


def _read_entries(manifest_path: Path) -> list[dict]:
    if not manifest_path.exists():
        return []
    try:
        entries = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError:
        entries = None
    if not isinstance(entries, list):
        # Never overwrite a manifest we cannot read: that would silently drop documents.
        raise IngestError("bad_manifest", f"{manifest_path} bị hỏng; cần sửa tay trước khi thêm "
                                          f"văn bản. / The user manifest is unreadable.")
    return entries


def _atomic_write(target: Path, text: str) -> None:
    """Temp file in the same directory, then rename: readers never see half a file."""
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


_THREAD_LOCK = threading.Lock()


@contextmanager
def _manifest_lock(directory: Path):
    """Serialise read-modify-write of the manifest: threads here, processes via flock.

    The bot and a command-line ingest may run at once; without this one upload can drop
    the other's manifest entry.
    """
    with _THREAD_LOCK, open(directory / ".manifest.lock", "a") as lock_file:
        try:
            import fcntl
        except ImportError:  # Windows: the thread lock is all we have
            yield
            return
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
