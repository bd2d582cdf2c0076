"""What makes two people the same person, in one place: `Identity`, their names folded
(whatever their case, accents and hyphens: `domain.names`), birth date and e-mail address
(lower case).

Two uses, two strictnesses, one identity:

- the New case dialog warns about a case with the same names, the same e-mail address, or
  the same birth date and last name (`DuplicateFinder`, asked by `CaseService
  .find_duplicates`, which reads only the few catalog rows that could match);
- the spreadsheet import takes as the same person one with the same e-mail, or the same
  names and birth date, and as perhaps the same one with the same names and nothing
  contradicting (`Identity.contradicts`); its directory is `services.sheet_people`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, literal_column, or_, select, table
from sqlalchemy.orm import Session

from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.messages import N_
from advisor_app.domain.names import folded_name
from advisor_app.services.views import DuplicateWarning
from advisor_app.storage.catalog_models import CaseIndex

SAME_NAMES = N_("same first and last names")
SAME_EMAIL = N_("same e-mail address")
SAME_BIRTH_AND_LAST_NAME = N_("same birth date and last name")

_WORD = re.compile(r"\w+")
_COLUMNS = (
    CaseIndex.case_id,
    CaseIndex.first_name,
    CaseIndex.last_name,
    CaseIndex.birth_date,
    CaseIndex.email,
    CaseIndex.commune,
    CaseIndex.status,
    CaseIndex.opened_on,
)

_LIVE = (CaseIndex.binned_at.is_(None), CaseIndex.damaged.is_(None))


@dataclass(frozen=True)
class Identity:
    """What tells people apart: their names (folded), birth date and e-mail (lower case)."""

    names: tuple[str, str]
    birth_date: date | None
    email: str

    @property
    def last_name(self) -> str:
        return self.names[1]

    def contradicts(self, other: Identity) -> bool:
        """A different birth date, or a different e-mail address, when both are known."""
        return (
            self.birth_date is not None
            and other.birth_date is not None
            and self.birth_date != other.birth_date
        ) or (bool(self.email) and bool(other.email) and self.email != other.email)


def identity_of(first_name: str, last_name: str, birth_date: date | None, email: str) -> Identity:
    return Identity(
        (folded_name(first_name), folded_name(last_name)), birth_date, email.strip().lower()
    )


@dataclass(frozen=True)
class _Known:
    """A case as the finder compares it (the order of `_COLUMNS`)."""

    case_id: str
    first_name: str
    last_name: str
    birth_date: date | None = None
    email: str = ""
    commune: str = ""
    status: str = CaseStatus.ACTIVE.value
    opened_on: date | None = None


class DuplicateFinder:
    """Cases of a workspace (those in the bin and damaged ones aside), keyed by their
    identity: folded names, e-mail address, and birth date with last name."""

    def __init__(self, rows: Iterable[Sequence[Any]] = ()) -> None:
        self._by_names: dict[tuple[str, str], list[_Known]] = defaultdict(list)
        self._by_email: dict[str, list[_Known]] = defaultdict(list)
        self._by_birth: dict[tuple[date, str], list[_Known]] = defaultdict(list)
        for row in rows:
            self._add(_Known(*row))

    @classmethod
    def read_near(
        cls, catalog: Session, last_name: str, birth_date: date | None, email: str
    ) -> DuplicateFinder:
        """Only the cases that could be this one person's: those with the e-mail address or
        with every word of the last name (the full-text index ignores case and accents), so
        that one check reads a few rows, not the whole workspace."""
        conditions: list[ColumnElement[bool]] = []
        if email.strip():
            conditions.append(CaseIndex.email == email.strip().lower())
        words = _WORD.findall(last_name)
        if words:
            match = " AND ".join(f'names : "{word}"' for word in words)
            hits: Select[tuple[Any]] = (
                select(literal_column("rowid"))
                .select_from(table("search_index"))
                .where(literal_column("search_index").op("MATCH")(match))
            )
            conditions.append(CaseIndex.search_rowid.in_(hits))
        if not conditions:
            return cls()
        return cls(catalog.execute(select(*_COLUMNS).where(*_LIVE, or_(*conditions))).all())

    def _add(self, row: _Known) -> None:
        identity = identity_of(row.first_name, row.last_name, row.birth_date, row.email)
        if identity.last_name:
            self._by_names[identity.names].append(row)
            if identity.birth_date is not None:
                self._by_birth[(identity.birth_date, identity.last_name)].append(row)
        if identity.email:
            self._by_email[identity.email].append(row)

    def find(
        self, first_name: str, last_name: str, birth_date: date | None = None, email: str = ""
    ) -> list[DuplicateWarning]:
        """The cases that may be this person's, the most recently opened first, each with the
        reason it was found (the strongest when several hold)."""
        identity = identity_of(first_name, last_name, birth_date, email)
        reasons: dict[str, tuple[str, _Known]] = {}

        def found(rows: list[_Known], reason: str) -> None:
            for row in rows:
                reasons.setdefault(row.case_id, (reason, row))

        if identity.email:
            found(self._by_email.get(identity.email, []), SAME_EMAIL)
        if identity.last_name:
            if birth_date is not None:
                found(
                    self._by_birth.get((birth_date, identity.last_name), []),
                    SAME_BIRTH_AND_LAST_NAME,
                )
            found(self._by_names.get(identity.names, []), SAME_NAMES)
        ordered = sorted(
            reasons.values(), key=lambda item: item[1].opened_on or date.min, reverse=True
        )
        return [
            DuplicateWarning(
                case_id=row.case_id,
                holder=f"{row.first_name} {row.last_name}".strip(),
                reason=reason,
                birth_date=row.birth_date,
                commune=row.commune,
                status=CaseStatus(row.status),
                opened_on=row.opened_on,
            )
            for reason, row in ordered
        ]
