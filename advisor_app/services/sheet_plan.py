"""What an import does for one person (`sheet_import`): a new case with every value of the
file, or, for a case already in Boussole, only what it adds: its blanks filled, the notes,
appointments and honour loan it lacks. A value the advisor typed is kept, and a different
one in the file said as a conflict. Appointments are done and in the office unless the sheet
says otherwise (the sheet's own words for the status and the mode are understood).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    CaseStatus,
    FundingDecision,
    FundingKind,
)
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.names import folded_name as fold
from advisor_app.i18n import _, describe, format_money, label
from advisor_app.services.appointments import AppointmentDraft
from advisor_app.services.context import pathway_template
from advisor_app.services.limits import text_limit
from advisor_app.services.sheet_people import (
    PERSON_FIELDS,
    PROJECT_FIELDS,
    RowChecker,
    Someone,
    is_blank,
    same_value,
    shown,
)
from advisor_app.sheets.records import AppointmentRecord
from advisor_app.storage.bulk_cases import Query
from advisor_app.storage.case_models import (
    Appointment,
    CaseBase,
    CaseInfo,
    FundingRequest,
    Milestone,
    Note,
    Person,
    Project,
    new_id,
)

DEFAULT_MINUTES = 60  # an appointment whose sheet gives no duration
WELCOME = "welcome"

# The sheet's own words for an appointment's status and mode (folded: no accents or case).
STATUS_WORDS: tuple[tuple[AppointmentStatus, tuple[str, ...]], ...] = (
    (AppointmentStatus.NO_SHOW, ("absent", "absente", "non honore", "non honoree", "non venu",
                                 "non venue", "no show", "lapin", "pas venu", "pas venue")),
    (AppointmentStatus.CANCELLED, ("annule", "annulee", "annulation", "cancelled", "canceled",
                                   "reporte", "reportee")),
    (AppointmentStatus.PLANNED, ("prevu", "prevue", "planifie", "planifiee", "a venir",
                                 "planned", "confirme", "confirmee", "programme")),
    (AppointmentStatus.DONE, ("fait", "faite", "realise", "realisee", "effectue", "effectuee",
                              "honore", "honoree", "done", "ok", "oui", "venu", "venue",
                              "present", "presente", "termine")),
)  # fmt: skip
MODE_WORDS: tuple[tuple[AppointmentMode, tuple[str, ...]], ...] = (
    (AppointmentMode.PHONE, ("telephone", "tel", "phone", "appel", "telephonique")),
    (AppointmentMode.VIDEO, ("visio", "visioconference", "video", "zoom", "teams", "skype",
                             "meet", "en ligne", "distanciel", "distance", "a distance")),
    (AppointmentMode.HOME, ("domicile", "a domicile", "home", "visite")),
    (AppointmentMode.THIRD_PLACE, ("tiers lieu", "exterieur", "permanence", "cafe",
                                   "third place")),
    (AppointmentMode.OFFICE, ("bureau", "presentiel", "locaux", "office", "agence",
                              "sur place", "physique", "local")),
)  # fmt: skip


@dataclass(frozen=True)
class PlannedCase:
    """One person of the file and what the import does for them: a new case (`case_id`
    None) with every value, or an existing case with only what it adds."""

    rows: tuple[int, ...]
    holder: str
    case_id: str | None
    person: Mapping[str, Any]  # Person columns
    project: Mapping[str, Any]  # Project columns
    opened_on: date | None  # a new case's opening date
    welcome_done_on: date | None
    notes: tuple[str, ...]
    appointments: tuple[AppointmentDraft, ...]
    honour_loan_cents: int | None

    @property
    def is_new(self) -> bool:
        return self.case_id is None

    @property
    def adds_something(self) -> bool:
        return bool(
            self.is_new
            or self.person
            or self.project
            or self.welcome_done_on
            or self.notes
            or self.appointments
            or self.honour_loan_cents
        )


@dataclass
class Current:
    """What an existing case holds that an import compares with."""

    person: dict[str, Any]
    project: dict[str, Any]
    opened_on: date
    welcome_done: bool
    has_welcome: bool
    starts: set[datetime]
    notes: set[str]
    honour_loans: list[int]


# -- one person ------------------------------------------------------------------


def planned_new_case(someone: Someone, drafts: list[AppointmentDraft], today: date) -> PlannedCase:
    values = someone.values
    opening = someone.first_appointment
    welcome = opening if opening is not None and opening <= today else None
    earliest = [d.start.date() for d in drafts if d.start.date() <= today]
    opened_on = min([*earliest, *([welcome] if welcome else [])], default=today)
    return PlannedCase(
        rows=tuple(someone.rows),
        holder=someone.holder,
        case_id=None,
        person={name: values[name] for name in PERSON_FIELDS if name in values},
        project={column: values[name] for name, column in PROJECT_FIELDS.items() if name in values},
        opened_on=opened_on,
        welcome_done_on=welcome,
        notes=tuple(someone.notes),
        appointments=tuple(_unique_starts(drafts, set())),
        honour_loan_cents=someone.honour_loan_cents,
    )


def planned_update(
    someone: Someone,
    current: Current,
    drafts: list[AppointmentDraft],
    checker: RowChecker,
    today: date,
) -> PlannedCase:
    """What the file adds to an existing case: its blanks filled, what it lacks added; a
    value that differs from Boussole's is kept as it is, and said."""
    holder = f"{current.person['first_name']} {current.person['last_name']}"
    fills: dict[str, dict[str, Any]] = {"person": {}, "project": {}}
    for name, value in someone.values.items():
        table, column = (
            ("project", PROJECT_FIELDS[name]) if name in PROJECT_FIELDS else ("person", name)
        )
        kept = (current.project if table == "project" else current.person)[column]
        if is_blank(kept):
            fills[table][column] = value
        elif not same_value(kept, value):
            checker.conflict(
                someone.row_of.get(name, someone.rows[0] if someone.rows else 0),
                name,
                value,
                _("Boussole holds “{kept}” for {holder}: kept as it is.").format(
                    kept=shown(kept), holder=holder
                ),
            )
    welcome: date | None = None
    opening = someone.first_appointment
    if opening is not None and opening <= today and current.has_welcome:
        if opening < current.opened_on and not current.welcome_done:
            checker.conflict(
                someone.rows[0],
                "first_appointment",
                opening,
                _(
                    "The case of {holder} was opened after this date: its welcome stage was "
                    "left as it is."
                ).format(holder=holder),
            )
        elif not current.welcome_done:
            welcome = opening
    loan = someone.honour_loan_cents
    if loan and current.honour_loans:
        if loan not in current.honour_loans:
            checker.conflict(
                someone.rows[0],
                "honour_loan_cents",
                format_money(loan),
                _("{holder} already has an honour loan request in Boussole: kept as it is.").format(
                    holder=holder
                ),
            )
        loan = None
    return PlannedCase(
        rows=tuple(someone.rows),
        holder=holder,
        case_id=someone.case_id,
        person=fills["person"],
        project=fills["project"],
        opened_on=None,
        welcome_done_on=welcome,
        notes=tuple(text for text in someone.notes if text not in current.notes),
        appointments=tuple(_unique_starts(drafts, current.starts)),
        honour_loan_cents=loan,
    )


def _unique_starts(drafts: list[AppointmentDraft], taken: set[datetime]) -> list[AppointmentDraft]:
    """One appointment per start: the case's own, and the file's first, are kept."""
    seen = set(taken)
    kept = []
    for draft in drafts:
        if not is_known(draft.start, seen):
            seen.add(draft.start)
            kept.append(draft)
    return kept


def is_known(start: datetime, starts: set[datetime]) -> bool:
    """Whether an appointment of the sheet is already there: the same start, or, for a sheet
    that gives the day only (midnight), any appointment that day (its hour set since)."""
    if start in starts:
        return True
    return start.time() == time(0) and any(other.date() == start.date() for other in starts)


def appointment_drafts(
    someone: Someone, now: datetime, checker: RowChecker
) -> list[AppointmentDraft]:
    drafts = []
    for record in someone.appointments:
        draft = _draft(record, now, checker)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _draft(
    record: AppointmentRecord, now: datetime, checker: RowChecker
) -> AppointmentDraft | None:
    """An appointment of the sheet as Boussole keeps it: done and in the office unless the
    sheet says otherwise (planned when it is to come)."""
    if record.starts_at is None:
        checker.refuse(
            record.row, "starts_at", "", _("An appointment needs a date: it was not imported.")
        )
        return None
    start = record.starts_at.replace(second=0, microsecond=0, tzinfo=None)
    status = AppointmentStatus.DONE if start < now else AppointmentStatus.PLANNED
    if record.status.strip():
        said = _word(record.status, STATUS_WORDS)
        if said is None:
            checker.conflict(
                record.row,
                "status",
                record.status,
                _(
                    "This status is not one Boussole knows: the appointment was imported as {status}."
                ).format(status=label(status).lower()),
            )
        else:
            status = said
    mode = AppointmentMode.OFFICE
    if record.mode.strip():
        said_mode = _word(record.mode, MODE_WORDS)
        if said_mode is None:
            checker.conflict(
                record.row,
                "mode",
                record.mode,
                _(
                    "This mode is not one Boussole knows: the appointment was imported as {mode}."
                ).format(mode=label(mode).lower()),
            )
        else:
            mode = said_mode
    topic, summary = record.topic.strip(), record.summary.strip()
    limit = text_limit(Appointment, "topic")
    if len(topic) > limit:  # kept whole in the summary
        topic, summary = topic[: limit - 1] + "…", "\n".join(filter(None, (topic, summary)))
    draft = AppointmentDraft(
        start=start,
        minutes=record.minutes or DEFAULT_MINUTES,
        mode=mode,
        status=status,
        topic=topic,
        summary=summary,
    )
    try:
        return draft.checked()
    except ValidationError as error:
        column = "minutes" if error.field == "minutes" else "starts_at"
        value = record.minutes if column == "minutes" else record.starts_at
        checker.refuse(record.row, column, value, describe(error))
        return None


def _word(text: str, words: tuple[tuple[Any, tuple[str, ...]], ...]) -> Any:
    folded = fold(text)
    for value, spellings in words:
        for spelling in spellings:
            if folded == spelling or folded.startswith(spelling + " "):
                return value
    return None


def refuse_ambiguous(checker: RowChecker, someone: Someone, holders: list[str]) -> None:
    checker.refuse(
        someone.rows[0],
        "last_name",
        someone.holder,
        _(
            "This row could be {holders}, already in Boussole: add a birth date or an e-mail "
            "address to tell who it is; it was not imported."
        ).format(holders=", ".join(holders)),
    )


def read_current(session: Session) -> Current:
    person = session.scalars(select(Person)).one()
    project = session.scalars(select(Project)).one()
    info = session.scalars(select(CaseInfo)).one()
    welcome = session.scalars(select(Milestone).where(Milestone.key == WELCOME)).first()
    return Current(
        person={name: getattr(person, name) for name in PERSON_FIELDS},
        project={column: getattr(project, column) for column in PROJECT_FIELDS.values()},
        opened_on=info.opened_on,
        welcome_done=welcome is not None and welcome.done_on is not None,
        has_welcome=welcome is not None,
        starts={
            s.replace(second=0, microsecond=0) for s in session.scalars(select(Appointment.start))
        },
        notes={t.strip() for t in session.scalars(select(Note.text))},
        honour_loans=list(
            session.scalars(
                select(FundingRequest.amount_asked_cents).where(
                    FundingRequest.kind == FundingKind.HONOUR_LOAN.value
                )
            )
        ),
    )


# -- a new case's rows ----------------------------------------------------------------


def new_case_rows(
    case_id: str, planned: PlannedCase, advisor: str, now: datetime, funder: str
) -> dict[type[CaseBase], list[dict[str, Any]]]:
    """A new case's rows, table by table, as `write_new_case_file` writes them."""
    template = pathway_template()
    opened_on = planned.opened_on or now.date()
    targets = template.target_dates(opened_on)
    info = {
        "id": case_id,
        "status": CaseStatus.ACTIVE.value,
        "opened_on": opened_on,
        "advisor": advisor,
        "pathway": template.key,
        "created_at": now,
        "updated_at": now,
    }
    milestones = [
        {
            "key": milestone.key,
            "label": milestone.label,
            "position": position,
            "target_on": targets[milestone.key],
            "done_on": planned.welcome_done_on if milestone.key == WELCOME else None,
        }
        for position, milestone in enumerate(template.milestones)
    ]
    return {
        CaseInfo: [info],
        Person: [dict(planned.person)],
        Project: [dict(planned.project)],
        Milestone: milestones,
        Appointment: [draft.values() for draft in planned.appointments],
        Note: [{"written_at": now, "text": text} for text in planned.notes],
        FundingRequest: [honour_loan_values(planned.honour_loan_cents, funder)]
        if planned.honour_loan_cents
        else [],
    }


def honour_loan_values(cents: int, funder: str) -> dict[str, Any]:
    return {
        "id": new_id(),
        "funder": funder,
        "kind": FundingKind.HONOUR_LOAN.value,
        "amount_asked_cents": cents,
        "decision": FundingDecision.PENDING.value,
        "amount_granted_cents": 0,
    }


# What `current_from_rows` needs, read from many case files at once (`read_sound_rows`).
CURRENT_QUERIES = (
    Query(Person, " ".join(PERSON_FIELDS)),
    Query(Project, " ".join(PROJECT_FIELDS.values())),
    Query(CaseInfo, "opened_on"),
    Query(Milestone, "done_on", f"WHERE key = '{WELCOME}'"),
    Query(Appointment, "start"),
    Query(Note, "text"),
    Query(FundingRequest, "amount_asked_cents", f"WHERE kind = '{FundingKind.HONOUR_LOAN.value}'"),
)


def current_from_rows(rows: list[list[dict[str, Any]]]) -> Current:
    """`read_current` from the rows of `CURRENT_QUERIES`."""
    person, project, info, welcome, starts, notes, loans = rows
    return Current(
        person=person[0],
        project=project[0],
        opened_on=info[0]["opened_on"],
        welcome_done=bool(welcome) and welcome[0]["done_on"] is not None,
        has_welcome=bool(welcome),
        starts={row["start"].replace(second=0, microsecond=0) for row in starts},
        notes={row["text"].strip() for row in notes},
        honour_loans=[row["amount_asked_cents"] for row in loans],
    )
