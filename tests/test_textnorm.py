from knowledge.library import Library
from knowledge.retriever import _restorer
from knowledge.textnorm import AccentRestorer, bm25_tokens, fold, folded_syllables, nfc


def test_it_folds_diacritics_and_d_with_stroke():
    assert fold("Điều 36 BLLĐ") == "dieu 36 blld"
    assert fold("Thỏa ước lao động tập thể") == "thoa uoc lao dong tap the"


def test_it_folds_decomposed_input_like_composed_input():
    decomposed = "ngu\u031bo\u031b\u0300i lao \u0111o\u0323\u0302ng"
    assert fold(decomposed) == fold(nfc(decomposed)) == "nguoi lao dong"


def test_it_splits_syllables_and_adds_folded_pairs():
    assert folded_syllables("Hợp đồng, lao-động!") == ["hop", "dong", "lao", "dong"]
    assert bm25_tokens("Hợp đồng lao động") == [
        "hop", "dong", "lao", "dong", "hop_dong", "dong_lao", "lao_dong"]


def test_it_prefers_the_longest_run_seen_in_the_corpus():
    restorer = AccentRestorer.learn(["nghị định"] * 3 + ["nghỉ hằng năm", "nghỉ phép năm"] * 2)
    assert restorer.restore("nghi phep nam") == "nghỉ phép năm"
    assert restorer.restore("nghi dinh") == "nghị định"


def test_it_keeps_syllables_the_user_typed_with_marks():
    restorer = AccentRestorer.learn(["nghị định"] * 3 + ["nghỉ phép"] * 2)
    assert restorer.restore("nghỉ phep va nghi dinh") == "nghỉ phép va nghị định"


def test_it_leaves_a_query_typed_with_marks_as_it_is():
    restorer = AccentRestorer.learn(["bảo hiểm", "bảo hiểm"])
    assert restorer.restore("phạt bao nhiêu") == "phạt bao nhiêu"


def test_it_restores_accents_of_a_query_typed_without_them():
    restorer = _restorer(Library.load())
    assert restorer.restore("nghi phep nam duoc may ngay") == "nghỉ phép năm được mấy ngày"
    assert restorer.restore("sa thai chu tich cong doan") == "sa thải chủ tịch công đoàn"


def test_it_leaves_unknown_words_alone():
    restorer = AccentRestorer.learn(["công đoàn"] * 2)
    assert restorer.restore("cong doan xyzzy") == "công đoàn xyzzy"
