"""One error family whose message the user can read, in their language, with a hint.

The domain does not translate: an error carries a message id and its parameters, and the
layer that shows it (UI, CLI) translates it with `advisor_app.i18n.describe`.
"""

from __future__ import annotations

from typing import Any


class AdvisorError(Exception):
    """An operation was refused or failed in a way the advisor can understand."""

    def __init__(self, message: str, hint: str = "", **params: Any) -> None:
        self.message = message
        self.hint = hint
        self.params = params
        super().__init__(message.format(**params) if params else message)


class ValidationError(AdvisorError):
    """Input the advisor typed is not acceptable; `field` names where."""

    def __init__(self, field: str, message: str, hint: str = "", **params: Any) -> None:
        self.field = field
        super().__init__(message, hint, **params)


class NotFoundError(AdvisorError):
    """A case, appointment or milestone asked for does not exist."""


class CaseFileError(AdvisorError):
    """A case file cannot be opened: damaged, not ours, or from a newer version."""
