"""Read models: plain data handed to the UI, the CLI and the reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    CaseStatus,
    FundingDecision,
    FundingKind,
    Gender,
    Outcome,
    Recommendation,
    Situation,
)
from advisor_app.domain.financing import FinancingPlan, ForecastYear


@dataclass(frozen=True)
class CaseSummary:
    """One line of the holders list, read from the catalog only."""

    case_id: str
    first_name: str
    last_name: str
    project_title: str
    commune: str
    status: CaseStatus
    stage: str | None
    stage_label: str | None
    milestones_done: int
    milestones_total: int
    next_appointment: datetime | None
    last_contact: date | None
    done_minutes: int
    late_milestones: int
    opened_on: date | None
    processing_consent: bool
    damaged: str | None = None
    advisor: str = ""  # the référent
    shared: bool = False  # with the team

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# The views of a case's rows below hold the fields of their record in domain/records.py, in
# its order (`case_reader.view_of` reads them; tests/domain/test_records.py checks them).


@dataclass(frozen=True)
class PersonView:
    first_name: str
    last_name: str
    birth_date: date | None
    gender: Gender
    email: str
    phone: str
    address: str
    postcode: str
    commune: str
    situation: Situation
    referred_by: str
    priority_neighbourhood: bool
    rural_area: bool
    training: str
    experience: str
    motivation: str
    household: str

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class ProjectView:
    title: str
    description: str
    sector: str
    legal_form: str
    planned_start: date | None
    expected_jobs: int
    market_and_offer: str
    advisor_opinion: str
    customer_days: int | None
    supplier_days: int | None
    stock_days: int | None
    strengths: str
    vigilance: str
    recommendation: Recommendation | None
    recommended_amount_cents: int | None
    opinion_signed_on: date | None


@dataclass(frozen=True)
class AppointmentView:
    id: str
    start: datetime
    minutes: int
    mode: AppointmentMode
    place: str
    topic: str
    summary: str
    next_actions: str
    status: AppointmentStatus
    programme: str
    counts_in_reports: bool

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class MilestoneView:
    id: str
    key: str
    label: str
    position: int
    target_on: date | None
    done_on: date | None
    comment: str
    late: bool


@dataclass(frozen=True)
class FundingView:
    id: str
    funder: str
    kind: FundingKind
    amount_asked_cents: int
    committee_on: date | None
    decision: FundingDecision
    amount_granted_cents: int
    term_months: int | None
    deferral_months: int | None
    annual_rate_basis_points: int | None


@dataclass(frozen=True)
class NoteView:
    id: str
    written_at: datetime
    text: str


@dataclass(frozen=True)
class AttachmentView:
    id: str
    filename: str
    media_type: str
    size: int
    added_at: datetime


@dataclass(frozen=True)
class ConsentView:
    id: str
    scope: str
    partner: str
    given_on: date
    how: str
    recorded_by: str
    withdrawn_on: date | None


@dataclass(frozen=True)
class HistoryView:
    at: datetime
    revision: int
    action: str
    detail: str
    advisor: str


@dataclass(frozen=True)
class CaseDetail:
    """Everything held about one case, read from its case file."""

    case_id: str
    revision: int
    status: CaseStatus
    outcome: Outcome | None
    opened_on: date
    closed_on: date | None
    advisor: str
    previous_case_id: str | None
    binned_at: datetime | None
    person: PersonView
    project: ProjectView
    appointments: list[AppointmentView]
    milestones: list[MilestoneView]
    funding: list[FundingView]
    plan: FinancingPlan
    plan_line_ids: list[str]
    forecast: list[ForecastYear]
    notes: list[NoteView]
    attachments: list[AttachmentView]
    consents: list[ConsentView]
    history: list[HistoryView] = field(default_factory=list)

    @property
    def done_minutes(self) -> int:
        return sum(
            a.minutes
            for a in self.appointments
            if a.status is AppointmentStatus.DONE and a.counts_in_reports
        )

    @property
    def stage(self) -> MilestoneView | None:
        done = [m for m in self.milestones if m.done_on is not None]
        return done[-1] if done else None


@dataclass(frozen=True)
class AgendaItem:
    appointment_id: str
    case_id: str
    holder: str
    start: datetime
    minutes: int
    mode: AppointmentMode
    status: AppointmentStatus
    topic: str
    place: str
    conflict: bool = False
    advisor: str = ""  # the case's advisor: overlaps conflict only within one advisor's day

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class LateCase:
    """A person of the dashboard's late list: how many milestones are late, the oldest."""

    case_id: str
    holder: str
    count: int
    oldest_on: date
    oldest_key: str
    oldest_label: str


@dataclass(frozen=True)
class DashboardFigures:
    active_cases: int
    appointments_this_week: int
    late_cases: list[LateCase]
    hours_this_month_minutes: int
    hours_this_year_minutes: int
    minutes_by_month: list[tuple[date, int]]
    cases_by_stage: list[tuple[str | None, int]]
    cases_without_consent: int
    late_more: int = 0  # late people beyond those of `late_cases`


@dataclass(frozen=True)
class DuplicateWarning:
    """A case that may be the same person's, with what tells it apart."""

    case_id: str
    holder: str
    reason: str
    birth_date: date | None = None
    commune: str = ""
    status: CaseStatus = CaseStatus.ACTIVE
    opened_on: date | None = None
