"""Turn the text of a legal document into its units (see ``structure``).

Three shapes are recognised, tried in order: a law or decree written in ``Điều N.`` articles;
a plan written in Roman-numbered parts and numbered sections; anything else, by paragraph.
The text kept for each unit is verbatim (only surrounding whitespace is trimmed), so answers
can quote it exactly.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge.structure import ParsedDocument, Provision

ARTICLE = re.compile(r"^Điều\s+(\d+[a-z]?)\.\s*(.*)$")
CHAPTER = re.compile(r"^Chương\s+([IVXLC]+)\b\s*(.*)$")
SECTION_OF_CHAPTER = re.compile(r"^Mục\s+(\d+)\b\s*(.*)$")
CLAUSE = re.compile(r"^(\d+[a-z]?)\.(?:\[\d+\])?\s+\S")  # "8a.[2] …": added by a later law
POINT = re.compile(r"^([a-zđ]\d?)\)\s+\S")
PART = re.compile(r"^([IVX]+)\.\s+(\S.*)$")
BULLET = re.compile(r"^[-–•*]\s+\S")  # "- …", "* Ban Tổ chức: …"

# Where the body of a law or decree ends: signatures, recipients, annexes, endnotes.
BODY_END = re.compile(
    r"^(Nơi nhận|- Ban Bí thư|CHỦ TỊCH QUỐC HỘI|VĂN PHÒNG QUỐC HỘI|TM\.\s|Phụ lục\b|PHỤ LỤC\b"
    r"|\[\d+\]\s|Luật này (đã )?được Quốc hội|Bộ luật này (đã )?được Quốc hội)"
)
PLAN_END = re.compile(r"^(Nơi nhận|\*\*TM\.|TM\.\s)")


def parse_text(doc_id: str, text: str) -> ParsedDocument:
    lines = [line.strip() for line in unicodedata.normalize("NFC", text).splitlines()]
    if sum(1 for line in lines if ARTICLE.match(line)) >= 1:
        return _parse_articles(doc_id, lines)
    if sum(1 for line in lines if PART.match(line)) >= 2:
        return _parse_plan(doc_id, lines)
    return _parse_paragraphs(doc_id, lines)


# ---- laws and decrees ----------------------------------------------------------------

class _ArticleBuilder:
    """Collects the lines of one article, then emits it with its clauses and points."""

    def __init__(self, doc: ParsedDocument, number: str, title: str, chapter: str) -> None:
        self.doc, self.number, self.title, self.chapter = doc, number, title, chapter
        self.lines: list[str] = []

    @property
    def ref(self) -> str:
        return f"{self.doc.doc_id}:d{self.number}"

    def emit(self) -> None:
        body = [line for line in self.lines if line]
        self.doc.add(Provision(
            ref=self.ref, doc_id=self.doc.doc_id, level="article", number=self.number,
            text="\n".join(body), article_ref=self.ref, title=self.title, chapter=self.chapter,
        ))
        for number, clause_lines in _split(body, CLAUSE, lambda m: m.group(1)):
            self._emit_clause(number, clause_lines)

    def _emit_clause(self, number: str, lines: list[str]) -> None:
        ref = f"{self.ref}:k{number}"
        self.doc.add(Provision(
            ref=ref, doc_id=self.doc.doc_id, level="clause", number=number,
            text="\n".join(lines), article_ref=self.ref, parent_ref=self.ref,
            title=self.title, chapter=self.chapter,
        ))
        for letter, point_lines in _split(lines[1:], POINT, lambda m: m.group(1)):
            self.doc.add(Provision(
                ref=f"{ref}:{letter}", doc_id=self.doc.doc_id, level="point", number=letter,
                text="\n".join(point_lines), article_ref=self.ref, parent_ref=ref,
                title=self.title, chapter=self.chapter,
            ))


def _split(lines: list[str], head: re.Pattern[str], number_of) -> list[tuple[str, list[str]]]:
    """Group lines under each line that matches ``head``; lines before the first are dropped."""
    groups: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for line in lines:
        match = head.match(line)
        if match and number_of(match) not in seen:
            seen.add(number_of(match))
            groups.append((number_of(match), [line]))
        elif groups:
            groups[-1][1].append(line)
    return groups


def _parse_articles(doc_id: str, lines: list[str]) -> ParsedDocument:
    doc = ParsedDocument(doc_id)
    chapter, current = "", None
    # "Chương II" / "Mục 1" are followed by an upper-case title, sometimes wrapped on 2 lines.
    in_heading = in_chapter_heading = False
    for line in lines:
        if BODY_END.match(line):
            break
        if match := ARTICLE.match(line):
            if current:
                current.emit()
            current = _ArticleBuilder(doc, match.group(1), match.group(2).strip(), chapter)
            in_heading = False
        elif match := CHAPTER.match(line):
            chapter = f"Chương {match.group(1)}" + (f". {match.group(2)}" if match.group(2) else "")
            in_heading = in_chapter_heading = True
        elif SECTION_OF_CHAPTER.match(line):
            in_heading, in_chapter_heading = True, False
        elif in_heading and _is_upper(line):
            if in_chapter_heading:
                chapter = f"{chapter}{' ' if '. ' in chapter else '. '}{line}"
        elif current is not None:
            in_heading = False
            current.lines.append(line)
    if current:
        current.emit()
    return doc


def _is_upper(line: str) -> bool:
    return line == line.upper() and any(c.isalpha() for c in line)


# ---- the plan: parts (I, II, III) and numbered sections ---------------------------------

def _parse_plan(doc_id: str, lines: list[str]) -> ParsedDocument:
    doc = ParsedDocument(doc_id)
    part, part_title = "", ""
    sections: list[tuple[str, list[str]]] = []
    for line in lines:
        if PLAN_END.match(line):
            break
        if match := PART.match(line):
            part, part_title = match.group(1), match.group(2).strip()
            ref = f"{doc_id}:{part}"
            doc.add(Provision(ref=ref, doc_id=doc_id, level="part", number=part, text=line,
                              article_ref=ref, title=part_title))
        elif part and (match := CLAUSE.match(line)):
            sections.append((f"{part}.{line.split('.', 1)[0]}", [line]))
        elif sections and line:
            sections[-1][1].append(line)
    for number, body in sections:
        _emit_section(doc, number, body, part_title_of(doc, number))
    return doc


def part_title_of(doc: ParsedDocument, section_number: str) -> str:
    part = doc.provisions.get(f"{doc.doc_id}:{section_number.split('.')[0]}")
    return f"Phần {part.number}. {part.title}" if part else ""


def _emit_section(doc: ParsedDocument, number: str, body: list[str], chapter: str) -> None:
    ref = f"{doc.doc_id}:{number}"
    title = re.sub(r"^\d+\.\s*", "", body[0])
    doc.add(Provision(ref=ref, doc_id=doc.doc_id, level="section", number=number,
                      text="\n".join(body), article_ref=ref,
                      parent_ref=f"{doc.doc_id}:{number.split('.')[0]}",
                      title=title if len(title) <= 160 else "", chapter=chapter))
    bullets = [line for line in body[1:] if BULLET.match(line)]
    for index, line in enumerate(bullets, start=1):
        doc.add(Provision(ref=f"{ref}:g{index}", doc_id=doc.doc_id, level="bullet",
                          number=str(index), text=line, article_ref=ref, parent_ref=ref,
                          title=title, chapter=chapter))


# ---- anything else: paragraphs --------------------------------------------------------------

def _parse_paragraphs(doc_id: str, lines: list[str]) -> ParsedDocument:
    doc = ParsedDocument(doc_id)
    paragraphs = [line for line in lines if len(line) >= 20]
    for index, text in enumerate(paragraphs, start=1):
        ref = f"{doc_id}:p{index}"
        doc.add(Provision(ref=ref, doc_id=doc_id, level="paragraph", number=str(index),
                          text=text, article_ref=ref))
    return doc
