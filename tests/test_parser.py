"""The parser turns each legal text into articles, clauses and points with stable ids."""

from __future__ import annotations

import json

import pytest

from knowledge.library import Library
from knowledge.manifest import SHIPPED_CORPUS
from knowledge.parser import parse_text

MANIFEST = json.loads((SHIPPED_CORPUS / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["doc_id"] for e in MANIFEST])
def test_it_finds_as_many_articles_as_the_manifest_says(entry, library):
    articles = [p for p in library.provisions.values() if p.doc_id == entry["doc_id"] and p.level == "article"]
    assert len(articles) == entry["articles_expected"]
    numbers = [int(p.number) for p in articles]
    assert numbers == list(range(1, len(numbers) + 1))


def test_it_gives_points_stable_ids_and_verbatim_text(library):
    point = library.get("blld-2019:d175:k1:b")
    assert point.text.startswith("b) Sa thải, kỷ luật, đơn phương chấm dứt hợp đồng lao động")
    assert point.article_ref == "blld-2019:d175" and point.parent_ref == "blld-2019:d175:k1"
    assert library.get("blld-2019:d36").title == "Quyền đơn phương chấm dứt hợp đồng lao động của người sử dụng lao động"


def test_it_keeps_a_clause_whole_with_its_points(library):
    clause = library.get("blld-2019:d175:k1")
    assert "a) Yêu cầu tham gia" in clause.text and "d) Cản trở, gây khó khăn" in clause.text


def test_it_knows_the_chapter_of_each_article(library):
    assert library.get("blld-2019:d175").chapter == "Chương XIII. TỔ CHỨC ĐẠI DIỆN NGƯỜI LAO ĐỘNG TẠI CƠ SỞ"


def test_it_stops_before_signatures_annexes_and_endnotes(library):
    last_decree_article = library.get("nd-145-2020:d115").text
    assert "Phụ lục" not in last_decree_article and "Ban Bí thư" not in last_decree_article
    assert "VĂN PHÒNG QUỐC HỘI" not in library.get("blld-2019:d220").text


def test_it_reads_an_added_clause_such_as_8a(library):
    assert library.get("blld-2019:d154:k8a") is not None


def test_it_splits_the_plan_into_parts_sections_and_bullets(library):
    section = library.get("kh-cdcs-2020:II.4")
    assert section.title == "Tăng cường bảo vệ và quan tâm đối với chủ tịch CĐCS ngoài khu vực nhà nước"
    assert library.get("kh-cdcs-2020:II.4:g1").text.startswith("- Quan tâm, đề xuất, phối hợp")
    assert library.get("kh-cdcs-2020:III.1").level == "section"


def test_the_plan_duties_of_each_department_are_units_of_their_own(library):
    # «* Ban Tổ chức LĐLĐ tỉnh: …» after the «- …» duties common to all departments: each
    # department's duty can be quoted alone, and the earlier bullets keep their ids.
    assert library.get("kh-cdcs-2020:III.2:g1").text.startswith("- Chủ động tham mưu")
    assert library.get("kh-cdcs-2020:III.2:g5").text.startswith("* Ban Tài chính LĐLĐ tỉnh")


def test_it_cuts_a_document_without_structure_into_paragraphs():
    doc = parse_text("huong-dan-1", "Hướng dẫn về việc thu kinh phí công đoàn năm 2026.\n\nCác cấp công đoàn thực hiện nghiêm túc.")
    assert [p.ref for p in doc.provisions.values()] == ["huong-dan-1:p1", "huong-dan-1:p2"]
