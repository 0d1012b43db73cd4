"""The chairpersons' handbook (plan II.3, "cẩm nang"): short chapters kept as Markdown files in
``reach/handbook/``, which staff may edit on the web page (the edit is saved under
``DATA_DIR/handbook/<chapter>.md`` and overrides the shipped file; ``HandbookEdit`` keeps who
and when).

A chapter is data, validated when loaded and before an edit is saved: a title line
(``# Tiêu đề``), an optional keyword line (``Từ khoá: a, b``) that lets Ask point to the chapter,
a non-empty body, and every article it cites written in full — "Điều 177 Bộ luật Lao động 2019",
"mục II.3 Kế hoạch" — and present in the knowledge base's corpus. A citation that does not
resolve is refused: the handbook never points to a provision the bot cannot open.

The bot shows a chapter in parts under the channel's message limit (``parts``), with a button
for each article it cites (``references``).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from knowledge.library import Library
from knowledge.textnorm import fold
from reach.models import HandbookEdit
from storage.db import Database
from storage.models import Person

SHIPPED = Path(__file__).parent / "handbook"
# The platforms' message limits, as the channel adapters apply them (bot.channels.telegram uses
# PTB's MessageLimit.MAX_TEXT_LENGTH = 4096, measured on the HTML-escaped text; bot.channels.zalo
# MAX_TEXT = 2000). The domain may not import the adapters, so the figures are mirrored here and
# a test checks them against the adapters'.
LIMITS = {"telegram": 4096, "zalo": 2000, "console": 4096}
SMALLEST_LIMIT = min(LIMITS.values())
# Room kept in each part for the "(phần 2/3)" line the bot adds, and on the text-only channels
# for the numbered choices the adapter appends (Zalo: up to a dozen article buttons), so that a
# part and its buttons go out as one message.
PART_HEADER_ROOM = 40
MENU_ROOM = {"telegram": 0, "zalo": 600, "console": 600}
MAX_CHAPTER_CHARS = 30_000
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
_ARTICLE = re.compile(r"\b(?:(?:điểm\s+[a-zđ]\s+)?khoản\s+\d+\s+)?Điều\s+(\d+[a-z]?)\b(?:\s+của)?\s*")
_PLAN = re.compile(r"\bmục\s+(I{1,3}|IV|V)\.(\d+)(?:\s+của)?\s+Kế hoạch\b")
PLAN_DOC = "kh-cdcs-2020"


class HandbookError(Exception):
    """Why a chapter was refused, in words for staff (one problem a line)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Reference:
    label: str  # as written in the chapter: "Điều 177 Bộ luật Lao động 2019"
    ref: str  # the article's id in the knowledge base: "blld-2019:d177"


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    keywords: tuple[str, ...]
    body: str  # the text after the title and keyword lines
    references: tuple[Reference, ...]
    edited: bool  # a staff edit overrides the shipped file

    @property
    def text(self) -> str:
        """The chapter as people read it in the bot: plain text, headings and bullets marked."""
        lines = [f"📘 {self.title}", ""]
        for line in self.body.splitlines():
            stripped = line.strip()
            if stripped.startswith("#"):
                lines.append("▪️ " + stripped.lstrip("#").strip().upper())
            elif stripped.startswith(("- ", "* ")):
                lines.append("• " + stripped[2:].strip())
            else:
                lines.append(line.rstrip())
        return "\n".join(lines).strip()


# ---- the corpus the citations must resolve in -----------------------------------------------
@dataclass(frozen=True)
class Corpus:
    titles: tuple[tuple[str, str], ...]  # (short title, doc id), longest title first
    refs: frozenset[str]

    @classmethod
    def from_library(cls, library: Library) -> Corpus:
        titles = sorted(((info.short_title, doc_id) for doc_id, info in library.documents.items()),
                        key=lambda pair: -len(pair[0]))
        return cls(tuple(titles), frozenset(library.provisions))


@lru_cache(maxsize=4)
def corpus(user_corpus_dir: Path | None = None) -> Corpus:
    """The shipped documents and those staff added (read only; parsed once per process)."""
    return Corpus.from_library(Library.load(user_corpus_dir))


def references(body: str, known: Corpus) -> tuple[list[Reference], list[str]]:
    """The articles a text cites, in order and once each, and the problems of those that do not
    resolve (an unknown document, no document named, an article the document does not have)."""
    found: dict[str, Reference] = {}
    problems: list[str] = []
    for match in _ARTICLE.finditer(body):
        number, rest = match[1], body[match.end():match.end() + 120]
        title, doc_id = next(((title, doc) for title, doc in known.titles
                              if _nfc(rest).lower().startswith(_nfc(title).lower())), ("", ""))
        label = f"Điều {number} {title}".strip()
        if not doc_id:
            problems.append(f"«Điều {number} {_words(rest, 6)}…»: không rõ văn bản nào, hoặc văn bản "
                            "không có trong kho. Hãy viết đủ tên văn bản, ví dụ «Điều 177 Bộ luật Lao "
                            "động 2019».")
            continue
        ref = f"{doc_id}:d{number}"
        if ref not in known.refs:
            problems.append(f"«{label}»: văn bản này không có điều {number}.")
            continue
        found.setdefault(ref, Reference(label, ref))
    for match in _PLAN.finditer(body):
        ref = f"{PLAN_DOC}:{match[1]}.{match[2]}"
        label = f"mục {match[1]}.{match[2]} Kế hoạch"
        if ref not in known.refs:
            problems.append(f"«{label}»: Kế hoạch không có mục này.")
            continue
        found.setdefault(ref, Reference(label, ref))
    return list(found.values()), problems


def parse(slug: str, text: str, known: Corpus, *, edited: bool = False) -> Chapter:
    """A chapter from its Markdown; HandbookError with every problem found."""
    text = _nfc(text.replace("\r\n", "\n")).strip()
    problems: list[str] = []
    if not _SLUG.match(slug):
        problems.append(f"Tên chương «{slug}» chỉ được gồm chữ thường không dấu, số và dấu -.")
    if len(text) > MAX_CHAPTER_CHARS:
        problems.append(f"Chương quá dài ({len(text)} ký tự; tối đa {MAX_CHAPTER_CHARS}).")
    lines = text.splitlines()
    title = lines[0][2:].strip() if lines and lines[0].startswith("# ") else ""
    if not title:
        problems.append("Dòng đầu tiên phải là tiêu đề, bắt đầu bằng «# », ví dụ «# Nhiệm vụ của chủ tịch CĐCS».")
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    keywords: tuple[str, ...] = ()
    if rest and fold(rest[0]).startswith("tu khoa:"):
        keywords = tuple(word.strip() for word in rest[0].split(":", 1)[1].split(",") if word.strip())
        rest = rest[1:]
    body = "\n".join(rest).strip()
    if not body:
        problems.append("Chương chưa có nội dung.")
    found, unresolved = references(body, known)
    problems += unresolved
    if problems:
        raise HandbookError(problems)
    return Chapter(slug, title, keywords, body, tuple(found), edited)


# ---- the handbook: shipped chapters, staff edits over them -----------------------------------
_PARSED: dict[tuple, Chapter] = {}  # (path, mtime, size, edited, data dir) → the parsed chapter
_KEYWORDS: dict[int, tuple[str, ...]] = {}  # id of a cached chapter → its keywords, folded and spaced


def _spaced(text: str) -> str:
    """Folded words between spaces, so a keyword matches whole words only."""
    return f" {' '.join(re.findall(r'[a-z0-9]+', fold(text)))} "


def _keywords(chapter: Chapter) -> tuple[str, ...]:
    found = _KEYWORDS.get(id(chapter))
    if found is None:
        found = _KEYWORDS[id(chapter)] = tuple(_spaced(word) for word in chapter.keywords)
    return found


class Handbook:
    def __init__(self, data_dir: Path | None, *, known: Corpus | None = None,
                 shipped: Path = SHIPPED) -> None:
        self.data_dir, self.shipped = data_dir, shipped
        self._known = known

    @classmethod
    def current(cls) -> Handbook:
        """The handbook of this process's settings (``DATA_DIR``)."""
        from kernel.settings import get_settings

        return cls(Path(get_settings().data_dir))

    @property
    def known(self) -> Corpus:
        if self._known is None:
            self._known = corpus(self.data_dir / "corpus" if self.data_dir else None)
        return self._known

    @property
    def edits_dir(self) -> Path | None:
        return self.data_dir / "handbook" if self.data_dir else None

    def slugs(self) -> list[str]:
        names = {path.stem for path in self.shipped.glob("*.md")}
        if self.edits_dir and self.edits_dir.is_dir():
            names |= {path.stem for path in self.edits_dir.glob("*.md") if _SLUG.match(path.stem)}
        return sorted(names)

    def chapters(self) -> list[Chapter]:
        """Every chapter, in the order of their file names (numbered: 01-…, 02-…)."""
        return [chapter for chapter in (self.chapter(slug) for slug in self.slugs()) if chapter]

    def chapter(self, slug: str) -> Chapter | None:
        path, edited = self._path(slug)
        if path is None:
            return None
        # Parsed once per version of the file: Ask looks for a matching chapter on every question.
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size, edited, str(self.data_dir))
        found = _PARSED.get(key)
        if found is None:
            found = parse(slug, path.read_text(encoding="utf-8"), self.known, edited=edited)
            if len(_PARSED) > 200:  # old versions of edited chapters: start afresh
                _PARSED.clear()
                _KEYWORDS.clear()
            _PARSED[key] = found
        return found

    def source(self, slug: str) -> str | None:
        """The Markdown as staff edit it."""
        path, _ = self._path(slug)
        return path.read_text(encoding="utf-8") if path else None

    def save(self, db: Database, slug: str, text: str, *, by_person_id: int | None) -> Chapter:
        """Validate, then write the edit (atomically: a reader sees the old file or the new one)
        and its history row; HandbookError (nothing written) when the text is refused."""
        if self.edits_dir is None:
            raise HandbookError(["Chưa cấu hình thư mục dữ liệu (DATA_DIR)."])
        if self._path(slug)[0] is None:
            raise HandbookError([f"Không có chương «{slug}»."])
        chapter = parse(slug, text, self.known, edited=True)
        data = _nfc(text.replace("\r\n", "\n")).strip() + "\n"
        self.edits_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.edits_dir, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(data)
        os.replace(temporary, self.edits_dir / f"{slug}.md")
        with db.session() as session:
            session.add(HandbookEdit(chapter=slug, sha256=hashlib.sha256(data.encode()).hexdigest(),
                                     by_person_id=by_person_id))
        return chapter

    def history(self, db: Database, slug: str) -> list[tuple[datetime, str, str]]:
        """(when, who, sha256) of the staff edits of a chapter, newest first."""
        with db.session() as session:
            rows = session.execute(select(HandbookEdit.created_at, Person.display_name, HandbookEdit.sha256)
                                   .outerjoin(Person, Person.id == HandbookEdit.by_person_id)
                                   .where(HandbookEdit.chapter == slug)
                                   .order_by(HandbookEdit.id.desc())).all()
            return [(at, who or "—", digest) for at, who, digest in rows]

    def match(self, question: str) -> Chapter | None:
        """The chapter whose keywords the question uses most (Ask points to it), or None."""
        folded = _spaced(question)
        best, best_hits = None, 0
        for chapter in self.chapters():
            hits = sum(1 for word in _keywords(chapter) if word in folded)
            if hits > best_hits:
                best, best_hits = chapter, hits
        return best

    def _path(self, slug: str) -> tuple[Path | None, bool]:
        if not _SLUG.match(slug):
            return None, False
        if self.edits_dir is not None and (self.edits_dir / f"{slug}.md").is_file():
            return self.edits_dir / f"{slug}.md", True
        shipped = self.shipped / f"{slug}.md"
        return (shipped, False) if shipped.is_file() else (None, False)


# ---- parts under a channel's limit ------------------------------------------------------------
Measure = Callable[[str], int]


def telegram_length(text: str) -> int:
    """What Telegram counts: the HTML-escaped text (the adapter sends in HTML mode)."""
    return len(html.escape(text, quote=False))


def limit_for(channel: str) -> int:
    """How long a part's text may be on ``channel`` (unknown channels: the smallest limit)."""
    return LIMITS.get(channel, SMALLEST_LIMIT) - PART_HEADER_ROOM - MENU_ROOM.get(channel, 600)


def parts(text: str, limit: int, measure: Measure = telegram_length) -> list[str]:
    """``text`` cut into parts within ``limit``: between paragraphs where possible, then lines,
    sentences and words; a word is cut only when it alone is longer than the limit. Joining the
    parts gives back every word, in order."""
    if limit < 1:
        raise ValueError("limit must be positive")
    return [part for part in _pack(text.strip(), limit, measure, 0) if part.strip()]


_SEPARATORS = ("\n\n", "\n", None, " ")  # None: between sentences


def _pack(text: str, limit: int, measure: Measure, level: int) -> list[str]:
    if measure(text) <= limit:
        return [text]
    if level == len(_SEPARATORS):
        return _cut(text, limit, measure)
    separator = _SEPARATORS[level]
    pieces = re.split(r"(?<=[.!?;:…])\s+", text) if separator is None else text.split(separator)
    glue = " " if separator is None else separator
    out: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{glue}{piece}" if current else piece
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
        if measure(piece) <= limit:
            current = piece
        else:
            *whole, current = _pack(piece, limit, measure, level + 1)
            out += whole
    if current:
        out.append(current)
    return out


def _cut(text: str, limit: int, measure: Measure) -> list[str]:
    out = []
    while measure(text) > limit:
        cut = limit
        while cut > 1 and measure(text[:cut]) > limit:
            cut -= 1
        out.append(text[:cut])
        text = text[cut:]
    return out + ([text] if text else [])


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str, count: int) -> str:
    return " ".join(text.split()[:count])
