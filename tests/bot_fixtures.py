"""Helpers for the bot tests: a knowledge-base double that only the pure routing tests use
(end-to-end tests use the real knowledge base), citations, events, row counts. The fixtures
built on them (``bot_db``, ``fake_kb``, ``fake_core``, ``real_kb``, ``real_core``) are in
``conftest.py``."""

from __future__ import annotations

from sqlalchemy import func, select

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


def count(db: Database, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def event(text: str = "", *, user: str = "u1", kind: str = "text", payload: str = "",
          update_id: str | None = None, channel: str = "console") -> InboundEvent:
    return InboundEvent(channel=channel, external_id=user, chat_id=user, kind=kind, text=text,
                        payload=payload, display_name="Chị Lan", update_id=update_id)
