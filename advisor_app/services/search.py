"""The holders list: summaries from the catalog, filtered, and full-text search."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from advisor_app.domain.enums import CaseScope, CaseStatus
from advisor_app.domain.errors import CaseFileError
from advisor_app.services.context import ServiceContext, pathway_template
from advisor_app.services.settings import SettingsService
from advisor_app.services.views import CaseSummary

_WORD = re.compile(r"\w+", re.UNICODE)
# How many of the best matches the holders list shows as you type (`best_matches`).
SHOWN_WHILE_TYPING = 300


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    status: CaseStatus | None = None
    stage: str | None = None
    late_only: bool = False
    include_binned: bool = False
    limit: int | None = None
    scope: CaseScope = CaseScope.ALL


def scope_condition(scope: CaseScope, me: str, alias: str = "c") -> tuple[str, list[Any]]:
    """The SQL condition on `case_index` (as `alias`) of the cases `scope` covers, and its
    parameters; "" for all. Mine: not shared with the team, or shared with the advisor
    `me` (or nobody) as référent; the team's: every shared case."""
    if scope is CaseScope.MINE:
        return f"({alias}.shared = 0 OR {alias}.advisor IN (?, ''))", [me]
    if scope is CaseScope.TEAM:
        return f"{alias}.shared = 1", []
    return "", []


def fts_query(user_text: str) -> str | None:
    """Every word typed must match the start of a word somewhere in the case ("bou" →
    boulangerie). A word of one letter beside longer ones (the l' of "Bénévent-l'Abbaye",
    the d' of "Pont-d'Arc") narrows nothing and would be looked up among every word of the
    index that starts with it (a third of a second at 100,000 cases): it is left out."""
    words = _WORD.findall(user_text)
    if not words:
        return None
    longer = [word for word in words if len(word) > 1]
    return " AND ".join(f'"{word}"*' for word in (longer or words))


class SearchService:
    """The holders list in plain SQL over the catalog: no model and no SQLAlchemy to load,
    so that `advisor-app list` answers as fast as the window's list refreshes."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def cases(self, case_filter: CaseFilter | None = None) -> list[CaseSummary]:
        """The holders list: one query on the catalog, plain rows, nothing per row."""
        f = case_filter or CaseFilter()
        query = self._query(f)
        if query is None:
            return []
        sql, parameters = query
        if f.limit is not None:
            sql, parameters = f"{sql} LIMIT ?", [*parameters, f.limit]
        with self.context.workspace.catalog.plain_read() as catalog:
            rows = catalog.execute(sql, parameters).fetchall()
        reader = _SummaryReader(self.context.today(), self.context.now())
        return [reader.summary(row) for row in rows]

    def best_matches(self, case_filter: CaseFilter, limit: int) -> tuple[list[CaseSummary], int]:
        """The first `limit` cases of the filter's list, and how many it finds in all.

        As you type, a word of two letters matches most cases: they are ranked on their ids
        alone, the list's columns read for the `limit` shown only, and counted apart (a
        count over the whole list kept every column of every match until the last row)."""
        ranked = self._query(case_filter, columns="c.case_id", ranked=True)
        if ranked is None:
            return [], 0
        ranked_sql, parameters = ranked
        sql = (
            f"SELECT {_LIST_SELECT} FROM ({ranked_sql} LIMIT ?) AS picked "
            "JOIN case_index c ON c.case_id = picked.case_id ORDER BY picked.place"
        )
        with self.context.workspace.catalog.plain_read() as catalog:
            rows = catalog.execute(sql, [*parameters, limit]).fetchall()
            found = len(rows)
            if found == limit:  # perhaps more
                counted = self._query(case_filter, columns="c.case_id", ordered=False)
                assert counted is not None  # as `ranked`
                counted_sql, counted_parameters = counted
                found = int(
                    catalog.execute(
                        f"SELECT count(*) FROM ({counted_sql})", counted_parameters
                    ).fetchone()[0]
                )
        reader = _SummaryReader(self.context.today(), self.context.now())
        return [reader.summary(row) for row in rows], found

    def count(self, case_filter: CaseFilter | None = None) -> int:
        """How many cases the filter finds (its `limit` aside)."""
        query = self._query(case_filter or CaseFilter(), columns="c.case_id", ordered=False)
        if query is None:
            return 0
        sql, parameters = query
        with self.context.workspace.catalog.plain_read() as catalog:
            return int(catalog.execute(f"SELECT count(*) FROM ({sql})", parameters).fetchone()[0])

    def _query(
        self,
        f: CaseFilter,
        columns: str = "",
        *,
        ranked: bool = False,
        ordered: bool = True,
    ) -> tuple[str, list[Any]] | None:
        """The list's query for a filter and its parameters, in order (unless not
        `ordered`); None when the words can match nothing. Its `columns` (the list's by
        default, as `c.name`); `ranked` adds `place`, the rank in the list."""
        selected = columns or _LIST_SELECT
        match = fts_query(f.text)
        if f.text.strip() and match is None:
            return None
        parameters: list[Any] = []
        if match is not None:
            # Matched and ranked inside SQLite: the FTS hits first, then their case_index rows.
            place = ", hits.rank AS place" if ranked else ""
            sql = (
                f"SELECT {selected}{place} FROM ("
                f"SELECT rowid AS hit, bm25(search_index, {_WEIGHTS}) AS rank "
                "FROM search_index WHERE search_index MATCH ?"
                ") AS hits JOIN case_index c ON c.search_rowid = hits.hit"
            )
            parameters.append(match)
            order = "hits.rank"
        else:
            place = f", row_number() OVER (ORDER BY {_BY_NAME}) AS place" if ranked else ""
            sql = f"SELECT {selected}{place} FROM case_index c"
            order = _BY_NAME
        conditions: list[str] = []
        if not f.include_binned:
            conditions.append("c.binned_at IS NULL")
        if f.status is not None:
            conditions.append("c.status = ?")
            parameters.append(CaseStatus(f.status).value)
        if f.stage is not None:
            conditions.append("c.stage = ?")
            parameters.append(f.stage)
        if f.late_only:
            conditions.append("c.first_undone_target < ? AND c.status = ?")
            parameters += [self.context.today().isoformat(), CaseStatus.ACTIVE.value]
        if f.scope is not CaseScope.ALL:
            condition, values = scope_condition(f.scope, self.me())
            conditions.append(condition)
            parameters += values
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        if ordered:
            sql += f" ORDER BY {order}"
        return sql, parameters

    def names(self) -> list[tuple[str, str]]:
        """(case id, "First Last") of every readable case, the binned ones included, in
        the list's order: what a chooser of cases offers, without the rest of the list."""
        with self.context.workspace.catalog.plain_read() as catalog:
            rows = catalog.execute(
                "SELECT case_id, first_name, last_name FROM case_index c "
                f"WHERE damaged IS NULL ORDER BY {_BY_NAME}"
            ).fetchall()
        return [(row[0], f"{row[1]} {row[2]}".strip()) for row in rows]

    def me(self) -> str:
        """The advisor's name (the setting): the référent of their own cases."""
        return SettingsService(self.context).advisor_name

    def has_shared_cases(self) -> bool:
        """Whether the workspace is in a team or any of its cases is shared with one (the
        advisor's own or a colleague's): the lists then offer « Mes dossiers / L'équipe »."""
        if self.context.workspace.team_clock is not None:
            return True
        with self.context.workspace.catalog.plain_read() as catalog:
            found = catalog.execute("SELECT 1 FROM case_index WHERE shared = 1 LIMIT 1")
            return found.fetchone() is not None

    def has_cases(self) -> bool:
        """Whether the workspace holds any case (damaged or binned ones included)."""
        with self.context.workspace.catalog.plain_read() as catalog:
            return catalog.execute("SELECT 1 FROM case_index LIMIT 1").fetchone() is not None

    def damaged(self) -> list[tuple[str, CaseFileError]]:
        with self.context.workspace.catalog.plain_read() as catalog:
            rows = catalog.execute(
                "SELECT case_id, damaged FROM case_index WHERE damaged IS NOT NULL"
            ).fetchall()
        return [(case_id, damage_error(stored)) for case_id, stored in rows]


def damage_error(stored: str) -> CaseFileError:
    try:
        data = json.loads(stored)
        return CaseFileError(data["message"], data.get("hint", ""), **data.get("params", {}))
    except (ValueError, KeyError, TypeError):
        return CaseFileError(stored)


# The list's columns of case_index, in the order _SummaryReader unpacks them.
LIST_COLUMNS = (
    "case_id",
    "first_name",
    "last_name",
    "project_title",
    "commune",
    "status",
    "stage",
    "milestones_done",
    "milestones_total",
    "last_contact",
    "done_minutes",
    "opened_on",
    "processing_consent",
    "damaged",
    "undone_targets",
    "planned_starts",
    "advisor",
    "shared",
)
_LIST_SELECT = ", ".join(f"c.{name}" for name in LIST_COLUMNS)
_BY_NAME = "c.last_name, c.first_name"
# bm25 weights of search_index's columns: case_id, names, project, description, commune, notes
_WEIGHTS = "0, 10.0, 5.0, 1.0, 3.0, 1.0"


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
            advisor,
            shared,
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
            last_contact=_day(last_contact),
            done_minutes=done_minutes,
            late_milestones=late,
            opened_on=_day(opened_on),
            processing_consent=bool(processing_consent),
            damaged=damaged,
            advisor=advisor,
            shared=bool(shared),
        )


def _day(stored: str | None) -> date | None:
    """A date column as SQLite holds it (ISO text, as SQLAlchemy's Date writes it)."""
    return date.fromisoformat(stored) if stored else None


_LIST_WIDTH = len(LIST_COLUMNS)
_ACTIVE = CaseStatus.ACTIVE.value
_STATUSES = {status.value: status for status in CaseStatus}
