"""Fixtures for the bot tests: a real SQLite file database, and a knowledge-base double that
only the pure routing tests use (end-to-end tests use the real knowledge base)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.core import DialogCore
from bot.messages import InboundEvent
from knowledge.answer import Answer, Citation
from storage.db import Database

NOT_FOUND_MARK = "ngoài phạm vi"


def citation(article: int, clause: int | None = None) -> Citation:
    article_ref = f"blld-2019:d{article}"
    ref = f"{article_ref}:k{clause}" if clause else article_ref
    where = f"khoản {clause} Điều {article}" if clause else f"Điều {article}"
    return Citation(ref=ref, doc_id="blld-2019", title="Bộ luật Lao động 2019",
                    label=f"{where} Bộ luật Lao động 2019", quote=f"Nội dung {where}.",
                    article_ref=article_ref)


class FakeKnowledge:
    """Answers everything from Điều 36 (related: 37, 38) unless the question says it is
    out of scope; records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def answer(self, question: str) -> Answer:
        self.asked.append(question)
        if NOT_FOUND_MARK in question:
            return Answer(question, False, "Tôi không tìm thấy nội dung này trong các văn bản tôi có.",
                          reason="low_confidence")
        return Answer(question, True, f"Theo khoản 2 Điều 36 <BLLĐ> & luật: {question}",
                      citations=[citation(36, 2)], related=[citation(37), citation(38), citation(39)],
                      confidence=0.9)

    def article(self, ref: str) -> Answer | None:
        if not ref.startswith("blld-2019:d"):
            return None
        return Answer(ref, True, f"Toàn văn {ref}", citations=[citation(int(ref.split(':d')[1]))])


@pytest.fixture(scope="session")
def bot_db_template(tmp_path_factory) -> Path:
    """One migrated database file; each test gets a copy (migrating each time is the slow part)."""
    path = tmp_path_factory.mktemp("bot-db") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def bot_db(tmp_path, bot_db_template) -> Iterator[Database]:
    shutil.copyfile(bot_db_template, tmp_path / "t.sqlite3")
    db = Database(f"sqlite:///{tmp_path}/t.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def fake_kb() -> FakeKnowledge:
    return FakeKnowledge()


@pytest.fixture
def fake_core(bot_db, fake_kb) -> DialogCore:
    return DialogCore(bot_db, fake_kb)


def count(db: Database, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def event(text: str = "", *, user: str = "u1", kind: str = "text", payload: str = "",
          update_id: str | None = None, channel: str = "console") -> InboundEvent:
    return InboundEvent(channel=channel, external_id=user, chat_id=user, kind=kind, text=text,
                        payload=payload, display_name="Chị Lan", update_id=update_id)


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory):
    """The real knowledge base over a small library, lexical only (builds in well under a second)."""
    from conftest_knowledge import small_library

    from knowledge.index import KnowledgeIndex
    from knowledge.service import KnowledgeBase

    folder = tmp_path_factory.mktemp("bot-index")
    library = small_library()
    KnowledgeIndex(folder, provider_kind="none").build(library)
    return KnowledgeBase.from_index(library, KnowledgeIndex.load(folder, provider_kind="none"))


@pytest.fixture
def real_core(bot_db, real_kb) -> DialogCore:
    return DialogCore(bot_db, real_kb)
