"""Turns the rows of a case file into the read model `CaseDetail`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    CaseStatus,
    FinancingSide,
    FundingDecision,
    FundingKind,
    Gender,
    Outcome,
    Recommendation,
    Situation,
)
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


def appointment_view(row: Appointment) -> AppointmentView:
    return AppointmentView(
        id=row.id,
        start=row.start,
        minutes=row.minutes,
        mode=AppointmentMode(row.mode),
        place=row.place,
        topic=row.topic,
        summary=row.summary,
        next_actions=row.next_actions,
        status=AppointmentStatus(row.status),
        programme=row.programme,
        counts_in_reports=row.counts_in_reports,
    )


def milestone_view(row: Milestone, today: date) -> MilestoneView:
    return MilestoneView(
        id=row.id,
        key=row.key,
        label=row.label,
        position=row.position,
        target_on=row.target_on,
        done_on=row.done_on,
        comment=row.comment,
        late=is_late(row.target_on, row.done_on, today),
    )


def read_case(session: Session, today: date, *, with_history: bool = True) -> CaseDetail:
    info = session.scalars(select(CaseInfo)).one()
    person = session.scalars(select(Person)).one()
    project = session.scalars(select(Project)).one()
    lines = list(session.scalars(select(FinancingLineRow).order_by(FinancingLineRow.position)))
    forecast = session.execute(
        select(ForecastLine.year, ForecastLine.item, ForecastLine.amount_cents)
    )
    attachments = session.execute(
        select(
            Attachment.id,
            Attachment.filename,
            Attachment.media_type,
            Attachment.size,
            Attachment.added_at,
        ).order_by(Attachment.added_at)
    )
    history: list[HistoryView] = []
    if with_history:
        history = [
            HistoryView(h.at, h.revision, h.action, h.detail, h.advisor)
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
        person=PersonView(
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
            gender=Gender(person.gender),
            email=person.email,
            phone=person.phone,
            address=person.address,
            postcode=person.postcode,
            commune=person.commune,
            situation=Situation(person.situation),
            referred_by=person.referred_by,
            priority_neighbourhood=person.priority_neighbourhood,
            rural_area=person.rural_area,
            training=person.training,
            experience=person.experience,
            motivation=person.motivation,
            household=person.household,
        ),
        project=ProjectView(
            title=project.title,
            description=project.description,
            sector=project.sector,
            legal_form=project.legal_form,
            planned_start=project.planned_start,
            expected_jobs=project.expected_jobs,
            market_and_offer=project.market_and_offer,
            advisor_opinion=project.advisor_opinion,
            customer_days=project.customer_days,
            supplier_days=project.supplier_days,
            stock_days=project.stock_days,
            strengths=project.strengths,
            vigilance=project.vigilance,
            recommendation=Recommendation(project.recommendation)
            if project.recommendation
            else None,
            recommended_amount_cents=project.recommended_amount_cents,
            opinion_signed_on=project.opinion_signed_on,
        ),
        appointments=[
            appointment_view(a)
            for a in session.scalars(select(Appointment).order_by(Appointment.start))
        ],
        milestones=[
            milestone_view(m, today)
            for m in session.scalars(select(Milestone).order_by(Milestone.position))
        ],
        funding=[
            FundingView(
                id=f.id,
                funder=f.funder,
                kind=FundingKind(f.kind),
                amount_asked_cents=f.amount_asked_cents,
                committee_on=f.committee_on,
                decision=FundingDecision(f.decision),
                amount_granted_cents=f.amount_granted_cents,
                term_months=f.term_months,
                deferral_months=f.deferral_months,
                annual_rate_basis_points=f.annual_rate_basis_points,
            )
            for f in session.scalars(select(FundingRequest).order_by(FundingRequest.committee_on))
        ],
        plan=FinancingPlan.of(
            FinancingLine(FinancingSide(line.side), line.label, line.amount_cents) for line in lines
        ),
        plan_line_ids=[line.id for line in lines],
        forecast=forecast_years([(r.year, r.item, r.amount_cents) for r in forecast]),
        notes=[
            NoteView(n.id, n.written_at, n.text)
            for n in session.scalars(select(Note).order_by(Note.written_at.desc()))
        ],
        attachments=[AttachmentView(*row) for row in attachments],
        consents=[
            ConsentView(c.id, c.scope, c.partner, c.given_on, c.how, c.recorded_by, c.withdrawn_on)
            for c in session.scalars(select(Consent).order_by(Consent.given_on))
        ],
        history=history,
    )
