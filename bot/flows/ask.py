"""Ask: a question in, the knowledge base's cited answer out, with follow-up buttons.

Payloads carry the question id, so a button stays valid under its own answer (feedback on an
earlier answer is still welcome) but only for the person who asked:
``fb:<qid>:1|0`` feedback, ``art:<qid>:<article ref>`` whole article, ``q:<qid>`` to staff.
"""

from __future__ import annotations

import re
import unicodedata

from bot import texts
from bot.flows import handbook
from bot.flows.common import button, expired, own_question, say, shorten
from bot.flows.report import offer
from bot.messages import Button, Outcome, Reply, State
from bot.turn import Turn
from kernel.calendar import TZ, ddmmyyyy
from knowledge.answer import Answer, Citation
from knowledge.citation import unit_label
from knowledge.textnorm import fold

# Longer than this is a pasted document, not a question; the user is asked to shorten it
# rather than answered from a part they may not have meant (the knowledge base would search
# only the first 1,000 characters).
MAX_QUESTION_CHARS = 1000
MAX_RELATED_BUTTONS = 2
# Unanswered for a reason staff cannot help with: nothing asked, or "Điều 999" that no law has.
_NOTHING_FOR_STAFF = ("empty", "too_long", "lookup_missing")

# Words that mark an English question and are not Vietnamese syllables typed without marks
# ("the", "to", "can", "my" are left out: "thế", "tổ", "cán", "Mỹ").
_ENGLISH = frozenset(
    "what which where when why how is are was were does did will would should could please "
    "hello about with from for and employer employee worker workers union law labor labour "
    "company contract salary wage dismissal fired rights your their our".split()
)


def command(turn: Turn, argument: str) -> Outcome:
    """/hoi <question>, or /hoi alone: then the next text is the question."""
    if not argument.strip():
        return Outcome([Reply(texts.ASK_PROMPT)], State(flow="ask", step="question"))
    return question(turn, argument)


def question(turn: Turn, text: str) -> Outcome:
    problem = input_problem(text) or small_talk(text)
    if problem:
        return say(problem)
    answer = turn.kb.answer(text.strip())
    question_id = turn.store.add_question(account_id=turn.account.id, answer=answer)
    # Beside the law (after it), never in place of it: the staff's own answer to a close question.
    staff = turn.services.standards.match(text) if turn.services.standards is not None else None
    shown = answer.text + (texts.STAFF_ANSWER.format(
        date=ddmmyyyy(staff.created_at.astimezone(TZ).date()), answer=staff.text) if staff else "")
    # A question about dismissal or retaliation: offer to report it; a handbook chapter it matches.
    buttons = answer_buttons(question_id, answer) + offer(turn, text) + handbook.pointer(text)
    return Outcome([Reply(shown, buttons)], State())


def input_problem(text: str) -> str | None:
    """Why a text cannot be asked as it is, in words for the user; None when it can."""
    stripped = text.strip()
    if not stripped:
        return texts.EMPTY
    if len(stripped) > MAX_QUESTION_CHARS:
        return texts.TOO_LONG.format(length=texts.number(len(stripped)),
                                     limit=texts.number(MAX_QUESTION_CHARS))
    if not any(ch.isalpha() for ch in stripped):  # emoji, punctuation, a bare number
        return texts.NO_WORDS
    if looks_english(stripped):
        return texts.NOT_VIETNAMESE
    return None


def small_talk(text: str) -> str | None:
    """The reply to a greeting or a thanks; None for anything else."""
    folded = " ".join(fold(text).replace("!", " ").replace(".", " ").split())
    if folded in texts.GREETINGS:
        return texts.GREETING
    if folded in texts.THANKS_WORDS:
        return texts.THANKS
    return None


def looks_english(text: str) -> bool:
    if "đ" in text.lower() or any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text)):
        return False  # Vietnamese marks
    words = re.findall(r"[a-z']+", text.lower())
    return sum(word in _ENGLISH for word in words) >= 2


def answer_buttons(question_id: int, answer: Answer) -> tuple[tuple[Button, ...], ...]:
    if not answer.answered:
        if answer.reason in _NOTHING_FOR_STAFF:
            return ()
        # A doubtful refusal names the nearest article: one button reads it whole.
        reads = [_read_button(question_id, c, first=False) for c in answer.related[:1]]
        return ((Button(texts.TO_STAFF, f"q:{question_id}"),), *((r,) for r in reads if r))
    reads = [_read_button(question_id, c, first=i == 0)
             for i, c in enumerate(_article_choices(answer))]
    return (*((r,) for r in reads if r), feedback_row(question_id))


def _read_button(question_id: int, citation: Citation, first: bool) -> Button | None:
    """A button that opens the whole article, so it is named by the article, not the clause."""
    article = unit_label(citation.article_ref)
    label = (texts.READ_ARTICLE.format(article=article) if first else
             texts.READ_RELATED.format(label=shorten(f"{article} {citation.title}".strip())))
    return button(label, f"art:{question_id}:{citation.article_ref}")


def feedback_row(question_id: int) -> tuple[Button, ...]:
    return (Button(texts.USEFUL, f"fb:{question_id}:1"), Button(texts.NOT_RIGHT, f"fb:{question_id}:0"))


def _article_choices(answer: Answer) -> list[Citation]:
    """The first citation's article, then up to two related ones that are other articles."""
    chosen = answer.citations[:1]
    limit = len(chosen) + MAX_RELATED_BUTTONS
    for citation in answer.related:
        if len(chosen) >= limit:
            break
        if all(citation.article_ref != c.article_ref for c in chosen):
            chosen.append(citation)
    return chosen


def feedback(turn: Turn, argument: str) -> Outcome:
    raw_id, _, flag = argument.partition(":")
    asked = own_question(turn, raw_id)
    if asked is None or not asked.answered or flag not in ("0", "1"):
        return expired()
    turn.store.set_feedback(question_id=asked.id, account_id=turn.account.id, useful=flag == "1")
    if flag == "0":  # staff see it in their queue, answer the asker and may link the right article
        turn.store.queue_for_staff(asked.id)
    return say(texts.FEEDBACK_THANKS_USEFUL if flag == "1" else texts.FEEDBACK_THANKS_NOT_RIGHT)


def read_article(turn: Turn, argument: str) -> Outcome:
    raw_id, _, ref = argument.partition(":")
    if raw_id == handbook.ARTICLE_SOURCE and ref:  # from a handbook chapter: nobody's question
        found = turn.kb.article(ref)
        return Outcome([Reply(found.text)]) if found else say(texts.ARTICLE_MISSING)
    asked = own_question(turn, raw_id)
    if asked is None or not ref:
        return expired()
    article = turn.kb.article(ref)
    if article is None:
        return say(texts.ARTICLE_MISSING)
    # The feedback buttons come along: having read the article is when people judge the answer.
    # A refused question's nearest article has nothing to judge: the staff button stays above.
    rows = (feedback_row(asked.id),) if asked.answered else ()
    return Outcome([Reply(article.text, rows)])


def to_staff(turn: Turn, argument: str) -> Outcome:
    asked = own_question(turn, argument)
    if asked is None or asked.answered:
        return expired()
    queued = turn.store.queue_for_staff(asked.id)
    return say(texts.QUEUED if queued else texts.ALREADY_QUEUED)
