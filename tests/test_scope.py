"""Honest refusals: a question is answered when the indexed documents govern its subject.

The in/out decision comes from the documents themselves, so a subject stops being refused
when staff ingest a document that governs it — no code change, only ``cdcs index``.
"""

from __future__ import annotations

import pytest

from kernel.settings import Settings
from knowledge.ingest import ingest_file
from knowledge.lexicon import VocabularyError
from knowledge.library import Library
from knowledge.scope import SubjectIndex, load_areas
from knowledge.service import KnowledgeBase, build_index

pytestmark = pytest.mark.slow  # builds indexes of the whole corpus (lexical only)

DIVORCE = "Thủ tục ly hôn đơn phương cần những giấy tờ gì?"

MARRIAGE_LAW = """LUẬT HÔN NHÂN VÀ GIA ĐÌNH (trích)

Điều 51. Quyền yêu cầu giải quyết ly hôn
1. Vợ, chồng hoặc cả hai người có quyền yêu cầu Tòa án giải quyết ly hôn.
2. Cha, mẹ, người thân thích khác có quyền yêu cầu Tòa án giải quyết ly hôn khi một bên vợ, chồng do bị bệnh tâm thần không thể nhận thức, làm chủ được hành vi của mình.

Điều 56. Ly hôn theo yêu cầu của một bên
1. Khi vợ hoặc chồng yêu cầu ly hôn mà hòa giải tại Tòa án không thành thì Tòa án giải quyết cho ly hôn nếu có căn cứ về việc vợ, chồng có hành vi bạo lực gia đình.
2. Hồ sơ yêu cầu ly hôn đơn phương gồm đơn khởi kiện, giấy chứng nhận đăng ký kết hôn và giấy tờ tùy thân.
"""


def _knowledge_base(data_dir) -> KnowledgeBase:
    settings = Settings(data_dir=data_dir, embedding_provider="none", _env_file=None)
    build_index(settings, progress=False)
    return KnowledgeBase.open(settings)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("scope-data")


@pytest.fixture(scope="module")
def kb(data_dir) -> KnowledgeBase:
    return _knowledge_base(data_dir)


def test_a_subject_no_document_governs_is_refused_with_what_it_is_about(kb):
    answer = kb.answer(DIVORCE)
    assert not answer.answered and answer.reason == "out_of_scope" and answer.citations == []
    assert "về hôn nhân và gia đình" in answer.text  # what it is about
    assert "Luật Hôn nhân và gia đình" in answer.text  # which law governs it
    assert "chưa có văn bản đó" in answer.text  # that the bot does not hold it
    assert "Bộ luật Lao động 2019" in answer.text  # what it does hold
    assert "gửi câu hỏi để cán bộ LĐLĐ tỉnh" in answer.text  # the offer to send it to staff


@pytest.mark.parametrize("question, about", [
    ("thuế thu nhập cá nhân tính trên lương thế nào", "thuế"),  # wages named, tax asked
    ("rút bảo hiểm xã hội một lần được không", "bảo hiểm xã hội, lương hưu"),
    ("đảng viên sinh hoạt chi bộ mấy lần một tháng", "tổ chức và sinh hoạt đảng"),
])
def test_the_most_specific_subject_named_is_what_the_question_is_about(kb, question, about):
    answer = kb.answer(question)
    assert not answer.answered and f"Câu hỏi của bạn là về {about}." in answer.text


@pytest.mark.parametrize("question, about", [
    # the question ends on what it asks: wages are the setting, tax the subject
    ("Tiền tăng ca của bọn em có bị tính thuế thu nhập cá nhân không?", "thuế"),
    # typed without marks, the longer words are read folded
    ("di xe may vuot den do thi bi phat bao nhieu tien", "giao thông đường bộ"),
    # ... and the area words are known to the accent restorer («tiêm chủng», not «tiềm chứng»)
    ("lich tiem chung cho con 9 thang, tiem o dau", "y tế dự phòng và tiêm chủng"),
    # a bank's shares are one matter, not wages paid through a bank
    ("nên mua cổ phiếu ngân hàng nào bây giờ", "tài chính, ngân hàng và đầu tư"),
    # the fines decree punishes false claims for the benefit; it does not say how much it is
    ("Trợ cấp thất nghiệp hằng tháng được bao nhiêu, nộp hồ sơ ở đâu?",
     "bảo hiểm thất nghiệp và việc làm"),
])
def test_a_question_is_about_the_subject_it_asks_last(kb, question, about):
    answer = kb.answer(question)
    assert not answer.answered and f"Câu hỏi của bạn là về {about}." in answer.text


def test_the_fines_decree_answers_what_it_fines(kb):
    answer = kb.answer("Khai gian hồ sơ để hưởng trợ cấp thất nghiệp thì bị phạt bao nhiêu?")
    assert answer.answered and answer.citations[0].doc_id == "nd-12-2022"


def test_a_question_that_is_not_a_legal_matter_is_told_so(kb):
    answer = kb.answer("lịch thi đấu bóng đá tối nay")
    assert not answer.answered and answer.reason == "out_of_scope"
    assert "không phải nội dung của các văn bản pháp luật" in answer.text


@pytest.mark.parametrize("question", [
    "nghỉ kết hôn được mấy ngày có lương",  # marriage named, but the Labour Code governs the leave
    "cty ko tra luong thang nay thi ae lam the nao",
    "lương bị trừ vì đi muộn có đúng luật không",
    # another area named in passing in a labour story
    "Trên đường đi làm về tôi bị xe máy tông, có được tính tai nạn lao động không",
    "Công ty tổ chức du lịch hằng năm bằng tiền công đoàn được không",
    # «có phiếu lương», not «cổ phiếu»: an area word does not override the texts' usual spelling
    "cty tra luong vao tk ma ko co phieu luong gi het thi co dung ko",
])
def test_a_labour_question_that_names_a_neighbouring_area_is_still_answered(kb, question):
    assert kb.answer(question).answered


def test_a_subject_is_answered_once_staff_ingest_a_document_that_governs_it(data_dir, kb, tmp_path):
    assert not kb.answer(DIVORCE).answered
    source = tmp_path / "luat-hon-nhan.txt"
    source.write_text(MARRIAGE_LAW, encoding="utf-8")
    ingest_file(source, doc_id="luat-hngd-2014", title="Luật Hôn nhân và gia đình",
                short_title="Luật Hôn nhân và gia đình 2014", number="52/2014/QH13",
                user_corpus_dir=data_dir / "corpus")

    answer = _knowledge_base(data_dir).answer(DIVORCE)

    assert answer.answered
    first = answer.citations[0]
    assert first.doc_id == "luat-hngd-2014" and first.article_ref == "luat-hngd-2014:d56"
    assert "ly hôn đơn phương" in first.quote


def test_a_subject_mentioned_in_passing_is_not_governed():
    subjects = SubjectIndex(Library.load())
    # Điều 30 suspends a contract while the worker is held in criminal custody: it names
    # criminal law once, it does not govern it.
    assert "hình sự" in subjects.bodies["blld-2019:d30"]
    assert not subjects.governs("blld-2019:d30", "hình sự")
    # Điều 115 governs leave for one's wedding (its everyday phrasings say «kết hôn»).
    assert subjects.governs("blld-2019:d115", "kết hôn")
    assert subjects.governed("thai sản") and not subjects.governed("ly hôn")


def test_an_area_may_name_only_its_setting(tmp_path):
    areas = tmp_path / "law_areas.yaml"
    areas.write_text("- area: xử phạt\n  law: Nghị định\n  terms: []\n  context: [mức phạt]\n"
                     "- area: rỗng\n  law: Luật\n  terms: []\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"law_areas.yaml:7: .*ít nhất một từ"):
        load_areas(areas)
    areas.write_text("- area: xử phạt\n  law: Nghị định\n  terms: []\n  context: [mức phạt]\n",
                     encoding="utf-8")
    (area,) = load_areas(areas)
    assert area.terms == ("mức phạt",) and area.context == ("mức phạt",)


def test_a_malformed_area_file_is_reported_with_its_file_and_line(tmp_path):
    areas = tmp_path / "law_areas.yaml"
    areas.write_text("- area: thuế\n  law: Luật Thuế\n  terms: [thuế]\n- area: đất đai\n  law: Luật Đất đai\n",
                     encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"law_areas.yaml:4: .*area, law, terms"):
        load_areas(areas)
