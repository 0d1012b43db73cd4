"""Uploads that are small on the wire and huge inside: a .docx that unzips to gigabytes of XML
and a PDF of tens of thousands of pages are refused, quickly and in Vietnamese."""

from __future__ import annotations

import io
import time
import zipfile

import docx
import pytest
from pypdf import PdfWriter

from knowledge.extract import MAX_DOCX_UNPACKED, MAX_PDF_PAGES
from knowledge.ingest import IngestError, ingest_file

TEXT = "Điều 1. Phạm vi\nHướng dẫn này áp dụng cho công đoàn cơ sở trong tỉnh.\n"


def _ingest(path, tmp_path):
    return ingest_file(path, doc_id="tai-lieu", title="Tài liệu", user_corpus_dir=tmp_path / "corpus")


def _real_docx() -> bytes:
    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(path, unpacked: int) -> None:
    """A genuine .docx with one more member of ``unpacked`` zero bytes, deflated to almost
    nothing (1 MB of zeros is about 1 kB)."""
    with zipfile.ZipFile(io.BytesIO(_real_docx())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        with bomb.open("word/media/padding.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(unpacked // len(block)):
                member.write(block)


def many_page_pdf(path, pages: int) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    writer.write(str(path))


def test_a_docx_that_unzips_past_the_cap_is_refused_before_extracting(tmp_path):
    path = tmp_path / "bom.docx"
    zip_bomb_docx(path, MAX_DOCX_UNPACKED + 10 * 1024 * 1024)
    assert path.stat().st_size < 200 * 1024  # a few tens of kB on the wire
    started = time.monotonic()
    with pytest.raises(IngestError) as error:
        _ingest(path, tmp_path)
    assert error.value.code == "too_large_unpacked"
    assert "giải nén" in str(error.value) and f"{MAX_DOCX_UNPACKED // (1024 * 1024)} MB" in str(error.value)
    assert time.monotonic() - started < 2


def test_a_docx_under_the_cap_is_still_ingested(tmp_path):
    path = tmp_path / "binh-thuong.docx"
    zip_bomb_docx(path, 2 * 1024 * 1024)
    assert _ingest(path, tmp_path).articles == 1


def test_a_pdf_with_too_many_pages_is_refused_before_reading_them(tmp_path):
    path = tmp_path / "dai.pdf"
    many_page_pdf(path, MAX_PDF_PAGES + 1)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(IngestError) as error:
        _ingest(path, tmp_path)
    assert error.value.code == "too_many_pages"
    assert f"{MAX_PDF_PAGES}" in str(error.value) and "trang" in str(error.value)


def test_a_pdf_whose_page_count_lies_is_counted_by_its_pages(tmp_path):
    """/Count in the page tree says 1; the tree holds more than the cap: the real count wins."""
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=200, height=200)
    writer._root_object["/Pages"].get_object()[NameObject("/Count")] = NumberObject(1)
    path = tmp_path / "doi.pdf"
    writer.write(str(path))
    with pytest.raises(IngestError) as error:
        _ingest(path, tmp_path)
    assert error.value.code == "too_many_pages"
