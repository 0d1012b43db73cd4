"""Training sessions in the bot: the invitation's «Tham gia» / «Không tham gia», attendance
confirmed with the session's code (``/thamdu MÃ``, or the code typed after ``/thamdu``), and the
short quiz after the session (answers typed as numbers).

Payloads (``reach.training.payload``): ``tr:y:<invitation>``, ``tr:n:<invitation>``,
``tr:q:<invitation>``. Every press is checked again by the desk: the invitation must be the
presser's own and the session neither cancelled nor started.
"""

from __future__ import annotations

import re

from bot import payloads
from bot.flows import training_texts as tt
from bot.flows.common import expired, say
from bot.messages import Button, Outcome, Reply, State
from bot.turn import Turn
from reach import training_texts as t
from reach.training import Result, TrainingDesk, payload

FLOW = "training"
PREFIX = "tr"
_CODE = re.compile(r"^[A-Za-z0-9]{4,12}$")


def command(turn: Turn, argument: str) -> Outcome:
    """/thamdu MÃ confirms attendance; /thamdu alone asks for the code."""
    if not argument.strip():
        return Outcome([Reply(tt.CODE_PROMPT)], State(flow=FLOW, step="code"))
    return _confirm(turn, argument)


def press(turn: Turn, rest: str) -> Outcome:
    action, _, raw_id = rest.partition(":")
    invitation_id = payloads.parse_id(raw_id)
    if invitation_id is None or action not in ("y", "n", "q"):
        return expired()
    if action == "q":
        return _start_quiz(turn, invitation_id)
    return say(_desk(turn).respond(turn.account.person_id, invitation_id, yes=action == "y").said)


def typed(turn: Turn, text: str) -> Outcome | None:
    """The code after /thamdu, or a quiz answer. Anything that is plainly not a code is a
    question: None lets Ask take it (and the flow ends)."""
    if turn.state.step == "code":
        return _confirm(turn, text) if _CODE.match(text.strip()) else None
    if turn.state.step == "quiz":
        return _answer(turn, text)
    return None


def _confirm(turn: Turn, code: str) -> Outcome:
    return Outcome([_reply(_desk(turn).confirm_code(turn.account.person_id, code))], State())


def _reply(result: Result) -> Reply:
    if result.quiz_invitation is None:
        return Reply(result.said)
    return Reply(result.said, ((Button(t.BUTTON_QUIZ, payload("q", result.quiz_invitation)),),))


def _start_quiz(turn: Turn, invitation_id: int) -> Outcome:
    found = _desk(turn).quiz_for(turn.account.person_id, invitation_id)
    if isinstance(found, Result):
        return Outcome([Reply(found.said)], State())
    quiz, _ = found
    return Outcome([Reply(_question(quiz, 0))],
                   State(flow=FLOW, step="quiz", data={"invitation": invitation_id, "answers": []}))


def _answer(turn: Turn, text: str) -> Outcome:
    data = turn.state.data
    invitation_id, answers = data.get("invitation", 0), list(data.get("answers", []))
    desk = _desk(turn)
    found = desk.quiz_for(turn.account.person_id, invitation_id)
    if isinstance(found, Result):  # scored meanwhile, or the session was cancelled
        return Outcome([Reply(found.said)], State())
    quiz, _ = found
    item = quiz[len(answers)]
    given = text.strip()
    if not (given.isascii() and given.isdigit()) or not 1 <= int(given) <= len(item["choices"]):
        return say(tt.QUIZ_BAD_ANSWER.format(number=len(answers) + 1, last=len(item["choices"])))
    answers.append(int(given))
    if len(answers) < len(quiz):
        return Outcome([Reply(_question(quiz, len(answers)))],
                       State(flow=FLOW, step="quiz", data={**data, "answers": answers}))
    return Outcome([Reply(desk.record_quiz(turn.account.person_id, invitation_id, answers).said)], State())


def _question(quiz: list[dict], index: int) -> str:
    item = quiz[index]
    choices = "\n".join(f"{number}. {choice}" for number, choice in enumerate(item["choices"], 1))
    return tt.QUIZ_QUESTION.format(number=index + 1, count=len(quiz), question=item["q"],
                                   choices=choices, last=len(item["choices"]))


def _desk(turn: Turn) -> TrainingDesk:
    return TrainingDesk(turn.store.db)
