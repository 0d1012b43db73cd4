import pytest

from knowledge.library import Library
from knowledge.lookup import find_reference, named_document


@pytest.fixture(scope="module")
def refs():
    return set(Library.load().provisions)


@pytest.mark.parametrize("query, ref", [
    ("Điều 36 BLLĐ", "blld-2019:d36"),
    ("dieu 10 luat cong doan", "luat-cd-2024:d10"),
    ("khoản 2 điều 177 bộ luật lao động", "blld-2019:d177:k2"),
    ("Luật ATVSLĐ 2015 Điều 6 khoản 1 điểm đ", "luat-atvsld-2015:d6:k1:đ"),
    ("ND 12/2022 dieu 38", "nd-12-2022:d38"),
    ("k2 d36 blld", "blld-2019:d36:k2"),
    ("nghị định 145 điều 40", "nd-145-2020:d40"),
])
def test_it_finds_the_most_precise_unit_named(refs, query, ref):
    result = find_reference(query, refs)
    assert result.ref == ref
    assert not result.ambiguous


def test_it_prefers_the_labor_code_when_no_document_is_named(refs):
    result = find_reference("điều 10 quy định gì", refs)
    assert result.ref == "blld-2019:d10"
    assert result.ambiguous


def test_it_falls_back_to_the_article_when_the_clause_does_not_exist(refs):
    assert find_reference("khoản 9 điều 36 blld", refs).ref == "blld-2019:d36"


def test_it_reports_a_clear_miss_for_an_article_that_does_not_exist(refs):
    result = find_reference("Điều 300 BLLĐ", refs)
    assert result is not None and not result.found
    assert result.doc_id == "blld-2019"


def test_it_does_not_mistake_the_verb_dieu_for_an_article(refs):
    assert find_reference("công ty điều 5 công nhân sang xưởng khác làm việc có đúng không", refs) is None
    assert find_reference("điều 5 quy định gì", refs).ref == "blld-2019:d5"


def test_it_returns_none_without_an_article_reference(refs):
    assert find_reference("nghỉ phép năm được mấy ngày", refs) is None
    assert find_reference("công ty nợ lương 2 tháng", refs) is None


def test_it_recognises_document_aliases():
    assert named_document("theo luật cđ thì sao") == "luat-cd-2024"
    assert named_document("nghị định 12/2022 phạt thế nào") == "nd-12-2022"
    assert named_document("bo luat lao dong") == "blld-2019"
    assert named_document("hỏi chung chung") is None
