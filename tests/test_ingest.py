"""Staff-uploaded documents: real .txt/.docx/.pdf files in, user corpus and manifest out."""

from __future__ import annotations

import json
import unicodedata

import docx
import pytest

from knowledge.extract import rebuild_paragraphs
from knowledge.ingest import MAX_BYTES, IngestError, ingest_file, shipped_doc_ids
from knowledge.library import Library
from knowledge.manifest import all_documents

CHARTER = """ĐIỀU LỆ CÔNG ĐOÀN (trích)

Điều 1. Công đoàn Việt Nam
Công đoàn Việt Nam là tổ chức chính trị - xã hội rộng lớn của giai cấp công nhân và của người lao động.

Điều 2. Đoàn viên công đoàn
1. Người lao động là người Việt Nam làm việc trong cơ quan, đơn vị, doanh nghiệp được gia nhập công đoàn.
2. Đoàn viên có quyền:
a) Được thông tin, thảo luận, đề xuất và biểu quyết công việc của công đoàn.
b) Được công đoàn hướng dẫn, tư vấn, trợ giúp pháp lý miễn phí.
"""


def _ingest(path, tmp_path, doc_id="dieu-le-cd", **kwargs):
    kwargs.setdefault("title", "Điều lệ Công đoàn Việt Nam khóa XIII")
    return ingest_file(path, doc_id=doc_id, user_corpus_dir=tmp_path / "corpus", **kwargs)


def _manifest(tmp_path) -> list[dict]:
    return json.loads((tmp_path / "corpus" / "manifest.json").read_text(encoding="utf-8"))


# ---- .txt -----------------------------------------------------------------------------------

def test_txt_with_articles_is_written_parsed_and_listed(tmp_path):
    source = tmp_path / "dieu-le.txt"
    source.write_text(CHARTER, encoding="utf-8")
    result = _ingest(source, tmp_path, number="Khóa XIII", issuer="Đại hội XIII Công đoàn VN")

    assert (result.articles, result.sections, result.paragraphs) == (2, 0, 0)
    assert result.file == tmp_path / "corpus" / "dieu-le-cd.txt"
    assert not result.replaced
    assert result.summary().startswith("Đã thêm văn bản dieu-le-cd: 2 điều")
    [entry] = _manifest(tmp_path)
    assert entry | {"source": None} == {
        "doc_id": "dieu-le-cd", "short_title": "Điều lệ Công đoàn Việt Nam khóa XIII",
        "title": "Điều lệ Công đoàn Việt Nam khóa XIII", "number": "Khóa XIII",
        "status": "in_force", "file": "dieu-le-cd.txt", "date_issued": "",
        "issuer": "Đại hội XIII Công đoàn VN", "articles_found": 2, "source": None,
    }
    # The rest of the knowledge base sees it: manifest loader and library with stable refs.
    assert "dieu-le-cd" in {d.doc_id for d in all_documents(tmp_path / "corpus")}
    library = Library.load(tmp_path / "corpus")
    assert library.get("dieu-le-cd:d2:k2:b").text.startswith("b) Được công đoàn hướng dẫn")


def test_decomposed_unicode_is_stored_as_nfc(tmp_path):
    source = tmp_path / "nfd.txt"
    source.write_text(unicodedata.normalize("NFD", CHARTER), encoding="utf-8")
    result = _ingest(source, tmp_path, title=unicodedata.normalize("NFD", "Điều lệ  Công đoàn"))
    assert _manifest(tmp_path)[0]["title"] == "Điều lệ Công đoàn"  # NFC, one space
    stored = result.file.read_text(encoding="utf-8")
    assert stored == unicodedata.normalize("NFC", stored)
    assert result.articles == 2  # "Điều" only matches the parser once composed


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1258"])
def test_other_text_encodings_are_decoded(tmp_path, encoding):
    source = tmp_path / "legacy.txt"
    source.write_bytes(_to_cp1258(CHARTER) if encoding == "cp1258" else CHARTER.encode(encoding))
    result = _ingest(source, tmp_path)
    assert result.articles == 2
    assert "Đoàn viên công đoàn" in result.file.read_text(encoding="utf-8")
    assert bool(result.warnings) == (encoding == "cp1258")


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _to_cp1258(text: str) -> bytes:
    """As Windows-1258 stores Vietnamese: base letters (ê, ơ, ă) precomposed, tones combining."""
    out = []
    for char in text:
        marks = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONES))
        out.append(base + "".join(c for c in marks if c in _TONES))
    return "".join(out).encode("cp1258")


def test_reingest_replaces_text_and_entry(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(CHARTER, encoding="utf-8")
    second.write_text(CHARTER + "\nĐiều 3. Nhiệm vụ của đoàn viên\nChấp hành Điều lệ.\n",
                      encoding="utf-8")
    _ingest(first, tmp_path)
    other = tmp_path / "other.txt"
    other.write_text("Một hướng dẫn khác của công đoàn cấp trên, đủ dài để trích dẫn.\n",
                     encoding="utf-8")
    _ingest(other, tmp_path, doc_id="hd-khac", title="Hướng dẫn khác")

    result = _ingest(second, tmp_path, status="partly_superseded", short_title="Điều lệ CĐ")
    assert result.replaced and result.articles == 3
    assert result.summary().startswith("Đã thay văn bản dieu-le-cd: 3 điều")
    entries = _manifest(tmp_path)
    assert [e["doc_id"] for e in entries] == ["hd-khac", "dieu-le-cd"]
    assert entries[1]["short_title"] == "Điều lệ CĐ" and entries[1]["articles_found"] == 3
    assert "Điều 3." in result.file.read_text(encoding="utf-8")
    assert not list((tmp_path / "corpus").glob("*.tmp"))  # no temp files left behind


def test_free_text_is_cut_into_paragraphs(tmp_path):
    source = tmp_path / "hd.txt"
    source.write_text("Hướng dẫn tổ chức đại hội công đoàn cơ sở nhiệm kỳ mới.\n\n"
                      "Ban chấp hành chuẩn bị văn kiện trước đại hội ít nhất 30 ngày.\n",
                      encoding="utf-8")
    result = _ingest(source, tmp_path, doc_id="hd-dai-hoi", title="Hướng dẫn đại hội")
    assert (result.articles, result.paragraphs) == (0, 2)
    assert _manifest(tmp_path)[0]["articles_found"] == 0


# ---- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", ["ab", "Dieu-Le", "dieu_le", "dieu le", "-dieu-le", "a" * 41,
                                    "điều-lệ", "x:d1"])
def test_bad_doc_ids_are_refused(tmp_path, doc_id):
    source = tmp_path / "a.txt"
    source.write_text(CHARTER, encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        _ingest(source, tmp_path, doc_id=doc_id)
    assert caught.value.code == "bad_doc_id"
    assert not (tmp_path / "corpus" / "manifest.json").exists()


def test_shipped_doc_id_is_refused(tmp_path):
    assert "blld-2019" in shipped_doc_ids()
    source = tmp_path / "a.txt"
    source.write_text(CHARTER, encoding="utf-8")
    with pytest.raises(IngestError, match="blld-2019") as caught:
        _ingest(source, tmp_path, doc_id="blld-2019")
    assert caught.value.code == "doc_id_taken"


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", "ngắn\nquá\n".encode()])
def test_empty_or_unquotable_text_is_refused(tmp_path, content):
    source = tmp_path / "empty.txt"
    source.write_bytes(content)
    with pytest.raises(IngestError) as caught:
        _ingest(source, tmp_path)
    assert caught.value.code == "empty"
    assert not (tmp_path / "corpus" / "dieu-le-cd.txt").exists()


def test_oversized_unsupported_and_bad_arguments_are_refused(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no 20 MB actually written
    cases = {
        "too_large": dict(path=big),
        "unsupported_format": dict(path=tmp_path / "old.doc"),
        "no_title": dict(path=tmp_path / "a.txt", title="   "),
        "bad_status": dict(path=tmp_path / "a.txt", status="repealed"),
        "not_found": dict(path=tmp_path / "missing.txt"),
        "legacy_font": dict(path=tmp_path / "tcvn3.txt"),
    }
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (tmp_path / "a.txt").write_text(CHARTER, encoding="utf-8")
    (tmp_path / "tcvn3.txt").write_text("§iÒu 1. C«ng ®oµn ViÖt Nam lµ tæ chøc chÝnh trÞ\n",
                                        encoding="utf-8")
    for code, kwargs in cases.items():
        with pytest.raises(IngestError) as caught:
            _ingest(kwargs.pop("path"), tmp_path, **kwargs)
        assert caught.value.code == code, code
        assert "/" in str(caught.value)  # Vietnamese / English


def test_corrupt_user_manifest_is_not_overwritten(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "manifest.json").write_text("{not json", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text(CHARTER, encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        _ingest(source, tmp_path)
    assert caught.value.code == "bad_manifest"
    assert (tmp_path / "corpus" / "manifest.json").read_text(encoding="utf-8") == "{not json"


# ---- .docx ----------------------------------------------------------------------------------

def test_docx_paragraphs_and_tables_in_order(tmp_path):
    document = docx.Document()
    document.add_heading("HƯỚNG DẪN THU KINH PHÍ CÔNG ĐOÀN", level=1)
    document.add_paragraph("Điều 1. Mức đóng")
    document.add_paragraph("1. Đoàn viên đóng đoàn phí bằng 1% tiền lương.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Đối tượng", "Mức đóng"
    table.cell(1, 0).text, table.cell(1, 1).text = "Đoàn viên", "1% tiền lương"
    document.add_paragraph("2. Mức đóng tối đa bằng 10% mức lương cơ sở.")
    document.add_paragraph("Điều 2. Hiệu lực")
    document.add_paragraph("Hướng dẫn này có hiệu lực từ ngày ký.")
    source = tmp_path / "huong-dan.docx"
    document.save(source)

    result = _ingest(source, tmp_path, doc_id="hd-doan-phi", title="Hướng dẫn đoàn phí")
    assert result.articles == 2
    lines = result.file.read_text(encoding="utf-8").splitlines()
    at = lines.index("Đối tượng | Mức đóng")
    assert lines[at - 1].startswith("1. Đoàn viên") and lines[at + 1] == "Đoàn viên | 1% tiền lương"
    assert lines[at + 2].startswith("2. Mức đóng tối đa")
    clause = Library.load(tmp_path / "corpus").get("hd-doan-phi:d1:k1")
    assert "Đoàn viên | 1% tiền lương" in clause.text  # the table quotes with its clause


def test_broken_docx_is_refused(tmp_path):
    source = tmp_path / "broken.docx"
    source.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IngestError) as caught:
        _ingest(source, tmp_path)
    assert caught.value.code == "unreadable"


# ---- .pdf -----------------------------------------------------------------------------------

def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF, one text line per entry, with a real Unicode text layer.

    The font is a Type0/Identity-H font whose glyph ids are the Unicode code points and whose
    ToUnicode CMap says so — enough for text extraction without embedding a font file.
    """
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> "
            b"endcodespacerange\n1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,  # the page tree, filled in once page object numbers are known
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    ]
    kids = []
    for lines in pages:
        ops = [b"BT /F1 11 Tf 14 TL 50 800 Td"]
        ops += [b"<%s> Tj T*" % line.encode("utf-16-be").hex().encode() for line in lines]
        content = b"\n".join(ops + [b"ET"])
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                       % (len(objects)))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF_PAGES = [
    [
        "QUY CHẾ PHỐI HỢP",
        "Điều 1. Phạm vi áp dụng",
        "Quy chế này quy định việc phối hợp giữa Ban chấp hành công đoàn cơ sở và người",
        "sử dụng lao động trong việc tổ chức đối thoại định kỳ tại nơi làm việc hằng năm.",
        "Điều 2. Đối thoại định kỳ",
        "1. Hai bên tổ chức đối thoại ít nhất một lần mỗi năm theo quy định của Bộ luật",
        "Lao động.",
    ],
    [
        "2",
        "2. Nội dung đối thoại gồm:",
        "a) Tình hình sản xuất, kinh doanh của người sử dụng lao động;",
        "b) Việc thực hiện hợp đồng lao động, thỏa ước lao động tập thể, nội quy lao động",
        "và các quy chế khác tại nơi làm việc.",
    ],
]


def test_pdf_text_layer_is_ingested_with_paragraphs_rebuilt(tmp_path):
    source = tmp_path / "quy-che.pdf"
    source.write_bytes(_pdf(PDF_PAGES))
    result = _ingest(source, tmp_path, doc_id="quy-che-doi-thoai", title="Quy chế đối thoại")
    assert result.articles == 2 and not result.warnings
    library = Library.load(tmp_path / "corpus")
    assert library.get("quy-che-doi-thoai:d1").text == (
        "Quy chế này quy định việc phối hợp giữa Ban chấp hành công đoàn cơ sở và người "
        "sử dụng lao động trong việc tổ chức đối thoại định kỳ tại nơi làm việc hằng năm.")
    assert library.get("quy-che-doi-thoai:d2:k1").text.endswith("theo quy định của Bộ luật Lao động.")
    assert library.get("quy-che-doi-thoai:d2:k2:b").text.endswith("các quy chế khác tại nơi làm việc.")
    assert library.get("quy-che-doi-thoai:d1").title == "Phạm vi áp dụng"  # page number "2" dropped


def test_scanned_pdf_is_refused_clearly(tmp_path):
    source = tmp_path / "scan.pdf"
    source.write_bytes(_pdf([[], ["1"]]))  # pages with nothing but a page number
    with pytest.raises(IngestError, match="scan") as caught:
        _ingest(source, tmp_path)
    assert caught.value.code == "no_text_layer"
    assert not (tmp_path / "corpus" / "manifest.json").exists()


def test_pdf_with_one_scanned_page_warns(tmp_path):
    source = tmp_path / "mixed.pdf"
    source.write_bytes(_pdf(PDF_PAGES + [[]]))
    result = _ingest(source, tmp_path)
    assert result.articles == 2
    assert any("3" in warning and "scan" in warning for warning in result.warnings)
    assert "Lưu ý: Các trang 3" in result.summary()


def test_rebuild_paragraphs_keeps_headings_and_units_apart():
    lines = ["Chương I", "NHỮNG QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh",
             "Luật này quy định về công đoàn.", "- gạch đầu dòng một", "- gạch đầu dòng hai",
             "", "Trang 3/10", "Đoạn mới sau dòng trống."]
    assert rebuild_paragraphs(lines) == [
        "Chương I", "NHỮNG QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh",
        "Luật này quy định về công đoàn.", "- gạch đầu dòng một", "- gạch đầu dòng hai", "",
        "Đoạn mới sau dòng trống."]
