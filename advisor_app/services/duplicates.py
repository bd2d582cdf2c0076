"""Whether a person about to get a case already has one: the same names (whatever their
case, accents and hyphens), the same e-mail address, or the same birth date and last name.

`DuplicateFinder` reads what it compares from the catalog once, so an import of many
people (a spreadsheet) checks each line without a query per line; `CaseService`
`find_duplicates` asks one finder for one person.
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
    """The cases of a workspace (those in the bin and damaged ones aside), keyed by folded
    names, e-mail address, and birth date with last name; `add` makes a case just created
    known, so that two lines of one import about the same person are told apart too."""

    def __init__(self, rows: Iterable[Sequence[Any]] = ()) -> None:
        self._by_names: dict[tuple[str, str], list[_Known]] = defaultdict(list)
        self._by_email: dict[str, list[_Known]] = defaultdict(list)
        self._by_birth: dict[tuple[date, str], list[_Known]] = defaultdict(list)
        for row in rows:
            self._add(_Known(*row))

    @classmethod
    def read(cls, catalog: Session) -> DuplicateFinder:
        """Every case of the workspace, for checking many people (an import)."""
        return cls(catalog.execute(select(*_COLUMNS).where(*_LIVE)).all())

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
        last = folded_name(row.last_name)
        if last:
            self._by_names[(folded_name(row.first_name), last)].append(row)
            if row.birth_date is not None:
                self._by_birth[(row.birth_date, last)].append(row)
        if row.email:
            self._by_email[row.email.strip().lower()].append(row)

    def add(
        self,
        case_id: str,
        first_name: str,
        last_name: str,
        *,
        birth_date: date | None = None,
        email: str = "",
        commune: str = "",
        opened_on: date | None = None,
    ) -> None:
        """Count a case created since the finder was read (by the same import)."""
        self._add(
            _Known(
                case_id,
                first_name,
                last_name,
                birth_date=birth_date,
                email=email,
                commune=commune,
                opened_on=opened_on,
            )
        )

    def find(
        self, first_name: str, last_name: str, birth_date: date | None = None, email: str = ""
    ) -> list[DuplicateWarning]:
        """The cases that may be this person's, the most recently opened first, each with the
        reason it was found (the strongest when several hold)."""
        last = folded_name(last_name)
        reasons: dict[str, tuple[str, _Known]] = {}

        def found(rows: list[_Known], reason: str) -> None:
            for row in rows:
                reasons.setdefault(row.case_id, (reason, row))

        address = email.strip().lower()
        if address:
            found(self._by_email.get(address, []), SAME_EMAIL)
        if last:
            if birth_date is not None:
                found(self._by_birth.get((birth_date, last), []), SAME_BIRTH_AND_LAST_NAME)
            found(self._by_names.get((folded_name(first_name), last), []), SAME_NAMES)
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
