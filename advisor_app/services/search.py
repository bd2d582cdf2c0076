"""The holders list: summaries from the catalog, filtered, and full-text search."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, literal_column, select, table

from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.errors import CaseFileError
from advisor_app.services.context import ServiceContext, pathway_template
from advisor_app.services.views import CaseSummary
from advisor_app.storage.catalog_models import CaseIndex

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
        """The holders list: one query on the catalog, plain rows, nothing per row."""
        f = case_filter or CaseFilter()
        query = self._query(f)
        if query is None:
            return []
        if f.limit is not None:
            query = query.limit(f.limit)
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
        reader = _SummaryReader(self.context.today(), self.context.now())
        return [reader.summary(row) for row in rows]

    def best_matches(self, case_filter: CaseFilter, limit: int) -> tuple[list[CaseSummary], int]:
        """The first `limit` cases of the filter's list, and how many it finds in all: one
        query, the words matched once (as you type, the count costs no second search)."""
        query = self._query(case_filter)
        if query is None:
            return [], 0
        query = query.add_columns(func.count().over().label("found")).limit(limit)
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
        reader = _SummaryReader(self.context.today(), self.context.now())
        return [reader.summary(row) for row in rows], int(rows[0].found) if rows else 0

    def count(self, case_filter: CaseFilter | None = None) -> int:
        """How many cases the filter finds (its `limit` aside)."""
        query = self._query(case_filter or CaseFilter())
        if query is None:
            return 0
        with self.context.workspace.catalog.read() as catalog:
            return int(catalog.scalar(select(func.count()).select_from(query.subquery())) or 0)

    def _query(self, f: CaseFilter) -> Select[*tuple[Any, ...]] | None:
        """The list's query for a filter, in order; None when the words can match nothing."""
        today = self.context.today()
        query = select(*LIST_COLUMNS)
        match = fts_query(f.text)
        if f.text.strip() and match is None:
            return None
        if match is not None:
            # Matched and ranked inside SQLite: the FTS hits first, then their case_index rows.
            hits = (
                select(
                    literal_column("rowid").label("hit"),
                    literal_column("bm25(search_index, 0, 10.0, 5.0, 1.0, 3.0, 1.0)").label("rank"),
                )
                .select_from(table("search_index"))
                .where(literal_column("search_index").op("MATCH")(match))
                .subquery()
            )
            query = query.join_from(hits, CaseIndex, CaseIndex.search_rowid == hits.c.hit).order_by(
                hits.c.rank
            )
        else:
            query = query.order_by(CaseIndex.last_name, CaseIndex.first_name)
        if not f.include_binned:
            query = query.where(CaseIndex.binned_at.is_(None))
        if f.status is not None:
            query = query.where(CaseIndex.status == CaseStatus(f.status).value)
        if f.stage is not None:
            query = query.where(CaseIndex.stage == f.stage)
        if f.late_only:
            query = query.where(
                CaseIndex.first_undone_target < today,
                CaseIndex.status == CaseStatus.ACTIVE.value,
            )
        return query

    def names(self) -> list[tuple[str, str]]:
        """(case id, "First Last") of every readable case, the binned ones included, in
        the list's order: what a chooser of cases offers, without the rest of the list."""
        query = (
            select(CaseIndex.case_id, CaseIndex.first_name, CaseIndex.last_name)
            .where(CaseIndex.damaged.is_(None))
            .order_by(CaseIndex.last_name, CaseIndex.first_name)
        )
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
        return [(row[0], f"{row[1]} {row[2]}".strip()) for row in rows]

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


LIST_COLUMNS = (
    CaseIndex.case_id,
    CaseIndex.first_name,
    CaseIndex.last_name,
    CaseIndex.project_title,
    CaseIndex.commune,
    CaseIndex.status,
    CaseIndex.stage,
    CaseIndex.milestones_done,
    CaseIndex.milestones_total,
    CaseIndex.last_contact,
    CaseIndex.done_minutes,
    CaseIndex.opened_on,
    CaseIndex.processing_consent,
    CaseIndex.damaged,
    CaseIndex.undone_targets,
    CaseIndex.planned_starts,
)


class _SummaryReader:
    """Turns catalog rows into list lines, reading late milestones and the next appointment
    against today's date (ISO strings compare in date order, so no parsing per row)."""

    def __init__(self, today: date, now: datetime) -> None:
        self.today = today.isoformat()
        self.now = now.isoformat(timespec="minutes")
        self.labels = {m.key: m.label for m in pathway_template().milestones}

    def summary(self, row: Any) -> CaseSummary:  # a Row of LIST_COLUMNS
        active = row.status == CaseStatus.ACTIVE.value
        late = bisect_left(row.undone_targets.split(), self.today) if active else 0
        planned = row.planned_starts.split()
        position = bisect_left(planned, self.now)
        upcoming = datetime.fromisoformat(planned[position]) if position < len(planned) else None
        return CaseSummary(
            case_id=row.case_id,
            first_name=row.first_name,
            last_name=row.last_name,
            project_title=row.project_title,
            commune=row.commune,
            status=CaseStatus(row.status),
            stage=row.stage,
            stage_label=self.labels.get(row.stage) if row.stage else None,
            milestones_done=row.milestones_done,
            milestones_total=row.milestones_total,
            next_appointment=upcoming,
            last_contact=row.last_contact,
            done_minutes=row.done_minutes,
            late_milestones=late,
            opened_on=row.opened_on,
            processing_consent=row.processing_consent,
            damaged=row.damaged,
        )
