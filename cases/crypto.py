"""Sealing what reporters write: Fernet (AES-128-CBC + HMAC-SHA256) under MultiFernet.

``CASES_KEY`` holds one key or several separated by commas, newest first: new data is sealed
with the first, and every listed key can still open old data. Rotation: put the new key in
front, run ``cdcs cases rotate-key`` (re-seals everything with the first key), then drop the
old one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)

DEV_KEY_FILE = "cases-dev.key"


class KeyMissing(Exception):
    """No CASES_KEY outside dev mode: the service must not start and store cases in clear."""


class Sealer:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise KeyMissing("no key")
        self._fernet = MultiFernet([Fernet(key.strip().encode()) for key in keys])

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def open(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()

    def seal_bytes(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def open_bytes(self, token: bytes) -> bytes:
        return self._fernet.decrypt(token)

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode()).decode()


def new_key() -> str:
    return Fernet.generate_key().decode()


def load_sealer(key: str | None, *, dev_mode: bool, data_dir: Path) -> Sealer:
    """The sealer for the configured key; in dev mode a key generated once under ``data_dir``."""
    if key and key.strip():
        return Sealer([part for part in key.split(",") if part.strip()])
    if not dev_mode:
        raise KeyMissing("CASES_KEY is not set (generate one: cdcs cases new-key); "
                         "DEV_MODE=true uses a throw-away key for local testing")
    path = data_dir / DEV_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_key())
        path.chmod(0o600)
    log.warning("DEV MODE: cases are sealed with the development key in %s — "
                "never use this for real reports", path)
    return Sealer([path.read_text()])


__all__ = ["InvalidToken", "KeyMissing", "Sealer", "load_sealer", "new_key"]
