"""The holders list: summaries from the catalog, filtered, and full-text search."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select, text

from advisor_app.domain.enums import AppointmentStatus, CaseStatus
from advisor_app.domain.errors import CaseFileError
from advisor_app.services.context import ServiceContext, pathway_template
from advisor_app.services.views import CaseSummary
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex, MilestoneIndex

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    status: CaseStatus | None = None
    stage: str | None = None
    late_only: bool = False
    include_binned: bool = False
    limit: int | None = None


def fts_query(user_text: str) -> str | None:
    """Every word typed must match the start of a word somewhere in the case ("bou" → boulangerie)."""
    words = _WORD.findall(user_text)
    if not words:
        return None
    return " AND ".join(f'"{word}"*' for word in words)


class SearchService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def cases(self, case_filter: CaseFilter | None = None) -> list[CaseSummary]:
        f = case_filter or CaseFilter()
        today = self.context.today()
        late = (
            select(MilestoneIndex.case_id, func.count().label("late"))
            .where(MilestoneIndex.done_on.is_(None), MilestoneIndex.target_on < today)
            .group_by(MilestoneIndex.case_id)
            .subquery()
        )
        late_count = func.coalesce(late.c.late, 0)
        upcoming = (
            select(AgendaEntry.case_id, func.min(AgendaEntry.start).label("next"))
            .where(
                AgendaEntry.start >= self.context.now(),
                AgendaEntry.status == AppointmentStatus.PLANNED.value,
            )
            .group_by(AgendaEntry.case_id)
            .subquery()
        )
        query: Select[CaseIndex, Any] = (
            select(CaseIndex, late_count, upcoming.c.next)
            .outerjoin(late, late.c.case_id == CaseIndex.case_id)
            .outerjoin(upcoming, upcoming.c.case_id == CaseIndex.case_id)
        )
        ranked_ids: list[str] | None = None
        match = fts_query(f.text)
        if f.text.strip() and match is None:
            return []
        if match is not None:
            with self.context.workspace.catalog.read() as catalog:
                ranked_ids = list(
                    catalog.scalars(
                        text(
                            "SELECT case_id FROM search_index WHERE search_index MATCH :q "
                            "ORDER BY bm25(search_index, 0, 10.0, 5.0, 1.0, 3.0, 1.0)"
                        ),
                        {"q": match},
                    )
                )
            if not ranked_ids:
                return []
            query = query.where(CaseIndex.case_id.in_(ranked_ids))
        if not f.include_binned:
            query = query.where(CaseIndex.binned_at.is_(None))
        if f.status is not None:
            query = query.where(CaseIndex.status == CaseStatus(f.status).value)
        if f.stage is not None:
            query = query.where(CaseIndex.stage == f.stage)
        if f.late_only:
            query = query.where(and_(late_count > 0, CaseIndex.status == CaseStatus.ACTIVE.value))
        if ranked_ids is None:
            query = query.order_by(CaseIndex.last_name, CaseIndex.first_name)
        if f.limit is not None and ranked_ids is None:
            query = query.limit(f.limit)
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
        summaries = [summary(case, late, today, upcoming) for case, late, upcoming in rows]
        if ranked_ids is not None:
            order = {case_id: index for index, case_id in enumerate(ranked_ids)}
            summaries.sort(key=lambda s: order[s.case_id])
            if f.limit is not None:
                summaries = summaries[: f.limit]
        return summaries

    def has_cases(self) -> bool:
        """Whether the workspace holds any case (damaged or binned ones included)."""
        with self.context.workspace.catalog.read() as catalog:
            return catalog.scalar(select(CaseIndex.case_id).limit(1)) is not None

    def damaged(self) -> list[tuple[str, CaseFileError]]:
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(
                select(CaseIndex.case_id, CaseIndex.damaged).where(CaseIndex.damaged.is_not(None))
            ).all()
        return [(row.case_id, damage_error(row.damaged)) for row in rows]


def damage_error(stored: str) -> CaseFileError:
    try:
        data = json.loads(stored)
        return CaseFileError(data["message"], data.get("hint", ""), **data.get("params", {}))
    except (ValueError, KeyError, TypeError):
        return CaseFileError(stored)


def summary(
    row: CaseIndex, late: int, today: date, next_appointment: datetime | None = None
) -> CaseSummary:
    labels = {m.key: m.label for m in pathway_template().milestones}
    return CaseSummary(
        case_id=row.case_id,
        first_name=row.first_name,
        last_name=row.last_name,
        project_title=row.project_title,
        commune=row.commune,
        status=CaseStatus(row.status),
        stage=row.stage,
        stage_label=labels.get(row.stage) if row.stage else None,
        milestones_done=row.milestones_done,
        milestones_total=row.milestones_total,
        next_appointment=next_appointment,
        last_contact=row.last_contact,
        done_minutes=row.done_minutes,
        late_milestones=int(late) if row.status == CaseStatus.ACTIVE.value else 0,
        opened_on=row.opened_on,
        processing_consent=row.processing_consent,
        damaged=row.damaged,
    )
