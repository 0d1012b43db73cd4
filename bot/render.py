"""Channel rendering helpers: split long text under a limit, escape for Telegram's HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

Measure = Callable[[str], int]

# Coarse to fine: paragraphs, lines, sentences, words. Each piece keeps its trailing separator.
_BOUNDARIES = (
    re.compile(r"(?<=\n\n)(?=[^\n])"),
    re.compile(r"(?<=\n)(?=[^\n])"),
    re.compile(r"(?<=[.!?;:…][\s])(?=\S)"),
    re.compile(r"(?<=\s)(?=\S)"),
)


def escape_html(text: str) -> str:
    """Telegram's HTML mode needs only <, > and & escaped; quotes are fine in text."""
    return html.escape(text, quote=False)


def html_length(text: str) -> int:
    return len(escape_html(text))


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Parts of ``text``, each within ``limit`` as ``measure`` counts, cut at the coarsest
    boundary that works; a word is cut only when it alone is longer than the limit."""
    if limit < 1:
        raise ValueError("limit must be positive")
    parts = [part.strip("\n").rstrip() for part in _split(text, limit, measure, 0)]
    return [part for part in parts if part.strip()]


def _split(text: str, limit: int, measure: Measure, level: int) -> list[str]:
    if measure(text) <= limit:
        return [text]
    if level == len(_BOUNDARIES):
        return _hard_cut(text, limit, measure)
    parts: list[str] = []
    current = ""
    for piece in _BOUNDARIES[level].split(text):
        if measure(current + piece) <= limit:
            current += piece
            continue
        if current:
            parts.append(current)
        if measure(piece) <= limit:
            current = piece
        else:
            *whole, current = _split(piece, limit, measure, level + 1)
            parts.extend(whole)
    if current:
        parts.append(current)
    return parts


def _hard_cut(text: str, limit: int, measure: Measure) -> list[str]:
    parts = []
    while measure(text) > limit:
        cut = min(limit, len(text))
        while cut > 1 and measure(text[:cut]) > limit:
            cut -= 1
        parts.append(text[:cut])
        text = text[cut:]
    return parts + [text] if text else parts
