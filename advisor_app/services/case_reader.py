"""Turns the rows of a case file into the read model `CaseDetail`."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.enums import CaseStatus, FinancingSide, Outcome
from advisor_app.domain.financing import FinancingLine, FinancingPlan, forecast_years
from advisor_app.domain.pathway import is_late
from advisor_app.services.views import (
    AppointmentView,
    AttachmentView,
    CaseDetail,
    ConsentView,
    FundingView,
    HistoryView,
    MilestoneView,
    NoteView,
    PersonView,
    ProjectView,
)
from advisor_app.storage.case_models import (
    Appointment,
    Attachment,
    CaseInfo,
    Consent,
    FinancingLineRow,
    ForecastLine,
    FundingRequest,
    HistoryEntry,
    Milestone,
    Note,
    Person,
    Project,
)

V = TypeVar("V")
_READERS: dict[type, tuple[tuple[str, Callable[[Any], Any]], ...]] = {}


def _readers(view: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    found = _READERS.get(view)
    if found is None:
        found = _READERS[view] = _readers_of(view)
    return found


def _readers_of(view: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """How each field of the read model `view` is read from its column: a closed list's
    value becomes its member (an empty one None), anything else is taken as it is."""
    readers: list[tuple[str, Callable[[Any], Any]]] = []
    hints = get_type_hints(view)
    for item in dataclasses.fields(view):
        kind = hints[item.name]
        optional = get_origin(kind) in (Union, types.UnionType) and type(None) in get_args(kind)
        held = next((a for a in get_args(kind) if a is not type(None)), kind) if optional else kind
        if isinstance(held, type) and issubclass(held, Enum):
            readers.append((item.name, _choice_reader(held, optional)))
        else:
            readers.append((item.name, _as_kept))
    return tuple(readers)


def _as_kept(value: Any) -> Any:
    return value


def _choice_reader(choices: type[Enum], optional: bool) -> Callable[[Any], Any]:
    if optional:
        return lambda value: choices(value) if value else None
    return choices


def view_of(view: type[V], row: Any, **computed: Any) -> V:
    """The read model `view` (a dataclass whose fields are columns of the row, named as in
    domain/records.py) of `row`; `computed` gives the fields that are not columns."""
    values = {
        name: read(getattr(row, name)) for name, read in _readers(view) if name not in computed
    }
    return view(**values, **computed)


def appointment_view(row: Appointment) -> AppointmentView:
    return view_of(AppointmentView, row)


def milestone_view(row: Milestone, today: date) -> MilestoneView:
    return view_of(MilestoneView, row, late=is_late(row.target_on, row.done_on, today))


def read_case(session: Session, today: date, *, with_history: bool = True) -> CaseDetail:
    """The whole case. Rows of equal date or position are listed by id, not by the order
    they were written in, which differs from one member of a team to another."""
    info = session.scalars(select(CaseInfo)).one()
    person = session.scalars(select(Person)).one()
    project = session.scalars(select(Project)).one()
    lines = list(
        session.scalars(
            select(FinancingLineRow).order_by(FinancingLineRow.position, FinancingLineRow.id)
        )
    )
    forecast = session.execute(
        select(ForecastLine.year, ForecastLine.item, ForecastLine.amount_cents)
    )
    but_content = [getattr(Attachment, item.name) for item in dataclasses.fields(AttachmentView)]
    attachments = session.execute(select(*but_content).order_by(Attachment.added_at, Attachment.id))
    history: list[HistoryView] = []
    if with_history:
        history = [
            view_of(HistoryView, h)
            for h in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id.desc()))
        ]
    return CaseDetail(
        case_id=info.id,
        revision=info.revision,
        status=CaseStatus(info.status),
        outcome=Outcome(info.outcome) if info.outcome else None,
        opened_on=info.opened_on,
        closed_on=info.closed_on,
        advisor=info.advisor,
        previous_case_id=info.previous_case_id,
        binned_at=info.binned_at,
        person=view_of(PersonView, person),
        project=view_of(ProjectView, project),
        appointments=[
            appointment_view(a)
            for a in session.scalars(
                select(Appointment).order_by(Appointment.start, Appointment.id)
            )
        ],
        milestones=[
            milestone_view(m, today)
            for m in session.scalars(select(Milestone).order_by(Milestone.position))
        ],
        funding=[
            view_of(FundingView, f)
            for f in session.scalars(
                select(FundingRequest).order_by(FundingRequest.committee_on, FundingRequest.id)
            )
        ],
        plan=FinancingPlan.of(
            FinancingLine(FinancingSide(line.side), line.label, line.amount_cents) for line in lines
        ),
        plan_line_ids=[line.id for line in lines],
        forecast=forecast_years([(r.year, r.item, r.amount_cents) for r in forecast]),
        notes=[
            view_of(NoteView, n)
            for n in session.scalars(select(Note).order_by(Note.written_at.desc(), Note.id))
        ],
        attachments=[view_of(AttachmentView, row) for row in attachments],
        consents=[
            view_of(ConsentView, c)
            for c in session.scalars(select(Consent).order_by(Consent.given_on, Consent.id))
        ],
        history=history,
    )
