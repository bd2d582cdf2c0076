"""Why a package was refused or could not be delivered, as sentences the advisor can read."""

from __future__ import annotations

from typing import Any

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_


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


class TeamFileRefused(ExchangeError):
    """A file of the team folder that does not open or does not validate (tampered, cut
    short, moved, not ours, too big): refused whole, nothing of it applied."""


class TeamKeyMissing(ExchangeError):
    """A file of the team folder sealed with a generation of the team key this workspace
    does not hold: a member has changed the team passphrase."""

    def __init__(self, generation: int) -> None:
        super().__init__(
            N_(
                "A file of the team folder was sealed with a team passphrase this "
                "workspace does not know."
            ),
            N_("A member has changed the team passphrase; enter the new one."),
            generation=generation,
        )
        self.generation = generation


class TeamFileMissing(TransportError):
    """A file of the team folder is not (or no longer) there."""
