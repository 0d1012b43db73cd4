"""Learning from staff: answering a queued question on the web page, staff link it to an
article; its wording becomes a phrasing of that article, the index is brought up to date in the
background, and the page shows what the assistant now answers it with."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from staff_web_helpers import build, csrf_of, log_in

from kernel.settings import Settings
from knowledge import staff_phrasings
from knowledge.lexicon import vocabulary
from knowledge.service import KnowledgeBase, build_index
from storage.models import StaffQueueItem
from webapp.staff import router
from webapp.staff.web import StaffDeps

QUESTION = "Công đoàn cơ sở có được thu phí của người lao động không?"
TARGET = "blld-2019:d17"


@pytest.fixture
def site(tmp_path, sqlite_db):
    """The staff page over a real (lexical) knowledge base in its own data folder."""
    world = build(tmp_path, sqlite_db)
    settings = Settings(data_dir=tmp_path / "kb", embedding_provider="none", _env_file=None)
    vocabulary.cache_clear()
    build_index(settings, progress=False)
    kb = KnowledgeBase.open(settings)
    deps = StaffDeps(db=world.db, desk=world.desk, outbox=world.outbox, kb=kb, secret="test-secret")
    app = FastAPI()
    app.include_router(router(settings, deps))
    with TestClient(app) as client:
        assert log_in(client).status_code == 303
        yield world, settings, kb, client
    vocabulary.cache_clear()


def _item(world) -> int:
    with world.db.session() as session:
        return session.scalars(select(StaffQueueItem)).one().id


def test_a_linked_question_is_answered_with_its_article_after_the_background_build(site):
    world, settings, kb, staff = site
    assert kb.answer(QUESTION).citations[:1] == [] or kb.answer(QUESTION).citations[0].article_ref != TARGET
    page = staff.get("/staff/questions")
    done = staff.post(f"/staff/questions/{_item(world)}/answer", follow_redirects=False,
                      data={"csrf": csrf_of(page.text), "text": "Không được thu.", "refs": "Điều 17 BLLĐ"})
    assert done.status_code == 303 and "answer-linked" in done.headers["location"]
    assert staff_phrasings.entries(staff_phrasings.staff_file(settings.data_dir)) == [(TARGET, QUESTION)]
    for _ in range(200):  # the build runs in a background thread; the page reports its state
        if kb.answer(QUESTION).citations[:1] and kb.answer(QUESTION).citations[0].article_ref == TARGET:
            break
        time.sleep(0.1)
    assert kb.answer(QUESTION).citations[0].article_ref == TARGET
    shown = staff.get("/staff/questions").text
    assert "Cách hỏi cán bộ đã gắn với điều luật" in shown and "Điều 17 Bộ luật Lao động 2019 ✓" in shown
    assert any("Không được thu." in t for t in world.outbox.texts_to(world.question_chat))


@pytest.mark.parametrize("refs, said", [("Điều 999 BLLĐ", "Không tìm thấy điều luật"),
                                        ("Điều 250 Bộ luật Lao động", "Không tìm thấy điều luật")])
def test_a_link_to_an_article_that_does_not_exist_is_refused_before_anything_is_sent(site, refs, said):
    world, settings, _, staff = site
    page = staff.get("/staff/questions")
    refused = staff.post(f"/staff/questions/{_item(world)}/answer",
                         data={"csrf": csrf_of(page.text), "text": "Không được thu.", "refs": refs})
    assert refused.status_code == 400 and said in refused.text
    assert world.outbox.texts_to(world.question_chat) == []
    assert not staff_phrasings.staff_file(settings.data_dir).exists()
    with world.db.session() as session:
        assert session.get(StaffQueueItem, _item(world)).status == "open"


def test_a_link_to_a_repealed_document_is_refused(site):
    _, _, kb, _ = site
    document = kb.library.documents["nd-145-2020"]
    kb.library.documents["nd-145-2020"] = type(document)(**{**document.__dict__, "status": "superseded"})
    try:
        with pytest.raises(staff_phrasings.PhrasingRefused, match="hết hiệu lực"):
            staff_phrasings.resolve("Điều 3 Nghị định 145", kb.library)
    finally:
        kb.library.documents["nd-145-2020"] = document


def test_another_worker_answers_with_a_new_phrasing_without_a_restart(tmp_path, monkeypatch):
    # Two workers over one data folder: the web page's worker links the question and rebuilds;
    # the other notices the new build at its next look and reloads.
    from knowledge import service

    settings = Settings(data_dir=tmp_path / "kb", embedding_provider="none", _env_file=None)
    vocabulary.cache_clear()
    build_index(settings, progress=False)
    web_worker, other_worker = KnowledgeBase.open(settings), KnowledgeBase.open(settings)
    first = other_worker.answer(QUESTION).citations
    assert not first or first[0].article_ref != TARGET
    staff_phrasings.add(staff_phrasings.staff_file(settings.data_dir), [TARGET], QUESTION)
    time.sleep(0.01)  # a later build time than the one the workers loaded, whatever the clock's grain
    vocabulary.cache_clear()  # as the web page's rebuild does
    build_index(settings, progress=False)
    web_worker.reload(settings)
    assert web_worker.answer(QUESTION).citations[0].article_ref == TARGET
    monkeypatch.setattr(service, "FOLLOW_SECONDS", 0.0)  # the next look is due
    assert other_worker.answer(QUESTION).citations[0].article_ref == TARGET
    vocabulary.cache_clear()
