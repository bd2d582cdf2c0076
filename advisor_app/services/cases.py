"""Opening, editing, closing, binning and restoring case files."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select

from advisor_app.domain import records, validation
from advisor_app.domain.enums import (
    CaseStatus,
    ConsentScope,
    Gender,
    Outcome,
    Situation,
)
from advisor_app.domain.errors import NotFoundError, ValidationError
from advisor_app.domain.financing import MAX_DAYS
from advisor_app.domain.messages import N_
from advisor_app.services.case_reader import read_case
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext, pathway_template
from advisor_app.services.duplicates import DuplicateFinder
from advisor_app.services.limits import check_row
from advisor_app.services.settings import SettingsService
from advisor_app.services.views import CaseDetail, DuplicateWarning
from advisor_app.storage.case_models import CaseInfo, Consent, Milestone, Person, Project
from advisor_app.storage.catalog_models import CaseIndex
from advisor_app.storage.workspace import Workspace


@dataclass
class NewCase:
    first_name: str
    last_name: str
    birth_date: date | None = None
    gender: Gender = Gender.UNSPECIFIED
    email: str = ""
    phone: str = ""
    commune: str = ""
    postcode: str = ""
    situation: Situation = Situation.OTHER
    referred_by: str = ""
    priority_neighbourhood: bool = False
    rural_area: bool = False
    project_title: str = ""
    project_description: str = ""
    sector: str = ""
    opened_on: date | None = None
    processing_consent_how: str | None = None
    previous_case_id: str | None = None


# The fields `update_person` and `update_project` set (and `edit` on the command line), with
# the type of their values, as domain/records.py declares them.
PERSON_FIELDS: dict[str, type] = {f.name: f.python_type for f in records.PERSON.fields_but_id}
PROJECT_FIELDS: dict[str, type] = {f.name: f.python_type for f in records.PROJECT.fields_but_id}
# Fields that may be emptied (None: not given yet); the others always hold a value.
OPTIONAL_FIELDS = frozenset(
    f.name
    for record in (records.PERSON, records.PROJECT)
    for f in record.fields_but_id
    if f.clearable
)
# The person's fields a new case is given (`NewCase`: the others start as declared).
NEW_PERSON_FIELDS = tuple(
    item.name for item in dataclasses.fields(NewCase) if item.name in records.PERSON
)
DAYS_FIELDS = ("customer_days", "supplier_days", "stock_days")
MAX_JOBS = 100_000  # as the exchange schema says


class CaseService:
    def __init__(self, context: ServiceContext, settings: SettingsService) -> None:
        self.context = context
        self.settings = settings
        # Called with the id of a case deleted for good (the outbox forgets its packages).
        self.delete_hooks: list[Callable[[str], object]] = []

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    def find_duplicates(
        self, first_name: str, last_name: str, birth_date: date | None, email: str
    ) -> list[DuplicateWarning]:
        """Cases that may be this person's: the same names (whatever their case and accents),
        the same e-mail address, or the same birth date and last name (`services.duplicates`,
        whose `Identity` the spreadsheet import recognises people by too)."""
        with self.workspace.catalog.read() as catalog:
            finder = DuplicateFinder.read_near(catalog, last_name, birth_date, email)
        return finder.find(first_name, last_name, birth_date, email)

    def create(self, new: NewCase) -> tuple[str, list[DuplicateWarning], Changes]:
        """Open a case with the standard pathway; warn about (and link to) an earlier case."""
        first = validation.check_required("first_name", new.first_name)
        last = validation.check_required("last_name", new.last_name)
        email = validation.check_email(new.email)
        today = self.context.today()
        validation.check_birth_date(new.birth_date, today)
        _check_new_case(new)
        duplicates = self.find_duplicates(first, last, new.birth_date, email)
        previous = new.previous_case_id or (duplicates[0].case_id if duplicates else None)
        opened_on = new.opened_on or today
        now = self.context.now()
        advisor = self.settings.advisor_name
        template = pathway_template()
        targets = template.target_dates(opened_on)
        with self.workspace.creating("created", advisor) as (case_id, session):
            session.add(
                CaseInfo(
                    id=case_id,
                    status=CaseStatus.ACTIVE.value,
                    opened_on=opened_on,
                    advisor=advisor,
                    pathway=template.key,
                    previous_case_id=previous,
                    created_at=now,
                    updated_at=now,
                )
            )
            session.add(
                Person(
                    first_name=first,
                    last_name=last,
                    birth_date=new.birth_date,
                    gender=new.gender.value,
                    email=email,
                    phone=new.phone.strip(),
                    commune=new.commune.strip(),
                    postcode=new.postcode.strip(),
                    situation=new.situation.value,
                    referred_by=new.referred_by.strip(),
                    priority_neighbourhood=new.priority_neighbourhood,
                    rural_area=new.rural_area,
                )
            )
            session.add(
                Project(
                    title=new.project_title.strip(),
                    description=new.project_description.strip(),
                    sector=new.sector.strip(),
                )
            )
            for position, milestone in enumerate(template.milestones):
                session.add(
                    Milestone(
                        key=milestone.key,
                        label=milestone.label,
                        position=position,
                        target_on=targets[milestone.key],
                    )
                )
            if new.processing_consent_how is not None:
                session.add(
                    Consent(
                        scope=ConsentScope.PROCESSING.value,
                        given_on=opened_on,
                        how=new.processing_consent_how,
                        recorded_by=advisor,
                    )
                )
        return case_id, duplicates, Changes.of_case(case_id)

    def get(self, case_id: str) -> CaseDetail:
        with self.workspace.reading(case_id) as session:
            return read_case(session, self.context.today())

    def update_person(self, case_id: str, values: Mapping[str, Any]) -> Changes:
        return self._update(case_id, "person_updated", Person, self.checked_person(values))

    def _update(
        self,
        case_id: str,
        action: str,
        table: type[Person] | type[Project],
        cleaned: dict[str, Any],
    ) -> Changes:
        """Set checked fields on the case's one person or project row, in one change."""
        with self.workspace.changing(
            case_id, action, ", ".join(sorted(cleaned)), self.settings.advisor_name
        ) as session:
            row = session.scalars(select(table)).one()
            for key, value in cleaned.items():
                setattr(row, key, value)
        return Changes.of_case(case_id)

    def checked_person(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The person's fields in `values`, typed and checked; refuses with a sentence
        before anything is written (the command line checks every field first)."""
        cleaned = _clean(values, PERSON_FIELDS)
        if "first_name" in cleaned:
            validation.check_required("first_name", cleaned["first_name"])
        if "last_name" in cleaned:
            validation.check_required("last_name", cleaned["last_name"])
        if "email" in cleaned:
            cleaned["email"] = validation.check_email(cleaned["email"])
        if "birth_date" in cleaned:
            validation.check_birth_date(cleaned["birth_date"], self.context.today())
        check_row(Person, cleaned)
        return cleaned

    def update_project(self, case_id: str, values: Mapping[str, Any]) -> Changes:
        return self._update(case_id, "project_updated", Project, self.checked_project(values))

    def checked_project(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The project's fields in `values`, typed and checked (as `checked_person`)."""
        cleaned = _clean(values, PROJECT_FIELDS)
        if "expected_jobs" in cleaned and cleaned["expected_jobs"] < 0:
            raise ValidationError("expected_jobs", N_("The number of jobs cannot be negative."))
        if "expected_jobs" in cleaned:
            validation.check_whole_number("expected_jobs", cleaned["expected_jobs"], 0, MAX_JOBS)
        for key in DAYS_FIELDS:
            days = cleaned.get(key)
            if days is not None and not 0 <= days <= MAX_DAYS:
                raise ValidationError(
                    key, N_("Type a number of days from 0 to {most}."), most=MAX_DAYS
                )
        if cleaned.get("recommended_amount_cents") is not None:
            validation.check_amount("recommended_amount", cleaned["recommended_amount_cents"])
        if "recommendation" in cleaned:
            cleaned["recommendation"] = cleaned["recommendation"] or ""
        check_row(Project, cleaned)
        return cleaned

    def close(self, case_id: str, outcome: Outcome, closed_on: date | None = None) -> Changes:
        closed_on = closed_on or self.context.today()
        validation.check_date("closed_on", closed_on)
        with self.workspace.changing(
            case_id, "closed", outcome.value, self.settings.advisor_name
        ) as s:
            info = s.scalars(select(CaseInfo)).one()
            if closed_on < info.opened_on:
                raise ValidationError(
                    "closed_on", N_("A case cannot be closed before it was opened.")
                )
            info.status, info.outcome, info.closed_on = (
                CaseStatus.CLOSED.value,
                outcome.value,
                closed_on,
            )
        return Changes.of_case(case_id)

    def reopen(self, case_id: str) -> Changes:
        with self.workspace.changing(case_id, "reopened", "", self.settings.advisor_name) as s:
            info = s.scalars(select(CaseInfo)).one()
            info.status, info.outcome, info.closed_on = CaseStatus.ACTIVE.value, None, None
        return Changes.of_case(case_id)

    # -- the bin ----------------------------------------------------------------------

    def move_to_bin(self, case_id: str) -> Changes:
        with self.workspace.changing(case_id, "binned", "", self.settings.advisor_name) as s:
            s.scalars(select(CaseInfo)).one().binned_at = self.context.now()
        self._audit("binned", case_id)
        return Changes.of_case(case_id, agenda=True)

    def restore_from_bin(self, case_id: str) -> Changes:
        with self.workspace.changing(case_id, "restored", "", self.settings.advisor_name) as s:
            s.scalars(select(CaseInfo)).one().binned_at = None
        self._audit("restored", case_id)
        return Changes.of_case(case_id, agenda=True)

    def binned(self) -> list[tuple[str, str, datetime]]:
        with self.workspace.catalog.read() as catalog:
            rows = catalog.execute(
                select(
                    CaseIndex.case_id,
                    CaseIndex.first_name,
                    CaseIndex.last_name,
                    CaseIndex.binned_at,
                )
                .where(CaseIndex.binned_at.is_not(None))
                .order_by(CaseIndex.binned_at)
            ).all()
        return [(r.case_id, f"{r.first_name} {r.last_name}", r.binned_at) for r in rows]

    def empty_bin(self) -> Changes:
        """Delete for good the case files in the bin."""
        removed = [case_id for case_id, _name, _at in self.binned()]
        for case_id in removed:
            self.workspace.delete_case_file(case_id)
            for hook in self.delete_hooks:
                hook(case_id)
            self._audit("deleted", case_id)
        return Changes(cases=frozenset(removed), case_list=True, agenda=True)

    def exists(self, case_id: str) -> bool:
        return bool(self.workspace.case_path(case_id).exists())

    def require(self, case_id: str) -> None:
        if not self.exists(case_id):
            raise NotFoundError(
                N_("There is no case {case_id} in this workspace."), case_id=case_id
            )

    def _audit(self, action: str, case_id: str) -> None:
        with self.workspace.catalog.write() as catalog:
            self.workspace.audit(catalog, action, case_id, self.settings.advisor_name)


def _clean(values: Mapping[str, Any], fields: dict[str, type]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        kind = fields.get(key)
        if kind is None:
            raise ValidationError(key, N_("Unknown field {name}."), name=key)
        if value is None or (key in OPTIONAL_FIELDS and value == ""):
            if key in OPTIONAL_FIELDS:
                cleaned[key] = None
                continue
            raise ValidationError(key, N_("This field cannot be empty."))
        if kind is str:
            cleaned[key] = str(value).strip()
        elif issubclass(kind, Enum):
            cleaned[key] = _choice(key, kind, value)
        elif kind is bool:
            cleaned[key] = bool(value)
        elif kind is int:
            cleaned[key] = _whole_number(key, value)
        else:
            cleaned[key] = value
    return cleaned


def _check_new_case(new: NewCase) -> None:
    """The values of a new case its columns can keep (lengths, dates), before anything is
    written."""
    check_row(CaseInfo, {"opened_on": new.opened_on})
    check_row(Person, {name: getattr(new, name) for name in NEW_PERSON_FIELDS})
    check_row(
        Project,
        {
            "title": new.project_title,
            "description": new.project_description,
            "sector": new.sector,
        },
    )
    if new.processing_consent_how is not None:
        check_row(Consent, {"how": new.processing_consent_how})


def _choice(key: str, kind: type, value: Any) -> str:
    try:
        return str(kind(value).value)  # type: ignore[call-arg]
    except ValueError:
        raise ValidationError(
            key,
            N_("“{value}” is not one of the choices: {choices}."),
            value=value,
            choices=", ".join(member.value for member in kind),  # type: ignore[attr-defined]
        ) from None


def _whole_number(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError(key, N_("“{value}” is not a whole number."), value=value)
    try:
        return int(value)
    except ValueError:
        raise ValidationError(key, N_("“{value}” is not a whole number."), value=value) from None
