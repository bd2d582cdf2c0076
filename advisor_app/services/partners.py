"""Partners (who receives packages, what, and where), their passwords, consent to share.

A WebDAV password is kept in the system keyring (or in memory only), never in the workspace,
an address, a log or a command's arguments: an address holding a user name or a password is
refused, and one stored so by an older version is shown and used without it.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

import keyring
import keyring.errors
from keyring.backends import fail
from sqlalchemy import select

from advisor_app.domain.enums import ConsentScope
from advisor_app.domain.errors import NotFoundError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.exchange.transports import has_credentials, without_credentials
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.notes import NoteService
from advisor_app.services.views import ConsentView
from advisor_app.storage.case_models import Consent
from advisor_app.storage.exchange_models import PartnerRow

log = logging.getLogger(__name__)

KINDS: dict[str, str] = {
    "funder": N_("Funder"),
    "network": N_("Support network"),
    "advisor": N_("Another advisor"),
}
SECTIONS: dict[str, str] = {
    "identity": N_("Identity"),
    "contact": N_("Contact details"),
    "situation": N_("Situation"),
    "project": N_("Project"),
    "pathway": N_("Pathway"),
    "appointments": N_("Appointments"),
    "financing": N_("Financing plan and forecast"),
    "funding": N_("Funding requests"),
    "notes": N_("Notes"),
}
REPORTS: dict[str, str] = {"progress": N_("Progress report"), "committee": N_("Committee file")}
# What each kind of partner receives unless told otherwise.
PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "funder": (
        ("identity", "situation", "project", "financing", "funding"),
        ("committee",),
        (),
    ),
    "network": (
        ("identity", "contact", "situation", "project", "pathway", "appointments"),
        ("progress",),
        (),
    ),
    "advisor": (tuple(SECTIONS), (), ("*",)),
}
TRANSPORTS = ("folder", "webdav")


@dataclass(frozen=True)
class PartnerView:
    name: str
    kind: str
    sections: tuple[str, ...]
    reports: tuple[str, ...]
    attachments: tuple[str, ...]  # file name patterns (fnmatch); "*" for all
    transport: str
    location: str
    user: str

    @property
    def kind_label_id(self) -> str:
        return KINDS[self.kind]


def _same_partner(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


class _Place(Protocol):
    """Where a password opens: a user on a WebDAV address (a partner's, the team's)."""

    @property
    def user(self) -> str: ...
    @property
    def location(self) -> str: ...


class PasswordStore:
    """WebDAV passwords: in the system keyring, or in memory only when there is none."""

    SERVICE = "Boussole WebDAV"

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}

    @staticmethod
    def _key(partner: _Place) -> str:
        return f"{partner.user}@{partner.location}"

    @staticmethod
    def keyring_available() -> bool:
        try:
            return not isinstance(keyring.get_keyring(), fail.Keyring)
        except Exception:
            return False

    def remember(self, partner: _Place, password: str, *, keep: bool = True) -> bool:
        """Keep the password (in the keyring when `keep` and one exists); True if it was."""
        self._memory[self._key(partner)] = password
        if keep and self.keyring_available():
            try:
                keyring.set_password(self.SERVICE, self._key(partner), password)
                return True
            except Exception as error:  # no usable backend after all: memory only
                log.warning("keyring unavailable: %s", type(error).__name__)
        return False

    def lookup(self, partner: _Place) -> str | None:
        key = self._key(partner)
        if key in self._memory:
            return self._memory[key]
        if self.keyring_available():
            try:
                found = keyring.get_password(self.SERVICE, key)
            except Exception as error:
                log.warning("keyring unavailable: %s", type(error).__name__)
                return None
            if found is not None:
                self._memory[key] = found
            return found
        return None

    def forget(self, partner: _Place) -> None:
        self._memory.pop(self._key(partner), None)
        if self.keyring_available():
            with contextlib.suppress(Exception):
                keyring.delete_password(self.SERVICE, self._key(partner))


class PartnerService:
    def __init__(self, context: ServiceContext, notes: NoteService) -> None:
        self.context = context
        self.notes = notes
        self.passwords = PasswordStore()

    # -- profiles -----------------------------------------------------------------------

    def add(
        self,
        name: str,
        kind: str = "network",
        *,
        folder: Path | None = None,
        webdav: str | None = None,
        user: str = "",
        password: str | None = None,
        sections: Sequence[str] | None = None,
        reports: Sequence[str] | None = None,
        attachments: Sequence[str] | None = None,
    ) -> tuple[PartnerView, Changes]:
        name = name.strip()
        if not name:
            raise ValidationError("name", N_("A partner needs a name."))
        if kind not in KINDS:
            raise ValidationError(
                "kind",
                N_("{kind} is not a kind of partner."),
                N_("Choose funder, network or advisor."),
                kind=kind,
            )
        if (folder is None) == (webdav is None):
            raise ValidationError(
                "transport",
                N_("A partner receives packages either in a folder or on a WebDAV share."),
                N_("Give a folder or a WebDAV address, not both."),
            )
        if webdav is not None and not user.strip():
            raise ValidationError("user", N_("A WebDAV share needs a user name."))
        if webdav is not None and not webdav.startswith(("http://", "https://")):
            raise ValidationError(
                "webdav",
                N_("{url} is not a WebDAV address."),
                N_("Write it as https://server/remote.php/dav/files/user/folder/."),
                url=without_credentials(webdav),
            )
        if webdav is not None and has_credentials(webdav):
            raise ValidationError(
                "webdav",
                N_(
                    "A WebDAV address must not hold a user name or a password ({url}): "
                    "nothing was kept."
                ),
                N_(
                    "Give the address alone, and the user name and password apart "
                    "(on the command line: --user, and --password-file or the prompt)."
                ),
                url=without_credentials(webdav),
            )
        default_sections, default_reports, default_attachments = PROFILES[kind]
        chosen_sections = tuple(sections) if sections is not None else default_sections
        chosen_reports = tuple(reports) if reports is not None else default_reports
        for section in chosen_sections:
            if section not in SECTIONS:
                raise ValidationError(
                    "sections", N_("{section} is not a section of a case."), section=section
                )
        for report in chosen_reports:
            if report not in REPORTS:
                raise ValidationError(
                    "reports", N_("{report} is not a report a partner can receive."), report=report
                )
        if self.find(name) is not None:
            raise ValidationError("name", N_("There is already a partner named {name}."), name=name)
        row = PartnerRow(
            name=name,
            kind=kind,
            sections=json.dumps([s for s in SECTIONS if s in chosen_sections]),
            reports=json.dumps([r for r in REPORTS if r in chosen_reports]),
            attachments=json.dumps(
                list(attachments if attachments is not None else default_attachments)
            ),
            transport="folder" if folder is not None else "webdav",
            location=str(folder.expanduser().resolve()) if folder is not None else str(webdav),
            user=user.strip(),
            created_at=self.context.now(),
        )
        with self.context.workspace.catalog.write() as catalog:
            catalog.add(row)
        partner = _view(row)
        if password is not None:
            self.passwords.remember(partner, password)
        return partner, Changes(settings=True)

    def remove(self, name: str) -> Changes:
        partner = self.get(name)
        with self.context.workspace.catalog.write() as catalog:
            row = catalog.get(PartnerRow, partner.name)
            if row is not None:
                catalog.delete(row)
        self.passwords.forget(partner)
        return Changes(settings=True)

    def all(self) -> list[PartnerView]:
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.scalars(select(PartnerRow).order_by(PartnerRow.name)).all()
            return [_view(row) for row in rows]

    def find(self, name: str) -> PartnerView | None:
        return next((p for p in self.all() if _same_partner(p.name, name)), None)

    def get(self, name: str) -> PartnerView:
        partner = self.find(name)
        if partner is None:
            raise NotFoundError(
                N_("There is no partner named {name}."),
                N_("Add it first, in Settings or with: advisor-app partner add NAME --folder DIR."),
                name=name,
            )
        return partner

    # -- consent to share ---------------------------------------------------------------

    def sharing_consent(self, case_id: str, partner: str) -> ConsentView | None:
        """The person's consent, in force today, to share their case with `partner`."""
        today = self.context.today()
        with self.context.workspace.reading(case_id) as session:
            rows = session.scalars(
                select(Consent).where(Consent.scope == ConsentScope.SHARING.value)
            ).all()
            for c in rows:
                in_force = c.given_on <= today and (
                    c.withdrawn_on is None or c.withdrawn_on > today
                )
                if in_force and _same_partner(c.partner, partner):
                    return ConsentView(
                        c.id, c.scope, c.partner, c.given_on, c.how, c.recorded_by, c.withdrawn_on
                    )
        return None

    def share_with(
        self, case_id: str, partner: str, how: str = "", on: date | None = None
    ) -> Changes:
        """Record that the person consents to share their case with `partner`."""
        known = self.get(partner)
        if self.sharing_consent(case_id, known.name) is not None:
            return Changes()
        return self.notes.record_consent(
            case_id, ConsentScope.SHARING, on or self.context.today(), how, known.name
        )

    def withdraw_sharing(self, case_id: str, partner: str, on: date | None = None) -> Changes:
        consent = self.sharing_consent(case_id, partner)
        if consent is None:
            raise NotFoundError(
                N_("This case has no consent to share with {partner} to withdraw."),
                partner=partner,
            )
        changes = Changes()
        while consent is not None:
            changes = changes | self.notes.withdraw_consent(case_id, consent.id, on)
            consent = self.sharing_consent(case_id, partner)
        return changes


def _view(row: PartnerRow) -> PartnerView:
    return PartnerView(
        name=row.name,
        kind=row.kind,
        sections=tuple(json.loads(row.sections)),
        reports=tuple(json.loads(row.reports)),
        attachments=tuple(json.loads(row.attachments)),
        transport=row.transport,
        location=without_credentials(row.location) if row.transport == "webdav" else row.location,
        user=row.user,
    )
