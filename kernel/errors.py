"""Errors every layer may raise and the top layers know how to show."""

from __future__ import annotations


class UserError(Exception):
    """A problem the operator can fix (a missing key, an unknown unit): the CLI prints it as one
    line, never as a traceback."""
