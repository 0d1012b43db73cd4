"""Questions the knowledge base could not answer: the queue with counts, a staff answer sent
back to the asker on their channel, and saving it as a standard answer."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Form, Request
from sqlalchemy import func, select, update

from bot.messages import Notice, Reply
from knowledge import staff_phrasings as phrasings
from knowledge.textnorm import fold
from storage.models import (
    ChannelAccount,
    Question,
    StaffQueueItem,
    StandardAnswer,
    utcnow,
)
from webapp.staff.web import Wiring, back, check_csrf, flash, page, url_id

TO_ASKER = "💬 Cán bộ LĐLĐ tỉnh trả lời câu hỏi của bạn:\n«{question}»\n\n{answer}"
STATUS_NAMES = {"open": "chờ trả lời", "answered": "đã trả lời"}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    @router.get("/questions")
    def queue(request: Request, show: str = "open", msg: str = ""):
        current = wiring.staff(request)
        with wiring.db(request).session() as session:
            items = _items(session, show if show in STATUS_NAMES else "open")
            counts = dict(session.execute(select(StaffQueueItem.status, func.count())
                                          .group_by(StaffQueueItem.status)).all())
            unanswered = session.scalar(select(func.count()).select_from(Question)
                                        .where(Question.answered.is_(False))) or 0
            standards = list(session.scalars(select(StandardAnswer).order_by(StandardAnswer.id.desc()).limit(50)))
        return page(request, "questions.html", current, items=items, counts=counts, show=show,
                    unanswered=unanswered, standards=standards, names=STATUS_NAMES, msg=flash(msg),
                    taught=_taught(wiring, request))

    @router.post("/questions/{item_id}/answer")
    async def answer(request: Request, item_id: str, csrf: str = Form(""), text: str = Form(""),
                     standard: str = Form(""), refs: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        text = text.strip()[:3500]
        if not text:
            return back("/staff/questions", "answer-empty")
        number = url_id(item_id)
        linked: list[str] = []
        if refs.strip():  # checked before anything is sent: a wrong article is said on the page
            try:
                linked = phrasings.resolve(refs[:500], getattr(wiring.kb(request), "library", None))
            except phrasings.PhrasingRefused as refused:
                return page(request, "error.html", current, http_status=400, message=str(refused))
        with wiring.db(request).session() as session:
            claimed = _claim(session, number, text) if number is not None else None
            if claimed is None:
                return back("/staff/questions", "already-answered")
            question, account = claimed
            if standard:
                session.add(StandardAnswer(question_text=question.text, answer_text=text,
                                           source_question_id=question.id,
                                           author_person_id=current.who.person_id))
        answer = Reply(TO_ASKER.format(question=question.text[:300], answer=text))
        sent = account is not None and await wiring.deliver(
            request, [Notice(account[0], account[1], (answer,))])
        if linked:
            try:
                phrasings.add(phrasings.staff_file(wiring.settings.data_dir), linked, question.text)
            except phrasings.PhrasingRefused as refused:
                return page(request, "error.html", current, http_status=400, message=str(refused))
            wiring.deps.extra.setdefault("kb", wiring.kb(request))  # reloaded after the build
            reindexer = wiring.deps.extra.get("reindexer")
            if reindexer is not None:
                reindexer.start("staff-phrasing")
            return back("/staff/questions", "answer-linked")
        return back("/staff/questions", ("answer-sent" if sent else "answer-kept") + ("-saved" if standard else ""))

    return router


def _items(session, status: str) -> list[dict]:
    rows = session.execute(select(StaffQueueItem, Question).join(Question, Question.id == StaffQueueItem.question_id)
                           .where(StaffQueueItem.status == status)
                           .order_by(StaffQueueItem.created_at.desc()).limit(200)).all()
    # How often the same words were asked without an answer: the most asked are worth a standard answer.
    asked = Counter(fold(text).strip() for text in session.scalars(
        select(Question.text).where(Question.answered.is_(False)).order_by(Question.id.desc()).limit(5000)))
    items = [{"id": item.id, "question": question.text, "asked_at": question.created_at,
              "times": asked.get(fold(question.text).strip(), 1), "answer": item.answer_text,
              "answered_at": item.answered_at} for item, question in rows]
    return sorted(items, key=lambda item: -item["times"])


def _claim(session, item_id: int, text: str):
    """Mark the item answered unless someone else just did (a conditional UPDATE)."""
    done = session.execute(update(StaffQueueItem).where(
        StaffQueueItem.id == item_id, StaffQueueItem.status == "open")
        .values(status="answered", answer_text=text, answered_at=utcnow())).rowcount
    if done != 1:
        return None
    item = session.get(StaffQueueItem, item_id)
    question = session.get(Question, item.question_id)
    account = session.get(ChannelAccount, question.account_id) if question.account_id else None
    reachable = account is not None and account.blocked_at is None
    return question, (account.channel, account.chat_id) if reachable else None


def _taught(wiring: Wiring, request) -> list[dict]:
    """The latest phrasings staff linked, and what the assistant answers them with now: the
    effect of the link, once the index has been brought up to date."""
    kb = wiring.kb(request)
    shown = []
    for ref, text in phrasings.entries(phrasings.staff_file(wiring.settings.data_dir))[-10:][::-1]:
        answer = kb.answer(text)
        first = answer.citations[0] if answer.answered and answer.citations else None
        shown.append({"ref": ref, "text": text, "now": first.label if first else "",
                      "right": first is not None and first.article_ref == ref})
    return shown
