"""The composer quotes only verbatim source text and cites it precisely."""

from __future__ import annotations

import pytest

from knowledge.answer import Hit
from knowledge.composer import MAX_QUOTE_CHARS, Composer, Retrieved
from knowledge.library import Library


@pytest.fixture(scope="module")
def composer() -> Composer:
    return Composer(Library.load())


def _retrieved(*hits: Hit) -> Retrieved:
    return Retrieved(hits=list(hits), answerable=True, confidence=0.8)


def test_it_quotes_the_matching_point_verbatim_with_its_full_citation(composer):
    answer = composer.compose("cong ty doa duoi viec toi vi lam cong doan", _retrieved(
        Hit("blld-2019:d175", 0.9, ("blld-2019:d175:k1:b",)), Hit("luat-cd-2024:d10", 0.6)))
    first = answer.citations[0]
    assert answer.answered
    assert first.ref == "blld-2019:d175:k1:b"
    assert first.label == "điểm b khoản 1 Điều 175 Bộ luật Lao động 2019"
    assert first.quote == composer.library.get("blld-2019:d175:k1:b").text
    assert first.quote in answer.text
    assert "số 45/2019/QH14" in answer.text and "đang có hiệu lực" in answer.text


def test_it_shows_the_lead_in_of_the_clause_a_quoted_point_belongs_to(composer):
    answer = composer.compose("q", _retrieved(Hit("blld-2019:d175", 0.9, ("blld-2019:d175:k1:b",))))
    assert "1. Phân biệt đối xử đối với người lao động" in answer.text


def test_it_lists_at_most_two_related_provisions(composer):
    hits = [Hit(f"blld-2019:d{n}", 1 / n) for n in (175, 176, 177, 178, 179)]
    answer = composer.compose("q", _retrieved(*hits))
    assert [c.article_ref for c in answer.related] == ["blld-2019:d176", "blld-2019:d177"]
    assert answer.text.count("• ") == 2


def test_it_does_not_quote_a_point_again_when_its_clause_is_quoted(composer):
    answer = composer.compose("q", _retrieved(
        Hit("blld-2019:d175", 0.9, ("blld-2019:d175:k1", "blld-2019:d175:k1:b", "blld-2019:d175:k2"))))
    assert [c.ref for c in answer.citations] == ["blld-2019:d175:k1", "blld-2019:d175:k2"]


def test_it_cuts_a_very_long_quote_at_a_line_and_points_to_the_whole_article(composer):
    answer = composer.compose("q", _retrieved(Hit("nd-12-2022:d42", 0.9)))
    assert len(composer.library.get("nd-12-2022:d42").text) > MAX_QUOTE_CHARS
    assert "Đọc toàn văn" in answer.text
    assert len(answer.text) < MAX_QUOTE_CHARS + 1000


def test_it_says_honestly_when_nothing_answers_the_question(composer):
    answer = composer.compose("giá vàng hôm nay", Retrieved(hits=[], answerable=False))
    assert not answer.answered and answer.citations == []
    assert "chưa tìm thấy" in answer.text and "Bộ luật Lao động 2019" in answer.text


def test_it_answers_a_direct_lookup_with_the_requested_clause(composer):
    answer = composer.compose("khoản 2 điều 177 bộ luật lao động", _retrieved(
        Hit("blld-2019:d177", 1.0, ("blld-2019:d177:k2",), via="lookup")))
    assert answer.text.startswith("Nội dung khoản 2 Điều 177 Bộ luật Lao động 2019:")
    assert answer.citations[0].ref == "blld-2019:d177:k2"


def test_it_gives_the_whole_article_for_the_read_more_button(composer):
    article = composer.article("blld-2019:d36:k1:e")
    assert article.text.startswith("Điều 36. Quyền đơn phương chấm dứt hợp đồng lao động")
    assert composer.library.get("blld-2019:d36").text in article.text
    assert composer.article("blld-2019:d999") is None


def test_it_uses_a_written_lead_when_one_is_configured_and_falls_back_when_it_fails(composer):
    hit = Hit("blld-2019:d175", 0.9, ("blld-2019:d175:k1:b",))
    written = Composer(composer.library, lead_writer=lambda q, quotes: "Công ty không được sa thải vì lý do công đoàn.")
    assert written.compose("q", _retrieved(hit)).text.startswith("Công ty không được sa thải")
    failing = Composer(composer.library, lead_writer=lambda q, quotes: None)
    assert failing.compose("q", _retrieved(hit)).text.startswith("Vấn đề bạn hỏi được quy định tại Điều 175")
