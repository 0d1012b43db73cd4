"""Errors every layer may raise and the top layers know how to show."""

from __future__ import annotations


class UserError(Exception):
    """A problem the operator can fix (a missing key, an unknown unit): the CLI prints it as one
    line, never as a traceback."""


class Refusal(Exception):
    """A refusal a person is shown: ``reason`` is a key of the subclass's ``MESSAGES`` (its
    domain's texts), ``facts`` fill the sentence. Tests and callers compare ``reason``."""

    MESSAGES: dict[str, str] = {}

    def __init__(self, reason: str, **facts: object) -> None:
        super().__init__(reason)
        self.reason, self.facts = reason, facts

    @property
    def message(self) -> str:
        return self.MESSAGES[self.reason].format(**self.facts)
