"""Sealing what reporters write: Fernet (AES-128-CBC + HMAC-SHA256) under MultiFernet.

``CASES_KEY`` holds one key or several separated by commas, newest first: new data is sealed
with the first, and every listed key can still open old data. Rotation: put the new key in
front, run ``cdcs cases rotate-key`` (re-seals everything with the first key), then drop the
old one.

Some values are not sealed but *tagged*: a keyed hash (HMAC-SHA256) lets the desk find rows by
a value without storing the value (the reporter of a case: "is this person the reporter", "my
cases"). Each listed key gives its own tag key (HKDF of the Fernet key), so a lookup tries the
tags of every listed key and keeps matching while a rotation is under way; ``rotate-key``
recomputes every tag with the first key, after which the old key can go.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)

DEV_KEY_FILE = "cases-dev.key"


class KeyMissing(Exception):
    """No CASES_KEY outside dev mode: the service must not start and store cases in clear."""


class Sealer:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise KeyMissing("no key")
        self._fernet = MultiFernet([Fernet(key.strip().encode()) for key in keys])
        self._tag_keys = [_tag_key(key.strip()) for key in keys]

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

    def tag(self, text: str) -> str:
        """The keyed hash of ``text`` under the first key (what new rows store)."""
        return _hmac(self._tag_keys[0], text)

    def tags(self, text: str) -> list[str]:
        """Its keyed hash under every listed key, the first key's first (what lookups match)."""
        return [_hmac(key, text) for key in self._tag_keys]


def _tag_key(fernet_key: str) -> bytes:
    # A separate key for tags, derived from the Fernet key: the tag never reuses the signing or
    # the encryption half of the Fernet key directly.
    raw = base64.urlsafe_b64decode(fernet_key.encode())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"cdcs-case-tag").derive(raw)


def _hmac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


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
