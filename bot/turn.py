"""What a flow works with: the ``Turn`` it is handed (the event, who sent it, their state, the
conversation store and the typed services) and the ``Handler`` signature every flow step has.

Below the flows and the dialog core alike: flows import this, never the core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.messages import InboundEvent, Outcome, State
from bot.store import AccountRef, Store
from knowledge.answer import Answer

if TYPE_CHECKING:
    from cases.service import CaseDesk
    from knowledge.standard_answers import StandardAnswers
    from scheduler.files import SubmissionFiles


class KnowledgeService(Protocol):
    """What the flows need from the knowledge base (sync and CPU-bound: run in a thread)."""

    def answer(self, question: str) -> Answer: ...

    def article(self, ref: str) -> Answer | None: ...


@dataclass(frozen=True)
class Services:
    """The domain services a conversation may use, built once by the wiring.

    ``cases`` is None when no cases key is configured (then /baocao explains it is not
    available); ``submissions`` is None in a process that keeps no report files; ``standards``
    is None where staff answers are not cited (tests of other flows)."""

    kb: KnowledgeService
    cases: CaseDesk | None = None
    submissions: SubmissionFiles | None = None
    standards: StandardAnswers | None = None  # staff answers cited beside the law


@dataclass
class Turn:
    """What a flow handler gets: the event, who sent it, their state, and the services."""

    event: InboundEvent
    account: AccountRef
    state: State
    store: Store
    services: Services

    @property
    def kb(self) -> KnowledgeService:
        return self.services.kb


Handler = Callable[[Turn, str], Outcome]
