"""Why a package was refused or could not be delivered, as sentences the advisor can read."""

from __future__ import annotations

from typing import Any

from advisor_app.domain.errors import AdvisorError


class ExchangeError(AdvisorError):
    """An export, an import or a delivery was refused."""


class PackageRefused(ExchangeError):
    """A package that is not safe or not sound to import; nothing was written."""


class TransportError(ExchangeError):
    """A delivery failed; `retryable` says whether trying again later may succeed."""

    def __init__(self, message: str, hint: str = "", *, retryable: bool = True, **params: Any):
        super().__init__(message, hint, **params)
        self.retryable = retryable


class PartnerUnreachable(TransportError):
    """The partner's drop cannot be reached at all (no network, server down, stick absent)."""
