"""Report files attached after "Đã nộp": checked like case evidence (size, type by content),
checksummed, and kept under DATA_DIR/submissions.

Not sealed: a unit's report to the province is not confidential like a grievance, and sealing it
with the cases key would tie it to that key's rotation.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from cases.evidence import (
    EvidenceRejected,
    StoredFile,
    check_size,
    private_folder,
    sniff,
    write_private,
)

__all__ = ["EvidenceRejected", "SubmissionFiles"]


@dataclass(frozen=True)
class SubmissionFiles:
    folder: Path
    max_bytes: int = 10 * 1024 * 1024

    def check(self, size: int | None) -> None:
        """Before downloading: a file over the limit is refused without fetching it."""
        check_size(size, self.max_bytes)

    def store(self, data: bytes, name: str) -> StoredFile:
        if not data:
            raise EvidenceRejected("empty")
        check_size(len(data), self.max_bytes)
        mime = sniff(data)
        if mime is None:
            raise EvidenceRejected("bad_type")
        private_folder(self.folder)  # 0700, and the file 0600: not for other users of the host
        stored_name = f"{uuid.uuid4().hex}.bin"  # never the sender's name: no path tricks
        write_private(self.folder / stored_name, data)
        return StoredFile(stored_name, hashlib.sha256(data).hexdigest(), len(data), mime, name[:200])
