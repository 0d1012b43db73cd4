"""The optional LLM lead line, against a fake OpenAI-compatible (and Ollama) server on localhost."""

from __future__ import annotations

import logging
import time

import pytest

from kernel.settings import Settings
from knowledge.lead import LeadWriter, clean_lead

QUOTES = [
    ("khoản 1 Điều 113 Bộ luật Lao động 2019",
     "1. Người lao động có đủ 12 tháng làm việc cho một người sử dụng lao động thì được nghỉ "
     "hằng năm, hưởng nguyên lương theo hợp đồng lao động như sau:"),
    ("điểm a khoản 1 Điều 113 Bộ luật Lao động 2019",
     "a) 12 ngày làm việc đối với người làm công việc trong điều kiện bình thường;"),
]
QUESTION = "nghỉ phép năm được mấy ngày"
LEAD = "Người lao động làm việc đủ 12 tháng trong điều kiện bình thường được nghỉ hằng năm 12 ngày làm việc."


@pytest.fixture
def fake_llm(fake_llm):
    """The shared fake LLM (conftest.py), answering with the lead by default."""
    fake_llm.content = LEAD
    return fake_llm


def _settings(**values) -> Settings:
    defaults = dict(llm_base_url=None, ollama_url=None, llm_api_key=None, llm_model="test-model",
                    llm_timeout_seconds=2.0)
    return Settings(_env_file=None, **(defaults | values))


@pytest.fixture
def openai_writer(fake_llm) -> LeadWriter:
    pytest.importorskip("langchain_openai", reason="langchain-openai (the 'llm'/'test' extra) missing")
    writer = LeadWriter.from_settings(_settings(llm_base_url=f"{fake_llm.url}/v1", llm_api_key="sk-test"))
    assert writer is not None
    return writer


def test_nothing_configured_means_no_writer():
    assert LeadWriter.from_settings(_settings()) is None


def test_lead_is_grounded_in_the_quotes_sent(fake_llm, openai_writer, caplog):
    assert openai_writer.write(QUESTION, QUOTES) == LEAD
    assert openai_writer(QUESTION, QUOTES) == LEAD  # the composer calls it as a function

    [request, _] = fake_llm.requests
    body = request["body"]
    assert body["model"] == "test-model" and body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system" and "nguồn duy nhất" in system["content"]
    for label, text in QUOTES:
        assert label in user["content"] and text in user["content"]
    assert QUESTION in user["content"]


def test_timeout_gives_none_quickly_and_logs_without_the_question(fake_llm, caplog):
    pytest.importorskip("langchain_openai")
    fake_llm.delay = 3.0
    writer = LeadWriter.from_settings(_settings(llm_base_url=f"{fake_llm.url}/v1",
                                                llm_timeout_seconds=0.5))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="knowledge.lead"):
        assert writer.write(QUESTION, QUOTES) is None
    assert time.monotonic() - started < 2.0  # no retries, no waiting for the slow server
    assert len(fake_llm.requests) == 1
    assert "LLM lead failed" in caplog.text and QUESTION not in caplog.text


def test_server_error_gives_none(fake_llm, openai_writer, caplog):
    fake_llm.status = 500
    with caplog.at_level(logging.WARNING, logger="knowledge.lead"):
        assert openai_writer.write(QUESTION, QUOTES) is None
    assert len(fake_llm.requests) == 1  # max_retries=0
    assert QUESTION not in caplog.text


def test_unreachable_server_gives_none():
    pytest.importorskip("langchain_openai")
    writer = LeadWriter.from_settings(_settings(llm_base_url="http://127.0.0.1:9/v1"))
    assert writer.write(QUESTION, QUOTES) is None


@pytest.mark.parametrize("content", ["", "   \n", "KHÔNG_ĐỦ", "Không đủ: KHÔNG_ĐỦ",
                                     "Người lao động được nghỉ 14 ngày làm việc mỗi năm.",
                                     "x" * 500])
def test_empty_refused_or_ungrounded_output_gives_none(fake_llm, openai_writer, content):
    fake_llm.content = content
    assert openai_writer.write(QUESTION, QUOTES) is None


def test_no_quotes_means_no_call(fake_llm, openai_writer):
    assert openai_writer.write(QUESTION, []) is None
    assert fake_llm.requests == []


def test_clean_lead_keeps_the_first_line_without_decoration():
    raw = f'"{LEAD}"\nCăn cứ: điểm a khoản 1 Điều 113.'
    assert clean_lead(raw, QUOTES, QUESTION) == LEAD
    assert clean_lead("Theo Điều 113, được nghỉ 12 ngày.", QUOTES, QUESTION) is not None


def test_ollama_endpoint(fake_llm):
    pytest.importorskip("langchain_ollama", reason="langchain-ollama (the 'llm' extra) missing")
    writer = LeadWriter.from_settings(_settings(ollama_url=fake_llm.url))
    assert writer.write(QUESTION, QUOTES) == LEAD
    [request] = fake_llm.requests
    assert request["path"] == "/api/chat"
    assert QUOTES[1][1] in request["body"]["messages"][1]["content"]


def test_openai_endpoint_wins_over_ollama(fake_llm, openai_writer):
    pytest.importorskip("langchain_ollama")
    writer = LeadWriter.from_settings(_settings(llm_base_url=f"{fake_llm.url}/v1",
                                                ollama_url="http://127.0.0.1:9"))
    assert writer.write(QUESTION, QUOTES) == LEAD
    assert fake_llm.requests[-1]["path"] == "/v1/chat/completions"
