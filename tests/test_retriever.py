import pytest
from langchain_core.documents import Document

from knowledge.retriever import HybridRetriever

pytestmark = pytest.mark.slow  # builds a real (small) embedding index


@pytest.fixture(scope="module")
def retriever(knowledge_small_library, knowledge_small_index):
    return HybridRetriever(library=knowledge_small_library, index=knowledge_small_index)


@pytest.mark.parametrize("query, article", [
    ("Làm thêm giờ tối đa bao nhiêu giờ trong một năm?", "blld-2019:d107"),
    ("lam them gio toi da bao nhieu gio mot nam", "blld-2019:d107"),
    ("Người lao động được nghỉ hằng năm bao nhiêu ngày?", "blld-2019:d113"),
    ("nghi phep nam duoc bao nhieu ngay", "blld-2019:d113"),
    ("Công ty có được phạt tiền thay cho kỷ luật không?", "blld-2019:d127"),
    ("cán bộ công đoàn không chuyên trách được bao nhiêu giờ làm công tác công đoàn có lương",
     "luat-cd-2024:d27"),
    ("NSDLĐ cản trở NLĐ gia nhập CĐ", "blld-2019:d175"),
])
def test_it_finds_the_article_with_and_without_diacritics(retriever, query, article):
    result = retriever.search(query, k=3)
    assert result.in_scope
    assert article in [hit.article_ref for hit in result.hits]


def test_it_answers_a_direct_reference_with_the_precise_unit(retriever):
    result = retriever.search("khoản 1 điều 36 blld")
    assert result.reason == "lookup" and result.confidence == 1.0
    assert result.hits[0].article_ref == "blld-2019:d36"
    assert result.hits[0].matched_refs == ("blld-2019:d36:k1",)
    assert result.hits[0].via == "lookup"


def test_it_narrows_a_clause_to_the_point_that_matches(retriever):
    result = retriever.search("người lao động tự ý bỏ việc 5 ngày làm việc liên tục", k=3)
    d36 = next(h for h in result.hits if h.article_ref == "blld-2019:d36")
    assert d36.matched_refs[0] == "blld-2019:d36:k1:e"


def test_it_names_the_clauses_that_matched_inside_the_article(retriever):
    hit = retriever.search("thời gian thử việc", k=5).hits
    for h in hit:
        assert all(ref.startswith(h.article_ref + ":") for ref in h.matched_refs)


def test_it_prefers_the_law_over_the_fines_decree_unless_fines_are_asked(retriever):
    law = retriever.search("công ty từ chối thương lượng tập thể", k=5).hits
    fines = retriever.search("từ chối thương lượng tập thể bị phạt bao nhiêu", k=5).hits
    assert fines[0].article_ref == "nd-12-2022:d16"
    assert law[0].article_ref != "nd-12-2022:d16"


@pytest.mark.parametrize("query", [
    "giá vàng hôm nay bao nhiêu",
    "thủ tục ly hôn cần giấy tờ gì",
    "cách làm hộ chiếu",
    "làm sổ đỏ mất bao lâu",
])
def test_it_refuses_questions_outside_labour_law(retriever, query):
    result = retriever.search(query)
    assert not result.in_scope and result.reason == "out_of_scope"


def test_it_works_as_a_langchain_retriever(retriever):
    docs = retriever.invoke("nghỉ lễ tết được mấy ngày")
    assert docs and isinstance(docs[0], Document)
    assert {"ref", "article_ref", "score"} <= set(docs[0].metadata)
    assert retriever.invoke("giá vàng hôm nay") == []


@pytest.mark.parametrize("query, situation", [
    ("cong ty doa duoi viec toi vi toi doi tien tang ca cho cong nhan", "retaliation"),
    ("Sau khi tôi kiến nghị tăng lương, quản lý chuyển tôi sang làm bảo vệ", "retaliation"),
    ("đi muộn 5 phút bị phạt 100 nghìn trừ vào lương", "fine_as_discipline"),
    ("xưởng bắt ở lại tăng ca tới 10 giờ đêm", "forced_overtime"),
    ("cả xưởng kéo nhau bỏ máy ra ngoài, không ai tổ chức", "wildcat_stoppage"),
    ("đang có bầu bị xếp làm ca đêm", "maternity_dismissal"),
    ("Sếp bảo nếu tôi còn vận động vào công đoàn thì sẽ không gia hạn hợp đồng", "retaliation"),
    ("mới vào làm đã phải nộp 2 triệu tiền đồng phục, nghỉ trước thì không trả lại", "deposit"),
])
def test_it_recognises_everyday_situations(retriever, query, situation):
    assert situation in retriever._tables.prepare(query).situations


@pytest.mark.parametrize("query", [
    "Người lao động được nghỉ hằng năm bao nhiêu ngày?",
    "làm thêm giờ tối đa bao nhiêu giờ một năm",  # not forced: only asks the limit
    "công ty vi phạm luật lao động thì bị phạt thế nào",
])
def test_plain_questions_trigger_no_retaliation_or_internal_fines(retriever, query):
    fired = retriever._tables.prepare(query).situations
    assert "retaliation" not in fired and "fine_as_discipline" not in fired


def test_a_deposit_is_not_taken_for_a_fine(retriever):
    fired = retriever._tables.prepare("vừa vào làm phải nộp 2 triệu tiền đồng phục").situations
    assert "deposit" in fired and "fine_as_discipline" not in fired


def test_internal_fines_do_not_pull_the_fines_decree(retriever):
    assert not retriever._tables.prepare("tổ trưởng phạt quên thẻ 50 nghìn trừ lương").about_fines
    assert retriever._tables.prepare("không đóng kinh phí công đoàn bị phạt bao nhiêu").about_fines


def test_the_issue_example_finds_the_ban_on_retaliation_first(retriever):
    result = retriever.search("cong ty doa duoi viec toi vi toi doi tien tang ca cho cong nhan", k=3)
    assert result.in_scope
    assert result.hits[0].article_ref in ("blld-2019:d175", "luat-cd-2024:d10")
    # the point on dismissal and transfer (or its clause, quoted whole when it is short), not
    # the point that shares "tiền" with the question
    quoted = {ref for hit in result.hits[:2] for ref in hit.matched_refs[:1]}
    wanted = ("blld-2019:d175:k1:b", "luat-cd-2024:d10:k2:b")
    assert any(point == ref or point.startswith(ref + ":") for ref in quoted for point in wanted)


@pytest.mark.parametrize("query, ref", [
    ("Điều 36 BLLĐ", "blld-2019:d36"),
    ("dieu 10 luat cong doan", "luat-cd-2024:d10"),
])
def test_direct_references_of_the_issue(retriever, query, ref):
    result = retriever.search(query)
    assert result.reason == "lookup" and result.hits[0].article_ref == ref
