"""Splitting long answers under a channel's limit, and escaping for Telegram's HTML."""

from __future__ import annotations

import pytest

from bot.render import escape_html, html_length, split_text

ARTICLE = (
    "Điều 36. Quyền đơn phương chấm dứt hợp đồng lao động của người sử dụng lao động\n\n"
    + "\n".join(f"{i}. Người lao động thường xuyên không hoàn thành công việc theo hợp đồng. "
                f"Tiêu chí đánh giá do người sử dụng lao động ban hành; có ý kiến của tổ chức đại diện."
                for i in range(1, 80))
)


@pytest.mark.parametrize("limit", [60, 200, 1000, 4096])
def test_no_part_is_over_the_limit_and_no_word_is_cut(limit):
    parts = split_text(ARTICLE, limit)
    assert all(len(part) <= limit for part in parts)
    assert " ".join(parts).split() == ARTICLE.split()


def test_it_prefers_paragraph_then_line_boundaries():
    parts = split_text(ARTICLE, 4096)
    assert len(parts) > 1
    assert parts[0] == ARTICLE.split("\n\n")[0]  # the heading alone did not fit with the list
    assert all(part[0].isdigit() for part in parts[1:])  # each later part starts at a clause


def test_short_text_is_one_part():
    assert split_text("Điều 36 BLLĐ", 4096) == ["Điều 36 BLLĐ"]


def test_a_word_longer_than_the_limit_is_cut_as_a_last_resort():
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_it_measures_the_escaped_length_when_asked():
    text = "<&> " * 2000
    parts = split_text(text, 4096, html_length)
    assert all(len(escape_html(part)) <= 4096 for part in parts)


def test_it_escapes_html_special_characters():
    assert escape_html('a < b & "c" > d') == 'a &lt; b &amp; "c" &gt; d'
