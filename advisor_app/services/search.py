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
        """The first `limit` cases of the filter's list, and how many it finds in all.

        As you type, a word of two letters matches most cases: they are ranked on their ids
        alone, the list's columns read for the `limit` shown only, and counted apart (a
        count over the whole list kept every column of every match until the last row)."""
        ranked = self._query(case_filter, columns=(CaseIndex.case_id,), ranked=True)
        if ranked is None:
            return [], 0
        picked = ranked.limit(limit).subquery()
        query = (
            select(*LIST_COLUMNS)
            .join_from(picked, CaseIndex, CaseIndex.case_id == picked.c.case_id)
            .order_by(picked.c.place)
        )
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
            found = len(rows)
            if found == limit:  # perhaps more
                counted = self._query(case_filter, columns=(CaseIndex.case_id,))
                assert counted is not None  # as `ranked`
                found = int(
                    catalog.scalar(
                        select(func.count()).select_from(counted.order_by(None).subquery())
                    )
                    or 0
                )
        reader = _SummaryReader(self.context.today(), self.context.now())
        return [reader.summary(row) for row in rows], found

    def count(self, case_filter: CaseFilter | None = None) -> int:
        """How many cases the filter finds (its `limit` aside)."""
        query = self._query(case_filter or CaseFilter())
        if query is None:
            return 0
        with self.context.workspace.catalog.read() as catalog:
            return int(catalog.scalar(select(func.count()).select_from(query.subquery())) or 0)

    def _query(
        self, f: CaseFilter, columns: tuple[Any, ...] = (), *, ranked: bool = False
    ) -> Select[*tuple[Any, ...]] | None:
        """The list's query for a filter, in order; None when the words can match nothing.
        Its `columns` (the list's by default); `ranked` adds `place`, the rank in the list."""
        today = self.context.today()
        query = select(*(columns or LIST_COLUMNS))
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
            if ranked:
                query = query.add_columns(hits.c.rank.label("place"))
        else:
            query = query.order_by(CaseIndex.last_name, CaseIndex.first_name)
            if ranked:
                query = query.add_columns(
                    func.row_number()
                    .over(order_by=(CaseIndex.last_name, CaseIndex.first_name))
                    .label("place")
                )
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
        # unpacked once: a row's attributes are looked up by name, the slow way
        (
            case_id,
            first_name,
            last_name,
            project_title,
            commune,
            status,
            stage,
            milestones_done,
            milestones_total,
            last_contact,
            done_minutes,
            opened_on,
            processing_consent,
            damaged,
            undone_targets,
            planned_starts,
        ) = row[:_LIST_WIDTH]
        late = bisect_left(undone_targets.split(), self.today) if status == _ACTIVE else 0
        upcoming = None
        if planned_starts:
            planned = planned_starts.split()
            position = bisect_left(planned, self.now)
            if position < len(planned):
                upcoming = datetime.fromisoformat(planned[position])
        return CaseSummary(
            case_id=case_id,
            first_name=first_name,
            last_name=last_name,
            project_title=project_title,
            commune=commune,
            status=_STATUSES[status],
            stage=stage,
            stage_label=self.labels.get(stage) if stage else None,
            milestones_done=milestones_done,
            milestones_total=milestones_total,
            next_appointment=upcoming,
            last_contact=last_contact,
            done_minutes=done_minutes,
            late_milestones=late,
            opened_on=opened_on,
            processing_consent=processing_consent,
            damaged=damaged,
        )


_LIST_WIDTH = len(LIST_COLUMNS)
_ACTIVE = CaseStatus.ACTIVE.value
_STATUSES = {status.value: status for status in CaseStatus}
