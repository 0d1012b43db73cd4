"""The ``cdcs`` command as operators and other tools use it (lexical index: builds in seconds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def _cdcs(data_dir, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATA_DIR=str(data_dir), EMBEDDING_PROVIDER="none")
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "cdcs.cli", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-data")
    built = _cdcs(folder, "index", "--quiet")
    assert built.returncode == 0, built.stderr
    return folder


def test_it_asks_without_an_index_and_says_how_to_build_it(tmp_path):
    result = _cdcs(tmp_path, "ask", "điều 36 blld")
    assert result.returncode == 2
    assert "cdcs index" in result.stderr and "Traceback" not in result.stderr


def test_it_rebuilds_nothing_when_the_index_is_current(data_dir):
    result = _cdcs(data_dir, "index", "--quiet")
    assert result.returncode == 0 and "0 added, 0 updated, 0 removed" in result.stdout


def test_it_prints_one_json_object_for_a_question(data_dir):
    result = _cdcs(data_dir, "ask", "Điều 36 BLLĐ", "--json")
    answer = json.loads(result.stdout)
    assert answer["answered"] is True
    assert answer["citations"][0]["ref"] == "blld-2019:d36"
    assert {"ref", "doc_id", "title", "quote"} <= set(answer["citations"][0])


def test_it_answers_a_batch_in_order_one_json_line_each(data_dir):
    questions = ["khoản 2 điều 177 bộ luật lao động", "giá vàng hôm nay", "dieu 10 luat cong doan"]
    result = _cdcs(data_dir, "ask", "--jsonl", stdin="\n".join(questions) + "\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == questions
    assert lines[0]["citations"][0]["ref"] == "blld-2019:d177:k2"
    assert lines[1]["answered"] is False
    assert lines[2]["citations"][0]["article_ref"] == "luat-cd-2024:d10"


def test_it_adds_a_staff_document_and_finds_it_afterwards(data_dir, tmp_path):
    charter = tmp_path / "dieu-le.txt"
    charter.write_text("Điều 1. Đoàn phí công đoàn\nĐoàn viên đóng đoàn phí công đoàn hằng tháng "
                       "bằng 1% tiền lương làm căn cứ đóng bảo hiểm xã hội.\n", encoding="utf-8")
    added = _cdcs(data_dir, "ingest", str(charter), "--doc-id", "dieu-le-thu", "--title", "Điều lệ (thử)")
    assert added.returncode == 0, added.stderr
    answer = json.loads(_cdcs(data_dir, "ask", "đoàn viên đóng đoàn phí hằng tháng bao nhiêu", "--json").stdout)
    assert answer["citations"][0]["ref"] == "dieu-le-thu:d1"


def test_a_running_knowledge_base_answers_from_a_document_added_after_it_opened(tmp_path):
    """The staff page's upload: the index is rebuilt, then the worker's knowledge base reloads
    in place (the dialog core keeps the same object) and answers from the new document."""
    from kernel.settings import Settings
    from knowledge.ingest import ingest_file
    from knowledge.service import KnowledgeBase, build_index

    settings = Settings(data_dir=tmp_path, embedding_provider="none")
    build_index(settings, progress=False)
    kb = KnowledgeBase.open(settings)
    question = "đoàn viên đóng đoàn phí hằng tháng bao nhiêu"
    assert not any(c.doc_id == "dieu-le-nap" for c in kb.answer(question).citations)
    charter = tmp_path / "dieu-le.txt"
    charter.write_text("Điều 1. Đoàn phí công đoàn\nĐoàn viên đóng đoàn phí công đoàn hằng tháng "
                       "bằng 1% tiền lương làm căn cứ đóng bảo hiểm xã hội.\n", encoding="utf-8")
    ingest_file(charter, doc_id="dieu-le-nap", title="Điều lệ (thử)", number="", status="in_force",
                user_corpus_dir=settings.user_corpus_dir)
    build_index(settings, progress=False)
    kb.reload(settings)
    assert kb.answer(question).citations[0].ref == "dieu-le-nap:d1"
