"""The vocabulary is data (knowledge/vocabulary/*.yaml), checked when loaded and against the
corpus: a mistake names its file and line, and `cdcs index` stops before building anything."""

from __future__ import annotations

import shutil

import pytest

from kernel.settings import Settings
from knowledge import lexicon
from knowledge.lexicon import VocabularyError, check_references, load
from knowledge.library import Library


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped vocabulary to spoil."""
    copy = tmp_path / "vocabulary"
    shutil.copytree(lexicon.VOCABULARY_DIR, copy)
    return copy


def test_the_shipped_vocabulary_loads_and_every_reference_names_an_article(library):
    vocab = load()
    check_references(vocab, library)
    assert vocab.abbreviations["cdcs"] == "công đoàn cơ sở"
    assert "blld-2019:d175" in vocab.article_situations and len(vocab.situation_rules) >= 18


def test_a_reference_to_an_article_that_does_not_exist_names_the_file_and_line(folder, library):
    path = folder / "situations" / "blld-2019.yaml"
    before = path.read_text("utf-8")
    path.write_text(before + "blld-2019:d999:\n- công ty bắt làm đêm\n", "utf-8")
    lines = before.count("\n") + 1
    with pytest.raises(VocabularyError) as raised:
        check_references(load(folder), library)
    assert str(raised.value).startswith(f"blld-2019.yaml:{lines}: ") and "blld-2019:d999" in str(raised.value)


def test_a_duplicated_key_is_refused_rather_than_silently_replaced(folder):
    path = folder / "abbreviations.yaml"
    text = path.read_text("utf-8")
    path.write_text(text + "cdcs: công đoàn cấp trên\n", "utf-8")
    with pytest.raises(VocabularyError) as raised:
        load(folder)
    assert f"abbreviations.yaml:{text.count(chr(10)) + 1}" in str(raised.value) and "cdcs" in str(raised.value)


def test_a_five_thousand_character_phrasing_is_refused(folder):
    path = folder / "situations" / "luat-cd-2024.yaml"
    path.write_text(path.read_text("utf-8") + "luat-cd-2024:d9999:\n- " + "đoàn viên " * 500 + "\n", "utf-8")
    with pytest.raises(VocabularyError, match=r"luat-cd-2024\.yaml:\d+: .*tối đa 1000"):
        load(folder)


def test_a_rule_that_is_not_a_regular_expression_is_refused(folder):
    path = folder / "situation_rules.yaml"
    path.write_text(path.read_text("utf-8") + "- name: hong\n  all:\n  - 'sa thai('\n  adds: sa thải\n", "utf-8")
    with pytest.raises(VocabularyError, match=r"situation_rules\.yaml:\d+: biểu thức"):
        load(folder)


def test_a_phrasing_pointing_at_a_repealed_document_is_refused(folder, library):
    old = library.documents["nd-145-2020"]
    repealed = Library(documents={**library.documents}, provisions=library.provisions)
    repealed.documents["nd-145-2020"] = type(old)(**{**old.__dict__, "status": "superseded"})
    with pytest.raises(VocabularyError, match="hết hiệu lực"):
        check_references(load(folder), repealed)


def test_cdcs_index_stops_with_one_line_naming_the_file_and_keeps_the_index(folder, tmp_path,
                                                                             monkeypatch, capsys):
    from cdcs import cli

    path = folder / "situations" / "kh-cdcs-2020.yaml"
    path.write_text(path.read_text("utf-8") + "kh-cdcs-2020:IX.9:\n- chủ tịch được gì\n", "utf-8")
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=tmp_path, embedding_provider="none"))
    monkeypatch.setattr(lexicon, "VOCABULARY_DIR", folder)
    lexicon.vocabulary.cache_clear()
    try:
        assert cli.main(["index", "--quiet"]) == 2
    finally:
        lexicon.vocabulary.cache_clear()
    error = capsys.readouterr().err
    assert error.startswith("Lỗi: kh-cdcs-2020.yaml:") and "Traceback" not in error
    assert not (tmp_path / "index").exists()  # nothing was built or replaced


def test_cdcs_index_stops_on_a_spoilt_doubt_model_naming_its_line(folder, tmp_path, monkeypatch,
                                                                  capsys):
    from cdcs import cli
    from knowledge import doubt

    path = folder / doubt.DOUBT_FILE
    path.write_text(path.read_text("utf-8").replace("threshold:", "threshold: 7 #", 1), "utf-8")
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=tmp_path, embedding_provider="none"))
    monkeypatch.setattr(doubt, "VOCABULARY_DIR", folder)
    assert cli.main(["index", "--quiet"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"Lỗi: {doubt.DOUBT_FILE}:") and "threshold" in error
    assert "Traceback" not in error
    assert not (tmp_path / "index").exists()  # nothing was built or replaced
