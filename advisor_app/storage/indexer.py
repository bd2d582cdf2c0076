"""What the catalog keeps of a case file, read from it and written to the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from advisor_app.domain.pathway import current_stage
from advisor_app.storage.case_models import (
    Appointment,
    CaseInfo,
    Consent,
    FundingRequest,
    Milestone,
    Note,
    Person,
    Project,
)
from advisor_app.storage.catalog_models import (
    AgendaEntry,
    CaseIndex,
    FundingIndex,
    MilestoneIndex,
)


@dataclass
class IndexData:
    """A case as the catalog sees it: one `case_index` row plus agenda, milestones, text."""

    case: dict[str, object]
    agenda: list[dict[str, object]] = field(default_factory=list)
    milestones: list[dict[str, object]] = field(default_factory=list)
    funding: list[dict[str, object]] = field(default_factory=list)
    notes: str = ""
    description: str = ""

    @property
    def case_id(self) -> str:
        return str(self.case["case_id"])


def read_index_data(session: Session) -> IndexData:
    info = session.scalars(select(CaseInfo)).one()
    person = session.scalars(select(Person)).one()
    project = session.scalars(select(Project)).one()
    appointments = list(session.scalars(select(Appointment).order_by(Appointment.start)))
    milestones = list(session.scalars(select(Milestone).order_by(Milestone.position)))
    notes = list(session.scalars(select(Note.text)))
    consent = session.scalar(
        select(Consent.id).where(Consent.scope == "processing", Consent.withdrawn_on.is_(None))
    )
    stage = current_stage([(m.key, m.done_on) for m in milestones])
    positions = {m.key: m.position for m in milestones}
    done = [a for a in appointments if a.status == "done"]
    undone = sorted(m.target_on for m in milestones if m.done_on is None and m.target_on)
    planned = sorted(a.start for a in appointments if a.status == "planned")
    contacts = [a.start.date() for a in done]
    case: dict[str, object] = {
        "case_id": info.id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "gender": person.gender,
        "situation": person.situation,
        "email": person.email.lower(),
        "commune": person.commune,
        "postcode": person.postcode,
        "priority_neighbourhood": person.priority_neighbourhood,
        "rural_area": person.rural_area,
        "project_title": project.title,
        "sector": project.sector,
        "status": info.status,
        "outcome": info.outcome,
        "advisor": info.advisor,
        "opened_on": info.opened_on,
        "closed_on": info.closed_on,
        "stage": stage,
        "stage_position": positions.get(stage, -1) if stage else -1,
        "milestones_done": sum(1 for m in milestones if m.done_on is not None),
        "milestones_total": len(milestones),
        "last_contact": max(contacts) if contacts else None,
        "undone_targets": " ".join(d.isoformat() for d in undone),
        "first_undone_target": undone[0] if undone else None,
        "planned_starts": " ".join(s.isoformat(timespec="minutes") for s in planned),
        "done_minutes": sum(a.minutes for a in done if a.counts_in_reports),
        "expected_jobs": project.expected_jobs,
        "processing_consent": consent is not None,
        "previous_case_id": info.previous_case_id,
        "binned_at": info.binned_at,
        "revision": info.revision,
        "damaged": None,
    }
    agenda: list[dict[str, object]] = [
        {
            "appointment_id": a.id,
            "case_id": info.id,
            "start": a.start,
            "minutes": a.minutes,
            "mode": a.mode,
            "status": a.status,
            "topic": a.topic,
            "place": a.place,
            "programme": a.programme,
            "counts_in_reports": a.counts_in_reports,
        }
        for a in appointments
    ]
    milestone_rows: list[dict[str, object]] = [
        {
            "milestone_id": m.id,
            "case_id": info.id,
            "key": m.key,
            "label": m.label,
            "position": m.position,
            "target_on": m.target_on,
            "done_on": m.done_on,
        }
        for m in milestones
    ]
    funding: list[dict[str, object]] = [
        {
            "funding_id": f.id,
            "case_id": info.id,
            "funder": f.funder,
            "kind": f.kind,
            "amount_asked_cents": f.amount_asked_cents,
            "committee_on": f.committee_on,
            "decision": f.decision,
            "amount_granted_cents": f.amount_granted_cents,
        }
        for f in session.scalars(select(FundingRequest))
    ]
    return IndexData(
        case=case,
        agenda=agenda,
        milestones=milestone_rows,
        funding=funding,
        notes="\n".join(notes),
        description=project.description,
    )


def write_index_data(
    session: Session,
    data: IndexData,
    signature: tuple[int, int, int] | None,
    *,
    replace: bool = True,
) -> None:
    """Replace everything the catalog holds about this case (within the caller's transaction);
    `replace=False` when it holds nothing of it yet (a rebuild), sparing the deletes."""
    if replace:
        remove_from_index(session, data.case_id)
    case = data.case
    session.execute(
        text(
            "INSERT INTO search_index(case_id, names, project, description, commune, notes) "
            "VALUES (:case_id, :names, :project, :description, :commune, :notes)"
        ),
        {
            "case_id": data.case_id,
            "names": f"{case['first_name']} {case['last_name']}",
            "project": str(case["project_title"]),
            "description": data.description,
            "commune": f"{case['commune']} {case['postcode']}",
            "notes": data.notes,
        },
    )
    # RETURNING gives -1 on an FTS5 table: ask SQLite for the rowid it just assigned.
    search_rowid = session.execute(text("SELECT last_insert_rowid()")).scalar_one()
    row = dict(case)
    row["search_rowid"] = search_rowid
    if signature is not None:
        row["file_mtime_ns"], row["file_size"], row["wal_size"] = signature
    session.add(CaseIndex(**row))
    session.flush()
    if data.agenda:
        session.execute(insert(AgendaEntry), data.agenda)
    if data.milestones:
        session.execute(insert(MilestoneIndex), data.milestones)
    if data.funding:
        session.execute(insert(FundingIndex), data.funding)


def remove_from_index(session: Session, case_id: str) -> None:
    session.execute(delete(AgendaEntry).where(AgendaEntry.case_id == case_id))
    session.execute(delete(MilestoneIndex).where(MilestoneIndex.case_id == case_id))
    session.execute(delete(FundingIndex).where(FundingIndex.case_id == case_id))
    # By the FTS rowid kept in case_index: case_id is not indexed inside the FTS table.
    session.execute(
        text(
            "DELETE FROM search_index WHERE rowid = "
            "(SELECT search_rowid FROM case_index WHERE case_id = :id)"
        ),
        {"id": case_id},
    )
    session.execute(delete(CaseIndex).where(CaseIndex.case_id == case_id))


def mark_damaged(
    session: Session, case_id: str, reason: str, signature: tuple[int, int, int] | None
) -> None:
    """Keep a damaged file visible in the list, with what is known of it and why."""
    row = session.get(CaseIndex, case_id)
    if row is None:
        row = CaseIndex(case_id=case_id, last_name="", first_name="")
        session.add(row)
    session.execute(delete(AgendaEntry).where(AgendaEntry.case_id == case_id))
    session.execute(delete(MilestoneIndex).where(MilestoneIndex.case_id == case_id))
    session.execute(delete(FundingIndex).where(FundingIndex.case_id == case_id))
    row.damaged = reason
    if signature is not None:
        row.file_mtime_ns, row.file_size, row.wal_size = signature
