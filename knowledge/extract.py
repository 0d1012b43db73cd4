"""Plain text out of the files staff upload: .txt, .docx and text-layer .pdf.

Everything returned is NFC (Vietnamese typed on Windows/macOS often arrives decomposed),
one paragraph per line, so ``parser.parse_text`` sees the same shape as the shipped corpus.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.parser import (
    ARTICLE,
    BULLET,
    CHAPTER,
    CLAUSE,
    PART,
    POINT,
    SECTION_OF_CHAPTER,
)


class ExtractError(ValueError):
    """A file we cannot turn into text; ``code`` lets callers pick their own wording."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Extracted:
    text: str
    method: str  # how the text was obtained, recorded in the manifest
    warnings: list[str] = field(default_factory=list)


SUPPORTED = (".txt", ".docx", ".pdf")

# What an upload may hold inside, whatever its size on the wire: a 200 kB .docx can unzip to
# gigabytes of XML, and a PDF of 30,000 pages takes minutes and gigabytes to index.
MAX_DOCX_UNPACKED = 50 * 1024 * 1024  # the sum of the zip members' sizes
MAX_PDF_PAGES = 2000


def extract_text(path: Path) -> Extracted:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        result = _from_txt(path.read_bytes())
    elif suffix == ".docx":
        result = _from_docx(path)
    elif suffix == ".pdf":
        result = _from_pdf(path)
    elif suffix == ".doc":
        raise ExtractError("unsupported_format",
                           "Tệp .doc (Word cũ) chưa được hỗ trợ: hãy mở bằng Word và lưu thành .docx. "
                           "/ Legacy .doc is not supported: save it as .docx.")
    else:
        raise ExtractError("unsupported_format",
                           f"Định dạng {suffix or '(không có đuôi)'} chưa được hỗ trợ; dùng .txt, .docx "
                           f"hoặc .pdf. / Unsupported file type {suffix!r}; use .txt, .docx or .pdf.")
    result.text = _tidy(result.text)
    _refuse_legacy_font(result.text)
    return result


def _tidy(text: str) -> str:
    """NFC, unified newlines, no trailing spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\ufeff", "").replace("\x0c", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# ---- .txt ---------------------------------------------------------------------------------

def _from_txt(data: bytes) -> Extracted:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Extracted(data.decode("utf-16"), "txt utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return Extracted(data.decode("utf-8-sig"), "txt utf-8")
    try:
        return Extracted(data.decode("utf-8"), "txt utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: the other encoding Vietnamese Windows machines save in is cp1258 (whose
    # tone marks are combining characters — NFC in _tidy composes them).
    try:
        return Extracted(data.decode("cp1258"), "txt cp1258",
                         ["Tệp không phải UTF-8, đã đọc theo bảng mã Windows-1258; hãy kiểm tra "
                          "dấu tiếng Việt. / Not UTF-8; decoded as Windows-1258, check the diacritics."])
    except UnicodeDecodeError:
        raise ExtractError("bad_encoding",
                           "Không đọc được bảng mã của tệp .txt; hãy lưu lại dạng UTF-8. "
                           "/ Unknown text encoding; save the file as UTF-8.") from None


# ---- .docx --------------------------------------------------------------------------------

def _from_docx(path: Path) -> Extracted:
    import docx  # python-docx, a core dependency; imported here to keep start-up light
    from docx.table import Table

    _refuse_zip_bomb(path)
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several unrelated types for bad zips
        raise ExtractError("unreadable",
                           "Không mở được tệp Word (.docx) — tệp hỏng hoặc không phải .docx. "
                           f"/ Cannot open the .docx file ({type(error).__name__}).") from None
    # Body order matters (a table of sanctions sits between two clauses), so walk paragraphs
    # and tables together rather than document.paragraphs then document.tables.
    lines: list[str] = []
    for block in document.iter_inner_content():
        lines += _table_lines(block) if isinstance(block, Table) else [block.text]
    return Extracted("\n".join(lines), "docx python-docx")


def _refuse_zip_bomb(path: Path) -> None:
    """Before anything is unzipped: the sizes the archive declares for its members. A member
    cannot lie its way past this — ``zipfile`` never yields more than the declared size (and
    then fails its CRC check) — so the declared sum bounds what extraction can produce."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: python-docx refuses it below with its own message
    if unpacked > MAX_DOCX_UNPACKED:
        raise ExtractError("too_large_unpacked",
                           f"Tệp Word này khi giải nén ra tới {unpacked / 1024 ** 2:.0f} MB, vượt "
                           f"giới hạn {MAX_DOCX_UNPACKED // (1024 * 1024)} MB (tệp chứa nhiều ảnh "
                           "hoặc bị làm phình); hãy bỏ bớt ảnh hoặc tách văn bản. / The .docx "
                           "unpacks to more than the limit.")


def _table_lines(table) -> list[str]:
    """One line per row, cells joined by ' | '; merged cells repeat in python-docx, so dedupe."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines


# ---- .pdf ---------------------------------------------------------------------------------

# Below this many letters per page on average a PDF is treated as a scan (page numbers and
# a stamp can survive OCR-less scanning, so "no text at all" is too strict).
MIN_LETTERS_PER_PAGE = 40
NO_TEXT_LAYER = ("PDF này không có lớp chữ (có lẽ là bản scan/ảnh chụp), nên không trích dẫn "
                 "được. Hãy dùng bản Word hoặc PDF xuất từ Word, hoặc chạy OCR trước. / This PDF "
                 "has no text layer (scanned?); upload the .docx or an OCR'd PDF instead.")


def _from_pdf(path: Path) -> Extracted:
    pages = _pdf_pages(path)
    letters = [sum(ch.isalpha() for ch in page) for page in pages]
    if not pages or sum(letters) < MIN_LETTERS_PER_PAGE * len(pages):
        raise ExtractError("no_text_layer", NO_TEXT_LAYER)
    warnings = []
    blank = [str(i) for i, count in enumerate(letters, start=1) if count < 5]
    if blank:
        warnings.append(f"Các trang {', '.join(blank)} không có chữ (ảnh scan?) và đã bị bỏ qua. "
                        f"/ Pages {', '.join(blank)} have no text layer and were skipped.")
    lines = [line.strip() for page in pages for line in page.splitlines()]
    return Extracted("\n".join(rebuild_paragraphs(lines)), "pdf pypdf text layer", warnings)


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError("encrypted", "PDF có mật khẩu; hãy gỡ mật khẩu rồi gửi lại. "
                                            "/ The PDF is password-protected.")
        _refuse_too_many_pages(reader)
        return [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as error:
        if isinstance(error, ExtractError):
            raise
        raise ExtractError("unreadable", "Không đọc được tệp PDF (tệp hỏng?). "
                                         f"/ Cannot read the PDF ({type(error).__name__}).") from None


def _refuse_too_many_pages(reader) -> None:
    """The page tree's /Count first (it costs nothing), then the pages the tree really holds
    (listing them reads no page content), since a /Count can lie."""
    declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    count = declared if isinstance(declared, int) and declared > MAX_PDF_PAGES else len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise ExtractError("too_many_pages",
                           f"PDF có {count} trang, vượt giới hạn {MAX_PDF_PAGES} trang; hãy tách "
                           f"thành nhiều tệp nhỏ hơn. / The PDF has more than {MAX_PDF_PAGES} pages.")


# ---- PDF lines → paragraphs ----------------------------------------------------------------

_STARTS_UNIT = (ARTICLE, CHAPTER, SECTION_OF_CHAPTER, CLAUSE, POINT, PART, BULLET)
_PAGE_NUMBER = re.compile(r"^(\d{1,4}|-\s*\d{1,4}\s*-|Trang\s+\d+(\s*/\s*\d+)?)$", re.IGNORECASE)
_ENDS_SENTENCE = (".", ":", ";", "!", "?", "…")


def rebuild_paragraphs(lines: list[str]) -> list[str]:
    """Join the visual lines of a PDF back into paragraphs.

    A PDF line break is usually just the page edge. A line continues the previous one
    unless it opens a legal unit (Điều, khoản "1.", điểm "a)", bullet, chapter) or the
    previous line was visibly complete: it ended a sentence, or it stopped well short of
    the page width, or it was an upper-case heading.
    """
    lines = [line for line in lines if not _PAGE_NUMBER.match(line)]
    width = _full_width(lines)
    paragraphs: list[str] = []
    previous = ""  # the last visual line: its length, not the paragraph's, says if it was full
    for line in lines:
        if not line:
            if paragraphs and paragraphs[-1]:
                paragraphs.append("")
        elif paragraphs and paragraphs[-1] and _continues(previous, line, width):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        previous = line
    return paragraphs


def _full_width(lines: list[str]) -> int:
    """The length of a full line: the 90th percentile, so a few long headers do not count."""
    lengths = sorted(len(line) for line in lines if line)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _continues(previous: str, line: str, width: int) -> bool:
    if any(pattern.match(line) for pattern in _STARTS_UNIT):
        return False
    if _is_heading(previous) != _is_heading(line):
        return False
    if line[0].islower():
        return True  # a Vietnamese sentence wrapped mid-way goes on in lower case
    if previous.endswith(_ENDS_SENTENCE) or ARTICLE.match(previous):
        return False  # an article title goes on only in lower case, handled above
    # Upper-case start after an unfinished line: a proper noun ("Bộ luật Lao động") wrapped
    # from a full line, or a new paragraph after a short line such as an article title.
    return len(previous) >= 0.8 * width


def _is_heading(line: str) -> bool:
    return line == line.upper() and sum(ch.isalpha() for ch in line) >= 3


# ---- legacy Vietnamese fonts -----------------------------------------------------------------

# TCVN3 (.VnTime) text read as Unicode turns "Điều" into "§iÒu"; VNI into "Ñieàu".
_LEGACY_MARKERS = ("§iÒu", "§IÒU", "Ñieàu", "ÑIEÀU", "Ch­¬ng", "ng­êi")


def _refuse_legacy_font(text: str) -> None:
    """Quotes from such text would be gibberish to the reader, so refuse rather than warn."""
    if any(marker in text for marker in _LEGACY_MARKERS):
        raise ExtractError("legacy_font",
                           "Văn bản dùng phông chữ cũ TCVN3/VNI (ví dụ '§iÒu' thay cho 'Điều'); hãy "
                           "chuyển sang Unicode (Unikey: Công cụ chuyển mã) rồi gửi lại. / The text "
                           "uses a legacy TCVN3/VNI font; convert it to Unicode first.")
