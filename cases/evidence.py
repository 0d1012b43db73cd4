"""Evidence files: checked (size, type by content), checksummed, stored sealed under DATA_DIR."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from cases.crypto import Sealer

# What the content starts with decides the type, not the name or the claimed MIME type.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # .docx, .xlsx (Office Open XML)
    (b"\xd0\xcf\x11\xe0", "application/msword"),  # .doc, .xls (old Office)
)


class EvidenceRejected(Exception):
    # "too_big", "bad_type", "empty"; the limits: "draft_files", "draft_bytes", "day_limit"
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    sha256: str
    size: int
    mime_type: str
    name: str

    def as_dict(self) -> dict:
        return asdict(self)


def sniff(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((mime for head, mime in _SIGNATURES if data.startswith(head)), None)


def check_size(size: int | None, limit: int) -> None:
    """Before downloading: Telegram tells the size, so a huge file is refused without fetching it."""
    if size is not None and size > limit:
        raise EvidenceRejected("too_big")


def check(data: bytes, *, limit: int) -> str:
    """The MIME type of acceptable content; ``EvidenceRejected`` otherwise."""
    if not data:
        raise EvidenceRejected("empty")
    check_size(len(data), limit)
    mime = sniff(data)
    if mime is None:
        raise EvidenceRejected("bad_type")
    return mime


def store(data: bytes, *, name: str, folder: Path, limit: int, sealer: Sealer) -> StoredFile:
    mime = check(data, limit=limit)
    private_folder(folder)
    stored_name = f"{uuid.uuid4().hex}.sealed"
    write_private(folder / stored_name, sealer.seal_bytes(data))
    return StoredFile(stored_name, hashlib.sha256(data).hexdigest(), len(data), mime, name[:200])


def private_folder(folder: Path) -> None:
    """The folder, made if missing, readable by the service's user only (0700)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # mkdir's mode is cut by the umask, and an existing folder keeps its own


def write_private(path: Path, data: bytes) -> None:
    """Write a file created 0600: never readable by other users, not even for an instant."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # a file that existed before (rotation rewrites in place) keeps its mode


def read(stored_name: str, *, folder: Path, sealer: Sealer) -> bytes:
    return sealer.open_bytes((folder / stored_name).read_bytes())


def delete(stored_name: str, *, folder: Path) -> None:
    (folder / stored_name).unlink(missing_ok=True)
